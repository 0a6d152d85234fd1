"""What pages and the API show of a profile, built once for both."""

from typing import Any

from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator

from singleportal.core.bilingual import bilingual
from singleportal.core.links import absolute
from singleportal.directory.models import Profile, ProfilePhoto
from singleportal.directory.selectors import activities_of
from singleportal.geo.models import Place

PLACE_LEVELS = ("village", "commune", "district", "province")


def page_url(profile: Profile) -> str:
    return reverse("directory:profile", args=[profile.slug])


def photo_url(photo: ProfilePhoto, *, thumbnail: bool = False) -> str:
    kind = "thumbnail" if thumbnail else "full"
    return reverse("directory:photo", args=[photo.pk, kind])


def places(profile: Profile) -> list[Place]:
    """The workshop's places from the village up (those known)."""
    found = [getattr(profile, level) for level in PLACE_LEVELS]
    return [place for place in found if place is not None]


def place_dict(place: Place | None) -> dict[str, str] | None:
    if place is None:
        return None
    return {"code": place.code, "name_km": place.name_km, "name_en": place.name_en}


def register_facts(profile: Profile, *, activities: bool = True) -> dict[str, Any] | None:
    """What the register says, read live from the business (never copied into the profile):
    the number, the legal form and the activities (None unless `activities`: lists leave them
    out, one query less per profile); None for an unregistered producer."""
    business = profile.business
    if business is None:
        return None
    return {
        "registration_number": business.registration_number,
        "legal_form": business.legal_form,
        "legal_form_label": business.get_legal_form_display(),
        "status": business.status,
        "registry_url": reverse("registry:business", args=[business.registration_number]),
        "activities": [
            {
                "code": a.activity.code,
                "name_km": a.activity.name_km,
                "name_en": a.activity.name_en,
                "name": bilingual(a.activity, "name").text,
                "main": a.main,
            }
            for a in activities_of(profile)
        ]
        if activities
        else None,
    }


def excerpt(profile: Profile, length: int = 200) -> str:
    """The story as plain text, cut to `length` characters (for link previews)."""
    text = strip_tags(bilingual(profile, "story").text).replace("\n", " ")
    return Truncator(" ".join(text.split())).chars(length)


def first_photo(profile: Profile) -> ProfilePhoto | None:
    """The first photo, from the prefetched ones (selectors prefetch them in order)."""
    photos = list(profile.photos.all())
    return photos[0] if photos else None


def open_graph(profile: Profile) -> dict[str, str]:
    """Open Graph tags: how the profile looks when a link to it is shared."""
    photo = first_photo(profile)
    name = bilingual(profile, "name").text
    return {
        "title": name,
        "description": excerpt(profile) or name,
        "url": absolute(page_url(profile)),
        "image": absolute(photo_url(photo)) if photo else "",
    }
