"""Journalists post live entries; editors also correct and hide them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

JOURNALIST_PERMISSIONS = ["add_liveentry", "view_liveentry"]
EDITOR_PERMISSIONS = JOURNALIST_PERMISSIONS + ["change_liveentry"]
GRANTS = {"Journalists": JOURNALIST_PERMISSIONS, "Editors": EDITOR_PERMISSIONS}


def grant(apps, schema_editor):
    # Permissions are normally created after migrations; the grants need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="articles", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0018_article_live_blog_and_live_entries"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
