"""Create the default guidance and checklist items of the five steps (see daks/strategy/defaults.py)."""

from django.db import migrations

from daks.strategy.defaults import create_defaults


def forwards(apps, schema_editor):
    create_defaults(apps.get_model("strategy", "StepGuidance"), apps.get_model("strategy", "ChecklistItem"))


class Migration(migrations.Migration):
    dependencies = [("strategy", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
