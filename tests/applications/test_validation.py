"""Each legal form's rules, as the applicant sees them on submission."""

import pytest
from django.core.exceptions import ValidationError

from singleportal.applications import actions
from singleportal.applications.models import LegalForm
from singleportal.applications.validation import problems
from tests.applications.helpers import complete_application, person
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def messages(app):
    return [p.message for p in problems(app)]


def test_eight_legal_forms_are_seeded_with_khmer_names():
    forms = {f.code: f for f in LegalForm.objects.all()}
    assert len(forms) == 8
    assert forms["private_limited_company"].name_km == "ក្រុមហ៊ុនឯកជនទទួលខុសត្រូវមានកម្រិត"
    assert forms["private_limited_company"].min_capital_khr == 4_000_000
    assert forms["private_limited_company"].max_members == 30


@pytest.mark.parametrize(
    "legal_form",
    ["private_limited_company", "single_member_private_limited_company", "sole_proprietorship",
     "branch_of_foreign_company"],
)  # fmt: skip
def test_a_complete_file_has_no_problems(legal_form):
    user = UserFactory()
    shareholders = 1 if legal_form.startswith("single") else 2
    app = complete_application(user, legal_form, shareholders=shareholders)
    assert messages(app) == []


def test_too_few_shareholders_for_a_private_limited_company():
    app = complete_application(UserFactory(), shareholders=1)
    assert any("at least 2" in m for m in messages(app))


def test_too_many_shareholders_for_a_private_limited_company():
    user = UserFactory()
    app = complete_application(user, shareholders=2)
    for i in range(29):
        actions.add_party(app, user, **person("shareholder", f"ភាគីទី {i}", f"X{i}", 1))
    assert any("at most 30" in m for m in messages(app))


def test_capital_below_the_minimum_is_refused():
    user = UserFactory()
    app = complete_application(user)
    with pytest.raises(ValidationError) as caught:
        actions.save_capital(app, user, capital_khr=3_999_000, share_count=100)
    assert "capital_khr" in caught.value.message_dict


def test_par_value_below_4000_riel_is_refused():
    user = UserFactory()
    app = complete_application(user)
    with pytest.raises(ValidationError) as caught:
        actions.save_capital(app, user, capital_khr=4_000_000, share_count=2000)
    assert "2,000 KHR" in caught.value.message_dict["share_count"][0]


def test_shares_must_add_up_to_the_company_total():
    user = UserFactory()
    app = complete_application(user)
    actions.save_capital(app, user, capital_khr=8_000_000, share_count=2000)
    assert any("hold 1,000 shares in all, but the company has 2,000" in m for m in messages(app))


def test_a_missing_beneficial_owner_is_named():
    user = UserFactory()
    app = complete_application(user)
    app.beneficial_owners.filter(id_number="ID1").delete()
    assert any("ម្ចាស់ 1" in m and "25%" in m for m in messages(app))


def test_no_khmer_name_is_refused():
    user = UserFactory()
    app = complete_application(user)
    with pytest.raises(ValidationError) as caught:
        actions.save_names(app, user, name_km="", name_en="Mekong Pepper")
    assert caught.value.message_dict["name_km"] == ["Enter the business name in Khmer."]
    with pytest.raises(ValidationError):
        actions.save_names(app, user, name_km="Latin only", name_en="")


def test_limited_partnership_needs_both_kinds_of_partner():
    user = UserFactory()
    app = actions.create_application(user, legal_form="limited_partnership")
    actions.add_party(app, user, **person("general_partner", "ក", "A"))
    actions.add_party(app, user, **person("general_partner", "ខ", "B"))
    assert any("general and one limited" in m for m in messages(app))


def test_sole_proprietor_must_be_a_natural_person():
    user = UserFactory()
    app = actions.create_application(user, legal_form="sole_proprietorship")
    with pytest.raises(ValidationError):
        actions.add_party(app, user, **person("owner", "ក", "A", kind="juridical"))


def test_a_role_the_form_does_not_have_is_refused():
    user = UserFactory()
    app = actions.create_application(user, legal_form="sole_proprietorship")
    with pytest.raises(ValidationError) as caught:
        actions.add_party(app, user, **person("shareholder", "ក", "A", 10))
    assert "role" in caught.value.message_dict


def test_nationality_must_be_an_iso_country_code():
    user = UserFactory()
    app = actions.create_application(user, legal_form="sole_proprietorship")
    with pytest.raises(ValidationError) as caught:
        actions.add_party(app, user, **person("owner", "ក", "A", nationality="XX"))
    assert caught.value.message_dict["nationality"] == ["Choose a country."]
    party = actions.add_party(app, user, **person("owner", "ក", "A", nationality="th"))
    assert party.nationality == "TH"
