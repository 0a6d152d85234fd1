"""Photos of a profile, kept as core.photos keeps every photo (no EXIF or GPS, described in
Khmer or English)."""

from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from singleportal.audit import chain as audit
from singleportal.core.photos import add_last, described
from singleportal.core.storage import delete_on_commit
from singleportal.directory.access import can_manage
from singleportal.directory.models import Profile, ProfilePhoto


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
    alt_km, alt_en = described(alt_km, alt_en)
    return add_last(
        ProfilePhoto(profile=profile, alt_km=alt_km, alt_en=alt_en),
        upload,
        siblings=profile.photos.all(),
        field="photo",
        record=lambda photo: audit.record(
            actor, "directory.photo_added", profile, {"photo": photo.pk}
        ),
    )


def remove_photo(profile: Profile, *, by: Any, photo_id: int) -> None:
    if not can_manage(by, profile):
        raise PermissionDenied
    photo = ProfilePhoto.objects.filter(profile=profile, pk=photo_id).first()
    if photo is None:
        return
    with transaction.atomic():
        photo.delete()
        audit.record(by, "directory.photo_removed", profile, {"photo": photo_id})
        delete_on_commit(photo.image, photo.thumbnail)
