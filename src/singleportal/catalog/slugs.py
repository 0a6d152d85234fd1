"""Product page addresses: readable where an English title exists, unique by a random end."""

import secrets

from django.utils.text import slugify

from singleportal.catalog.models import Product

SLUG_WORDS = 50


def slug_candidate(title_en: str, title_km: str) -> str:
    """A readable start (the English title; Khmer titles give "product") and a random end."""
    start = slugify(title_en)[:SLUG_WORDS].strip("-") or "product"
    return f"{start}-{secrets.token_hex(4)}"


def unique_slugs(titles: list[tuple[str, str]]) -> list[str]:
    """One free slug per (title_en, title_km), checked against the table in one query."""
    slugs = [slug_candidate(en, km) for en, km in titles]
    while True:
        taken = set(Product.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        seen: set[str] = set()
        clashes = 0
        for index, slug in enumerate(slugs):
            if slug in taken or slug in seen:
                slugs[index] = slug_candidate(*titles[index])
                clashes += 1
            seen.add(slugs[index])
        if not clashes:
            return slugs
