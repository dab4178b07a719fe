"""The wire desk's permissions, missing from the roles since the desk arrived (0006).

Editors route copy (wire section rules) and keep the inboxes (wire items, feed entries);
journalists read the inboxes they import into and draft from.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

JOURNALIST_PERMISSIONS = [
    ("articles", "view_wireitem"),
    ("articles", "view_feedentry"),
]
EDITOR_PERMISSIONS = JOURNALIST_PERMISSIONS + [
    ("articles", "delete_feedentry"),
    ("articles", "view_sectionrule"),
    ("articles", "add_sectionrule"),
    ("articles", "change_sectionrule"),
    ("articles", "delete_sectionrule"),
]
GROUPS = {"Journalists": JOURNALIST_PERMISSIONS, "Editors": EDITOR_PERMISSIONS}


def permissions(apps, codenames):
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in codenames
    ]


def grant_wire_desk(apps, schema_editor):
    # Permissions are normally created after migrations; the wire models' are needed now.
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions(apps, codenames))


def revoke_wire_desk(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions(apps, GROUPS[group.name]))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0022_photo_wire_guid_from_wire_items"),
        ("articles", "0003_create_journalists_and_editors_groups"),
    ]

    operations = [migrations.RunPython(grant_wire_desk, revoke_wire_desk)]
