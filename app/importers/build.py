"""Turn table records into plan items, reporting every cell it cannot read.

Each problem names its sheet, row and column; a row with an unreadable
value still appears in the preview so the user sees all problems at once.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..models.deadline import parse_deadline
from ..models.errors import UserError
from ..models.plan import (
    Baseline,
    Direction,
    Indicator,
    IndicatorGroup,
    IndicatorKind,
    Task,
    TaskGroup,
)
from ..models.text import clean, nfc
from . import columns as F
from .columns import Column, Header
from .grid import SheetGrid
from .indicator_values import (
    CellValueError,
    infer_kind,
    parse_baseline_cell,
    parse_comparator_label,
    parse_direction_label,
    parse_kind_label,
    parse_measure_label,
    parse_target_cell,
)
from .preview import ParsedRow, Problem, Severity
from .table import GroupRecord, Record

_YEAR_IN_TEXT = re.compile(r"\b((?:19|20)\d\d)\b")


class _Context:
    def __init__(self, grid: SheetGrid, header: Header, problems: list[Problem]) -> None:
        self.grid = grid
        self.header = header
        self.problems = problems

    def text(self, record: Record, field: str) -> str | None:
        column = self.header.get(field)
        return record.texts.get(column.index) if column else None

    def error(self, row: int, column: Column | None, message: str, warning: bool = False) -> None:
        self.problems.append(
            Problem(
                self.grid.title,
                row,
                column.label if column else None,
                message,
                Severity.WARNING if warning else Severity.ERROR,
                column.letter if column else None,
            )
        )

    def cells(self, record: Record) -> dict[str, str]:
        out = {}
        for column in self.header.columns:
            text = record.texts.get(column.index)
            if text is not None:
                out[column.label] = clean(text) or ""
        return out


def _note(text: str | None) -> str | None:
    return nfc(text) or None


def _with_heading(note: str | None, record: Record) -> str | None:
    """The note, with the heading the item stood under ("Thuộc mục 2. Thực hiện TTHC…")."""
    if not record.heading:
        return note
    under = f"Thuộc mục {record.heading}"
    return f"{note}; {under}" if note else under


def indicator_fields(ctx: _Context, record: Record, group_year: int | None) -> dict[str, str]:
    """The raw texts the indicator is built from ("year:2030" keys for targets)."""
    fields: dict[str, str] = {}
    for column in ctx.header.columns:
        text = record.texts.get(column.index)
        if text is None:
            continue
        if column.field == F.YEAR:
            fields[f"year:{column.year}"] = text
        elif column.field == F.TARGET and group_year:
            fields[f"year:{group_year}"] = text
        elif column.field not in (F.UNKNOWN,):
            fields[column.field] = text
    return fields


_NUMBER_FIELDS = (F.BASELINE, F.YEAR, F.TARGET)


def _dates_where_numbers_belong(ctx: _Context, record: Record) -> bool:
    """A date in a baseline or target cell is an error: Excel turns "1.5" or "3/4"
    typed there into a date, and reading it as a value would change it silently."""
    found = False
    for column in ctx.header.columns:
        row = record.dates.get(column.index)
        if row is None or column.field not in _NUMBER_FIELDS:
            continue
        ctx.error(
            row,
            column,
            f"ô chứa ngày tháng ({clean(record.texts.get(column.index)) or ''}) ở chỗ cần số "
            "liệu — có thể Excel đã tự đổi số gõ vào thành ngày; hãy định dạng ô là Văn bản "
            "hoặc Số rồi gõ lại giá trị",
        )
        found = True
    return found


def _booleans_where_numbers_belong(ctx: _Context, record: Record, kind: IndicatorKind) -> None:
    """A TRUE/FALSE cell in a baseline or target of a numeric indicator is an error: read
    as "Có"/"Không" it would turn a number target into a yes/no one without a word."""
    if kind is IndicatorKind.YES_NO:
        return
    for column in ctx.header.columns:
        row = record.bools.get(column.index)
        if row is not None and column.field in _NUMBER_FIELDS:
            ctx.error(
                row, column,
                f"ô kiểu đúng/sai (TRUE/FALSE) ở chỗ cần số liệu của chỉ tiêu {kind.label.lower()}"
                " — hãy gõ lại giá trị bằng số, hoặc đổi loại chỉ tiêu thành Có/Không",
            )  # fmt: skip


def build_indicator(ctx: _Context, record: Record, fields: dict[str, str]) -> Indicator | None:
    """An Indicator from one record's texts; problems go to ctx."""
    header = ctx.header
    row = record.row
    _dates_where_numbers_belong(ctx, record)
    name = clean(fields.get(F.NAME))
    if not name:
        ctx.error(row, header.get(F.NAME), "thiếu tên chỉ tiêu")
        return None
    unit = clean(fields.get(F.UNIT))
    year_texts = {int(k[5:]): v for k, v in fields.items() if k.startswith("year:")}
    baseline_column = header.get(F.BASELINE)
    values = [fields.get(F.BASELINE) or ""] + list(year_texts.values())
    kind, direction = infer_kind(unit, values)
    if (label := clean(fields.get(F.KIND))) is not None:
        if (explicit := parse_kind_label(label)) is None:
            ctx.error(row, header.get(F.KIND), f"không hiểu loại chỉ tiêu '{label}'")
        else:
            kind = explicit
            direction = (
                Direction.LOWER_BETTER if kind is IndicatorKind.RANK else Direction.HIGHER_BETTER
            )
    if (label := clean(fields.get(F.DIRECTION))) is not None:
        if (explicit_dir := parse_direction_label(label)) is None:
            ctx.error(row, header.get(F.DIRECTION), f"không hiểu chiều đánh giá '{label}'")
        else:
            direction = explicit_dir
    _booleans_where_numbers_belong(ctx, record, kind)
    measure = None  # inferred from the name and unit (Indicator.__post_init__)
    if (label := clean(fields.get(F.MEASURE))) is not None:
        if (measure := parse_measure_label(label)) is None:
            ctx.error(row, header.get(F.MEASURE), f"không hiểu cách tính '{label}'")
    comparator = None
    if (label := clean(fields.get(F.COMPARATOR))) is not None:
        comparator = parse_comparator_label(label)
        if comparator is None:
            ctx.error(row, header.get(F.COMPARATOR), f"không hiểu dấu so sánh '{label}'")
    as_of = baseline_column.as_of if baseline_column else None
    try:
        baseline = parse_baseline_cell(kind, fields.get(F.BASELINE), as_of)
    except CellValueError as exc:
        ctx.error(row, baseline_column, str(exc))
        baseline = Baseline(as_of=as_of)
    targets = {}
    for year, text in sorted(year_texts.items()):
        column = next((c for c in header.years if c.year == year), header.get(F.TARGET))
        try:
            target = parse_target_cell(kind, text)
        except CellValueError as exc:
            ctx.error(row, column, str(exc))
            continue
        if target is not None:
            if comparator and target.comparator is None and isinstance(target.value, float):
                target = replace(target, comparator=comparator)
            targets[year] = target
    return Indicator(
        code=record.code,
        name=name,
        unit=unit,
        kind=kind,
        direction=direction,
        baseline=baseline,
        targets=targets,
        lead_agency=clean(fields.get(F.LEAD)),
        note=_with_heading(_note(fields.get(F.NOTE)), record),
        measure=measure,
    )


