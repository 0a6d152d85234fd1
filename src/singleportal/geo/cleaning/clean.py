"""From the package's raw rows to the cleaned tree the app ships, with a report of each fix."""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from singleportal.geo.cleaning.names import (
    drop_invisible,
    loose_key,
    spelling_key,
    tidy_english,
    tidy_khmer,
)
from singleportal.geo.cleaning.report import Report
from singleportal.geo.cleaning.source import RawRow
from singleportal.geo.cleaning.structure import LEVELS, PARENT_LEVEL, Row, TreeFixer

# A level word written at the start of a Khmer name: (Khmer word, kind, romanised word).
KIND_PREFIXES = {
    "province": [("រាជធានី", "capital", ""), ("ខេត្ត", "province", "Khaet")],
    "district": [
        ("ក្រុង", "municipality", "Krong"),
        ("ស្រុក", "district", "Srok"),
        ("ខណ្ឌ", "khan", "Khan"),
    ],
    "commune": [("សង្កាត់", "sangkat", "Sangkat"), ("ឃុំ", "commune", "Khum")],
}
DEFAULT_KIND = {"province": "province"}
# Spellings people commonly use for provinces whose published English name differs.
COMMON_SPELLINGS = {
    "11": ["Mondulkiri"],
    "16": ["Ratanakiri"],
    "17": ["Siem Reap"],
    "18": ["Preah Sihanouk"],
    "22": ["Oddar Meanchey"],
    "25": ["Tbong Khmum"],
}
# A mark between two Khmer letters (digits excluded: "៤.៨" numbers a village).
KHMER_WORD_PUNCTUATION = re.compile(r"[\u1780-\u17dd][.\-,;:][\u1780-\u17dd]")
CHILD_LEVEL = {parent: child for child, parent in PARENT_LEVEL.items()}


@dataclass(frozen=True, order=True)
class Alias:
    level: str
    code: str
    alias: str
    reason: str


@dataclass
class Cleaned:
    rows: dict[str, list[Row]]  # per level, ordered by code
    aliases: list[Alias]
    report: Report


def clean(raw: dict[str, list[RawRow]]) -> Cleaned:
    """Tidy names first (so that duplicates compare equal), then fix the tree top-down, then
    names that need the whole tree (copied English), then collect aliases under final codes."""
    report = Report()
    rows = {level: [tidy_row(r, report) for r in raw.get(level, [])] for level in LEVELS}
    set_capital_kinds(rows, report)
    check_ancestors(raw, report)
    fixer = TreeFixer(rows, report)
    fixer.run()
    wrong_english = fix_copied_english(rows, report)
    flag_for_review(rows, report)
    for level in LEVELS:
        rows[level].sort(key=lambda r: r.code)
    aliases = collect_aliases(rows, fixer, wrong_english, report)
    return Cleaned(rows, aliases, report)


def tidy_row(raw: RawRow, report: Report) -> Row:
    name_km, km_steps = tidy_khmer(raw.name_km)
    name_en, en_steps = tidy_english(raw.name_en)
    code = raw.code.strip()
    for steps, before, after in (
        (km_steps, raw.name_km, name_km),
        (en_steps, raw.name_en, name_en),
    ):
        for step in steps:
            report.add(step, raw.level, code, f"{before!r} -> {after!r}")
    row = Row(
        level=raw.level,
        code=code,
        parent=raw.parent.strip(),
        name_km=name_km,
        name_en=name_en,
        kind=DEFAULT_KIND.get(raw.level, ""),
        source_code=raw.code,
        source_km=raw.name_km,
        source_en=raw.name_en,
        line=raw.line,
    )
    take_kind_prefix(row, report)
    return row


def take_kind_prefix(row: Row, report: Report) -> None:
    for word, kind, romanised in KIND_PREFIXES.get(row.level, []):
        rest = row.name_km.removeprefix(word).strip()
        if rest and rest != row.name_km:
            row.name_km, row.kind = rest, kind
            if romanised and row.name_en.startswith(romanised + " "):
                row.name_en = row.name_en.removeprefix(romanised + " ")
            report.add(
                "kind_prefix", row.level, row.code, f"{word} + {rest}: name {rest}, kind {kind}"
            )
            return


def set_capital_kinds(rows: dict[str, list[Row]], report: Report) -> None:
    capitals = {r.code for r in rows["province"] if r.kind == "capital"}
    khans = set()
    for district in rows["district"]:
        if district.parent in capitals and not district.kind:
            district.kind = "khan"
            khans.add(district.code)
    sangkats = 0
    for commune in rows["commune"]:
        if commune.parent in khans and not commune.kind:
            commune.kind = "sangkat"
            sangkats += 1
    if khans:
        message = f"districts of the capital ({', '.join(sorted(capitals))}) are khans"
        report.add("capital_divisions", "district", "", message, count=len(khans))
        report.add(
            "capital_divisions", "commune", "", "communes of a khan are sangkats", count=sangkats
        )


