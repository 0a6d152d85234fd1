"""The demo shows files at every stage an agency works through, without the worker."""

import pytest

from singleportal.accounts.models import OfficerLevel, Role, RoleAssignment
from singleportal.agencies import demo
from singleportal.agencies.models import Agency, Task, TaskDecision, TaskStatus
from singleportal.applications.models import Application, Status
from singleportal.audit.chain import verify
from singleportal.audit.models import AuditEntry
from singleportal.demo import seed
from singleportal.registry.entries import is_valid_tin
from singleportal.registry.models import Business, BusinessRecord, RecordKind

pytestmark = pytest.mark.django_db

MODELS = (Application, Task, TaskDecision, Business, BusinessRecord, RoleAssignment, AuditEntry)


def _counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


@pytest.fixture
def seeded(signing_key):
    """The whole demo, as `singleportal demo` seeds it (users, applications, register, files,
    the promotion hub, whose labels are signed); the worker never runs (on-commit work is
    dropped with the test's transaction)."""
    seed()


def _file(spec: demo.DemoFile) -> Application:
    return Application.objects.get(owner__username=spec.owner, name_km=spec.name_km)


def _tasks(app: Application) -> dict[str, Task]:
    return {t.agency.code: t for t in app.tasks.select_related("agency")}


def _failed(task: Task) -> list[str]:
    return [c["rule"] for c in task.checks if not c["passed"]]


def test_seeding_again_adds_no_rows(seeded):
    first = _counts()
    seed()
    assert _counts() == first
    assert first["Application"] >= len(demo.FILES)
    assert verify().ok


def test_every_agency_has_a_clerk_and_moc_and_gdt_a_head(seeded):
    for agency in Agency.objects.all():
        levels = set(
            RoleAssignment.objects.filter(role=Role.OFFICER, agency=agency).values_list(
                "level", flat=True
            )
        )
        assert OfficerLevel.CLERK in levels, agency.code
        if agency.code in ("MOC", "GDT"):
            assert OfficerLevel.HEAD in levels, agency.code


def test_a_clean_company_is_registered_by_the_system_alone(seeded):
    app = _file(demo.CLEAN)
    assert app.status == Status.APPROVED
    tasks = _tasks(app)
    assert set(tasks) == {"MEF", "MOC", "GDT", "MLVT", "MOI"}
    for task in tasks.values():
        approval = task.decisions.get(to_status=TaskStatus.APPROVED)
        assert approval.actor is None and approval.rule
    business = Business.objects.get(application_reference=app.reference)
    assert business.registration_number.startswith("1") and len(business.registration_number) == 10
    assert business.tin and is_valid_tin(business.tin)
    assert set(business.records.values_list("kind", flat=True)) == {
        RecordKind.REGISTRATION,
        RecordKind.TAX_REGISTRATION,
        RecordKind.PATENT_TAX,
        RecordKind.OPENING_DECLARATION,
        RecordKind.ADDRESS_CONFIRMATION,
    }


def test_a_licensed_activity_waits_at_moc_for_an_officer(seeded):
    app = _file(demo.LICENSED)
    tasks = _tasks(app)
    assert app.status == Status.SUBMITTED
    assert tasks["MEF"].status == TaskStatus.APPROVED
    assert tasks["MOC"].status == TaskStatus.OPEN and tasks["MOC"].assignee is None
    assert _failed(tasks["MOC"]) == ["MOC-ACTIVITY"]
    assert {tasks[c].status for c in ("GDT", "MLVT", "MOI")} == {TaskStatus.WAITING}
    assert not Business.objects.filter(application_reference=app.reference).exists()


def test_foreign_staff_leave_mlvt_to_an_officer_after_moc_registered(seeded):
    app = _file(demo.FOREIGN_STAFF)
    tasks = _tasks(app)
    assert app.status == Status.SUBMITTED
    assert {tasks[c].status for c in ("MEF", "MOC", "GDT", "MOI")} == {TaskStatus.APPROVED}
    assert tasks["MLVT"].status == TaskStatus.OPEN
    assert _failed(tasks["MLVT"]) == ["MLVT-LOCAL"]
    business = Business.objects.get(application_reference=app.reference)
    assert business.tin
    assert app.authorisations.filter(revoked_at__isnull=True).exists()


def test_asking_for_incentives_gives_cdc_a_task_for_an_officer(seeded):
    app = _file(demo.INCENTIVES)
    tasks = _tasks(app)
    assert tasks["CDC"].status == TaskStatus.OPEN
    assert {t.status for code, t in tasks.items() if code != "CDC"} == {TaskStatus.APPROVED}
    assert app.status == Status.SUBMITTED


def test_an_moc_clerk_asked_for_a_correction_of_the_names(seeded):
    app = _file(demo.CORRECTION)
    assert app.status == Status.CORRECTION_REQUESTED
    assert app.correction_sections == ["names"]
    moc = _tasks(app)["MOC"]
    assert moc.status == TaskStatus.CORRECTION_REQUESTED
    assert _failed(moc) == ["MOC-NAME-CLOSE"]
    asked = moc.decisions.get(to_status=TaskStatus.CORRECTION_REQUESTED)
    assert asked.actor.username == demo.MOC_CLERK
    assert asked.reason.code == "NAME_UNCLEAR"


def test_the_demo_applicant_owns_files_at_several_stages(seeded):
    statuses = set(
        Application.objects.filter(owner__username=demo.APPLICANT).values_list("status", flat=True)
    )
    assert {Status.APPROVED, Status.SUBMITTED, Status.CORRECTION_REQUESTED} <= statuses
    # The applications demo's company moved on too: registered, VAT left to a GDT officer.
    pepper = Application.objects.get(owner__username=demo.APPLICANT, name_en__startswith="Kampot")
    gdt = _tasks(pepper)["GDT"]
    assert (gdt.status, _failed(gdt)) == (TaskStatus.OPEN, ["GDT-VAT"])
    assert Business.objects.filter(application_reference=pepper.reference).exists()


def test_a_corrected_file_is_not_seeded_again(seeded):
    from singleportal.applications import actions

    app = _file(demo.CORRECTION)
    owner = app.owner
    actions.save_names(app, owner, name_km="ក្រុមហ៊ុន សូត្រ បន្ទាយស្រី ឯ.ក", name_en="Banteay Srei Silk")
    actions.submit_application(app, owner, declared_by_name=owner.full_name)
    count = Application.objects.count()
    seed()
    assert Application.objects.count() == count
    app.refresh_from_db()
    assert app.status == Status.APPROVED  # the new name passed MOC's rules, then the others'
