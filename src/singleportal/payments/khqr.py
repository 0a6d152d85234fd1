"""Dynamic KHQR (Bakong) payment codes: EMVCo merchant-presented QR, written and read here.

A payload is TLV fields ``TTLLvalue`` (two-digit tag, two-digit length) in ascending tag order,
ending with the CRC field ``6304XXXX``. Rules, checked against the public Bakong SDKs (the
official bakong-khqr JS and its PHP, Dart and Go ports):

- Amount (tag 54): KHR in whole riel ("400000"); USD always with two decimals ("12.50",
  "12.00"). The SDKs disagree on whole and round dollars ("12", "12.5", "12.00" all occur) and
  every Bakong app reads each as the same decimal; the two-decimal form maps one-to-one onto
  cents, so a decoded amount is exact. At most 13 characters (EMVCo) and more than zero.
- Lengths count characters (code points), as the SDKs do (JS string length, PHP mb_strlen, Go
  rune count); the CRC is over the UTF-8 bytes, as SDK example codes with Khmer text confirm.
  Only the Khmer name (tag 64) may be non-ASCII, and only in the BMP, where a code point is one
  JS UTF-16 unit, so apps count the same length.
- Maximum lengths as the SDKs: account id, merchant id, acquiring bank 32; merchant name 25;
  city 15; bill number, mobile number, store and terminal labels 25; Khmer name 25. A template
  (29/30, 62, 64, 99) must also fit its two-digit length: at most 99 characters.
- Always dynamic (01 = 12) with creation and expiry timestamps (13-digit milliseconds).
- ``decode`` reads exactly what ``encode`` writes: CRC, TLV structure and every field rule;
  any other spelling (tag order, "12.5", unknown tags) is refused.
"""

from __future__ import annotations

import binascii
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass

CURRENCY_CODES = {"KHR": "116", "USD": "840"}
_CURRENCY_NAMES = {number: name for name, number in CURRENCY_CODES.items()}
_AMOUNT = {"KHR": re.compile(r"[1-9][0-9]*"), "USD": re.compile(r"(0|[1-9][0-9]*)\.[0-9]{2}")}
_ASCII = re.compile(r"[ -~]*")
_ACCOUNT_ID = re.compile(r"[!-?A-~]+@[!-?A-~]+")  # name@bank: printable, no space, one @
_DIGITS2 = re.compile(r"[0-9]{2}")
_MCC = re.compile(r"[0-9]{4}")
_TIMESTAMP = re.compile(r"[1-9][0-9]{12}")
_LIMITS = {
    "account_id": 32,
    "merchant_id": 32,
    "acquiring_bank": 32,
    "merchant_name": 25,
    "merchant_city": 15,
    "bill_number": 25,
    "mobile_number": 25,
    "store_label": 25,
    "terminal_label": 25,
}
_REQUIRED = ("account_id", "merchant_name", "merchant_city", "bill_number")
_TOP_TAGS = frozenset(
    {"00", "01", "29", "30", "52", "53", "54", "58", "59", "60", "62", "64", "99"}
)


class KhqrError(ValueError):
    """Why a KHQR code cannot be written or read, in English: it is for logs and operators."""


@dataclass(frozen=True)
class KhqrCode:
    """One dynamic payment request; ``amount`` is in minor units (riel, or US cents)."""

    account_id: str  # 29/00 or 30/00, "name@bank"
    merchant_name: str  # 59, ASCII
    merchant_city: str  # 60, ASCII
    currency: str  # 53, "KHR" or "USD"
    amount: int  # 54
    bill_number: str  # 62/01, our invoice reference
    created_ms: int  # 99/00
    expires_ms: int  # 99/01
    merchant_id: str = ""  # 30/01: when set the account is a merchant's (tag 30, not 29)
    acquiring_bank: str = ""  # 30/02, required for a merchant; 29/02 optional, as the SDKs
    category_code: str = "9399"  # 52, government services
    mobile_number: str = ""  # 62/02
    store_label: str = ""  # 62/03
    terminal_label: str = ""  # 62/07
    merchant_name_km: str = ""  # 64/01, with 64/00 language "km"


