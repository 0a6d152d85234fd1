from django.db import migrations

from singleportal.payments.reference import seed_fees


def seed(apps, schema_editor):
    seed_fees(apps)


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_schedule_invoices_ledger")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
