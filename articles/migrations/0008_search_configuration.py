"""What full-text search needs from each database, created only on the database it suits.

PostgreSQL: the `unaccent` extension and a `newsroom` text search configuration (a copy of
`simple`, no stemming, so it treats Polish and English alike) that folds accents, so `lodz`
finds `Łódź` and back. SQLite: an FTS5 table of the weighted fields, keyed by article id.
"""

from django.db import migrations


def create_search_structures(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        schema_editor.execute("CREATE TEXT SEARCH CONFIGURATION newsroom (COPY = simple)")
        schema_editor.execute(
            "ALTER TEXT SEARCH CONFIGURATION newsroom "
            "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE article_fts USING fts5("
            "headline, standfirst, byline_tags, body, tokenize = 'unicode61 remove_diacritics 2')"
        )


def drop_search_structures(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # The extension stays: other schemas of the database may use it.
        schema_editor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS newsroom")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS article_fts")


class Migration(migrations.Migration):
    dependencies = [("articles", "0007_wire_inbox_section")]

    operations = [migrations.RunPython(create_search_structures, drop_search_structures)]
