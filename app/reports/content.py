"""What a periodic report says, independent of how it is printed.

`build_report` reads the store once and returns plain data: the PDF and the
xlsx renderers (and the package exporter) work from this snapshot only, so
both documents always show the same numbers and rendering needs no database.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from ..models.assessment import Assessment, describe_path, relevant_milestone
from ..models.outgoing_register import IssuedNumber
from ..models.period_progress import period_progress
from ..models.period_states import Correction
from ..models.periods import Period
from ..models.plan import (
    DocumentStyle,
    Indicator,
    IndicatorKind,
    Office,
    PlanInfo,
    Value,
)
from ..models.progress import NarrativeSection, TaskProgress, TaskStatus
from ..models.regime import period_of
from ..models.store import Store
from ..models.task_labels import appendix_of, is_body, several_appendices, task_codes
from ..models.text import fold
from ..models.validation import Completeness, completeness
from ..models.values import format_number, format_target, format_value

# The columns of the report's counts: a self-assessment counts in the band it claims
# (and is marked "Tự đánh giá" in its own row).
ASSESSMENT_ORDER = (
    Assessment.EXCEEDED,
    Assessment.MET,
    Assessment.AHEAD,
    Assessment.ON_TRACK,
    Assessment.BEHIND,
    Assessment.NOT_ASSESSABLE,
    Assessment.NO_DATA,
)
BAND = {
    Assessment.SELF_MET: Assessment.MET,
    Assessment.SELF_NOT_MET: Assessment.BEHIND,
    Assessment.SELF_IN_PROGRESS: Assessment.ON_TRACK,
}
BAND_LABELS = {
    Assessment.EXCEEDED: "Vượt mục tiêu mốc",
    Assessment.MET: "Đạt mục tiêu mốc",
    Assessment.AHEAD: "Vượt lộ trình",
    Assessment.ON_TRACK: "Đúng lộ trình",
    Assessment.BEHIND: "Chậm lộ trình",
    Assessment.NOT_ASSESSABLE: "Không đánh giá được",
    Assessment.NO_DATA: "Chưa có số liệu",
}
STATUS_ORDER = (
    TaskStatus.DONE,
    TaskStatus.IN_PROGRESS,
    TaskStatus.NOT_STARTED,
    TaskStatus.PAUSED,
    TaskStatus.CANCELLED,
    TaskStatus.NOT_REPORTED,
)


@dataclass(frozen=True)
class IndicatorRow:
    """One line of the indicator appendix, with values both raw and as printed."""

    code: str
    name: str
    unit: str
    kind: IndicatorKind
    baseline: str
    milestone: int | None
    target: str
    value: Value | None
    previous: Value | None
    assessment: Assessment
    lead_agency: str
    note: str
    expected: float | None = None  # the value on the path at the end of the data window
    path_text: str = ""  # "Chậm so với lộ trình: 60% (theo lộ trình 70,23%) — mốc 2030: 100%"
    passed: tuple[str, ...] = ()  # "Mốc 2025: chưa đạt — 62% / mục tiêu 65%"
    target_value: float | None = None  # the target's number (a range's low bound)
    target_comparator: str = ""  # "≥", "≤", "=", "khoảng", "đến 90" (a range's top) …

    @property
    def band(self) -> Assessment:
        return BAND.get(self.assessment, self.assessment)

    @property
    def assessment_text(self) -> str:
        return self.assessment.label

    @property
    def value_text(self) -> str:
        return _shown(self.kind, self.value)

    @property
    def previous_text(self) -> str:
        return _shown(self.kind, self.previous)


@dataclass(frozen=True)
class IndicatorGroupRows:
    code: str
    title: str
    rows: list[IndicatorRow]

    def counts(self) -> dict[Assessment, int]:
        return _count(r.band for r in self.rows)


@dataclass(frozen=True)
class TaskRow:
    code: str
    name: str
    lead_agency: str
    partners: str
    output: str
    deadline: str
    status: TaskStatus
    percent: float | None
    result: str  # result and evidence ("Số 12/QĐ-UBND ngày 05/02/2026")
    overdue: bool
    label: str = ""  # where no group is beside it: "4" (one appendix), "PL III – IV.4"


@dataclass(frozen=True)
class TaskGroupRows:
    code: str
    title: str
    rows: list[TaskRow]
    # In a plan of several task appendices: the group's appendix ("III") and its title;
    # `body`: the tasks of an ungrouped appendix, printed under the appendix's heading only
    appendix: str = ""
    appendix_title: str = ""
    body: bool = False

    def counts(self) -> dict[TaskStatus, int]:
        return _count(r.status for r in self.rows)

    @property
    def label(self) -> str:
        """The group in summaries: "IV. Title", "PL III – IV. Title", "PL II. Title"."""
        if not self.appendix:
            return f"{self.code}. {self.title}"
        if self.body:
            return f"PL {self.appendix}. {self.appendix_title or self.title}"
        return f"PL {self.appendix} – {self.code}. {self.title}"

    @property
    def appendix_heading(self) -> str:
        """The row over an appendix's groups in the task tables: "PHỤ LỤC II CỦA KẾ HOẠCH.
        DANH MỤC …" — named as the plan's appendix, since the report's own task table is
        itself "Phụ lục II" of the report."""
        return f"PHỤ LỤC {self.appendix} CỦA KẾ HOẠCH. {self.appendix_title.upper()}".rstrip(". ")

    def starts_appendix(self, before: TaskGroupRows | None) -> bool:
        """Whether a table prints the appendix heading ("PL II", its title) above it."""
        return bool(self.appendix) and (before is None or before.appendix != self.appendix)


def doc_code(office: Office) -> str:
    """The issuing body's code in capitals ("UBND", "TU"); by style when not set."""
    code = (office.doc_code or "").strip()
    if code:
        return code.upper()
    return "ĐU" if office.style is DocumentStyle.PARTY else "UBND"


