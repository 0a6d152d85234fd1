"""The task plan of a submitted file: which agencies, in which order, from the PlanStep rows and
the legal form's list of agencies; and which tasks open at once."""

import pytest
from django.utils import timezone

from singleportal.agencies import actions
from singleportal.agencies.models import Agency, PlanStep, TaskStatus, When
from singleportal.agencies.sla import task_due_on
from singleportal.applications.models import LegalForm
from singleportal.audit.models import AuditEntry
from tests.agencies.flow import FORMS, filed, statuses, submit, tasks_of

pytestmark = pytest.mark.django_db

AFTER_MOC = ("GDT", "MLVT", "MOI", "CDC")


def prerequisites(app) -> dict[str, set[str]]:
    return {code: {t.agency.code for t in task.after.all()} for code, task in tasks_of(app).items()}


def approve_by_the_system(app, code: str) -> None:
    assert actions.decide_straight_through(tasks_of(app)[code].pk), tasks_of(app)[code].checks


def test_every_legal_form_is_on_file_with_its_agencies():
    assert sorted(LegalForm.objects.values_list("code", flat=True)) == sorted(FORMS)


@pytest.mark.parametrize("incentives", [False, True], ids=["no incentives", "incentives"])
@pytest.mark.parametrize("legal_form", FORMS)
def test_each_legal_form_gets_its_agencies_in_order(legal_form, incentives):
    app = submit(filed(legal_form, incentives=incentives))

    form = LegalForm.objects.get(code=legal_form)
    expected = {"MEF", *form.agencies} | ({"CDC"} if incentives else set())
    assert set(statuses(app)) == expected
    assert expected >= {"MEF", "MOC", "GDT", "MLVT", "MOI"}
    after = prerequisites(app)
    assert after.pop("MEF") == set()  # the payment is confirmed first
    assert after.pop("MOC") == {"MEF"}
    assert after == {code: {"MOC"} for code in AFTER_MOC if code in expected}


@pytest.mark.parametrize("legal_form", FORMS)
def test_only_the_payment_confirmation_opens_on_submission(legal_form):
    app = submit(filed(legal_form))

    tasks = tasks_of(app)
    assert {c: t.status for c, t in tasks.items() if t.status != TaskStatus.WAITING} == {
        "MEF": TaskStatus.OPEN
    }
    version = app.versions.get()
    assert {t.version_id for t in tasks.values()} == {version.pk}
    mef = tasks["MEF"]
    assert mef.opened_at is not None
    assert mef.due_on == task_due_on(timezone.localdate(mef.opened_at), 1)
    assert all(t.due_on is None and t.opened_at is None for c, t in tasks.items() if c != "MEF")


def test_tasks_open_as_soon_as_their_prerequisites_are_approved_and_in_parallel():
    app = submit(filed(incentives=True))

    approve_by_the_system(app, "MEF")
    assert statuses(app) == {
        "MEF": "approved", "MOC": "open", "GDT": "waiting", "MLVT": "waiting", "MOI": "waiting",
        "CDC": "waiting",
    }  # fmt: skip

    approve_by_the_system(app, "MOC")
    tasks = tasks_of(app)
    assert {c: t.status for c, t in tasks.items()} == {
        "MEF": "approved", "MOC": "approved", "GDT": "open", "MLVT": "open", "MOI": "open",
        "CDC": "open",
    }  # fmt: skip
    today = timezone.localdate()
    steps = {s.agency.code: s.sla_working_days for s in PlanStep.objects.select_related("agency")}
    for code in AFTER_MOC:
        assert tasks[code].due_on == task_due_on(today, steps[code]), code
    assert (steps["MOC"], steps["GDT"]) == (3, 4)  # the legal deadlines


def test_a_file_without_incentives_never_waits_for_the_cdc():
    app = submit(filed())
    approve_by_the_system(app, "MEF")
    approve_by_the_system(app, "MOC")

    assert "CDC" not in statuses(app)


def test_the_plan_is_recorded_in_the_audit_chain():
    app = submit(filed(incentives=True))

    entry = AuditEntry.objects.get(action="tasks.planned", object_id=str(app.pk))
    assert entry.details == {"agencies": ["CDC", "GDT", "MEF", "MLVT", "MOC", "MOI"]}
    assert entry.actor_id is None


# -- the plan is data: change a row and the plan follows ------------------------------------


def test_a_step_moved_earlier_opens_earlier():
    moi = PlanStep.objects.get(agency__code="MOI")
    moi.after.set([Agency.objects.get(code="MEF")])
    app = submit(filed())

    assert prerequisites(app)["MOI"] == {"MEF"}
    approve_by_the_system(app, "MEF")
    assert statuses(app) == {
        "MEF": "approved", "MOC": "open", "MOI": "open", "GDT": "waiting", "MLVT": "waiting",
    }  # fmt: skip


def test_a_step_with_two_prerequisites_waits_for_both():
    gdt = PlanStep.objects.get(agency__code="GDT")
    gdt.after.set(Agency.objects.filter(code__in=["MOC", "MOI"]))
    app = submit(filed())
    approve_by_the_system(app, "MEF")
    approve_by_the_system(app, "MOC")

    assert statuses(app)["GDT"] == "waiting"
    approve_by_the_system(app, "MOI")
    assert statuses(app)["GDT"] == "open"


def test_a_deadline_edited_by_the_operator_is_used_by_the_next_file():
    PlanStep.objects.filter(agency__code="MEF").update(sla_working_days=5)
    app = submit(filed())

    mef = tasks_of(app)["MEF"]
    assert mef.sla_working_days == 5
    assert mef.due_on == task_due_on(timezone.localdate(mef.opened_at), 5)


def test_a_step_made_for_every_file_is_planned_for_every_file():
    PlanStep.objects.filter(agency__code="CDC").update(when=When.ALWAYS)
    app = submit(filed())

    assert "CDC" in statuses(app)


def test_a_step_removed_from_the_plan_is_not_planned():
    PlanStep.objects.filter(agency__code="MLVT").delete()
    app = submit(filed())

    assert set(statuses(app)) == {"MEF", "MOC", "GDT", "MOI"}


def test_a_legal_form_without_an_agency_gets_no_task_for_it():
    LegalForm.objects.filter(code="representative_office").update(agencies=["MOC", "GDT", "MOI"])
    office = submit(filed("representative_office"))
    company = submit(filed(name_km="អង្គរ សូត្រ", name_en="Angkor Silk"))

    assert set(statuses(office)) == {"MEF", "MOC", "GDT", "MOI"}
    assert set(statuses(company)) == {"MEF", "MOC", "GDT", "MLVT", "MOI"}


def test_a_plan_made_is_not_changed_by_later_edits():
    app = submit(filed())
    PlanStep.objects.filter(agency__code="MOC").update(sla_working_days=9)
    PlanStep.objects.get(agency__code="MOI").after.set([Agency.objects.get(code="MEF")])

    assert tasks_of(app)["MOC"].sla_working_days == 3
    assert prerequisites(app)["MOI"] == {"MOC"}
