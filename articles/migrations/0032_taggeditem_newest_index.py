"""An index on taggit's items for "Related": a tag's newest articles, read backwards.

taggit indexes `tag_id` and `(content_type_id, object_id)` separately, so "the newest
articles with this tag" had to collect and sort every article of the tag; at a million
articles a common tag has hundreds of thousands. With (tag, type, article) in one index the
list is read in order and stops at its limit (see Article.related).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0031_autosaves"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS articles_taggeditem_newest_idx"
            " ON taggit_taggeditem (tag_id, content_type_id, object_id)",
            "DROP INDEX IF EXISTS articles_taggeditem_newest_idx",
        )
    ]
