from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0002_seed_legal_forms"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="resume_step",
            field=models.CharField(blank=True, editable=False, max_length=20),
        ),
    ]