def register_code(office: Office) -> str:
    """A report's code after its number: "BC-UBND" (NĐ 30) or "BC/TU" (HD 36)."""
    if office.style is DocumentStyle.PARTY:
        return f"BC/{doc_code(office)}"
    return f"BC-{doc_code(office)}"


class Letterhead:
    """The letterhead wording every document of the office prints (report, summary).

    Needs `office` and `today` on the class that mixes it in.
    """

    office: Office
    today: date

    @property
    def style(self) -> DocumentStyle:
        return self.office.style

    @property
    def doc_code(self) -> str:
        return doc_code(self.office)

    @property
    def register_code(self) -> str:
        """What follows the number in the register and on the page: "BC-UBND" or "BC/TU"."""
        return register_code(self.office)

    @property
    def reference(self) -> str | None:
        """ "05/BC-UBND" once the register gave a number (`number`); None before."""
        number = getattr(self, "number", None)
        if number is None:
            return None
        return IssuedNumber(number, self.register_code, self.today).reference

    @property
    def issuing_lines(self) -> list[str]:
        body = self.office.issuing_body or self.office.name
        return [line.strip().upper() for line in body.splitlines() if line.strip()]

    @property
    def date_line(self) -> str:
        """Place and date: "Thống Nhất, ngày 05 tháng 02 năm 2026" (leading zeros per NĐ 30)."""
        d = self.today
        month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
        place = self.office.place or self.office.name
        return f"{place}, ngày {d.day:02d} tháng {month} năm {d.year}"


