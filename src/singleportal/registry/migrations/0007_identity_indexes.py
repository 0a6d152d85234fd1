from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("geo", "0002_load_places"),
        ("registry", "0006_name_search_in_process"),
    ]

    operations = [
        migrations.AlterField(
            model_name="business",
            name="name_en_normalized",
            field=models.CharField(editable=False, max_length=255),
        ),
        migrations.AlterField(
            model_name="business",
            name="name_km_normalized",
            field=models.CharField(editable=False, max_length=255),
        ),
        migrations.AddIndex(
            model_name="business",
            index=models.Index(
                fields=["name_km_normalized", "registration_number"], name="registry_km_identity"
            ),
        ),
        migrations.AddIndex(
            model_name="business",
            index=models.Index(
                fields=["name_en_normalized", "registration_number"], name="registry_en_identity"
            ),
        ),
    ]
