"""Reporting periods: ids, calendar spans, Nghị định 09/2019 cut-offs and due dates.

Period ids are stable strings used in file names, the CLI and packages:
`2026-M03`, `2026-Q1`, `2026-H1`, `2026-Y`, and `2026-A01` for a report the
secretary adds (đột xuất, sơ kết). This module holds the calendar arithmetic;
which periods a plan owes, their data windows under the plan's cut-off policy
and the previous report are in `regime.py`.

Due dates follow the one meaning the application gives the plans' words:
"trước ngày D" → the last on-time day is D − 1; "chậm nhất ngày D" → D.
`Period.due` is that last on-time day, `Period.due_text` the plan's wording
("trước ngày 20/09/2026").
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from .errors import UserError
from .plan import AdHocReport, Frequency, PeriodKind, ReportingRule
from .text import roman

_ID = re.compile(r"^(\d{4})-(?:M(\d{2})|Q([1-4])|H([12])|Y|A(\d{2}))$")
ID_EXAMPLES = "2026-M03, 2026-Q1, 2026-H1, 2026-Y, 2026-A01"
DECREE_09_REASON = "Theo Nghị định 09/2019/NĐ-CP"
_KIND_RANK = {PeriodKind.REGULAR: 0, PeriodKind.REVIEW: 1, PeriodKind.AD_HOC: 2}


@dataclass(frozen=True)
class Period:
    """One report: what it covers, its data cut-off window (and why) and its due date.

    For a regular period `start`–`end` is the calendar span (a quarter) and
    `cutoff_start`–`cutoff_end` the data window; an ad-hoc or review report
    has no frequency, `index` is its number in the year and both windows are
    the one the secretary entered. Periods sort in the regime's order: by due
    date, then by the end of the data window, shorter first.
    """

    end: date
    start: date
    frequency: Frequency | None
    year: int
    index: int  # month 1–12, quarter 1–4, half 1–2, year 1; ad-hoc: its number
    cutoff_start: date
    cutoff_end: date
    due: date  # the last on-time day
    cutoff_reason: str = DECREE_09_REASON
    due_text: str = ""  # the plan's wording: "trước ngày 20/09/2026"
    kind: PeriodKind = PeriodKind.REGULAR
    title: str | None = None  # ad-hoc and review reports: "Báo cáo sơ kết 6 tháng"

    @property
    def id(self) -> str:
        if self.frequency is None:
            return ad_hoc_id(self.year, self.index)
        return period_id(self.frequency, self.year, self.index)

    @property
    def regular(self) -> bool:
        return self.kind is PeriodKind.REGULAR

    @property
    def months(self) -> int:
        """Calendar length in months (ad-hoc: of its data window, at least 1)."""
        if self.frequency is not None:
            return self.frequency.months
        return max(
            1, (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
        )

    @property
    def order_key(self) -> tuple:
        """The regime's order: due date, end of data, shorter first, regular first."""
        return (self.due, self.cutoff_end, self.months, _KIND_RANK[self.kind], self.id)

    def __lt__(self, other: Period) -> bool:
        return self.order_key < other.order_key

    @property
    def label(self) -> str:
        """Vietnamese name of the period as a report title uses it."""
        f, y, i = self.frequency, self.year, self.index
        if f is None:
            return self.title or f"Báo cáo {self.id}"
        if f is Frequency.MONTH:
            return f"Tháng {i}/{y}"
        if f is Frequency.QUARTER:
            return f"Quý {roman(i)}/{y}"
        if f is Frequency.HALF:
            return f"6 tháng {'đầu' if i == 1 else 'cuối'} năm {y}"
        return f"Năm {y}"

    @property
    def title_label(self) -> str:
        """Wording for a report title: "Quý I năm 2026", "tháng 3 năm 2026"."""
        f, y, i = self.frequency, self.year, self.index
        if f is None:
            text = self.label
            return text[:1].lower() + text[1:]
        if f is Frequency.MONTH:
            return f"tháng {i} năm {y}"
        if f is Frequency.QUARTER:
            return f"quý {roman(i)} năm {y}"
        if f is Frequency.HALF:
            return f"6 tháng {'đầu' if i == 1 else 'cuối'} năm {y}"
        return f"năm {y}"