def check_ancestors(raw: dict[str, list[RawRow]], report: Report) -> None:
    """A village row also names its district and province: they must be its commune's."""
    chains: dict[tuple[str, str], dict[str, str]] = {}  # (level, code) -> ancestor columns
    for level in LEVELS:
        parent_level = PARENT_LEVEL.get(level, "")
        for row in raw.get(level, []):
            parent_chain = chains.get((parent_level, row.parent.strip()), {})
            chain = dict(parent_chain)
            if parent_level:
                chain[f"{parent_level}_code"] = row.parent.strip()
            chains[(level, row.code.strip())] = chain
            for column, value in row.ancestors.items():
                expected = parent_chain.get(column)
                if expected is not None and expected != value.strip():
                    report.add(
                        "inconsistent_ancestors",
                        level,
                        row.code,
                        f"{column} is {value!r} but its parent {row.parent} is in {expected}",
                    )


def fix_copied_english(rows: dict[str, list[Row]], report: Report) -> set[int]:
    """Siblings sharing an English name but not a Khmer one: an English name was copied from
    the row above. Use how the same Khmer name is romanised elsewhere, when it is."""
    romanised: dict[str, Counter[str]] = defaultdict(Counter)
    for level in LEVELS:
        for row in rows[level]:
            romanised[loose_key(row.name_km)][row.name_en] += 1
    fixed: set[int] = set()
    for level in LEVELS:
        groups: dict[tuple[str, str], list[Row]] = defaultdict(list)
        for row in rows[level]:
            groups[(row.parent, loose_key(row.name_en))].append(row)
        for group in groups.values():
            if len({loose_key(r.name_km) for r in group}) < 2:
                continue
            for row in group:
                elsewhere = romanised[loose_key(row.name_km)].copy()
                elsewhere[row.name_en] -= 1
                options = sorted((-n, name) for name, n in elsewhere.items() if n > 0)
                if options and options[0][1] != row.name_en:
                    before, row.name_en = row.name_en, options[0][1]
                    fixed.add(id(row))
                    report.add(
                        "english_copied_from_sibling",
                        level,
                        row.code,
                        f"{row.name_km} was romanised {before!r} like a sibling; "
                        f"elsewhere it is {row.name_en!r}: renamed",
                    )
            still_shared = [r for r in group if id(r) not in fixed]
            if len({loose_key(r.name_km) for r in still_shared}) > 1:
                names = ", ".join(f"{r.code} {r.name_km}" for r in still_shared)
                report.add(
                    "review",
                    level,
                    still_shared[0].code,
                    f"English {still_shared[0].name_en!r} shared by {names}; no other "
                    "romanisation in the source to fix it with",
                )
    return fixed


def flag_for_review(rows: dict[str, list[Row]], report: Report) -> None:
    for level in LEVELS:
        groups: dict[tuple[str, str], list[Row]] = defaultdict(list)
        for row in rows[level]:
            groups[(row.parent, loose_key(row.name_km))].append(row)
        for group in groups.values():
            if len({loose_key(r.name_en) for r in group}) > 1:
                names = ", ".join(f"{r.code} {r.name_en!r}" for r in group)
                report.add(
                    "review", level, group[0].code, f"Khmer {group[0].name_km} shared by {names}"
                )
        for row in rows[level]:
            if KHMER_WORD_PUNCTUATION.search(row.name_km):
                report.add(
                    "review", level, row.code, f"punctuation inside a Khmer word: {row.label}"
                )
        if level in CHILD_LEVEL:
            child = CHILD_LEVEL[level]
            parents = {r.parent for r in rows[child]}
            for row in rows[level]:
                if row.code not in parents:
                    report.add("review", level, row.code, f"{row.label} has no {child} rows")


def collect_aliases(
    rows: dict[str, list[Row]], fixer: TreeFixer, wrong_english: set[int], report: Report
) -> list[Alias]:
    aliases: set[Alias] = set()
    for level in LEVELS:
        for row in rows[level]:
            published = [(row.source_km, row.name_km)]
            if id(row) not in wrong_english:  # a wrong name is no alternative spelling
                published.append((row.source_en, row.name_en))
            for before, after in published:
                if before.strip() and spelling_key(before) != spelling_key(after):
                    text = " ".join(drop_invisible(before).split())
                    aliases.add(Alias(level, row.code, text, "source_spelling"))
    spelling_count = len(aliases)
    report.add("source_spelling", "", "", "published spellings kept", count=spelling_count)
    live = {level: {r.code for r in rows[level]} for level in LEVELS}
    for moved in fixer.code_aliases:
        new = moved.new
        while new in fixer.remap[moved.level] and new not in live[moved.level]:
            new = fixer.remap[moved.level][new]
        if moved.old not in live[moved.level] and new in live[moved.level]:
            aliases.add(Alias(moved.level, new, moved.old, "source_code"))
    provinces = {r.code: r for r in rows["province"]}
    common = 0
    for code, spellings in COMMON_SPELLINGS.items():
        for spelling in spellings:
            if code in provinces and spelling_key(spelling) != spelling_key(
                provinces[code].name_en
            ):
                aliases.add(Alias("province", code, spelling, "common_spelling"))
                common += 1
    report.add("common_spelling", "province", "", "common spellings added", count=common)
    order = {level: i for i, level in enumerate(LEVELS)}
    return sorted(aliases, key=lambda a: (order[a.level], a.code, a.alias, a.reason))
