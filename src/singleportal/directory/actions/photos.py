"""Photos of a profile: checked and re-encoded by core.images (no EXIF or GPS kept), each with
a description for screen readers in Khmer or English (at least one)."""

from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from singleportal.audit import chain as audit
from singleportal.core.images import process_photo
from singleportal.core.storage import deleted_if_failed
from singleportal.directory.access import can_manage
from singleportal.directory.models import Profile, ProfilePhoto

MAX_PHOTOS = 12


def add_photo(
    profile: Profile, *, by: Any, upload: IO[bytes], alt_km: str = "", alt_en: str = ""
) -> ProfilePhoto:
    """A member adds a photo at the end of the profile's photos."""
    if not can_manage(by, profile):
        raise PermissionDenied
    return store_photo(profile, upload, alt_km=alt_km, alt_en=alt_en, actor=by)


def store_photo(
    profile: Profile, upload: IO[bytes], *, alt_km: str = "", alt_en: str = "", actor: Any = None
) -> ProfilePhoto:
    """Check, re-encode and keep a photo. No permission check: add_photo makes it for users;
    the system (the demo) calls this directly for the profiles it opens."""
    alt_km, alt_en = (alt_km or "").strip(), (alt_en or "").strip()
    if not (alt_km or alt_en):
        raise ValidationError(
            {
                "alt_km": _(
                    "Describe the photo in Khmer or in English, for people who cannot see it."
                )
            }
        )
    if profile.photos.count() >= MAX_PHOTOS:
        raise ValidationError(
            _("A profile has at most %(count)s photos: remove one first.") % {"count": MAX_PHOTOS}
        )
    try:
        processed = process_photo(upload)
    except ValidationError as exc:
        raise ValidationError({"photo": exc.messages}) from exc
    photo = ProfilePhoto(
        profile=profile,
        width=processed.width,
        height=processed.height,
        alt_km=alt_km,
        alt_en=alt_en,
    )
    photo.image.save(str(processed.image.name), processed.image, save=False)
    photo.thumbnail.save(str(processed.thumbnail.name), processed.thumbnail, save=False)
    with deleted_if_failed(photo.image, photo.thumbnail), transaction.atomic():
        last = profile.photos.aggregate(last=Max("position"))["last"]
        photo.position = 0 if last is None else last + 1
        photo.full_clean(exclude=["image", "thumbnail"])
        photo.save()
        audit.record(actor, "directory.photo_added", profile, {"photo": photo.pk})
    return photo


def remove_photo(profile: Profile, *, by: Any, photo_id: int) -> None:
    if not can_manage(by, profile):
        raise PermissionDenied
    photo = ProfilePhoto.objects.filter(profile=profile, pk=photo_id).first()
    if photo is None:
        return
    with transaction.atomic():
        photo.delete()
        audit.record(by, "directory.photo_removed", profile, {"photo": photo_id})
        # The files go once the row is gone for good (a rolled-back delete keeps them).
        transaction.on_commit(lambda: _delete_files(photo))


def _delete_files(photo: ProfilePhoto) -> None:
    photo.image.delete(save=False)
    photo.thumbnail.delete(save=False)