def period_id(frequency: Frequency, year: int, index: int) -> str:
    if frequency is Frequency.MONTH:
        return f"{year}-M{index:02d}"
    if frequency is Frequency.QUARTER:
        return f"{year}-Q{index}"
    if frequency is Frequency.HALF:
        return f"{year}-H{index}"
    return f"{year}-Y"


def ad_hoc_id(year: int, number: int) -> str:
    """`2026-A01`: the id of the year's first ad-hoc or review report."""
    return f"{year}-A{number:02d}"


def split_period_id(text: str) -> tuple[Frequency | None, int, int]:
    """`2026-Q1` → (QUARTER, 2026, 1); `2026-A01` → (None, 2026, 1); UserError otherwise."""
    m = _ID.match((text or "").strip().upper())
    if not m:
        raise UserError(f"Mã kỳ báo cáo '{text}' không hợp lệ. Dạng đúng: {ID_EXAMPLES}.")
    year = int(m[1])
    if m[2]:
        index = int(m[2])
        if not 1 <= index <= 12:
            raise UserError(f"Mã kỳ báo cáo '{text}': tháng phải từ 01 đến 12.")
        return Frequency.MONTH, year, index
    if m[3]:
        return Frequency.QUARTER, year, int(m[3])
    if m[4]:
        return Frequency.HALF, year, int(m[4])
    if m[5]:
        if int(m[5]) == 0:
            raise UserError(f"Mã kỳ báo cáo '{text}': số báo cáo bắt đầu từ 01.")
        return None, year, int(m[5])
    return Frequency.YEAR, year, 1


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    total = year * 12 + (month - 1) + delta
    return total // 12, total % 12 + 1


def clamped_day(year: int, month: int, day: int) -> date:
    """Day `day` of the month, or its last day when the month is shorter."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def count_in_year(frequency: Frequency) -> int:
    return 12 // frequency.months


def month_span(frequency: Frequency, index: int) -> tuple[int, int]:
    """First and last month of the period."""
    last = index * frequency.months
    return last - frequency.months + 1, last


def calendar_span(frequency: Frequency, year: int, index: int) -> tuple[date, date]:
    """The period's first and last calendar day: Q2 2026 → 01/04/2026 – 30/06/2026."""
    first, last = month_span(frequency, index)
    return date(year, first, 1), clamped_day(year, last, 31)


def decree_09_window(frequency: Frequency, year: int, index: int) -> tuple[date, date]:
    """Nghị định 09/2019: the 15th of the month before the first month → the 14th of the last."""
    first, last = month_span(frequency, index)
    cy, cm = shift_month(year, first, -1)
    return date(cy, cm, 15), date(year, last, 14)


def due_dates(rule: ReportingRule, year: int, index: int) -> tuple[date, date]:
    """(the date the plan writes, the last on-time day) of the rule's period."""
    _, last = month_span(rule.frequency, index)
    dy, dm = shift_month(year, last, rule.due_month_offset)
    written = clamped_day(dy, dm, rule.due_day)
    return written, written - timedelta(days=1) if rule.strict else written


def due_wording(written: date, strict: bool) -> str:
    """The wording: "trước ngày 20/09/2026" or "chậm nhất ngày 20/09/2026"."""
    return f"{'trước ngày' if strict else 'chậm nhất ngày'} {written:%d/%m/%Y}"


def make_period(rule: ReportingRule, year: int, index: int) -> Period:
    """A period of `rule` with its Nghị định 09/2019 window, whatever the plan's policy.

    `regime.period_of` gives the window the plan's cut-off policy chooses.
    """
    start, end = calendar_span(rule.frequency, year, index)
    cutoff_start, cutoff_end = decree_09_window(rule.frequency, year, index)
    written, due = due_dates(rule, year, index)
    return Period(
        end=end,
        start=start,
        frequency=rule.frequency,
        year=year,
        index=index,
        cutoff_start=cutoff_start,
        cutoff_end=cutoff_end,
        due=due,
        cutoff_reason=DECREE_09_REASON,
        due_text=due_wording(written, rule.strict),
    )


