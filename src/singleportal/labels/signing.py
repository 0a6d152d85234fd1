"""A label's signed claims, signed and checked exactly as certificates are.

No Django here (like certificates/verification.py, whose functions this reuses): a label's
payload can be checked offline with nothing but the published keys
(`singleportal manage verify_label`).

The claims of one label, compact because they travel in a QR code a phone must read off a
label a few centimetres wide:

    {"v": 1, "t": "label", "c": code, "p": product slug, "o": profile slug,
     "n": registration number or null (not registered), "g": village code or null,
     "m": [material codes], "q": number of items of the run, "i": item number (one label per
     item only), "d": made on (ISO date), "k": key id,
     "h": base64url of the first 16 bytes of SHA-256(canonical JSON of the run's facts)}

The payload is "SPC1." + base64url(canonical JSON of the claims) + "." + base64url(Ed25519
signature), the certificates' format; "t": "label" keeps a label's claims from ever being taken
for a certificate's (a certificate's "t" is its kind, and its page compares "id"). The QR code
holds `<site>/l/<code>/?p=<payload>`.
"""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from singleportal.certificates import verification

KIND = "label"


class Reason:
    """Why a label is not genuine: stable codes for the API, explained on the page."""

    CHANGED_PAYLOAD = "changed_payload"
    UNKNOWN_KEY = "unknown_key"
    REVOKED_KEY = "revoked_key"
    OTHER_CODE = "other_code"
    NOT_ON_RECORD = "not_on_record"
    UNKNOWN_CODE = "unknown_code"
    WITHDRAWN = "withdrawn"


# The certificates' reasons (English text) as ours: a malformed payload and a broken
# signature both mean the payload was changed.
_FROM_CERTIFICATES = {
    verification.REASONS["malformed"]: Reason.CHANGED_PAYLOAD,
    verification.REASONS["bad_signature"]: Reason.CHANGED_PAYLOAD,
    verification.REASONS["unknown_key"]: Reason.UNKNOWN_KEY,
    verification.REASONS["revoked_key"]: Reason.REVOKED_KEY,
}


def facts_digest(facts: Mapping[str, Any]) -> str:
    return verification.b64url(hashlib.sha256(verification.canonical_json(facts)).digest()[:16])


def claims_for(
    facts: Mapping[str, Any], *, code: str, item: int | None, key_id: str
) -> dict[str, Any]:
    product, maker, origin = facts["product"], facts["maker"], facts["origin"]
    claims: dict[str, Any] = {
        "v": 1,
        "t": KIND,
        "c": code,
        "p": product["slug"],
        "o": maker["profile"],
        "n": maker["registration_number"],
        "g": origin["village"] if origin else None,
        "m": product["materials"],
        "q": facts["quantity"],
        "d": facts["made_on"],
        "k": key_id,
        "h": facts_digest(facts),
    }
    if item is not None:
        claims["i"] = item
    return claims


def sign(claims: dict[str, Any], private_key: Any) -> str:
    """The payload of `claims` signed with an Ed25519 private key (certificates.keys)."""
    return verification.encode_payload(claims, private_key.sign(verification.signed_bytes(claims)))


def label_url(site_url: str, code: str, payload: str) -> str:
    return f"{site_url.rstrip('/')}/l/{code}/?p={payload}"


@dataclass(frozen=True)
class Check:
    genuine: bool
    reason: str = ""
    claims: dict[str, Any] = field(default_factory=dict)


def check(payload: str, keys: Mapping[str, Mapping[str, Any]], code: str | None = None) -> Check:
    """Whether `payload` is a label's claims signed by a published, unrevoked key (and, given
    `code`, the claims of that code). `keys` maps key ids to JWKs, as
    certificates.verification.keys_by_id makes them."""
    outcome = verification.check_payload(payload, keys)
    if not outcome.genuine:
        return Check(False, _FROM_CERTIFICATES.get(outcome.reason, Reason.CHANGED_PAYLOAD),
                     outcome.claims)  # fmt: skip
    claims = outcome.claims
    if claims.get("t") != KIND or (code is not None and claims.get("c") != code):
        return Check(False, Reason.OTHER_CODE, claims)
    return Check(True, "", claims)
