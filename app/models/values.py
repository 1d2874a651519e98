"""Indicator values as offices type them, checked against the indicator's kind.

Vietnamese numbers use a decimal comma and a thousands dot ("0,61", "1.000");
percentages are kept in percent units (65 for 65 %). Entry is refused with a
Vietnamese message that says what an acceptable value looks like.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

from .errors import UserError
from .plan import Comparator, Indicator, IndicatorKind, Target, Value
from .text import clean, fold

_YES = {"co", "dat", "x", "yes", "true", "1", "da co", "da trien khai", "hoan thanh"}
_NO = {"khong", "chua", "chua dat", "no", "false", "0", "chua co", "chua trien khai"}

_NUMBER = re.compile(r"^[+-]?\d[\d.,\s]*$")


def parse_number(raw: str) -> float | None:
    """Read a Vietnamese-formatted number: "0,61" → 0.61, "1.000" → 1000, "02" → 2.

    Returns None when the text is not a number. A lone dot followed by three
    digits is a thousands separator (as offices type it); any other single dot
    or comma is the decimal mark.
    """
    text = raw.strip().replace(" ", "").replace("\u00a0", "")
    if not text or not _NUMBER.match(text):
        return None
    if "," in text and "." in text:
        # "1.234,5" (Vietnamese) or "1,234.5" (English): the last one is decimal.
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        text = text.replace(",", ".") if text.count(",") == 1 else text.replace(",", "")
    elif text.count(".") > 1 or re.fullmatch(r"[+-]?\d{1,3}\.\d{3}", text):
        text = text.replace(".", "")
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def parse_yes_no(raw: str) -> bool | None:
    key = fold(raw).strip(" .")
    if key in _YES:
        return True
    if key in _NO:
        return False
    return None


def _example(kind: IndicatorKind) -> str:
    return {
        IndicatorKind.PERCENT: "một số từ 0 đến 100, ví dụ 65 hoặc 65%",
        IndicatorKind.COUNT: "một số nguyên không âm, ví dụ 12",
        IndicatorKind.RATIO: "một số, ví dụ 0,61 hoặc 1.000",
        IndicatorKind.INDEX: "một số từ 0 đến 1, ví dụ 0,65",
        IndicatorKind.RANK: "một số nguyên dương, ví dụ 5",
        IndicatorKind.YES_NO: "Có hoặc Không",
        IndicatorKind.QUALITATIVE: "một đoạn văn bản",
    }[kind]


def parse_value(kind: IndicatorKind, raw: object) -> Value | None:
    """Check and convert one entered value for an indicator of `kind`.

    None (or an empty cell) clears the value. Raises UserError with a message
    that names the acceptable form.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        if kind is IndicatorKind.YES_NO:
            return raw
        raise UserError(f"Giá trị phải là {_example(kind)}.")
    if isinstance(raw, int | float):
        number: float | None = float(raw)
        text = str(raw)
    else:
        text = clean(str(raw)) or ""
        if not text:
            return None
        number = None
    if kind is IndicatorKind.QUALITATIVE:
        return text
    if kind is IndicatorKind.YES_NO:
        answer = parse_yes_no(text)
        if answer is None:
            raise UserError(f"Không hiểu '{text}': giá trị phải là {_example(kind)}.")
        return answer
    if number is None:
        stripped = text[:-1].strip() if text.endswith("%") else text
        if text.endswith("%") and kind is not IndicatorKind.PERCENT:
            raise UserError(f"'{text}': chỉ tiêu này không tính bằng %, hãy nhập {_example(kind)}.")
        number = parse_number(stripped)
        if number is None:
            raise UserError(f"Không hiểu '{text}': giá trị phải là {_example(kind)}.")
    if not math.isfinite(number):
        raise UserError(f"'{text}' không phải là một số hợp lệ.")
    if kind is IndicatorKind.PERCENT and not 0 <= number <= 100:
        raise UserError(f"{_fmt(number)}% nằm ngoài khoảng 0–100%.")
    if kind is IndicatorKind.INDEX and not 0 <= number <= 1:
        raise UserError(f"Chỉ số {_fmt(number)} nằm ngoài khoảng 0–1.")
    if kind is IndicatorKind.COUNT and (number < 0 or number != int(number)):
        raise UserError(f"'{text}': số lượng phải là số nguyên không âm.")
    if kind is IndicatorKind.RANK and (number < 1 or number != int(number)):
        raise UserError(f"'{text}': thứ hạng phải là số nguyên dương.")
    return number


