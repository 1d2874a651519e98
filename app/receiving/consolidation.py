"""The consolidated figures of one period, from the accepted packages only.

Offices may follow different plans. Each office's indicators are matched to
a reference list — the receiving office's own plan when it has one, else the
plan of the first office whose package was received — by code and name
together, else by name alone (accents and case ignored, `fold`). An
indicator that matches nothing is listed as unmatched with its value, never
dropped silently. Targets and the path assessment are each office's own: an office is
judged against its plan, as its own report judges it.

Plans are parsed once per distinct plan (packages carry a hash of their plan
part), so hundreds of offices on the same plan cost one parse.
"""

from __future__ import annotations

import gc
import json
import statistics
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, cast

from ..models.assessment import Assessment, PathAssessment, assess_path, self_assessment_of
from ..models.errors import UserError
from ..models.periods import Period, parse_period_id
from ..models.plan import Indicator, IndicatorKind, Office, Plan, Target, Value
from ..models.plan_json import plan_from_json
from ..models.progress import TaskStatus
from ..models.regime import period_of
from ..models.task_labels import task_codes, task_keys
from ..models.text import fold
from ..models.tracking import TaskState, task_states
from ..models.values import format_target
from .matrix import Matrix, build_matrix
from .store import ReceivedPackage, Receiving, ReportingOffice


@dataclass(frozen=True)
class RefIndicator:
    position: int
    group_code: str
    group_title: str
    code: str
    name: str
    unit: str
    kind: IndicatorKind


@dataclass(frozen=True)
class OfficeValue:
    office: ReportingOffice
    value: Value | None
    target: Target | None
    target_text: str
    assessment: Assessment  # on the office's own path to its next milestone


@dataclass
class IndicatorSummary:
    ref: RefIndicator
    values: dict[int, OfficeValue] = field(default_factory=dict)  # by office id

    @property
    def reported(self) -> int:
        return sum(1 for v in self.values.values() if v.value is not None)

    @property
    def met(self) -> int:
        """Offices that met or exceeded their own target for this indicator."""
        return sum(1 for v in self.values.values() if v.assessment.favourable)

    @cached_property
    def numbers(self) -> list[float]:
        return [float(v.value) for v in self.values.values()
                if isinstance(v.value, int | float) and not isinstance(v.value, bool)]  # fmt: skip

    @property
    def minimum(self) -> float | None:
        return min(self.numbers) if self.numbers else None

    @property
    def median(self) -> float | None:
        return statistics.median(self.numbers) if self.numbers else None

    @property
    def maximum(self) -> float | None:
        return max(self.numbers) if self.numbers else None


@dataclass(frozen=True)
class UnmatchedIndicator:
    office: ReportingOffice
    code: str
    name: str
    value: Value | None
    unit: str = ""  # the office's unit: a value without it means nothing
    kind: IndicatorKind | None = None


@dataclass(frozen=True)
class OverdueTask:
    office: ReportingOffice
    code: str
    name: str
    deadline: str
    status: str
    lead_agency: str


@dataclass
class Consolidation:
    period: Period
    receiving_office: Office
    reference_source: str
    offices: list[ReportingOffice]
    reported: list[tuple[ReportingOffice, ReceivedPackage]]
    groups: list[tuple[str, str, list[IndicatorSummary]]]
    unmatched: list[UnmatchedIndicator]
    overdue: list[OverdueTask]
    matrix: Matrix

    @property
    def indicators(self) -> list[IndicatorSummary]:
        return [s for _, _, rows in self.groups for s in rows]


@dataclass
class _ParsedPlan:
    plan: Plan
    indicators: dict[int, tuple[Indicator, int | None]]  # data id -> (indicator, ref position)
    periods: dict[str, Period] = field(default_factory=dict)  # the plan's own, by id

    @cached_property
    def task_codes(self) -> dict[int, str]:
        """ "PL II – 4" in a plan of several appendices: the same for every office on it."""
        return task_codes(self.plan)

    @cached_property
    def task_keys(self) -> dict[int, str]:
        """ "IV.4" (".4" in a group without a code), "PL III – IV.4" with several
        appendices: the open-data key of each task, the same for every office on it."""
        return task_keys(self.plan)

    def period(self, period_id: str) -> Period:
        """The period under the plan's own regime (its data window and due date), worked
        out once per plan rather than once per office."""
        found = self.periods.get(period_id)
        if found is None:
            try:
                found = period_of(self.plan.info, period_id)
            except UserError:
                found = parse_period_id(period_id, self.plan.info.reporting)
            self.periods[period_id] = found
        return found


