"""Public register pages (no sign-in): search, one page per business, and the change stream as
Server-Sent Events. Pages are plain HTML forms and links (no script needed) and light enough
for a phone on a slow connection: see tests/registry/test_public_pages.py for the weight."""

import json
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_safe

from singleportal.core.access import public
from singleportal.core.page_memory import PageMemory
from singleportal.geo.models import Province
from singleportal.registry import export, metering, selectors
from singleportal.registry.models import BusinessStatus, LegalForm, OfficerRole, RecordKind

PROVINCES_CACHE_KEY = "registry:provinces"
STREAM_BATCH = 200


def _english() -> bool:
    return (get_language() or "").startswith("en")


def _name(item: dict[str, Any] | None) -> str:
    """The name of a place or activity in the page's language (Khmer unless English)."""
    if not item:
        return ""
    if _english():
        return item.get("name_en") or item.get("name_km") or ""
    return item.get("name_km") or item.get("name_en") or ""


def _label(choices: Any, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def _provinces() -> list[tuple[str, str, str]]:
    provinces = cache.get(PROVINCES_CACHE_KEY)
    if provinces is None:
        provinces = list(
            Province.objects.order_by("code").values_list("code", "name_km", "name_en")
        )
        cache.set(PROVINCES_CACHE_KEY, provinces, settings.REGISTRY_CACHE_SECONDS)
    return provinces


def _display_rows(rows: list[selectors.Row]) -> list[dict[str, Any]]:
    return [
        {
            "registration_number": row.registration_number,
            "name_km": row.name_km,
            "name_en": row.name_en,
            "legal_form": _label(LegalForm, row.legal_form),
            "status": row.status,
            "status_label": _label(BusinessStatus, row.status),
            "registered_on": row.registered_on,
            "province": _name(row.province),
        }
        for row in rows
    ]


@public
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    filters = selectors.Filters.from_params(request.GET)
    errors = filters.errors()
    page = similar = None
    if not filters.empty and not errors:
        name = selectors.name_query(filters.q)
        # A cursor that is not ours (edited by hand) gives the first page.
        after = selectors.decode_cursor(request.GET.get("after", ""))
        before = selectors.decode_cursor(request.GET.get("before", ""))
        page = selectors.search(filters, after=after, before=before, name=name)
        if name is not None and after is None and before is None:
            shown = {row.registration_number for row in page.rows}
            similar = _display_rows(selectors.similar(filters, exclude=shown, name=name))
    params = filters.as_params()
    english = _english()
    context = {
        "filters": filters,
        "box": filters.q or filters.registration_number or filters.tin,
        "errors": errors,
        "page": page,
        "rows": _display_rows(page.rows) if page else [],
        "similar": similar,
        "next_url": f"?{urlencode({**params, 'after': page.after})}" if page and page.after else "",
        "previous_url": (
            f"?{urlencode({**params, 'before': page.before})}" if page and page.before else ""
        ),
        "provinces": [(code, en if english else km) for code, km, en in _provinces()],
        "legal_forms": LegalForm.choices,
        "statuses": BusinessStatus.choices,
    }
    return render(request, "registry/search.html", context, status=422 if errors else 200)


def _local_day(moment: str) -> str:
    """The Cambodian calendar day of an ISO timestamp (records are stored in UTC)."""
    parsed = parse_datetime(moment)
    return timezone.localdate(parsed).isoformat() if parsed else moment[:10]


def _display_entry(entry: dict[str, Any]) -> dict[str, Any]:
    address = entry["address"]
    return {
        **entry,
        "legal_form_label": _label(LegalForm, entry["legal_form"]),
        "status_label": _label(BusinessStatus, entry["status"]),
        "place": [
            _name(address[level]) for level in ("commune", "district", "province") if address[level]
        ],
        "activities": [
            {"code": a["code"], "name": _name(a), "main": a["main"]} for a in entry["activities"]
        ],
        "officers": [
            {
                "role": _label(OfficerRole, o["role"]),
                "name": (o["name_en"] or o["name_km"])
                if _english()
                else (o["name_km"] or o["name_en"]),
            }
            for o in entry["officers"]
        ],
        "filings": [
            {
                **f,
                "kind_label": _label(RecordKind, f["kind"]),
                "issued_on": _local_day(f["issued_at"]),
            }
            for f in entry["filings"]
        ],
    }


# Anonymous visitors' business pages, whole, per process, by (version, language, path).
business_pages = PageMemory()


@public
@require_GET
def business(request: HttpRequest, registration_number: str) -> HttpResponse:
    """One business. The body is cached per language until the business changes (its version
    is in the key): a visit costs one query while it has not. An anonymous visitor's whole
    page is also kept in the process (business_pages)."""
    version = selectors.version_of(registration_number)
    if version is None:
        raise Http404(_("No business has this registration number."))
    kept = business_pages.serves(request)
    page_key = (version, get_language(), request.get_full_path())
    if kept and (remembered := business_pages.recall(page_key, request)) is not None:
        return remembered
    key = f"registry:page:{version}:{get_language()}"
    cached = cache.get(key)
    if cached is None:
        entry = selectors.public_entry(registration_number)
        if entry is None:
            raise Http404(_("No business has this registration number."))
        body = render_to_string("registry/_business.html", _display_entry(entry), request=None)
        title = entry["name_en"] if _english() and entry["name_en"] else entry["name_km"]
        cached = (title, body)
        cache.set(key, cached, settings.REGISTRY_CACHE_SECONDS)
    title, body = cached
    response = render(request, "registry/business.html", {"title": title, "body": mark_safe(body)})  # noqa: S308 - rendered from our template, escaped there
    if kept:
        business_pages.keep(page_key, request, response)
    return response


# -- change stream as Server-Sent Events -------------------------------------------------------


def _sse(event: dict[str, Any]) -> str:
    data = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
    return f"id: {event['id']}\nevent: {event['kind']}\ndata: {data}\n\n"


def _take_stream_slot() -> str | None:
    """One of REGISTRY_STREAM_MAX_OPEN places for a stream that waits for new events, or None
    when all are taken. Places live in the shared cache and lapse by themselves shortly after
    the longest stream, so a worker killed mid-stream never keeps one."""
    for slot in range(settings.REGISTRY_STREAM_MAX_OPEN):
        key = f"registry:stream-slot:{slot}"
        if cache.add(key, 1, timeout=settings.REGISTRY_STREAM_SECONDS + 10):
            return key
    return None


def _stream(after: int, *, seconds: float, poll: float, retry: int) -> Iterator[str]:
    """What exists after the cursor, then new events as they come, for at most `seconds`;
    then the stream ends and the client reconnects after `retry` ms with Last-Event-ID. Only
    REGISTRY_STREAM_MAX_OPEN streams wait at a time (each holds a web worker): past that, a
    stream sends what exists and ends at once."""
    slot = _take_stream_slot() if seconds > 0 else None
    if slot is None:
        seconds = 0
    try:
        yield f"retry: {retry}\n\n"
        deadline = time.monotonic() + seconds
        while True:
            events = selectors.events_after(after, limit=STREAM_BATCH)
            for event in events:
                yield _sse(event)
            if events:
                after = int(events[-1]["id"])
                if len(events) == STREAM_BATCH and time.monotonic() < deadline:
                    continue
            left = deadline - time.monotonic()
            if left <= 0:
                return
            time.sleep(min(poll, left))
            yield ": waiting\n\n"  # a comment: keeps proxies from closing an idle connection
    finally:
        if slot is not None:
            cache.delete(slot)


@public
@require_GET
def event_stream(request: HttpRequest) -> HttpResponseBase:
    """GET /registry/events/stream?after=<cursor>: the change stream for EventSource clients.
    Counted against the same limits as the open data API (X-Api-Key works here too)."""
    _caller, refused = metering.meter(request)
    if refused is not None:
        return refused
    # A reconnecting EventSource keeps the URL it started with: its Last-Event-ID wins.
    cursor = request.headers.get("Last-Event-ID") or request.GET.get("after") or "0"
    after = selectors.event_cursor(cursor)
    if after is None:
        return metering.error(400, _("The cursor is not one this stream gave."))
    response = StreamingHttpResponse(
        _stream(
            after,
            seconds=settings.REGISTRY_STREAM_SECONDS,
            poll=settings.REGISTRY_STREAM_POLL_MILLISECONDS / 1000,
            retry=settings.REGISTRY_STREAM_RETRY_MILLISECONDS,
        ),
        content_type="text/event-stream; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return metering.label(response, request)


# -- bulk export (registry/export.py) ----------------------------------------------------------


def _with_urls(manifest: dict[str, Any]) -> dict[str, Any]:
    day = manifest["date"]
    return {
        **manifest,
        "files": [
            {**item, "url": reverse("registry:export_file", args=[day, item["name"]])}
            for item in manifest["files"]
        ],
    }


@public
@require_safe
def exports(request: HttpRequest) -> HttpResponse:
    """The latest export's files, with sizes and checksums, and the earlier days kept."""
    manifest = export.latest_manifest()
    days = export.published_days()
    response = render(
        request,
        "registry/exports.html",
        {"manifest": manifest, "earlier": [d for d in days if manifest and d != manifest["date"]]},
    )
    response["Cache-Control"] = "public, max-age=300"
    return response


@public
@require_safe
def exports_manifest(request: HttpRequest) -> HttpResponse:
    """GET /registry/exports/manifest.json: the latest export's manifest, with each file's URL."""
    manifest = export.latest_manifest()
    if manifest is None:
        return JsonResponse({"detail": _("No export has been made yet.")}, status=404)
    response = JsonResponse(_with_urls(manifest), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=300"
    return response


@public
@require_safe
def export_file(request: HttpRequest, day: str, name: str) -> HttpResponseBase:
    """GET /registry/exports/<day>/<name>: one file a complete export's manifest lists (or the
    manifest), streamed from disk, with its SHA-256 as the ETag."""
    found = export.published_file(day, name)
    if found is None:
        raise Http404(_("There is no such export file."))
    etag = f'"{found.sha256}"'
    asked = request.headers.get("If-None-Match", "")
    if asked == "*" or etag in {tag.strip().removeprefix("W/") for tag in asked.split(",")}:
        response: HttpResponseBase = HttpResponse(status=304)
    else:
        response = FileResponse(
            found.path.open("rb"),
            as_attachment=name != export.MANIFEST,
            filename=name,
            content_type=found.media_type,
        )
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=3600"
    return response