@dataclass(frozen=True)
class ReportData(Letterhead):
    """Everything both report documents print, as a snapshot taken at `generated_at`."""

    office: Office
    plan: PlanInfo
    period: Period
    previous: Period | None
    today: date
    generated_at: datetime
    indicator_groups: list[IndicatorGroupRows]
    task_groups: list[TaskGroupRows]
    narrative: dict[NarrativeSection, str] = field(default_factory=dict)
    main_milestone: int | None = None
    package_id: str | None = None
    footer_note: str | None = None  # e.g. the signing key's fingerprint
    completeness: Completeness | None = None
    correction: Correction | None = None  # a "báo cáo bổ sung, điều chỉnh"
    as_of: date = date.min  # the earlier of the report's date and its data window's end
    passed_outcomes: tuple[tuple[int, bool], ...] = ()  # (milestone year, attained)
    number: int | None = None  # given by the văn thư from the outgoing register
    replaced: IssuedNumber | None = None  # the report a correction replaces, by its number
    reopen_reason: str | None = None  # why the period was reopened (a correction)

    # -- derived --------------------------------------------------------------------
    @property
    def indicators(self) -> list[IndicatorRow]:
        return [r for g in self.indicator_groups for r in g.rows]

    @property
    def tasks(self) -> list[TaskRow]:
        return [r for g in self.task_groups for r in g.rows]

    @property
    def overdue(self) -> list[TaskRow]:
        return [r for r in self.tasks if r.overdue]

    def assessment_counts(self) -> dict[Assessment, int]:
        """Indicators per band of ASSESSMENT_ORDER (self-assessments in the band they claim)."""
        return _count(r.band for r in self.indicators)

    def passed_counts(self) -> dict[int, tuple[int, int]]:
        """Per passed milestone year: (attained, missed) among indicators with a value."""
        out: dict[int, tuple[int, int]] = {}
        for year, attained in self.passed_outcomes:
            met, missed = out.get(year, (0, 0))
            out[year] = (met + attained, missed + (not attained))
        return out

    @property
    def data_window_line(self) -> str:
        """The dates the figures cover, as the documents state them."""
        start, end = self.period.cutoff_start, self.period.cutoff_end
        return (
            f"Số liệu tính từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}; "
            f"tình hình nhiệm vụ tính đến ngày {self.as_of:%d/%m/%Y}."
        )

    def status_counts(self) -> dict[TaskStatus, int]:
        return _count(r.status for r in self.tasks)

    @property
    def period_phrase(self) -> str:
        """The period as it reads mid-sentence: "quý I năm 2026", "6 tháng đầu năm 2026"."""
        return self.period.title_label

    @property
    def summary(self) -> str:
        """The trích yếu under "BÁO CÁO": short, the plan by its number, then the period.

        The plan's own title is left out (it runs to ten bold lines for some
        plans); the opening sentence names the plan in full.
        """
        return f"Kết quả thực hiện Kế hoạch số {self.plan.number} {self.period_phrase}"

    @property
    def kind_title(self) -> str:
        """The document's kind as its title prints it."""
        return "Báo cáo bổ sung, điều chỉnh" if self.correction is not None else "Báo cáo"

    @property
    def document_title(self) -> str:
        """Title for PDF metadata and file listings."""
        return f"{self.kind_title} kết quả thực hiện Kế hoạch số {self.plan.number} {self.period_phrase}"

    @property
    def office_in_sentence(self) -> str:
        """The office's name inside a sentence: "xã Thống Nhất", not "Xã Thống Nhất"."""
        name = self.office.name.strip()
        for level in ("Xã ", "Phường ", "Thị trấn ", "Đặc khu ", "Thị xã ", "Huyện ", "Tỉnh "):
            if name.startswith(level):
                return level.lower() + name[len(level) :]
        return name

    @property
    def addressee(self) -> str | None:
        """The "Kính gửi" body: the first recipient, when it is a body the report goes to."""
        if not self.office.recipients:
            return None
        first = self.office.recipients[0].strip().rstrip(";.").strip()
        key = fold(first)
        if not first or key.startswith(("luu", "nhu tren")):
            return None
        for suffix in ("(b/c)", "(đề b/c)", "(để b/c)", "(báo cáo)"):
            if first.endswith(suffix):
                first = first[: -len(suffix)].strip()
        return first

    def with_style(self, style: DocumentStyle) -> ReportData:
        """The same report laid out in the other document style (for previews)."""
        return replace(self, office=replace(self.office, style=style))


def _target_parts(target: object) -> tuple[float | None, str]:
    """The target as a number and its comparator, for a sheet that computes the gap."""
    value = getattr(target, "value", None)
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None, ""
    comparator = getattr(target, "comparator", None)
    sign = comparator.symbol if comparator is not None else "đạt"  # the plan says only the value
    if getattr(target, "approximate", False):
        sign = "khoảng"
    high = getattr(target, "high", None)
    if high is not None:
        sign = f"từ … đến {format_number(high)}"
    return float(value), sign


def _count(items: object) -> dict:
    out: dict = {}
    for item in items:  # type: ignore[attr-defined]
        out[item] = out.get(item, 0) + 1
    return out


def _shown(kind: IndicatorKind, value: Value | None) -> str:
    return format_value(Indicator("", "", kind=kind), value)


def _result_text(progress: TaskProgress | None) -> str:
    if progress is None:
        return ""
    parts = [progress.result or ""]
    evidence = progress.evidence_number or ""
    if progress.evidence_date:
        evidence = f"{evidence} ngày {progress.evidence_date:%d/%m/%Y}".strip()
    if evidence:
        parts.append(f"Minh chứng: {evidence}")
    if progress.attachments:
        parts.append("Tệp: " + ", ".join(a.file_name for a in progress.attachments))
    return "\n".join(p for p in parts if p)


