"""Vietnamese text handling: NFC on the way in, diacritic-free folding for search."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

# "đ" has no decomposition in Unicode, so NFD alone would not fold it.
_SPECIAL_FOLDS = str.maketrans({"đ": "d", "Đ": "d"})
_SPACE_RUN = re.compile(r"\s+")


def nfc(value: str | None) -> str | None:
    """Normalise to NFC (what Unikey produces) and trim; None stays None."""
    if value is None:
        return None
    return unicodedata.normalize("NFC", value).strip()


def clean(value: str | None) -> str | None:
    """NFC, collapse runs of white space (cells often hold line breaks), empty → None."""
    if value is None:
        return None
    text = _SPACE_RUN.sub(" ", unicodedata.normalize("NFC", str(value))).strip()
    return text or None


def fold(value: str | None) -> str:
    """Lower case without diacritics, so "chuyen doi so" matches "Chuyển đổi số"."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", value.translate(_SPECIAL_FOLDS))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACE_RUN.sub(" ", stripped.casefold()).strip()


def slug(value: str) -> str:
    """ASCII file-name-safe form of a name: "Phường Bỉm Sơn" → "phuong-bim-son"."""
    return re.sub(r"[^a-z0-9]+", "-", fold(value)).strip("-") or "x"


_ROMAN = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def roman(number: int) -> str:
    """Roman numeral for small positive numbers (quarters, group codes)."""
    if not 0 < number < 40:
        raise ValueError(number)
    out = []
    for value, letters in _ROMAN:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


def from_roman(text: str) -> int | None:
    """Parse I..XXXIX; None when the text is not a Roman numeral."""
    text = text.strip().upper()
    if not text or not re.fullmatch(r"X{0,3}(IX|IV|V?I{0,3})", text):
        return None
    values = {"I": 1, "V": 5, "X": 10}
    total = 0
    for i, ch in enumerate(text):
        v = values[ch]
        if i + 1 < len(text) and values[text[i + 1]] > v:
            total -= v
        else:
            total += v
    return total or None


def shown_date(iso: str | None) -> str:
    """dd/mm/yyyy of an ISO date or date-time ("" when unknown)."""
    if not iso:
        return ""
    try:
        return datetime.fromisoformat(iso).strftime("%d/%m/%Y")
    except ValueError:
        return iso
