"""The place picker: works without JavaScript, and with htmx fragments."""

import pytest
from django.urls import reverse

from singleportal.geo.forms import PlaceForm
from singleportal.geo.models import Level
from tests.conftest import in_english

pytestmark = pytest.mark.django_db
PICKER = reverse("geo:place_picker")


def options(html, name):
    """Option texts of the select called `name`."""
    start = html.index(f'name="{name}"')
    return html[start : html.index("</select>", start)]


def test_first_visit_offers_the_provinces_and_locks_the_rest(client):
    html = client.get(PICKER).content.decode()
    assert 'for="id_province"' in html and "ភ្នំពេញ" in options(html, "province")
    district = html[html.index('name="district"') - 200 : html.index('name="district"') + 200]
    assert "disabled" in district
    assert "There is a problem" not in html


def test_without_javascript_continue_lists_the_districts_of_the_province(client):
    in_english(client)
    html = client.get(PICKER, {"province": "17"}).content.decode()
    districts = options(html, "district")
    assert "Angkor Thum" in districts and "Chamkar Mon" not in districts
    assert "There is a problem" not in html  # the list was just opened: no error yet


def test_names_are_in_khmer_by_default(client):
    html = client.get(PICKER, {"province": "17"}).content.decode()
    assert "អង្គរធំ" in options(html, "district")


def test_a_list_seen_and_left_empty_is_an_error(client):
    in_english(client)
    html = client.get(PICKER, {"province": "17", "district": ""}).content.decode()
    assert "There is a problem" in html
    assert "Choose the district, municipality or khan." in html


def test_a_district_from_another_province_is_cleared_quietly(client):
    in_english(client)
    html = client.get(
        PICKER, {"province": "17", "district": "1201", "commune": ""}
    ).content.decode()
    assert "There is a problem" not in html
    assert 'value="" selected>' in options(html, "district")  # back to "Choose a district"


def test_the_whole_place_is_shown_once_chosen(client):
    in_english(client)
    chosen = {"province": "17", "district": "1710", "commune": "171001", "village": "17100102"}
    html = client.get(PICKER, chosen).content.decode()
    assert "You chose" in html
    assert "Boeng Doun Pa (17100102)" in html and "Siemreap (17)" in html


def test_the_page_pins_its_queries(client, django_assert_max_num_queries):
    chosen = {"province": "17", "district": "1710", "commune": "171001", "village": "17100102"}
    with django_assert_max_num_queries(14):
        client.get(PICKER, chosen)


def test_selects_ask_htmx_for_the_next_list(client):
    html = client.get(PICKER).content.decode()
    assert f'hx-get="{reverse("geo:place_options", args=["district"])}"' in html
    assert 'hx-target="#id_district-field"' in html


def test_htmx_fragment_brings_the_next_list_and_empties_the_lower_ones(client):
    in_english(client)
    url = reverse("geo:place_options", args=["district"])
    response = client.get(url, {"province": "17"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html  # a fragment, not a page
    assert 'id="id_district-field"' in html and "Angkor Thum" in options(html, "district")
    assert 'id="id_commune-field" hx-swap-oob="true"' in html
    assert 'id="id_village-field" hx-swap-oob="true"' in html


def test_fragment_accepts_parent_param(client):
    in_english(client)
    url = reverse("geo:place_options", args=["village"])
    html = client.get(url, {"parent": "171001"}).content.decode()
    assert "Boeng Doun Pa" in options(html, "village")
    assert "hx-swap-oob" not in html


@pytest.mark.parametrize(
    ("level", "params"),
    [("district", {"province": "99"}), ("commune", {}), ("hamlet", {"parent": "17"})],
)
def test_fragment_for_unknown_parent_or_level_is_404(client, level, params):
    url = reverse("geo:place_options", args=[level])
    assert client.get(url, params).status_code == 404


class CommuneForm(PlaceForm):
    place_levels = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)


def test_a_shorter_prefixed_form_gets_matching_fragments(client):
    form = CommuneForm(prefix="office")
    assert "village" not in form.fields
    url = form["province"].field.widget.attrs["hx-get"]
    assert "prefix=office" in url and "last=commune" in url
    html = client.get(url + "&office-province=17").content.decode()  # as htmx appends it
    assert 'name="office-district"' in html and 'id="id_office-commune-field"' in html
    assert "village" not in html


def test_every_select_has_a_label(client):
    html = client.get(PICKER).content.decode()
    for level in ("province", "district", "commune", "village"):
        assert f'<label for="id_{level}">' in html and f'id="id_{level}"' in html
