"""The action plan: office, indicators with targets per milestone, tasks with deadlines.

Plain dataclasses. Values that the user sees keep the office's wording
(`text` fields) next to the parsed value the program compares with.
"""

from __future__ import annotations

import datetime as _dt  # PlanInfo has a field named `date`
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from .deadline import Deadline
from .measure import Measure, infer_measure


class DocumentStyle(StrEnum):
    STATE = "state"  # Nghị định 30/2020/NĐ-CP
    PARTY = "party"  # Hướng dẫn 36-HD/VPTW

    @property
    def label(self) -> str:
        return {
            "state": "Văn bản hành chính nhà nước (Nghị định 30/2020/NĐ-CP)",
            "party": "Văn bản của Đảng (Hướng dẫn 36-HD/VPTW)",
        }[self.value]


OFFICE_LEVELS = ("xã", "phường", "đặc khu", "thị trấn", "thị xã", "huyện", "tỉnh")


class OfficeMode(StrEnum):
    REPORTING = "reporting"  # Đơn vị báo cáo
    RECEIVING = "receiving"  # Đơn vị tiếp nhận, tổng hợp


class IndicatorKind(StrEnum):
    PERCENT = "percent"
    COUNT = "count"
    RATIO = "ratio"
    INDEX = "index"
    RANK = "rank"
    YES_NO = "yes_no"
    QUALITATIVE = "qualitative"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    IndicatorKind.PERCENT: "Tỷ lệ (%)",
    IndicatorKind.COUNT: "Số lượng",
    IndicatorKind.RATIO: "Số đo, tỷ số",
    IndicatorKind.INDEX: "Chỉ số (0–1)",
    IndicatorKind.RANK: "Thứ hạng",
    IndicatorKind.YES_NO: "Có/Không",
    IndicatorKind.QUALITATIVE: "Định tính",
}


class Direction(StrEnum):
    HIGHER_BETTER = "higher_better"
    LOWER_BETTER = "lower_better"


class Comparator(StrEnum):
    GT = ">"
    GE = ">="
    LT = "<"
    LE = "<="
    EQ = "="

    @property
    def symbol(self) -> str:
        """The sign as printed in Vietnamese plans."""
        return {">": ">", ">=": "≥", "<": "<", "<=": "≤", "=": "="}[self.value]


# A value of an indicator: a number (percent units for percentages), a yes/no
# answer, or text for qualitative indicators.
Value = float | bool | str


@dataclass
class Target:
    """A milestone year's target as the plan writes it.

    `value` is the number (or yes/no answer) to reach; with `high` it is the low
    bound of a range ("80% - 90%": value 80, high 90). `approximate` marks
    "khoảng 50%" (comparator "="). `required` is False when the plan asks for
    nothing that year ("Chưa triển khai", "Chưa yêu cầu" for 2025).
    """

    comparator: Comparator | None = None
    value: float | bool | None = None
    text: str | None = None  # the plan's own wording when numbers do not say it all
    high: float | None = None
    approximate: bool = False
    required: bool = True

    @property
    def is_range(self) -> bool:
        return self.high is not None


@dataclass
class Baseline:
    value: float | bool | None = None
    text: str | None = None
    as_of: str | None = None  # as the plan prints it: "Tháng 3/2025"
    not_assessed: bool = False  # "Chỉ tiêu mới, chưa đánh giá"


@dataclass
class Indicator:
    code: str
    name: str
    unit: str | None = None
    kind: IndicatorKind = IndicatorKind.PERCENT
    direction: Direction = Direction.HIGHER_BETTER
    baseline: Baseline = field(default_factory=Baseline)
    targets: dict[int, Target] = field(default_factory=dict)
    lead_agency: str | None = None
    note: str | None = None
    id: int | None = None
    # None when made: inferred from the name and unit (measure.infer_measure);
    # set it to override the inference.
    measure: Measure | None = None

    def __post_init__(self) -> None:
        if self.measure is None:
            self.measure = infer_measure(self.name, self.unit)
        elif not isinstance(self.measure, Measure):
            self.measure = Measure(self.measure)


@dataclass
class IndicatorGroup:
    code: str
    title: str
    indicators: list[Indicator] = field(default_factory=list)
    id: int | None = None


@dataclass
class Task:
    code: str
    name: str
    lead_agency: str | None = None
    partners: list[str] = field(default_factory=list)
    output: str | None = None
    deadline: Deadline | None = None
    note: str | None = None
    id: int | None = None


@dataclass
class TaskGroup:
    """A group of tasks ("IV. Phát triển hạ tầng số") within its task appendix.

    `appendix` is the code of the appendix it belongs to ("III"; "" in a plan of
    one appendix). An ungrouped appendix keeps its tasks in one group with an
    empty code, its body, that is never shown as a group (see task_labels)."""

    code: str
    title: str
    tasks: list[Task] = field(default_factory=list)
    id: int | None = None
    appendix: str = ""


