"""Straight-through processing: each check of the catalogue, each agency's rule set, and a clean
file going from submitted to registered with no human."""

import copy
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from singleportal.activities.models import Activity
from singleportal.agencies import actions
from singleportal.agencies.checks import CHECKS, Facts
from singleportal.agencies.models import StraightThroughRule, TaskDecision, TaskStatus
from singleportal.agencies.reference import RULES
from singleportal.applications import hooks
from singleportal.applications.models import Status
from singleportal.names import actions as names
from singleportal.names.models import ReservationStatus
from singleportal.registry import entries
from singleportal.registry.models import Business
from tests.agencies.flow import clerk, filed, statuses, submit, tasks_of, told_applicant
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OLD_FILES = itertools.count(1)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run what the actions enqueue on commit (in-process, as the eager worker does), including
    what those tasks enqueue in turn."""

    def run(call, *args, **kwargs):
        with told_applicant() as told, django_capture_on_commit_callbacks(execute=True):
            call(*args, **kwargs)
        return told

    return run


def rules_of(code: str) -> list[str]:
    return sorted(
        StraightThroughRule.objects.filter(agency__code=code, active=True).values_list(
            "code", flat=True
        )
    )


# -- the checks, one by one ------------------------------------------------------------------


@pytest.fixture
def clean():
    """A clean, submitted private limited company: Facts for it, and a way to vary them."""
    app = submit(filed())
    snapshot = app.versions.get().snapshot

    def facts(change=None) -> Facts:
        varied = copy.deepcopy(snapshot)
        if change:
            change(varied)
        return Facts(app, varied, app.legal_form)

    return facts


def register(name_km: str, name_en: str) -> Business:
    snapshot = {
        "business": {"name_km": name_km, "name_en": name_en, "address": {"province": ""}},
        "legal_form": "private_limited_company",
    }
    return entries.enter_business(snapshot, f"OLD-{next(OLD_FILES)}")


def test_every_seeded_rule_uses_a_check_of_the_catalogue():
    assert {check for _agency, _code, check, *_rest in RULES} <= set(CHECKS)
    assert set(StraightThroughRule.objects.values_list("check_name", flat=True)) <= set(CHECKS)


def test_every_check_of_the_catalogue_is_tested_here():
    tested = {
        "name_free", "no_close_name", "capital_rules", "no_licensed_activity", "ids_present",
        "below_vat_threshold", "staff_below", "no_foreign_staff", "signboard_within",
        "address_complete", "fee_settled",
    }  # fmt: skip
    assert set(CHECKS) == tested


def test_name_free(clean):
    assert CHECKS["name_free"](clean(), None) is None
    register("ក្រុមហ៊ុន មេគង្គ ម្រេច", "Mekong Pepper Co., Ltd.")
    found = CHECKS["name_free"](clean(), None)
    assert "Exactly the same as the registered name “ក្រុមហ៊ុន មេគង្គ ម្រេច”." in found
    assert "The same as the registered name “Mekong Pepper Co., Ltd.”" in found


def test_name_free_lets_the_applicant_use_their_own_reservation_only(clean):
    other = UserFactory()
    names.reserve_name(other, name_km="អង្គរ សូត្រ", name_en="Angkor Silk",
                       legal_form="private_limited_company")  # fmt: skip

    def angkor(snapshot):
        snapshot["business"].update(name_km="អង្គរ សូត្រ", name_en="Angkor Silk")

    assert "Another applicant has reserved this name" in CHECKS["name_free"](clean(angkor), None)
    facts = clean()
    names.reserve_name(facts.application.owner, name_km="ក្រុមហ៊ុន មេគង្គ ម្រេច",
                       name_en="Mekong Pepper", legal_form="private_limited_company")  # fmt: skip
    assert CHECKS["name_free"](clean(), None) is None


def test_no_close_name(clean):
    register("ផ្កាឈូក ពណ៌ស", "Mekong Peper Trading")  # 80% alike in its distinctive words
    assert CHECKS["no_close_name"](clean(), 90) is None
    register("ម្រេច មេគង្គ ថ្មី", "Mekong Peppers Trading")  # 100% alike: "Mekong Pepper"
    found = CHECKS["no_close_name"](clean(), 90)
    assert found.startswith("100% alike in its distinctive words to the registered name")
    assert "Mekong Peppers Trading" in found


def test_capital_rules(clean):
    assert CHECKS["capital_rules"](clean(), None) is None

    def low(snapshot):
        snapshot["capital"] = {"capital_khr": 3_000_000, "share_count": 100}

    assert CHECKS["capital_rules"](clean(low), None) == (
        "The capital must be at least 4,000,000 KHR."
    )

    def small_shares(snapshot):
        snapshot["capital"] = {"capital_khr": 4_000_000, "share_count": 2000}

    assert "2,000 KHR" in CHECKS["capital_rules"](clean(small_shares), None)


def test_no_licensed_activity(clean):
    assert CHECKS["no_licensed_activity"](clean(), None) is None
    licensed = Activity.objects.filter(needs_licence=True).order_by("code").first()

    def weapons(snapshot):
        snapshot["business"]["activities"].append({"code": licensed.code, "main": False})

    assert CHECKS["no_licensed_activity"](clean(weapons), None) == (
        f"These activities need a licence: {licensed.code} {licensed.name}."
    )


def test_ids_present(clean):
    assert CHECKS["ids_present"](clean(), None) is None

    def blank_id(snapshot):
        snapshot["beneficial_owners"][0]["id_number"] = "  "

    def no_document(snapshot):
        snapshot["documents"] = [d for d in snapshot["documents"] if d["kind"] != "identity"]

    assert CHECKS["ids_present"](clean(blank_id), None) == (
        "A person in the file has no identity document number."
    )
    assert CHECKS["ids_present"](clean(no_document), None) == "No identity document is attached."


def test_below_vat_threshold(clean):
    assert CHECKS["below_vat_threshold"](clean(), 250_000_000) is None

    def vat(snapshot):
        snapshot["tax"]["vat_registration"] = True

    def turnover(snapshot):
        snapshot["tax"]["expected_turnover_khr"] = 250_000_000

    assert CHECKS["below_vat_threshold"](clean(vat), 250_000_000) == (
        "The applicant asks for VAT registration."
    )
    assert CHECKS["below_vat_threshold"](clean(turnover), 250_000_000) == (
        "Expected turnover of 250,000,000 KHR reaches the VAT threshold."
    )
    assert CHECKS["below_vat_threshold"](clean(turnover), 250_000_001) is None


def test_staff_below(clean):
    def staff(khmer, foreign):
        def change(snapshot):
            snapshot["employment"] = {"khmer_staff": khmer, "foreign_staff": foreign}

        return clean(change)

    assert CHECKS["staff_below"](staff(49, 0), 50) is None
    assert CHECKS["staff_below"](staff(45, 5), 50) == (
        "50 staff planned: an officer reviews files with 50 or more."
    )


def test_no_foreign_staff(clean):
    def foreign(snapshot):
        snapshot["employment"]["foreign_staff"] = 1

    assert CHECKS["no_foreign_staff"](clean(), None) is None
    assert CHECKS["no_foreign_staff"](clean(foreign), None) == (
        "Foreign staff are planned: work permits are reviewed by an officer."
    )


def test_signboard_within(clean):
    def board(width, height):
        def change(snapshot):
            snapshot["signboard"] = {"text_km": "ក", "text_en": "", "width_cm": width,
                                     "height_cm": height}  # fmt: skip

        return clean(change)

    def none(snapshot):
        snapshot["signboard"] = None

    assert CHECKS["signboard_within"](board(200, 200), 40_000) is None  # exactly 4 m²
    assert CHECKS["signboard_within"](board(201, 200), 40_000) == (
        "The signboard is larger than the commune approves without a visit."
    )
    assert CHECKS["signboard_within"](clean(none), 40_000) == "No signboard is described."


def test_address_complete(clean):
    def no_street(snapshot):
        snapshot["business"]["address"].update(street="", house_number="")

    def house_only(snapshot):
        snapshot["business"]["address"].update(street="")

    assert CHECKS["address_complete"](clean(), None) is None
    assert CHECKS["address_complete"](clean(house_only), None) is None
    assert CHECKS["address_complete"](clean(no_street), None) == (
        "The address has no street or house number."
    )


def test_fee_settled(clean):
    assert CHECKS["fee_settled"](clean(), None) is None

    def unpaid(application):
        return True

    hooks.fee_questions.add(unpaid)
    try:
        assert CHECKS["fee_settled"](clean(), None) == "The fee has not been paid."
    finally:
        hooks.fee_questions.remove(unpaid)


# -- whole files -----------------------------------------------------------------------------


def test_a_clean_company_is_registered_with_no_human(run_on_commit):
    app = filed()

    told = run_on_commit(submit, app)

    app.refresh_from_db()
    assert app.status == Status.APPROVED
    assert told == [(app.pk, Status.APPROVED)]
    assert statuses(app) == dict.fromkeys(["MEF", "MOC", "GDT", "MLVT", "MOI"], "approved")
    approvals = TaskDecision.objects.filter(task__application=app, to_status=TaskStatus.APPROVED)
    assert approvals.count() == 5
    for decision in approvals.select_related("task__agency"):
        assert decision.actor is None
        assert decision.from_status == TaskStatus.OPEN
        assert decision.rule.split(",") == rules_of(decision.task.agency.code)
    assert not TaskDecision.objects.filter(task__application=app, actor__isnull=False).exists()
    business = Business.objects.get(application_reference=app.reference)
    assert business.tin and business.registration_number


def test_a_file_with_foreign_staff_waits_at_mlvt_while_the_others_proceed(run_on_commit):
    app = filed(foreign_staff=2)

    told = run_on_commit(submit, app)

    assert statuses(app) == {
        "MEF": "approved", "MOC": "approved", "GDT": "approved", "MOI": "approved",
        "MLVT": "open",
    }  # fmt: skip
    mlvt = tasks_of(app)["MLVT"]
    assert {c["rule"]: (c["passed"], c["detail"]) for c in mlvt.checks} == {
        "MLVT-STAFF": (True, ""),
        "MLVT-LOCAL": (
            False,
            "Foreign staff are planned: work permits are reviewed by an officer.",
        ),
    }
    app.refresh_from_db()
    assert (app.status, told) == (Status.SUBMITTED, [])

    officer = clerk("MLVT")
    actions.claim_task(mlvt, officer)
    told = run_on_commit(actions.approve_task, mlvt, officer)

    app.refresh_from_db()
    assert app.status == Status.APPROVED
    assert told == [(app.pk, Status.APPROVED)]
    assert tasks_of(app)["MLVT"].decisions.last().actor == officer


def test_an_inactive_rule_is_ignored(run_on_commit):
    StraightThroughRule.objects.filter(code="MLVT-LOCAL").update(active=False)
    app = filed(foreign_staff=2)

    run_on_commit(submit, app)

    mlvt = tasks_of(app)["MLVT"]
    assert mlvt.status == TaskStatus.APPROVED
    assert [c["rule"] for c in mlvt.checks] == ["MLVT-STAFF"]
    assert mlvt.decisions.last().rule == "MLVT-STAFF"


def test_an_agency_without_rules_always_waits_for_a_human(run_on_commit):
    assert not StraightThroughRule.objects.filter(agency__code="CDC").exists()
    app = filed(incentives=True)

    run_on_commit(submit, app)

    assert statuses(app)["CDC"] == TaskStatus.OPEN
    assert tasks_of(app)["CDC"].checks == []
    assert {s for c, s in statuses(app).items() if c != "CDC"} == {TaskStatus.APPROVED}
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED


def test_an_agency_whose_rules_are_all_switched_off_waits_for_a_human(run_on_commit):
    StraightThroughRule.objects.filter(agency__code="GDT").update(active=False)
    app = filed()

    run_on_commit(submit, app)

    assert statuses(app)["GDT"] == TaskStatus.OPEN


def test_a_rule_naming_an_unknown_check_stops_the_file_for_a_human(run_on_commit):
    StraightThroughRule.objects.filter(code="MOI-SIGN").update(check_name="no_such_check")
    app = filed()

    run_on_commit(submit, app)

    moi = tasks_of(app)["MOI"]
    assert moi.status == TaskStatus.OPEN
    assert {"rule": "MOI-SIGN", "passed": False, "detail": "Unknown check."} in moi.checks


def test_a_name_registered_after_submission_stops_moc_and_what_follows_it(run_on_commit):
    app = submit(filed())
    register("ក្រុមហ៊ុន មេគង្គ ម្រេច", "Someone Else")  # another file got there first

    run_on_commit(actions.decide_straight_through, tasks_of(app)["MEF"].pk)

    moc = tasks_of(app)["MOC"]
    assert moc.status == TaskStatus.OPEN
    assert [c["rule"] for c in moc.checks if not c["passed"]] == ["MOC-NAME"]
    assert statuses(app) == {
        "MEF": "approved", "MOC": "open", "GDT": "waiting", "MLVT": "waiting", "MOI": "waiting",
    }  # fmt: skip


def test_deciding_twice_approves_once():
    app = submit(filed())
    mef = tasks_of(app)["MEF"]

    assert actions.decide_straight_through(mef.pk) is True
    assert actions.decide_straight_through(mef.pk) is False
    assert actions.decide_straight_through(10**9) is False  # a task that does not exist

    approvals = TaskDecision.objects.filter(task=mef, to_status=TaskStatus.APPROVED)
    assert approvals.count() == 1
    assert statuses(app)["MOC"] == TaskStatus.OPEN


def test_a_task_an_officer_has_claimed_is_left_to_the_officer():
    app = submit(filed())
    mef = tasks_of(app)["MEF"]
    actions.claim_task(mef, clerk("MEF"))

    assert actions.decide_straight_through(mef.pk) is False
    assert tasks_of(app)["MEF"].status == TaskStatus.IN_REVIEW


def test_the_reservation_of_the_registered_name_is_used_when_moc_approves(run_on_commit):
    user = UserFactory()
    reservation = names.reserve_name(
        user, name_km="ក្រុមហ៊ុន មេគង្គ ម្រេច", name_en="Mekong Pepper",
        legal_form="private_limited_company",
    )  # fmt: skip
    app = filed(user=user)

    run_on_commit(submit, app)

    reservation.refresh_from_db()
    assert reservation.status == ReservationStatus.USED
    assert reservation.events.last().note == app.reference


def test_bulk_approval_takes_only_clean_files_all_or_nothing(run_on_commit):
    foreign = filed(foreign_staff=1)
    run_on_commit(submit, foreign)
    officer = clerk("MLVT")

    with pytest.raises(ValidationError) as caught:
        actions.bulk_approve([tasks_of(foreign)["MLVT"]], officer)

    assert caught.value.code == "not_clean"
    assert tasks_of(foreign)["MLVT"].status == TaskStatus.OPEN
