"""Reads on activities: search by code or by name in Khmer or English."""

from collections.abc import Iterable

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from singleportal.activities.models import Activity, ActivityLevel

SEARCH_LIMIT = 30
# Khmer subscript DA and subscript TA are drawn alike, and people type either one: a search
# tries both spellings.
COENG_DA, COENG_TA = "\u17d2\u178a", "\u17d2\u178f"
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def choosable() -> QuerySet[Activity]:
    """What an applicant may pick: classes, the most specific level (divisions only while no
    class is loaded)."""
    classes = Activity.objects.filter(level=ActivityLevel.CLASS, active=True)
    if classes.exists():
        return classes
    return Activity.objects.filter(level=ActivityLevel.DIVISION, active=True)


def _spellings(text: str) -> set[str]:
    return {text, text.replace(COENG_DA, COENG_TA), text.replace(COENG_TA, COENG_DA)}


def _name_contains(text: str, path: str = "") -> Q:
    found = Q()
    for spelling in _spellings(text):
        found |= Q(**{f"{path}name_en__icontains": spelling})
        found |= Q(**{f"{path}name_km__icontains": spelling})
    return found


def search(text: str, limit: int = SEARCH_LIMIT) -> list[Activity]:
    """Choosable activities whose code starts with `text` or whose name (km or en) contains it;
    then those whose group or division name contains it, so that a broad word ("textiles",
    "វាយនភណ្ឌ") still lists the classes under it."""
    text = " ".join(text.translate(INVISIBLE).split())
    if not text:
        return []
    direct = Q(code__istartswith=text) | _name_contains(text)
    broader = _name_contains(text, "parent__") | _name_contains(text, "parent__parent__")
    found = (
        choosable()
        .filter(direct | broader)
        .annotate(
            rank=Case(When(direct, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("rank", "code")
        .select_related("parent")
    )
    return list(found[:limit])


def by_codes(codes: list[str], *, keep: Iterable[str] = ()) -> dict[str, Activity]:
    """The activities named by `codes` that an applicant may choose, and those in `keep`: codes
    the file already holds, so that a division chosen before classes were loaded stays valid."""
    allowed = Q(pk__in=choosable().values("pk")) | Q(code__in=set(keep))
    return {a.code: a for a in Activity.objects.filter(allowed, code__in=codes)}


def existing_codes(codes: list[str]) -> set[str]:
    """Which of `codes` name an activity at any level."""
    return set(Activity.objects.filter(code__in=codes).values_list("code", flat=True))
