"""Pages: a label's public page (what its QR code opens) and the report of a copy; the
business's runs, sheets and withdrawals; programme staff's queue of reports."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from singleportal.accounts.models import Role
from singleportal.certificates.keys import SigningKeyMissing, SigningKeyRevoked
from singleportal.core.access import public, role_required, signed_in
from singleportal.core.forms import apply_errors
from singleportal.core.page_memory import PageMemory
from singleportal.directory.access import is_programme_staff
from singleportal.labels import actions, codes, forms, selectors
from singleportal.labels.models import Label, LabelKind, ReportStatus, SheetLayout
from singleportal.labels.presenting import REASON_MESSAGES, facts_for_page
from singleportal.labels.signing import Reason
from singleportal.names.ratelimit import client_ident, hit

# Anonymous visitors' label pages, whole, per process: a label is scanned again and again and
# its answer changes only with its version (selectors.record_scan). The scan count differs on
# every visit: the kept page holds a slot for it, filled on the way out.
scan_pages = PageMemory()
SCANS_SLOT = "\x00scans\x00"
PAGE_SIZE = 25


def _with_scans(response: HttpResponse, scans: int) -> HttpResponse:
    response.content = response.content.replace(SCANS_SLOT.encode(), str(scans).encode())
    return response


def report_rate() -> str:
    return settings.LABELS_REPORT_RATE


# --- Public -------------------------------------------------------------------------------


@public
@require_GET
def lookup(request: HttpRequest) -> HttpResponse:
    """Anyone: type the code printed under a QR code."""
    form = forms.LookupForm(request.GET or None)
    if form.is_valid():
        return redirect("labels:scan", codes.normalise(form.cleaned_data["code"]))
    return render(request, "labels/lookup.html", {"form": form})


@public
@require_GET
def scan(request: HttpRequest, code: str) -> HttpResponse:
    """Anyone, no sign-in: is this label genuine, who made the product, where, of what. A
    page already shown costs one query (which also counts the scan) while its answer holds."""
    canonical = codes.normalise(code)
    if canonical != code:
        query = request.META.get("QUERY_STRING", "")
        target = reverse("labels:scan", args=[canonical])
        return redirect(f"{target}?{query}" if query else target, permanent=True)
    seen = selectors.record_scan(code)
    if seen is None:
        context = {
            "result": selectors.Verification(None, False, Reason.UNKNOWN_CODE),
            "code": code,
            "form": forms.ReportForm(),
            "reason_message": REASON_MESSAGES[Reason.UNKNOWN_CODE],
        }
        return render(request, "labels/scan.html", context, status=404)
    kept = scan_pages.serves(request)
    page_key = (seen.version, seen.many, get_language(), request.get_full_path())
    if kept and (remembered := scan_pages.recall(page_key, request)) is not None:
        return _with_scans(remembered, seen.scans)
    result = selectors.verify(code, request.GET.get("p", "")[:2000])
    run = result.run
    assert run is not None  # record_scan found the label
    context = {
        "result": result,
        "code": code,
        "grouped": codes.grouped(code),
        "facts": facts_for_page(run.facts),
        "label": result.label,
        "run": run,
        "single": run.kind == LabelKind.SINGLE,
        "scans": SCANS_SLOT,
        "many_scans": seen.many,
        "reason_message": REASON_MESSAGES.get(result.reason, ""),
        "form": forms.ReportForm(),
    }
    response = render(request, "labels/scan.html", context)
    if kept:
        scan_pages.keep(page_key, request, response)
    return _with_scans(response, seen.scans)


@public
@require_POST
def report(request: HttpRequest, code: str) -> HttpResponse:
    """Anyone (CSRF-checked, a few reports per address per hour): report a suspected copy of
    the label `code`, or of a code that is not ours."""
    code = codes.normalise(code)
    label = Label.objects.filter(code=code).first()
    verdict = hit("labels-report", client_ident(request), report_rate())
    form = forms.ReportForm(request.POST, request.FILES)
    if not verdict.allowed:
        minutes = max(1, verdict.retry_after // 60)
        context = {"form": form, "code": code, "refused_for": minutes}
        response = render(request, "labels/report.html", context, status=429)
        response["Retry-After"] = str(verdict.retry_after)
        return response
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.report_copy(
                label=label,
                code=code,
                by=request.user,
                place=data["place"],
                description=data["description"],
                link=data["link"],
                contact=data["contact"],
                photo=data["photo"],
            )
        except ValidationError as error:
            form.add_error("photo", error.messages)
        else:
            return redirect("labels:report_sent")
    return render(request, "labels/report.html", {"form": form, "code": code}, status=422)


@public
@require_GET
def report_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "labels/report_sent.html")


# --- The business -------------------------------------------------------------------------


@signed_in
@require_GET
def runs(request: HttpRequest) -> HttpResponse:
    """The runs of the profiles the user manages, and the reports of copies of their labels.
    Anyone else sees an empty list."""
    filters = forms.RunFilterForm(request.GET or None)
    found = selectors.runs_of(request.user)
    state = filters.cleaned_data.get("state") if filters.is_valid() else ""
    if state == "active":
        found = found.filter(withdrawal__isnull=True)
    elif state == "withdrawn":
        found = found.filter(withdrawal__isnull=False)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    reports = selectors.reports_about(request.user)
    context = {
        "filters": filters,
        "page": page,
        "reports": reports[:20],
        "report_count": reports.count(),
        "can_issue": selectors.manageable_products(request.user).exists(),
    }
    return render(request, "labels/runs.html", context)


@signed_in
def new_run(request: HttpRequest) -> HttpResponse:
    """A member of a profile: labels for one of its products."""
    products = selectors.manageable_products(request.user)
    initial = {}
    wanted = products.filter(slug=request.GET.get("product", "")).first()
    if wanted is not None:
        initial["product"] = wanted
    form = forms.RunForm(request.POST or None, products=products, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = actions.issue_run(
                data["product"],
                by=request.user,
                kind=data["kind"],
                quantity=data["quantity"],
                made_on=data["made_on"],
                batch_reference=data["batch_reference"],
                layout=data["layout"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        except (SigningKeyMissing, SigningKeyRevoked):
            form.add_error(None, _("Labels cannot be signed at the moment: please try later."))
        else:
            return redirect("labels:run", run.pk)
    return render(request, "labels/new.html", {"form": form, "has_products": products.exists()})


@signed_in
@require_GET
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    """Members of the run's profile only (404 for anyone else)."""
    run = selectors.run_for_manager(request.user, run_id)
    sheets = selectors.sheets_of(run)
    made = {sheet.layout for sheet in sheets}
    page = Paginator(selectors.labels_of(run), 50).get_page(request.GET.get("page"))
    context = {
        "run": run,
        "facts": facts_for_page(run.facts),
        "sheets": sheets,
        "working": any(not sheet.finished for sheet in sheets),
        "sheet_form": forms.SheetForm(
            initial={"layout": next((c for c in SheetLayout.values if c not in made), None)}
        ),
        "withdraw_form": forms.WithdrawForm(),
        "page": page,
        "reports": selectors.reports_about_run(run),
    }
    return render(request, "labels/run.html", context)


