"""The directory's pages: who may open each (default deny), what the public sees."""

import pytest
from django.conf import settings

from singleportal.directory import actions
from singleportal.directory.models import ClaimDecision, ProfileMember
from tests.directory.conftest import sign_in
from tests.directory.factories import group_profile, imported, registered_by, user

pytestmark = pytest.mark.django_db
ACTORS = ("anonymous", "other", "buyer", "owner", "staff_member", "programme_staff")
SIGN_IN = "sign-in"


def status(client, people, who, method, url, data=None):
    sign_in(client, getattr(people, who))
    response = getattr(client, method)(url, data or {})
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return SIGN_IN
    return response.status_code


# For each page, the expected answer per actor in ACTORS' order.
MATRIX = {
    ("get", "/directory/"): (200, 200, 200, 200, 200, 200),
    ("get", "/directory/{slug}/"): (200, 200, 200, 200, 200, 200),
    ("get", "/directory/mine/"): (SIGN_IN, 200, 200, 200, 200, 200),
    ("get", "/directory/claim/"): (SIGN_IN, 200, 200, 200, 200, 200),
    ("get", "/directory/new/"): (SIGN_IN, 200, 200, 200, 200, 200),
    ("get", "/directory/{slug}/edit/"): (SIGN_IN, 403, 403, 200, 200, 403),
    ("post", "/directory/{slug}/edit/"): (SIGN_IN, 403, 403, 422, 422, 403),
    ("get", "/directory/{slug}/photos/"): (SIGN_IN, 403, 403, 200, 200, 403),
    ("post", "/directory/{slug}/photos/"): (SIGN_IN, 403, 403, 422, 422, 403),
    ("post", "/directory/{slug}/photos/1/remove/"): (SIGN_IN, 403, 403, 302, 302, 403),
    ("get", "/directory/{slug}/members/"): (SIGN_IN, 403, 403, 200, 200, 403),
    ("post", "/directory/{slug}/members/"): (SIGN_IN, 403, 403, 422, 403, 403),
    ("post", "/directory/{slug}/members/999/remove/"): (SIGN_IN, 403, 403, 302, 403, 403),
    ("get", "/directory/claims/"): (SIGN_IN, 403, 403, 403, 403, 200),
    ("post", "/directory/claims/{claim}/decide/"): (SIGN_IN, 403, 403, 403, 403, 302),
}


@pytest.mark.parametrize(("method", "route"), list(MATRIX), ids=[f"{m} {r}" for m, r in MATRIX])
@pytest.mark.parametrize("who", ACTORS)
def test_permission_matrix_of_every_page(client, people, method, route, who):
    pending = actions.claim_profile(
        user("Lay Sokha"), registration_number=imported().registration_number,
        officer_name="ឡាយ សុខា",
    ).claim  # fmt: skip
    url = route.format(slug=people.profile.slug, claim=pending.pk)
    expected = MATRIX[(method, route)][ACTORS.index(who)]
    assert status(client, people, who, method, url, {"decision": "refuse"}) == expected


def test_nobody_edits_another_business_profile_even_by_posting(client, people):
    other_profile = group_profile(people.other)
    sign_in(client, people.owner)
    response = client.post(f"/directory/{other_profile.slug}/edit/", {"name_km": "ចោរ"})
    assert response.status_code == 403
    other_profile.refresh_from_db()
    assert other_profile.name_km != "ចោរ"


@pytest.mark.parametrize("who", ["anonymous", "other", "staff_member"])
def test_only_an_owner_adds_members(client, people, who):
    newcomer = user("New Comer")
    status(client, people, who, "post", f"/directory/{people.profile.slug}/members/",
           {"identifier": newcomer.username})  # fmt: skip
    assert not ProfileMember.objects.filter(user=newcomer).exists()


def test_an_owner_adds_a_staff_member_by_email_who_then_edits(client, people):
    newcomer = user("New Comer")
    sign_in(client, people.owner)
    response = client.post(f"/directory/{people.profile.slug}/members/",
                           {"identifier": newcomer.username.upper()})  # fmt: skip
    assert response.status_code == 302
    client.force_login(newcomer)
    assert client.get(f"/directory/{people.profile.slug}/edit/").status_code == 200


def test_adding_an_unknown_account_says_so(client, people):
    sign_in(client, people.owner)
    response = client.post(f"/directory/{people.profile.slug}/members/",
                           {"identifier": "nobody@example.com"})  # fmt: skip
    assert response.status_code == 422
    assert "nobody@example.com" in response.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "other"])
def test_contact_details_are_hidden_from_the_public_and_other_users(client, people, who):
    sign_in(client, getattr(people, who))
    body = client.get(f"/directory/{people.profile.slug}/").content.decode()
    assert "sales@takeosilk.example" not in body and "012 555 123" not in body
    assert "Sign in as a buyer to see contact details" in body or (
        who == "other" and "not a buyer" in body
    )


@pytest.mark.parametrize("who", ["buyer", "owner", "staff_member", "programme_staff"])
def test_contact_details_are_shown_to_buyers_members_and_programme_staff(client, people, who):
    sign_in(client, getattr(people, who))
    body = client.get(f"/directory/{people.profile.slug}/").content.decode()
    assert "sales@takeosilk.example" in body and "012 555 123" in body


def test_the_profile_page_shows_the_badge_register_facts_and_link_preview_tags(client, people):
    body = client.get(f"/directory/{people.profile.slug}/").content.decode()
    business = people.profile.business
    assert "Verified in the register" in body
    assert f'href="/registry/{business.registration_number}/"' in body
    assert "Private limited company" in body and "1312" in body
    url = f"{settings.SITE_URL}/directory/{people.profile.slug}/"
    assert f'<link rel="canonical" href="{url}">' in body
    assert f'<meta property="og:url" content="{url}">' in body
    assert f'<meta property="og:title" content="{business.name_en}">' in body
    assert '<meta property="og:description" content="យើងត្បាញសូត្រ">' in body


