"""The signed payload of a certificate, the PDF update that carries it, and offline checks.

No Django here: `singleportal verify-certificate` runs this with nothing but the published keys.

The signing rule
----------------
1. The *body* is the PDF as WeasyPrint writes it: every word and figure of the certificate,
   with an empty square where the QR code goes.
2. The *claims* are {"v": 1, "id": certificate id, "t": kind, "n": business registration
   number, "km"/"en": the names, "d": issued date (ISO), "ver": version, "k": key id,
   "u": the site's address (where the QR code points), "h": SHA-256 of the body (hex),
   "l": length of the body in bytes}.
3. The *payload* is "SPC1." + base64url(canonical JSON of the claims) + "." +
   base64url(Ed25519 signature over exactly those JSON bytes), with the key named by "k".
4. The delivered file is the body followed by one incremental update (the standard way to
   append to a PDF) which draws the QR code (the verification URL with the payload) into the
   empty square of page 1 and puts the payload in the document's Keywords. The update is a
   pure function of the body and the payload (`append_update`).

A file is genuine when: its payload's signature holds under a published, unrevoked key; the
SHA-256 of its first "l" bytes is "h"; and the whole file equals body + append_update(body,
payload), so nothing was drawn or changed after signing.
"""

import base64
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import segno
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

PREFIX = "SPC1"
PAYLOAD_PATTERN = re.compile(rb"/Keywords \((SPC1\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+)\)")
PAYLOAD_TEXT = re.compile(r"SPC1\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+")

# Where page 1 leaves room for the QR code, in PDF points from the bottom-left corner of an A4
# page; the certificate's stylesheet places its empty square from the same figures (in mm).
QR_LEFT_MM, QR_BOTTOM_MM, QR_SIZE_MM = 145.0, 15.0, 45.0
MM = 72 / 25.4


def canonical_json(value: Any) -> bytes:
    """The same bytes as audit.chain.canonical_json (kept here so this module needs no
    Django): sorted keys, no spaces, UTF-8."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode()


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encode_payload(claims: dict[str, Any], signature: bytes) -> str:
    return f"{PREFIX}.{b64url(canonical_json(claims))}.{b64url(signature)}"


def signed_bytes(claims: dict[str, Any]) -> bytes:
    return canonical_json(claims)


def body_facts(body: bytes) -> dict[str, Any]:
    return {"h": hashlib.sha256(body).hexdigest(), "l": len(body)}


# --- The incremental update ---------------------------------------------------------------


class NotOurPdf(ValueError):
    """The file is not a PDF this project wrote."""


def _last_int(pattern: bytes, data: bytes) -> int:
    found = re.findall(pattern, data)
    if not found:
        raise NotOurPdf(pattern.decode())
    return int(found[-1])


def _object(data: bytes, number: int) -> bytes:
    found = re.search(rb"(?:^|\n)%d 0 obj\n(.*?)\nendobj" % number, data, re.S)
    if found is None:
        raise NotOurPdf(f"object {number}")
    return found.group(1)


def qr_content(data: str) -> bytes:
    """The QR code as PDF drawing operators, one rectangle per run of dark modules, in a
    square of QR_SIZE_MM at (QR_LEFT_MM, QR_BOTTOM_MM)."""
    matrix = segno.make(data, error="m").matrix
    border = 2
    modules = len(matrix) + 2 * border
    unit = QR_SIZE_MM * MM / modules
    left, bottom = QR_LEFT_MM * MM, QR_BOTTOM_MM * MM
    ops = [b"Q q 1 g %.3f %.3f %.3f %.3f re f 0 g" % (left, bottom, unit * modules, unit * modules)]
    for row_index, row in enumerate(matrix):
        y = bottom + (modules - border - row_index - 1) * unit
        column = 0
        while column < len(row):
            if not row[column]:
                column += 1
                continue
            start = column
            while column < len(row) and row[column]:
                column += 1
            x = left + (start + border) * unit
            ops.append(b"%.3f %.3f %.3f %.3f re" % (x, y, (column - start) * unit, unit))
    ops.append(b"f Q")
    return b"\n".join(ops)


def _stream(number: int, content: bytes) -> bytes:
    return b"%d 0 obj\n<</Length %d>>\nstream\n%s\nendstream\nendobj\n" % (
        number,
        len(content),
        content,
    )


def append_update(body: bytes, payload: str, url: str) -> bytes:
    """The bytes appended to `body`: the QR code of `url` on page 1 and the payload in the
    document's Keywords, as one incremental update (same input, same bytes)."""
    size = _last_int(rb"/Size (\d+)", body)
    root = _last_int(rb"/Root (\d+) 0 R", body)
    info = _last_int(rb"/Info (\d+) 0 R", body)
    previous_xref = _last_int(rb"startxref\n(\d+)", body)
    pages = int(re.search(rb"/Pages (\d+) 0 R", _object(body, root)).group(1))  # type: ignore[union-attr]
    kids = re.search(rb"/Kids \[(\d+) 0 R", _object(body, pages))
    if kids is None:
        raise NotOurPdf("page list")
    page_number = int(kids.group(1))
    page = _object(body, page_number)
    contents = re.search(rb"/Contents (\d+) 0 R", page)
    if contents is None:
        raise NotOurPdf("page contents")
    info_dict = _object(body, info)
    if not info_dict.endswith(b">>"):
        raise NotOurPdf("document information")

    save, draw, new_info = size, size + 1, size + 2
    # The body's drawing may leave its coordinate system changed: save the state before it and
    # restore it before drawing the code ("Q" opens the QR stream).
    new_page = page.replace(
        contents.group(0), b"/Contents [%d 0 R %s %d 0 R]" % (save, contents.group(0)[10:], draw)
    )
    objects = [
        (save, _stream(save, b"q")),
        (draw, _stream(draw, qr_content(url))),
        (page_number, b"%d 0 obj\n%s\nendobj\n" % (page_number, new_page)),
        (new_info, b"%d 0 obj\n%s/Keywords (%s)>>\nendobj\n"
         % (new_info, info_dict[:-2], payload.encode())),
    ]  # fmt: skip
    offset = len(body)
    update = b""
    positions: dict[int, int] = {}
    for number, text in objects:
        positions[number] = offset + len(update)
        update += text
    xref = [b"xref\n0 1\n0000000000 65535 f \n"]
    for number in sorted(positions):
        xref.append(b"%d 1\n%010d 00000 n \n" % (number, positions[number]))
    xref_at = offset + len(update)
    update += b"".join(xref)
    trailer = b"trailer\n<</Size %d /Root %d 0 R /Info %d 0 R /Prev %d>>\n"
    update += trailer % (new_info + 1, root, new_info, previous_xref)
    update += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return update


