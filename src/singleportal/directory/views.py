"""Directory pages. Public: the list, a profile, its photos. Signed in: my profiles, claiming,
creating a producer group's profile. Members of a profile: editing, photos, members (owners
add and remove staff). Programme staff: the queue of claims the register cannot settle.

Pages are plain HTML forms and links; the place lists use htmx when it is there."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from singleportal.accounts.models import Role
from singleportal.core import countries
from singleportal.core.access import public, role_required, signed_in
from singleportal.core.bilingual import page_language
from singleportal.core.forms import apply_errors
from singleportal.directory import actions, presenting, selectors
from singleportal.directory.access import (
    can_manage,
    can_see_contact,
    can_see_unpublished,
    is_owner,
)
from singleportal.directory.forms import (
    ClaimForm,
    DecisionForm,
    MemberForm,
    PhotoForm,
    ProfileForm,
)
from singleportal.directory.models import (
    ExportExperience,
    Profile,
    ProfileClaim,
    ProfilePhoto,
    SpokenLanguage,
)
from singleportal.geo.models import Province


@public
@require_GET
def profile_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.Filters.from_params(request.GET)
    errors = filters.errors()
    after = selectors.decode_cursor(request.GET.get("after", ""))
    page = None if errors else selectors.public_profiles(filters, after=after)
    params = filters.as_params()
    context = {
        "filters": filters,
        "errors": errors,
        "profiles": page.profiles if page else [],
        "next_url": f"?{urlencode({**params, 'after': page.next_cursor})}"
        if page and page.next_cursor
        else "",
        "first_url": f"?{urlencode(params)}" if after is not None else "",
        "provinces": _province_choices(),
    }
    return render(request, "directory/list.html", context, status=422 if errors else 200)


def _province_choices() -> list[tuple[str, str]]:
    english = page_language() == "en"
    rows = Province.objects.order_by("code").values_list("code", "name_km", "name_en")
    return [(code, (en or km) if english else km) for code, km, en in rows]


@public
@require_GET
def profile(request: HttpRequest, slug: str) -> HttpResponse:
    found = selectors.profile_for(slug, request.user)
    if found is None:
        raise Http404(_("There is no profile at this address."))
    names = urlencode({"name_km": found.name_km, "name_en": found.name_en})
    context = {
        "profile": found,
        "facts": presenting.register_facts(found),
        "places": presenting.places(found),
        "photos": list(found.photos.all()),
        "spoken": [
            SpokenLanguage(code).label for code in found.languages if code in SpokenLanguage.values
        ],
        "markets": [countries.name(code) for code in found.export_markets],
        "export_label": ExportExperience(found.export_experience).label,
        "show_contact": can_see_contact(request.user, found),
        "manager": can_manage(request.user, found),
        "og": presenting.open_graph(found),
        "register_url": f"{reverse('names:check')}?{names}",
        "login_url": f"{reverse('accounts:login')}?{urlencode({'next': request.path})}",
    }
    return render(request, "directory/profile.html", context)


@public
@require_GET
def photo(request: HttpRequest, photo_id: int, kind: str) -> FileResponse:
    """A photo's file, for whoever may see its profile."""
    found = get_object_or_404(ProfilePhoto.objects.select_related("profile"), pk=photo_id)
    visible = found.profile.published or can_see_unpublished(request.user, found.profile)
    if kind not in ("full", "thumbnail") or not visible:
        raise Http404
    field = found.thumbnail if kind == "thumbnail" else found.image
    response = FileResponse(field.open("rb"), content_type="image/jpeg")
    # A photo's file never changes (a new photo is a new row): cache it long where public.
    response["Cache-Control"] = (
        "public, max-age=604800" if found.profile.published else "private, max-age=0"
    )
    return response


# ---------------------------------------------------------------- signed-in pages


@signed_in
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    context = {
        "profiles": selectors.managed_profiles(request.user).select_related("business"),
        "claims": selectors.claims_of(request.user)[:20],
    }
    return render(request, "directory/mine.html", context)


