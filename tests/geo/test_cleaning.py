"""The cleaner on small, planted input: each problem is reported and fixed."""

import pytest

from singleportal.geo.cleaning.clean import clean
from singleportal.geo.cleaning.names import tidy_english, tidy_khmer
from singleportal.geo.cleaning.source import RawRow, parse_csv


@pytest.mark.parametrize(
    ("raw", "tidy", "steps"),
    [
        ("ស្ពឺ  ក", "ស្ពឺ ក", ["whitespace"]),
        ("អូរ\u200bសែន\u200bជ័យ", "អូរសែនជ័យ", ["invisible_characters"]),
        ('ប្រសូត្រ "ក"', "ប្រសូត្រ ក", ["stray_marks"]),
        ("កោះធំ \u2039ក\u203a", "កោះធំ ក", ["stray_marks"]),
        ("ស្ថាពរ1", "ស្ថាពរ១", ["latin_digits_in_khmer"]),
        (" វះ ( ជាសារ ) ", "វះ (ជាសារ)", ["whitespace"]),
        ("ភ្នំពេញ", "ភ្នំពេញ", []),
    ],
)
def test_tidy_khmer(raw, tidy, steps):
    assert tidy_khmer(raw) == (tidy, steps)


@pytest.mark.parametrize(
    ("raw", "tidy", "steps"),
    [
        ("Ta  Bun", "Ta Bun", ["whitespace"]),
        ("wat Kor", "Wat Kor", ["capitalisation"]),
        ("Phsar Depou TI Pir", "Phsar Depou Ti Pir", ["capitalisation"]),
        ("Rolea B'ier", "Rolea B'ier", []),
        ('PhumThmei "Kha', "Phum Thmei Kha", ["quote_marks", "joined_words", "whitespace"]),
        ("Svay ( Kha )", "Svay Kha", ["quote_marks", "whitespace"]),
        ("Veah (Chea Sar )", "Veah (Chea Sar)", ["whitespace"]),
        ("OMal", "O Mal", ["joined_words"]),
        ("Thnal\u200b Chheu Teal", "Thnal Chheu Teal", ["invisible_characters"]),
    ],
)
def test_tidy_english(raw, tidy, steps):
    assert tidy_english(raw) == (tidy, steps)


def row(level, code, parent, km, en, line=0):
    return RawRow(level=level, line=line, code=code, parent=parent, name_km=km, name_en=en)


def planted():
    """A small tree with one of each problem the real source has."""
    return {
        "province": [row("province", "12", "", "រាជធានីភ្នំពេញ", "Phnom Penh")],
        "district": [row("district", "1201", "12", "ចំការមន", "Chamkar Mon")],
        "commune": [
            row("commune", "120101", "1201", "ទន្លេបាសាក់", "Tonle Basak"),
            row("commune", "120102", "1201", "បឹងកេងកង", "Boeng Keng Kang"),
            # the same commune listed twice under two codes
            row("commune", "120103", "1201", "គគីរ", "Kokir"),
            row("commune", "120104", "1201", "គគីរ", "Kokir"),
            # a commune left without its villages (they name 120199 instead)
            row("commune", "120105", "1201", "ត្រពាំងក្រសាំង", "Trapeang Krasang"),
        ],
        "village": [
            row("village", "12010101", "120101", "ភូមិ  ១", "phum  Muoy"),  # untidy names
            row("village", "12010101", "120101", "ភូមិ ១", "Phum Muoy"),  # repeated row
            row("village", "12010101", "120101", "ភូមិ ២", "Phum Pir"),  # code used twice
            row("village", "12010201", "120101", "ភូមិ ៣", "Phum Bei"),  # parent's code? no
            row("village", "1201020-", "120102", "ភូមិ ៤", "Phum Buon"),  # malformed
            row("village", "12010300", "120103", "ភូមិ ៥", "Phum Bram"),  # numbered 00
            row("village", "12010401", "120104", "ភូមិ ៦", "Phum Prammuoy"),  # merged commune
            row("village", "12019901", "120199", "ត្រពាំងក្រសាំង", "Trapeang Krasang"),
            row("village", "12019902", "120199", "ក្រាំង", "Krang"),
            row("village", "12019801", "120198", "អ្វី", "Avei"),  # no parent to adopt it
            # English copied from the sibling above; the Khmer name is romanised elsewhere
            row("village", "12010202", "120102", "ក្រាំង", "Phum Buon"),
        ],
    }


@pytest.fixture
def cleaned():
    return clean(planted())


def codes(cleaned, level):
    return {r.code: r for r in cleaned.rows[level]}


