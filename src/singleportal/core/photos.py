"""Adding a photo to something's photos (a profile's, a product's): the one way both are kept.

The upload goes through core.images (checked, re-encoded, EXIF and GPS gone); the description
for screen readers is required in Khmer or English; the photo goes last among its siblings.
"""

from collections.abc import Callable
from typing import IO, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils.translation import gettext as _

from singleportal.core.images import process_photo
from singleportal.core.models import Photo
from singleportal.core.storage import deleted_if_failed

MAX_PHOTOS = 12

P = TypeVar("P", bound=Photo)


def described(alt_km: str, alt_en: str) -> tuple[str, str]:
    """The two descriptions, trimmed; refused when both are empty or one is too long."""
    alt_km, alt_en = (alt_km or "").strip(), (alt_en or "").strip()
    if not (alt_km or alt_en):
        raise ValidationError(
            {
                "alt_km": _(
                    "Describe the photo in Khmer or in English, for people who cannot see it."
                )
            }
        )
    limit = Photo._meta.get_field("alt_km").max_length or 0
    too_long = {
        field: _("At most %(count)s characters.") % {"count": limit}
        for field, text in (("alt_km", alt_km), ("alt_en", alt_en))
        if len(text) > limit
    }
    if too_long:
        raise ValidationError(too_long)
    return alt_km, alt_en


def add_last(
    photo: P,
    upload: IO[bytes],
    *,
    siblings: QuerySet,
    field: str,
    record: Callable[[P], object],
) -> P:
    """Process `upload` into `photo` (its owner and descriptions set) and save it after
    `siblings`; `record(photo)` (the audit entry) runs in the same transaction. The upload's
    problems are reported under the form's `field`. Files of a photo never saved are deleted."""
    if siblings.count() >= MAX_PHOTOS:
        raise ValidationError(
            _("At most %(count)s photos: remove one first.") % {"count": MAX_PHOTOS}
        )
    try:
        processed = process_photo(upload)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None
    photo.take_sizes(processed)
    photo.image.save(str(processed.image.name), processed.image, save=False)
    photo.thumbnail.save(str(processed.thumbnail.name), processed.thumbnail, save=False)
    with deleted_if_failed(photo.image, photo.thumbnail), transaction.atomic():
        last = siblings.aggregate(last=Max("position"))["last"]
        photo.position = 0 if last is None else last + 1
        photo.save()
        record(photo)
    return photo
