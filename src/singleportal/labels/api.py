"""Labels API (/api/v1/labels/): anyone checks a code; a business's members issue runs.

`GET /{code}` is public: the same answer as the label's page (genuine or not, why, the signed
claims and what the label states), without counting a scan. `POST /runs` and `GET /runs` need
a signed-in member of the product's profile (API token or session).
"""

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from singleportal.certificates.keys import SigningKeyMissing, SigningKeyRevoked
from singleportal.core.refusals import ErrorOut, refusal
from singleportal.labels import actions, codes, selectors, signing
from singleportal.labels.models import LabelKind, LabelRun, LabelSheet, SheetLayout
from singleportal.labels.presenting import REASON_MESSAGES

router = Router(tags=["labels"])
SHEETS = Prefetch("sheets", LabelSheet.objects.order_by("layout"))


class WithdrawalOut(Schema):
    at: str
    reason: str


class CheckOut(Schema):
    code: str
    genuine: bool
    reason: str
    message: str
    withdrawal: WithdrawalOut | None
    claims: dict[str, Any] | None
    facts: dict[str, Any] | None


class RunIn(Schema):
    product: str
    kind: LabelKind
    quantity: int
    made_on: datetime.date
    batch_reference: str = ""
    layout: SheetLayout = SheetLayout.SMALL


class LabelOut(Schema):
    code: str
    item: int | None
    url: str


class SheetOut(Schema):
    layout: str
    status: str
    labels_done: int
    download: str | None


class RunOut(Schema):
    id: int
    product: str
    kind: str
    quantity: int
    made_on: str
    batch_reference: str
    issued_at: str
    withdrawn: bool
    sheets: list[SheetOut]


class RunDetailOut(RunOut):
    labels: list[LabelOut]


def _run(run: LabelRun, *, with_labels: bool = False) -> dict[str, Any]:
    site = settings.SITE_URL
    out: dict[str, Any] = {
        "id": run.pk,
        "product": run.facts["product"]["slug"],
        "kind": run.kind,
        "quantity": run.quantity,
        "made_on": run.made_on.isoformat(),
        "batch_reference": run.batch_reference,
        "issued_at": run.issued_at.isoformat(),
        "withdrawn": hasattr(run, "withdrawal"),
        "sheets": [
            {
                "layout": sheet.layout,
                "status": sheet.status,
                "labels_done": sheet.labels_done,
                "download": reverse("labels:download", args=[run.pk, sheet.layout])
                if sheet.pdf
                else None,
            }
            for sheet in run.sheets.all()  # prefetched in layout order
        ],
    }
    if with_labels:
        out["labels"] = [
            {"code": code, "item": item, "url": signing.label_url(site, code, payload)}
            for code, item, payload in run.labels.order_by("item", "pk").values_list(
                "code", "item", "payload"
            )
        ]
    return out


@router.get(
    "/runs",
    response=list[RunOut],
    summary="Your label runs",
    description="The runs of every profile you manage, newest first (at most 100).",
)
def list_runs(request: HttpRequest) -> list[dict[str, Any]]:
    return [_run(run) for run in selectors.runs_of(request.user).prefetch_related(SHEETS)[:100]]


@router.post(
    "/runs",
    response={201: RunDetailOut, 404: ErrorOut, 422: ErrorOut, 503: ErrorOut},
    summary="Issue labels for a product",
    description=(
        "A member of the product's profile issues a run: one signed label per item "
        "(kind=single, at most 1,000) or one for a batch (kind=batch). The sheet in `layout` "
        "is rendered in the background: its status is in `sheets`."
    ),
)
def create_run(request: HttpRequest, payload: RunIn) -> Status:
    product = selectors.manageable_products(request.user).filter(slug=payload.product).first()
    if product is None:
        return Status(404, {"detail": _("No product of a profile you manage has this slug.")})
    try:
        run = actions.issue_run(
            product,
            by=request.user,
            kind=payload.kind,
            quantity=payload.quantity,
            made_on=payload.made_on,
            batch_reference=payload.batch_reference,
            layout=payload.layout,
        )
    except ValidationError as error:
        return Status(422, refusal(error))
    except PermissionDenied as error:
        raise HttpError(404, _("No product of a profile you manage has this slug.")) from error
    except (SigningKeyMissing, SigningKeyRevoked):
        return Status(503, {"detail": _("Labels cannot be signed at the moment.")})
    run = LabelRun.objects.prefetch_related(SHEETS).get(pk=run.pk)
    return Status(201, _run(run, with_labels=True))


@router.get(
    "/{code}",
    auth=None,
    response={200: CheckOut, 404: CheckOut},
    summary="Check a label",
    description=(
        "Public. Whether the label `code` is genuine; pass the QR code's payload as `p` to "
        "check it too. `reason` is one of changed_payload, unknown_key, revoked_key, "
        "other_code, not_on_record, unknown_code, withdrawn (empty when genuine). `claims` are "
        "the signed claims; `facts` what the label states (their digest is claims.h)."
    ),
)
def check_label(request: HttpRequest, code: str, p: str = "") -> Status:
    code = codes.normalise(code)
    result = selectors.verify(code, p[:2000])
    withdrawal = result.withdrawal
    body = {
        "code": code,
        "genuine": result.genuine,
        "reason": result.reason,
        "message": str(REASON_MESSAGES.get(result.reason, "")),
        "withdrawal": (
            {"at": withdrawal.at.isoformat(), "reason": withdrawal.reason} if withdrawal else None
        ),
        "claims": result.claims or None,
        "facts": result.run.facts if result.run else None,
    }
    return Status(404 if result.label is None else 200, body)
