"""The claim rule: the register's own file decides who may own a business's profile."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from singleportal.accounts.models import Role
from singleportal.directory import actions
from singleportal.directory.models import (
    ClaimBasis,
    ClaimDecision,
    ClaimOutcome,
    MemberRole,
    ProfileClaim,
    ProfileMember,
)
from singleportal.registry.models import BusinessStatus
from tests.conftest import in_english
from tests.directory.conftest import sign_in
from tests.directory.factories import (
    DIRECTOR_ID,
    OWNER_ID,
    group_profile,
    imported,
    registered_by,
    user,
)

pytestmark = pytest.mark.django_db


def refusal(**kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        actions.claim_profile(**kwargs)
    return caught.value


def test_the_applicant_who_registered_the_business_owns_its_profile_at_once():
    applicant = user("Somebody Else")
    business = registered_by(applicant)
    result = actions.claim_profile(applicant, registration_number=business.registration_number)
    profile = result.profile
    assert not result.pending and profile.verified and profile.business == business
    assert ProfileMember.objects.get(profile=profile, user=applicant).role == MemberRole.OWNER
    assert result.claim.basis == ClaimBasis.APPLICANT
    assert result.claim.decision.outcome == ClaimOutcome.APPROVED
    assert result.claim.decision.decided_by is None  # the register decided, not a person


def test_the_profile_takes_names_and_place_from_the_register():
    applicant = user()
    business = registered_by(applicant)
    profile = actions.claim_profile(
        applicant, registration_number=business.registration_number
    ).profile
    assert (profile.name_km, profile.name_en) == (business.name_km, business.name_en)
    assert (profile.province_id, profile.district_id, profile.commune_id) == (
        business.province_id, business.district_id, business.commune_id,
    )  # fmt: skip


def test_a_director_named_in_the_application_claims_with_their_document_number():
    business = registered_by(user())
    director = user("DARA Chan")  # the order of the words and case do not matter
    result = actions.claim_profile(
        director, registration_number=business.registration_number, id_number="n0987-654"
    )
    assert result.profile is not None and result.claim.basis == ClaimBasis.IDENTITY_DOCUMENT


def test_an_owner_types_the_document_number_in_khmer_digits_with_spaces_and_a_khmer_name():
    business = registered_by(user())
    owner = user("សុខចន្ទា")
    result = actions.claim_profile(
        owner, registration_number=business.registration_number, id_number="០១០ ២០៣-០៤០"
    )
    assert result.profile is not None
    assert ProfileMember.objects.get(user=owner).role == MemberRole.OWNER


def test_a_shareholder_who_is_not_owner_partner_or_director_is_refused():
    business = registered_by(user())
    error = refusal(user=user("Mao Sophal"), registration_number=business.registration_number,
                    id_number="030405060")  # fmt: skip
    assert error.code == "not_in_register"
    assert "does not name you" in error.messages[0]
    assert not ProfileClaim.objects.exists()


def test_the_right_document_number_with_another_persons_name_is_refused():
    business = registered_by(user())
    error = refusal(user=user("Keo Ratana"), registration_number=business.registration_number,
                    id_number=OWNER_ID)  # fmt: skip
    assert error.code == "not_in_register"


def test_a_stranger_without_a_document_number_is_refused_and_told_why():
    business = registered_by(user())
    error = refusal(user=user("Stranger"), registration_number=business.registration_number)
    assert error.code == "not_in_register"
    assert "identity document" in error.messages[0]


def test_an_unknown_registration_number_is_refused():
    error = refusal(user=user(), registration_number="9999999999")
    assert error.code == "business_not_found"
    assert "9999999999" in error.messages[0]


def test_a_dissolved_business_cannot_be_claimed():
    applicant = user()
    business = registered_by(applicant)
    business.status = BusinessStatus.DISSOLVED
    business.save()
    assert refusal(user=applicant, registration_number=business.registration_number).code == (
        "business_closed"
    )


def test_a_claimed_profile_refuses_a_second_claimant_who_is_told_to_ask_the_owner():
    applicant = user()
    business = registered_by(applicant)
    actions.claim_profile(applicant, registration_number=business.registration_number)
    director = user("Chan Dara")
    error = refusal(user=director, registration_number=business.registration_number,
                    id_number=DIRECTOR_ID)  # fmt: skip
    assert error.code == "already_claimed"
    assert "Ask them to add you" in error.messages[0]


def test_claiming_again_changes_nothing():
    applicant = user()
    business = registered_by(applicant)
    first = actions.claim_profile(applicant, registration_number=business.registration_number)
    again = actions.claim_profile(applicant, registration_number=business.registration_number)
    assert again.profile == first.profile and again.claim is None
    assert ProfileClaim.objects.count() == 1 and ProfileMember.objects.count() == 1


def test_an_imported_business_claim_waits_for_programme_staff_who_approve_it():
    business = imported()
    claimant = user("Lay Sokha")
    result = actions.claim_profile(claimant, registration_number=business.registration_number,
                                   officer_name="ឡាយ  សុខា")  # fmt: skip
    assert result.pending and result.profile is None
    assert result.claim.basis == ClaimBasis.OFFICER_NAME
    assert not ProfileMember.objects.exists()
    staff = user("Nhem Rithy", Role.PROGRAMME_STAFF)
    decision = actions.decide_claim(result.claim, by=staff, approve=True, note="Checked")
    assert decision.outcome == ClaimOutcome.APPROVED and decision.decided_by == staff
    member = ProfileMember.objects.get(user=claimant)
    assert member.role == MemberRole.OWNER and member.profile.business == business


def test_programme_staff_refuse_a_pending_claim_and_nobody_owns_the_profile():
    business = imported()
    claim = actions.claim_profile(user(), registration_number=business.registration_number,
                                  officer_name="ឡាយ សុខា").claim  # fmt: skip
    actions.decide_claim(claim, by=user("Staff", Role.PROGRAMME_STAFF), approve=False)
    assert claim.decision.outcome == ClaimOutcome.REFUSED
    assert not ProfileMember.objects.exists()


def test_a_pending_claim_retried_is_the_same_claim():
    business = imported()
    claimant = user()
    first = actions.claim_profile(claimant, registration_number=business.registration_number,
                                  officer_name="ឡាយ សុខា")  # fmt: skip
    again = actions.claim_profile(claimant, registration_number=business.registration_number,
                                  officer_name="ឡាយ សុខា")  # fmt: skip
    assert again.pending and again.claim == first.claim
    assert ProfileClaim.objects.count() == 1


def test_a_claim_is_decided_once_and_only_by_programme_staff():
    business = imported()
    claim = actions.claim_profile(user(), registration_number=business.registration_number,
                                  officer_name="ឡាយ សុខា").claim  # fmt: skip
    with pytest.raises(PermissionDenied):
        actions.decide_claim(claim, by=user("Buyer", Role.BUYER), approve=True)
    staff = user("Staff", Role.PROGRAMME_STAFF)
    actions.decide_claim(claim, by=staff, approve=True)
    with pytest.raises(ValidationError):
        actions.decide_claim(claim, by=staff, approve=False)
    assert ClaimDecision.objects.count() == 1


def test_an_imported_business_claim_needs_a_name_the_register_lists():
    business = imported()
    needs = refusal(user=user(), registration_number=business.registration_number)
    assert needs.code == "officer_name_needed"
    wrong = refusal(user=user(), registration_number=business.registration_number,
                    officer_name="Someone Else")  # fmt: skip
    assert wrong.code == "not_in_register"
    assert "Someone Else" in wrong.messages[0]


def test_an_imported_business_whose_register_names_nobody_waits_for_programme_staff(client):
    business = imported(officers=())
    claimant = user()
    result = actions.claim_profile(claimant, registration_number=business.registration_number,
                                   officer_name="ឡាយ សុខា")  # fmt: skip
    assert result.pending and result.claim.officer_name == "ឡាយ សុខា"
    staff = user("Nhem Rithy", Role.PROGRAMME_STAFF)
    sign_in(client, staff)
    in_english(client)
    queue = client.get("/directory/claims/").content.decode()
    assert "check the claimant against the Ministry of Commerce" in queue
    actions.decide_claim(result.claim, by=staff, approve=True)
    assert business.profile.members.get().user == claimant


def test_a_group_that_registered_links_its_profile_keeping_slug_and_story():
    applicant = user()
    group = group_profile(applicant, story_km="<p>យើងត្បាញសូត្រ</p>")
    business = registered_by(applicant)
    result = actions.claim_profile(applicant, registration_number=business.registration_number,
                                   link_profile=group)  # fmt: skip
    assert result.profile.pk == group.pk
    group.refresh_from_db()
    assert group.verified and group.slug == result.profile.slug
    assert group.story_km == "<p>យើងត្បាញសូត្រ</p>"
    assert group.name_km == business.name_km


def test_only_the_owner_of_a_group_profile_may_link_it():
    group = group_profile(user())
    applicant = user()
    business = registered_by(applicant)
    with pytest.raises(PermissionDenied):
        actions.claim_profile(applicant, registration_number=business.registration_number,
                              link_profile=group)  # fmt: skip
