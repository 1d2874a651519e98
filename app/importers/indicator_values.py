"""Indicator cells as offices type them: kind and direction inferred, baseline and
targets parsed, and values the importer cannot read reported (not guessed).

"65%", "0,61%", ">1%", "≥ 80%", "> 90", "02", "0,16", "1.000", "-", "Có",
"Chưa triển khai", "Chỉ tiêu mới, chưa đánh giá", "< 10 các huyện, TX, TP",
"Đạt mức tiên tiến …" all occur in real appendices. The kind comes from the
unit and the values (unit "Thứ bậc" with numbers → rank, lower is better;
"Có"/"Chưa" → yes/no; words only → qualitative); a "Loại chỉ tiêu" column
in the workbook overrides it, and so can the user later.
"""

from __future__ import annotations

import re

from ..models.measure import Measure
from ..models.plan import Baseline, Comparator, Direction, IndicatorKind, Target
from ..models.text import clean, fold
from ..models.values import parse_number, parse_target, parse_yes_no

_EMPTY = {"-", "–", "—", "x", "...", "…"}
_NOT_ASSESSED = ("chi tieu moi", "chua danh gia", "chua co so lieu", "chua thong ke")
_COMPARATOR = r"(?:>=|<=|≥|≤|=>|=<|>|<|=)"
# Something typed as a number that is not one: "1OO%", "6O", "≥ 8o%", "1,2,3".
_NUMBER_LIKE = re.compile(r"^" + _COMPARATOR + r"?\s*[\dOoIl.,\s]*\d[\dOoIl.,\s]*%?$")
_LEADING_NUMBER = re.compile(r"^" + _COMPARATOR + r"?\s*\d")

KIND_LABELS = {fold(k.label): k for k in IndicatorKind} | {k.value: k for k in IndicatorKind}
KIND_LABELS |= {"ty le": IndicatorKind.PERCENT, "%": IndicatorKind.PERCENT, "so luong":
                IndicatorKind.COUNT, "dinh tinh": IndicatorKind.QUALITATIVE,
                "co/khong": IndicatorKind.YES_NO, "thu hang": IndicatorKind.RANK,
                "thu bac": IndicatorKind.RANK, "chi so": IndicatorKind.INDEX,
                "ty so": IndicatorKind.RATIO, "so do": IndicatorKind.RATIO}  # fmt: skip
DIRECTION_LABELS = {
    "cang cao cang tot": Direction.HIGHER_BETTER,
    "cao hon la tot": Direction.HIGHER_BETTER,
    "higher_better": Direction.HIGHER_BETTER,
    "cang thap cang tot": Direction.LOWER_BETTER,
    "thap hon la tot": Direction.LOWER_BETTER,
    "lower_better": Direction.LOWER_BETTER,
}
MEASURE_LABELS = {fold(m.label): m for m in Measure} | {m.value: m for m in Measure}
MEASURE_LABELS |= {"tai thoi diem": Measure.LEVEL, "luy ke": Measure.LEVEL,
                   "moi nam": Measure.PER_YEAR, "hang nam": Measure.PER_YEAR,
                   "trong nam": Measure.PER_YEAR, "theo nam": Measure.PER_YEAR}  # fmt: skip
DIRECTION_TEXT = {
    Direction.HIGHER_BETTER: "Càng cao càng tốt",
    Direction.LOWER_BETTER: "Càng thấp càng tốt",
}
COMPARATOR_LABELS = {
    ">": Comparator.GT, ">=": Comparator.GE, "≥": Comparator.GE, "<": Comparator.LT,
    "<=": Comparator.LE, "≤": Comparator.LE, "=": Comparator.EQ,
}  # fmt: skip


class CellValueError(Exception):
    """A cell value the importer cannot read; the message is Vietnamese."""


def is_empty(text: str | None) -> bool:
    t = clean(text)
    return t is None or t in _EMPTY


def is_not_assessed(text: str) -> bool:
    key = fold(text)
    return any(w in key for w in _NOT_ASSESSED)


def _shape(text: str) -> str:
    """Rough shape of one value: percent | number | yes_no | text | bad."""
    if is_not_assessed(text):
        return "none"
    t = text.strip()
    rest = re.sub(r"^" + _COMPARATOR + r"\s*", "", t)
    if parse_yes_no(rest) is not None or fold(rest).startswith(("co ", "chua ", "da ")):
        return "yes_no"
    if _NUMBER_LIKE.match(t):
        number = parse_number(rest[:-1] if rest.endswith("%") else rest)
        if number is None:
            return "bad"
        return "percent" if rest.endswith("%") else "number"
    if _LEADING_NUMBER.match(t):
        return "percent" if re.match(r"^" + _COMPARATOR + r"?\s*[\d.,]+\s*%", t) else "number"
    return "text"


