"""Label codes: 12 random Crockford base32 characters (60 bits), e.g. 7KQ2M9XW4RTA.

Random, so a code says nothing about the next one (a copier cannot guess valid codes from one
label); base32 without I, L, O and U, so a code read aloud or typed from the label survives:
`normalise` maps the look-alikes back (o -> 0, i/l -> 1), ignores case, spaces and dashes.
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text: str) -> str:
    """The canonical form of a code as someone typed it; may still be no code of ours."""
    cleaned = "".join(text.split()).replace("-", "").upper().translate(_LOOK_ALIKES)
    return cleaned[:40]


def is_well_formed(code: str) -> bool:
    return len(code) == LENGTH and all(char in ALPHABET for char in code)


def grouped(code: str) -> str:
    """7KQ2-M9XW-4RTA: easier to read off a label and type."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