def _parse_plan(data: dict[str, Any], index: _RefIndex) -> _ParsedPlan:
    """The office's plan with the ids its values refer to, matched to the reference list."""
    plan = plan_from_json(data)
    raw_inds = [i for g in data.get("indicator_groups", []) for i in g.get("indicators", [])]
    raw_tasks = [t for g in data.get("task_groups", []) for t in g.get("tasks", [])]
    indicators = {}
    for raw, ind in zip(raw_inds, plan.indicators(), strict=True):
        ind.id = raw.get("id")
        if ind.id is not None:
            indicators[ind.id] = (ind, index.match(ind.code, ind.name))
    for raw, task in zip(raw_tasks, plan.tasks(), strict=True):
        task.id = raw.get("id")
    return _ParsedPlan(plan, indicators)


class _RefIndex:
    def __init__(self, refs: list[RefIndicator]) -> None:
        self.refs = refs
        self.both = {(fold(r.code), fold(r.name)): r.position for r in refs}
        names: dict[str, list[int]] = {}
        for r in refs:
            names.setdefault(fold(r.name), []).append(r.position)
        self.names = {k: v[0] for k, v in names.items() if len(v) == 1}

    def match(self, code: str, name: str) -> int | None:
        hit = self.both.get((fold(code), fold(name)))
        return hit if hit is not None else self.names.get(fold(name))


@dataclass
class OfficeReport:
    """One accepted package of a period with the office's own plan and period (its data
    window and due date under its own regime): what every consolidated output reads."""

    office: ReportingOffice
    package: ReceivedPackage
    period: Period
    plan: _ParsedPlan
    data: dict[str, Any]

    def values(self) -> dict[int, Value | None]:
        return {v["indicator_id"]: v.get("value") for v in self.data.get("values", [])}

    def statuses(self) -> dict[int, TaskStatus]:
        return {p["task_id"]: TaskStatus(p["status"]) for p in self.data.get("progress", [])}

    def path(self, ind: Indicator, value: Value | None) -> PathAssessment:
        """The indicator on the office's own path, at the end of its data window; a
        qualitative one as the office judged it ("Đạt", "Chưa đạt", "Đang thực hiện")."""
        plan = self.plan.plan
        return assess_path(ind, value, self.period.cutoff_end, plan_date=plan.info.date,
                           yearly=self.period.frequency is not None and self.period.months == 12,
                           tolerance_share=plan.path_tolerance,
                           self_assessment=self_assessment_of(ind, value))  # fmt: skip

    def task_states(self, statuses: dict[int, TaskStatus] | None = None) -> list[TaskState]:
        """Each task's state at the end of the office's data window: what its report says
        is overdue, the same day for the consolidation and the open-data exports."""
        if statuses is None:
            statuses = self.statuses()
        return task_states(self.plan.plan, statuses, self.period.cutoff_end)


def office_reports(
    receiving: Receiving, period_id: str, index: _RefIndex
) -> Iterator[OfficeReport]:
    """Each accepted package of the period, in office order; its plan parsed once per distinct
    plan. A schema-valid but unusable plan gives no report (the package stays listed)."""
    offices = {o.id: o for o in receiving.offices()}
    plans: dict[str, _ParsedPlan | None] = {}
    for package, plan_sha, blob in receiving.accepted(period_id):
        office = offices.get(package.office_id or -1)
        if office is None:
            continue
        raw = zlib.decompress(blob)
        if plan_sha in plans and plan_sha.startswith("b:"):
            data = _period_part(raw)  # the plan is parsed already: only this period's part
        else:
            data = json.loads(raw)
        if plan_sha not in plans:
            try:
                plans[plan_sha] = _parse_plan(data, index)
            except UserError:
                plans[plan_sha] = None
        parsed = plans[plan_sha]
        if parsed is None:
            continue
        # the office's own regime: its data window and due date
        yield OfficeReport(office, package, parsed.period(period_id), parsed, data)