def rule_codes(cleaned, rule):
    return [(f.level, f.code) for f in cleaned.report.of(rule)]


def test_capital_word_becomes_the_kind_and_an_alias(cleaned):
    capital = codes(cleaned, "province")["12"]
    assert (capital.name_km, capital.kind) == ("ភ្នំពេញ", "capital")
    assert codes(cleaned, "district")["1201"].kind == "khan"
    assert codes(cleaned, "commune")["120101"].kind == "sangkat"
    assert ("province", "12", "រាជធានីភ្នំពេញ", "source_spelling") in alias_rows(cleaned)


def alias_rows(cleaned):
    return {(a.level, a.code, a.alias, a.reason) for a in cleaned.aliases}


def test_untidy_names_are_tidied_and_reported(cleaned):
    village = codes(cleaned, "village")["12010101"]
    assert (village.name_km, village.name_en) == ("ភូមិ ១", "Phum Muoy")
    assert ("village", "12010101") in rule_codes(cleaned, "whitespace")
    assert ("village", "12010101") in rule_codes(cleaned, "capitalisation")


def test_a_repeated_row_is_dropped(cleaned):
    assert rule_codes(cleaned, "duplicate_row") == [("village", "12010101")]
    assert [r.name_en for r in cleaned.rows["village"]].count("Phum Muoy") == 1


def test_a_place_listed_twice_is_merged_and_its_children_follow(cleaned):
    communes = codes(cleaned, "commune")
    assert "120103" in communes and "120104" not in communes
    assert codes(cleaned, "village")["12010302"].parent == "120103"  # was 12010401 in 120104
    assert ("commune", "120103", "120104", "source_code") in alias_rows(cleaned)


def test_orphans_move_to_the_childless_sibling_they_are_named_after(cleaned):
    villages = codes(cleaned, "village")
    moved = [v for v in villages.values() if v.parent == "120105"]
    assert {v.name_en for v in moved} == {"Trapeang Krasang", "Krang"}
    assert all(v.code.startswith("120105") for v in moved)
    assert ("commune", "120105", "120199", "source_code") in alias_rows(cleaned)


def test_orphans_with_no_fitting_parent_are_dropped_and_reported(cleaned):
    assert "Avei" not in {v.name_en for v in cleaned.rows["village"]}
    dropped = [f for f in cleaned.report.of("missing_parent") if f.code == "120198"]
    assert "dropped" in dropped[0].message


def test_bad_codes_are_renumbered_inside_their_parent(cleaned):
    recoded = {f.code: f.message for f in cleaned.report.of("recoded")}
    assert set(recoded) >= {"12010101", "12010201", "1201020-", "12010300"}
    assert "already used" in recoded["12010101"]
    assert "does not start with its parent's code" in recoded["12010201"]
    assert "malformed" in recoded["1201020-"]
    assert "ends in 00" in recoded["12010300"]
    for village in cleaned.rows["village"]:
        assert village.code.startswith(village.parent) and not village.code.endswith("00")
    assert len({v.code for v in cleaned.rows["village"]}) == len(cleaned.rows["village"])


def test_new_codes_never_reuse_a_code_from_the_source(cleaned):
    source_codes = {r.code for r in planted()["village"]}
    first = codes(cleaned, "village")["12010101"]
    assert first.name_en == "Phum Muoy"  # the first holder keeps a shared code
    renumbered = [v for v in cleaned.rows["village"] if v.code != v.source_code.strip()]
    assert renumbered and not {v.code for v in renumbered} & source_codes


def test_english_copied_from_a_sibling_is_replaced(cleaned):
    village = next(v for v in cleaned.rows["village"] if v.source_code == "12010202")
    assert village.name_en == "Krang"
    assert rule_codes(cleaned, "english_copied_from_sibling") == [("village", "12010202")]
    # A wrong name is not kept as an alternative spelling.
    assert not any(a.alias == "Phum Buon" and a.code == village.code for a in cleaned.aliases)


def test_every_rule_is_listed_with_its_count(cleaned):
    rules = {r["rule"]: r["count"] for r in cleaned.report.rules_applied()}
    assert rules["duplicate_row"] == 1 and rules["nfc"] == 0


def test_csv_rows_keep_cells_as_published():
    text = "\ufeffprovince_code,district_code,district_kh,district_en\n01, 0102 ,ក  ខ,Ab\n\n"
    (parsed,) = parse_csv("district", text.lstrip("\ufeff"))
    assert (parsed.code, parsed.parent, parsed.name_km, parsed.line) == (" 0102 ", "01", "ក  ខ", 2)
