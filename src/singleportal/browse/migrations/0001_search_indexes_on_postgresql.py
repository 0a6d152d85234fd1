from django.db import migrations

# Indexes for the text search (browse/text.py) on PostgreSQL; SQLite has no trigram or
# full-text indexes, and its fallback (substring match) reads the rows it filters anyway.
# The expressions are copied from what browse/text.py makes Django write, so the planner
# recognises them (tests/browse/test_postgresql.py checks it does); they are frozen here so this
# migration never changes.
#
# - Trigram GIN on every normalised text a word is looked for in (titles, techniques, names,
#   Khmer descriptions and stories): serve LIKE '%word%', and on titles and names the
#   near-spelling match (%>). Each word is read as one set of ids per field.
# - GIN on the weighted English text vectors: serves the full-text match (@@).
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"  # core.text.INVISIBLE_CHARACTERS


def _normalised(column: str) -> str:
    """browse.text.searchable: English in lower case; Khmer titles and names without invisible
    characters; long Khmer texts as stored (English ones are read through the vectors)."""
    if column.endswith("_en"):
        return f"(lower({column}))"
    if column in LONG:
        return f"({column})"
    return f"(translate({column}, '{INVISIBLE}', ''))"


def _english(weighted: tuple[tuple[str, str], ...]) -> str:
    parts = [
        f"setweight(to_tsvector('english'::regconfig, COALESCE({column}, '')), '{weight}')"
        for column, weight in weighted
    ]
    vector = parts[0]
    for part in parts[1:]:
        vector = f"({vector} || {part})"
    return f"({vector})"


LONG = ("description_km", "story_km")
TRIGRAM = (
    ("browse_product_title_km_trgm", "catalog_product", "title_km"),
    ("browse_product_title_en_trgm", "catalog_product", "title_en"),
    ("browse_product_technique_km_trgm", "catalog_product", "technique_km"),
    ("browse_product_technique_en_trgm", "catalog_product", "technique_en"),
    ("browse_profile_name_km_trgm", "directory_profile", "name_km"),
    ("browse_profile_name_en_trgm", "directory_profile", "name_en"),
    ("browse_product_description_km_trgm", "catalog_product", "description_km"),
    ("browse_profile_story_km_trgm", "directory_profile", "story_km"),
)
ENGLISH = (
    (
        "browse_product_english",
        "catalog_product",
        (("title_en", "A"), ("technique_en", "B"), ("description_en", "C")),
    ),
    ("browse_profile_english", "directory_profile", (("name_en", "A"), ("story_en", "C"))),
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in TRIGRAM:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin ({_normalised(column)} gin_trgm_ops)"
        )
    for name, table, weighted in ENGLISH:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({_english(weighted)})"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in TRIGRAM:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    for name, _table, _weighted in ENGLISH:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("directory", "0001_initial"),
        ("registry", "0002_trigram_search_on_postgresql"),
    ]
    operations = [migrations.RunPython(create, drop)]
