"""Vietnamese text in the pre-Unicode encodings offices still receive: TCVN3 and VNI.

Old workbooks show Vietnamese only because their cells use a legacy font:
TCVN3 (ABC) text uses the .VnTime family, one byte per lowercase letter, with
a separate all-capitals font (.VnTimeH) that draws the lowercase codes as
capitals; VNI text uses the VNI-Times family, a base letter followed by a
mark byte ("aø" is "à"). Opened in Excel today the cell holds those bytes as
Latin-1 characters ("Tr\\xadêng" for "Trường"). This module converts such text
to Unicode NFC, and guesses the encoding from the font name and, when the font
says nothing, from which characters the text holds.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

# -- the 134 letters ---------------------------------------------------------
# Tone marks in the order used below: grave, hook, tilde, acute, dot below.
_TONES = ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
_BASES = "aăâeêioôơuưy"


def _toned(base: str, tone: int) -> str:
    return unicodedata.normalize("NFC", base + _TONES[tone])


# -- TCVN3 (TCVN 5712:1993 VN3, the "ABC" fonts) -----------------------------
# Per base vowel: the plain letter (when not ASCII) and its five toned forms
# (grave, hook, tilde, acute, dot below) as single bytes.
_TCVN3_LOWER: dict[str, tuple[int | None, tuple[int, int, int, int, int]]] = {
    "a": (None, (0xB5, 0xB6, 0xB7, 0xB8, 0xB9)),
    "ă": (0xA8, (0xBB, 0xBC, 0xBD, 0xBE, 0xC6)),
    "â": (0xA9, (0xC7, 0xC8, 0xC9, 0xCA, 0xCB)),
    "e": (None, (0xCC, 0xCE, 0xCF, 0xD0, 0xD1)),
    "ê": (0xAA, (0xD2, 0xD3, 0xD4, 0xD5, 0xD6)),
    "i": (None, (0xD7, 0xD8, 0xDC, 0xDD, 0xDE)),
    "o": (None, (0xDF, 0xE1, 0xE2, 0xE3, 0xE4)),
    "ô": (0xAB, (0xE5, 0xE6, 0xE7, 0xE8, 0xE9)),
    "ơ": (0xAC, (0xEA, 0xEB, 0xEC, 0xED, 0xEE)),
    "u": (None, (0xEF, 0xF1, 0xF2, 0xF3, 0xF4)),
    "ư": (0xAD, (0xF5, 0xF6, 0xF7, 0xF8, 0xF9)),
    "y": (None, (0xFA, 0xFB, 0xFC, 0xFD, 0xFE)),
}
# The only capitals .VnTime itself has; capitals with a tone need .VnTimeH.
_TCVN3_UPPER = {"Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7}


def _tcvn3_table() -> dict[str, str]:
    """Unicode letter → TCVN3 character (the byte read as Latin-1)."""
    table = {"đ": chr(0xAE)}
    for base, (plain, toned) in _TCVN3_LOWER.items():
        if plain is not None:
            table[base] = chr(plain)
        for tone, code in enumerate(toned):
            table[_toned(base, tone)] = chr(code)
    table.update({letter: chr(code) for letter, code in _TCVN3_UPPER.items()})
    return table


TCVN3_ENCODE = _tcvn3_table()
TCVN3_DECODE = {v: k for k, v in TCVN3_ENCODE.items()}

# -- VNI (VNI-Windows, the VNI-Times fonts) -------------------------------------
# Lowercase marks; the capital forms are the same Latin-1 letters in upper case.
_VNI_TONE_MARKS = ("ø", "û", "õ", "ù", "ï")  # grave, hook, tilde, acute, dot
_VNI_HAT_TONES = ("à", "å", "ã", "á", "ä")  # â ê ô with a tone
_VNI_BREVE_TONES = ("è", "ú", "ü", "é", "ë")  # ă with a tone
_VNI_I = ("ì", "æ", "ó", "í", "ò")  # i with a tone: single bytes
_VNI_SINGLE = {"ơ": "ô", "ư": "ö", "đ": "ñ", "ỵ": "î"}


def _vni_table() -> dict[str, str]:
    """Unicode letter (both cases) → VNI sequence."""
    lower: dict[str, str] = {
        "ơ": "ô",
        "ư": "ö",
        "đ": "ñ",
        "ă": "aê",
        "â": "aâ",
        "ê": "eâ",
        "ô": "oâ",
    }
    for base in _BASES:
        for tone in range(5):
            letter = _toned(base, tone)
            if base in "aeouy":
                seq = base + _VNI_TONE_MARKS[tone]
            elif base in "âêô":
                seq = unicodedata.normalize("NFD", base)[0] + _VNI_HAT_TONES[tone]
            elif base == "ă":
                seq = "a" + _VNI_BREVE_TONES[tone]
            elif base == "i":
                seq = _VNI_I[tone]
            else:  # ơ, ư
                seq = _VNI_SINGLE[base] + _VNI_TONE_MARKS[tone]
            lower[letter] = seq
    lower["ỵ"] = _VNI_SINGLE["ỵ"]
    table = dict(lower)
    for letter, seq in lower.items():
        table[letter.upper()] = seq.upper()
    return table


VNI_ENCODE = _vni_table()
# Decoding accepts a capital letter with a lowercase mark too (mixed fonts).
_VNI_DECODE: dict[str, str] = {}
for _letter, _seq in VNI_ENCODE.items():
    _VNI_DECODE[_seq] = _letter
    if len(_seq) == 2 and _letter.isupper():
        _VNI_DECODE.setdefault(_seq[0] + _seq[1].lower(), _letter)
_VNI_PATTERN = re.compile(
    "|".join(re.escape(s) for s in sorted(_VNI_DECODE, key=len, reverse=True) if len(s) > 1)
    + "|["
    + re.escape("".join(s for s in _VNI_DECODE if len(s) == 1))
    + "]"
)

VIETNAMESE_LETTERS = frozenset([_toned(b, t) for b in _BASES for t in range(5)] + list("ăâêôơưđ"))
VIETNAMESE_LETTERS = VIETNAMESE_LETTERS | {ch.upper() for ch in VIETNAMESE_LETTERS}


class Encoding(StrEnum):
    UNICODE = "unicode"
    TCVN3 = "tcvn3"
    VNI = "vni"

    @property
    def label(self) -> str:
        return {"unicode": "Unicode", "tcvn3": "TCVN3 (ABC)", "vni": "VNI"}[self.value]


def decode_tcvn3(text: str, capitals_font: bool = False) -> str:
    """TCVN3 text → Unicode NFC; `capitals_font` for .VnTimeH cells (all capitals)."""
    out = "".join(TCVN3_DECODE.get(c, c) for c in text)
    return unicodedata.normalize("NFC", out.upper() if capitals_font else out)


def encode_tcvn3(text: str) -> tuple[str, bool]:
    """Unicode → TCVN3 as an old workbook holds it; returns (text, needs the capitals font).

    Text in capitals is written with the lowercase codes and the H font, as
    offices did for headings. In mixed case a capital with a tone mark cannot
    be written in .VnTime: it is lowered, which is what such files contain.
    """
    nfc_text = unicodedata.normalize("NFC", text)
    capitals = nfc_text.upper() == nfc_text and nfc_text.lower() != nfc_text
    source = nfc_text.lower() if capitals else nfc_text
    out = []
    for ch in source:
        if ch in TCVN3_ENCODE:
            out.append(TCVN3_ENCODE[ch])
        elif ch in VIETNAMESE_LETTERS:
            out.append(TCVN3_ENCODE.get(ch.lower(), ch))
        else:
            out.append(ch)
    return "".join(out), capitals


def decode_vni(text: str) -> str:
    """VNI text → Unicode NFC."""
    return unicodedata.normalize("NFC", _VNI_PATTERN.sub(lambda m: _VNI_DECODE[m.group()], text))


def encode_vni(text: str) -> str:
    """Unicode → VNI (used to build test workbooks and to check the tables both ways)."""
    return "".join(VNI_ENCODE.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


# -- guessing -------------------------------------------------------------------
# Characters that never occur in Vietnamese Unicode text but are common in
# TCVN3 or VNI text (Latin-1 symbols and letters that Vietnamese lacks).
_FOREIGN = frozenset(
    [chr(c) for c in range(0x80, 0x100) if chr(c) not in VIETNAMESE_LETTERS and c != 0xA0]
)


def foreign_count(text: str) -> int:
    """How many characters of `text` sit inside a word and would not occur in
    Vietnamese Unicode text ("B¸o" has one; "§ 3" and "25°C" have none that count)."""
    count = 0
    for i, ch in enumerate(text):
        if ch in _FOREIGN:
            before = text[i - 1] if i else " "
            after = text[i + 1] if i + 1 < len(text) else " "
            if before.isalpha() or after.isalpha() or before in _FOREIGN or after in _FOREIGN:
                count += 1
    return count


def font_encoding(font_name: str | None) -> tuple[Encoding | None, bool]:
    """What a font name says: (.VnTime → TCVN3, VNI-Times → VNI), and whether it is
    a TCVN3 capitals font (.VnTimeH, .VnArialH …)."""
    if not font_name:
        return None, False
    name = font_name.strip().lower()
    if name.startswith(".vn") or name.startswith("vn") and not name.startswith("vni"):
        return Encoding.TCVN3, name.rstrip().endswith("h")
    if name.startswith("vni"):
        return Encoding.VNI, False
    return None, False


def guess_encoding(text: str) -> Encoding | None:
    """The encoding the characters of `text` point to, or None when they do not tell.

    Text already holding Vietnamese letters outside Latin-1 (ạ, ư, đ …) is
    Unicode. Otherwise each decoding is tried, and the one that leaves the
    fewest characters foreign to Vietnamese wins if it removes at least one.
    """
    if any(ord(ch) > 0xFF and ch in VIETNAMESE_LETTERS for ch in text):
        return Encoding.UNICODE
    before = foreign_count(text)
    if before == 0:
        return None
    tcvn3 = _badness(decode_tcvn3(text))
    vni = _badness(decode_vni(text))
    if min(tcvn3, vni) >= 10 * before:
        return Encoding.UNICODE
    return Encoding.TCVN3 if tcvn3 < vni else Encoding.VNI


_TONE_MARKS = frozenset(_TONES)


def _badness(text: str) -> int:
    """How un-Vietnamese a decoded text looks: foreign characters weigh 10, a
    word with two tone marks ("ẹụn", a VNI text read as TCVN3) weighs 1."""
    words_with_two_tones = sum(
        1
        for word in unicodedata.normalize("NFD", text).split()
        if sum(ch in _TONE_MARKS for ch in word) > 1
    )
    return 10 * foreign_count(text) + words_with_two_tones


def may_be_legacy(text: str) -> bool:
    """Whether `text` has characters a legacy encoding would change (Latin-1 letters)."""
    return any(0x80 <= ord(ch) <= 0xFF for ch in text)


def to_unicode(text: str, encoding: Encoding | None, capitals_font: bool = False) -> str:
    """Convert `text` from `encoding` (None or UNICODE: only normalise to NFC)."""
    if encoding is Encoding.TCVN3:
        return decode_tcvn3(text, capitals_font)
    if encoding is Encoding.VNI:
        return decode_vni(text)
    return unicodedata.normalize("NFC", text)