def ad_hoc_period(report: AdHocReport, reason: str | None = None) -> Period:
    """The Period of an ad-hoc or review report (its id must be set)."""
    if not report.id:
        raise UserError("Báo cáo đột xuất chưa có mã (chưa được lưu).")
    _, year, number = split_period_id(report.id)
    due = report.deadline - timedelta(days=1) if report.strict else report.deadline
    if reason is None:
        reason = (
            "Theo thời gian sơ kết, tổng kết đã định"
            if report.kind is PeriodKind.REVIEW
            else "Theo văn bản yêu cầu báo cáo"
        )
    return Period(
        end=report.end,
        start=report.start,
        frequency=None,
        year=year,
        index=number,
        cutoff_start=report.start,
        cutoff_end=report.end,
        due=due,
        cutoff_reason=reason,
        due_text=due_wording(report.deadline, report.strict),
        kind=PeriodKind(report.kind),
        title=report.title,
    )


def periods_for(rules: list[ReportingRule], first_year: int, last_year: int) -> list[Period]:
    """Every calendar period of the rules in [first_year, last_year] (Nghị định 09 windows).

    Not the plan's regime (no start or end, nothing merged): `regime.plan_periods`
    is. When the rules have a yearly report, the second-half report is the
    yearly one (as Vietnamese plans practise: "báo cáo 6 tháng" and "báo cáo năm").
    """
    has_year = any(r.frequency is Frequency.YEAR for r in rules)
    out = []
    for rule in rules:
        for year in range(first_year, last_year + 1):
            for index in range(1, count_in_year(rule.frequency) + 1):
                if rule.frequency is Frequency.HALF and index == 2 and has_year:
                    continue
                out.append(make_period(rule, year, index))
    return sorted(out, key=lambda p: (p.end, -p.months, p.due))


def parse_period_id(
    text: str,
    rules: list[ReportingRule] | None = None,
    ad_hoc: Iterable[AdHocReport] = (),
) -> Period:
    """`2026-Q1` → the period, with the due date from the plan's rule for that frequency.

    An ad-hoc id (`2026-A01`) is looked up in `ad_hoc`, the store's list of
    ad-hoc and review reports. Regular periods get Nghị định 09 windows here;
    `regime.period_of` / `regime.valid_period` apply the plan's regime.
    """
    frequency, year, index = split_period_id(text)
    if frequency is None:
        wanted = text.strip().upper()
        for report in ad_hoc:
            if (report.id or "").upper() == wanted:
                return ad_hoc_period(report)
        raise UserError(
            f"Không có báo cáo đột xuất, sơ kết mã '{wanted}' trong tệp dữ liệu.", "missing"
        )
    rule = next((r for r in rules or [] if r.frequency is frequency), None)
    return make_period(rule or default_rule(frequency), year, index)


def default_rule(frequency: Frequency) -> ReportingRule:
    """Due dates when a plan says nothing: before the 20th of the last month (yearly: 15/12)."""
    if frequency is Frequency.YEAR:
        return ReportingRule(frequency, 15, 0)
    return ReportingRule(frequency, 20, 0)


def current_period(rules: list[ReportingRule], today: date) -> Period | None:
    """The period whose report is the next one due on or after `today` (rules only).

    Among periods due on the same day the longest wins (a yearly report
    includes the last quarter). `regime.current_period` honours the plan's
    start, end and merging.
    """
    if not rules:
        return None
    candidates = [p for p in periods_for(rules, today.year - 1, today.year + 1) if p.due >= today]
    if not candidates:
        return None
    return min(candidates, key=lambda p: (p.due, -p.months))
