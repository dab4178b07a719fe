"""The editors' switchable rules (DeskPolicy), in the editors' hands.

The content credentials rule for lead photos was an environment variable that only operations
could set; now it is a switch on the desk. Editors may view and change the policy; journalists
may read it, so that they know what will hold their story back.
"""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models


JOURNALIST_PERMISSIONS = [("articles", "view_deskpolicy")]
EDITOR_PERMISSIONS = JOURNALIST_PERMISSIONS + [("articles", "change_deskpolicy")]
GROUPS = {"Journalists": JOURNALIST_PERMISSIONS, "Editors": EDITOR_PERMISSIONS}


def permissions(apps, codenames):
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in codenames
    ]


def grant(apps, schema_editor):
    # Permissions are normally created after migrations; DeskPolicy's are needed now.
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions(apps, codenames))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions(apps, GROUPS[group.name]))


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0029_move_renditions_out_of_media_root'),
        ('articles', '0003_create_journalists_and_editors_groups'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='DeskPolicy',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('hold_doubtful_lead_photos', models.BooleanField(default=False, help_text="An article whose lead photo carries an invalid content-credentials signature, or says it is AI generated, is not published or scheduled unless an editor ticks “Publish despite content credentials”. Each override is recorded in the article's history.", verbose_name='hold back doubtful lead photos')),
                ('changed_at', models.DateTimeField(editable=False, null=True, verbose_name='last changed')),
                ('changed_by', models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='last changed by')),
            ],
            options={
                'verbose_name': 'desk policy',
                'verbose_name_plural': 'desk policy',
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
