"""The register of businesses: one row per registered business.

A minimal model for now (issue 4: name checks conflict with these rows); the public registry
pages come later. The normalised and search forms of both names are computed by the names app
(`names.normalization`) whenever a row is written, never by the database, so that SQLite and
PostgreSQL compare names the same way.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from singleportal.core.models import AppendOnly
from singleportal.geo.models import Commune, District, Province, place_field


class LegalForm(models.TextChoices):
    """Codes from the Law on Commercial Enterprises (REFERENCE.md)."""

    SOLE_PROPRIETORSHIP = "sole_proprietorship", _("Sole proprietorship")
    GENERAL_PARTNERSHIP = "general_partnership", _("General partnership")
    LIMITED_PARTNERSHIP = "limited_partnership", _("Limited partnership")
    PRIVATE_LIMITED_COMPANY = "private_limited_company", _("Private limited company")
    SINGLE_MEMBER_PRIVATE_LIMITED_COMPANY = (
        "single_member_private_limited_company",
        _("Single-member private limited company"),
    )
    PUBLIC_LIMITED_COMPANY = "public_limited_company", _("Public limited company")
    BRANCH_OF_FOREIGN_COMPANY = "branch_of_foreign_company", _("Branch of a foreign company")
    REPRESENTATIVE_OFFICE = "representative_office", _("Representative office")


class BusinessStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    DISSOLVED = "dissolved", _("Dissolved")
    STRUCK_OFF = "struck_off", _("Struck off")


# A business in these states still holds its name: a new name may not copy it.
NAME_HOLDING_STATUSES = (BusinessStatus.ACTIVE, BusinessStatus.SUSPENDED)


class Business(models.Model):
    registration_number = models.CharField(_("registration number"), max_length=32, unique=True)
    name_km = models.CharField(_("name in Khmer"), max_length=255)
    name_en = models.CharField(_("name in Latin letters"), max_length=255, blank=True)
    # Identity keys (names app rules): equal keys mean the same name.
    name_km_normalized = models.CharField(max_length=255, editable=False)
    name_en_normalized = models.CharField(max_length=255, editable=False)
    # Search keys: the distinctive words, as ASCII text for trigram similarity (names/search.py
    # ranks the distinct keys, NameKey, then takes businesses by these indexed columns).
    name_km_key = models.CharField(max_length=1024, editable=False)
    name_en_key = models.CharField(max_length=512, editable=False)
    legal_form = models.CharField(_("legal form"), max_length=48, choices=LegalForm.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=BusinessStatus.choices, default=BusinessStatus.ACTIVE
    )
    registered_on = models.DateField(_("registered on"))
    province = place_field(Province, _("province"), db_column="province_code")
    # The address as the public register shows it: to the commune, never the street or house.
    district = place_field(District, _("district"), db_column="district_code")
    commune = place_field(Commune, _("commune"), db_column="commune_code")
    # The Tax Identification Number once GDT has registered the business.
    tin = models.CharField(_("TIN"), max_length=16, unique=True, null=True, blank=True)
    # The application that registered it on the platform (blank for imported businesses).
    application_reference = models.CharField(
        _("application"), max_length=16, unique=True, null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["registration_number"]
        verbose_name = _("registered business")
        verbose_name_plural = _("registered businesses")
        # Identical names come in registration-number order straight from these.
        indexes = [
            models.Index(
                fields=["name_km_normalized", "registration_number"], name="registry_km_identity"
            ),
            models.Index(
                fields=["name_en_normalized", "registration_number"], name="registry_en_identity"
            ),
            # Public search (registry/selectors.py): each filter in registration-number order
            # (the keyset of its pages). A name's prefix is searched through byte-ordered
            # indexes that migration 0010 adds on PostgreSQL only.
            models.Index(fields=["province", "registration_number"], name="registry_province_no"),
            models.Index(fields=["legal_form", "registration_number"], name="registry_form_no"),
            models.Index(fields=["status", "registration_number"], name="registry_status_no"),
        ]

    def __str__(self) -> str:
        return f"{self.registration_number} {self.name_km}"

    @property
    def name(self) -> str:
        """The name in the page's language; Khmer is the legal name."""
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name_km


class NameKey(models.Model):
    """Each distinct search key once (names/search.py). Many businesses share a key (every
    "Angkor ... Trading Co., Ltd." has the key "angkor"), so the trigram search ranks keys, not
    rows, and then takes the businesses of the best keys in registration-number order.
    Written with the businesses and never deleted: a key no business uses any more is harmless
    (it finds none), and the search reads keys added since its index was built by id."""

    script = models.CharField(max_length=8)
    key = models.CharField(max_length=1024)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["script", "key"], name="registry_namekey_unique")
        ]

    def __str__(self) -> str:
        return f"{self.script}: {self.key}"


