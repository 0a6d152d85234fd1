"""Public geography endpoints: the lists behind any province -> village picker."""

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from singleportal.geo import selectors
from singleportal.geo.models import Level, Place

router = Router(tags=["geography"])


class PlaceOut(Schema):
    code: str
    name_km: str
    name_en: str
    kind: (
        str | None
    )  # province/capital, district/municipality/khan, commune/sangkat; None if unknown

    @staticmethod
    def resolve_kind(place: Place) -> str | None:
        return getattr(place, "kind", "") or None


class NotFoundOut(Schema):
    detail: str


def _children(level: Level, parent_code: str) -> list[Place]:
    parent_level = selectors.PARENT_LEVEL[level]
    if selectors.place(parent_level, parent_code) is None:
        raise HttpError(404, f"No {parent_level} with code {parent_code}.")
    return list(selectors.children_of(level, parent_code))


@router.get("/provinces", response=list[PlaceOut], auth=None, summary="Provinces and the capital")
def list_provinces(request: HttpRequest) -> list:
    return list(selectors.provinces())


@router.get(
    "/provinces/{code}/districts",
    response={200: list[PlaceOut], 404: NotFoundOut},
    auth=None,
    summary="Districts, municipalities and khans of a province",
)
def list_districts(request: HttpRequest, code: str) -> list:
    return _children(Level.DISTRICT, code)


@router.get(
    "/districts/{code}/communes",
    response={200: list[PlaceOut], 404: NotFoundOut},
    auth=None,
    summary="Communes and sangkats of a district",
)
def list_communes(request: HttpRequest, code: str) -> list:
    return _children(Level.COMMUNE, code)


@router.get(
    "/communes/{code}/villages",
    response={200: list[PlaceOut], 404: NotFoundOut},
    auth=None,
    summary="Villages of a commune",
)
def list_villages(request: HttpRequest, code: str) -> list:
    return _children(Level.VILLAGE, code)
