"""Seed the eight legal forms with their default rules (applications/reference.py)."""

from django.db import migrations


def seed(apps, schema_editor):
    from singleportal.applications.reference import seed_legal_forms

    seed_legal_forms(apps.get_model("applications", "LegalForm"))


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop, elidable=False)]
