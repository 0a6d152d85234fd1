"""What approvals put on the register: the business with its registration number and name keys
(MOC), the TIN and patent tax (GDT), and each other agency's record."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from singleportal.agencies import actions
from singleportal.agencies.models import TaskStatus
from singleportal.applications.models import Status
from singleportal.names import actions as names
from singleportal.names.checking import IDENTICAL, check_name
from singleportal.names.models import ReservationStatus
from singleportal.names.normalization import KHMER, LATIN
from singleportal.registry import entries
from singleportal.registry.models import Business, BusinessRecord, NameKey, RecordKind
from tests.agencies.flow import clerk, filed, submit, tasks_of
from tests.factories import UserFactory

DIGITS = "0123456789"


def approve(app, code: str, *, by_officer: bool = False) -> None:
    task = tasks_of(app)[code]
    if by_officer:
        who = clerk(code)
        actions.claim_task(task, who)
        actions.approve_task(task, who)
    else:
        assert actions.decide_straight_through(task.pk), task.checks


def registered(app, *, incentives: bool = False) -> Business:
    """Every agency approves (CDC, which has no rules, by its officer)."""
    for code in ("MEF", "MOC", "GDT", "MLVT", "MOI"):
        approve(app, code)
    if incentives:
        approve(app, "CDC", by_officer=True)
    app.refresh_from_db()
    assert app.status == Status.APPROVED
    return Business.objects.get(application_reference=app.reference)


# -- the business ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_moc_approval_enters_the_business_with_a_registration_number_and_name_keys():
    app = submit(filed(name_km="ក្រុមហ៊ុន មេគង្គ ម្រេច ឯ.ក", name_en="Mekong Pepper Co., Ltd."))
    approve(app, "MEF")
    approve(app, "MOC")

    business = Business.objects.get(application_reference=app.reference)
    assert len(business.registration_number) == 10
    assert business.registration_number.isdigit() and business.registration_number[0] == "1"
    assert (business.name_km, business.name_en) == ("ក្រុមហ៊ុន មេគង្គ ម្រេច ឯ.ក",
                                                    "Mekong Pepper Co., Ltd.")  # fmt: skip
    assert (business.name_km_normalized, business.name_en_normalized) == (
        "មេគង្គម្រេច",
        "mekongpepper",
    )
    assert business.legal_form == "private_limited_company"
    assert business.province_id == app.province_code
    assert business.registered_on == timezone.localdate()
    assert business.tin is None  # GDT has not approved yet
    assert set(NameKey.objects.values_list("script", "key")) >= {
        (KHMER, business.name_km_key),
        (LATIN, business.name_en_key),
    }
    record = business.records.get()
    assert (record.kind, record.agency_code, record.number, record.application_reference) == (
        RecordKind.REGISTRATION, "MOC", business.registration_number, app.reference,
    )  # fmt: skip


@pytest.mark.django_db
def test_a_registered_name_is_found_identical_by_the_next_name_check():
    app = submit(filed())
    approve(app, "MEF")
    approve(app, "MOC")
    business = Business.objects.get(application_reference=app.reference)

    for name, script in (("មេគង្គ ម្រេច", KHMER), ("MEKONG PEPPER Co., Ltd.", LATIN)):
        identical = check_name(name, script).by_kind(IDENTICAL)
        assert [c.registration_number for c in identical] == [business.registration_number]


@pytest.mark.django_db
def test_registration_numbers_follow_each_other():
    first = submit(filed())
    second = submit(filed(name_km="អង្គរ សូត្រ", name_en="Angkor Silk"))
    for app in (first, second):
        approve(app, "MEF")
        approve(app, "MOC")

    numbers = [Business.objects.get(application_reference=a.reference).registration_number
               for a in (first, second)]  # fmt: skip
    assert int(numbers[1]) == int(numbers[0]) + 1


@pytest.mark.django_db
def test_a_number_an_imported_business_holds_is_skipped():
    for serial in (1, 2):  # imported from the old register with numbers of the same series
        Business.objects.create(
            registration_number=f"1{serial:09d}", name_km=f"ចាស់ {serial}",
            name_km_normalized=f"old{serial}", legal_form="sole_proprietorship",
            registered_on="2010-01-04",
        )  # fmt: skip
    app = submit(filed())
    approve(app, "MEF")
    approve(app, "MOC")

    business = Business.objects.get(application_reference=app.reference)
    assert business.registration_number == "1000000003"


@pytest.mark.django_db
def test_entering_the_same_file_twice_gives_the_same_business():
    app = submit(filed())
    snapshot = app.versions.get().snapshot

    first = entries.enter_business(snapshot, app.reference)
    again = entries.enter_business(snapshot, app.reference)

    assert first == again
    assert Business.objects.filter(application_reference=app.reference).count() == 1
    assert first.records.count() == 1


@pytest.mark.django_db
def test_a_name_registered_since_the_file_was_checked_is_not_entered_twice():
    first = submit(filed())
    second = submit(filed())  # the same name: nothing held it when both were submitted
    for app in (first, second):
        approve(app, "MEF")
    approve(first, "MOC")
    moc = tasks_of(second)["MOC"]
    officer = clerk("MOC")
    actions.claim_task(moc, officer)

    with pytest.raises(ValidationError) as caught, translation.override("en"):
        actions.approve_task(moc, officer)

    number = Business.objects.get(application_reference=first.reference).registration_number
    assert caught.value.code == "name_taken"
    assert caught.value.messages == [
        f"“ក្រុមហ៊ុន មេគង្គ ម្រេច” was registered as {number} after this file was checked: "
        "ask the applicant for another name."
    ]
    assert tasks_of(second)["MOC"].status == TaskStatus.IN_REVIEW
    assert not Business.objects.filter(application_reference=second.reference).exists()


@pytest.mark.django_db
def test_a_dissolved_business_no_longer_holds_its_name():
    first = submit(filed())
    second = submit(filed())
    for app in (first, second):
        approve(app, "MEF")
    approve(first, "MOC")
    Business.objects.filter(application_reference=first.reference).update(status="dissolved")

    approve(second, "MOC")

    assert Business.objects.filter(name_en_normalized="mekongpepper").count() == 2


@pytest.mark.django_db
def test_the_applicants_reservation_is_used_when_an_officer_approves_moc():
    user = UserFactory()
    reservation = names.reserve_name(
        user, name_km="ក្រុមហ៊ុន មេគង្គ ម្រេច", name_en="Mekong Pepper",
        legal_form="private_limited_company",
    )  # fmt: skip
    other = names.reserve_name(
        user, name_km="អង្គរ សូត្រ", name_en="Angkor Silk", legal_form="private_limited_company"
    )
    app = submit(filed(user=user))
    approve(app, "MEF")

    approve(app, "MOC", by_officer=True)

    reservation.refresh_from_db()
    other.refresh_from_db()
    assert reservation.status == ReservationStatus.USED
    assert other.status == ReservationStatus.ACTIVE  # another name: still the applicant's


# -- what the other agencies issue -----------------------------------------------------------


@pytest.mark.django_db
def test_each_agency_approval_adds_its_record_to_the_business():
    app = submit(filed(incentives=True))

    business = registered(app, incentives=True)

    assert entries.is_valid_tin(business.tin)
    assert business.tin.startswith("K001-")
    year = timezone.localdate().year
    records = {r.kind: r for r in business.records.all()}
    assert {k: (r.agency_code, r.application_reference) for k, r in records.items()} == {
        RecordKind.REGISTRATION: ("MOC", app.reference),
        RecordKind.TAX_REGISTRATION: ("GDT", app.reference),
        RecordKind.PATENT_TAX: ("GDT", app.reference),
        RecordKind.OPENING_DECLARATION: ("MLVT", app.reference),
        RecordKind.ADDRESS_CONFIRMATION: ("MOI", app.reference),
        RecordKind.INVESTMENT_REGISTRATION: ("CDC", app.reference),
    }
    assert records[RecordKind.TAX_REGISTRATION].number == business.tin
    assert records[RecordKind.TAX_REGISTRATION].details == {"vat_registration": False}
    assert records[RecordKind.PATENT_TAX].number == f"PT-{year}-0000001"
    assert records[RecordKind.PATENT_TAX].details == {"year": year}
    assert records[RecordKind.OPENING_DECLARATION].number == f"MLVT-{year}-0000001"
    assert records[RecordKind.OPENING_DECLARATION].details == {
        "khmer_staff": 3, "foreign_staff": 0,
    }  # fmt: skip
    assert records[RecordKind.ADDRESS_CONFIRMATION].number == f"MOI-{year}-0000001"
    assert records[RecordKind.ADDRESS_CONFIRMATION].details["address"]["street"] == "Street 51"
    assert records[RecordKind.INVESTMENT_REGISTRATION].number == f"CDC-{year}-0000001"
    assert records[RecordKind.INVESTMENT_REGISTRATION].details == {"investment_khr": 8_000_000_000}


@pytest.mark.django_db
def test_issuing_again_issues_nothing_new():
    app = submit(filed())
    business = registered(app)
    snapshot = app.versions.get().snapshot
    tin, count = business.tin, business.records.count()

    entries.register_for_tax(business, snapshot, app.reference)
    entries.declare_opening(business, snapshot, app.reference)
    entries.confirm_address(business, snapshot, app.reference)

    business.refresh_from_db()
    assert (business.tin, business.records.count()) == (tin, count)


@pytest.mark.django_db
def test_a_record_is_never_changed():
    app = submit(filed())
    record = registered(app).records.first()

    record.number = "1999999999"
    with pytest.raises(ValidationError, match="never changed"):
        record.save()
    assert BusinessRecord.objects.get(pk=record.pk).number != "1999999999"


# -- the TIN's check digit -------------------------------------------------------------------


def test_luhn_digits_of_known_numbers():
    assert entries.luhn_digit("7992739871") == 3  # the textbook example
    assert entries.luhn_digit("0000000") == 0
    assert entries.is_valid_tin("K001-000000016")


offices = st.builds(
    lambda letter, digits: letter + digits,
    st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    st.text(DIGITS, min_size=3, max_size=3),
)
serials = st.text(DIGITS, min_size=8, max_size=8)


def tin_of(office: str, serial: str) -> str:
    return f"{office}-{serial}{entries.tin_check_digit(office, serial)}"


@given(office=offices, serial=serials)
def test_a_tin_made_with_its_check_digit_is_valid(office, serial):
    assert entries.is_valid_tin(tin_of(office, serial))


@given(office=offices, serial=serials, data=st.data())
def test_any_single_digit_changed_is_detected(office, serial, data):
    tin = tin_of(office, serial)
    positions = [i for i, char in enumerate(tin) if char.isdigit()]
    position = data.draw(st.sampled_from(positions))
    digit = data.draw(st.sampled_from([d for d in DIGITS if d != tin[position]]))

    assert not entries.is_valid_tin(tin[:position] + digit + tin[position + 1 :])


@given(office=offices, serial=serials, data=st.data())
def test_swapping_two_different_adjacent_digits_is_detected_except_09(office, serial, data):
    tin = tin_of(office, serial)
    body = tin[5:]
    i = data.draw(st.integers(0, len(body) - 2))
    if body[i] == body[i + 1] or {body[i], body[i + 1]} == {"0", "9"}:
        return  # the one swap Luhn cannot see, and no swap at all
    swapped = body[:i] + body[i + 1] + body[i] + body[i + 2 :]
    assert not entries.is_valid_tin(tin[:5] + swapped)


@given(st.text())
def test_anything_else_is_not_a_tin_and_never_an_error(text):
    assert entries.is_valid_tin(text) in (True, False)


@pytest.mark.parametrize(
    "text",
    ["", "K001000000016", "K01-000000016", "k001-000000016", "K001-00000016", "K001-0000000016",
     "ក001-000000016", "K001-00000001\uff16", "K001-00000001²", "K001-០០០០០០០១៦",
     " K001-000000016", "K001-000000016\n"],
)  # fmt: skip
def test_malformed_tins_are_refused(text):
    assert not entries.is_valid_tin(text)
