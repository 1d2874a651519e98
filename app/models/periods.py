"""Reporting periods from the plan's regime, with Nghị định 09/2019 data cut-offs.

Period ids are stable strings used in file names, the CLI and packages:
`2026-M03`, `2026-Q1`, `2026-H1`, `2026-Y`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from .errors import UserError
from .plan import Frequency, ReportingRule
from .text import roman

_ID = re.compile(r"^(\d{4})-(?:M(\d{2})|Q([1-4])|H([12])|Y)$")


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period: what it covers, its data cut-off window and due date."""

    end: date
    start: date
    frequency: Frequency
    year: int
    index: int  # month 1–12, quarter 1–4, half 1–2, year 1
    cutoff_start: date
    cutoff_end: date
    due: date

    @property
    def id(self) -> str:
        return period_id(self.frequency, self.year, self.index)

    @property
    def label(self) -> str:
        """Vietnamese name of the period as a report title uses it."""
        f, y, i = self.frequency, self.year, self.index
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


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    total = year * 12 + (month - 1) + delta
    return total // 12, total % 12 + 1


def _day(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _span(frequency: Frequency, year: int, index: int) -> tuple[int, int]:
    """First and last month of the period."""
    if frequency is Frequency.MONTH:
        return index, index
    if frequency is Frequency.QUARTER:
        return 3 * index - 2, 3 * index
    if frequency is Frequency.HALF:
        return (1, 6) if index == 1 else (7, 12)
    return 1, 12


def make_period(rule: ReportingRule, year: int, index: int) -> Period:
    """Build a period; cut-off per Nghị định 09/2019: the 15th of the month
    before the period's first month to the 14th of its last month."""
    first, last = _span(rule.frequency, year, index)
    cy, cm = _shift_month(year, first, -1)
    dy, dm = _shift_month(year, last, rule.due_month_offset)
    return Period(
        end=_day(year, last, 31),
        start=date(year, first, 1),
        frequency=rule.frequency,
        year=year,
        index=index,
        cutoff_start=date(cy, cm, 15),
        cutoff_end=date(year, last, 14),
        due=_day(dy, dm, rule.due_day),
    )


def _count(frequency: Frequency) -> int:
    return {Frequency.MONTH: 12, Frequency.QUARTER: 4, Frequency.HALF: 2, Frequency.YEAR: 1}[
        frequency
    ]


def periods_for(rules: list[ReportingRule], first_year: int, last_year: int) -> list[Period]:
    """All periods of the regime in [first_year, last_year], ordered by end then length.

    When the regime has a yearly report, the second-half report is the yearly
    one (as Vietnamese plans practise: "báo cáo 6 tháng" and "báo cáo năm").
    """
    has_year = any(r.frequency is Frequency.YEAR for r in rules)
    out = []
    for rule in rules:
        for year in range(first_year, last_year + 1):
            for index in range(1, _count(rule.frequency) + 1):
                if rule.frequency is Frequency.HALF and index == 2 and has_year:
                    continue
                out.append(make_period(rule, year, index))
    return sorted(out, key=lambda p: (p.end, -(p.end - p.start).days, p.due))


def parse_period_id(text: str, rules: list[ReportingRule] | None = None) -> Period:
    """`2026-Q1` → the period, with the due date from the plan's rule for that frequency."""
    m = _ID.match(text.strip().upper())
    if not m:
        raise UserError(
            f"Mã kỳ báo cáo '{text}' không hợp lệ. Dạng đúng: 2026-M03, 2026-Q1, 2026-H1, 2026-Y."
        )
    year = int(m[1])
    if m[2]:
        frequency, index = Frequency.MONTH, int(m[2])
        if not 1 <= index <= 12:
            raise UserError(f"Mã kỳ báo cáo '{text}': tháng phải từ 01 đến 12.")
    elif m[3]:
        frequency, index = Frequency.QUARTER, int(m[3])
    elif m[4]:
        frequency, index = Frequency.HALF, int(m[4])
    else:
        frequency, index = Frequency.YEAR, 1
    rule = next((r for r in rules or [] if r.frequency is frequency), None)
    return make_period(rule or default_rule(frequency), year, index)


def default_rule(frequency: Frequency) -> ReportingRule:
    """Due dates when a plan says nothing: the 20th of the last month (yearly: 15/12)."""
    if frequency is Frequency.YEAR:
        return ReportingRule(frequency, 15, 0)
    return ReportingRule(frequency, 20, 0)


def current_period(rules: list[ReportingRule], today: date) -> Period | None:
    """The period whose report is the next one due on or after `today`.

    Among periods due on the same day the longest wins (a yearly report
    includes the last quarter).
    """
    if not rules:
        return None
    candidates = [p for p in periods_for(rules, today.year - 1, today.year + 1) if p.due >= today]
    if not candidates:
        return None
    return min(candidates, key=lambda p: (p.due, -(p.end - p.start).days))
