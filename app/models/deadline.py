"""Task deadlines as the plans write them, and whether they are due or past.

Plans do not use plain dates: they write "Tháng 10/2025", "Quý III/2026",
"Thường xuyên", "Năm 2025 và những năm tiếp theo". A Deadline keeps the
office's own wording for display and derives the window [start, end] that the
overdue check needs. Recurring and ongoing deadlines have no end and are never
overdue.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from .errors import UserError
from .text import clean, fold, from_roman, roman


class DeadlineKind(StrEnum):
    DATE = "date"
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"
    BEFORE = "before"
    RANGE = "range"
    ONGOING = "ongoing"  # "Năm 2025 và những năm tiếp theo"
    RECURRING = "recurring"  # "Thường xuyên", "Hằng năm", "Hằng quý", "Hằng tháng"
    COMPLETED = "completed"  # "Đã hoàn thành" printed in the plan itself


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    text: str
    start: date | None = None
    end: date | None = None
    recurrence: str | None = None  # continuous | yearly | quarterly | monthly

    @property
    def has_end(self) -> bool:
        return self.end is not None and self.kind not in (
            DeadlineKind.RECURRING,
            DeadlineKind.ONGOING,
            DeadlineKind.COMPLETED,
        )

    def is_due(self, on: date) -> bool:
        """Whether work on the task is expected at `on` (inside its window)."""
        if self.kind is DeadlineKind.COMPLETED:
            return False
        if self.start is not None and on < self.start:
            return False
        if not self.has_end:
            return True
        assert self.end is not None
        return on <= self.end

    def is_past(self, on: date) -> bool:
        """Whether the deadline has passed at `on`; overdue also needs an unfinished status."""
        return self.has_end and self.end is not None and on > self.end

    def label(self) -> str:
        """The canonical Vietnamese wording of this deadline."""
        return format_deadline(self)

    def to_json(self) -> dict:
        return {
            "text": self.text,
            "kind": self.kind.value,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
        }


_EXAMPLES = (
    "Tháng 10/2025, Quý III/2026, Năm 2025, Trước ngày 20/5/2025, 20/5/2025, "
    "Thường xuyên, Hằng năm, Hằng quý, Năm 2025 và những năm tiếp theo"
)

_YEAR = r"((?:19|20)\d\d)"
_DMY = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*" + _YEAR + "$")
_ISO = re.compile(r"^" + _YEAR + r"-(\d{1,2})-(\d{1,2})$")
_MONTH = re.compile(r"^(?:thang\s*)?(\d{1,2})\s*[/.-]\s*" + _YEAR + "$")
_MONTH_WORDS = re.compile(r"^thang\s*(\d{1,2})\s*nam\s*" + _YEAR + "$")
_QUARTER = re.compile(r"^quy\s*([ivx]+|\d)\s*(?:[/.-]|nam)\s*" + _YEAR + "$")
_HALF = re.compile(r"^(?:trong\s*)?6\s*thang\s*(dau|cuoi)\s*(?:nam\s*)?" + _YEAR + "$")
_YEAR_ONLY = re.compile(r"^(?:nam\s*|trong\s*nam\s*)?" + _YEAR + "$")
_ONGOING = re.compile(
    r"^(?:tu\s*)?(?:(?:nam|thang\s*(\d{1,2})\s*/)\s*)?"
    + _YEAR
    + r"\s*(?:va|,)?\s*(?:nhung|cac)\s*nam\s*tiep\s*theo$"
)
_FROM_YEAR = re.compile(r"^tu\s*(?:nam\s*)?" + _YEAR + r"(?:\s*tro\s*di)?$")
_BEFORE = re.compile(r"^(?:truoc|cham\s*nhat|han\s*chot)\s*(?:ngay\s*)?(.+)$")
_YEARLY_DATES = re.compile(
    r"^(?:truoc\s*(?:ngay\s*)?)?\d{1,2}/\d{1,2}(?:\s*(?:va|,)\s*(?:ngay\s*)?\d{1,2}/\d{1,2})+$"
)
_THEN_CONTINUOUS = re.compile(r"^(.+?)\s*(?:-|–|va|;|,)\s*thuong\s*xuyen$")
_RANGE_SPLIT = re.compile(r"\s*(?:-|–|—|den)\s*")
_RECURRING = {
    "thuong xuyen": "continuous",
    "hang nam": "yearly",
    "hang quy": "quarterly",
    "hang thang": "monthly",
    "dinh ky": "continuous",
    "dinh ky hang nam": "yearly",
    "dinh ky hang quy": "quarterly",
    "thuong xuyen hang nam": "continuous",
    "thuong xuyen, hang nam": "continuous",
    "hang nam, thuong xuyen": "continuous",
}
_COMPLETED = ("da hoan thanh",)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _date(day: int, month: int, year: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise UserError(f"Thời hạn '{text}': ngày {day}/{month}/{year} không có thật.") from None


def _parse_point(key: str, text: str) -> Deadline | None:
    """One deadline form (no range, no 'before'); None when it is not one."""
    if m := _DMY.match(key):
        d = _date(int(m[1]), int(m[2]), int(m[3]), text)
        return Deadline(DeadlineKind.DATE, text, d, d)
    if m := _ISO.match(key):
        d = _date(int(m[3]), int(m[2]), int(m[1]), text)
        return Deadline(DeadlineKind.DATE, text, d, d)
    if m := (_MONTH_WORDS.match(key) or _MONTH.match(key)):
        month, year = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise UserError(f"Thời hạn '{text}': tháng {month} không hợp lệ (1–12).")
        return Deadline(DeadlineKind.MONTH, text, date(year, month, 1), _month_end(year, month))
    if m := _QUARTER.match(key):
        q = int(m[1]) if m[1].isdigit() else from_roman(m[1])
        year = int(m[2])
        if q is None or not 1 <= q <= 4:
            raise UserError(f"Thời hạn '{text}': quý phải là I, II, III hoặc IV.")
        first = 3 * q - 2
        return Deadline(
            DeadlineKind.QUARTER, text, date(year, first, 1), _month_end(year, first + 2)
        )
    if m := _HALF.match(key):
        year = int(m[2])
        if m[1] == "dau":
            return Deadline(DeadlineKind.HALF, text, date(year, 1, 1), date(year, 6, 30))
        return Deadline(DeadlineKind.HALF, text, date(year, 7, 1), date(year, 12, 31))
    if m := _YEAR_ONLY.match(key):
        year = int(m[1])
        return Deadline(DeadlineKind.YEAR, text, date(year, 1, 1), date(year, 12, 31))
    return None


def parse_deadline(raw: str | None) -> Deadline | None:
    """Parse a deadline cell; None for an empty cell, UserError for nonsense."""
    text = clean(raw)
    if text is None or text in {"-", "—", "–"}:
        return None
    key = fold(text).rstrip(".;")
    key = re.sub(r"\s+", " ", key)
    if key in _RECURRING:
        return Deadline(DeadlineKind.RECURRING, text, recurrence=_RECURRING[key])
    if key.startswith("thuong xuyen") or key.startswith("hang nam"):
        # "Thường xuyên, hằng năm", "Hằng năm, thường xuyên từ 2025": ongoing work.
        return Deadline(DeadlineKind.RECURRING, text, recurrence="continuous")
    if key in _COMPLETED:
        return Deadline(DeadlineKind.COMPLETED, text)
    if m := _ONGOING.match(key):
        month = int(m[1]) if m[1] else 1
        if not 1 <= month <= 12:
            raise UserError(f"Thời hạn '{text}': tháng {month} không hợp lệ (1–12).")
        return Deadline(DeadlineKind.ONGOING, text, start=date(int(m[2]), month, 1))
    if m := _FROM_YEAR.match(key):
        return Deadline(DeadlineKind.ONGOING, text, start=date(int(m[1]), 1, 1))
    if _YEARLY_DATES.match(key):
        # "Trước 30/6 và 25/12": due on those days every year.
        return Deadline(DeadlineKind.RECURRING, text, recurrence="yearly")
    if m := _BEFORE.match(key):
        inner = _parse_point(m[1].strip(), text)
        if inner is None or inner.start is None:
            raise UserError(f"Không hiểu thời hạn '{text}'. Ví dụ hợp lệ: {_EXAMPLES}.")
        # "Trước ngày 20/5" means done by the 19th; "Trước tháng 6" by the end of May.
        end = inner.start - timedelta(days=1) if inner.kind is not DeadlineKind.YEAR else inner.end
        return Deadline(DeadlineKind.BEFORE, text, None, end)
    point = _parse_point(key, text)
    if point is not None:
        return point
    if m := _THEN_CONTINUOUS.match(key):
        # "Tháng 8/2025 - Thường xuyên": a first product by then, the work continues.
        first = _parse_point(m[1].strip(), text)
        if first is not None and first.start is not None:
            return Deadline(DeadlineKind.ONGOING, text, start=first.start, recurrence="continuous")
    stripped = re.sub(r"^(?:giai doan|nam|tu nam|tu)\s*", "", key)
    parts = _RANGE_SPLIT.split(stripped)
    if len(parts) == 2:
        first, last = (_parse_point(p.strip(), text) for p in parts)
        if first is not None and last is not None and first.start and last.end:
            if last.end < first.start:
                raise UserError(f"Thời hạn '{text}': mốc cuối đứng trước mốc đầu.")
            return Deadline(DeadlineKind.RANGE, text, first.start, last.end)
    raise UserError(f"Không hiểu thời hạn '{text}'. Ví dụ hợp lệ: {_EXAMPLES}.")


def format_deadline(deadline: Deadline) -> str:
    """Canonical wording: what the plan would print for this window."""
    k, s, e = deadline.kind, deadline.start, deadline.end
    if k is DeadlineKind.RECURRING:
        return {
            "continuous": "Thường xuyên",
            "yearly": "Hằng năm",
            "quarterly": "Hằng quý",
            "monthly": "Hằng tháng",
        }[deadline.recurrence or "continuous"]
    if k is DeadlineKind.COMPLETED:
        return "Đã hoàn thành"
    if k is DeadlineKind.ONGOING and s:
        if deadline.recurrence == "continuous":
            first = Deadline(DeadlineKind.MONTH, "", s, _month_end(s.year, s.month))
            return f"{format_deadline(first)} và thường xuyên"
        if s.month != 1:
            return f"Tháng {s.month}/{s.year} và những năm tiếp theo"
        return f"Năm {s.year} và những năm tiếp theo"
    if k is DeadlineKind.DATE and s:
        return f"{s.day}/{s.month}/{s.year}"
    if k is DeadlineKind.MONTH and s:
        return f"Tháng {s.month}/{s.year}"
    if k is DeadlineKind.QUARTER and s:
        return f"Quý {roman((s.month + 2) // 3)}/{s.year}"
    if k is DeadlineKind.HALF and s:
        return f"6 tháng {'đầu' if s.month == 1 else 'cuối'} năm {s.year}"
    if k is DeadlineKind.YEAR and s:
        return f"Năm {s.year}"
    if k is DeadlineKind.BEFORE and e:
        nxt = e + timedelta(days=1)
        return f"Trước ngày {nxt.day}/{nxt.month}/{nxt.year}"
    if k is DeadlineKind.RANGE and s and e:
        return (
            f"{s.year} - {e.year}"
            if (s.month, s.day, e.month, e.day) == (1, 1, 12, 31)
            else (f"{s.day}/{s.month}/{s.year} - {e.day}/{e.month}/{e.year}")
        )
    return deadline.text
