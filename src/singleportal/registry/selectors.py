"""Reads of the public register, shared by the pages (views.py) and the open data API (api.py).

Everything here is public: the register's names, number, TIN, form, status, dates, address to
the commune, activities, officers' names and roles, and the list of filings. What the
application holds beyond that (identity documents, dates of birth, street and house number,
contact details, record details) is never read here, so it cannot leak from a caller.

Search pages are keysets: "the next N after this position", in name order for a name search and
in registration-number order otherwise, each from one index range. Businesses registered while
someone pages through never shift or repeat what they see. Cursors are opaque to clients.
"""

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Collate
from django.utils.translation import gettext as _

from singleportal.activities.models import Activity, ActivityLevel
from singleportal.core import db
from singleportal.core.text import to_ascii_digits
from singleportal.names.normalization import KHMER, LATIN
from singleportal.names.rules import current_rules
from singleportal.names.search import similar_businesses
from singleportal.registry.models import (
    Business,
    BusinessActivity,
    BusinessOfficer,
    BusinessRecord,
    BusinessStatus,
    LegalForm,
    RegistryEvent,
)

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
SIMILAR_LIMIT = 10
KHMER_LETTERS = re.compile("[\u1780-\u17ff]")
TIN_LIKE = re.compile(r"^[A-Z][0-9]{3}-?[0-9]{9}$")
NUMBER_LIKE = re.compile(r"^[0-9]{6,}$")
ACTIVITY_CODE = re.compile(r"^([A-Z]|[0-9]{2,4})$")
LIST_COLUMNS = (
    "registration_number", "name_km", "name_en", "legal_form", "status", "registered_on", "tin",
    "province_id", "province__name_km", "province__name_en",
)  # fmt: skip


@dataclass(frozen=True)
class Filters:
    """What a search asks for, as read from a query string (page or API)."""

    q: str = ""
    registration_number: str = ""
    tin: str = ""
    province: str = ""
    legal_form: str = ""
    status: str = ""
    activity: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> "Filters":
        def text(name: str) -> str:
            return " ".join(to_ascii_digits(str(params.get(name) or "")).split())[:200]

        q = text("q")
        number, tin = text("registration_number"), text("tin").upper()
        # One box on the page: a number or a TIN typed where the name goes is searched as such.
        compact = q.replace(" ", "").upper()
        if q and not number and NUMBER_LIKE.match(compact):
            q, number = "", compact
        elif q and not tin and TIN_LIKE.match(compact):
            q, tin = "", compact
        if tin and "-" not in tin and len(tin) == 13:
            tin = f"{tin[:4]}-{tin[4:]}"
        province = text("province")
        if province.isdigit() and len(province) == 1:
            province = f"0{province}"
        return cls(
            q=q,
            registration_number=number.replace(" ", ""),
            tin=tin.replace(" ", ""),
            province=province,
            legal_form=text("legal_form"),
            status=text("status"),
            activity=text("activity").upper(),
        )

    def errors(self) -> list[str]:
        """Values no business can have (the API answers 422; the page says so)."""
        found = []
        if self.legal_form and self.legal_form not in LegalForm.values:
            found.append(_("Unknown legal form “%(code)s”.") % {"code": self.legal_form})
        if self.status and self.status not in BusinessStatus.values:
            found.append(_("Unknown status “%(code)s”.") % {"code": self.status})
        if self.province and not (self.province.isdigit() and len(self.province) == 2):
            found.append(_("A province is given by its two-digit code."))
        if self.activity and not ACTIVITY_CODE.match(self.activity):
            found.append(
                _("An activity is given by its ISIC code: a section letter, or 2 to 4 digits.")
            )
        return found

    def as_params(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}

    @property
    def empty(self) -> bool:
        return not self.as_params()


@dataclass(frozen=True)
class NameQuery:
    script: str
    normalized: str
    key: str
    threshold: float  # the names app's similarity threshold for the script


def name_query(q: str) -> NameQuery | None:
    """The query as the names app normalises a name of its script (Khmer if it has a Khmer
    letter): legal-form words, case, accents, invisible characters and spacing stop mattering."""
    if not q:
        return None
    script = KHMER if KHMER_LETTERS.search(q) else LATIN
    rules = current_rules()
    try:
        normalized = rules.normalize(q, script)
    except ValueError:
        return None
    return NameQuery(script, normalized.normalized, normalized.key, rules.threshold(script))


def _codes_starting(prefix: str) -> Q:
    """Activity codes (digits) starting with `prefix`, as a range the foreign key's index
    answers ("13" -> from "13" up to, not including, "14")."""
    if len(prefix) == 4:
        return Q(activity_id=prefix)
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return Q(activity_id__gte=prefix, activity_id__lt=upper)


def _activity_filter(code: str) -> Q:
    if code.isdigit():  # a class, or every class of a division or group
        within = _codes_starting(code)
    else:  # a section: the classes of its divisions
        divisions = Activity.objects.filter(level=ActivityLevel.DIVISION, parent__code=code)
        within = Q(pk__in=[])
        for division in divisions.values_list("code", flat=True):
            within |= _codes_starting(division)
    return Q(Exists(BusinessActivity.objects.filter(within, business=OuterRef("pk"))))


