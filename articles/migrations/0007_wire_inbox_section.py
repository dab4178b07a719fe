from django.db import migrations

WIRE = {"slug": "wire", "name": "Wire"}


def create_wire_inbox(apps, schema_editor):
    Section = apps.get_model("articles", "Section")
    Section.objects.update_or_create(
        slug=WIRE["slug"],
        defaults={
            "name": WIRE["name"],
            "is_inbox": True,
            "position": 1000,
            "description": "Agency copy waiting for the desk. Readers never see this section.",
        },
    )


def remove_wire_inbox(apps, schema_editor):
    Section = apps.get_model("articles", "Section")
    # Articles protect their section: an inbox still holding copy is kept.
    Section.objects.filter(slug=WIRE["slug"], is_inbox=True, articles__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_wire_desk_items_rules_and_feed_inbox"),
    ]

    operations = [
        migrations.RunPython(create_wire_inbox, remove_wire_inbox),
    ]
