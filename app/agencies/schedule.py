"""When the agencies owe their figures for a period, besides the office's own due date.

The plans date the agencies' reports ("trước ngày 10/6 và 05/12", "trước ngày
20 của tháng cuối quý"); the office consolidates and reports upward after.
By default the agencies' date is the regime's date of the period (what the
plan writes); a rule per frequency (`store.agencies.set_due_rule`) or a date
for one period (`set_period_due`) sets it apart from the office's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..models.periods import Period, count_in_year, due_dates, due_wording, period_id
from ..models.plan import Frequency, ReportingRule
from ..models.store import Store


@dataclass(frozen=True)
class AgencyDue:
    due: date  # the last on-time day for the agencies
    text: str  # "trước ngày 10/06/2026"
    office_due: date  # the office's own last on-time day upward
    office_text: str


def agency_due(store: Store, period: Period) -> AgencyDue:
    """The agencies' due date of `period`: set for the period, else by rule, else the plan's."""
    own = store.agencies.period_due(period.id)
    if own is not None:
        last, text = own, f"chậm nhất ngày {own:%d/%m/%Y}"
    else:
        rule = next(
            (r for r in store.agencies.due_rules() if r.frequency == period.frequency), None
        )
        if rule is not None and period.frequency is not None:
            written, last = due_dates(rule, period.year, period.index)
            text = due_wording(written, rule.strict)
        else:
            last, text = period.due, period.due_text or f"chậm nhất ngày {period.due:%d/%m/%Y}"
    return AgencyDue(last, text, period.due, period.due_text)


@dataclass(frozen=True)
class YearDates:
    """Cài đặt's line of one frequency: the office's dates upward and the agencies' dates."""

    frequency: Frequency
    office: str  # "trước ngày 20/06 và 20/12/2026"
    agencies: str  # "trước ngày 10/06 và 10/12/2026"
    own_rule: ReportingRule | None  # the agencies' rule when set apart from the office's


def year_dates(store: Store, year: int) -> list[YearDates]:
    """For each frequency of the plan's regime, both due dates of the year's periods
    (a period's own agency date, set on the agencies page, included)."""
    own = {r.frequency: r for r in store.agencies.due_rules()}
    out = []
    for rule in store.regime.regime_info().reporting:
        f = rule.frequency
        dues = [agency_due(store, store.period(period_id(f, year, i)))
                for i in range(1, count_in_year(f) + 1)]  # fmt: skip
        out.append(YearDates(f, compact([d.office_text for d in dues], year),
                             compact([d.text for d in dues], year), own.get(f)))  # fmt: skip
    return out


def compact(texts: list[str], year: int) -> str:
    """ "trước ngày 10/06/2026", "trước ngày 10/12/2026" → "trước ngày 10/06 và 10/12/2026";
    wordings that differ stay whole, joined by "; "."""
    split = [t.rsplit(" ", 1) for t in texts]
    words = {w for w, _ in split}
    if len(words) != 1 or not all(d.endswith(f"/{year}") for _, d in split):
        return "; ".join(texts)
    days = [d.removesuffix(f"/{year}") for _, d in split]
    shown = days[0] if len(days) == 1 else ", ".join(days[:-1]) + " và " + days[-1]
    return f"{words.pop()} {shown}/{year}"