def crc16(data: str) -> str:
    """CRC-16/CCITT-FALSE of the UTF-8 bytes of ``data``, as four upper-case hex digits."""
    return f"{binascii.crc_hqx(data.encode(), 0xFFFF):04X}"


def is_expired(code: KhqrCode, now_ms: int) -> bool:
    """The expiry instant is the first one at which the code is no longer payable."""
    return now_ms >= code.expires_ms


def encode(code: KhqrCode) -> str:
    """The payload to put in the QR image; raises KhqrError naming the first invalid field."""
    _check(code)
    account = _tlvs(("00", code.account_id), ("01", code.merchant_id), ("02", code.acquiring_bank))
    extra = _tlvs(
        ("01", code.bill_number),
        ("02", code.mobile_number),
        ("03", code.store_label),
        ("07", code.terminal_label),
    )
    km = _tlvs(("00", "km"), ("01", code.merchant_name_km)) if code.merchant_name_km else ""
    times = _tlvs(("00", str(code.created_ms)), ("01", str(code.expires_ms)))
    fields = (
        ("00", "01"),
        ("01", "12"),
        ("30" if code.merchant_id else "29", account),
        ("52", code.category_code),
        ("53", CURRENCY_CODES[code.currency]),
        ("54", _format_amount(code.amount, code.currency)),
        ("58", "KH"),
        ("59", code.merchant_name),
        ("60", code.merchant_city),
        ("62", extra),
        ("64", km),
        ("99", times),
    )
    body = _tlvs(*fields) + "6304"
    return body + crc16(body)


def decode(payload: str) -> KhqrCode:
    """Read a payload written by ``encode``; raises KhqrError saying what is wrong."""
    if len(payload) < 8 or payload[-8:-4] != "6304":
        raise KhqrError("payload does not end with the CRC field 6304XXXX")
    if (found := payload[-4:]) != (expected := crc16(payload[:-4])):
        raise KhqrError(f"bad CRC: payload has {found!r}, its content gives {expected!r}")
    top = _parse(payload[:-8], "payload", _TOP_TAGS)
    _need(top, "payload", "00", "01", "52", "53", "54", "58", "59", "60", "62", "99")
    if ("29" in top) == ("30" in top):
        raise KhqrError("payload needs exactly one account template, tag 29 or tag 30")
    if top["00"] != "01" or top["01"] != "12" or top["58"] != "KH":
        raise KhqrError("not a dynamic Cambodian code (tags 00, 01, 58 must be 01, 12, KH)")
    currency = _CURRENCY_NAMES.get(top["53"])
    if currency is None:
        raise KhqrError(f"unknown currency code {top['53']!r}: expected 116 (KHR) or 840 (USD)")
    if not _AMOUNT[currency].fullmatch(top["54"]):
        raise KhqrError(f"malformed {currency} amount {top['54']!r}")
    merchant = "30" in top
    account_tag = "30" if merchant else "29"
    account = _parse(top[account_tag], f"tag {account_tag}", ("00", "01", "02"))
    _need(account, f"tag {account_tag}", *(("00", "01", "02") if merchant else ("00",)))
    if not merchant and "01" in account:
        raise KhqrError("tag 29: individual account information (01) is not supported")
    extra = _parse(top["62"], "tag 62", {"01", "02", "03", "07"})
    _need(extra, "tag 62", "01")
    times = _parse(top["99"], "tag 99", {"00", "01"})
    _need(times, "tag 99", "00", "01")
    if not all(_TIMESTAMP.fullmatch(value) for value in times.values()):
        raise KhqrError(f"tag 99: timestamps must be 13-digit milliseconds: {top['99']!r}")
    km = _parse(top.get("64", ""), "tag 64", {"00", "01"})
    if "64" in top and (km.get("00") != "km" or "01" not in km):
        raise KhqrError(f"tag 64: expected language km and a merchant name: {top['64']!r}")
    code = KhqrCode(
        account_id=account["00"],
        merchant_id=account.get("01", ""),
        acquiring_bank=account.get("02", ""),
        merchant_name=top["59"],
        merchant_city=top["60"],
        currency=currency,
        amount=int(top["54"].replace(".", "")),
        bill_number=extra["01"],
        mobile_number=extra.get("02", ""),
        store_label=extra.get("03", ""),
        terminal_label=extra.get("07", ""),
        created_ms=int(times["00"]),
        expires_ms=int(times["01"]),
        category_code=top["52"],
        merchant_name_km=km.get("01", ""),
    )
    if encode(code) != payload:  # also runs every field rule of the encoder
        raise KhqrError("payload is not in the form this encoder writes")
    return code


