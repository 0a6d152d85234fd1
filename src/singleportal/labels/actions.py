"""Issuing and withdrawing label runs, making their sheets, and reports of suspected copies."""

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from singleportal.audit import chain as audit
from singleportal.catalog.models import Product
from singleportal.certificates import keys
from singleportal.core.images import process_photo
from singleportal.core.storage import deleted_if_failed
from singleportal.directory.access import can_manage, is_programme_staff
from singleportal.directory.models import ProfileMember
from singleportal.labels import codes, rendering, signing
from singleportal.labels.facts import facts_of
from singleportal.labels.models import (
    MAX_BATCH_QUANTITY,
    MAX_LABELS_PER_RUN,
    CopyReport,
    Label,
    LabelKind,
    LabelRun,
    LabelSheet,
    ReportReview,
    ReviewFinding,
    RunWithdrawal,
    SheetLayout,
    SheetStatus,
)


def ensure_can_manage(user: Any, run_or_product: LabelRun | Product) -> None:
    if not can_manage(user, run_or_product.profile):
        raise PermissionDenied


def _check_run(kind: str, quantity: int, made_on: datetime.date) -> None:
    errors: dict[str, str] = {}
    if kind not in LabelKind.values:
        errors["kind"] = _("Choose one label per item or one label for the batch.")
    elif kind == LabelKind.SINGLE and not 1 <= quantity <= MAX_LABELS_PER_RUN:
        errors["quantity"] = _("One label per item: from 1 to %(max)s labels in a run.") % {
            "max": f"{MAX_LABELS_PER_RUN:,}"
        }
    elif kind == LabelKind.BATCH and not 1 <= quantity <= MAX_BATCH_QUANTITY:
        errors["quantity"] = _("A batch holds from 1 to %(max)s items.") % {
            "max": f"{MAX_BATCH_QUANTITY:,}"
        }
    if made_on > timezone.localdate():
        errors["made_on"] = _("The day the items were made cannot be in the future.")
    if errors:
        raise ValidationError(errors)


def _unused_codes(count: int) -> list[str]:
    """`count` new codes no label has yet (60 random bits each: a clash is rare, not
    impossible, and the unique index would fail the whole run)."""
    wanted: set[str] = set()
    while len(wanted) < count:
        fresh = {codes.new_code() for _ in range(count - len(wanted))} - wanted
        taken = set(Label.objects.filter(code__in=fresh).values_list("code", flat=True))
        wanted |= fresh - taken
    return sorted(wanted)


def issue_run(
    product: Product,
    *,
    by: Any,
    kind: str,
    quantity: int,
    made_on: datetime.date,
    batch_reference: str = "",
    layout: str = SheetLayout.SMALL,
) -> LabelRun:
    """A print run for `product` by a member of its profile: its facts taken now, one signed
    label per item (or one for the batch), and its sheet queued for rendering."""
    ensure_can_manage(by, product)
    _check_run(kind, quantity, made_on)
    loaded, key_row = keys.current_signing_key()
    with transaction.atomic():
        product = Product.objects.select_related("profile__business").get(pk=product.pk)
        facts = facts_of(
            product,
            kind=kind,
            quantity=quantity,
            batch_reference=batch_reference.strip(),
            made_on=made_on,
        )
        run = LabelRun.objects.create(
            product=product,
            profile=product.profile,
            kind=kind,
            quantity=quantity,
            batch_reference=batch_reference.strip(),
            made_on=made_on,
            issued_by=by,
            issued_at=timezone.now(),
            key=key_row,
            facts=facts,
        )
        items: list[int | None] = (
            list(range(1, quantity + 1)) if kind == LabelKind.SINGLE else [None]
        )
        labels = []
        for code, item in zip(_unused_codes(len(items)), items, strict=True):
            claims = signing.claims_for(facts, code=code, item=item, key_id=loaded.kid)
            labels.append(
                Label(run=run, code=code, item=item, payload=signing.sign(claims, loaded.private))
            )
        Label.objects.bulk_create(labels)
        audit.record(by, "labels.run_issued", run, {"kind": kind, "quantity": quantity})
        request_sheet(run, by=by, layout=layout)
    return run


def request_sheet(run: LabelRun, *, by: Any, layout: str) -> LabelSheet:
    """The run's sheet in `layout`, queued for a worker unless it is already made or being
    made (a failed one is tried again)."""
    ensure_can_manage(by, run)
    if hasattr(run, "withdrawal"):
        raise ValidationError(_("This run was withdrawn: its labels are not printed again."))
    if layout not in SheetLayout.values:
        raise ValidationError(_("Choose a sheet size."))
    with transaction.atomic():
        sheet, created = LabelSheet.objects.select_for_update().get_or_create(
            run=run, layout=layout
        )
        if created or sheet.status == SheetStatus.FAILED:
            if not created:
                sheet.status, sheet.labels_done = SheetStatus.QUEUED, 0
                sheet.save(update_fields=["status", "labels_done"])
            from singleportal.labels import tasks

            sheet_id = sheet.pk
            transaction.on_commit(lambda: tasks.render_sheet.delay(sheet_id))
    return sheet


