"""KHQR codes: what we write is what Bakong apps read, and a damaged code never reads back."""

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from singleportal.payments.khqr import KhqrCode, KhqrError, crc16, decode, encode, is_expired

CREATED = 1_767_225_600_000  # 2026-01-01 00:00 UTC
FIFTEEN_MINUTES = 15 * 60 * 1000

INVOICE = KhqrCode(
    account_id="singleportal@mef",
    merchant_name="Single Portal",
    merchant_city="Phnom Penh",
    currency="KHR",
    amount=400_000,
    bill_number="INV-2026-0000123",
    created_ms=CREATED,
    expires_ms=CREATED + FIFTEEN_MINUTES,
)
INVOICE_PAYLOAD = (
    "000201"  # payload format 01
    "010212"  # dynamic
    "29200016singleportal@mef"  # individual account
    "52049399"  # government services
    "5303116"  # KHR
    "5406400000"  # whole riel
    "5802KH"
    "5913Single Portal"
    "6010Phnom Penh"
    "62200116INV-2026-0000123"  # bill number
    "9934" "00131767225600000" "01131767226500000"  # created, expires
    "6304E002"
)  # fmt: skip

# Written by a public Bakong SDK (go-khqr's tests): a Khmer name and city in tag 64.
SDK_CODE_WITH_KHMER = (
    "00020101021129180014jonhsmith@nbcq5204599953031165802KH5910Jonh Smith6009Siam Reap"
    "64280002km0108ចន ស្មីន0206សៀមរាប99170013168733740175863047488"
)

ascii_chars = st.characters(min_codepoint=0x20, max_codepoint=0x7E)
khmer_chars = st.one_of(
    st.characters(min_codepoint=0x1780, max_codepoint=0x17DD),  # letters, vowels, signs
    st.characters(min_codepoint=0x17E0, max_codepoint=0x17E9),  # Khmer digits
    st.sampled_from(" \u200b"),  # space and the zero-width space between Khmer words
)


def ascii_text(max_size: int, *, required: bool = False) -> st.SearchStrategy[str]:
    text = st.text(ascii_chars, min_size=int(required), max_size=max_size)
    return text.filter(str.strip) if required else text


@st.composite
def codes(draw: st.DrawFn) -> KhqrCode:
    name_part = st.text(
        st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters="@"),
        min_size=1,
        max_size=15,
    )
    merchant_id = draw(st.one_of(st.just(""), ascii_text(32, required=True)))
    created = draw(st.integers(10**12, 10**13 - 2))
    # Templates hold at most 99 characters, so the optional fields together stay below it.
    return KhqrCode(
        account_id=f"{draw(name_part)}@{draw(name_part)}",
        merchant_id=merchant_id,
        acquiring_bank=draw(ascii_text(20, required=bool(merchant_id))),
        merchant_name=draw(ascii_text(25, required=True)),
        merchant_city=draw(ascii_text(15, required=True)),
        currency=draw(st.sampled_from(["KHR", "USD"])),
        amount=draw(st.integers(1, 10**12 - 1)),  # up to 13 characters in either currency
        bill_number=draw(ascii_text(25, required=True)),
        mobile_number=draw(st.text("0123456789", max_size=15)),
        store_label=draw(ascii_text(25)),
        terminal_label=draw(ascii_text(10)),
        category_code=draw(st.text("0123456789", min_size=4, max_size=4)),
        created_ms=created,
        expires_ms=draw(st.integers(created + 1, 10**13 - 1)),
        merchant_name_km=draw(
            st.text(khmer_chars, max_size=25).filter(lambda s: s.strip() or not s)
        ),
    )


def top_level_fields(payload: str) -> list[tuple[str, int, str]]:
    """Split a payload by its declared lengths: (tag, declared length, value)."""
    fields, pos = [], 0
    while pos < len(payload):
        tag, length = payload[pos : pos + 2], int(payload[pos + 2 : pos + 4])
        fields.append((tag, length, payload[pos + 4 : pos + 4 + length]))
        pos += 4 + length
    return fields


def with_crc(body: str) -> str:
    return body + "6304" + crc16(body + "6304")