def infer_kind(unit: str | None, values: list[str]) -> tuple[IndicatorKind, Direction]:
    """Kind and direction from the unit and the baseline/target texts."""
    u = fold(unit)
    shapes = [_shape(v) for v in values if not is_empty(v)]
    shapes = [s for s in shapes if s not in ("none", "bad")]
    numeric = [s for s in shapes if s in ("percent", "number")]
    if u in {"co/khong", "co khong", "co, khong", "co hoac khong"}:
        return IndicatorKind.YES_NO, Direction.HIGHER_BETTER
    if shapes and all(s == "yes_no" for s in shapes):
        return IndicatorKind.YES_NO, Direction.HIGHER_BETTER
    if any(w in u for w in ("thu bac", "thu hang", "xep hang", "hang thu")) or u == "hang":
        if numeric:
            return IndicatorKind.RANK, Direction.LOWER_BETTER
        return IndicatorKind.QUALITATIVE, Direction.HIGHER_BETTER
    if "%" in u or u.startswith("ty le") or "percent" in shapes:
        return IndicatorKind.PERCENT, Direction.HIGHER_BETTER
    if shapes and not numeric:
        return IndicatorKind.QUALITATIVE, Direction.HIGHER_BETTER
    if not shapes:
        return (IndicatorKind.COUNT if u else IndicatorKind.QUALITATIVE), Direction.HIGHER_BETTER
    found = [_first_number(v) for v in values if not is_empty(v)]
    numbers = [n for n in found if n is not None]
    if "chi so" in u and numbers and all(0 <= n <= 1 for n in numbers):
        return IndicatorKind.INDEX, Direction.HIGHER_BETTER
    if "/" in u or any(n != int(n) for n in numbers):
        return IndicatorKind.RATIO, Direction.HIGHER_BETTER
    return IndicatorKind.COUNT, Direction.HIGHER_BETTER


def _first_number(text: str) -> float | None:
    m = re.match(r"^" + _COMPARATOR + r"?\s*([\d.,]+)", text.strip())
    return parse_number(m.group(1)) if m else None


def parse_target_cell(
    kind: IndicatorKind, text: str | None, is_target: bool = True
) -> Target | None:
    """A target cell; raises CellValueError for a value typed as a number that is not one.

    For a yes/no indicator a target worded as the state to reach ("Đảng ủy,
    UBND phường sử dụng phần mềm …") means "yes" unless it starts with a
    negation; a baseline in words only says yes/no when its first word does.
    """
    if is_empty(text):
        return None
    assert text is not None
    raw = clean(text) or ""
    if kind is not IndicatorKind.QUALITATIVE and _shape(raw) == "bad":
        raise CellValueError(f"không hiểu giá trị '{raw}'")
    target = parse_target(kind, raw)
    if target is None:
        return None
    if kind is IndicatorKind.YES_NO and target.value is None:
        first = fold(raw).split(" ", 1)[0]
        if first in {"chua", "khong"}:
            target = Target(target.comparator, False, raw)
        elif first in {"co", "da"} or is_target:
            target = Target(target.comparator, True, raw)
    if isinstance(target.value, float):
        _check_range(kind, target.value, raw)
    return target


def _check_range(kind: IndicatorKind, value: float, raw: str) -> None:
    if kind is IndicatorKind.PERCENT and not 0 <= value <= 100:
        raise CellValueError(f"'{raw}' nằm ngoài khoảng 0–100%")
    if kind is IndicatorKind.INDEX and not 0 <= value <= 1:
        raise CellValueError(f"chỉ số '{raw}' nằm ngoài khoảng 0–1")
    if kind in (IndicatorKind.COUNT, IndicatorKind.RANK) and value < 0:
        raise CellValueError(f"'{raw}' không được âm")


def parse_baseline_cell(kind: IndicatorKind, text: str | None, as_of: str | None) -> Baseline:
    """The baseline ("Hiện trạng") cell: a value, a wording, or "not assessed yet"."""
    if is_empty(text):
        return Baseline(as_of=as_of)
    assert text is not None
    raw = clean(text) or ""
    if is_not_assessed(raw):
        return Baseline(text=raw, as_of=as_of, not_assessed=True)
    target = parse_target_cell(kind, raw, is_target=False)
    if target is None:
        return Baseline(as_of=as_of)
    if target.text is None and target.comparator is None:
        return Baseline(value=target.value, as_of=as_of)
    if target.text is None and target.value is not None:
        return Baseline(value=target.value, text=raw, as_of=as_of)  # ">90"
    if isinstance(target.value, bool):
        return Baseline(value=target.value, text=target.text, as_of=as_of)
    return Baseline(text=raw, as_of=as_of)


def parse_kind_label(text: str | None) -> IndicatorKind | None:
    key = fold(text)
    return KIND_LABELS.get(key) if key else None


def parse_direction_label(text: str | None) -> Direction | None:
    key = fold(text)
    return DIRECTION_LABELS.get(key) if key else None


def parse_measure_label(text: str | None) -> Measure | None:
    """ "Số phát sinh trong năm", "mỗi năm" → per year; "Giá trị tại thời điểm báo cáo" → level."""
    key = fold(text)
    return MEASURE_LABELS.get(key) if key else None


def parse_comparator_label(text: str | None) -> Comparator | None:
    key = (clean(text) or "").replace(" ", "")
    return COMPARATOR_LABELS.get(key) if key else None
