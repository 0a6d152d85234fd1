"""What the product search finds, and what its facets count (both databases)."""

import datetime

import pytest
from django.utils import timezone

from singleportal.browse.filters import ProductFilters
from singleportal.browse.selectors.products import search_products
from singleportal.payments.models import ExchangeRate
from tests.browse.factories import PHNOM_PENH, SIEM_REAP, TAKEO, mark, producer, product

pytestmark = pytest.mark.django_db


def find(**params) -> list[str]:
    """The English titles the search returns, in its order."""
    multi = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
    filters = ProductFilters.from_params(_Params(multi))
    assert filters.errors() == []
    return [p.title_en for p in search_products(filters, limit=50).items]


def facets(**params) -> dict:
    multi = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
    results = search_products(ProductFilters.from_params(_Params(multi)))
    return {"total": results.total, **results.facets}


class _Params(dict):
    def get(self, key, default=None):
        values = super().get(key)
        return values[-1] if values else default

    def getlist(self, key):
        return list(super().get(key, []))


def test_silk_home_textiles_from_verified_producers_in_siem_reap_is_the_cushion(market):
    found = find(material="silk", category="home_textiles", verified="1", province=SIEM_REAP)
    assert found == ["Silk cushion cover"]


def test_without_filters_every_published_product_is_found_newest_first(market):
    assert find() == [
        "Cotton cushion cover", "Silk scarf", "Silk table runner", "Silk cushion cover",
    ]  # fmt: skip


def test_each_facet_counts_the_search_without_its_own_filter(market):
    counts = facets(material="silk", province=SIEM_REAP)
    assert counts["total"] == 2  # the cushion and the unverified runner
    # Materials ignore the material filter: the Siem Reap products are two silk, one cotton.
    assert counts["material"] == {"silk": 2, "cotton": 1}
    # Provinces ignore the province filter: silk is in Siem Reap twice and Takeo once.
    assert counts["province"] == {SIEM_REAP: 2, TAKEO: 1}
    assert counts["category"] == {"home_textiles": 2}
    assert counts["verified"] == {"1": 1}
    assert counts["export"] == {"1": 1}


def test_the_flags_count_leaving_out_their_own_choice_only(market):
    counts = facets(verified="1", export="1", material="silk")
    assert counts["total"] == 2  # the cushion and the scarf: both producers export
    assert counts["verified"] == {"1": 2}  # among the exporters of silk
    assert counts["export"] == {"1": 2}  # among the verified producers of silk


def test_english_words_match_in_any_order_and_case(market):
    assert find(q="COVER silk") == ["Silk cushion cover"]
    assert set(find(q="Cushion")) == {"Silk cushion cover", "Cotton cushion cover"}


def test_khmer_words_match_inside_longer_titles(market):
    assert set(find(q="សូត្រ")) == {"Silk cushion cover", "Silk table runner", "Silk scarf"}


def test_a_khmer_query_matches_with_or_without_zero_width_spaces(market):
    zwsp = "\u200b"
    spaced = product(market.angkor, "Krama", f"ក្រមា{zwsp}ឆ្នូត{zwsp}សូត្រ", category="scarves")
    assert "Krama" in find(q="ក្រមាឆ្នូត")  # stored with ZWSP, typed without
    assert "Silk scarf" in find(q=f"ក្រមា{zwsp}សូត្រ")  # stored without, typed with
    assert spaced.title_en in find(q=f"ឆ្នូត{zwsp}សូត្រ")


def test_a_khmer_word_is_found_in_a_khmer_description(market):
    described = product(
        market.angkor, "Scarf", "ក្រមា", category="scarves",
        description_km="<p>ត្បាញ\u200bដោយ\u200bដៃ\u200bពី\u200bសូត្រ\u200bធម្មជាតិ</p>",
    )  # fmt: skip
    assert find(q="ធម្មជាតិ") == [described.title_en]


def test_a_word_naming_a_material_finds_products_made_of_it(market):
    plain = product(market.angkor, "Cushion cover with tassels", "ស្រោមខ្នើយ", materials=("silk",))
    assert plain.title_en in find(q="silk")
    assert plain.title_en not in find(q="cotton")


def test_the_producers_name_is_searched_too(market):
    assert set(find(q="takeo")) == {"Silk scarf"}


def test_unpublished_products_and_products_of_hidden_profiles_are_never_found(market):
    product(market.angkor, "Hidden silk pillow", published=False)
    hidden = producer("Hidden Weavers", province=SIEM_REAP, published=False)
    product(hidden, "Silk pillow of a hidden profile")
    found = find(q="silk")
    assert "Hidden silk pillow" not in found
    assert "Silk pillow of a hidden profile" not in found
    assert facets()["total"] == 4


def test_the_province_is_the_products_origin_else_its_producers(market):
    product(market.angkor, "Takeo-woven silk", origin_province=TAKEO)
    assert set(find(province=TAKEO)) == {"Silk scarf", "Takeo-woven silk"}
    assert "Takeo-woven silk" not in find(province=SIEM_REAP)