def _group_year(ctx: _Context, group: GroupRecord) -> int | None:
    if ctx.header.get(F.TARGET) is None:
        return None
    for text in (group.title, ctx.header.title_text):
        if m := _YEAR_IN_TEXT.search(text or ""):
            return int(m.group(1))
    return None


def build_indicator_groups(
    grid: SheetGrid, header: Header, groups: list[GroupRecord], problems: list[Problem]
) -> tuple[list[IndicatorGroup], list[ParsedRow]]:
    ctx = _Context(grid, header, problems)
    out: list[IndicatorGroup] = []
    rows: list[ParsedRow] = []
    for group in groups:
        ig = IndicatorGroup(group.code, group.title or "Các chỉ tiêu")
        year = _group_year(ctx, group)
        if header.get(F.TARGET) is not None and year is None and group.records:
            ctx.error(
                group.row, header.get(F.TARGET), "không rõ mục tiêu này là của năm nào "
                "(ghi năm vào tên nhóm, ví dụ 'Đến năm 2030', hoặc dùng các cột 'Năm 2030')"
            )  # fmt: skip
        rows.append(ParsedRow(grid.title, group.row, "indicator_group", ig, {"": ig.title}))
        seen: dict[str, int] = {}
        for record in group.records:
            fields = indicator_fields(ctx, record, year)
            indicator = build_indicator(ctx, record, fields)
            if indicator is None:
                continue
            _note_duplicate_code(ctx, header, record, seen)
            ig.indicators.append(indicator)
            parsed = ParsedRow(grid.title, record.row, "indicator", indicator, ctx.cells(record))
            parsed.fields = fields
            rows.append(parsed)
        out.append(ig)
    return out, rows


def build_task_groups(
    grid: SheetGrid, header: Header, groups: list[GroupRecord], problems: list[Problem]
) -> tuple[list[TaskGroup], list[ParsedRow]]:
    ctx = _Context(grid, header, problems)
    out: list[TaskGroup] = []
    rows: list[ParsedRow] = []
    for group in groups:
        tg = TaskGroup(group.code, group.title or "Các nhiệm vụ")
        rows.append(ParsedRow(grid.title, group.row, "task_group", tg, {"": tg.title}))
        seen: dict[str, int] = {}
        for record in group.records:
            name = clean(ctx.text(record, F.NAME))
            if not name:
                ctx.error(record.row, header.get(F.NAME), "thiếu tên nhiệm vụ")
                continue
            deadline = None
            deadline_text = ctx.text(record, F.DEADLINE)
            try:
                deadline = parse_deadline(deadline_text)
            except UserError as exc:
                ctx.error(record.row, header.get(F.DEADLINE), _lower_first(exc.message))
            partners = [
                p
                for p in (clean(x) for x in re.split(r"[;\n]+", ctx.text(record, F.PARTNERS) or ""))
                if p
            ]
            task = Task(
                code=record.code,
                name=name,
                lead_agency=clean(ctx.text(record, F.LEAD)),
                partners=partners,
                output=clean(ctx.text(record, F.OUTPUT)),
                deadline=deadline,
                note=_with_heading(_note(ctx.text(record, F.NOTE)), record),
            )
            _note_duplicate_code(ctx, header, record, seen)
            tg.tasks.append(task)
            rows.append(ParsedRow(grid.title, record.row, "task", task, ctx.cells(record)))
        out.append(tg)
    return out, rows


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text and not text[:2].isupper() else text


def _note_duplicate_code(
    ctx: _Context, header: Header, record: Record, seen: dict[str, int]
) -> None:
    """A group that repeats a row number is an error: items are matched by number on
    re-import, so two rows with one number would be merged (or swapped) silently."""
    if record.code in seen:
        ctx.error(
            record.row,
            header.get(F.CODE),
            f"số thứ tự '{record.code}' bị trùng trong nhóm (đã dùng ở dòng "
            f"{seen[record.code]}); hãy đánh lại số thứ tự cho khác nhau",
        )
    else:
        seen[record.code] = record.row
