"""One registration application for every legal form.

The legal forms are rows (seeded by a migration) carrying their rules; the application keeps
its sections in typed models; submitting freezes an immutable ApplicationVersion.

Status machine (TRANSITIONS is the only source of allowed moves; each move is an
ApplicationEvent row):

    draft --submit--> submitted --request correction--> correction_requested
      |                   |                                   |
      +--withdraw--> withdrawn <--withdraw--------------------+--submit--> submitted
    submitted | correction_requested --> approved (registered) | rejected

After submission the status follows the agency tasks (agencies.actions): correction needed
while an agency waits for the applicant, registered when every agency has approved.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from singleportal.core.models import AppendOnly


class MemberKind(models.TextChoices):
    OWNER = "owner", _("Owner")
    PARTNER = "partner", _("Partner")
    SHAREHOLDER = "shareholder", _("Shareholder")
    NONE = "none", _("None (foreign parent company)")


class LegalForm(models.Model):
    """A legal form and its rules (Law on Commercial Enterprises, 2005). Operator-editable;
    seeded values are defaults (see migration 0002)."""

    code = models.CharField(_("code"), max_length=48, unique=True)
    name_km = models.CharField(_("name in Khmer"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    member_kind = models.CharField(_("members are"), max_length=16, choices=MemberKind.choices)
    min_members = models.PositiveSmallIntegerField(_("minimum members"), default=0)
    max_members = models.PositiveSmallIntegerField(
        _("maximum members"), null=True, blank=True, help_text=_("Blank: no maximum.")
    )
    members_natural_only = models.BooleanField(_("members must be natural persons"), default=False)
    needs_general_and_limited_partners = models.BooleanField(
        _("needs at least one general and one limited partner"), default=False
    )
    has_share_capital = models.BooleanField(_("has share capital"), default=False)
    min_capital_khr = models.PositiveBigIntegerField(_("minimum capital (KHR)"), default=0)
    min_par_value_khr = models.PositiveBigIntegerField(_("minimum par value (KHR)"), default=0)
    min_directors = models.PositiveSmallIntegerField(_("minimum directors"), default=0)
    max_directors = models.PositiveSmallIntegerField(_("maximum directors"), null=True, blank=True)
    articles_required = models.BooleanField(_("articles of incorporation required"), default=False)
    parent_company_required = models.BooleanField(
        _("parent company documents required"), default=False
    )
    commercial_sales_allowed = models.BooleanField(_("may sell commercially"), default=True)
    agencies = models.JSONField(_("agencies involved"), default=list)

    class Meta:
        ordering = ["position"]
        verbose_name = _("legal form")
        verbose_name_plural = _("legal forms")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name_km


class Section(models.TextChoices):
    """The parts of a file an officer can send back for correction (the wizard's steps,
    except the legal form, which a correction never changes)."""

    NAMES = "names", _("Business name")
    ACTIVITIES = "activities", _("What the business does")
    ADDRESS = "address", _("Address")
    CONTACT = "contact", _("Contact details")
    CAPITAL = "capital", _("Capital and shares")
    PARENT = "parent", _("Foreign parent company")
    PEOPLE = "people", _("People")
    OWNERS = "owners", _("Beneficial owners")
    EMPLOYEES = "employees", _("Staff")
    TAX = "tax", _("Tax")
    INCENTIVES = "incentives", _("Investment incentives")
    SIGNBOARD = "signboard", _("Signboard")
    DOCUMENTS = "documents", _("Documents")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("In progress")
    CORRECTION_REQUESTED = "correction_requested", _("Correction needed")
    APPROVED = "approved", _("Registered")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# (from, to): the only moves allowed. Drafts and files under correction are editable.
TRANSITIONS: frozenset[tuple[str, str]] = frozenset(
    {
        (Status.DRAFT, Status.SUBMITTED),
        (Status.DRAFT, Status.WITHDRAWN),
        (Status.SUBMITTED, Status.CORRECTION_REQUESTED),
        (Status.SUBMITTED, Status.APPROVED),
        (Status.SUBMITTED, Status.REJECTED),
        (Status.SUBMITTED, Status.WITHDRAWN),
        (Status.CORRECTION_REQUESTED, Status.SUBMITTED),
        (Status.CORRECTION_REQUESTED, Status.REJECTED),
        (Status.CORRECTION_REQUESTED, Status.WITHDRAWN),
    }
)
EDITABLE = frozenset({Status.DRAFT, Status.CORRECTION_REQUESTED})


class Application(models.Model):
    """The file. Business details live here; people, owners, documents and the per-agency
    sections live in their own models."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("owner"),
    )
    legal_form = models.ForeignKey(
        LegalForm, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("legal form")
    )
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.DRAFT
    )
    reference = models.CharField(_("reference"), max_length=16, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # The wizard step after the last one saved in the pages: where "continue" takes the
    # applicant back to, on any device.
    resume_step = models.CharField(max_length=20, blank=True, editable=False)
    # Business
    name_km = models.CharField(_("name in Khmer"), max_length=200, blank=True)
    name_en = models.CharField(_("name in Latin letters"), max_length=200, blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    province_code = models.CharField(max_length=2, blank=True)
    district_code = models.CharField(max_length=4, blank=True)
    commune_code = models.CharField(max_length=6, blank=True)
    village_code = models.CharField(max_length=8, blank=True)
    street = models.CharField(_("street"), max_length=200, blank=True)
    house_number = models.CharField(_("house number"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    # Capital (integer riel)
    capital_khr = models.PositiveBigIntegerField(_("capital (KHR)"), null=True, blank=True)
    share_count = models.PositiveBigIntegerField(_("number of shares"), null=True, blank=True)
    # Foreign parent (branch, representative office)
    parent_name = models.CharField(_("parent company name"), max_length=200, blank=True)
    parent_country = models.CharField(_("parent company country"), max_length=2, blank=True)
    parent_registration_number = models.CharField(
        _("parent company registration number"), max_length=100, blank=True
    )
    # While a correction is asked for: the sections the applicant may change (agencies sets it).
    correction_sections = models.JSONField(default=list, blank=True, editable=False)
    # Declaration
    no_other_beneficial_owners = models.BooleanField(_("no other beneficial owners"), default=False)
    declared_by_name = models.CharField(_("signed by"), max_length=200, blank=True)
    declared_at = models.DateTimeField(_("declared at"), null=True, blank=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self) -> str:
        return self.reference or self.name_km or self.name_en or str(self.public_id)[:8]

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE

    def open_for(self, section: str) -> bool:
        """Whether the applicant may change this part of the file now: any part of a draft;
        while a correction is asked for, only the sections the agencies named."""
        if self.status == Status.DRAFT:
            return True
        return self.status == Status.CORRECTION_REQUESTED and section in self.correction_sections

    @property
    def correction_labels(self) -> list[str]:
        """The names of the sections open for correction, in the current language and in the
        wizard's order."""
        return [str(s.label) for s in Section if s.value in self.correction_sections]

    @property
    def par_value_khr(self) -> int | None:
        if self.capital_khr and self.share_count:
            return self.capital_khr // self.share_count
        return None

    def move_to(self, to: str, *, by: Any, reason: str = "") -> ApplicationEvent:
        """Change status along TRANSITIONS and append the event. Callers hold the row lock."""
        if (self.status, to) not in TRANSITIONS:
            raise ValidationError(
                _("An application that is %(status)s cannot become %(to)s."),
                params={"status": self.get_status_display(), "to": Status(to).label},
                code="transition",
            )
        event = ApplicationEvent.objects.create(
            application=self, from_status=self.status, to_status=to, actor=by, reason=reason
        )
        self.status = to
        self.save(update_fields=["status"])
        return event


class ApplicationEvent(models.Model):
    """Append-only history of status changes."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=24, choices=Status.choices)
    to_status = models.CharField(max_length=24, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} -> {self.to_status}"


class ApplicationActivity(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="activities"
    )
    activity = models.ForeignKey("activities.Activity", on_delete=models.PROTECT)
    main = models.BooleanField(_("main activity"), default=False)

    class Meta:
        ordering = ["-main", "activity__code"]
        constraints = [
            models.UniqueConstraint(fields=["application", "activity"], name="activity_once")
        ]

    def __str__(self) -> str:
        return str(self.activity)


class PartyRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    SHAREHOLDER = "shareholder", _("Shareholder")
    GENERAL_PARTNER = "general_partner", _("General partner")
    LIMITED_PARTNER = "limited_partner", _("Limited partner")
    DIRECTOR = "director", _("Director")
    BRANCH_MANAGER = "branch_manager", _("Branch manager or representative")


MEMBER_ROLES = {
    MemberKind.OWNER: {PartyRole.OWNER},
    MemberKind.PARTNER: {PartyRole.GENERAL_PARTNER, PartyRole.LIMITED_PARTNER},
    MemberKind.SHAREHOLDER: {PartyRole.SHAREHOLDER},
    MemberKind.NONE: set(),
}


class PersonKind(models.TextChoices):
    NATURAL = "natural", _("A person")
    JURIDICAL = "juridical", _("A company or organisation")


class IdKind(models.TextChoices):
    NATIONAL_ID = "national_id", _("Khmer identity card")
    PASSPORT = "passport", _("Passport")
    REGISTRATION = "registration", _("Company registration number")


class Party(models.Model):
    """A person or company in the file: owner, shareholder, partner, director, manager."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("role"), max_length=20, choices=PartyRole.choices)
    kind = models.CharField(
        _("kind"), max_length=10, choices=PersonKind.choices, default=PersonKind.NATURAL
    )
    name_km = models.CharField(_("name in Khmer"), max_length=200, blank=True)
    name_en = models.CharField(_("name in Latin letters"), max_length=200, blank=True)
    nationality = models.CharField(_("nationality or country"), max_length=2)
    id_kind = models.CharField(_("document"), max_length=16, choices=IdKind.choices)
    id_number = models.CharField(_("document number"), max_length=50)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    shares = models.PositiveBigIntegerField(_("shares"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")

    def __str__(self) -> str:
        return self.name_km or self.name_en


class BeneficialOwner(models.Model):
    """A natural person who owns or controls at least 25 % of the business."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="beneficial_owners"
    )
    name_km = models.CharField(_("name in Khmer"), max_length=200, blank=True)
    name_en = models.CharField(_("name in Latin letters"), max_length=200, blank=True)
    nationality = models.CharField(_("nationality"), max_length=2)
    id_kind = models.CharField(_("document"), max_length=16, choices=IdKind.choices)
    id_number = models.CharField(_("document number"), max_length=50)
    ownership_percent = models.PositiveSmallIntegerField(_("ownership or control (%)"))
    control_description = models.CharField(_("how they control"), max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("beneficial owner")
        verbose_name_plural = _("beneficial owners")

    def __str__(self) -> str:
        return self.name_km or self.name_en


class EmploymentPlan(models.Model):
    """For MLVT: staff planned at opening."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="employment"
    )
    khmer_staff = models.PositiveIntegerField(_("Cambodian staff"), default=0)
    foreign_staff = models.PositiveIntegerField(_("foreign staff"), default=0)
    opening_date = models.DateField(_("opening date"), null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.khmer_staff}+{self.foreign_staff}"


class TaxDetails(models.Model):
    """For GDT."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="tax")
    expected_turnover_khr = models.PositiveBigIntegerField(_("expected yearly turnover (KHR)"))
    vat_registration = models.BooleanField(_("register for VAT"), default=False)
    accounting_year_start_month = models.PositiveSmallIntegerField(
        _("accounting year starts in month"), default=1
    )

    def __str__(self) -> str:
        return str(self.expected_turnover_khr)


class IncentiveRequest(models.Model):
    """For CDC, only when investment incentives (QIP) are asked for."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="incentives"
    )
    wanted = models.BooleanField(_("ask for investment incentives"), default=False)
    investment_khr = models.PositiveBigIntegerField(_("planned investment (KHR)"), default=0)
    project_description = models.TextField(_("project"), blank=True)

    def __str__(self) -> str:
        return str(self.wanted)


class Signboard(models.Model):
    """For MOI, through the commune or sangkat."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="signboard"
    )
    text_km = models.CharField(_("text in Khmer"), max_length=200)
    text_en = models.CharField(_("text in Latin letters"), max_length=200, blank=True)
    width_cm = models.PositiveIntegerField(_("width (cm)"))
    height_cm = models.PositiveIntegerField(_("height (cm)"))

    def __str__(self) -> str:
        return self.text_km


class DocumentKind(models.TextChoices):
    IDENTITY = "identity", _("Identity card or passport")
    LEASE = "lease", _("Lease or proof of address")
    ARTICLES = "articles", _("Articles of incorporation")
    PARENT_COMPANY = "parent_company", _("Parent company registration and articles")
    OTHER = "other", _("Other")


class ScanStatus(models.TextChoices):
    PENDING = "pending", _("Not scanned")
    CLEAN = "clean", _("Clean")
    INFECTED = "infected", _("Infected")


def document_path(instance: Document, filename: str) -> str:
    # Random name: nothing the uploader typed reaches the file system.
    return f"applications/{uuid.uuid4().hex}{instance.extension}"


class CurrentDocuments(models.Manager["Document"]):
    def get_queryset(self) -> models.QuerySet[Document]:
        return super().get_queryset().filter(removed_at__isnull=True)


class Document(models.Model):
    """A file in the application. Once a version is frozen, removing a file only marks it
    removed (`objects` no longer sees it), so earlier versions still show what was submitted."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document type"), max_length=16, choices=DocumentKind.choices)
    file = models.FileField(upload_to=document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    scan_status = models.CharField(
        max_length=10, choices=ScanStatus.choices, default=ScanStatus.PENDING
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True, editable=False)

    with_removed = models.Manager()
    objects = CurrentDocuments()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        default_manager_name = "objects"
        base_manager_name = "with_removed"

    def __str__(self) -> str:
        return self.original_name

    @property
    def extension(self) -> str:
        return {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}.get(
            self.content_type, ""
        )


class Authorisation(models.Model):
    """The owner lets a representative file on their behalf; revoking ends access at once."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="authorisations"
    )
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="authorisations"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "representative"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_active_authorisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.representative} for {self.application}"


class ApplicationVersion(AppendOnly):
    """An immutable snapshot frozen at each submission (canonical JSON and its SHA-256)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    sha256 = models.CharField(max_length=64)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    submitted_at = models.DateTimeField(default=timezone.now)
    idempotency_key = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="version_number_once"),
            models.UniqueConstraint(
                fields=["application", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="version_idempotency_key_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} v{self.number}"