@dataclass(frozen=True)
class TaskAppendix:
    """A task appendix of the plan ("Phụ lục II", "Danh mục các nhiệm vụ …"): its own code
    space, so task 4 of Phụ lục II and task IV.4 of Phụ lục III are different tasks."""

    code: str  # the roman numeral: "II", "III"
    title: str


@dataclass
class Office:
    name: str
    level: str = "xã"  # xã | phường | đặc khu | thị xã | tỉnh …
    province: str | None = None
    parent_body: str | None = None  # letterhead line above the issuing body
    issuing_body: str | None = None  # "ỦY BAN NHÂN DÂN XÃ THỐNG NHẤT"
    style: DocumentStyle = DocumentStyle.STATE
    place: str | None = None  # place name of the date line
    doc_code: str | None = None  # "UBND" → "Số: 05/BC-UBND"
    signer_name: str | None = None
    signer_title: str | None = None  # "PHÓ CHỦ TỊCH"
    signer_authority: str | None = None  # "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH"
    recipients: list[str] = field(default_factory=list)
    mode: OfficeMode = OfficeMode.REPORTING


class Frequency(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"

    @property
    def label(self) -> str:
        return {
            "month": "Hằng tháng",
            "quarter": "Hằng quý",
            "half": "6 tháng",
            "year": "Hằng năm",
        }[self.value]

    @property
    def months(self) -> int:
        """Length of one period in months: a longer report can take in a shorter one."""
        return {"month": 1, "quarter": 3, "half": 6, "year": 12}[self.value]


@dataclass
class ReportingRule:
    """One reporting frequency of the plan and when its report is due.

    The plan's date is day `due_day` of the month `due_month_offset` months
    after the last month of the period: Bỉm Sơn's quarterly report "trước ngày
    20 tháng cuối của quý" is (20, 0); its yearly report "trước ngày 25/11" is
    (25, -1). `strict` says how the plan wrote it: "trước ngày D" (True: the
    last on-time day is D − 1) or "chậm nhất ngày D" (False: D itself). A
    period's `due` is always the last on-time day; `due_text` keeps the wording.
    """

    frequency: Frequency
    due_day: int = 20
    due_month_offset: int = 0
    strict: bool = True

    @property
    def wording(self) -> str:
        """What precedes the date in the plan: "trước ngày" or "chậm nhất ngày"."""
        return "trước ngày" if self.strict else "chậm nhất ngày"


class CutoffPolicy(StrEnum):
    """How the end of a period's data window (thời gian chốt số liệu) is chosen.

    AUTO: Nghị định 09/2019/NĐ-CP for state plans, BEFORE_DUE for Party plans.
    DECREE_09: the Decree's windows, except a period whose Decree cut-off does
    not end before the last on-time day: that one ends BEFORE_DUE.
    BEFORE_DUE: every window ends `cutoff_lead_days` before the last on-time day
    (never after the period's own last day).
    """

    AUTO = "auto"
    DECREE_09 = "decree_09"
    BEFORE_DUE = "before_due"

    @property
    def label(self) -> str:
        return {
            "auto": "Tự động (Nghị định 09 với văn bản chính quyền, trước hạn nộp với văn bản Đảng)",
            "decree_09": "Theo Nghị định 09/2019/NĐ-CP",
            "before_due": "Trước hạn nộp báo cáo",
        }[self.value]


class PeriodKind(StrEnum):
    REGULAR = "regular"  # định kỳ, from a ReportingRule
    AD_HOC = "ad_hoc"  # đột xuất, theo yêu cầu (a công văn asks for it)
    REVIEW = "review"  # sơ kết 6 tháng, 1 năm, giữa nhiệm kỳ, tổng kết cuối nhiệm kỳ

    @property
    def label(self) -> str:
        return {
            "regular": "Báo cáo định kỳ",
            "ad_hoc": "Báo cáo đột xuất, theo yêu cầu",
            "review": "Báo cáo sơ kết, tổng kết",
        }[self.value]


DEFAULT_CUTOFF_LEAD_DAYS = 5  # data window ends 5 days before the last on-time day


@dataclass
class AdHocReport:
    """A report the secretary adds to the regime: đột xuất or sơ kết/tổng kết.

    `start`–`end` is its data window, `deadline` the date the request writes,
    `strict` as in ReportingRule ("trước ngày" → last on-time day deadline − 1).
    `id` ("2026-A01": the year of `end` at creation and a number) is given by
    the store and never changes.
    """

    kind: PeriodKind
    title: str
    start: date
    end: date
    deadline: date
    strict: bool = True
    id: str | None = None


@dataclass
class PlanInfo:
    number: str
    title: str
    date: date | None = None
    issuer: str | None = None
    milestones: list[int] = field(default_factory=list)
    reporting: list[ReportingRule] = field(default_factory=list)
    # -- the reporting regime beyond its rules (see regime.py) --
    start: _dt.date | None = None  # first day of the plan; None: the plan's date
    end: _dt.date | None = None  # last day (Phước Long's one-year plan: 31/12/2026); None: open
    merge_shorter: bool = True  # Q2 goes into H1, Q4 into the yearly report
    cutoff_policy: CutoffPolicy = CutoffPolicy.AUTO
    cutoff_lead_days: int = DEFAULT_CUTOFF_LEAD_DAYS
    style: DocumentStyle | None = None  # the plan's document kind; None: from its number
    ad_hoc: list[AdHocReport] = field(default_factory=list)  # kept in their own table


class RuleKind(StrEnum):
    """User validation rules of an indicator (the kind checks are built in, not stored)."""

    RANGE = "range"  # an allowed minimum and/or maximum
    NO_DECREASE = "no_decrease"  # cumulative: never below the previous period's value
    COMPARE = "compare"  # this indicator <comparator> another of the same period
    OUTLIER = "outlier"  # this indicator's own outlier share (instead of the plan's)

    @property
    def label(self) -> str:
        return {
            "range": "Giới hạn nhỏ nhất/lớn nhất",
            "no_decrease": "Không được giảm so với kỳ trước",
            "compare": "So sánh với chỉ tiêu khác",
            "outlier": "Ngưỡng biến động bất thường",
        }[self.value]


class Severity(StrEnum):
    ERROR = "error"  # refused at entry
    WARNING = "warning"  # kept, but explained in the value's note before closing

    @property
    def label(self) -> str:
        return {"error": "Lỗi", "warning": "Cảnh báo"}[self.value]


DEFAULT_OUTLIER_SHARE = 0.5  # a move of more than 50 % from the previous period
# "On the path" within this share of the step from the previous point to the next
# target (assessment.py); the plan may set its own (Cài đặt, plan JSON).
DEFAULT_PATH_TOLERANCE = 0.05
MAX_PATH_TOLERANCE = 0.5  # beyond half the step "on the path" would say nothing


@dataclass
class ValidationRule:
    """One user rule on an indicator. In JSON indicators are named by code; in the
    store by id (both are filled when a plan is loaded from a data file)."""

    indicator: str
    kind: RuleKind
    severity: Severity = Severity.WARNING
    minimum: float | None = None
    maximum: float | None = None
    other: str | None = None  # code of the indicator compared with (COMPARE)
    comparator: Comparator | None = None  # this <comparator> other (COMPARE)
    share: float | None = None  # OUTLIER: 0.3 flags a move of more than 30 %
    id: int | None = None
    indicator_id: int | None = None
    other_id: int | None = None


@dataclass
class Plan:
    office: Office
    info: PlanInfo
    indicator_groups: list[IndicatorGroup] = field(default_factory=list)
    task_groups: list[TaskGroup] = field(default_factory=list)
    rules: list[ValidationRule] = field(default_factory=list)
    outlier_share: float = DEFAULT_OUTLIER_SHARE
    path_tolerance: float = DEFAULT_PATH_TOLERANCE
    # the agencies reporting to the office (agency.Agency); typed loosely: plan.py is below it
    agencies: list = field(default_factory=list)
    # ("indicator" | "task", id) of archived items: hidden from periods holding none of
    # their entries (new ones), kept in the periods that report them
    archived: frozenset[tuple[str, int]] = frozenset()
    # the task appendices in order; empty (or one): the plan has one task appendix and
    # its tasks are printed and keyed as before appendices existed ("IV.4")
    task_appendices: list[TaskAppendix] = field(default_factory=list)

    def for_period(self, indicator_ids: set[int], task_ids: set[int]) -> Plan:
        """The plan one period reports: without archived items that period has no entry for
        (its `archived` is empty: filtering it again changes nothing)."""
        if not self.archived:
            return self

        def keep(table: str, item_id: int | None, entered: set[int]) -> bool:
            return (table, item_id) not in self.archived or item_id in entered

        return replace(
            self,
            indicator_groups=[
                replace(g, indicators=[i for i in g.indicators
                                       if keep("indicator", i.id, indicator_ids)])
                for g in self.indicator_groups
            ],
            task_groups=[
                replace(g, tasks=[t for t in g.tasks if keep("task", t.id, task_ids)])
                for g in self.task_groups
            ],
            archived=frozenset(),  # the period's own plan: nothing more to hide
        )  # fmt: skip

    def indicators(self) -> list[Indicator]:
        return [i for g in self.indicator_groups for i in g.indicators]

    def tasks(self) -> list[Task]:
        return [t for g in self.task_groups for t in g.tasks]
