import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from singleportal.core.text import (
    INVISIBLE_CHARACTERS,
    KHMER_DIGITS,
    normalize_text,
    remove_invisible,
    strip_latin_accents,
)

KHMER_CONSONANTS = [chr(c) for c in range(0x1780, 0x17A3)]  # ក .. អ
KHMER_INDEPENDENT_VOWELS = [chr(c) for c in range(0x17A5, 0x17B4)]  # ឥ .. ឳ
KHMER_VOWEL_SIGNS = [chr(c) for c in range(0x17B6, 0x17C6)]  # ា .. ៅ
KHMER_SIGNS = [chr(c) for c in range(0x17C6, 0x17D4)] + ["\u17dd"]  # ំ ះ ៈ ... ្ (coeng) ៝
KHMER_LETTERS_AND_SIGNS = set(
    KHMER_CONSONANTS + KHMER_INDEPENDENT_VOWELS + KHMER_VOWEL_SIGNS + KHMER_SIGNS
)
LATIN_ACCENTS = [chr(c) for c in range(0x0300, 0x0370)]

OTHER_CHARACTERS = list("abcXYZ é\t\u00a00123")
khmer_or_latin_text = st.text(
    alphabet=st.sampled_from(
        sorted(
            {
                *KHMER_LETTERS_AND_SIGNS,
                *KHMER_DIGITS,
                *INVISIBLE_CHARACTERS,
                *LATIN_ACCENTS,
                *OTHER_CHARACTERS,
            }
        )
    )
)


def khmer_only(text: str) -> str:
    return "".join(c for c in text if c in KHMER_LETTERS_AND_SIGNS)


@given(st.text())
def test_normalizing_twice_changes_nothing(text):
    once = normalize_text(text)
    assert normalize_text(once) == once


@given(st.one_of(st.text(), khmer_or_latin_text))
def test_output_has_no_invisible_characters_and_is_nfc(text):
    result = normalize_text(text)
    assert not set(result) & set(INVISIBLE_CHARACTERS)
    assert unicodedata.is_normalized("NFC", result)
    assert result == result.strip()
    assert "  " not in result


@given(khmer_or_latin_text)
def test_khmer_letters_and_signs_all_survive(text):
    expected = unicodedata.normalize("NFC", remove_invisible(text))
    assert khmer_only(normalize_text(text)) == khmer_only(expected)


def test_every_khmer_consonant_with_every_vowel_sign_is_kept_unchanged():
    for consonant in KHMER_CONSONANTS:
        for sign in KHMER_VOWEL_SIGNS + KHMER_SIGNS:
            assert normalize_text(consonant + sign) == consonant + sign


def test_khmer_signs_after_a_latin_letter_are_kept():
    # Only Latin diacritics are stripped from Latin letters, never a Khmer sign.
    assert strip_latin_accents("a\u17b7\u0301") == "a\u17b7"


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ "))
def test_latin_case_does_not_matter(text):
    assert normalize_text(text.upper()) == normalize_text(text.lower())


@given(
    st.lists(
        st.tuples(
            st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"),
            st.lists(st.sampled_from(LATIN_ACCENTS), max_size=3),
        )
    )
)
def test_accents_on_latin_letters_do_not_matter(letters):
    plain = "".join(letter for letter, _ in letters)
    accented = "".join(letter + "".join(marks) for letter, marks in letters)
    assert normalize_text(accented) == normalize_text(plain)


@given(st.integers(min_value=0))
def test_khmer_and_ascii_digits_are_equal(number):
    ascii_digits = str(number)
    khmer = ascii_digits.translate(str.maketrans("0123456789", KHMER_DIGITS))
    assert normalize_text(khmer) == normalize_text(ascii_digits) == ascii_digits


@pytest.mark.parametrize(
    ("typed", "plain"),
    [
        ("ក្រុម\u200bហ៊ុន អង្គរ", "ក្រុមហ៊ុន អង្គរ"),
        ("\ufeffក្រុមហ៊ុន\u00a0 អង្គរ\u200d", "ក្រុមហ៊ុន អង្គរ"),
        ("សហគ្រាស ឆ្នាំ ២០២៦", "សហគ្រាស ឆ្នាំ 2026"),
        ("Café", "CAFE"),
        ("Angkor\u00adWat  Crafts\n", "angkorwat crafts"),
        ("Nguyễn Thị Hà", "nguyen thi ha"),
        ("STRAẞE", "strasse"),
    ],
)
def test_real_names_compare_equal(typed, plain):
    assert normalize_text(typed) == normalize_text(plain)


def test_khmer_name_keeps_its_subscripts_and_vowels():
    name = "ក្រសួងពាណិជ្ជកម្ម"
    assert normalize_text(name) == name


def test_accents_on_greek_letters_are_kept():
    assert normalize_text("ά") == "ά"