def filtered(filters: Filters, name: NameQuery | None = None) -> QuerySet[Business]:
    """Businesses matching every filter given. A name matches when its normalised form starts
    with the normalised query (the identical name included). `name` is the query's normalised
    form when the caller has it already."""
    found = Business.objects.all()
    name = name or name_query(filters.q)
    if filters.q and (name is None or not name.normalized):
        return found.none()
    if name is not None:
        found = found.alias(name_order=_name_order(name)).filter(
            name_order__startswith=name.normalized
        )
    if filters.registration_number:
        found = found.filter(registration_number=filters.registration_number)
    if filters.tin:
        found = found.filter(tin=filters.tin)
    if filters.province:
        found = found.filter(province_id=filters.province)
    if filters.legal_form:
        found = found.filter(legal_form=filters.legal_form)
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.activity:
        found = found.filter(_activity_filter(filters.activity))
    return found


@dataclass(frozen=True)
class Row:
    registration_number: str
    name_km: str
    name_en: str
    legal_form: str
    status: str
    registered_on: str
    tin: str | None
    province: dict[str, str] | None

    def as_dict(self) -> dict[str, Any]:
        # Written out: dataclasses.asdict deep-copies field by field, and cost as much as the
        # search query on a page of 20 (bench/registry.py).
        return {
            "registration_number": self.registration_number,
            "name_km": self.name_km,
            "name_en": self.name_en,
            "legal_form": self.legal_form,
            "status": self.status,
            "registered_on": self.registered_on,
            "tin": self.tin,
            "province": dict(self.province) if self.province is not None else None,
        }


def _row(values: tuple) -> Row:
    number, km, en, form, status, on, tin, province, province_km, province_en = values[:10]
    return Row(
        number, km, en, form, status, on.isoformat(), tin,
        {"code": province, "name_km": province_km, "name_en": province_en} if province else None,
    )  # fmt: skip


def _name_column(name: NameQuery) -> str:
    return "name_km_normalized" if name.script == KHMER else "name_en_normalized"


def _name_order(name: NameQuery) -> Any:
    """The normalised name compared byte by byte: on PostgreSQL through the COLLATE "C"
    indexes of migration 0010 (LIKE 'prefix%' and the order from one index range, whatever
    the database's collation); SQLite compares bytes already."""
    column = F(_name_column(name))
    return Collate(column, "C") if connection.vendor == "postgresql" else column


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    after: str | None  # the cursor of the next page, if there is one
    before: str | None  # the cursor of the previous page, if there is one


def _beyond(fields: tuple[str, ...], position: tuple[str, ...], later: bool) -> Q:
    """Rows after (or before) `position` in the order of `fields`: a keyset condition."""
    op = "gt" if later else "lt"
    if len(fields) == 1:
        return Q(**{f"{fields[0]}__{op}": position[0]})
    first, second = fields
    return Q(**{f"{first}__{op}": position[0]}) | Q(
        **{first: position[0], f"{second}__{op}": position[1]}
    )


def search(
    filters: Filters,
    *,
    after: tuple[str, ...] | None = None,
    before: tuple[str, ...] | None = None,
    limit: int = PAGE_SIZE,
    name: NameQuery | None = None,
) -> Page:
    """One page of businesses: the first, the one after cursor position `after`, or the one
    before `before`. A name search comes in name order (the identical name first, then the
    longer names starting with it), then registration number; the others in registration-
    number order. Either way one index range: businesses registered meanwhile never shift or
    repeat what a reader has seen. One query (two for an activity section)."""
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    name = name or name_query(filters.q)
    found = filtered(filters, name)
    fields: tuple[str, ...] = ("registration_number",)
    columns: tuple[str, ...] = LIST_COLUMNS
    if name is not None:
        fields = ("name_order", "registration_number")
        columns = (*LIST_COLUMNS, _name_column(name))

    def position(values: tuple) -> str:
        return encode_cursor((values[-1], values[0]) if name is not None else (values[0],))

    for given in (after, before):
        if given is not None and len(given) != len(fields):
            return Page([], None, None)  # a cursor of another kind of search
    if before is not None:
        values = list(
            found.filter(_beyond(fields, before, later=False))
            .order_by(*(f"-{f}" for f in fields))
            .values_list(*columns)[: limit + 1]
        )
        more_before = len(values) > limit
        values = list(reversed(values[:limit]))
        return Page(
            [_row(v) for v in values],
            after=position(values[-1]) if values else None,
            before=position(values[0]) if values and more_before else None,
        )
    if after is not None:
        found = found.filter(_beyond(fields, after, later=True))
    values = list(found.order_by(*fields).values_list(*columns)[: limit + 1])
    more = len(values) > limit
    values = values[:limit]
    return Page(
        [_row(v) for v in values],
        after=position(values[-1]) if more else None,
        before=position(values[0]) if values and after is not None else None,
    )


