"""Reads on activities: search by code or by name in Khmer or English."""

from django.db.models import Q, QuerySet

from singleportal.activities.models import Activity, ActivityLevel

SEARCH_LIMIT = 30


def choosable() -> QuerySet[Activity]:
    """What an application may name: classes, or divisions while classes are not loaded."""
    classes = Activity.objects.filter(level=ActivityLevel.CLASS, active=True)
    if classes.exists():
        return classes
    return Activity.objects.filter(level=ActivityLevel.DIVISION, active=True)


def search(text: str, limit: int = SEARCH_LIMIT) -> list[Activity]:
    """Choosable activities whose code starts with `text` or whose name (km or en) contains it."""
    text = " ".join(text.split())
    if not text:
        return []
    query = Q(code__istartswith=text) | Q(name_en__icontains=text) | Q(name_km__icontains=text)
    return list(choosable().filter(query).select_related("parent")[:limit])


def by_codes(codes: list[str]) -> dict[str, Activity]:
    return {a.code: a for a in choosable().filter(code__in=codes)}
