"""Reads of the geography, shared by the API, the picker and later the wizards. Public data:
nothing to restrict by user."""

from typing import Any

from django.db.models import Q, QuerySet

from singleportal.geo.models import (
    CODE_LENGTHS,
    PARENT_FIELD,
    PLACE_MODELS,
    Commune,
    District,
    Level,
    Place,
    PlaceAlias,
    Province,
    Village,
)

# Each level's children level.
CHILD_LEVEL = {
    Level.PROVINCE: Level.DISTRICT,
    Level.DISTRICT: Level.COMMUNE,
    Level.COMMUNE: Level.VILLAGE,
}
PARENT_LEVEL = {child: parent for parent, child in CHILD_LEVEL.items()}


def provinces() -> QuerySet[Province]:
    return Province.objects.all()


def districts_of(province_code: str) -> QuerySet[District]:
    return District.objects.filter(province__code=province_code)


def communes_of(district_code: str) -> QuerySet[Commune]:
    return Commune.objects.filter(district__code=district_code)


def villages_of(commune_code: str) -> QuerySet[Village]:
    return Village.objects.filter(commune__code=commune_code)


def place(level: str, code: str) -> Place | None:
    """The place of `level` with `code`, or None."""
    return PLACE_MODELS[level].objects.filter(code=code).first()


def children_of(level: str, parent_code: str | None) -> QuerySet[Any]:
    """The places of `level` under the parent with `parent_code` (provinces need none)."""
    model = PLACE_MODELS[level]
    if level == Level.PROVINCE:
        return model.objects.all()
    return model.objects.filter(**{f"{PARENT_FIELD[level]}__code": parent_code})


def ancestors_of(level: str, code: str) -> dict[str, str]:
    """Codes of the place and of every level above it: {"province": "12", "district": "1201"}.

    Codes nest (a village code starts with its commune's, and so on), so this needs no query;
    the cleaner re-numbered the few source rows that broke the rule.
    """
    chain = {}
    for each in Level:
        chain[str(each)] = code[: CODE_LENGTHS[each]]
        if each == level:
            break
    return chain


def places_named(level: str, text: str) -> QuerySet[Place]:
    """Places of `level` written `text` (any case): by Khmer or English name, or by an alias
    such as an older spelling or code."""
    text = " ".join(text.split())
    aliased = PlaceAlias.objects.filter(level=level, alias__iexact=text).values("code")
    return PLACE_MODELS[level].objects.filter(
        Q(name_km=text) | Q(name_en__iexact=text) | Q(code__in=aliased)
    )
