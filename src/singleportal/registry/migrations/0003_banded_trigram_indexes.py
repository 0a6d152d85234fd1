from django.db import migrations

# One partial GIN trigram index per band of key sizes (names/search.py, KEY_SIZE_BANDS; the
# list is copied here so this migration never changes; tests check the two agree). They replace
# the single indexes of 0002: a search asks each band for a stricter share of trigrams.
BANDS = (
    (0, 6), (7, 8), (9, 10), (11, 12), (13, 15), (16, 18), (19, 22), (23, 27), (28, 33),
    (34, 40), (41, 49), (50, 60), (61, 74), (75, 91), (92, 112), (113, 138), (139, 170),
    (171, 210), (211, 32767),
)  # fmt: skip
SCRIPTS = (("en", "name_en_key", "name_en_key_size"), ("km", "name_km_key", "name_km_key_size"))


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS registry_business_en_key_trgm")
    schema_editor.execute("DROP INDEX IF EXISTS registry_business_km_key_trgm")
    for script, key, size in SCRIPTS:
        # Equal keys (similarity 1) in registration-number order, without a trigram search.
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS registry_{script}_key_exact "
            f"ON registry_business ({key}, registration_number)"
        )
        for low, high in BANDS:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS registry_{script}_key_trgm_{low}_{high} "
                f"ON registry_business USING gin ({key} gin_trgm_ops) "
                f"WHERE {size} BETWEEN {low} AND {high}"
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for script, key, _size in SCRIPTS:
        schema_editor.execute(f"DROP INDEX IF EXISTS registry_{script}_key_exact")
        for low, high in BANDS:
            schema_editor.execute(f"DROP INDEX IF EXISTS registry_{script}_key_trgm_{low}_{high}")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS registry_business_{script}_key_trgm "
            f"ON registry_business USING gin ({key} gin_trgm_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_trigram_search_on_postgresql")]
    operations = [migrations.RunPython(create, drop)]