def test_an_unregistered_group_is_marked_and_offered_registration(client):
    group = group_profile(user())
    body = client.get(f"/directory/{group.slug}/").content.decode()
    assert "Not registered" in body and "Verified in the register" not in body
    assert "Register this business" in body and "/names/?name_km=" in body


def test_an_english_page_shows_the_khmer_story_with_a_note(client, people):
    body = client.get(f"/directory/{people.profile.slug}/").content.decode()
    assert "Shown in Khmer: no English version yet." in body
    assert '<div class="story" lang="km"><p>យើងត្បាញសូត្រ</p></div>' in body


def test_a_khmer_page_shows_the_khmer_story_without_a_note(client, people):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "km"
    body = client.get(f"/directory/{people.profile.slug}/").content.decode()
    assert "<p>យើងត្បាញសូត្រ</p>" in body
    assert "no English version yet" not in body


def test_a_hidden_profile_is_not_found_by_the_public_but_seen_by_its_members(client, people):
    actions.update_profile(people.profile, by=people.owner, changes={"published": False})
    assert client.get(f"/directory/{people.profile.slug}/").status_code == 404
    assert people.profile.slug not in client.get("/directory/").content.decode()
    sign_in(client, people.staff_member)
    assert client.get(f"/directory/{people.profile.slug}/").status_code == 200


def test_claim_page_refuses_a_stranger_and_names_the_reason(client, people):
    business = registered_by(user("Someone"))
    sign_in(client, people.other)
    response = client.post(
        "/directory/claim/", {"registration_number": business.registration_number}
    )
    assert response.status_code == 422
    assert "does not name you" in response.content.decode()


def test_claim_page_makes_the_applicant_owner_and_opens_the_edit_page(client):
    applicant = user()
    business = registered_by(applicant)
    client.force_login(applicant)
    response = client.post(
        "/directory/claim/", {"registration_number": business.registration_number}
    )
    assert response.status_code == 302 and response["Location"].endswith("/edit/")
    assert ProfileMember.objects.get(user=applicant).profile.business == business


def test_programme_staff_approve_a_claim_from_the_queue(client, people):
    claimant = user("Lay Sokha")
    claim = actions.claim_profile(claimant, registration_number=imported().registration_number,
                                  officer_name="ឡាយ សុខា").claim  # fmt: skip
    sign_in(client, people.programme_staff)
    assert "ឡាយ សុខា" in client.get("/directory/claims/").content.decode()
    client.post(f"/directory/claims/{claim.pk}/decide/", {"decision": "approve"})
    assert ClaimDecision.objects.get(claim=claim).outcome == "approved"
    assert ProfileMember.objects.filter(user=claimant, role="owner").exists()


def test_a_signed_in_user_creates_a_group_profile_from_the_form(client):
    maker = user()
    client.force_login(maker)
    response = client.post(
        "/directory/new/",
        {"name_km": "ក្រុមកន្ត្រក ភូមិ", "name_en": "Village Basket Group", "province": "12",
         "district": "1201", "commune": "120101", "export_experience": "none",
         "published": "on", "women_artisans_percent": "80"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == "/directory/village-basket-group/"
    assert ProfileMember.objects.get(user=maker).role == "owner"


def test_the_profile_page_names_languages_markets_and_trade_terms(client, people):
    changes = {"languages": ["km", "fr"], "export_experience": "regular",
               "export_markets": ["JP"], "lead_time_days": 21, "team_size": 1}  # fmt: skip
    actions.update_profile(people.profile, by=people.owner, changes=changes)
    body = client.get(f"/directory/{people.profile.slug}/").content.decode()
    assert "Khmer, French" in body
    assert "Exports regularly: Japan" in body
    assert "21 days" in body and "1 person" in body


def test_the_operator_sees_profiles_and_claims_read_only_in_the_admin(client, people):
    from singleportal.accounts.models import Role
    from tests.factories import PASSWORD, UserFactory, current_totp, totp_device

    operator = UserFactory(roles=[Role.OPERATOR], is_staff=True, is_superuser=True)
    device = totp_device(operator)
    client.post("/accounts/login/", {"username": operator.email, "password": PASSWORD})
    client.post("/accounts/second-factor/", {"token": current_totp(device)})
    assert people.profile.slug in client.get("/admin/directory/profile/").content.decode()
    claims = client.get("/admin/directory/profileclaim/").content.decode()
    assert people.profile.business.registration_number in claims
    change = client.get(f"/admin/directory/profile/{people.profile.pk}/change/")
    assert change.status_code == 200 and b'name="_save"' not in change.content


def test_the_claim_page_offers_to_link_only_the_groups_the_user_owns(client):
    applicant = user()
    own_group = group_profile(applicant, name_en="Own Group")
    someone = user("Someone")
    staff_group = group_profile(someone, name_en="Staff Group")
    actions.add_member(staff_group, by=someone, identifier=applicant.username)
    client.force_login(applicant)
    page = client.get("/directory/claim/", {"link": own_group.slug}).content.decode()
    assert f'<option value="{own_group.pk}" selected>' in page
    assert f'value="{staff_group.pk}"' not in page
    business = registered_by(applicant)
    response = client.post("/directory/claim/", {
        "registration_number": business.registration_number, "link_profile": own_group.pk,
    })  # fmt: skip
    assert response["Location"] == f"/directory/{own_group.slug}/edit/"
    own_group.refresh_from_db()
    assert own_group.business == business