class RecordKind(models.TextChoices):
    REGISTRATION = "registration", _("Commercial registration")
    TAX_REGISTRATION = "tax_registration", _("Tax registration")
    PATENT_TAX = "patent_tax", _("Patent tax")
    OPENING_DECLARATION = "opening_declaration", _("Declaration of opening")
    ADDRESS_CONFIRMATION = "address_confirmation", _("Address confirmation")
    INVESTMENT_REGISTRATION = "investment_registration", _("Qualified investment project")


class BusinessRecord(AppendOnly):
    """What an agency issued to the business, each with its number: together, in time order,
    the business's history on the register. Append-only; a change is a new record."""

    business = models.ForeignKey(Business, on_delete=models.PROTECT, related_name="records")
    kind = models.CharField(_("kind"), max_length=32, choices=RecordKind.choices)
    agency_code = models.CharField(_("agency"), max_length=8)
    number = models.CharField(_("number"), max_length=32)
    issued_at = models.DateTimeField(_("issued at"))
    details = models.JSONField(default=dict, blank=True)
    application_reference = models.CharField(max_length=16, blank=True)

    class Meta:
        ordering = ["issued_at", "pk"]
        verbose_name = _("business record")
        verbose_name_plural = _("business records")
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="record_number_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class BusinessActivity(models.Model):
    """An activity (ISIC class) the business declared when it registered: public."""

    business = models.ForeignKey(Business, models.CASCADE, related_name="activities")
    activity = models.ForeignKey(
        "activities.Activity",
        models.PROTECT,
        to_field="code",
        db_column="activity_code",
        related_name="+",
        verbose_name=_("activity"),
    )
    main = models.BooleanField(_("main activity"), default=False)

    class Meta:
        ordering = ["-main", "activity"]
        verbose_name = _("activity of a business")
        verbose_name_plural = _("activities of businesses")
        constraints = [
            models.UniqueConstraint(fields=["business", "activity"], name="registry_activity_once")
        ]
        indexes = [models.Index(fields=["activity", "business"], name="registry_activity_biz")]

    def __str__(self) -> str:
        return str(self.activity_id)


class OfficerRole(models.TextChoices):
    """The roles of the application's parties (applications.PartyRole), as the register shows
    them."""

    OWNER = "owner", _("Owner")
    SHAREHOLDER = "shareholder", _("Shareholder")
    GENERAL_PARTNER = "general_partner", _("General partner")
    LIMITED_PARTNER = "limited_partner", _("Limited partner")
    DIRECTOR = "director", _("Director")
    BRANCH_MANAGER = "branch_manager", _("Branch manager or representative")


class BusinessOfficer(models.Model):
    """An owner, partner, shareholder, director or manager as the public register shows them:
    name and role only. Identity documents, dates of birth and home addresses stay in the
    application and never reach this table."""

    business = models.ForeignKey(Business, models.CASCADE, related_name="officers")
    role = models.CharField(_("role"), max_length=20, choices=OfficerRole.choices)
    name_km = models.CharField(_("name in Khmer"), max_length=200, blank=True)
    name_en = models.CharField(_("name in Latin letters"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["business", "position", "pk"]
        verbose_name = _("officer of a business")
        verbose_name_plural = _("officers of businesses")

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.name_km or self.name_en}"


class EventKind(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    RECORD_ADDED = "record_added", _("Record added")
    STATUS_CHANGED = "status_changed", _("Status changed")


class RegistryEvent(AppendOnly):
    """The register's change stream (registry/events.py): one row per change, written in the
    transaction of the change, in commit order (the id is the stream's cursor). Holds only what
    the public register shows."""

    id = models.BigAutoField(primary_key=True)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    business = models.ForeignKey(Business, models.PROTECT, related_name="+")
    registration_number = models.CharField(_("registration number"), max_length=32)
    at = models.DateTimeField(_("at"))
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("registry event")
        verbose_name_plural = _("registry events")

    def __str__(self) -> str:
        return f"{self.pk} {self.kind} {self.registration_number}"


class ApiKey(models.Model):
    """A key for the open data API (header X-Api-Key): a higher rate than anonymous callers.
    Only the SHA-256 of the key is stored; the operator sees the key once, when adding it."""

    name = models.CharField(_("name"), max_length=100, help_text=_("What the key is for."))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="registry_api_keys",
        verbose_name=_("owner"),
    )
    prefix = models.CharField(_("key starts with"), max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    active = models.BooleanField(_("active"), default=True)
    rate = models.CharField(
        _("rate"),
        max_length=16,
        blank=True,
        validators=[
            RegexValidator(r"^[1-9][0-9]*/([1-9][0-9]*|[smhd])$", _("Write it as 600/60."))
        ],
        help_text=_("Requests per period, such as 600/60 (per 60 seconds); blank for the default."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("open data API key")
        verbose_name_plural = _("open data API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
