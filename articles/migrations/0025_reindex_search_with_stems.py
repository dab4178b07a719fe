"""Every article's search entry, rebuilt with stems (0014): entries indexed before hold whole
words, which stemmed queries no longer find. A snapshot of articles/search.py's indexing, as
a migration may not import the app's code."""

import html
import re

import snowballstemmer
from anyascii import anyascii
from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.models import Value
from django.utils.html import strip_tags

WORD = re.compile(r"\w+")
STEMMER = snowballstemmer.stemmer("english")


def sqlite_words(text):
    return " ".join(STEMMER.stemWords(WORD.findall(anyascii(text).lower())))


def reindex(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor not in {"postgresql", "sqlite"}:
        return
    Article = apps.get_model("articles", "Article")
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    ContentType = apps.get_model("contenttypes", "ContentType")
    article_type = ContentType.objects.filter(app_label="articles", model="article").first()
    tags = {}
    if article_type is not None:
        tagged = TaggedItem.objects.filter(content_type=article_type).order_by("id")
        for object_id, name in tagged.values_list("object_id", "tag__name"):
            tags.setdefault(object_id, []).append(name)
    fields = ["pk", "headline", "standfirst", "byline", "body"]
    for pk, headline, standfirst, byline, body in Article.objects.values_list(*fields):
        byline_and_tags = " ".join([byline, *tags.get(pk, [])])
        body = html.unescape(strip_tags(body))
        if connection.vendor == "postgresql":
            Article.objects.filter(pk=pk).update(
                search_vector=(
                    SearchVector(Value(headline), weight="A", config="newsroom")
                    + SearchVector(Value(standfirst), weight="B", config="newsroom")
                    + SearchVector(Value(byline_and_tags), weight="C", config="newsroom")
                    + SearchVector(Value(body), weight="D", config="newsroom")
                )
            )
        else:
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM article_fts WHERE rowid = %s", [pk])
                cursor.execute(
                    "INSERT INTO article_fts (rowid, headline, standfirst, byline_tags, body)"
                    " VALUES (%s, %s, %s, %s, %s)",
                    [pk, *map(sqlite_words, [headline, standfirst, byline_and_tags, body])],
                )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0024_english_stemming_search_configuration"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    # Backwards, the entries keep their stems until `manage.py update_search_index` runs.
    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]
