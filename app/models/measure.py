"""What an indicator's value counts — a state at a date, or a flow within each year —
and how that is read from the plan's own wording."""

from __future__ import annotations

import re
from enum import StrEnum

from .text import fold


class Measure(StrEnum):
    """What an indicator's value counts: a state at a date, or a flow within each year."""

    LEVEL = "level"  # a state at the end of the data window: coverage %, number of firms
    PER_YEAR = "per_year"  # counted afresh each year: tasks, patents "mỗi năm"

    @property
    def label(self) -> str:
        return {"level": "Giá trị tại thời điểm báo cáo", "per_year": "Số phát sinh trong năm"}[
            self.value
        ]


_PER_YEAR_NAME = re.compile(r"\b(?:moi|hang|trong)\s+nam\b(?!\s+(?:gioi|nu)\b)|/\s*nam\b")
_LEVEL_NAME = re.compile(r"^(?:ty le|ty trong|chi so|xep hang|muc do|trinh do|tiem luc)\b")
_LEVEL_UNITS = ("%", "ty le", "co/khong", "co khong", "thu bac", "thu hang", "xep hang")


def infer_measure(name: str | None, unit: str | None) -> Measure:
    """Whether an indicator counts a flow within each year or a state at a date.

    Per year when its name or unit says so — "mỗi năm", "hằng năm", "trong năm",
    "mới trong năm", "/năm" — unless it is a share, an index or a rank (unit "%",
    names "Tỷ lệ …", "Chỉ số …", "Xếp hạng …"), which stay levels even when
    computed over a year ("Tỷ lệ … hằng năm").
    """
    n, u = fold(name), fold(unit)
    if any(w in u for w in _LEVEL_UNITS) or _LEVEL_NAME.match(n):
        return Measure.LEVEL
    if re.search(r"/\s*nam\b", u) or _PER_YEAR_NAME.search(n):
        return Measure.PER_YEAR
    return Measure.LEVEL


__all__ = ["Measure", "infer_measure"]