def _baseline_text(ind: Indicator) -> str:
    b = ind.baseline
    if b.text:
        text = b.text
    elif b.value is not None:
        text = format_value(ind, b.value)
    else:
        return ""
    return f"{text} ({b.as_of})" if b.as_of and not b.not_assessed else text


def build_report(
    store: Store,
    period_id: str,
    today: date,
    package_id: str | None = None,
    footer_note: str | None = None,
    generated_at: datetime | None = None,
    number: int | None = None,
) -> ReportData:
    """Read everything the report of `period_id` needs from the store.

    `today` is the report's date (the date line, the issue date); overdue is
    judged at the period's end, as the report speaks of the period. `number`
    is the register's number for this document (None: not numbered yet).
    """
    plan = store.plan.load()
    info = store.regime.regime_info()
    period = period_of(info, period_id)
    progress = period_progress(store, period, today, plan)
    previous = progress.previous
    by_indicator = {i.indicator.id: i for i in progress.indicators}
    by_task = {t.task.id: t for t in progress.tasks}
    this_period = store.entries.task_progress(period.id)
    main = relevant_milestone(plan.info.milestones, period.year)
    passed_outcomes: list[tuple[int, bool]] = []

    igroups = []
    for group in plan.indicator_groups:
        rows = []
        for ind in group.indicators:
            item = by_indicator[ind.id]
            path = item.path
            target = format_target(ind, path.target)
            if target and path.milestone is not None and path.milestone != main:
                target = f"{target} (năm {path.milestone})"
            passed = tuple(m.line for m in item.passed if m.value is not None)
            passed_outcomes += [(m.year, m.assessment.attained) for m in item.passed
                                if m.value is not None]  # fmt: skip
            rows.append(
                IndicatorRow(
                    code=ind.code,
                    name=ind.name,
                    unit=ind.unit or "",
                    kind=ind.kind,
                    baseline=_baseline_text(ind),
                    milestone=path.milestone,
                    target=target,
                    value=item.value,
                    previous=item.previous,
                    assessment=path.assessment,
                    lead_agency=ind.lead_agency or "",
                    note=ind.note or "",
                    expected=path.expected,
                    path_text=describe_path(ind, path),
                    passed=passed,
                    target_value=_target_parts(path.target)[0],
                    target_comparator=_target_parts(path.target)[1],
                )
            )
        igroups.append(IndicatorGroupRows(group.code, group.title, rows))

    correction = store.closing.correction_for(period.id)
    replaced = store.register.for_package(period.id, correction.corrects) if correction else None

    tgroups = []
    short = task_codes(plan)
    several = several_appendices(plan)
    for tgroup in plan.task_groups:
        trows = []
        for task in tgroup.tasks:
            state = by_task[task.id]
            entry = this_period.get(task.id or -1)
            trows.append(
                TaskRow(
                    code=task.code,
                    name=task.name,
                    lead_agency=task.lead_agency or "",
                    partners="; ".join(task.partners),
                    output=task.output or "",
                    deadline=task.deadline.text if task.deadline else "",
                    status=state.status,
                    percent=entry.percent if entry else None,
                    result=_result_text(entry),
                    overdue=state.overdue,
                    label=short.get(task.id or -1, task.code),
                )
            )
        appendix = appendix_of(plan, tgroup) if several else None
        tgroups.append(TaskGroupRows(
            tgroup.code, tgroup.title, trows, appendix.code if appendix else "",
            appendix.title if appendix else "", is_body(plan, tgroup),
        ))  # fmt: skip

    return ReportData(
        office=plan.office,
        plan=plan.info,
        period=period,
        previous=previous,
        today=today,
        generated_at=generated_at or datetime.now().astimezone().replace(microsecond=0),
        indicator_groups=igroups,
        task_groups=tgroups,
        narrative=store.entries.narrative(period.id),
        main_milestone=main,
        package_id=package_id,
        footer_note=footer_note,
        completeness=completeness(store.reader, period.id, plan),
        correction=correction,
        as_of=progress.as_of,
        passed_outcomes=tuple(passed_outcomes),
        number=number,
        replaced=replaced,
        reopen_reason=reopen_reason(store, period.id) if correction else None,
    )


def reopen_reason(store: Store, period_id: str) -> str | None:
    """The reason given when the period was last reopened (kept in the audit history)."""
    for entry in store.history(50, table="period_state", row_key=period_id):
        if entry.field == "reason" and entry.new:
            return str(entry.new)
    return None
