"""Indicator values as offices type them, checked against the indicator's kind.

Vietnamese numbers use a decimal comma and a thousands dot ("0,61", "1.000");
percentages are kept in percent units (65 for 65 %). Entry is refused with a
Vietnamese message that says what an acceptable value looks like.
"""

from __future__ import annotations

import math
import re

from .errors import UserError
from .plan import Comparator, Indicator, IndicatorKind, Target, Value
from .text import clean, fold

_YES = {"co", "dat", "x", "yes", "true", "1", "da co", "da trien khai", "hoan thanh"}
_NO = {"khong", "chua", "chua dat", "no", "false", "0", "chua co", "chua trien khai"}

_NUMBER = re.compile(r"^[+-]?\d[\d.,\s]*$")
_COMPARATOR_PREFIX = re.compile(r"^(>=|<=|≥|≤|=>|=<|>|<|=|trên|tối thiểu|ít nhất|dưới|tối đa)\s*")
_COMPARATOR_WORDS = {
    ">=": Comparator.GE, "≥": Comparator.GE, "=>": Comparator.GE,
    "<=": Comparator.LE, "≤": Comparator.LE, "=<": Comparator.LE,
    ">": Comparator.GT, "<": Comparator.LT, "=": Comparator.EQ,
    "trên": Comparator.GT, "tối thiểu": Comparator.GE, "ít nhất": Comparator.GE,
    "dưới": Comparator.LT, "tối đa": Comparator.LE,
}  # fmt: skip


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
    """A target as the plan prints it: "≥ 80%", "65%", "< 10 các huyện, TX, TP"."""
    if target is None:
        return ""
    if target.text:
        return target.text
    if target.value is None:
        return ""
    shown = format_value(indicator, target.value)
    return f"{target.comparator.symbol} {shown}" if target.comparator else shown


def parse_target(kind: IndicatorKind, raw: str | None) -> Target | None:
    """Read a target cell: "≥ 80%", ">1%", "65%", "Có", "< 10 các huyện, TX, TP".

    Returns None for a blank or "-" cell (no target for that year).
    """
    text = clean(raw)
    if text is None or text in {"-", "–", "—", "x"}:
        return None
    rest = text
    comparator = None
    if m := _COMPARATOR_PREFIX.match(text.lower()):
        comparator = _COMPARATOR_WORDS[m.group(1)]
        rest = text[m.end() :].strip()
    if kind is IndicatorKind.QUALITATIVE:
        return Target(None, None, text)
    # "0"/"1" are numbers unless the indicator is a yes/no one; "Có"/"Chưa" are answers.
    numeric = bool(re.match(r"^[+-]?\d", rest))
    yes_no_possible = kind is IndicatorKind.YES_NO or not numeric
    answer = parse_yes_no(rest) if yes_no_possible and comparator is None else None
    if answer is not None:
        return Target(None, answer, None if fold(rest) in {"co", "khong", "1", "0"} else text)
    m = re.match(r"^([+-]?\d[\d.,]*)\s*(%?)\s*(.*)$", rest)
    if m:
        number = parse_number(m.group(1))
        if number is not None:
            extra = m.group(3).strip()
            return Target(comparator, number, text if extra else None)
    return Target(None, None, text)
