from django.db import migrations


def install(apps, schema_editor):
    from ponleu.audit import triggers

    triggers.install(schema_editor.connection, tables=("audit_accesseventtarget",))


def remove(apps, schema_editor):
    from ponleu.audit import triggers

    triggers.remove(schema_editor.connection, tables=("audit_accesseventtarget",))


class Migration(migrations.Migration):
    """Extend the append-only triggers to the access-event target index."""

    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [migrations.RunPython(install, remove)]
