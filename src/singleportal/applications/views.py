"""The wizard: one thing per page, saved at every step, resumable from any device (the draft is
in the database), a review page with Change links, then the declaration and submission."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from singleportal.accounts.models import User
from singleportal.activities import selectors as activity_selectors
from singleportal.agencies.progress import progress_of
from singleportal.applications import actions, selectors
from singleportal.applications import forms as wizard
from singleportal.applications.models import Application, MemberKind, PartyRole, Status
from singleportal.applications.validation import problems, suggested_beneficial_owners
from singleportal.core.access import signed_in
from singleportal.core.forms import apply_errors


@dataclass(frozen=True)
class Step:
    slug: str
    title: Any
    applies: Callable[[Application], bool] = lambda app: True


def _has_capital(app: Application) -> bool:
    return bool(app.legal_form and app.legal_form.has_share_capital)


def _has_parent(app: Application) -> bool:
    return bool(app.legal_form and app.legal_form.parent_company_required)


STEPS = [
    Step("form", gettext_lazy("Legal form")),
    Step("names", gettext_lazy("Business name")),
    Step("activities", gettext_lazy("What the business does")),
    Step("address", gettext_lazy("Address")),
    Step("contact", gettext_lazy("Contact details")),
    Step("capital", gettext_lazy("Capital and shares"), _has_capital),
    Step("parent", gettext_lazy("Foreign parent company"), _has_parent),
    Step("people", gettext_lazy("People")),
    Step("owners", gettext_lazy("Beneficial owners")),
    Step("employees", gettext_lazy("Staff")),
    Step("tax", gettext_lazy("Tax")),
    Step("incentives", gettext_lazy("Investment incentives")),
    Step("signboard", gettext_lazy("Signboard")),
    Step("documents", gettext_lazy("Documents")),
]


REVIEW = "review"


def steps_for(app: Application) -> list[Step]:
    return [s for s in STEPS if s.applies(app)]


def open_steps(app: Application) -> list[Step]:
    """The steps the applicant may change now: all of a draft's; only the sections an agency
    sent back while a correction is asked for."""
    return [s for s in steps_for(app) if app.open_for(s.slug)]


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _next_slug(app: Application, slug: str) -> str:
    slugs = [s.slug for s in open_steps(app)]
    if slug in slugs and slugs.index(slug) + 1 < len(slugs):
        return slugs[slugs.index(slug) + 1]
    return REVIEW


def _url_of(app: Application, slug: str) -> str:
    if slug == REVIEW:
        return reverse("applications:review", args=[app.public_id])
    return reverse("applications:step", args=[app.public_id, slug])


def _next_url(app: Application, slug: str) -> str:
    return _url_of(app, _next_slug(app, slug))


def _saved(app: Application, slug: str) -> HttpResponse:
    """After a step is saved: remember where to resume, and go on."""
    following = _next_slug(app, slug)
    actions.remember_step(app, following)
    return redirect(_url_of(app, following))


def resume_url(app: Application) -> str:
    """Where an applicant continues a draft: after the last step saved, if it still applies. A
    file sent back for correction opens on its review page, which says what was asked."""
    if app.status != Status.DRAFT:
        return _url_of(app, REVIEW)
    applicable = {s.slug for s in steps_for(app)} | {REVIEW}
    return _url_of(app, app.resume_step if app.resume_step in applicable else STEPS[0].slug)


def _render_step(
    request: HttpRequest, app: Application, slug: str, template: str, context: dict
) -> HttpResponse:
    steps = open_steps(app)
    slugs = [s.slug for s in steps]
    number = slugs.index(slug) + 1
    return render(
        request,
        template,
        {
            "application": app,
            "step": steps[number - 1],
            "number": number,
            "total": len(steps) + 1,  # the review page is the last step
            **context,
        },
    )


# ---------------------------------------------------------------- list and start


def _main_url(app: Application) -> str:
    """Where a file's line in the list leads: the draft or correction to continue, else the
    progress of a submitted file."""
    if app.editable:
        return resume_url(app)
    if app.status == Status.WITHDRAWN:
        return _url_of(app, REVIEW)
    return reverse("applications:progress", args=[app.public_id])


@signed_in
def application_list(request: HttpRequest) -> HttpResponse:
    applications = [(app, _main_url(app)) for app in selectors.applications_of(_user(request))]
    return render(request, "applications/list.html", {"applications": applications})


@signed_in
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    app = actions.create_application(_user(request))
    return redirect("applications:step", app.public_id, "form")


# ---------------------------------------------------------------- form steps


def _simple_form(app: Application, slug: str, data: Any) -> forms.Form:
    """The form of a one-form step, filled from the draft on GET."""
    tax = getattr(app, "tax", None)
    employment = getattr(app, "employment", None)
    incentives = getattr(app, "incentives", None)
    signboard = getattr(app, "signboard", None)
    builders: dict[str, Callable[[], forms.Form]] = {
        "names": lambda: wizard.NamesForm(
            data, initial={"name_km": app.name_km, "name_en": app.name_en}
        ),
        "contact": lambda: wizard.ContactForm(
            data, initial={"phone": app.phone, "email": app.email}
        ),
        "capital": lambda: wizard.CapitalForm(
            data, initial={"capital_khr": app.capital_khr, "share_count": app.share_count}
        ),
        "parent": lambda: wizard.ParentCompanyForm(
            data,
            initial={
                "parent_name": app.parent_name,
                "parent_country": app.parent_country,
                "parent_registration_number": app.parent_registration_number,
            },
        ),
        "employees": lambda: wizard.EmploymentForm(
            data,
            initial=employment
            and {
                "khmer_staff": employment.khmer_staff,
                "foreign_staff": employment.foreign_staff,
                "opening_date": employment.opening_date,
            },
        ),
        "tax": lambda: wizard.TaxForm(
            data,
            initial=tax
            and {
                "expected_turnover_khr": tax.expected_turnover_khr,
                "vat_registration": tax.vat_registration,
                "accounting_year_start_month": tax.accounting_year_start_month,
            },
        ),
        "incentives": lambda: wizard.IncentivesForm(
            data,
            initial=incentives
            and {
                "wanted": "yes" if incentives.wanted else "no",
                "investment_khr": incentives.investment_khr,
                "project_description": incentives.project_description,
            },
        ),
        "signboard": lambda: wizard.SignboardForm(
            data,
            initial=(
                signboard
                and {
                    "text_km": signboard.text_km,
                    "text_en": signboard.text_en,
                    "width_cm": signboard.width_cm,
                    "height_cm": signboard.height_cm,
                }
            )
            or {"text_km": app.name_km, "text_en": app.name_en},
        ),
    }
    return builders[slug]()


SAVERS: dict[str, Callable[[Application, User, dict], None]] = {
    "names": lambda app, user, d: actions.save_names(app, user, **d),
    "contact": lambda app, user, d: actions.save_contact(app, user, **d),
    "capital": lambda app, user, d: actions.save_capital(app, user, **d),
    "parent": lambda app, user, d: actions.save_parent_company(app, user, **d),
    "employees": lambda app, user, d: actions.save_employment(app, user, **d),
    "tax": lambda app, user, d: actions.save_tax(app, user, **d),
    "incentives": lambda app, user, d: actions.save_incentives(
        app,
        user,
        wanted=d["wanted"],
        investment_khr=d.get("investment_khr") or 0,
        project_description=d.get("project_description") or "",
    ),
    "signboard": lambda app, user, d: actions.save_signboard(app, user, **d),
}


@signed_in
def step(request: HttpRequest, public_id: str, slug: str) -> HttpResponse:
    app = selectors.application_for(_user(request), public_id)
    if not app.editable:
        return redirect("applications:review", app.public_id)
    if slug not in {s.slug for s in steps_for(app)}:
        raise Http404
    if not app.open_for(slug):
        messages.info(
            request, _("Only the parts the agencies asked you to correct can be changed.")
        )
        return redirect("applications:review", app.public_id)
    handler = SPECIAL_STEPS.get(slug)
    if handler is not None:
        return handler(request, app)
    form = _simple_form(app, slug, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            SAVERS[slug](app, _user(request), form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _saved(app, slug)
    return _render_step(request, app, slug, "applications/step.html", {"form": form})


def _legal_form_step(request: HttpRequest, app: Application) -> HttpResponse:
    choices = [(f.code, f.name) for f in selectors.legal_forms()]
    initial = {"legal_form": app.legal_form.code if app.legal_form else None}
    form = wizard.LegalFormForm(request.POST or None, initial=initial, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            actions.choose_legal_form(app, _user(request), form.cleaned_data["legal_form"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _saved(app, "form")
    return _render_step(request, app, "form", "applications/step.html", {"form": form})


def _activities_step(request: HttpRequest, app: Application) -> HttpResponse:
    query = request.GET.get("q", "")
    chosen = [a.activity for a in app.activities.select_related("activity")]
    found = activity_selectors.search(query) if query else []
    choices = [(a.code, f"{a.code} {a.name}") for a in chosen]
    choices += [(a.code, f"{a.code} {a.name}") for a in found if a not in chosen]
    if request.method == "POST":
        posted = request.POST.getlist("activities")
        extra = activity_selectors.by_codes([c for c in posted if c not in dict(choices)])
        choices += [(a.code, f"{a.code} {a.name}") for a in extra.values()]
    initial = {"objectives": app.objectives, "activities": [a.code for a in chosen]}
    form = wizard.ActivitiesForm(request.POST or None, initial=initial, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_activities(
                app,
                _user(request),
                objectives=form.cleaned_data["objectives"],
                codes=form.cleaned_data["activities"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _saved(app, "activities")
    context = {"form": form, "query": query, "found": found}
    return _render_step(request, app, "activities", "applications/activities.html", context)


def _address_step(request: HttpRequest, app: Application) -> HttpResponse:
    if request.method == "POST":
        form = wizard.AddressForm(request.POST)
    elif app.village_code:
        form = wizard.AddressForm(
            {
                "province": app.province_code,
                "district": app.district_code,
                "commune": app.commune_code,
                "village": app.village_code,
                "street": app.street,
                "house_number": app.house_number,
            }
        )
    else:
        form = wizard.AddressForm()
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_address(
                app,
                _user(request),
                village_code=form.chosen["village"].code,
                street=form.cleaned_data["street"],
                house_number=form.cleaned_data["house_number"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _saved(app, "address")
    return _render_step(request, app, "address", "applications/address.html", {"form": form})


def _people_step(request: HttpRequest, app: Application) -> HttpResponse:
    roles = [(r, str(PartyRole(r).label)) for r in actions.allowed_party_roles(app)]
    form = wizard.PartyForm(
        request.POST or None, roles=roles, initial={"role": roles[0][0] if roles else None}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_party(app, _user(request), **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Added."))
            return redirect("applications:step", app.public_id, "people")
    context = {
        "form": form,
        "parties": app.parties.all(),
        "has_shares": bool(app.legal_form and app.legal_form.member_kind == MemberKind.SHAREHOLDER),
        "next_url": _next_url(app, "people"),
    }
    return _render_step(request, app, "people", "applications/people.html", context)


def _owners_step(request: HttpRequest, app: Application) -> HttpResponse:
    form = wizard.BeneficialOwnerForm(request.POST or None, prefix="owner")
    confirm = wizard.ConfirmOwnersForm(
        request.POST or None if "confirm" in request.POST else None,
        initial={"no_other_beneficial_owners": app.no_other_beneficial_owners},
        prefix="confirm",
    )
    if request.method == "POST" and "confirm" in request.POST:
        form = wizard.BeneficialOwnerForm(prefix="owner")
        if confirm.is_valid():
            actions.confirm_beneficial_owners(app, _user(request), confirmed=True)
            return _saved(app, "owners")
    elif request.method == "POST" and form.is_valid():
        try:
            actions.add_beneficial_owner(app, _user(request), **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Added."))
            return redirect("applications:step", app.public_id, "owners")
    context = {
        "form": form,
        "confirm": confirm,
        "owners": app.beneficial_owners.all(),
        "hints": suggested_beneficial_owners(app),
    }
    return _render_step(request, app, "owners", "applications/owners.html", context)


def _documents_step(request: HttpRequest, app: Application) -> HttpResponse:
    form = wizard.DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            actions.upload_document(
                app,
                _user(request),
                kind=form.cleaned_data["kind"],
                file=upload,
                name=upload.name or "",
                size=upload.size or 0,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Uploaded."))
            return redirect("applications:step", app.public_id, "documents")
    context = {
        "form": form,
        "documents": app.documents.all(),
        "next_url": _next_url(app, "documents"),
    }
    return _render_step(request, app, "documents", "applications/documents.html", context)


SPECIAL_STEPS: dict[str, Callable[[HttpRequest, Application], HttpResponse]] = {
    "form": _legal_form_step,
    "activities": _activities_step,
    "address": _address_step,
    "people": _people_step,
    "owners": _owners_step,
    "documents": _documents_step,
}


@signed_in
@require_POST
def remove(request: HttpRequest, public_id: str, what: str, item_id: int) -> HttpResponse:
    app = selectors.application_for(_user(request), public_id)
    removers = {
        "people": actions.remove_party,
        "owners": actions.remove_beneficial_owner,
        "documents": actions.remove_document,
    }
    if what not in removers:
        raise Http404
    try:
        removers[what](app, _user(request), item_id)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        if not app.open_for(what):
            return redirect("applications:review", app.public_id)
    else:
        messages.success(request, _("Removed."))
    return redirect("applications:step", app.public_id, what)


# ---------------------------------------------------------------- review and submit


@signed_in
def review(request: HttpRequest, public_id: str) -> HttpResponse:
    app = selectors.application_for(_user(request), public_id)
    form = wizard.DeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.submit_application(
                app,
                _user(request),
                declared_by_name=form.cleaned_data["declared_by_name"],
                idempotency_key=request.POST.get("submission_token", ""),
            )
        except actions.NotSubmittable:
            messages.error(request, _("Fix the problems listed below, then submit again."))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("applications:submitted", app.public_id)
    found = problems(app) if app.editable else []
    by_step: dict[str, list[str]] = {}
    for problem in found:
        by_step.setdefault(problem.step, []).append(problem.message)
    steps = steps_for(app)
    correcting = app.status == Status.CORRECTION_REQUESTED
    context = {
        "application": app,
        "form": form,
        "steps": [(s, by_step.get(s.slug, []), app.open_for(s.slug)) for s in steps],
        "problems": found,
        "number": len(open_steps(app)) + 1,
        "total": len(open_steps(app)) + 1,
        "corrections": progress_of(app).corrections if correcting else [],
        "activities": app.activities.select_related("activity"),
        "is_owner": app.owner_id == request.user.pk,
        "submission_token": app.public_id.hex + str(app.versions.count()),
    }
    return render(request, "applications/review.html", context)


@signed_in
def submitted(request: HttpRequest, public_id: str) -> HttpResponse:
    app = selectors.application_for(_user(request), public_id)
    return render(request, "applications/submitted.html", {"application": app})


# ---------------------------------------------------------------- progress


@signed_in
def progress(request: HttpRequest, public_id: str) -> HttpResponse:
    """Where the file is with each agency. While agencies work, htmx asks again every few
    seconds for the fragment alone, which stops asking once the file is decided."""
    app = selectors.application_for(_user(request), public_id)
    if app.status == Status.DRAFT:
        return redirect(resume_url(app))
    context = {"progress": progress_of(app), "application": app}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "applications/_file_progress.html", context)
    return render(request, "applications/progress.html", context)


# ---------------------------------------------------------------- representatives


@signed_in
def representatives(request: HttpRequest, public_id: str) -> HttpResponse:
    app = selectors.application_for(_user(request), public_id)
    if app.owner_id != request.user.pk:
        raise Http404
    form = wizard.RepresentativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.authorise_representative(app, _user(request), form.cleaned_data["identifier"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("The representative can now see and file this application.")
            )
            return redirect("applications:representatives", app.public_id)
    context = {
        "application": app,
        "form": form,
        "authorisations": selectors.active_authorisations(app),
    }
    return render(request, "applications/representatives.html", context)


@signed_in
@require_POST
def revoke(request: HttpRequest, public_id: str, authorisation_id: int) -> HttpResponse:
    app = selectors.application_for(_user(request), public_id)
    if app.owner_id != request.user.pk:
        raise Http404
    try:
        actions.revoke_representative(app, _user(request), authorisation_id)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The representative no longer has access."))
    return redirect("applications:representatives", app.public_id)


# ---------------------------------------------------------------- documents


@signed_in
def document(request: HttpRequest, public_id: str, document_id: int) -> FileResponse:
    """Only people who may see the application get its files, always as a download."""
    found = selectors.document_for(_user(request), public_id, document_id)
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.original_name,
        content_type=found.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