def _period_part(raw: bytes) -> dict[str, Any]:
    """data.json from `"data_format"` on (values, progress, …), without the plan before it.

    A plan hash starting "b:" (ingest_check.plan_sha) says the exporter's layout: top-level
    keys one per line, the plan's keys before `"data_format"`, so the rest is one object.
    """
    end = raw.find(b'\n "data_format": ')
    if end < 0:
        return cast(dict[str, Any], json.loads(raw))
    return cast(dict[str, Any], json.loads(b"{" + raw[end + 1 :]))


def reference_indicators(receiving: Receiving) -> tuple[list[RefIndicator], str]:
    """The reference list and where it comes from (for the workbook's notes)."""
    plan = receiving.store.plan.load()
    source = "kế hoạch của đơn vị tiếp nhận"
    if not plan.indicators():
        first = receiving.first_valid()
        if first is None:
            return [], "chưa có gói báo cáo hợp lệ nào"
        plan = plan_from_json(first[1])
        source = f"kế hoạch của {first[0].office_name} (đơn vị gửi báo cáo đầu tiên)"
    refs, position = [], 0
    for group in plan.indicator_groups:
        for ind in group.indicators:
            refs.append(RefIndicator(position, group.code, group.title, ind.code, ind.name,
                                     ind.unit or "", ind.kind))  # fmt: skip
            position += 1
    return refs, source


def consolidate(receiving: Receiving, period_id: str) -> Consolidation:
    """Everything the consolidated workbook and PDF show for `period_id`.

    The cyclic garbage collector is paused meanwhile: hundreds of decoded
    data.json trees are created and dropped, none of them cyclic.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _consolidate(receiving, period_id)
    finally:
        if enabled:
            gc.enable()


def _period(receiving: Receiving, period_id: str) -> Period:
    """The period the consolidation is of: a regular id stands on its own; an ad-hoc or
    review report (2026-A01) is the one the reporting offices' plans created — its
    title and data window are read from the first accepted package that has it."""
    try:
        return parse_period_id(period_id)
    except UserError:
        for _package, _sha, blob in receiving.accepted(period_id):
            try:
                return period_of(plan_from_json(json.loads(zlib.decompress(blob))).info, period_id)
            except (UserError, ValueError):
                continue
        raise UserError(
            f"Chưa nhận gói báo cáo hợp lệ nào của báo cáo '{period_id}', chưa tổng hợp được."
        ) from None


def _consolidate(receiving: Receiving, period_id: str) -> Consolidation:
    period = _period(receiving, period_id)
    refs, source = reference_indicators(receiving)
    index = _RefIndex(refs)
    summaries = [IndicatorSummary(r) for r in refs]
    offices = {o.id: o for o in receiving.offices()}
    reported, unmatched, overdue = [], [], []
    for report in office_reports(receiving, period_id, index):
        office, parsed = report.office, report.plan
        reported.append((office, report.package))
        values = report.values()
        for iid, (ind, position) in parsed.indicators.items():
            value = values.get(iid)
            if position is None:
                if value is not None:
                    unmatched.append(UnmatchedIndicator(office, ind.code, ind.name, value,
                                                         ind.unit or "", ind.kind))  # fmt: skip
                continue
            path = report.path(ind, value)
            summaries[position].values[office.id] = OfficeValue(
                office, value, path.target, format_target(ind, path.target), path.assessment
            )
        statuses = report.statuses()
        codes = parsed.task_codes  # "PL II – 4" in a plan of several appendices
        for state in report.task_states(statuses):
            if state.overdue:
                task = state.task
                label = state.status.label if task.id in statuses else "Chưa cập nhật"
                overdue.append(OverdueTask(office, codes.get(task.id or -1, task.code), task.name,
                                           task.deadline.text if task.deadline else "",
                                           label, task.lead_agency or ""))  # fmt: skip
    groups: list[tuple[str, str, list[IndicatorSummary]]] = []
    for summary in summaries:
        ref = summary.ref
        if not groups or groups[-1][:2] != (ref.group_code, ref.group_title):
            groups.append((ref.group_code, ref.group_title, []))
        groups[-1][2].append(summary)
    order = {office_id: i for i, office_id in enumerate(offices)}
    reported.sort(key=lambda pair: order[pair[0].id])
    return Consolidation(
        period=period,
        receiving_office=receiving.store.plan.office(),
        reference_source=source,
        offices=list(offices.values()),
        reported=reported,
        groups=groups,
        unmatched=unmatched,
        overdue=overdue,
        matrix=build_matrix(receiving, [*receiving.period_ids(), period.id]),
    )