def _fmt(number: float) -> str:
    return format_number(number)


def format_number(number: float, decimals: int = 2) -> str:
    """Vietnamese form: 1.000; 0,61; 65."""
    if number == int(number) and abs(number) < 1e15:
        return f"{int(number):,}".replace(",", ".")
    text = f"{number:,.{decimals}f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u0001").replace(".", ",").replace("\u0001", ".")


def format_value(indicator: Indicator, value: Value | None) -> str:
    """A value as the report prints it ("65%", "Có", "0,61")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, str):
        return value
    suffix = "%" if indicator.kind is IndicatorKind.PERCENT else ""
    return format_number(value) + suffix


def format_target(indicator: Indicator, target: Target | None) -> str:
    """A target as the plan prints it: "≥ 80%", "65%", "80% - 90%", "< 10 các huyện, TX, TP"."""
    if target is None:
        return ""
    if target.text:
        return target.text
    if not target.required:
        return "Chưa yêu cầu"
    if target.value is None:
        return ""
    shown = format_value(indicator, target.value)
    if target.high is not None and not isinstance(target.value, bool):
        return f"{shown} - {format_value(indicator, target.high)}"
    if target.approximate:
        return f"khoảng {shown}"
    return f"{target.comparator.symbol} {shown}" if target.comparator else shown


# -- targets as plans write them ---------------------------------------------------------

_BLANK = {"-", "–", "—", "x"}
# A target saying the plan asks for nothing that year (folded), for any kind of indicator;
# for a yes/no indicator any "Chưa …" (not yet) target says the same.
_NOT_REQUIRED = ("chua trien khai", "chua yeu cau", "khong yeu cau", "chua ap dung",
                 "khong ap dung", "chua thuc hien")  # fmt: skip
_STRIVE = "strive"  # "Phấn đấu": at least (at most for a rank) unless a comparator follows
_FILLER = "filler"  # "đạt", "duy trì": part of the wording, not of the comparison
_APPROX = "approx"  # "khoảng", "~", "xấp xỉ": approximately equal
# Leading words, folded, longest first where one is the start of another.
_LEADING: list[tuple[str, object]] = [
    (">=", Comparator.GE), ("=>", Comparator.GE), ("≥", Comparator.GE),
    ("<=", Comparator.LE), ("=<", Comparator.LE), ("≤", Comparator.LE),
    (">", Comparator.GT), ("<", Comparator.LT), ("≈", _APPROX), ("~", _APPROX),
    ("=", Comparator.EQ),
    ("phan dau", _STRIVE), ("dat muc", _FILLER), ("dat", _FILLER), ("duy tri", _FILLER),
    ("khong vuot qua", Comparator.LE), ("khong qua", Comparator.LE),
    ("khong cao hon", Comparator.LE), ("khong lon hon", Comparator.LE),
    ("khong nhieu hon", Comparator.LE), ("toi da", Comparator.LE),
    ("khong duoi", Comparator.GE), ("khong thap hon", Comparator.GE),
    ("khong it hon", Comparator.GE), ("it nhat", Comparator.GE), ("toi thieu", Comparator.GE),
    ("cao hon", Comparator.GT), ("lon hon", Comparator.GT), ("nhieu hon", Comparator.GT),
    ("tren", Comparator.GT), ("hon", Comparator.GT),
    ("thap hon", Comparator.LT), ("nho hon", Comparator.LT), ("it hon", Comparator.LT),
    ("duoi", Comparator.LT),
    ("xap xi", _APPROX), ("khoang", _APPROX), ("chung", _APPROX), ("gan", _APPROX),
]  # fmt: skip
_LEADING_RE = [
    (re.compile(re.escape(word) + (r"(?![a-z0-9])" if word[0].isalpha() else "") + r"\s*"), effect)
    for word, effect in _LEADING
]
_NUM = r"([+-]?\d[\d.,]*)"
_RANGE = re.compile(
    r"^" + _NUM + r"\s*(%?)\s*(?:-|–|—|đến|tới|den|toi)\s*(\d[\d.,]*)\s*(%?)\s*(.*)$"
)
_SINGLE = re.compile(r"^" + _NUM + r"\s*(%?)\s*(.*)$")
_LETTER = re.compile(r"[^\W\d_]")


def _not_required(kind: IndicatorKind, text: str) -> Target | None:
    key = fold(text).strip(" .;")
    if key.startswith(_NOT_REQUIRED) or (kind is IndicatorKind.YES_NO and key.startswith("chua")):
        return Target(None, False if kind is IndicatorKind.YES_NO else None, text, required=False)
    return None


def _leading_words(kind: IndicatorKind, text: str) -> tuple[str, Comparator | None, bool]:
    """Strip the wording before the number: the rest, the comparator it gives, approximately."""
    rest, comparator, strive, approximate = text, None, False, False
    while rest:
        key = fold(rest)
        if len(key) != len(rest):  # folding changed the length: positions no longer match
            break
        hit = next(((m, e) for p, e in _LEADING_RE if (m := p.match(key))), None)
        if hit is None:
            break
        m, effect = hit
        rest = rest[m.end() :]
        if isinstance(effect, Comparator):
            comparator = effect
            break  # the number follows the comparator
        strive = strive or effect == _STRIVE
        approximate = approximate or effect == _APPROX
    if comparator is None and approximate:
        comparator = Comparator.EQ
    elif comparator is None and strive:
        comparator = Comparator.LE if kind is IndicatorKind.RANK else Comparator.GE
    else:
        approximate = False
    return rest.strip(), comparator, approximate


def parse_target(kind: IndicatorKind, raw: str | None) -> Target | None:
    """Read a target cell as plans write it.

    "≥ 80%", ">1%", "65%", "Có", "< 10 các huyện, TX, TP"; ranges with both bounds
    ("80% - 90%", "5 - 10%", "01 - 02 doanh nghiệp"); words before the number:
    "Phấn đấu", "ít nhất", "tối thiểu", "không dưới" → ≥ ("Phấn đấu" alone gives ≤
    for a rank); "trên", "hơn" → >; "dưới" → <; "tối đa", "không quá" → ≤;
    "khoảng", "~", "xấp xỉ" → approximately = (`approximate`); "… trở lên" → ≥ and
    "… trở xuống" → ≤. "Chưa triển khai", "Chưa yêu cầu" (and for a yes/no
    indicator "-" or any "Chưa …") mean nothing is required that year
    (`required=False`). The plan's wording is kept in `text` whenever it has words.

    Returns None for a blank or "-" cell (no target for that year).
    """
    text = clean(raw)
    if text is None:
        return None
    if text in _BLANK:
        if kind is IndicatorKind.YES_NO and text != "x":
            return Target(None, None, text, required=False)
        return None
    if (absent := _not_required(kind, text)) is not None:
        return absent
    if kind is IndicatorKind.QUALITATIVE:
        return Target(None, None, text)
    rest, comparator, approximate = _leading_words(kind, text)
    # "0"/"1" are numbers unless the indicator is a yes/no one; "Có"/"Chưa" are answers.
    for candidate in (text, rest) if comparator is None else (text,):
        if kind is IndicatorKind.YES_NO or not re.match(r"^[+-]?\d", candidate):
            if (answer := parse_yes_no(candidate)) is not None:
                plain = candidate == text and fold(text) in {"co", "khong", "1", "0"}
                return Target(None, answer, None if plain else text)
    worded = text if _LETTER.search(text) else None
    if m := _RANGE.match(rest):
        low, high = parse_number(m.group(1)), parse_number(m.group(3))
        if low is not None and high is not None:
            low, high = min(low, high), max(low, high)
            return Target(None, low, worded, high=high)
    if m := _SINGLE.match(rest):
        number = parse_number(m.group(1))
        if number is not None:
            extra = fold(m.group(3))
            if comparator is None and extra.startswith("tro len"):
                comparator = Comparator.GE
            elif comparator is None and extra.startswith("tro xuong"):
                comparator = Comparator.LE
            return Target(comparator, number, worded, approximate=approximate)
    return Target(None, None, text)


def reread_target(kind: IndicatorKind, target: Target) -> Target:
    """A target stored before ranges, approximate and not-required targets existed,
    with those read from its own wording (`text`), which is kept as it is.

    Only adds what the old reading missed: a value it found is kept unless the new
    reading finds the same one (then its bound, "khoảng" and "not required" are
    added); a target without a value takes the new reading's comparator and value.
    Used by migration 6 and when loading plan JSON written before these fields.
    """
    if not target.text:
        return target
    fresh = parse_target(kind, target.text)
    if fresh is None:
        return target
    if target.value is None:
        return replace(fresh, text=target.text)
    if fresh.value != target.value or isinstance(fresh.value, bool) != isinstance(
        target.value, bool
    ):
        return target
    return replace(target, high=fresh.high, approximate=fresh.approximate, required=fresh.required)
