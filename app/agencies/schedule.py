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

from ..models.periods import Period, due_dates, due_wording
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
