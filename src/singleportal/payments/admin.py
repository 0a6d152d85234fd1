"""The operator's tools for payments: the fee schedule and the exchange rates are data edited
here, each edit in the audit chain. Invoices, payments, refunds, the ledger and what the
provider told us are shown read-only: only payments.actions writes them."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from singleportal.config.admin import AuditedModelAdmin, ViewOnlyAdmin, ViewOnlyInline, admin_site
from singleportal.payments.models import (
    EventHandling,
    EventOutcome,
    ExchangeRate,
    Fee,
    Invoice,
    InvoiceLine,
    LedgerEntry,
    Payment,
    ProviderEvent,
    Refund,
)
from singleportal.payments.selectors import money

# What an invoice copied from the fee or chose it by: fixed once an invoice line uses the fee,
# so the schedule keeps saying what was charged and when. The end of its validity may still
# change (that is how a fee is retired), and so may its names and refund rule, which each line
# copied when it was issued.
FIXED_ONCE_USED = (
    "agency",
    "kind",
    "legal_form",
    "min_turnover_khr",
    "max_turnover_khr",
    "amount",
    "currency",
    "online_discount_percent",
    "valid_from",
)
USED_FEE_HELP = _(
    "Invoices have charged this fee, so what they charged cannot change here and the fee "
    "cannot be deleted. To charge a new amount, set the last day of this fee in “valid until” "
    "and add a new fee valid from the next day."
)


def _used(fee: Fee | None) -> bool:
    """Whether an invoice line uses the fee (asked once per request and object)."""
    if fee is None or fee.pk is None:
        return False
    if not hasattr(fee, "_used_by_invoices"):
        fee._used_by_invoices = fee.invoice_lines.exists()  # type: ignore[attr-defined]
    return fee._used_by_invoices  # type: ignore[attr-defined]


def _overlaps(low_a: Any, high_a: Any, low_b: Any, high_b: Any, *, inclusive: bool) -> bool:
    """Whether two ranges meet; None is open-ended. `inclusive`: the high ends belong to the
    range (validity days), otherwise not (turnover bands: "from ... below ...")."""

    def before(low: Any, high: Any) -> bool:
        if low is None or high is None:
            return True
        return low <= high if inclusive else low < high

    return before(low_a, high_b) and before(low_b, high_a)


class FeeForm(forms.ModelForm):
    class Meta:
        model = Fee
        fields = [
            "agency",
            "kind",
            "name_km",
            "name_en",
            "legal_form",
            "min_turnover_khr",
            "max_turnover_khr",
            "amount",
            "currency",
            "online_discount_percent",
            "refund_rule",
            "valid_from",
            "valid_until",
        ]

    def _value(self, data: dict[str, Any], name: str) -> Any:
        # A field shown read-only is not in the form: its value is the saved one.
        return data.get(name) if name in self.fields else getattr(self.instance, name, None)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        value = lambda name: self._value(data, name)  # noqa: E731
        valid_from, valid_until = value("valid_from"), value("valid_until")
        if valid_from and valid_until and valid_until < valid_from:
            self.add_error("valid_until", _("The last day cannot be before the first."))
        discount = value("online_discount_percent")
        if discount is not None and discount > 100 and "online_discount_percent" in self.fields:
            self.add_error("online_discount_percent", _("A discount is at most 100%."))
        low, high = value("min_turnover_khr"), value("max_turnover_khr")
        if low is not None and high is not None and low >= high:
            self.add_error(
                "max_turnover_khr", _("The band must end above the turnover it starts from.")
            )
        if valid_until and _used(self.instance):
            last = self.instance.invoice_lines.aggregate(last=Max("invoice__issued_at"))["last"]
            if last and valid_until < timezone.localdate(last):
                self.add_error(
                    "valid_until",
                    _(
                        "An invoice issued on %(day)s charged this fee: it ends on that day "
                        "or later."
                    )
                    % {"day": timezone.localdate(last).isoformat()},
                )
        if not self.errors:
            self._refuse_double_charge(value)
        return data

    def _refuse_double_charge(self, value: Any) -> None:
        """Two fees of one agency and kind that both apply to some file on some day would both
        be charged: the schedule must say which one applies."""
        agency, kind = value("agency"), value("kind")
        if agency is None or not kind:
            return
        legal_form = value("legal_form")
        others = Fee.objects.filter(agency=agency, kind=kind).exclude(pk=self.instance.pk)
        for other in others.select_related("agency"):
            same_forms = legal_form is None or other.legal_form_id in (None, legal_form.pk)
            if (
                same_forms
                and _overlaps(
                    value("min_turnover_khr"),
                    value("max_turnover_khr"),
                    other.min_turnover_khr,
                    other.max_turnover_khr,
                    inclusive=False,
                )
                and _overlaps(
                    value("valid_from"),
                    value("valid_until"),
                    other.valid_from,
                    other.valid_until,
                    inclusive=True,
                )
            ):
                raise forms.ValidationError(
                    _(
                        "Files would be charged this fee and fee #%(other)s (%(name)s, valid "
                        "from %(day)s) both: give the two different legal forms, turnover "
                        "bands or dates, for instance by ending the other one first."
                    ),
                    params={
                        "other": other.pk,
                        "name": other.name,
                        "day": other.valid_from.isoformat(),
                    },
                    code="double_charge",
                )


@admin.register(Fee, site=admin_site)
class FeeAdmin(AuditedModelAdmin):
    """The fee schedule. A fee invoices have used keeps what they charged: the operator ends its
    validity and adds a new row (see FIXED_ONCE_USED)."""

    form = FeeForm
    list_display = (
        "agency",
        "kind",
        "for_legal_form",
        "turnover_band",
        "amount_with_currency",
        "online_discount_percent",
        "refund_rule",
        "valid_from",
        "valid_until",
    )
    list_filter = ("agency", "kind", "currency")
    list_select_related = ("agency", "legal_form")
    search_fields = ("name_km", "name_en")

    @admin.display(description=_("legal form"), ordering="legal_form__position")
    def for_legal_form(self, fee: Fee) -> str:
        return str(fee.legal_form) if fee.legal_form else str(_("Every legal form"))

    @admin.display(description=_("expected yearly turnover"))
    def turnover_band(self, fee: Fee) -> str:
        low, high = fee.min_turnover_khr, fee.max_turnover_khr
        if low is None and high is None:
            return str(_("Any"))
        if high is None:
            return str(_("from %(low)s")) % {"low": money(low or 0, "KHR")}
        if low is None:
            return str(_("below %(high)s")) % {"high": money(high, "KHR")}
        return str(_("from %(low)s below %(high)s")) % {
            "low": money(low, "KHR"),
            "high": money(high, "KHR"),
        }

    @admin.display(description=_("amount"), ordering="amount")
    def amount_with_currency(self, fee: Fee) -> str:
        return money(fee.amount, fee.currency)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return FIXED_ONCE_USED if _used(obj) else ()

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if not _used(obj):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "description": USED_FEE_HELP}), *rest]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Invoice lines point at the fee (PROTECT): the schedule must keep what they charged.
        return not _used(obj) and super().has_delete_permission(request, obj)


@admin.register(ExchangeRate, site=admin_site)
class ExchangeRateAdmin(AuditedModelAdmin):
    """Each invoice keeps the rate it was issued at: a correction here changes later ones."""

    list_display = ("day", "khr_per_usd")
    ordering = ("-day",)
    date_hierarchy = "day"


class InvoiceLineInline(ViewOnlyInline):
    model = InvoiceLine
    fields = (
        "agency",
        "name_km",
        "name_en",
        "fee",
        "fee_amount",
        "fee_currency",
        "discount_percent",
        "amount",
        "refund_rule",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("agency", "fee__agency")


@admin.register(Invoice, site=admin_site)
class InvoiceAdmin(ViewOnlyAdmin):
    list_display = ("reference", "application", "status", "total", "issued_at", "paid_at")
    list_filter = ("status",)
    list_select_related = ("application",)
    search_fields = ("reference", "application__reference")
    date_hierarchy = "issued_at"
    inlines = [InvoiceLineInline]


class LedgerInline(ViewOnlyInline):
    model = LedgerEntry
    fk_name = "payment"
    fields = ("day", "agency", "kind", "amount", "refund")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("agency", "refund")


@admin.register(Payment, site=admin_site)
class PaymentAdmin(ViewOnlyAdmin):
    list_display = ("invoice", "provider", "transaction_id", "amount", "payer_account", "paid_at")
    list_filter = ("provider",)
    list_select_related = ("invoice",)
    search_fields = ("invoice__reference", "invoice__application__reference", "transaction_id")
    date_hierarchy = "paid_at"
    inlines = [LedgerInline]


@admin.register(Refund, site=admin_site)
class RefundAdmin(ViewOnlyAdmin):
    list_display = (
        "reference",
        "payment",
        "amount",
        "status",
        "requested_at",
        "confirmed_at",
        "attempts",
        "last_error",
    )
    list_filter = ("status",)
    list_select_related = ("payment__invoice",)
    search_fields = ("reference", "payment__invoice__reference", "payment__transaction_id")
    date_hierarchy = "requested_at"


@admin.register(LedgerEntry, site=admin_site)
class LedgerEntryAdmin(ViewOnlyAdmin):
    """What each agency is owed, entry by entry; the day's totals are in the reconciliation
    (manage.py reconcile)."""

    list_display = ("day", "agency", "kind", "amount", "invoice", "payment", "refund")
    list_filter = ("day", "agency", "kind")
    list_select_related = ("agency", "invoice", "payment__invoice", "refund")
    search_fields = ("invoice__reference",)
    date_hierarchy = "day"


class LatestOutcomeFilter(admin.SimpleListFilter):
    title = _("outcome")
    parameter_name = "outcome"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return list(EventOutcome.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        # A hand-edited URL may carry anything; only a known outcome filters.
        if self.value() in EventOutcome.values:
            return queryset.filter(latest_outcome=self.value())
        return queryset


class EventHandlingInline(ViewOnlyInline):
    model = EventHandling
    fields = ("at", "outcome", "problem", "invoice")
    readonly_fields = fields
    ordering = ("at", "pk")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("invoice")


@admin.register(ProviderEvent, site=admin_site)
class ProviderEventAdmin(ViewOnlyAdmin):
    """Every notification as received, with each time it was handled: the held and unmatched
    ones are the operator's to settle with the bank."""

    list_display = (
        "received_at",
        "provider",
        "event_id",
        "kind",
        "bill_number",
        "amount",
        "currency",
        "outcome",
    )
    list_filter = (LatestOutcomeFilter, "provider", "kind")
    search_fields = ("event_id", "transaction_id", "bill_number")
    date_hierarchy = "received_at"
    inlines = [EventHandlingInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        latest = EventHandling.objects.filter(event=OuterRef("pk")).order_by("-at", "-pk")
        return (
            super()
            .get_queryset(request)
            .annotate(latest_outcome=Subquery(latest.values("outcome")[:1]))
        )

    @admin.display(description=_("outcome"), ordering="latest_outcome")
    def outcome(self, event: Any) -> str:
        if event.latest_outcome is None:
            return "-"
        return str(EventOutcome(event.latest_outcome).label)
