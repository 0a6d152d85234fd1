"""Fixing the tree: duplicates, missing parents and codes that break the code scheme.

Works top-down, one level at a time, on mutable rows; every change is reported. A code that a
fix takes out of use is remembered (`remap`) so that the next level's rows follow their parent.
"""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from singleportal.geo.cleaning.names import loose_key
from singleportal.geo.cleaning.report import Report

LEVELS = ("province", "district", "commune", "village")
CODE_LENGTH = {"province": 2, "district": 4, "commune": 6, "village": 8}
PARENT_LEVEL = {"district": "province", "commune": "district", "village": "commune"}


@dataclass
class Row:
    level: str
    code: str
    parent: str
    name_km: str
    name_en: str
    kind: str = ""
    source_code: str = ""
    source_km: str = ""
    source_en: str = ""
    line: int = 0

    @property
    def label(self) -> str:
        return f"{self.name_km} / {self.name_en}"


@dataclass(frozen=True)
class CodeAlias:
    level: str
    old: str
    new: str


class TreeFixer:
    def __init__(self, rows: dict[str, list[Row]], report: Report) -> None:
        self.rows = rows
        self.report = report
        self.remap: dict[str, dict[str, str]] = {level: {} for level in LEVELS}
        self.code_aliases: list[CodeAlias] = []
        # Every code the source uses, per level: a new code never reuses one of them, so
        # a code from the source means at most one place in the cleaned data.
        self.source_codes = {level: {r.code for r in rows[level]} for level in LEVELS}

    def run(self) -> None:
        for level in LEVELS:
            self.follow_parents(level)
            self.drop_duplicate_rows(level)
            self.merge_duplicate_places(level)
            self.adopt_orphans(level)
            self.recode(level)

    def follow_parents(self, level: str) -> None:
        if level in PARENT_LEVEL:
            moved = self.remap[PARENT_LEVEL[level]]
            for row in self.rows[level]:
                row.parent = moved.get(row.parent, row.parent)

    def drop_duplicate_rows(self, level: str) -> None:
        seen: set[tuple[str, str, str, str]] = set()
        kept = []
        for row in self.rows[level]:
            key = (row.code, row.parent, row.name_km, row.name_en)
            if key in seen:
                self.report.add(
                    "duplicate_row",
                    level,
                    row.code,
                    f"{row.label} repeated (line {row.line}); dropped",
                )
                continue
            seen.add(key)
            kept.append(row)
        self.rows[level] = kept

    def merge_duplicate_places(self, level: str) -> None:
        groups: dict[tuple[str, str, str], list[Row]] = defaultdict(list)
        for row in self.rows[level]:
            groups[(row.parent, loose_key(row.name_km), loose_key(row.name_en))].append(row)
        dropped: set[int] = set()
        for group in groups.values():
            if len(group) < 2:
                continue
            keeper, *others = sorted(group, key=lambda r: r.code)
            for other in others:
                dropped.add(id(other))
                self.remap[level][other.code] = keeper.code
                self.code_aliases.append(CodeAlias(level, other.code, keeper.code))
            self.report.add(
                "duplicate_place",
                level,
                keeper.code,
                f"{keeper.label} listed {len(group)} times under {keeper.parent or 'the country'} "
                f"(codes {', '.join(r.code for r in group)}); merged into {keeper.code}",
                count=len(others),
            )
        self.rows[level] = [r for r in self.rows[level] if id(r) not in dropped]

    def adopt_orphans(self, level: str) -> None:
        if level not in PARENT_LEVEL:
            return
        parents = {r.code: r for r in self.rows[PARENT_LEVEL[level]]}
        orphans: dict[str, list[Row]] = defaultdict(list)
        for row in self.rows[level]:
            if row.parent not in parents:
                orphans[row.parent].append(row)
        if not orphans:
            return
        with_children = {r.parent for r in self.rows[level]}
        for missing, children in sorted(orphans.items()):
            names = {loose_key(child.name_km) for child in children}
            candidates = [
                p
                for p in parents.values()
                if p.code[:-2] == missing[:-2]  # same grandparent
                and p.code not in with_children
                and loose_key(p.name_km) in names
            ]
            parent_level = PARENT_LEVEL[level]
            if len(candidates) == 1:
                adopter = candidates[0]
                for child in children:
                    child.parent = adopter.code
                self.remap[parent_level][missing] = adopter.code
                self.code_aliases.append(CodeAlias(parent_level, missing, adopter.code))
                self.report.add(
                    "missing_parent",
                    level,
                    missing,
                    f"{len(children)} {level} rows name {parent_level} {missing}, which is not in "
                    f"the {parent_level} list; {parent_level} {adopter.code} ({adopter.label}) has "
                    f"no {level} rows and one of them is named like it: moved there",
                    count=len(children),
                )
            else:
                self.rows[level] = [r for r in self.rows[level] if r.parent != missing]
                self.report.add(
                    "missing_parent",
                    level,
                    missing,
                    f"{len(children)} {level} rows name {parent_level} {missing}, which is not in "
                    f"the {parent_level} list, and no single sibling fits: dropped",
                    count=len(children),
                )

    def recode(self, level: str) -> None:
        if level not in PARENT_LEVEL:
            bad = [r for r in self.rows[level] if not re.fullmatch(r"\d{2}", r.code)]
            if bad:
                raise ValueError(f"malformed province codes: {[r.code for r in bad]}")
            return
        length = CODE_LENGTH[level]
        uses = Counter(r.code for r in self.rows[level])
        taken: set[str] = set()
        to_recode: list[tuple[Row, str]] = []
        for row in self.rows[level]:
            problem = self._code_problem(row, length, taken)
            if problem:
                to_recode.append((row, problem))
            else:
                taken.add(row.code)
        for row, problem in to_recode:
            old = row.code
            row.code = self._free_code(row.parent, old[-2:], level, taken)
            taken.add(row.code)
            if uses[old] == 1:  # a shared code names no single place: no alias
                self.remap[level][old] = row.code
                self.code_aliases.append(CodeAlias(level, old, row.code))
            self.report.add(
                "recoded",
                level,
                old,
                f"{row.label} in {row.parent}: {problem}; re-coded {row.code}",
            )

    @staticmethod
    def _code_problem(row: Row, length: int, taken: set[str]) -> str:
        if not re.fullmatch(rf"\d{{{length}}}", row.code):
            return f"malformed code {row.code!r}"
        if not row.code.startswith(row.parent):
            return "code does not start with its parent's code"
        if row.code.endswith("00"):
            return "code ends in 00 (numbers within a parent start at 01)"
        if row.code in taken:
            return "code already used by another place"
        return ""

    def _free_code(self, parent: str, wanted: str, level: str, taken: set[str]) -> str:
        used = self.source_codes[level] | taken
        if wanted.isdigit() and wanted != "00" and parent + wanted not in used:
            return parent + wanted
        for number in range(1, 100):
            code = f"{parent}{number:02d}"
            if code not in used:
                return code
        raise ValueError(f"no free {level} code left under {parent}")