# --- Checking -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    genuine: bool
    reason: str = ""
    claims: dict[str, Any] = field(default_factory=dict)


REASONS = {
    "no_payload": "no certificate payload found",
    "malformed": "malformed payload",
    "unknown_key": "unknown key",
    "revoked_key": "revoked key",
    "bad_signature": "signature does not match (payload changed or wrong key)",
    "body_changed": "PDF body changed",
    "update_changed": "PDF changed after signing",
}


def decode_payload(payload: str) -> tuple[dict[str, Any], bytes, bytes]:
    """(claims, the signed bytes, the signature); ValueError when malformed."""
    prefix, claims_text, signature_text = payload.split(".")
    if prefix != PREFIX:
        raise ValueError(prefix)
    signed = unb64url(claims_text)
    claims = json.loads(signed)
    if not isinstance(claims, dict):
        raise ValueError("claims")
    return claims, signed, unb64url(signature_text)


def check_payload(payload: str, keys: Mapping[str, Mapping[str, Any]]) -> Outcome:
    """Whether `payload` was signed by a published key that is not revoked. `keys` maps a
    key id to its JWK (as published at /.well-known/singleportal-keys.json)."""
    try:
        claims, signed, signature = decode_payload(payload.strip())
    except (ValueError, UnicodeDecodeError):
        return Outcome(False, REASONS["malformed"])
    key = keys.get(str(claims.get("k", "")))
    if key is None:
        return Outcome(False, REASONS["unknown_key"], claims)
    try:
        Ed25519PublicKey.from_public_bytes(unb64url(key["x"])).verify(signature, signed)
    except (InvalidSignature, ValueError, KeyError):
        return Outcome(False, REASONS["bad_signature"], claims)
    if key.get("status") == "revoked":
        return Outcome(False, REASONS["revoked_key"], claims)
    return Outcome(True, "", claims)


def payload_of(pdf: bytes) -> str | None:
    found = PAYLOAD_PATTERN.findall(pdf)
    return found[-1].decode() if found else None


def check_pdf(pdf: bytes, keys: Mapping[str, Mapping[str, Any]]) -> Outcome:
    """Whether `pdf` is a genuine certificate (see the rule above)."""
    payload = payload_of(pdf)
    if payload is None:
        return Outcome(False, REASONS["no_payload"])
    outcome = check_payload(payload, keys)
    if not outcome.genuine:
        return outcome
    claims = outcome.claims
    try:
        length = int(claims["l"])
    except (KeyError, TypeError, ValueError):
        return Outcome(False, REASONS["malformed"], claims)
    body = pdf[:length]
    if hashlib.sha256(body).hexdigest() != claims.get("h"):
        return Outcome(False, REASONS["body_changed"], claims)
    try:
        url = verification_url(str(claims["u"]), str(claims["id"]), payload)
        expected = body + append_update(body, payload, url)
    except (NotOurPdf, AttributeError, KeyError):
        return Outcome(False, REASONS["update_changed"], claims)
    if pdf != expected:
        return Outcome(False, REASONS["update_changed"], claims)
    return outcome


def verification_url(site_url: str, certificate_id: str, payload: str) -> str:
    """What the QR code holds: the public verification page, with the payload so that the page
    (or any reader) can check the signature too."""
    return f"{site_url.rstrip('/')}/verify/{certificate_id}/?p={payload}"


def keys_by_id(document: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The keys of a published key set ({"keys": [...]}) by key id."""
    return {str(k["kid"]): dict(k) for k in document.get("keys", []) if k.get("kty") == "OKP"}
