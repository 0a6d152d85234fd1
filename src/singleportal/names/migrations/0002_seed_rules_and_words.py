from django.db import migrations

# Defaults from names/defaults.py, seeded once; the operator edits the rows afterwards.


def seed(apps, schema_editor):
    from singleportal.names.defaults import DEFAULT_RESTRICTED_WORDS, DEFAULT_RULES

    NameRule = apps.get_model("names", "NameRule")
    RestrictedWord = apps.get_model("names", "RestrictedWord")
    for rule in DEFAULT_RULES:
        NameRule.objects.update_or_create(
            code=rule.code,
            defaults={
                "script": rule.script,
                "kind": rule.kind,
                "stage": rule.stage,
                "position": rule.position,
                "params": rule.params,
                "description_km": rule.description_km,
                "description_en": rule.description_en,
                "enabled": rule.enabled,
            },
        )
    for code, script, word, kind, reason_en, reason_km in DEFAULT_RESTRICTED_WORDS:
        RestrictedWord.objects.update_or_create(
            code=code,
            defaults={
                "script": script,
                "word": word,
                "kind": kind,
                "reason_en": reason_en,
                "reason_km": reason_km,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("names", "NameRule").objects.all().delete()
    apps.get_model("names", "RestrictedWord").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("names", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
