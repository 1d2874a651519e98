"""What a dry run of an import shows: the parsed plan items, where each came
from, and every problem with its sheet, row and column.

Nothing here writes; the user reads the preview and confirms, then
`apply.apply_import` writes it in one transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from ..models.plan import (
    Indicator,
    IndicatorGroup,
    Office,
    PlanInfo,
    Task,
    TaskAppendix,
    TaskGroup,
    ValidationRule,
)

_WORD_TABLE = re.compile(r"Bảng \d+")


def place_name(sheet: str) -> str:
    """Where a table is: a Word document's tables are "Bảng N" (importers/word.py),
    a workbook's sheets are named ("Trang 'Phụ lục I'")."""
    return sheet if _WORD_TABLE.fullmatch(sheet) else f"Trang '{sheet}'"


class Severity(StrEnum):
    ERROR = "error"  # the import cannot go ahead until the workbook is corrected
    WARNING = "warning"  # imported, but the user should look

    @property
    def label(self) -> str:
        return {"error": "Lỗi", "warning": "Lưu ý"}[self.value]


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int
    column: str | None  # the column's header as the workbook names it ("Năm 2030")
    message: str  # Vietnamese, without the location
    severity: Severity = Severity.ERROR
    column_letter: str | None = None

    def location(self) -> str:
        where = f"{place_name(self.sheet)}, dòng {self.row}"
        return f"{where}, cột '{self.column}'" if self.column else where

    def text(self) -> str:
        """ "Trang 'Phụ lục I', dòng 14, cột 'Năm 2030': không hiểu giá trị '1OO%'"."""
        return f"{self.location()}: {self.message}"


@dataclass
class ParsedRow:
    """One table row the importer understood, for the preview grid."""

    sheet: str
    row: int
    kind: str  # indicator_group | indicator | task_group | task
    item: Indicator | Task | IndicatorGroup | TaskGroup
    cells: dict[str, str] = field(default_factory=dict)  # column header → cell text
    fields: dict[str, str] = field(default_factory=dict)  # field → raw text ("year:2030")


@dataclass
class SheetSummary:
    title: str
    table: str  # "indicators" | "tasks"
    header_rows: tuple[int, int]
    encoding: str  # "unicode" | "tcvn3" | "vni"
    converted_cells: int = 0
    appendix: str = ""  # the task appendix its title names ("III"), when it names one


@dataclass(frozen=True)
class PlanHeader:
    """What a template's "Thông tin kế hoạch" held: the office (letterhead, signer) and the
    plan's header — number, title, date, milestones, regime — with its validation."""

    office: Office
    info: PlanInfo
    rules: list[ValidationRule]
    outlier_share: float
    path_tolerance: float
    agencies: list[Any] = field(default_factory=list)  # models.agency.Agency


