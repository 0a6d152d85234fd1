"""Programme staff's queue of marks to verify (OVOP designations, GIs, quality marks, WFTO,
awards): each with its document, decided by verify or reject with a reason."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from singleportal.accounts.models import Role
from singleportal.catalog import actions, presenting, selectors
from singleportal.catalog.forms import DecisionForm
from singleportal.catalog.models import ProductMark
from singleportal.core.access import role_required
from singleportal.core.bilingual import bilingual

QUEUE_SIZE = 50


@role_required(Role.PROGRAMME_STAFF)
@require_GET
def mark_queue(request: HttpRequest) -> HttpResponse:
    waiting = list(selectors.marks_waiting()[:QUEUE_SIZE])
    decided = list(selectors.marks_decided()[:QUEUE_SIZE])
    context = {
        "waiting": [_row(mark) for mark in waiting],
        "decided": [
            {**_row(mark), "decision": next(iter(mark.decisions.all()), None)} for mark in decided
        ],
    }
    return render(request, "catalog/staff/marks.html", context)


def _row(mark: ProductMark) -> dict:
    return {
        "mark": mark,
        "badge": presenting.mark_badge(mark),
        "product_title": bilingual(mark.product, "title"),
        "profile_name": bilingual(mark.product.profile, "name"),
        "product_url": presenting.page_url(mark.product),
    }


@role_required(Role.PROGRAMME_STAFF)
@require_POST
def decide_mark(request: HttpRequest, mark_id: int) -> HttpResponse:
    mark = get_object_or_404(ProductMark, pk=mark_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose verify or reject."))
        return redirect("catalog:mark_queue")
    try:
        actions.decide_mark(
            mark,
            by=request.user,
            outcome=form.cleaned_data["outcome"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("catalog:mark_queue")
    messages.success(request, _("The decision was recorded."))
    return redirect("catalog:mark_queue")
