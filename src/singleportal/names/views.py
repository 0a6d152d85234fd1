"""The name check page (public; live results with htmx) and reservations (signed in)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from singleportal.core.access import public, signed_in
from singleportal.core.forms import apply_errors
from singleportal.names import actions, ratelimit, selectors
from singleportal.names.checking import check_name
from singleportal.names.forms import NameCheckForm, ReserveForm
from singleportal.names.normalization import KHMER, LATIN

FIELDS = (("name_km", KHMER), ("name_en", LATIN))


def _check_context(request: HttpRequest, form: NameCheckForm) -> tuple[dict, int]:
    results: dict[str, object] = {}
    errors: dict[str, list[str]] = {}
    status = 200
    if form.is_bound and form.is_valid():
        verdict = ratelimit.hit(
            "names-check", ratelimit.client_ident(request), ratelimit.check_rate()
        )
        if not verdict.allowed:
            message = _(
                "Too many name checks from your address. Try again in %(seconds)s seconds."
            ) % {"seconds": verdict.retry_after}
            return {"form": form, "limited": message, "retry_after": verdict.retry_after}, 429
        for field, script in FIELDS:
            value = form.cleaned_data.get(field) or ""
            if not value.strip():
                continue
            try:
                results[field] = check_name(value, script, user=request.user)
            except ValidationError as exc:
                errors[field] = exc.messages
                form.add_error(field, exc.messages)
    km, en = results.get("name_km"), results.get("name_en")
    both_available = bool(km and en and km.available and en.available)  # type: ignore[attr-defined]
    reserve_form = None
    if both_available:
        reserve_form = ReserveForm(
            initial={"name_km": km.name, "name_en": en.name},  # type: ignore[attr-defined]
            auto_id="reserve_%s",
        )
    return {
        "form": form,
        "km": km,
        "en": en,
        "errors": errors,
        "both_available": both_available,
        "reserve_form": reserve_form,
    }, status


@public
@require_GET
def check(request: HttpRequest) -> HttpResponse:
    form = NameCheckForm(request.GET or None)
    context, status = _check_context(request, form)
    if request.htmx:  # type: ignore[attr-defined]
        # htmx swaps only 2xx answers: the limit message is shown in the results instead.
        response = render(request, "names/_results.html", context)
        if status == 429:
            response["Retry-After"] = str(context["retry_after"])
        return response
    response = render(request, "names/check.html", context, status=status)
    if status == 429:
        response["Retry-After"] = str(context["retry_after"])
    return response


@signed_in
@require_POST
def reserve(request: HttpRequest) -> HttpResponse:
    form = ReserveForm(request.POST)
    if form.is_valid():
        try:
            actions.reserve_name(request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The name is reserved for you."))
            return redirect("names:reservations")
    check_form = NameCheckForm(
        {"name_km": request.POST.get("name_km", ""), "name_en": request.POST.get("name_en", "")}
    )
    context, status = _check_context(request, check_form)
    context["reserve_errors"] = [e for errors in form.errors.values() for e in errors]
    return render(request, "names/check.html", context, status=422 if status == 200 else status)


@signed_in
@require_GET
def reservations(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "names/reservations.html",
        {"reservations": selectors.reservations_of(request.user)},
    )


def _change(request: HttpRequest, reservation_id: int, action, done: str) -> HttpResponse:  # type: ignore[no-untyped-def]
    reservation = selectors.reservation_of(request.user, reservation_id)
    if reservation is None:
        raise Http404
    try:
        action(request.user, reservation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied as exc:
        raise Http404 from exc
    else:
        messages.success(request, done)
    return redirect("names:reservations")


@signed_in
@require_POST
def extend(request: HttpRequest, reservation_id: int) -> HttpResponse:
    return _change(
        request, reservation_id, actions.extend_reservation, _("The reservation is extended.")
    )


@signed_in
@require_POST
def cancel(request: HttpRequest, reservation_id: int) -> HttpResponse:
    return _change(
        request,
        reservation_id,
        actions.cancel_reservation,
        _("The reservation is cancelled; the name is free again."),
    )