def crc_bit_by_bit(data: bytes) -> int:
    """CRC-16/CCITT-FALSE straight from its definition, to check the library call against."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021 if crc & 0x8000 else crc << 1) & 0xFFFF
    return crc


def test_invoice_is_written_field_by_field_as_bakong_expects():
    assert encode(INVOICE) == INVOICE_PAYLOAD
    assert top_level_fields(INVOICE_PAYLOAD) == [
        ("00", 2, "01"),
        ("01", 2, "12"),
        ("29", 20, "0016singleportal@mef"),
        ("52", 4, "9399"),
        ("53", 3, "116"),
        ("54", 6, "400000"),
        ("58", 2, "KH"),
        ("59", 13, "Single Portal"),
        ("60", 10, "Phnom Penh"),
        ("62", 20, "0116INV-2026-0000123"),
        ("99", 34, "0013176722560000001131767226500000"),
        ("63", 4, "E002"),
    ]
    assert f"{crc_bit_by_bit(INVOICE_PAYLOAD[:-4].encode()):04X}" == "E002"
    assert decode(INVOICE_PAYLOAD) == INVOICE


def test_usd_amount_has_two_decimals_and_merchant_account_uses_tag_30():
    code = replace(INVOICE, currency="USD", amount=1250, merchant_id="MEF01", acquiring_bank="NBC")
    fields = {tag: value for tag, _, value in top_level_fields(encode(code))}
    assert fields["53"] == "840"
    assert fields["54"] == "12.50"
    assert fields["30"] == "0016singleportal@mef0105MEF010203NBC"
    assert "29" not in fields
    assert top_level_fields(encode(replace(code, amount=1200)))[5] == ("54", 5, "12.00")
    assert top_level_fields(encode(replace(code, amount=5)))[5] == ("54", 4, "0.05")


def test_khmer_name_goes_in_template_64_with_lengths_in_characters():
    code = replace(INVOICE, merchant_name_km="ច្រកចេញចូលតែមួយ")  # 15 characters, 45 UTF-8 bytes
    fields = {tag: value for tag, _, value in top_level_fields(encode(code))}
    assert fields["64"] == "0002km0115ច្រកចេញចូលតែមួយ"
    assert decode(encode(code)) == code


def test_crc_is_ccitt_false_over_utf8_like_the_sdks():
    assert crc16("123456789") == "29B1"  # the catalogued check value of CRC-16/CCITT-FALSE
    assert crc16("") == "FFFF"
    assert crc16(SDK_CODE_WITH_KHMER[:-4]) == SDK_CODE_WITH_KHMER[-4:]
    assert top_level_fields(SDK_CODE_WITH_KHMER)[-3] == ("64", 28, "0002km0108ចន ស្មីន0206សៀមរាប")


@given(codes())
def test_decoding_an_encoded_code_gives_it_back(code):
    assert decode(encode(code)) == code


@given(codes())
def test_every_declared_length_matches_its_value_and_the_crc_comes_last(code):
    payload = encode(code)
    fields = top_level_fields(payload)
    assert all(length == len(value) for _, length, value in fields)
    assert "".join(f"{tag}{length:02d}{value}" for tag, length, value in fields) == payload
    tags = [tag for tag, _, _ in fields]
    assert tags[:-1] == sorted(set(tags[:-1]))  # ascending, each once
    assert fields[-1] == ("63", 4, crc16(payload[:-4]))


# The CRC catches every change spanning at most 16 bits of UTF-8 (ASCII for ASCII, Khmer for
# Khmer); others (a Khmer letter for a space or U+200B in tag 64) only with probability
# 1 - 2**-16, and nothing else can catch those, so CI uses a fixed seed.
@settings(derandomize=True)
@given(codes(), st.data())
def test_decode_rejects_any_single_character_change(code, data):
    payload = encode(code)
    pos = data.draw(st.integers(0, len(payload) - 1), label="position")
    char = data.draw(st.one_of(ascii_chars, khmer_chars).filter(lambda c: c != payload[pos]))
    with pytest.raises(KhqrError):
        decode(payload[:pos] + char + payload[pos + 1 :])


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"merchant_name": "A" * 26}, id="merchant name over 25"),
        pytest.param({"merchant_name": "ក្រសួងពាណិជ្ជកម្ម"}, id="Khmer merchant name in tag 59"),
        pytest.param({"merchant_name": "  "}, id="blank merchant name"),
        pytest.param({"merchant_city": "Phnom Penh Thmey"}, id="city over 15"),
        pytest.param({"amount": 0}, id="zero amount"),
        pytest.param({"amount": -100}, id="negative amount"),
        pytest.param({"amount": 10**13}, id="KHR amount over 13 characters"),
        pytest.param({"currency": "USD", "amount": 10**12}, id="USD amount over 13 characters"),
        pytest.param({"currency": "EUR"}, id="unknown currency"),
        pytest.param({"bill_number": ""}, id="missing bill number"),
        pytest.param({"bill_number": "INV-2026-0000123-REMINDER1"}, id="bill number over 25"),
        pytest.param({"account_id": "singleportal"}, id="account id without bank"),
        pytest.param({"account_id": "single portal@mef"}, id="account id with a space"),
        pytest.param({"category_code": "939"}, id="category code of 3 digits"),
        pytest.param({"merchant_id": "MEF01"}, id="merchant without acquiring bank"),
        pytest.param({"expires_ms": CREATED}, id="expiry not after creation"),
        pytest.param({"created_ms": 1_767_225_600}, id="timestamp in seconds"),
        pytest.param({"merchant_name_km": "ក" * 26}, id="Khmer name over 25"),
        pytest.param({"merchant_name_km": "ក\nខ"}, id="control character in Khmer name"),
        pytest.param(
            {"mobile_number": "8" * 25, "store_label": "S" * 25, "terminal_label": "T" * 25},
            id="additional data over 99",
        ),
    ],
)
def test_encode_refuses_invalid_field(change):
    with pytest.raises(KhqrError):
        encode(replace(INVOICE, **change))


BODY = INVOICE_PAYLOAD[:-8]


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        pytest.param(INVOICE_PAYLOAD[:-4] + "E003", "bad CRC", id="bad CRC"),
        pytest.param(INVOICE_PAYLOAD[:-4] + "e002", "bad CRC", id="lower-case CRC"),
        pytest.param(BODY, "does not end with the CRC", id="no CRC field"),
        pytest.param(with_crc(BODY + "62"), "truncated TLV", id="truncated TLV header"),
        pytest.param(with_crc(BODY + "6230ab"), "truncated TLV", id="truncated TLV value"),
        pytest.param(with_crc(BODY.replace("5802KH", "58A2KH")), "bad length", id="bad length"),
        pytest.param(with_crc(BODY.replace("5802KH", "")), "missing required tag 58", id="no 58"),
        pytest.param(
            with_crc(BODY.replace("62200116INV-2026-0000123", "6215021185512345678")),
            "tag 62: missing required tag 01",
            id="no bill number",
        ),
        pytest.param(with_crc(BODY.replace("5303116", "5303978")), "unknown currency", id="EUR"),
        pytest.param(
            with_crc(BODY.replace("5406400000", "54070400000")), "malformed KHR", id="zero-led"
        ),
        pytest.param(
            with_crc(BODY.replace("5303116", "5303840").replace("5406400000", "540412.5")),
            "malformed USD",
            id="one decimal",
        ),
        pytest.param(with_crc(BODY.replace("010212", "010211")), "dynamic", id="static code"),
        pytest.param(
            with_crc(BODY.replace("520493995303116", "530311652049399")),
            "out of ascending order",
            id="tags out of order",
        ),
        pytest.param(with_crc(BODY + "1504UPI1"), "unexpected tag 15", id="UnionPay tag"),
    ],
)
def test_decode_says_why_it_refuses(payload, reason):
    with pytest.raises(KhqrError, match=reason):
        decode(payload)


def test_code_expires_at_its_expiry_millisecond():
    assert not is_expired(INVOICE, CREATED)
    assert not is_expired(INVOICE, INVOICE.expires_ms - 1)
    assert is_expired(INVOICE, INVOICE.expires_ms)
    assert is_expired(INVOICE, INVOICE.expires_ms + 1)
