"""What PostgreSQL adds to the text search (English stems, near spellings) and the indexes of
migration 0001 serving it. Skipped on SQLite, whose substring match the other tests cover."""

import pytest
from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import F

from singleportal.browse.filters import BusinessFilters
from singleportal.browse.selectors import businesses, products
from singleportal.browse.text import english_vector, searchable
from singleportal.catalog.models import Product
from singleportal.directory.models import Profile
from tests.browse.factories import producer, product
from tests.browse.test_product_search import find
from tests.conftest import in_english

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_english_words_match_by_their_stem(market):
    assert find(q="runners") == ["Silk table runner"]
    assert set(find(q="cushions")) == {"Silk cushion cover", "Cotton cushion cover"}


def test_a_misspelt_title_is_still_found(market):
    bag = product(market.angkor, "Hand embroidered silk bag", "កាបូបសូត្រ", category="bags")
    assert find(q="embroidred") == [bag.title_en]
    assert find(q="cushon cover")[0] in {"Silk cushion cover", "Cotton cushion cover"}


def test_the_page_says_when_it_shows_near_spellings(client, market):
    product(market.angkor, "Hand embroidered silk bag", "កាបូបសូត្រ", category="bags")
    in_english(client)
    html = client.get("/find/", {"q": "embroidred"})
    assert "Nothing is written “embroidred” exactly" in html.content.decode()
    assert "Hand embroidered silk bag" in html.content.decode()
    exact = client.get("/find/", {"q": "embroidered"}).content.decode()
    assert "exactly" not in exact


def test_a_title_hit_ranks_above_a_word_found_by_its_stem_in_a_description(market):
    product(market.angkor, "Cotton bag", description_en="<p>Matches our cushion covers</p>",
            category="bags")  # fmt: skip
    found = find(q="cushion")
    assert found[-1] == "Cotton bag"


def _plan(queryset) -> str:
    """The plan PostgreSQL picks when sequential scans are ruled out: whether an index can
    serve the condition at all (on a few test rows it would rightly scan the table)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    return queryset.explain()


@pytest.mark.parametrize(
    ("model", "column", "index"),
    [
        (Product, "title_km", "browse_product_title_km_trgm"),
        (Product, "title_en", "browse_product_title_en_trgm"),
        (Profile, "name_km", "browse_profile_name_km_trgm"),
        (Profile, "name_en", "browse_profile_name_en_trgm"),
        (Product, "technique_km", "browse_product_technique_km_trgm"),
        (Product, "technique_en", "browse_product_technique_en_trgm"),
    ],
)
def test_the_trigram_indexes_serve_substring_and_near_spelling_matches(model, column, index):
    normalised = model.objects.alias(text=searchable(column))
    assert index in _plan(normalised.filter(text__contains="silk"))
    assert index in _plan(normalised.filter(TrigramWordSimilar(F("text"), "silk")))


@pytest.mark.parametrize(
    ("model", "column", "index"),
    [
        (Product, "description_km", "browse_product_description_km_trgm"),
        (Profile, "story_km", "browse_profile_story_km_trgm"),
    ],
)
def test_the_trigram_indexes_serve_words_in_khmer_long_texts(model, column, index):
    texts = model.objects.alias(text=searchable(column, long=True))
    assert index in _plan(texts.filter(text__contains="សូត្រ"))


@pytest.mark.parametrize(
    ("model", "fields", "index"),
    [
        (Product, products.TEXT, "browse_product_english"),
        (Profile, businesses.TEXT, "browse_profile_english"),
    ],
)
def test_the_english_vector_indexes_serve_full_text_matches(model, fields, index):
    words = SearchQuery("silk scarves", search_type="websearch", config="english")
    matched = model.objects.alias(vector=english_vector(fields)).filter(vector=words)
    assert index in _plan(matched)


def test_a_business_is_found_by_a_near_spelling_of_its_name():
    producer("Kampong Cham Basketry", province="03")
    found = businesses.search_businesses(BusinessFilters(q="basketery")).items
    assert [p.name_en for p in found] == ["Kampong Cham Basketry"]
