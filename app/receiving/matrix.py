"""The completeness matrix: every reporting office × every period, one state per cell.

A cell is *on time* or *late* by the office's first valid package for the
period (a later correction does not make a report that came in time late,
nor a late one on time); *rejected* when only refused packages arrived; *missing* when nothing did
and the office owes that report under its own regime; and *not due* ("không
thuộc kỳ báo cáo") when its regime has no such report (a 6-monthly office in
a quarter's column; a quarter merged into the half-year report). An office
whose regime is not known yet (no valid package) owes every period. Timeliness is judged by the package's creation
time (signed inside the package, in the office's own time zone) against the
due date of the office's own reporting regime, carried in its data.json —
not by when the province happened to copy it off a USB stick.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from ..models.errors import UserError
from ..models.periods import parse_period_id
from ..models.plan import PlanInfo
from ..models.text import shown_date
from .store import PackageStatus, ReceivedPackage, Receiving, ReportingOffice


class CellState(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"
    REJECTED = "rejected"
    NOT_DUE = "not_due"  # the office's regime has no such report

    @property
    def label(self) -> str:
        return {
            "on_time": "Đúng hạn",
            "late": "Trễ hạn",
            "missing": "Chưa nộp",
            "rejected": "Bị từ chối",
            "not_due": "Không thuộc kỳ báo cáo",
        }[self.value]

    @property
    def colour(self) -> str:
        """Fill colour (hex RGB) used by the page and the workbook alike."""
        return {
            "on_time": "C6EFCE",
            "late": "FFEB9C",
            "missing": "EDEDED",
            "rejected": "FFC7CE",
            "not_due": "FFFFFF",
        }[self.value]


@dataclass(frozen=True)
class Cell:
    state: CellState
    packages: list[ReceivedPackage] = field(default_factory=list)
    accepted: ReceivedPackage | None = None
    detail: str = ""

    @property
    def summary(self) -> str:
        """The cell as the matrix shows it: state, correction, completeness of the package used."""
        p = self.accepted
        if p is None:
            return self.state.label
        parts = [self.state.label]
        if p.is_correction:
            parts.append("điều chỉnh")
        c = p.completeness or {}
        if "indicators_total" in c:
            parts.append(
                f"{c.get('indicators_filled', 0)}/{c['indicators_total']} CT, "
                f"{c.get('tasks_updated', 0)}/{c.get('tasks_total', 0)} NV"
            )
        return " · ".join(parts)


@dataclass(frozen=True)
class _Arrival:
    """What the state of a cell needs of one received package (one narrow row)."""

    status: PackageStatus
    late: bool | None
    sequence: int | None


class Matrix:
    """Offices × periods over the receiving store, nothing built per cell up front.

    Opening reads one narrow row per package (status, lateness, sequence) and
    each distinct plan's regime once, so a cell's *state* — what the counts,
    the filters and the colours need — is a lookup. A cell's packages and its
    detail text are read from the store (one indexed query) the first time
    that cell is asked for: the window asks only for the rows on screen.
    """

    def __init__(
        self,
        receiving: Receiving,
        offices: list[ReportingOffice],
        periods: list[str],
        arrivals: dict[tuple[int, str], list[_Arrival]],
        regimes: dict[int, PlanInfo],
    ) -> None:
        self.receiving = receiving
        self.offices = offices
        self.periods = periods
        self._arrivals = arrivals
        self._regimes = regimes
        self._owes: dict[tuple[int, str], bool] = {}  # (id of a shared plan header, period)
        self._cells: dict[tuple[int, str], Cell] = {}

    def state(self, office_id: int, period_id: str) -> CellState:
        """The cell's state without building the cell (no query)."""
        arrivals = self._arrivals.get((office_id, period_id))
        if arrivals:
            valid = [a for a in arrivals if a.status.valid]
            if not valid:
                return CellState.REJECTED
            first = min(valid, key=lambda a: a.sequence or 0)
            return CellState.LATE if first.late else CellState.ON_TIME
        return CellState.MISSING if self._owed(office_id, period_id) else CellState.NOT_DUE

    def _owed(self, office_id: int, period_id: str) -> bool:
        info = self._regimes.get(office_id)
        if info is None:
            return True  # regime not known yet: the office owes every period
        key = (id(info), period_id)
        if key not in self._owes:
            self._owes[key] = owes(info, period_id)
        return self._owes[key]

    def cell(self, office_id: int, period_id: str) -> Cell:
        """The cell with its packages and detail text: the office's row is read (one indexed
        query) the first time one of its cells is asked for, then kept."""
        key = (office_id, period_id)
        if key not in self._cells:
            by_period: dict[str, list[ReceivedPackage]] = {}
            for package in self.receiving.packages(office_id=office_id):
                if package.period_id is not None:
                    by_period.setdefault(package.period_id, []).append(package)
            for pid in {*self.periods, period_id}:
                self._cells[(office_id, pid)] = self._built(office_id, pid, by_period.get(pid, []))
        return self._cells[key]

    def read_all(self) -> Matrix:
        """Every cell read now, in one pass over the packages: the matrix then needs the
        store no more (a consolidation keeps it after the receiving file is closed)."""
        by_cell: dict[tuple[int, str], list[ReceivedPackage]] = {}
        for package in self.receiving.packages():
            if package.office_id is not None and package.period_id is not None:
                by_cell.setdefault((package.office_id, package.period_id), []).append(package)
        for office in self.offices:
            for pid in self.periods:
                key = (office.id, pid)
                self._cells[key] = self._built(office.id, pid, by_cell.get(key, []))
        return self

    def _built(self, office_id: int, period_id: str, packages: list[ReceivedPackage]) -> Cell:
        cell = _cell(packages, period_id)
        if cell.state is CellState.MISSING and not self._owed(office_id, period_id):
            cell = Cell(CellState.NOT_DUE, detail=f"Kỳ {period_id} không thuộc chế độ báo cáo "
                                                  "của đơn vị.")  # fmt: skip
        return cell

    def counts(self, period_id: str) -> dict[CellState, int]:
        out = dict.fromkeys(CellState, 0)
        for office in self.offices:
            out[self.state(office.id, period_id)] += 1
        return out


