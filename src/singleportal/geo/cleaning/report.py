"""What the cleaner found and did: one finding per problem, and the rules in force."""

from collections import Counter
from dataclasses import dataclass, field

# Every rule the cleaner applies, in the order it applies them. The shipped file lists them
# with how often each fired, so a reader of the data knows what was changed.
RULES: dict[str, str] = {
    "nfc": "Names normalised to Unicode NFC.",
    "invisible_characters": "Zero-width spaces, joiners and soft hyphens removed from names.",
    "stray_marks": "Quote marks (straight, curly, angle) and backticks removed from Khmer names.",
    "latin_digits_in_khmer": "ASCII digits in Khmer names written as Khmer digits.",
    "whitespace": "Leading, trailing and repeated spaces removed, also inside parentheses.",
    "quote_marks": 'Quote marks removed from English names; "Ka" and (Ka) suffixes written bare.',
    "joined_words": "Joined romanised words split (PhumThmei -> Phum Thmei).",
    "capitalisation": "English names in one case style: each word starts upper-case, the rest "
    "lower-case (B'ier stays B'ier).",
    "kind_prefix": "A level word at the start of a Khmer name (រាជធានី, ខេត្ត, ក្រុង, ស្រុក, ខណ្ឌ, "
    "សង្កាត់, ឃុំ) moved into the kind; the full name kept as an alias.",
    "capital_divisions": "Districts of the capital are khans and their communes sangkats (by law); "
    "elsewhere the source does not say district or municipality, commune or sangkat, so the kind "
    "is left blank.",
    "inconsistent_ancestors": "Ancestor code columns that disagree with the parent's own "
    "ancestors are reported; the parent column is kept.",
    "duplicate_row": "Rows repeated with the same code, parent and names dropped.",
    "duplicate_place": "Places with the same parent and the same names under different codes "
    "merged into the lowest code; their children moved there; the other codes kept as aliases.",
    "missing_parent": "Children of a parent missing from the parent list moved to the parent's "
    "sibling that has no children in the source and whose name one of them carries (otherwise "
    "dropped); the missing code kept as an alias.",
    "recoded": "Codes that are malformed, do not start with the parent's code, end in 00 or are "
    "used twice re-numbered within the parent: the original last digits where free, else the "
    "lowest number used by no place in the source. The old code is kept as an alias when it "
    "named only this place.",
    "english_copied_from_sibling": "An English name shared by siblings with different Khmer "
    "names replaced by the romanisation the same Khmer name has elsewhere in the source "
    "(flagged for review when there is none).",
    "review": "Left as published and flagged for a person to check.",
    "source_spelling": "Every published spelling changed beyond case and spacing kept as an alias.",
    "common_spelling": "Common English spellings of province names added as aliases.",
}


@dataclass(frozen=True)
class Finding:
    rule: str
    level: str
    code: str
    message: str
    count: int = 1

    def __str__(self) -> str:
        where = f"{self.level} {self.code}".strip()
        return f"[{self.rule}] {where}: {self.message}"


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)

    def add(self, rule: str, level: str, code: str, message: str, count: int = 1) -> None:
        assert rule in RULES, rule
        self.findings.append(Finding(rule, level, code, message, count))

    def counts(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for finding in self.findings:
            counts[finding.rule] += finding.count
        return counts

    def of(self, rule: str) -> list[Finding]:
        return [f for f in self.findings if f.rule == rule]

    def rules_applied(self) -> list[dict[str, object]]:
        counts = self.counts()
        return [
            {"rule": rule, "description": text, "count": counts[rule]}
            for rule, text in RULES.items()
        ]