def _check(code: KhqrCode) -> None:
    for name, limit in _LIMITS.items():
        value: str = getattr(code, name)
        if not _ASCII.fullmatch(value):
            raise KhqrError(f"{name} must be printable ASCII: {value!r}")
        if len(value) > limit:
            raise KhqrError(f"{name} is {len(value)} characters, more than {limit}")
        if name in _REQUIRED and not value.strip():
            raise KhqrError(f"{name} is required")
    if not _ACCOUNT_ID.fullmatch(code.account_id):
        raise KhqrError(f"account_id must look like name@bank: {code.account_id!r}")
    if code.merchant_id and not code.acquiring_bank:
        raise KhqrError("a merchant account (merchant_id set) needs acquiring_bank")
    if not _MCC.fullmatch(code.category_code):
        raise KhqrError(f"category_code must be 4 digits: {code.category_code!r}")
    if code.currency not in CURRENCY_CODES:
        raise KhqrError(f"unknown currency {code.currency!r}: expected KHR or USD")
    if type(code.amount) is not int or code.amount <= 0:
        raise KhqrError(f"amount must be a whole number of minor units above 0: {code.amount!r}")
    if len(_format_amount(code.amount, code.currency)) > 13:
        raise KhqrError(f"amount {code.amount} {code.currency} is longer than 13 characters")
    for name in ("created_ms", "expires_ms"):
        ms = getattr(code, name)
        if type(ms) is not int or not _TIMESTAMP.fullmatch(str(ms)):
            raise KhqrError(f"{name} must be 13-digit milliseconds since the epoch: {ms!r}")
    if code.expires_ms <= code.created_ms:
        raise KhqrError("expires_ms must be after created_ms")
    name_km = code.merchant_name_km
    if name_km and (len(name_km) > 25 or not name_km.strip()):
        raise KhqrError(f"merchant_name_km must have 1 to 25 characters: {name_km!r}")
    if any(ord(c) > 0xFFFF or unicodedata.category(c) in ("Cc", "Cs") for c in name_km):
        raise KhqrError(f"merchant_name_km has a control or non-BMP character: {name_km!r}")


def _format_amount(minor: int, currency: str) -> str:
    return str(minor) if currency == "KHR" else f"{minor // 100}.{minor % 100:02d}"


def _tlvs(*fields: tuple[str, str]) -> str:
    """Join the non-empty fields; an empty optional field is left out, not written as TT00."""
    out = []
    for tag, value in fields:
        if len(value) > 99:
            raise KhqrError(f"tag {tag} would hold {len(value)} characters, more than 99")
        if value:
            out.append(f"{tag}{len(value):02d}{value}")
    return "".join(out)


def _parse(text: str, where: str, allowed: Collection[str]) -> dict[str, str]:
    fields: dict[str, str] = {}
    pos, last = 0, ""
    while pos < len(text):
        tag, length = text[pos : pos + 2], text[pos + 2 : pos + 4]
        if len(length) < 2:
            raise KhqrError(f"{where}: truncated TLV at offset {pos}")
        if not _DIGITS2.fullmatch(tag):
            raise KhqrError(f"{where}: bad tag {tag!r} at offset {pos}")
        if not _DIGITS2.fullmatch(length) or length == "00":
            raise KhqrError(f"{where}: bad length {length!r} for tag {tag} at offset {pos}")
        end = pos + 4 + int(length)
        if end > len(text):
            raise KhqrError(f"{where}: truncated TLV: tag {tag} needs {length} characters")
        if tag not in allowed:
            raise KhqrError(f"{where}: unexpected tag {tag}")
        if tag <= last:
            raise KhqrError(f"{where}: tag {tag} is repeated or out of ascending order")
        fields[tag] = text[pos + 4 : end]
        pos, last = end, tag
    return fields


def _need(fields: dict[str, str], where: str, *tags: str) -> None:
    for tag in tags:
        if tag not in fields:
            raise KhqrError(f"{where}: missing required tag {tag}")