def period_sort_key(period_id: str) -> tuple:
    try:
        p = parse_period_id(period_id)
    except UserError:
        return (date.max, 0, period_id)
    return (p.end, -(p.end - p.start).days, period_id)


def build_matrix(receiving: Receiving, periods: list[str] | None = None) -> Matrix:
    """The matrix over `periods` (default: every period any package was received for), every
    cell read: it stays whole after the receiving file is closed."""
    return open_matrix(receiving, periods).read_all()


def open_matrix(receiving: Receiving, periods: list[str] | None = None) -> Matrix:
    """The matrix as the window shows it: states at once, a cell's packages and detail read
    when that cell is first asked for (the receiving file must stay open)."""
    offices = receiving.offices()
    chosen = sorted(set(periods if periods is not None else receiving.period_ids()),
                    key=period_sort_key)  # fmt: skip
    arrivals: dict[tuple[int, str], list[_Arrival]] = {}
    # office → its last valid package and that package's plan hash (arrival order: the last wins)
    latest: dict[int, tuple[int, str | None]] = {}
    rows = receiving.db.execute(
        "SELECT id, office_id, period_id, status, late, sequence, plan_sha FROM recv_package "
        "WHERE office_id IS NOT NULL ORDER BY id"
    )
    statuses = {s.value: s for s in PackageStatus}
    for package_id, office_id, period_id, status, late, sequence, plan_sha in rows:
        state = statuses[status]
        if state.valid:
            latest[office_id] = (package_id, plan_sha)
        if period_id is not None:
            arrival = _Arrival(state, None if late is None else bool(late), sequence)
            arrivals.setdefault((office_id, period_id), []).append(arrival)
    return Matrix(receiving, offices, chosen, arrivals, _regimes(receiving, latest))


