"""Text helpers shared by every app (the names app builds its identity rules on these)."""

KHMER_DIGITS = "០១២៣៤៥៦៧៨៩"
_TO_ASCII = str.maketrans(KHMER_DIGITS, "0123456789")


def to_ascii_digits(text: str) -> str:
    """Khmer digits to ASCII digits; forms accept both systems."""
    return text.translate(_TO_ASCII)