@dataclass
class ImportPreview:
    source: Path
    indicator_groups: list[IndicatorGroup] = field(default_factory=list)
    task_groups: list[TaskGroup] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows: list[ParsedRow] = field(default_factory=list)
    sheets: list[SheetSummary] = field(default_factory=list)
    milestones: list[int] = field(default_factory=list)
    office_name: str | None = None  # from "Kèm theo Kế hoạch số … của …"
    plan_number: str | None = None
    plan_date: date | None = None
    # Whether the workbook has the indicator / task table at all: a workbook
    # with only Phụ lục I must not remove the tasks already in the plan.
    has_indicators: bool = False
    has_tasks: bool = False
    explicit_kinds: bool = False  # the indicator table has a "Loại chỉ tiêu" column
    # The sheet "Thông tin kế hoạch" of a template written by the app (plan_info_sheet)
    header: PlanHeader | None = None
    # The task appendices the tables' titles name ("PHỤ LỤC II", "PHỤ LỤC III"); empty
    # when there is one (its tasks are then printed and keyed as before appendices)
    task_appendices: list[TaskAppendix] = field(default_factory=list)
    # (sheet, header row) of each task table without an appendix title, to name them
    untitled_tables: list[tuple[str, int, int]] = field(default_factory=list)

    def add_task_groups(self, groups: list[TaskGroup], appendix: TaskAppendix | None,
                        sheet: str, row: int) -> None:  # fmt: skip
        """The groups of one task table, in the appendix its title names; a table without
        one continues the appendix before it (a Word table split over pages)."""
        if appendix is not None and appendix.code not in {a.code for a in self.task_appendices}:
            self.task_appendices.append(appendix)
        code = (
            appendix.code
            if appendix
            else (self.task_appendices[-1].code if self.task_appendices else "")
        )
        if not code:
            self.untitled_tables.append((sheet, row, len(groups)))
        elif appendix is None and groups and not groups[0].code and self.task_groups:
            # rows before any group row continue the last group of the table before
            last = self.task_groups[-1]
            last.tasks.extend(groups.pop(0).tasks)
            self.problems.append(Problem(
                sheet, row, None,
                f"bảng không có tiêu đề phụ lục: coi là phần tiếp theo của Phụ lục {code}"
                + (f", nhóm {last.code}" if last.code else ""),
                Severity.WARNING,
            ))  # fmt: skip
        for g in groups:
            g.appendix = code
        self.task_groups.extend(groups)

    def settle_appendices(self) -> None:
        """After every table: one appendix (or none) is the plan of one appendix, as before;
        with several, a group without a code is its appendix's body, named by it."""
        if len(self.task_appendices) <= 1:
            self.task_appendices = []
            for g in self.task_groups:
                g.appendix = ""
            return
        titles = {a.code: a.title for a in self.task_appendices}
        for g in self.task_groups:
            if not g.code and g.appendix:
                g.title = titles[g.appendix] or g.title
        # an appendix with no task yet (added by hand, then templated): its empty body, so
        # the plan page still shows its row and tasks can be added to it
        held = {g.appendix for g in self.task_groups}
        for a in self.task_appendices:
            if a.code not in held:
                self.task_groups.append(TaskGroup("", a.title, [], appendix=a.code))
        for sheet, row, _count in self.untitled_tables:
            self.problems.append(Problem(
                sheet, row, None,
                "bảng nhiệm vụ này không có tiêu đề 'PHỤ LỤC …' trong khi tệp có nhiều phụ lục "
                "nhiệm vụ; hãy ghi tiêu đề phụ lục (ví dụ 'PHỤ LỤC II') phía trên bảng",
            ))  # fmt: skip

    @property
    def new_office_name(self) -> str | None:
        """The office a new data file is made for: the template's own office when it
        names one, else the issuer of the "Kèm theo Kế hoạch … của …" line."""
        if self.header is not None and self.header.office.name:
            return self.header.office.name
        return self.office_name

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    @property
    def importable(self) -> bool:
        return not self.errors and (self.has_indicators or self.has_tasks)

    def indicator_count(self) -> int:
        return sum(len(g.indicators) for g in self.indicator_groups)

    def task_count(self) -> int:
        return sum(len(g.tasks) for g in self.task_groups)

    def summary_lines(self) -> list[str]:
        """The dry-run report as the CLI prints it and the GUI shows above the grid."""
        lines = [f"Tệp: {self.source.name}"]
        if self.office_name or self.plan_number:
            plan = f"Kế hoạch số {self.plan_number}" if self.plan_number else "Kế hoạch"
            lines.append(f"{plan} của {self.office_name or '(chưa rõ đơn vị)'}")
        for sheet in self.sheets:
            table = (
                "Phụ lục I – chỉ tiêu"
                if sheet.table == "indicators"
                else f"Phụ lục {sheet.appendix or 'II'} – nhiệm vụ"
            )
            line = f"{place_name(sheet.title)}: {table}, tiêu đề ở dòng {sheet.header_rows[0]}"
            if sheet.header_rows[1] != sheet.header_rows[0]:
                line += f"–{sheet.header_rows[1]}"
            if sheet.converted_cells:
                label = {"tcvn3": "TCVN3 (ABC)", "vni": "VNI"}.get(sheet.encoding, sheet.encoding)
                line += f"; đã chuyển {sheet.converted_cells} ô từ bảng mã {label} sang Unicode"
            lines.append(line)
        if self.has_indicators:
            years = ", ".join(str(y) for y in self.milestones) or "không có"
            lines.append(
                f"Chỉ tiêu: {self.indicator_count()} trong {len(self.indicator_groups)} nhóm "
                f"(mốc năm: {years})"
            )
            for g in self.indicator_groups:
                lines.append(f"  {g.code}. {g.title}: {len(g.indicators)} chỉ tiêu")
        if self.has_tasks and self.task_appendices:
            lines.append(f"Nhiệm vụ: {self.task_count()} trong {len(self.task_appendices)} "
                         "phụ lục")  # fmt: skip
            for a in self.task_appendices:
                groups = [g for g in self.task_groups if g.appendix == a.code]
                count = sum(len(g.tasks) for g in groups)
                shown = [g for g in groups if g.code]
                lines.append(f"  Phụ lục {a.code}. {a.title}: {count} nhiệm vụ"
                             + (f" trong {len(shown)} nhóm" if shown else ""))  # fmt: skip
                for tg in shown:
                    lines.append(f"    {tg.code}. {tg.title}: {len(tg.tasks)} nhiệm vụ")
        elif self.has_tasks:
            lines.append(f"Nhiệm vụ: {self.task_count()} trong {len(self.task_groups)} nhóm")
            for tg in self.task_groups:
                lines.append(f"  {tg.code}. {tg.title}: {len(tg.tasks)} nhiệm vụ")
        if self.problems:
            lines.append(f"Vấn đề: {len(self.errors)} lỗi, {len(self.warnings)} lưu ý")
            for p in self.problems:
                lines.append(f"  [{p.severity.label}] {p.text()}")
        else:
            lines.append("Không phát hiện vấn đề nào.")
        lines.append(
            "Có thể nhập." if self.importable else "Chưa thể nhập: hãy sửa các lỗi trong tệp."
        )
        return lines