def _regimes(
    receiving: Receiving, latest: dict[int, tuple[int, str | None]]
) -> dict[int, PlanInfo]:
    """Each office's plan header (its reporting regime), from its latest valid package."""
    from ..models.plan_json import plan_from_json

    out: dict[int, PlanInfo] = {}
    by_plan: dict[str, PlanInfo | None] = {}  # hundreds of offices share one plan: one parse
    for office_id, (package_id, plan_sha) in latest.items():
        sha = plan_sha or f"package-{package_id}"
        if sha not in by_plan:
            data = receiving.package_data(package_id) or {}
            header = {k: data.get(k) for k in ("format", "version", "office", "plan")}
            try:  # the header only: the regime needs no indicators or tasks
                by_plan[sha] = plan_from_json(
                    {**header, "indicator_groups": [], "task_groups": []}
                ).info
            except (UserError, TypeError, ValueError, KeyError, AttributeError):
                by_plan[sha] = None  # an unreadable plan: the office owes every period
        info = by_plan[sha]
        if info is not None:
            out[office_id] = info
    return out


def rejected_packages(receiving: Receiving) -> list[ReceivedPackage]:
    """Every refused package (replays too), newest first; a narrow query, for a country's
    packages are many."""
    valid = [s.value for s in PackageStatus if s.valid]
    rows = receiving.db.execute(
        f"SELECT id FROM recv_package WHERE status NOT IN ({', '.join('?' * len(valid))}) "
        "ORDER BY id DESC",
        valid,
    )
    return [receiving.package(package_id) for (package_id,) in rows.fetchall()]


def owes(info: PlanInfo, period_id: str) -> bool:
    """Whether an office with plan header `info` owes the report `period_id`."""
    from datetime import timedelta

    from ..models.regime import period_of, valid_period

    try:
        period = period_of(info, period_id)
        valid_period(info, period_id, period.due + timedelta(days=1))
    except UserError:
        return False
    return True


def _accepted_lines(package: ReceivedPackage) -> list[str]:
    """Completeness and, for a correction, its change list (the detail panel's lines)."""
    from ..models.period_states import EntryChange, change_value_text

    lines = []
    if package.completeness_text:
        lines.append(f"{package.completeness_text}.")
    if package.is_correction:
        changes = [EntryChange.from_json(c) for c in package.changes]
        lines.append(
            f"Lần gửi {package.sequence} là báo cáo bổ sung, điều chỉnh lần gửi "
            f"{package.corrects}: {len(changes)} nội dung điều chỉnh."
        )
        for c in changes:
            lines.append(
                f"- {c.item_label} ({c.name}), {c.field_label.lower()}: "
                f"{change_value_text(c)} → {change_value_text(c, before=False)}"
            )
    return lines


def _cell(packages: list[ReceivedPackage], period_id: str) -> Cell:
    valid = sorted((p for p in packages if p.status.valid), key=lambda p: p.sequence or 0)
    accepted = next((p for p in valid if p.status is PackageStatus.ACCEPTED), None)
    if valid:
        first = valid[0]
        state = CellState.LATE if first.late else CellState.ON_TIME
        lines = [
            f"{state.label}: lần gửi {first.sequence} lập ngày {shown_date(first.created_at)} "
            f"(hạn nộp {shown_date(first.due)})."
        ]
        if accepted is not None and accepted is not first:
            lines.append(
                f"Đang dùng lần gửi {accepted.sequence} lập ngày {shown_date(accepted.created_at)}."
            )
        if accepted is not None:
            lines += _accepted_lines(accepted)
    elif packages:
        state = CellState.REJECTED
        lines = ["Bị từ chối:"]
    else:
        return Cell(CellState.MISSING, detail=f"Chưa nộp báo cáo kỳ {period_id}.")
    for p in packages:
        if not p.status.valid:
            lines.append(f"- {p.file_name}: {p.reason or p.status.label}")
    return Cell(state, packages, accepted, "\n".join(lines))