def test_only_marks_verified_and_valid_today_are_counted_and_filtered(market):
    today = timezone.localdate()
    mark(market.cushion, "ovop")
    mark(market.scarf, "ovop", status="pending")
    mark(market.cotton, "ovop", valid_from=today - datetime.timedelta(days=400),
         valid_until=today - datetime.timedelta(days=35))  # fmt: skip
    mark(market.unverified, "ovop", status="rejected")
    mark(market.unverified, "fair_trade", valid_until=today + datetime.timedelta(days=1))
    assert facets()["mark"] == {"ovop": 1, "fair_trade": 1}
    assert find(mark="ovop") == ["Silk cushion cover"]
    assert set(find(mark=["ovop", "fair_trade"])) == {"Silk cushion cover", "Silk table runner"}


def test_export_ready_means_the_producer_exported_already(market):
    assert set(find(export="1")) == {"Silk cushion cover", "Cotton cushion cover", "Silk scarf"}


def test_several_values_of_one_facet_match_any_of_them(market):
    assert set(find(category=["scarves", "home_textiles"], material="silk")) == {
        "Silk cushion cover", "Silk table runner", "Silk scarf",
    }  # fmt: skip


def test_the_minimum_order_is_the_products_else_the_producers(market):
    wholesale = producer("Wholesale Only", province=PHNOM_PENH, minimum_order_units=100)
    product(wholesale, "Big order silk", materials=("silk",))
    product(market.angkor, "Small order silk", moq=5)
    product(market.angkor, "Large order silk", moq=50)
    found = find(moq_max="10", q="silk")
    assert "Small order silk" in found
    assert "Silk cushion cover" in found  # states no minimum: kept
    assert "Large order silk" not in found
    assert "Big order silk" not in found
    assert "Large order silk" in find(moq_max="៥០", q="silk")  # Khmer digits


class TestPrice:
    @pytest.fixture
    def priced(self, db):
        ExchangeRate.objects.all().delete()  # the payments seed has one; each test sets its own
        maker = producer("Price Weavers", province=PHNOM_PENH)
        return {
            "cheap": product(maker, "Cheap", currency="USD", retail=(500, 900)),
            "mid": product(maker, "Mid", currency="USD", retail=(2000, 3000)),
            "wholesale": product(
                maker, "Wholesale", currency="USD", retail=(None, None), wholesale=(1000, 1200)
            ),
            "riel": product(maker, "Riel", currency="KHR", retail=(41000, 61500)),
            "unpriced": product(maker, "Unpriced", currency="USD", retail=(None, None)),
        }

    def test_a_range_keeps_products_whose_prices_meet_it(self, priced):
        assert set(find(price_min="10", price_max="12")) == {"Wholesale"}
        assert set(find(price_min="8.50")) == {"Cheap", "Mid", "Wholesale"}

    def test_without_a_rate_only_products_in_the_chosen_currency_are_compared(self, priced):
        assert set(find(price_max="15", currency="USD")) == {"Cheap", "Wholesale"}
        assert set(find(price_min="40000", currency="KHR")) == {"Riel"}

    def test_with_the_days_rate_the_other_currency_is_converted(self, priced):
        ExchangeRate.objects.create(day=timezone.localdate(), khr_per_usd=4100)
        # 41,000 to 61,500 riel is 10.00 to 15.00 US dollars at 4,100.
        assert set(find(price_min="15", price_max="16", currency="USD")) == {"Riel"}
        assert set(find(price_max="9.99", currency="USD")) == {"Cheap"}
        assert set(find(price_max="10", currency="USD")) == {"Cheap", "Wholesale", "Riel"}
        # 4,100 riel is 1 dollar: the cheap product's 5.00 to 9.00 dollars.
        assert set(find(price_min="20500", price_max="36900", currency="KHR")) == {"Cheap"}

    def test_a_rate_of_an_earlier_day_is_used_when_today_has_none(self, priced):
        ExchangeRate.objects.create(
            day=timezone.localdate() - datetime.timedelta(days=3), khr_per_usd=4100
        )
        assert "Riel" in find(price_min="15", currency="USD")


def test_relevance_puts_a_title_hit_above_a_description_hit(market):
    described = product(
        market.angkor, "Table runner", description_en="<p>Woven from scarf silk</p>"
    )
    found = find(q="scarf")
    assert found[0] == "Silk scarf"
    assert described.title_en in found


def test_newest_first_when_asked_even_with_words(market):
    old = product(market.angkor, "Old silk scarf", category="scarves",
                  created_at=timezone.now() - datetime.timedelta(days=30))  # fmt: skip
    assert find(q="scarf", sort="newest")[-1] == old.title_en


def test_pages_follow_each_other_without_repeats_in_both_sorts(market):
    maker = producer("Many Weavers", province=PHNOM_PENH)
    moment = timezone.now()
    for i in range(45):  # some share a creation time: the id breaks ties
        product(maker, f"Silk napkin {i}", created_at=moment - datetime.timedelta(minutes=i // 3))
    for params in ({}, {"q": "napkin"}):
        seen: list[str] = []
        cursor = ""
        while True:
            multi = {k: [v] for k, v in params.items()}
            page = search_products(ProductFilters.from_params(_Params(multi)), cursor=cursor)
            seen += [p.title_en for p in page.items]
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
        assert len(seen) == len(set(seen)) == (49 if not params else 45)
