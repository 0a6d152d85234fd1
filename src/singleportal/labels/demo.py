"""Demo labels: a few runs for the first demo products, one of them withdrawn, and two
reports of copies (one of a real code, one of a code that is not ours).

Idempotent: runs are recognised by their batch reference ("DEMO-..."), reports by their
code. Runs are issued through the same action as an owner's, as the product's profile's
first owner; products without an owner are skipped. Call it after the catalogue's demo.
"""

import datetime

from django.utils import timezone

from singleportal.accounts.models import User
from singleportal.catalog.models import Product
from singleportal.directory.models import MemberRole, ProfileMember
from singleportal.labels import actions
from singleportal.labels.models import CopyReport, LabelKind, LabelRun

# (kind, quantity, batch reference, withdrawn for this reason)
RUNS = (
    (LabelKind.BATCH, 120, "DEMO-2026-01", ""),
    (LabelKind.SINGLE, 12, "DEMO-2026-02", ""),
    (LabelKind.BATCH, 40, "DEMO-2026-03", "Printed with the wrong village of origin."),
)
UNKNOWN_CODE = "7KQ2M9XW4RTA"


def _owned_products(count: int) -> list[tuple[Product, User]]:
    found: list[tuple[Product, User]] = []
    for product in Product.objects.filter(published=True).select_related("profile")[:50]:
        member = (
            ProfileMember.objects.filter(profile=product.profile, role=MemberRole.OWNER)
            .select_related("user")
            .order_by("created_at", "pk")
            .first()
        )
        if member is not None:
            found.append((product, member.user))
        if len(found) == count:
            break
    return found


def seed_demo_labels() -> int:
    """Issue the demo runs that are missing; returns how many runs were issued."""
    products = _owned_products(len(RUNS))
    if not products:
        return 0
    issued = 0
    made_on = timezone.localdate() - datetime.timedelta(days=10)
    for index, (kind, quantity, reference, withdrawn) in enumerate(RUNS):
        product, owner = products[index % len(products)]
        if LabelRun.objects.filter(batch_reference=reference).exists():
            continue
        run = actions.issue_run(
            product,
            by=owner,
            kind=kind,
            quantity=quantity,
            made_on=made_on,
            batch_reference=reference,
        )
        issued += 1
        if withdrawn:
            actions.withdraw_run(run, by=owner, reason=withdrawn)
    _seed_reports()
    return issued


def _seed_reports() -> None:
    copied = LabelRun.objects.filter(batch_reference="DEMO-2026-01").first()
    if copied is not None:
        label = copied.labels.get()
        if not CopyReport.objects.filter(code=label.code).exists():
            actions.report_copy(
                label=label,
                code=label.code,
                by=None,
                place="Psar Chas market, Siem Reap",
                description=(
                    "The same krama with this label at half the price, machine-woven, "
                    "and the seller could not say which village it came from."
                ),
            )
    if not CopyReport.objects.filter(code=UNKNOWN_CODE).exists():
        actions.report_copy(
            label=None,
            code=UNKNOWN_CODE,
            by=None,
            place="Online shop",
            link="https://shop.example.com/silk-scarf",
            description="A label that looks like the portal's, but its code is not found.",
        )
