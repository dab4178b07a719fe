"""Search finds every form of an English word: "negotiator" finds "negotiators".

PostgreSQL: the `newsroom` configuration keeps folding accents with `unaccent`, then stems
with a Snowball English dictionary that, unlike the stock `english_stem`, drops no stop
words: SQLite indexes every word, and both databases must find the same articles. SQLite
stems in Python (articles/search.py) with the same algorithm, so its FTS5 table is unchanged.
"""

from django.db import migrations

WORD_TOKENS = "asciiword, asciihword, hword_asciipart, word, hword, hword_part"


def stem_english(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE TEXT SEARCH DICTIONARY newsroom_english_stem "
        "(TEMPLATE = snowball, LANGUAGE = english)"
    )
    schema_editor.execute(
        f"ALTER TEXT SEARCH CONFIGURATION newsroom ALTER MAPPING FOR {WORD_TOKENS} "
        "WITH unaccent, newsroom_english_stem"
    )


def stop_stemming(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # As 0008 left it: `simple` for every word, accents folded for the non-ASCII ones.
    schema_editor.execute(
        "ALTER TEXT SEARCH CONFIGURATION newsroom "
        "ALTER MAPPING FOR asciiword, asciihword, hword_asciipart WITH simple"
    )
    schema_editor.execute(
        "ALTER TEXT SEARCH CONFIGURATION newsroom "
        "ALTER MAPPING FOR word, hword, hword_part WITH unaccent, simple"
    )
    schema_editor.execute("DROP TEXT SEARCH DICTIONARY newsroom_english_stem")


class Migration(migrations.Migration):
    dependencies = [("articles", "0023_give_editors_the_wire_desk")]

    operations = [migrations.RunPython(stem_english, stop_stemming)]
