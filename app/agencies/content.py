"""What each agency's form asks for a period, read from the data file once for all forms.

An agency's form lists the indicators and tasks it leads and the tasks it
partners on, with the milestone's target, the value the path expects at the
end of the data window and the previous report's value or status
(period_progress, so a form says what the report will say).
"""

from __future__ import annotations

from ..models.agency import Agency, Role
from ..models.assessment import assess_path, next_milestone
from ..models.period_progress import PeriodProgress, period_progress
from ..models.periods import Period
from ..models.plan import Indicator, Plan
from ..models.store import Store
from .forms import FormContent, IndicatorLine, TaskLine, indicator_line
from .schedule import agency_due


class PeriodForms:
    """The lines of every form of one period, built once (30 forms cost one read)."""

    def __init__(self, store: Store, period: Period) -> None:
        self.store = store
        self.period = period
        self.plan: Plan = store.plan.load()
        self.due = agency_due(store, period)
        progress = period_progress(store, period, self.due.due, self.plan)
        previous: PeriodProgress | None = None
        if progress.previous is not None:
            previous = period_progress(store, progress.previous, progress.previous.due, self.plan)
        before = {s.task.id: s.status for s in previous.tasks} if previous else {}
        self.indicator_lines: dict[int, IndicatorLine] = {}
        self.milestones: dict[int, int] = {}
        for item in progress.indicators:
            ind = item.indicator
            assert ind.id is not None
            upcoming = next_milestone(ind, period.cutoff_end)
            year, target = (item.path.milestone, item.path.target)
            if target is None and upcoming is not None:
                year, target = upcoming
            expected = item.path.expected
            if expected is None and item.value is None:
                expected = self._expected(ind)
            self.indicator_lines[ind.id] = indicator_line(
                ind, target, expected, item.previous, year
            )
            if year:
                self.milestones[ind.id] = year
        self.task_lines: dict[int, TaskLine] = {}
        for state in progress.tasks:
            assert state.task.id is not None
            status = before.get(state.task.id)
            shown = status.label if status is not None else ""
            self.task_lines[state.task.id] = TaskLine(
                state.key or f"{state.group}.{state.task.code}", state.task, shown
            )
        self.agencies = {a.id: a for a in store.agencies.all()}
        self.indicator_links = store.agencies.links("indicator")
        self.task_links = store.agencies.links("task")

    def _expected(self, ind: Indicator) -> float | None:
        """The path's value at the end of the data window before anything is entered:
        the path does not depend on the value judged, so the baseline stands in for it."""
        start = ind.baseline.value
        if isinstance(start, bool) or not isinstance(start, int | float):
            return None
        period = self.period
        path = assess_path(ind, float(start), period.cutoff_end, plan_date=self.plan.info.date,
                           yearly=period.frequency is not None and period.months == 12)  # fmt: skip
        return path.expected

    @property
    def send_to(self) -> str:
        return self.plan.office.name

    def content(self, agency: Agency) -> FormContent:
        c = FormContent(self.plan, self.period, agency, self.due.text, self.send_to)
        for link in self.indicator_links:
            if link.agency_id == agency.id and link.role is Role.LEAD:
                c.indicators.append(self.indicator_lines[link.item_id])
        leads = {lk.item_id: lk.agency_id for lk in self.task_links if lk.role is Role.LEAD}
        for link in self.task_links:
            if link.agency_id != agency.id:
                continue
            line = self.task_lines[link.item_id]
            if link.role is Role.LEAD:
                c.tasks.append(line)
            else:
                lead = self.agencies.get(leads.get(link.item_id))
                name = lead.short_name if lead else (line.task.lead_agency or "")
                c.partner_tasks.append(TaskLine(line.key, line.task, line.previous_status, name))
        c.milestone = self._milestone(c.indicators)
        return c

    def whole_period(self) -> FormContent:
        """The secretary's sheet: every indicator and task of the period (`period sheet`)."""
        c = FormContent(self.plan, self.period, None, self.due.office_text, self.send_to)
        c.indicators = list(self.indicator_lines.values())
        c.tasks = list(self.task_lines.values())
        c.milestone = self._milestone(c.indicators)
        return c

    def _milestone(self, lines: list[IndicatorLine]) -> int | None:
        years = {self.milestones.get(x.indicator.id or -1) for x in lines} - {None}
        return years.pop() if len(years) == 1 else None