@signed_in
@require_POST
def make_sheet(request: HttpRequest, run_id: int) -> HttpResponse:
    run = selectors.run_for_manager(request.user, run_id)
    form = forms.SheetForm(request.POST)
    if form.is_valid():
        try:
            actions.request_sheet(run, by=request.user, layout=form.cleaned_data["layout"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect("labels:run", run.pk)


@signed_in
@require_GET
def download(request: HttpRequest, run_id: int, layout: str) -> FileResponse:
    """Members of the run's profile only; 404 until the sheet is made."""
    sheet = selectors.sheet_for_manager(request.user, run_id, layout)
    filename = f"labels-{sheet.run_id}-{sheet.layout}.pdf"
    return FileResponse(sheet.pdf.open("rb"), content_type="application/pdf", filename=filename)


@signed_in
@require_POST
def withdraw(request: HttpRequest, run_id: int) -> HttpResponse:
    run = selectors.run_for_manager(request.user, run_id)
    form = forms.WithdrawForm(request.POST)
    if form.is_valid():
        try:
            actions.withdraw_run(run, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The labels of this run now show as withdrawn."))
    else:
        messages.error(request, _("Say why the labels are withdrawn."))
    return redirect("labels:run", run.pk)


# --- Reports of copies --------------------------------------------------------------------


@role_required(Role.PROGRAMME_STAFF)
@require_GET
def report_queue(request: HttpRequest) -> HttpResponse:
    """Programme staff: every report, those not reviewed yet first."""
    filters = forms.ReportFilterForm(request.GET or None)
    status = filters.cleaned_data.get("status", "") if filters.is_valid() else ""
    page = Paginator(selectors.report_queue(status), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filters": filters, "page": page}
    return render(request, "labels/reports.html", context)


@signed_in
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    """Programme staff read and review; members of the profile whose label it is about read
    it without the reporter's contact. Anyone else: 404."""
    found = selectors.report_for(request.user, report_id)
    staff = is_programme_staff(request.user)
    form = forms.ReviewForm(request.POST or None) if staff else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                actions.review_report(
                    found,
                    by=request.user,
                    finding=form.cleaned_data["finding"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Review recorded."))
                return redirect("labels:report_detail", found.pk)
    context = {
        "report": found,
        "staff": staff,
        "form": form,
        "reviews": found.reviews.select_related("by").order_by("at", "pk"),
        "new": ReportStatus.NEW,
    }
    return render(request, "labels/report_detail.html", context)


@signed_in
@require_GET
def report_photo(request: HttpRequest, report_id: int, kind: str) -> FileResponse:
    found = selectors.report_for(request.user, report_id)
    file = {"photo": found.photo, "thumbnail": found.thumbnail}.get(kind)
    if not file or not default_storage.exists(str(file.name)):
        raise Http404
    return FileResponse(file.open("rb"), content_type="image/jpeg")
