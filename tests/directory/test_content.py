"""What a profile accepts: cleaned HTML, a percentage, known languages and countries, places
that fit together; bilingual texts that fall back with a note."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from singleportal.core.bilingual import bilingual, pick
from singleportal.core.richtext import clean_html
from singleportal.directory import actions
from singleportal.directory.actions.profiles import unique_slug
from singleportal.directory.models import Profile
from tests.directory.conftest import sign_in
from tests.directory.factories import group_profile, user

pytestmark = pytest.mark.django_db


def refused(profile, owner, **changes) -> dict:
    with pytest.raises(ValidationError) as caught:
        actions.update_profile(profile, by=owner, changes=changes)
    return caught.value.message_dict


def test_story_html_keeps_the_allowed_tags_and_loses_scripts_links_and_attributes():
    owner = user()
    profile = group_profile(owner)
    story = (
        '<p class="x" onclick="steal()">We <strong>weave</strong> <em>silk</em><br>'
        "<script>alert(1)</script><style>p{}</style>"
        '<a href="https://spam.example">buy</a><img src=x onerror=alert(2)></p>'
        "<ul><li>kramas</li></ul><ol><li>scarves</li></ol><iframe src=//x></iframe>"
    )
    actions.update_profile(profile, by=owner, changes={"story_en": story})
    profile.refresh_from_db()
    assert profile.story_en == (
        "<p>We <strong>weave</strong> <em>silk</em><br>buy</p>"
        "<ul><li>kramas</li></ul><ol><li>scarves</li></ol>"
    )


def test_sanitised_story_is_what_the_page_shows(client):
    owner = user()
    profile = group_profile(owner, story_en="<p>Hello<script>document.title='x'</script></p>")
    body = client.get(f"/directory/{profile.slug}/").content.decode()
    assert "<p>Hello</p>" in body and "document.title" not in body


def test_clean_html_of_nothing_is_empty():
    assert clean_html("") == "" and clean_html("  <script>x</script> ") == ""


@pytest.mark.parametrize("percent", [101, 250, -1])
def test_a_women_share_outside_0_to_100_is_refused_with_the_message(percent):
    owner = user()
    errors = refused(group_profile(owner), owner, women_artisans_percent=percent)
    assert errors["women_artisans_percent"] == [
        "The share of women artisans is a percentage: enter a number from 0 to 100."
    ]


def test_the_edit_page_shows_the_women_share_message_beside_the_field(client):
    owner = user()
    profile = group_profile(owner, district="2101", commune="210101")
    sign_in(client, owner)
    data = {"name_km": profile.name_km, "province": "21", "district": "2101",
            "commune": "210101", "export_experience": "none",
            "women_artisans_percent": "120"}  # fmt: skip
    response = client.post(f"/directory/{profile.slug}/edit/", data)
    body = response.content.decode()
    assert response.status_code == 422
    assert "There is a problem" in body
    assert body.count("enter a number from 0 to 100") == 2  # the summary and the field


def test_khmer_digits_in_numbers_are_accepted_on_the_edit_page(client):
    owner = user()
    profile = group_profile(owner, district="2101", commune="210101")
    sign_in(client, owner)
    data = {"name_km": profile.name_km, "province": "21", "district": "2101",
            "commune": "210101", "export_experience": "regular", "team_size": "២៥",
            "women_artisans_percent": "៨០", "languages": ["km", "fr"], "export_markets": ["FR"],
            "story_km": "<p>រឿង</p>", "published": "on"}  # fmt: skip
    assert client.post(f"/directory/{profile.slug}/edit/", data).status_code == 302
    profile.refresh_from_db()
    assert (profile.team_size, profile.women_artisans_percent) == (25, 80)
    assert profile.languages == ["km", "fr"] and profile.export_markets == ["FR"]


def test_unknown_languages_and_countries_are_refused():
    owner = user()
    errors = refused(group_profile(owner), owner, languages=["xx"], export_markets=["ZZ"])
    assert errors["languages"] == ["Choose the languages from the list."]
    assert "ZZ" in errors["export_markets"][0]


def test_a_village_outside_the_commune_is_refused():
    owner = user()
    errors = refused(group_profile(owner), owner, province="21", district="2101",
                     commune="210101", village="12010101")  # fmt: skip
    assert errors["village"] == ["This place is not inside the one chosen above it."]


def test_a_group_needs_a_khmer_name():
    with pytest.raises(ValidationError) as caught:
        actions.create_unregistered_profile(user(), name_km="  ", name_en="Weavers")
    assert caught.value.message_dict["name_km"] == ["Enter the name in Khmer."]


def test_a_profile_address_avoids_the_directory_pages_and_taken_ones():
    assert unique_slug("Mine") == "mine-2"
    group_profile(user(), name_en="Koh Chen Silver")
    assert unique_slug("Koh Chen Silver") == "koh-chen-silver-2"
    assert unique_slug("", "ក្រុមត្បាញ").startswith("producer-")


def test_fallback_to_the_other_language_is_said():
    profile = Profile(story_km="រឿង", story_en="", name_km="ក្រុម", name_en="Group")
    with translation.override("en"):
        story = bilingual(profile, "story")
        assert (story.text, story.lang, story.fallback) == ("រឿង", "km", True)
        assert story.note == "Shown in Khmer: no English version yet."
        assert pick(profile, "name") == ("Group", None)
    with translation.override("km"):
        assert pick(profile, "story") == ("រឿង", None)
    profile.story_km, profile.story_en = "", "Story"
    with translation.override("km"):  # said in the page's language
        assert "អង់គ្លេស" in bilingual(profile, "story").note  # English
    profile.story_en = ""
    assert not bilingual(profile, "story")


def test_payment_terms_fall_back_with_a_note_on_the_page(client):
    profile = group_profile(user(), payment_terms_km="ទូទាត់ ៥០% មុន")
    body = client.get(f"/directory/{profile.slug}/").content.decode()
    assert "Shown in Khmer: no English version yet." in body and "ទូទាត់ ៥០% មុន" in body


def test_a_stored_story_is_unchanged_by_a_form_that_leaves_it_out():
    owner = user()
    profile = group_profile(owner, story_km="<p>រឿង</p>")
    actions.update_profile(profile, by=owner, changes={"team_size": 4})
    profile.refresh_from_db()
    assert profile.story_km == "<p>រឿង</p>" and profile.team_size == 4


def test_unknown_fields_are_refused():
    owner = user()
    errors = refused(group_profile(owner), owner, business=None)
    assert "business" in errors["__all__"][0]
