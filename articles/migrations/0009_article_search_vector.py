import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations

SEARCH_INDEX = django.contrib.postgres.indexes.GinIndex(
    fields=["search_vector"], name="article_search_vector_idx"
)


def add_search_index(apps, schema_editor):
    # GIN exists only on PostgreSQL; SQLite searches its FTS5 table instead.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("articles", "Article"), SEARCH_INDEX)


def remove_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("articles", "Article"), SEARCH_INDEX)


class Migration(migrations.Migration):
    dependencies = [("articles", "0008_search_configuration")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False, null=True, verbose_name="search vector"
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="article", index=SEARCH_INDEX)],
            database_operations=[migrations.RunPython(add_search_index, remove_search_index)],
        ),
    ]
