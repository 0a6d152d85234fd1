"""Business profiles: what a producer tells buyers about itself, in Khmer and English.

A profile linked to a registered business (`business` set) is "verified in the register": its
registration number, legal form and activities are read live from `registry.Business`, never
copied here. A profile without a business is an unregistered producer (an informal village
group), shown as such. Who may edit a profile is its members (ProfileMember); how one becomes
the first member of a registered business's profile is the claim rule (directory/claims.py).
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from singleportal.core.models import AppendOnly, Photo
from singleportal.geo.models import Commune, District, Province, Village, place_field


class SpokenLanguage(models.TextChoices):
    """The languages a producer may say it speaks with buyers (ISO 639-1)."""

    KHMER = "km", _("Khmer")
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    CHINESE = "zh", _("Chinese")
    THAI = "th", _("Thai")
    VIETNAMESE = "vi", _("Vietnamese")
    JAPANESE = "ja", _("Japanese")
    KOREAN = "ko", _("Korean")


class ExportExperience(models.TextChoices):
    NONE = "none", _("Has not exported yet")
    OCCASIONAL = "occasional", _("Exports occasionally")
    REGULAR = "regular", _("Exports regularly")


class Profile(models.Model):
    slug = models.SlugField(_("address of the page"), max_length=80, unique=True)
    # Set: the profile speaks for this registered business ("verified in the register").
    business = models.OneToOneField(
        "registry.Business",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="profile",
        verbose_name=_("registered business"),
    )
    name_km = models.CharField(_("name in Khmer"), max_length=255)
    name_en = models.CharField(_("name in English"), max_length=255, blank=True)
    province = place_field(Province, _("province"), db_column="province_code")
    district = place_field(District, _("district"), db_column="district_code")
    commune = place_field(Commune, _("commune"), db_column="commune_code")
    # Where the workshop is: a producer group is known by its village.
    village = place_field(Village, _("village"), db_column="village_code")
    published = models.BooleanField(_("shown to the public"), default=True)

    # Rich text, cleaned by core.richtext.clean_html on every write (directory/actions).
    story_km = models.TextField(_("story in Khmer"), blank=True)
    story_en = models.TextField(_("story in English"), blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    export_experience = models.CharField(
        _("export experience"),
        max_length=16,
        choices=ExportExperience.choices,
        default=ExportExperience.NONE,
    )
    export_markets = models.JSONField(_("export markets"), default=list, blank=True)
    capacity_units_per_month = models.PositiveIntegerField(
        _("capacity (units per month)"), null=True, blank=True
    )
    lead_time_days = models.PositiveSmallIntegerField(_("lead time (days)"), null=True, blank=True)
    minimum_order_units = models.PositiveIntegerField(
        _("minimum order (units)"), null=True, blank=True
    )
    payment_terms_km = models.TextField(_("payment terms in Khmer"), blank=True)
    payment_terms_en = models.TextField(_("payment terms in English"), blank=True)
    shipping_terms_km = models.TextField(_("shipping terms in Khmer"), blank=True)
    shipping_terms_en = models.TextField(_("shipping terms in English"), blank=True)
    # Shown only to buyers, members and programme staff (directory.access.can_see_contact).
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_website = models.URLField(_("website"), blank=True)
    team_size = models.PositiveIntegerField(_("team size"), null=True, blank=True)
    women_artisans_percent = models.PositiveSmallIntegerField(
        _("share of women artisans (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name_km", "pk"]
        verbose_name = _("business profile")
        verbose_name_plural = _("business profiles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(women_artisans_percent__isnull=True)
                | models.Q(women_artisans_percent__lte=100),
                name="directory_women_percent_max_100",
            )
        ]
        # The public list (directory/selectors.py) pages by id within each filter.
        indexes = [
            models.Index(fields=["published", "id"], name="directory_published_id"),
            models.Index(fields=["province", "published", "id"], name="directory_province_id"),
        ]

    def __str__(self) -> str:
        return self.name_km or self.name_en

    @property
    def verified(self) -> bool:
        """Linked to a business of the register."""
        return self.business_id is not None


class MemberRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    STAFF = "staff", _("Staff member")


class ProfileMember(models.Model):
    """A user who may edit the profile. Owners also add and remove staff members."""

    profile = models.ForeignKey(Profile, models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="profile_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=8, choices=MemberRole.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["profile", "created_at", "pk"]
        verbose_name = _("member of a profile")
        verbose_name_plural = _("members of profiles")
        constraints = [
            models.UniqueConstraint(fields=["profile", "user"], name="directory_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.user}"


class ClaimBasis(models.TextChoices):
    """Why the register says the claimant speaks for the business (directory/claims.py)."""

    APPLICANT = "applicant", _("Applied for the registration")
    IDENTITY_DOCUMENT = "identity_document", _("Owner, partner or director in the application")
    OFFICER_NAME = "officer_name", _("Officer named in the register, checked by programme staff")


class ProfileClaim(AppendOnly):
    """A user's claim to speak for a registered business. Written once; the outcome is a
    ClaimDecision (automatic when the register proves it, else programme staff's)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="profile_claims",
        verbose_name=_("claimant"),
    )
    business = models.ForeignKey(
        "registry.Business",
        models.PROTECT,
        related_name="profile_claims",
        verbose_name=_("registered business"),
    )
    basis = models.CharField(_("basis"), max_length=20, choices=ClaimBasis.choices)
    # For OFFICER_NAME: the register's officer the claimant says they are.
    officer_name = models.CharField(_("name in the register"), max_length=200, blank=True)
    # An unregistered producer profile of the claimant's to link to the business.
    link_profile = models.ForeignKey(
        Profile,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("profile to link"),
    )
    created_at = models.DateTimeField(_("claimed at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("claim of a profile")
        verbose_name_plural = _("claims of profiles")
        indexes = [models.Index(fields=["business", "user"], name="directory_claim_biz_user")]

    def __str__(self) -> str:
        return f"{self.user} → {self.business_id}"


class ClaimOutcome(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class ClaimDecision(AppendOnly):
    """The one decision on a claim; `decided_by` empty when the register decided it."""

    claim = models.OneToOneField(ProfileClaim, models.PROTECT, related_name="decision")
    outcome = models.CharField(_("outcome"), max_length=10, choices=ClaimOutcome.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        ordering = ["decided_at", "pk"]
        verbose_name = _("decision on a claim")
        verbose_name_plural = _("decisions on claims")

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.outcome}"


def photo_path(instance: "ProfilePhoto", filename: str) -> str:
    # Random name: nothing the uploader typed reaches the file system.
    return f"directory/{uuid.uuid4().hex}{filename[filename.rfind('.') :]}"


class ProfilePhoto(Photo):
    profile = models.ForeignKey(Profile, models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to=photo_path, max_length=200)
    thumbnail = models.FileField(_("thumbnail"), upload_to=photo_path, max_length=200)

    class Meta(Photo.Meta):
        ordering = ["profile", "position", "pk"]
        verbose_name = _("photo of a profile")
        verbose_name_plural = _("photos of profiles")
