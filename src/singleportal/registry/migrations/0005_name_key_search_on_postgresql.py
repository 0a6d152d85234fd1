from django.db import migrations

# Similar-name search ranks distinct keys (registry_namekey) instead of businesses
# (names/search.py): one partial GIN trigram index per script and band of key sizes on the key
# table replaces the per-band indexes that 0003 put on registry_business. 0003's
# (key, registration_number) btree indexes on registry_business stay: they take the businesses
# of a key in order. BANDS is a copy of names.search.KEY_SIZE_BANDS (a test checks they agree)
# so that this migration never changes. SQLite: nothing (its fallback scores in Python).
BANDS = (
    (0, 6),
    (7, 8),
    (9, 10),
    (11, 12),
    (13, 15),
    (16, 18),
    (19, 22),
    (23, 27),
    (28, 33),
    (34, 40),
    (41, 49),
    (50, 60),
    (61, 74),
    (75, 91),
    (92, 112),
    (113, 138),
    (139, 170),
    (171, 210),
    (211, 32767),
)
SCRIPTS = (
    ("latin", "en", "name_en_key", "name_en_key_size"),
    ("khmer", "km", "name_km_key", "name_km_key_size"),
)

FILL_KEYS = """
INSERT INTO registry_namekey (script, key, key_size)
SELECT DISTINCT %s, {key}, {size} FROM registry_business WHERE {key} <> ''
ON CONFLICT (script, key) DO NOTHING
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for script, short, key, size in SCRIPTS:
        for low, high in BANDS:
            schema_editor.execute(f"DROP INDEX IF EXISTS registry_{short}_key_trgm_{low}_{high}")
            schema_editor.execute(
                f"CREATE INDEX registry_namekey_{short}_{low}_{high} ON registry_namekey "
                f"USING gin (key gin_trgm_ops) "
                f"WHERE script = '{script}' AND key_size BETWEEN {low} AND {high}"
            )
        schema_editor.execute(FILL_KEYS.format(key=key, size=size), [script])


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _script, short, key, size in SCRIPTS:
        for low, high in BANDS:
            schema_editor.execute(f"DROP INDEX IF EXISTS registry_namekey_{short}_{low}_{high}")
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS registry_{short}_key_trgm_{low}_{high} "
                f"ON registry_business USING gin ({key} gin_trgm_ops) "
                f"WHERE {size} BETWEEN {low} AND {high}"
            )


def fill_keys_everywhere(apps, schema_editor):
    """Keys of businesses loaded before this migration (SQLite too, for the same contract)."""
    if schema_editor.connection.vendor == "postgresql":
        return  # done in create()
    Business = apps.get_model("registry", "Business")
    NameKey = apps.get_model("registry", "NameKey")
    keys = set()
    for en, en_size, km, km_size in Business.objects.values_list(
        "name_en_key", "name_en_key_size", "name_km_key", "name_km_key_size"
    ).iterator():
        if en:
            keys.add(("latin", en, en_size))
        if km:
            keys.add(("khmer", km, km_size))
    NameKey.objects.bulk_create(
        [NameKey(script=s, key=k, key_size=n) for s, k, n in keys], ignore_conflicts=True
    )


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_name_keys")]
    operations = [
        migrations.RunPython(create, drop),
        migrations.RunPython(fill_keys_everywhere, migrations.RunPython.noop),
    ]
