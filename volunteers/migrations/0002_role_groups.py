"""Create the four role groups (volunteer, organiser, coordinator, admin); give admin its model permissions.

Organisers and coordinators act through services that check their role (volunteers.roles), not
through model permissions, so their groups hold none. The admin group holds what the Django admin
needs to run accounts and reference data.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = ("volunteer", "organiser", "coordinator", "admin")

ADMIN_PERMISSIONS = {
    ("volunteers", "user"): ("view", "add", "change", "delete"),
    ("volunteers", "organisation"): ("view", "add", "change", "delete"),
    # Regions are reference data: their names and population are edited, the 20 codes are fixed.
    # They were campaigns' when this ran first; campaigns 0004 moved them, permissions and all, to the
    # reference app, whose key is the one groups_ensure finds after every later migrate and flush.
    ("campaigns", "region"): ("view", "change"),
    ("reference", "region"): ("view", "change"),
    ("campaigns", "campaign"): ("view",),
    ("auth", "group"): ("view",),
    ("account", "emailaddress"): ("view", "change"),
    ("authtoken", "tokenproxy"): ("view", "delete"),
}


def create_role_groups(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate); create them now so the
    # admin group can be given them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    groups_ensure(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def groups_ensure(Group, Permission) -> None:  # noqa: N803  (model classes)
    """Create the role groups that are missing and give admin the permissions that exist.

    Also called after every migrate and flush (volunteers/apps.py), with the real models."""
    for name in ROLES:
        Group.objects.get_or_create(name=name)

    admin = Group.objects.get(name="admin")
    for (app_label, model), actions in ADMIN_PERMISSIONS.items():
        codenames = [f"{action}_{model}" for action in actions]
        admin.permissions.add(*Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))


def delete_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("volunteers", "0001_initial"),
        ("campaigns", "0003_campaign"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("account", "0009_emailaddress_unique_primary_email"),
        ("authtoken", "0004_alter_tokenproxy_options"),
    ]
    operations = [migrations.RunPython(create_role_groups, delete_role_groups)]
