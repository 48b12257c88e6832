"""The "Safeguarding officers" group: programme staff put in it moderate held messages
and read reported concerns of their programmes. Admins add people in /admin/."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Safeguarding officers"


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations; this one is needed now.
    # The historical app config has no models module; create_permissions needs one set.
    app_config = apps.get_app_config("messaging")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="messaging", codename="moderate_messages")
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
