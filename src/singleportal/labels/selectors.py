"""Reads: a scanned code's answer for anyone, runs and reports for their owners, the review
queue for programme staff. Each is already restricted to what the caller may see."""

import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Case, Count, QuerySet, Value, When
from django.http import Http404

from singleportal.catalog.models import Product
from singleportal.certificates import verification
from singleportal.certificates.keys import published_keys
from singleportal.certificates.models import SigningKey
from singleportal.directory.access import can_manage, is_programme_staff
from singleportal.directory.selectors import managed_profiles
from singleportal.labels import signing
from singleportal.labels.models import (
    CopyReport,
    Label,
    LabelRun,
    LabelSheet,
    ReportStatus,
    RunWithdrawal,
)
from singleportal.labels.signing import Reason

# A code made for one item and scanned more often than this may have been copied: its page
# says so (docs/labels.md, "what a label does not prove").
MANY_SCANS = 20


# --- Public: a scanned code ---------------------------------------------------------------


@dataclass(frozen=True)
class Scan:
    scans: int
    version: str
    many: bool  # a one-item code scanned more than MANY_SCANS times


def record_scan(code: str) -> Scan | None:
    """Count one scan of `code` and return what its page depends on, or None for a code of no
    label. One statement: the UPDATE returns the new count and the facts that can change the
    page's answer (the run's withdrawal; the published keys, whose revocation or addition
    changes what a payload check says)."""
    label = Label._meta.db_table
    withdrawal = RunWithdrawal._meta.db_table
    key = SigningKey._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {label} SET scans = scans + 1 WHERE code = %s RETURNING scans, item, "  # noqa: S608 - our table names
            f"run_id, (SELECT w.id FROM {withdrawal} w WHERE w.run_id = {label}.run_id), "
            f"(SELECT count(*) FROM {key}), (SELECT count(revoked_at) FROM {key}), "
            f"(SELECT max(revoked_at) FROM {key})",
            [code],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    scans, item, *state = row
    raw = "\x1f".join(str(value) for value in (code, *state)).encode()
    version = hashlib.blake2b(raw, digest_size=16).hexdigest()
    return Scan(scans, version, item is not None and scans > MANY_SCANS)


@dataclass(frozen=True)
class Verification:
    """The answer for a code: genuine or not and why (signing.Reason), the label and its run
    when the code is ours, and the claims of the payload that was checked."""

    label: Label | None
    genuine: bool
    reason: str = ""
    claims: dict[str, Any] | None = None
    payload_given: bool = False

    @property
    def run(self) -> LabelRun | None:
        return self.label.run if self.label else None

    @property
    def withdrawal(self) -> RunWithdrawal | None:
        run = self.run
        return getattr(run, "withdrawal", None) if run is not None else None


def verify(code: str, payload: str = "") -> Verification:
    """Whether the label `code`, and the payload its QR code carried (when given), are
    genuine. Without a payload (a code typed by hand) the stored label is checked."""
    label = Label.objects.select_related("run__key", "run__withdrawal").filter(code=code).first()
    if label is None:
        return Verification(None, False, Reason.UNKNOWN_CODE)
    given = bool(payload.strip())
    keys = verification.keys_by_id(published_keys())
    checked = signing.check(payload.strip() if given else label.payload, keys, code)
    if not checked.genuine:
        return Verification(label, False, checked.reason, checked.claims, given)
    if given and checked.claims != verification.decode_payload(label.payload)[0]:
        # Signed by our key but not what we issued for this code: only a leaked key does that.
        return Verification(label, False, Reason.NOT_ON_RECORD, checked.claims, given)
    if hasattr(label.run, "withdrawal"):
        return Verification(label, False, Reason.WITHDRAWN, checked.claims, given)
    return Verification(label, True, "", checked.claims, given)


# --- Owners: runs and the reports about them ----------------------------------------------


def manageable_products(user: Any) -> QuerySet[Product]:
    return (
        Product.objects.filter(profile__in=managed_profiles(user))
        .select_related("profile")
        .order_by("profile__name_km", "title_km", "title_en", "pk")
    )


def runs_of(user: Any) -> QuerySet[LabelRun]:
    """The runs of every profile `user` manages, newest first."""
    return (
        LabelRun.objects.filter(profile__in=managed_profiles(user))
        .select_related("product", "profile", "withdrawal")
        .annotate(report_count=Count("labels__reports"))
        .order_by("-issued_at", "-pk")
    )


def run_for_manager(user: Any, run_id: int) -> LabelRun:
    """A run `user` manages; 404 otherwise, never saying whether it exists."""
    run = (
        LabelRun.objects.select_related("product", "profile", "withdrawal", "issued_by")
        .filter(pk=run_id)
        .first()
    )
    if run is None or not can_manage(user, run.profile):
        raise Http404
    return run


def sheets_of(run: LabelRun) -> list[LabelSheet]:
    return list(run.sheets.order_by("layout"))


def sheet_for_manager(user: Any, run_id: int, layout: str) -> LabelSheet:
    """A made sheet of a run `user` manages; 404 otherwise, and once the run is withdrawn
    (its labels would only scan as withdrawn)."""
    run = run_for_manager(user, run_id)
    sheet = run.sheets.filter(layout=layout).first()
    if sheet is None or not sheet.pdf or hasattr(run, "withdrawal"):
        raise Http404
    return sheet


def labels_of(run: LabelRun) -> QuerySet[Label]:
    return run.labels.order_by("item", "pk")


def reports_about(user: Any) -> QuerySet[CopyReport]:
    """Reports of copies of the labels of the profiles `user` manages, newest first."""
    return (
        CopyReport.objects.filter(label__run__profile__in=managed_profiles(user))
        .select_related("label__run")
        .order_by("-created_at", "-pk")
    )


def reports_about_run(run: LabelRun) -> QuerySet[CopyReport]:
    return (
        CopyReport.objects.filter(label__run=run)
        .select_related("label")
        .order_by("-created_at", "-pk")
    )


# --- Programme staff and owners: one report -----------------------------------------------


def report_queue(status: str = "") -> QuerySet[CopyReport]:
    """Every report for programme staff, those not reviewed first, then newest first."""
    found = CopyReport.objects.select_related("label__run__profile").annotate(
        reviewed=Case(When(status=ReportStatus.NEW, then=Value(0)), default=Value(1))
    )
    if status:
        found = found.filter(status=status)
    return found.order_by("reviewed", "-created_at", "-pk")


def report_for(user: Any, report_id: int) -> CopyReport:
    """A report for programme staff, or for a member of the profile whose label it is about;
    404 for anyone else."""
    report = (
        CopyReport.objects.select_related("label__run__profile", "label__run__product")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise Http404
    if is_programme_staff(user):
        return report
    if report.label is not None and can_manage(user, report.label.run.profile):
        return report
    raise Http404
