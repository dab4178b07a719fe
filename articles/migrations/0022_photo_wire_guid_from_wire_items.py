"""Pictures imported on their own before photos kept the agency's GUID get it from their
wire items, so the same picture arriving again inside a text item finds its photo."""

from django.db import migrations


def copy_guids_from_wire_items(apps, schema_editor):
    Photo = apps.get_model("articles", "Photo")
    WireItem = apps.get_model("articles", "WireItem")
    items = WireItem.objects.filter(photo__isnull=False, photo__wire_guid="").order_by("id")
    for photo_id, guid in items.values_list("photo_id", "guid"):
        Photo.objects.filter(pk=photo_id, wire_guid="").update(wire_guid=guid)


def clear_guids(apps, schema_editor):
    apps.get_model("articles", "Photo").objects.update(wire_guid="")


class Migration(migrations.Migration):
    dependencies = [("articles", "0021_photo_wire_guid")]

    operations = [migrations.RunPython(copy_guids_from_wire_items, clear_guids)]