def render_sheet(sheet_id: int) -> LabelSheet:
    """Make the PDF of a queued sheet; idempotent (a ready sheet is left alone). Progress is
    committed after each chunk of pages, so the owner's page shows it."""
    sheet = LabelSheet.objects.select_related("run").get(pk=sheet_id)
    if sheet.status == SheetStatus.READY:
        return sheet
    LabelSheet.objects.filter(pk=sheet.pk).update(status=SheetStatus.RENDERING, labels_done=0)
    run = sheet.run
    labels = list(run.labels.order_by("item", "pk").values_list("code", "payload"))

    def progress(done: int) -> None:
        LabelSheet.objects.filter(pk=sheet.pk).update(labels_done=done)

    try:
        pdf = rendering.render_sheet(run.facts, labels, sheet.layout, settings.SITE_URL, progress)
    except Exception:
        LabelSheet.objects.filter(pk=sheet.pk).update(
            status=SheetStatus.FAILED, finished_at=timezone.now()
        )
        raise
    sheet.refresh_from_db()
    sheet.pdf.save(f"{sheet.layout}.pdf", ContentFile(pdf), save=False)
    sheet.status, sheet.finished_at = SheetStatus.READY, timezone.now()
    sheet.save(update_fields=["pdf", "status", "finished_at"])
    return sheet


def withdraw_run(run: LabelRun, *, by: Any, reason: str) -> RunWithdrawal:
    """Take a run back: its labels scan as withdrawn from now on. Final."""
    ensure_can_manage(by, run)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the labels are withdrawn.")})
    with transaction.atomic():
        run = LabelRun.objects.select_for_update().get(pk=run.pk)
        if RunWithdrawal.objects.filter(run=run).exists():
            raise ValidationError(_("This run is already withdrawn."))
        withdrawal = RunWithdrawal.objects.create(run=run, reason=reason.strip(), by=by)
        audit.record(by, "labels.run_withdrawn", run, {"reason": reason.strip()})
    return withdrawal


def report_copy(
    *,
    label: Label | None,
    code: str,
    by: Any,
    place: str,
    description: str,
    link: str = "",
    contact: str = "",
    photo: Any = None,
) -> CopyReport:
    """A suspected copy reported by anyone (the rate limit is the view's). The photo goes
    through core.images: re-encoded, no EXIF or GPS left."""
    processed = process_photo(photo) if photo else None
    report = CopyReport(
        label=label,
        code=code[:40],
        place=place.strip(),
        link=link.strip(),
        description=description.strip(),
        contact=contact.strip(),
        reported_by=by if getattr(by, "is_authenticated", False) else None,
    )
    if processed is not None:
        report.photo.save(str(processed.image.name), processed.image, save=False)
        report.thumbnail.save(str(processed.thumbnail.name), processed.thumbnail, save=False)
    with deleted_if_failed(report.photo, report.thumbnail), transaction.atomic():
        report.save()
        audit.record(report.reported_by, "labels.copy_reported", report, {"code": report.code})
    return report


def review_report(report: CopyReport, *, by: Any, finding: str, note: str) -> ReportReview:
    """Programme staff's finding on a report, with a note; the latest finding is the report's
    status. Reviewing again adds a row. A likely copy of one of our labels is told to the
    members of the profile the label is theirs (labels.tasks.tell_member_of_copy)."""
    if not is_programme_staff(by):
        raise PermissionDenied
    if finding not in ReviewFinding.values:
        raise ValidationError({"finding": _("Choose what you found.")})
    if not note.strip():
        raise ValidationError({"note": _("Write a note for the record.")})
    with transaction.atomic():
        report = CopyReport.objects.select_for_update().get(pk=report.pk)
        review = ReportReview.objects.create(
            report=report, finding=finding, note=note.strip(), by=by
        )
        report.status = finding
        report.save(update_fields=["status"])
        audit.record(by, "labels.report_reviewed", report, {"finding": finding})
        if finding == ReviewFinding.LIKELY_COPY and report.label_id is not None:
            _tell_members_on_commit(review)
    return review


def _tell_members_on_commit(review: ReportReview) -> None:
    from singleportal.labels import tasks

    members = list(
        ProfileMember.objects.filter(profile__label_runs__labels__reports=review.report)
        .values_list("user_id", flat=True)
        .distinct()
    )

    def tell() -> None:
        for user_id in members:
            tasks.tell_member_of_copy.delay(review.pk, user_id)

    transaction.on_commit(tell)
