"""Task deadlines as the plans write them, and whether they are due or past.

Plans do not use plain dates: they write "Tháng 10/2025", "Quý III/2026",
"Thường xuyên", "Định kỳ 6 tháng", "Trước ngày 20/12", "Tháng 6/2025 và
thường xuyên". A Deadline keeps the office's own wording for display and
derives what the rest of the app needs: the window [start, end] of a one-off
product, the recurrence of a periodic one with the window and due day of each
cycle, and the last on-time day of a compound deadline's first product.

The last day that counts as on time
-----------------------------------
One reading, used for task deadlines, report due dates and the receiving
office's on-time judgement alike (`last_day_on_time`, `parse_due_phrase`):

* "trước ngày D" (before day D) is strict, as Vietnamese legal Q&A reads it:
  the last day on time is D − 1. "Trước ngày 20/12/2025" → 19/12/2025.
* "chậm nhất ngày D", "chậm nhất vào ngày D", "đến ngày D", "hạn D",
  "trong ngày D", "không quá ngày D" and a bare date D include D itself:
  "Chậm nhất ngày 15/12/2025" → 15/12/2025.
* The same holds for a month, quarter or year: "trước tháng M/Y" → the last
  day of month M − 1; "trước năm Y" → 31/12/(Y − 1); "đến năm Y",
  "đến hết năm Y", "cuối năm Y" and "năm Y" → 31/12/Y; "đến hết tháng M/Y"
  → the last day of month M.

So "trước" names the first day that is already late; every other wording
names the last day that is still on time. `DueRule.BEFORE` and `DueRule.BY`
record which one a deadline was written with.

Kinds
-----
* one-off windows: DATE, MONTH, QUARTER, HALF, YEAR, RANGE ("Tháng 10-12/2025",
  "Tháng 5, 6/2025", "Quý I, II/2026", "2025 - 2030") and BEFORE, a window with
  only an end ("Trước ngày 20/5/2025", "Chậm nhất ngày 15/12/2025", "Đến năm
  2030", "Cuối năm 2025");
* RECURRING with a `recurrence`: continuous ("Thường xuyên"), yearly,
  half_yearly, quarterly, monthly ("Hằng năm", "Định kỳ 6 tháng", "6 tháng/lần",
  "Hằng quý", "quý/lần", "Định kỳ 01 tháng/lần"). A yearly deadline written
  without a year ("Trước ngày 20/12") keeps its days as `anchors`: each year's
  product is due by that day (19/12 here);
* ONGOING: work from a start that never ends ("Năm 2025 và những năm tiếp
  theo"); a compound deadline ("Tháng 6/2025 và thường xuyên", "Quý III/2025,
  sau đó thường xuyên") is ONGOING with recurrence continuous and a
  `first_product_end`: the first product is past after that day, the work stays
  due afterwards;
* AD_HOC ("Đột xuất", "Theo yêu cầu"): never due by the calendar, never past;
* COMPLETED ("Đã hoàn thành" printed in the plan itself).

Only one-off windows and compound first products can be past; recurring work is
judged per cycle (`cycle`, `cycle_due`) by the status logic.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from .errors import UserError
from .text import clean, fold, from_roman, roman


class DeadlineKind(StrEnum):
    DATE = "date"
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"
    BEFORE = "before"  # only an end: "Trước ngày 20/5/2025", "Đến hết năm 2025"
    RANGE = "range"
    ONGOING = "ongoing"  # "Năm 2025 và những năm tiếp theo", "Tháng 6/2025 và thường xuyên"
    RECURRING = "recurring"  # "Thường xuyên", "Hằng năm", "Định kỳ 6 tháng", "Trước ngày 20/12"
    AD_HOC = "ad_hoc"  # "Đột xuất", "Theo yêu cầu"
    COMPLETED = "completed"  # "Đã hoàn thành" printed in the plan itself


class DueRule(StrEnum):
    """How a wording reads its day: see the module docstring."""

    BEFORE = "before"  # "trước ngày D": the last day on time is D − 1
    BY = "by"  # "chậm nhất ngày D", "đến ngày D", "hạn D", a bare D: D itself


class Recurrence(StrEnum):
    CONTINUOUS = "continuous"
    YEARLY = "yearly"
    HALF_YEARLY = "half_yearly"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"


def last_day_on_time(rule: DueRule | str, day: date) -> date:
    """The last on-time day for a deadline worded `rule` about `day`.

    `DueRule.BEFORE` ("trước ngày D") gives D − 1; `DueRule.BY` ("chậm nhất
    ngày D", "đến ngày D", "hạn D", a bare D) gives D.
    """
    return day - timedelta(days=1) if DueRule(rule) is DueRule.BEFORE else day


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    text: str
    start: date | None = None
    end: date | None = None
    recurrence: str | None = None  # a Recurrence value; None for one-off and ad hoc deadlines
    due_rule: DueRule | None = None  # how an end-only, anchored or compound deadline was worded
    anchors: tuple[tuple[int, int], ...] = ()  # (day, month) as written: "Trước ngày 20/12"
    first_product_end: date | None = None  # compound: last on-time day of the first product

    @property
    def has_end(self) -> bool:
        return self.end is not None and self.kind not in (
            DeadlineKind.RECURRING,
            DeadlineKind.ONGOING,
            DeadlineKind.AD_HOC,
            DeadlineKind.COMPLETED,
        )

    def is_due(self, on: date) -> bool:
        """Whether work on the task is expected at `on` (inside its window)."""
        if self.kind in (DeadlineKind.COMPLETED, DeadlineKind.AD_HOC):
            return False
        if self.start is not None and on < self.start:
            return False
        if not self.has_end:
            return True
        assert self.end is not None
        return on <= self.end

    def is_past(self, on: date) -> bool:
        """Whether the deadline (or a compound deadline's first product) has passed at `on`.

        Overdue also needs an unfinished status. Recurring, ongoing and ad hoc
        work is never past as a whole; recurring work is judged per cycle.
        """
        if self.first_product_end is not None:
            return on > self.first_product_end
        return self.has_end and self.end is not None and on > self.end

    def cycle(self, on: date) -> tuple[date, date] | None:
        """The window of the recurring cycle that contains `on`.

        Yearly → that calendar year, half-yearly → that half, quarterly → that
        quarter, monthly → that month; None for continuous, ongoing, ad hoc and
        one-off deadlines.
        """
        if self.kind is not DeadlineKind.RECURRING:
            return None
        months = _CYCLE_MONTHS.get(self.recurrence or "")
        if months is None:
            return None
        first = (on.month - 1) // months * months + 1
        return date(on.year, first, 1), _month_end(on.year, first + months - 1)

    def cycle_due(self, on: date) -> date | None:
        """The last on-time day of the product of the cycle that contains `on`.

        The cycle's last day, or for anchored deadlines the anchor day falling in
        the cycle read with `due_rule` ("Trước ngày 20/12" → 19/12 of that year;
        several in one cycle → the latest). None when `cycle(on)` is None.
        """
        window = self.cycle(on)
        if window is None:
            return None
        first, last = window
        rule = self.due_rule or DueRule.BY
        dues = [
            last_day_on_time(rule, _anchor_date(year, day, month))
            for year in (first.year - 1, first.year, first.year + 1)
            if 1 < year < 9999
            for day, month in self.anchors
        ]
        inside = [d for d in dues if first <= d <= last]
        return max(inside) if inside else last

    def label(self) -> str:
        """The canonical Vietnamese wording of this deadline."""
        return format_deadline(self)

    def to_json(self) -> dict[str, Any]:
        """text, kind, start, end; then only what those do not already say.

        `recurrence` unless it is the plain "Thường xuyên" of a recurring
        deadline, `due_rule`, `anchors` as [{"day", "month"}] and
        `first_product_end` when set. Readers rebuild a Deadline from `text`.
        """
        out: dict[str, Any] = {
            "text": self.text,
            "kind": self.kind.value,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
        }
        if self.recurrence and not (
            self.kind is DeadlineKind.RECURRING and self.recurrence == Recurrence.CONTINUOUS
        ):
            out["recurrence"] = str(self.recurrence)
        if self.due_rule is not None:
            out["due_rule"] = self.due_rule.value
        if self.anchors:
            out["anchors"] = [{"day": d, "month": m} for d, m in self.anchors]
        if self.first_product_end is not None:
            out["first_product_end"] = self.first_product_end.isoformat()
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any] | str | None) -> Deadline | None:
        """Rebuild from `to_json()` output (or a bare text) by re-reading the text,
        the source of truth; the derived keys are not trusted."""
        if isinstance(data, dict):
            data = data.get("text")
        if data is not None and not isinstance(data, str):
            raise UserError("Thời hạn phải là chuỗi hoặc đối tượng có 'text'.")
        return parse_deadline(data)


_CYCLE_MONTHS: dict[str, int] = {  # by Recurrence (a StrEnum: its values are the keys)
    Recurrence.YEARLY: 12,
    Recurrence.HALF_YEARLY: 6,
    Recurrence.QUARTERLY: 3,
    Recurrence.MONTHLY: 1,
}
_RECURRENCE_BY_MONTHS = {12: Recurrence.YEARLY, 6: Recurrence.HALF_YEARLY}
_RECURRENCE_BY_MONTHS |= {3: Recurrence.QUARTERLY, 1: Recurrence.MONTHLY}

_EXAMPLES = (
    "20/5/2025, Tháng 10/2025, Tháng 10-12/2025, Tháng 5, 6/2025, Quý III/2026, "
    "Quý I, II/2026, Năm 2025, 2025 - 2030, Trước ngày 20/5/2025, Chậm nhất ngày 15/12/2025, "
    "Trước năm 2027, Đến hết năm 2025, Cuối năm 2025, Thường xuyên, Hằng năm, Hằng quý, "
    "Định kỳ 6 tháng, 1 tháng/lần, Trước ngày 20/12 (hằng năm), Đột xuất, Theo yêu cầu, "
    "Năm 2025 và những năm tiếp theo, Tháng 6/2025 và thường xuyên"
)

_YEAR = r"((?:19|20)\d\d)"
_Q = r"(?:[ivx]+|\d)"
_DMY = re.compile(r"^(?:ngay\s*)?(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*" + _YEAR + "$")
_ISO = re.compile(r"^" + _YEAR + r"-(\d{1,2})-(\d{1,2})$")
_MONTH = re.compile(r"^(?:thang\s*)?(\d{1,2})\s*[/.-]\s*" + _YEAR + "$")
_MONTH_WORDS = re.compile(r"^thang\s*(\d{1,2})\s*nam\s*" + _YEAR + "$")
_QUARTER = re.compile(r"^quy\s*(" + _Q + r")\s*(?:[/.-]|nam)\s*" + _YEAR + "$")
_HALF = re.compile(r"^(?:trong\s*)?6\s*thang\s*(dau|cuoi)\s*(?:nam\s*)?" + _YEAR + "$")
_YEAR_ONLY = re.compile(r"^(?:nam\s*|trong\s*nam\s*)?" + _YEAR + "$")
# "Tháng 10-12/2025", "Tháng 5, 6/2025", "Tháng 5, 6 và 7 năm 2025".
_MONTHS = re.compile(
    r"^thang\s*(\d{1,2}(?:\s*(?:-|–|—|,|;|va|den)\s*(?:thang\s*)?\d{1,2})+)\s*(?:/|nam)\s*"
    + _YEAR
    + "$"
)
# "Quý I, II/2026", "Quý III - IV năm 2025", "Quý I và quý II/2026".
_QUARTERS = re.compile(
    r"^quy\s*("
    + _Q
    + r"(?:\s*(?:-|–|—|,|;|va|den)\s*(?:quy\s*)?"
    + _Q
    + r")+)\s*(?:/|nam)\s*"
    + _YEAR
    + "$"
)
_LIST_ITEM = re.compile(r"\b(?:[ivx]+|\d+)\b")
_ONGOING = re.compile(
    r"^(?:tu\s*)?(?:(?:nam|thang\s*(\d{1,2})\s*/)\s*)?"
    + _YEAR
    + r"\s*(?:va|,)?\s*(?:nhung|cac)\s*nam\s*tiep\s*theo$"
)
_FROM_YEAR = re.compile(r"^tu\s*(?:nam\s*)?" + _YEAR + r"(?:\s*tro\s*di)?$")
# The wording before a day: strict "trước", or one of the inclusive ones.
_BEFORE_PREFIX = re.compile(r"^(?:hoan thanh\s*)?truoc\b\s*(?:ngay\b\s*)?")
_BY_PREFIX = re.compile(
    r"^(?:hoan thanh\s*)?(?:cham nhat|muon nhat|den het|den|han chot|han|trong ngay|"
    r"khong qua|khong muon hon|cuoi)\b\s*:?\s*(?:(?:vao|la)\b\s*)?(?:ngay\b\s*)?"
)
_ANCHOR_ITEM = r"(?:ngay\s*)?\d{1,2}\s*/\s*\d{1,2}"
_ANCHORS = re.compile(
    r"^(" + _ANCHOR_ITEM + r"(?:\s*(?:va|,|;)\s*(?:ngay\s*)?" + _ANCHOR_ITEM + r")*)$"
)
_ANCHOR_MONTH = re.compile(r"^thang\s*(\d{1,2})$")
_DAY_MONTH = re.compile(r"(\d{1,2})\s*/\s*(\d{1,2})")
_EVERY_YEAR_FIRST = re.compile(r"^(?:dinh ky\s*)?(?:hang|moi)\s*nam\b\s*[,;:-]?\s*(.+)$")
_EVERY_YEAR_LAST = re.compile(r"^(.+?)\s*[,;-]?\s*(?:hang|moi)\s*nam$")
# "Hằng tháng", "Định kỳ hằng quý", "Mỗi năm".
_EVERY = re.compile(r"^(?:dinh ky\s*)?(?:hang|moi)\s*(thang|quy|nam)$")
# "6 tháng/lần", "Định kỳ 01 tháng/lần", "quý/lần", "năm một lần".
_PER_TIME = re.compile(r"^(?:dinh ky\s*)?(?:(\d{1,2})\s*)?(thang|quy|nam)\s*(?:/|mot|1)\s*lan$")
# "Định kỳ 6 tháng", "Định kỳ 03 tháng".
_EVERY_N = re.compile(r"^dinh ky\s*(\d{1,2})\s*(thang|quy|nam)$")
_UNIT_MONTHS = {"thang": 1, "quy": 3, "nam": 12}
_UNIT_WORDS = {"thang": "tháng", "quy": "quý", "nam": "năm"}
_AD_HOC_ITEM = r"(?:dot xuat|(?:theo|khi co) yeu cau)"
_AD_HOC = re.compile(r"^" + _AD_HOC_ITEM + r"(?:\s*(?:,|;|hoac|va)?\s*" + _AD_HOC_ITEM + r")*$")
# "Hằng quý hoặc đột xuất": the calendar obligation is what a deadline tracks.
_OR_AD_HOC = re.compile(
    r"^(.+?)\s*[,;]?\s*(?:hoac|va)\s*" + _AD_HOC_ITEM + r"(?:\s*" + _AD_HOC_ITEM + r")*$"
)
_THEN_CONTINUOUS = re.compile(
    r"^(.+?)\s*(?:-|–|—|va|;|,)?\s*(?:sau do|tiep theo|tiep tuc|roi)?\s*"
    r"(?:duy tri|thuc hien|trien khai)?\s*(?:thuong xuyen|hang nam)$"
)  # "Tháng 5/2025 và hằng năm" (Bỉm Sơn, Phụ lục II): first by then, then every year
_RANGE_SPLIT = re.compile(r"\s*(?:-|–|—|den)\s*")
_DAY_MONTH_WORDS = re.compile(r"\bngay (\d{1,2}) thang (\d{1,2})(?: nam (\d{4}))?\b")
_RECURRING = {
    "thuong xuyen": Recurrence.CONTINUOUS,
    "dinh ky": Recurrence.CONTINUOUS,
    "thuong xuyen hang nam": Recurrence.CONTINUOUS,
    "thuong xuyen, hang nam": Recurrence.CONTINUOUS,
    "hang nam, thuong xuyen": Recurrence.CONTINUOUS,
}
_COMPLETED = ("da hoan thanh",)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _anchor_date(year: int, day: int, month: int) -> date:
    """Day `day`/`month` of `year`; 29/2 falls on 28/2 in a common year."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _date(day: int, month: int, year: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise UserError(f"Thời hạn '{text}': ngày {day}/{month}/{year} không có thật.") from None


def _not_understood(text: str) -> UserError:
    return UserError(f"Không hiểu thời hạn '{text}'. Ví dụ hợp lệ: {_EXAMPLES}.")


def _check_month(month: int, text: str) -> int:
    if not 1 <= month <= 12:
        raise UserError(f"Thời hạn '{text}': tháng {month} không hợp lệ (1–12).")
    return month


def _quarter(numeral: str, text: str) -> int:
    q = int(numeral) if numeral.isdigit() else from_roman(numeral)
    if q is None or not 1 <= q <= 4:
        raise UserError(f"Thời hạn '{text}': quý phải là I, II, III hoặc IV.")
    return q


def _ascending(first: date, last: date, text: str) -> None:
    if last < first:
        raise UserError(f"Thời hạn '{text}': mốc cuối đứng trước mốc đầu.")


def _key(text: str) -> str:
    """The folded, single-spaced form every pattern matches against."""
    key = fold(text).replace("(", ", ").replace(")", " ")
    key = re.sub(r"\s+", " ", key).strip(" .;,")
    key = re.sub(r"\s+([,;])", r"\1", key)
    return _DAY_MONTH_WORDS.sub(lambda m: f"ngay {m[1]}/{m[2]}" + (f"/{m[3]}" if m[3] else ""), key)


def _parse_point(key: str, text: str) -> Deadline | None:
    """One window (a day, month, quarter, half or year); None when it is not one."""
    if m := _DMY.match(key):
        d = _date(int(m[1]), int(m[2]), int(m[3]), text)
        return Deadline(DeadlineKind.DATE, text, d, d)
    if m := _ISO.match(key):
        d = _date(int(m[3]), int(m[2]), int(m[1]), text)
        return Deadline(DeadlineKind.DATE, text, d, d)
    if m := (_MONTH_WORDS.match(key) or _MONTH.match(key)):
        month, year = _check_month(int(m[1]), text), int(m[2])
        return Deadline(DeadlineKind.MONTH, text, date(year, month, 1), _month_end(year, month))
    if m := _QUARTER.match(key):
        q, year = _quarter(m[1], text), int(m[2])
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


def _parse_span(key: str, text: str) -> Deadline | None:
    """Several months or quarters of one year: the window from the first to the last."""
    if m := _MONTHS.match(key):
        months = [_check_month(int(n), text) for n in _LIST_ITEM.findall(m[1])]
        year = int(m[2])
        first, last = date(year, months[0], 1), _month_end(year, months[-1])
    elif m := _QUARTERS.match(key):
        quarters = [_quarter(n, text) for n in _LIST_ITEM.findall(m[1])]
        year = int(m[2])
        first, last = date(year, 3 * quarters[0] - 2, 1), _month_end(year, 3 * quarters[-1])
    else:
        return None
    _ascending(first, last, text)
    return Deadline(DeadlineKind.RANGE, text, first, last)


def _split_rule(key: str) -> tuple[DueRule | None, str]:
    """The wording rule of a leading "trước"/"chậm nhất"/"đến"… and the rest."""
    if m := _BEFORE_PREFIX.match(key):
        return DueRule.BEFORE, key[m.end() :].strip()
    if m := _BY_PREFIX.match(key):
        return DueRule.BY, key[m.end() :].strip()
    return None, key


def _parse_window(key: str, text: str) -> Deadline | None:
    """A one-off product: a window, a span, a range or an end-only wording."""
    rule, rest = _split_rule(key)
    if rule is not None:
        inner = _parse_point(rest, text) or _parse_span(rest, text)
        if inner is None or inner.start is None or inner.end is None:
            return None
        # "Trước ngày 20/5" → done by the 19th; "trước tháng 6" → by the end of May;
        # "chậm nhất ngày 15/12", "đến hết năm 2025" → that day, that year's end.
        end = inner.start - timedelta(days=1) if rule is DueRule.BEFORE else inner.end
        return Deadline(DeadlineKind.BEFORE, text, None, end, due_rule=rule)
    point = _parse_point(key, text) or _parse_span(key, text)
    if point is not None:
        return point
    stripped = re.sub(r"^(?:giai doan|nam|tu nam|tu)\s*", "", key)
    parts = _RANGE_SPLIT.split(stripped)
    if len(parts) == 2:
        first, last = (_parse_point(p.strip(), text) for p in parts)
        if first is not None and last is not None and first.start and last.end:
            _ascending(first.start, last.end, text)
            return Deadline(DeadlineKind.RANGE, text, first.start, last.end)
    return None


def _parse_anchors(key: str, text: str, *, bare: bool = False) -> Deadline | None:
    """A yearly deadline written without a year: "Trước ngày 20/12", "Trước 30/6 và 25/12".

    A single day with no wording ("20/12") is taken only when `bare` (after
    "hằng năm", or as a due phrase); alone it is more likely a date missing its year.
    """
    rule, rest = _split_rule(key)
    if rule is not None and (m := _ANCHOR_MONTH.match(rest)):
        # "Trước tháng 6" → before 1/6; "đến hết tháng 6" → by 30/6.
        month = _check_month(int(m[1]), text)
        day = 1 if rule is DueRule.BEFORE else calendar.monthrange(2024, month)[1]
        anchors = [(day, month)]
    elif _ANCHORS.match(rest):
        anchors = [(int(d), int(mo)) for d, mo in _DAY_MONTH.findall(rest)]
    else:
        return None
    if rule is None and len(anchors) == 1 and not bare:
        return None
    for day, month in anchors:
        if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2024, month)[1]:
            # 2024 is a leap year: 29/2 is a real anchor, 31/4 is not.
            raise UserError(f"Thời hạn '{text}': ngày {day}/{month} không có thật.")
    rule = rule or DueRule.BY
    dues = sorted(last_day_on_time(rule, _anchor_date(2024, d, mo)) for d, mo in anchors)
    recurrence = Recurrence.YEARLY
    if len(dues) == 2 and dues[0].month <= 6 < dues[1].month:
        recurrence = Recurrence.HALF_YEARLY  # one product in each half: "Trước 30/6 và 25/12"
    return Deadline(
        DeadlineKind.RECURRING,
        text,
        recurrence=recurrence,
        due_rule=rule,
        anchors=tuple(anchors),
    )


def _parse_recurring(key: str, text: str) -> Deadline | None:
    """A periodic deadline: "Hằng quý", "6 tháng/lần", "Định kỳ 6 tháng", "năm/lần"."""
    m = _EVERY.match(key) or _PER_TIME.match(key) or _EVERY_N.match(key)
    if m is None:
        return None
    count = int(m[1]) if m.re is not _EVERY and m[1] else 1
    unit = m[m.lastindex or 1]
    recurrence = _RECURRENCE_BY_MONTHS.get(count * _UNIT_MONTHS[unit])
    if recurrence is None:
        raise UserError(
            f"Thời hạn '{text}': chu kỳ {count} {_UNIT_WORDS[unit]} chưa được hỗ trợ; "
            "hãy dùng hằng tháng, hằng quý, định kỳ 6 tháng hoặc hằng năm."
        )
    return Deadline(DeadlineKind.RECURRING, text, recurrence=recurrence)


def parse_deadline(raw: str | None) -> Deadline | None:
    """Parse a deadline cell; None for an empty cell, UserError for nonsense."""
    text = clean(raw)
    if text is None or text in {"-", "—", "–"}:
        return None
    key = _key(text)
    if _AD_HOC.match(key):
        return Deadline(DeadlineKind.AD_HOC, text)
    if (m := _OR_AD_HOC.match(key)) and not _AD_HOC.match(m[1]):
        key = m[1]
    if key in _RECURRING:
        return Deadline(DeadlineKind.RECURRING, text, recurrence=_RECURRING[key])
    if key in _COMPLETED:
        return Deadline(DeadlineKind.COMPLETED, text)
    if found := _parse_recurring(key, text):
        return found
    if found := _parse_anchors(key, text):
        return found
    for every_year in (_EVERY_YEAR_FIRST.match(key), _EVERY_YEAR_LAST.match(key)):
        # "Hằng năm, trước ngày 20/12", "Trước ngày 20/12 hằng năm".
        if every_year and (found := _parse_anchors(every_year[1], text, bare=True)):
            return found
    if key.startswith("thuong xuyen") or key.startswith("hang nam"):
        # "Thường xuyên, hằng năm", "Hằng năm, thường xuyên từ 2025": ongoing work.
        return Deadline(DeadlineKind.RECURRING, text, recurrence=Recurrence.CONTINUOUS)
    if m := _ONGOING.match(key):
        month = _check_month(int(m[1]) if m[1] else 1, text)
        return Deadline(DeadlineKind.ONGOING, text, start=date(int(m[2]), month, 1))
    if m := _FROM_YEAR.match(key):
        return Deadline(DeadlineKind.ONGOING, text, start=date(int(m[1]), 1, 1))
    if found := _parse_window(key, text):
        return found
    if m := _THEN_CONTINUOUS.match(key):
        # "Tháng 8/2025 - Thường xuyên": a first product by then, the work continues.
        first = _parse_window(m[1].strip(), text)
        if first is not None and first.end is not None:
            return Deadline(
                DeadlineKind.ONGOING,
                text,
                start=first.start,
                recurrence=Recurrence.CONTINUOUS,
                due_rule=first.due_rule,
                first_product_end=first.end,
            )
    raise _not_understood(text)


def parse_due_phrase(text: str, year: int | None = None) -> date:
    """The last on-time day of a due phrase, by the rule in the module docstring.

    For report due dates and on-time checks: "trước ngày 20/12" with year 2025
    → 19/12/2025; "chậm nhất ngày 15/6", 2025 → 15/6/2025; "trước tháng 6/2026"
    → 31/5/2026; "đến hết năm 2025" → 31/12/2025. `year` fills in a phrase
    written without one; a year in the phrase wins. UserError when the phrase
    names no single day (recurring, ad hoc, several days) or needs a year.
    """
    cleaned = clean(text)
    if cleaned is None:
        raise UserError("Thiếu hạn (ví dụ: trước ngày 20/12, chậm nhất ngày 15/6/2025).")
    key = _key(cleaned)
    anchored = _parse_anchors(key, cleaned, bare=True)
    if anchored is not None and len(anchored.anchors) == 1:
        if year is None:
            raise UserError(f"Hạn '{cleaned}' không có năm; cần biết năm để tính ngày.")
        (day, month) = anchored.anchors[0]
        assert anchored.due_rule is not None
        return last_day_on_time(anchored.due_rule, _anchor_date(year, day, month))
    window = _parse_window(key, cleaned)
    if window is None or window.end is None:
        raise UserError(
            f"Không hiểu hạn '{cleaned}'. Ví dụ hợp lệ: trước ngày 20/12, chậm nhất ngày "
            "15/6/2025, đến ngày 30/6, trước tháng 6/2026, trước năm 2027, đến hết năm 2025."
        )
    return window.end


_RECURRENCE_LABELS = {
    Recurrence.CONTINUOUS: "Thường xuyên",
    Recurrence.YEARLY: "Hằng năm",
    Recurrence.HALF_YEARLY: "Định kỳ 6 tháng",
    Recurrence.QUARTERLY: "Hằng quý",
    Recurrence.MONTHLY: "Hằng tháng",
}


def _is_month_start(d: date) -> bool:
    return d.day == 1


def _is_month_end(d: date) -> bool:
    return d == _month_end(d.year, d.month)


def _end_only_label(end: date, rule: DueRule | None) -> str:
    if rule is DueRule.BY:
        if (end.month, end.day) == (12, 31):
            return f"Đến hết năm {end.year}"
        return f"Chậm nhất ngày {end.day}/{end.month}/{end.year}"
    nxt = end + timedelta(days=1)
    if (nxt.month, nxt.day) == (1, 1):
        return f"Trước năm {nxt.year}"
    return f"Trước ngày {nxt.day}/{nxt.month}/{nxt.year}"


def _range_label(s: date, e: date) -> str:
    if (s.month, s.day, e.month, e.day) == (1, 1, 12, 31):
        return f"{s.year} - {e.year}"
    if _is_month_start(s) and _is_month_end(e):
        if s.year == e.year and s.month % 3 == 1 and e.month % 3 == 0 and e.month > s.month + 2:
            return f"Quý {roman((s.month + 2) // 3)} - {roman(e.month // 3)}/{s.year}"
        if s.year == e.year:
            return f"Tháng {s.month} - {e.month}/{s.year}"
        return f"Tháng {s.month}/{s.year} - Tháng {e.month}/{e.year}"
    return f"{s.day}/{s.month}/{s.year} - {e.day}/{e.month}/{e.year}"


def _window_label(s: date | None, e: date, rule: DueRule | None) -> str:
    """The simplest wording of the window [s, e] (s None: only an end)."""
    if s is None:
        return _end_only_label(e, rule)
    if s == e:
        return f"{s.day}/{s.month}/{s.year}"
    if _is_month_start(s) and _is_month_end(e):
        if s.year == e.year and s.month == e.month:
            return f"Tháng {s.month}/{s.year}"
        if s.year == e.year and s.month % 3 == 1 and e.month == s.month + 2:
            return f"Quý {roman((s.month + 2) // 3)}/{s.year}"
        if s.year == e.year and (s.month, e.month) == (1, 12):
            return f"Năm {s.year}"
    return _range_label(s, e)


def _anchors_label(deadline: Deadline) -> str:
    days = " và ".join(f"{d}/{m}" for d, m in deadline.anchors)
    wording = "trước ngày" if deadline.due_rule is DueRule.BEFORE else "chậm nhất ngày"
    return f"Hằng năm, {wording} {days}"


def format_deadline(deadline: Deadline) -> str:
    """Canonical wording: what the plan would print for this window."""
    k, s, e = deadline.kind, deadline.start, deadline.end
    if k is DeadlineKind.RECURRING:
        if deadline.anchors:
            return _anchors_label(deadline)
        return _RECURRENCE_LABELS[Recurrence(deadline.recurrence or Recurrence.CONTINUOUS)]
    if k is DeadlineKind.COMPLETED:
        return "Đã hoàn thành"
    if k is DeadlineKind.AD_HOC:
        return "Đột xuất" if fold(deadline.text).startswith("dot xuat") else "Theo yêu cầu"
    if k is DeadlineKind.ONGOING and deadline.first_product_end is not None:
        first = _window_label(s, deadline.first_product_end, deadline.due_rule)
        return f"{first} và thường xuyên"
    if k is DeadlineKind.ONGOING and s:
        if deadline.recurrence == Recurrence.CONTINUOUS:
            return f"Tháng {s.month}/{s.year} và thường xuyên"
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
        return _end_only_label(e, deadline.due_rule)
    if k is DeadlineKind.RANGE and s and e:
        return _range_label(s, e)
    return deadline.text
