"""Fees, the one invoice of an application, what the payment provider tells us, and the ledger.

Money is integer minor units: riel for KHR, cents for USD. An invoice is always in riel; a fee
set in USD is converted at the day's stored rate and the invoice keeps that rate.

    Invoice:  open --paid--> paid          (a payment matching the total, exactly once)
              open --withdrawn--> cancelled
    Refund:   requested --provider confirms--> confirmed   (failed attempts are retried)

Payments, ledger entries and provider events are written once: a correction is a new row.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from singleportal.agencies.models import Agency
from singleportal.applications.models import Application, LegalForm
from singleportal.core.models import AppendOnly


class Currency(models.TextChoices):
    KHR = "KHR", _("Riel (KHR)")
    USD = "USD", _("US dollar (USD)")


class ExchangeRate(models.Model):
    """The official riel per US dollar of a day, entered by the operator. An invoice uses the
    latest rate on or before its day and keeps it."""

    day = models.DateField(_("day"), unique=True)
    khr_per_usd = models.PositiveIntegerField(_("riel per US dollar"))

    class Meta:
        ordering = ["-day"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")

    def __str__(self) -> str:
        return f"{self.day}: {self.khr_per_usd}"


class FeeKind(models.TextChoices):
    REGISTRATION = "registration", _("Registration fee")
    PUBLICATION = "publication", _("Publication fee")
    TAX_REGISTRATION = "tax_registration", _("Tax registration fee")
    PATENT_TAX = "patent_tax", _("Patent tax for the year")
    OPENING_DECLARATION = "opening_declaration", _("Declaration of opening fee")
    INVESTMENT_REGISTRATION = "investment_registration", _("Investment project registration fee")


class RefundRule(models.TextChoices):
    UNLESS_APPROVED = "unless_approved", _("Refunded unless the agency approved its part")
    NEVER = "never", _("Never refunded")


class Fee(models.Model):
    """One line of the fee schedule: data the operator edits (seeded with defaults).

    A fee is charged when its agency takes part in the application's plan, its legal form
    matches (blank: every form), the expected turnover falls in its band (blank: any) and the
    day falls in its validity. Once an invoice used a fee its amount is fixed: a new amount is a
    new row from a later date, so past invoices never change.
    """

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="fees", verbose_name=_("agency")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=FeeKind.choices)
    name_km = models.CharField(_("name in Khmer"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)
    legal_form = models.ForeignKey(
        LegalForm,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("legal form"),
        help_text=_("Leave blank for every legal form."),
    )
    min_turnover_khr = models.PositiveBigIntegerField(
        _("from expected yearly turnover (KHR)"), null=True, blank=True
    )
    max_turnover_khr = models.PositiveBigIntegerField(
        _("below expected yearly turnover (KHR)"), null=True, blank=True
    )
    amount = models.PositiveBigIntegerField(
        _("amount"), help_text=_("In riel for KHR, in cents for USD.")
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    online_discount_percent = models.PositiveSmallIntegerField(
        _("discount for filing online (%)"), default=0
    )
    refund_rule = models.CharField(
        _("refund"), max_length=16, choices=RefundRule.choices, default=RefundRule.UNLESS_APPROVED
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("The last day; blank: open-ended.")
    )

    class Meta:
        ordering = ["agency__code", "kind", "valid_from"]
        verbose_name = _("fee")
        verbose_name_plural = _("fee schedule")
        constraints = [
            models.CheckConstraint(
                condition=Q(online_discount_percent__lte=100), name="fee_discount_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="fee_valid_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency.code} {self.name}"

    @property
    def name(self) -> str:
        return self.name_en if get_language() == "en" else self.name_km


class InvoiceStatus(models.TextChoices):
    OPEN = "open", _("Awaiting payment")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


class Invoice(models.Model):
    """The one invoice of an application: every agency's fee, one total in riel."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="invoice", verbose_name=_("application")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=InvoiceStatus.choices, default=InvoiceStatus.OPEN
    )
    total = models.PositiveBigIntegerField(_("total (KHR)"))
    khr_per_usd = models.PositiveIntegerField(_("riel per US dollar"), null=True, blank=True)
    rate_day = models.DateField(_("rate of"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    expires_at = models.DateTimeField(_("pay by"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    khqr = models.TextField(_("KHQR code"))

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")

    def __str__(self) -> str:
        return self.reference


class InvoiceLine(models.Model):
    """A fee as it was when the invoice was issued (copied, so the schedule may change)."""

    invoice = models.ForeignKey(
        Invoice, on_delete=models.CASCADE, related_name="lines", verbose_name=_("invoice")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    fee = models.ForeignKey(
        Fee, on_delete=models.PROTECT, related_name="invoice_lines", verbose_name=_("fee")
    )
    name_km = models.CharField(_("name in Khmer"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)
    fee_amount = models.PositiveBigIntegerField(_("amount"))
    fee_currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    discount_percent = models.PositiveSmallIntegerField(_("discount (%)"), default=0)
    amount = models.PositiveBigIntegerField(_("amount (KHR)"))
    refund_rule = models.CharField(_("refund"), max_length=16, choices=RefundRule.choices)

    class Meta:
        ordering = ["agency__code", "pk"]
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")

    def __str__(self) -> str:
        return f"{self.invoice.reference} {self.agency.code} {self.amount}"

    @property
    def name(self) -> str:
        return self.name_en if get_language() == "en" else self.name_km


class EventOutcome(models.TextChoices):
    APPLIED = "applied", _("Applied")
    DUPLICATE = "duplicate", _("The recorded payment again")
    UNMATCHED = "unmatched", _("No such invoice yet")
    HELD = "held", _("Held for the operator")


class ProviderEvent(AppendOnly):
    """A verified notification from a payment provider, stored before it is acted on.

    The provider's event id is unique: a replay finds the row and changes nothing. An event for
    an invoice we do not (yet) have waits as unmatched and is tried again; one that does not fit
    its invoice (amount, currency, already paid) is held for the operator.
    """

    provider = models.CharField(_("provider"), max_length=32)
    event_id = models.CharField(_("event id"), max_length=100)
    kind = models.CharField(_("type"), max_length=40)
    transaction_id = models.CharField(_("transaction"), max_length=100)
    bill_number = models.CharField(_("bill number"), max_length=40, db_index=True)
    amount = models.PositiveBigIntegerField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3)
    occurred_at = models.DateTimeField(_("occurred at"))
    body = models.JSONField(_("as received"))
    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("provider event")
        verbose_name_plural = _("provider events")
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="provider_event_once")
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.event_id}"


class EventHandling(AppendOnly):
    """Each time an event was handled, and what came of it (the latest row counts)."""

    event = models.ForeignKey(
        ProviderEvent, on_delete=models.PROTECT, related_name="handlings", verbose_name=_("event")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    outcome = models.CharField(_("outcome"), max_length=12, choices=EventOutcome.choices)
    problem = models.CharField(_("problem"), max_length=200, blank=True)
    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("invoice")
    )

    class Meta:
        ordering = ["event", "-at", "-pk"]
        verbose_name = _("handling")
        verbose_name_plural = _("handlings")


class Payment(AppendOnly):
    """Money received for an invoice, exactly once per provider transaction."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    invoice = models.OneToOneField(
        Invoice, on_delete=models.PROTECT, related_name="payment", verbose_name=_("invoice")
    )
    event = models.OneToOneField(ProviderEvent, on_delete=models.PROTECT, related_name="payment")
    provider = models.CharField(_("provider"), max_length=32)
    transaction_id = models.CharField(_("transaction"), max_length=100)
    amount = models.PositiveBigIntegerField(_("amount (KHR)"))
    payer_account = models.CharField(_("paid from"), max_length=100, blank=True)
    paid_at = models.DateTimeField(_("paid at"), db_index=True)

    class Meta:
        ordering = ["-paid_at"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "transaction_id"], name="payment_transaction_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.invoice.reference} {self.amount}"


class RefundReason(models.TextChoices):
    REJECTED = "rejected", _("The application was rejected.")
    WITHDRAWN = "withdrawn", _("The applicant withdrew the application.")


class RefundStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    CONFIRMED = "confirmed", _("Refunded")


class Refund(models.Model):
    """Money sent back on rejection or withdrawal, per the schedule's rules; its reference is
    the provider's idempotency key, so a retried request never refunds twice."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("reference"), max_length=30, unique=True)
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, related_name="refunds", verbose_name=_("payment")
    )
    amount = models.PositiveBigIntegerField(_("amount (KHR)"))
    shares = models.JSONField(_("per agency"), default=dict)  # agency code -> riel
    reason = models.CharField(_("reason"), max_length=16, choices=RefundReason.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=RefundStatus.choices, default=RefundStatus.REQUESTED
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("refunded at"), null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    event = models.OneToOneField(
        ProviderEvent, on_delete=models.PROTECT, null=True, blank=True, related_name="refund"
    )

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")

    def __str__(self) -> str:
        return self.reference


class EntryKind(models.TextChoices):
    SHARE = "share", _("Agency share of a payment")
    REFUND = "refund", _("Refund")


class LedgerEntry(AppendOnly):
    """What each agency is owed: its share of a payment (positive) or of a refund (negative)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="ledger")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="ledger")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="ledger")
    refund = models.ForeignKey(
        Refund, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=EntryKind.choices)
    amount = models.BigIntegerField(_("amount (KHR)"))
    day = models.DateField(_("day"), db_index=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["day", "pk"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger")

    def __str__(self) -> str:
        return f"{self.day} {self.agency.code} {self.amount}"