def similar(filters: Filters, *, exclude: set[str], name: NameQuery | None = None) -> list[Row]:
    """Businesses whose names are close to the query without starting with it ("silk" finds
    "Angkor Silk"), by the names app's trigram similarity, best first; the other filters
    apply to them too. For the first page of a name search."""
    name = name or name_query(filters.q)
    if name is None or not name.key:
        return []
    # A little below the name check's threshold: a search may be looser than a conflict.
    matches = similar_businesses(
        name.key,
        name.script,
        threshold=name.threshold * 0.8,
        limit=SIMILAR_LIMIT * 2,
        statuses=BusinessStatus.values,
    )
    numbers = [m.registration_number for m in matches if m.registration_number not in exclude]
    if not numbers:
        return []
    others = Filters(**{**asdict(filters), "q": ""})
    rows = {
        v[0]: _row(v)
        for v in filtered(others).filter(registration_number__in=numbers).values_list(*LIST_COLUMNS)
    }
    return [rows[n] for n in numbers if n in rows][:SIMILAR_LIMIT]


# -- cursors: opaque to clients (pages and API) ------------------------------------------------


def encode_cursor(position: tuple[str, ...]) -> str:
    raw = json.dumps(["p1", *position], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, ...] | None:
    """The position a cursor stands for, or None for a cursor this service never made."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        values = json.loads(raw)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if (
        not isinstance(values, list)
        or values[:1] != ["p1"]
        or not 2 <= len(values) <= 3
        or not all(isinstance(v, str) for v in values[1:])
    ):
        return None
    return tuple(values[1:])


# -- one business --------------------------------------------------------------------------------


def version_of(registration_number: str) -> str | None:
    """A string that changes whenever the business's public entry does (every change writes
    updated_at: events.append for records and status, the import, the admin), or None if
    there is no such business. One indexed query, written out and prepared (core/db.py): a
    kept page costs little more than this, and building the ORM query cost as much as running
    it."""
    row = db.fetch_one(
        f"SELECT updated_at FROM {Business._meta.db_table} "  # noqa: S608 - our table name
        f"WHERE registration_number = %s",
        [registration_number],
    )
    if row is None:
        return None
    # A datetime on PostgreSQL, text on SQLite: either way it changes when the row does. Hashed
    # to a short token safe in any cache key.
    raw = f"{registration_number}\x1f{row[0]}".encode()
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def _place(place: Any) -> dict[str, str] | None:
    if place is None:
        return None
    return {"code": place.code, "name_km": place.name_km, "name_en": place.name_en}


def public_entry(registration_number: str) -> dict[str, Any] | None:
    """The business as the public register shows it, language-neutral (codes and both names),
    or None. Four queries."""
    business = (
        Business.objects.select_related("province", "district", "commune")
        .filter(registration_number=registration_number)
        .first()
    )
    if business is None:
        return None
    activities = (
        BusinessActivity.objects.filter(business=business)
        .select_related("activity")
        .order_by("-main", "activity_id")
    )
    officers = BusinessOfficer.objects.filter(business=business).order_by("position", "pk")
    records = BusinessRecord.objects.filter(business=business).order_by("issued_at", "pk")
    return {
        "registration_number": business.registration_number,
        "name_km": business.name_km,
        "name_en": business.name_en,
        "legal_form": business.legal_form,
        "status": business.status,
        "registered_on": business.registered_on.isoformat(),
        "tin": business.tin,
        "address": {
            "province": _place(business.province),
            "district": _place(business.district),
            "commune": _place(business.commune),
        },
        "activities": [
            {
                "code": a.activity.code,
                "name_km": a.activity.name_km,
                "name_en": a.activity.name_en,
                "main": a.main,
            }
            for a in activities
        ],
        "officers": [
            {"role": o.role, "name_km": o.name_km, "name_en": o.name_en} for o in officers
        ],
        "filings": [
            {
                "kind": r.kind,
                "agency": r.agency_code,
                "number": r.number,
                "issued_at": r.issued_at.isoformat(),
            }
            for r in records.only("kind", "agency_code", "number", "issued_at")
        ],
        "updated_at": business.updated_at.isoformat(),
    }


# -- the change stream -----------------------------------------------------------------------

EVENTS_LIMIT = 100
MAX_EVENTS_LIMIT = 1000


def event_cursor(cursor: str) -> int | None:
    """The event id a stream cursor stands for ("0" is the start), or None."""
    cursor = cursor.strip()
    if not cursor.isascii() or not cursor.isdigit() or len(cursor) > 19:
        return None
    return int(cursor)


def events_after(after: int, *, limit: int = EVENTS_LIMIT) -> list[dict[str, Any]]:
    """Events after the cursor, oldest first; each event's id is the cursor to resume from.
    One query."""
    limit = max(1, min(limit, MAX_EVENTS_LIMIT))
    rows = RegistryEvent.objects.filter(id__gt=after).order_by("id")[:limit]
    return [
        {
            "id": str(e.id),
            "kind": e.kind,
            "registration_number": e.registration_number,
            "at": e.at.isoformat(),
            "data": e.data,
        }
        for e in rows.only("id", "kind", "registration_number", "at", "data")
    ]