@signed_in
def claim(request: HttpRequest) -> HttpResponse:
    own = selectors.owned_unregistered(request.user)
    initial = {}
    if "link" in request.GET:
        linked = own.filter(slug=request.GET["link"]).first()
        initial = {"link_profile": linked} if linked else {}
    form = ClaimForm(request.POST or None, initial=initial, own_unregistered=own)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = actions.claim_profile(
                request.user,
                registration_number=data["registration_number"],
                id_number=data["id_number"],
                officer_name=data["officer_name"],
                link_profile=data.get("link_profile"),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if result.pending or result.profile is None:
                messages.success(
                    request,
                    _("Your claim is with programme staff: you will see their answer here."),
                )
                return redirect("directory:mine")
            messages.success(
                request, _("You are the owner of this profile: check and complete it.")
            )
            return redirect("directory:edit", slug=result.profile.slug)
    return render(request, "directory/claim.html", {"form": form}, status=_status(form))


@signed_in
def create(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = actions.create_unregistered_profile(request.user, **form.changes())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The profile is made. Add photos so buyers see your work."))
            return redirect("directory:profile", slug=created.slug)
    context = {"form": form, "creating": True}
    return render(request, "directory/edit.html", context, status=_status(form))


def _status(form: Any) -> int:
    return 422 if form is not None and form.is_bound and form.errors else 200


# ---------------------------------------------------------------- members of a profile


def _managed(request: HttpRequest, slug: str) -> Profile:
    """The profile at `slug` if the signed-in user is one of its members; 403 otherwise."""
    found = get_object_or_404(
        Profile.objects.select_related("business", "province", "district", "commune", "village"),
        slug=slug,
    )
    if not can_manage(request.user, found):
        raise PermissionDenied
    return found


@signed_in
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    found = _managed(request, slug)
    data = request.POST if request.method == "POST" else ProfileForm.data_of(found)
    form = ProfileForm(data, verified=found.verified)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_profile(found, by=request.user, changes=form.changes())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The profile is saved."))
            return redirect("directory:profile", slug=found.slug)
    context = {"form": form, "profile": found}
    status = 422 if request.method == "POST" and form.errors else 200
    return render(request, "directory/edit.html", context, status=status)


@signed_in
def photos(request: HttpRequest, slug: str) -> HttpResponse:
    found = _managed(request, slug)
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_photo(
                found,
                by=request.user,
                upload=form.cleaned_data["photo"],
                alt_km=form.cleaned_data["alt_km"],
                alt_en=form.cleaned_data["alt_en"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The photo is added."))
            return redirect("directory:photos", slug=found.slug)
    context = {"form": form, "profile": found, "photos": found.photos.order_by("position", "pk")}
    return render(request, "directory/photos.html", context, status=_status(form))


@signed_in
@require_POST
def remove_photo(request: HttpRequest, slug: str, photo_id: int) -> HttpResponse:
    found = _managed(request, slug)
    actions.remove_photo(found, by=request.user, photo_id=photo_id)
    messages.success(request, _("The photo is removed."))
    return redirect("directory:photos", slug=found.slug)


@signed_in
def members(request: HttpRequest, slug: str) -> HttpResponse:
    """Every member sees who else edits the profile; owners add and remove staff."""
    found = _managed(request, slug)
    owner = is_owner(request.user, found)
    form = MemberForm(request.POST or None) if owner else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                actions.add_member(
                    found, by=request.user, identifier=form.cleaned_data["identifier"]
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("They can now edit this profile."))
                return redirect("directory:members", slug=found.slug)
    context = {
        "form": form,
        "profile": found,
        "owner": owner,
        "members": selectors.members_of(found),
    }
    return render(request, "directory/members.html", context, status=_status(form))


@signed_in
@require_POST
def remove_member(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    found = _managed(request, slug)
    try:
        actions.remove_member(found, by=request.user, member_id=member_id)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The member is removed."))
    return redirect("directory:members", slug=found.slug)


# ---------------------------------------------------------------- programme staff


@role_required(Role.PROGRAMME_STAFF)
def claims_queue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "directory/claims.html",
        {"claims": selectors.pending_claims()[:50]},
    )


@role_required(Role.PROGRAMME_STAFF)
@require_POST
def decide(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim_ = get_object_or_404(ProfileClaim, pk=claim_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or refuse."))
        return redirect("directory:claims")
    try:
        actions.decide_claim(
            claim_,
            by=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The claim is decided."))
    return redirect("directory:claims")
