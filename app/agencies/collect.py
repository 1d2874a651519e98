"""Reading a returned form: which form it is, and what each filled cell says.

Agencies re-save forms in LibreOffice, add rows, change the formatting and
rename the file. So nothing is read by position: the form is recognised by its
hidden `_form` sheet (plan, period, agency, structure hash), each sheet by its
name, the columns by their header names, and each row by the code in its "Mã"
column; a row without a known code (a note the agency added) is skipped. The
file first goes through the plan importer's hostile-file checks (size, zip
bombs, entities, cell count: importers/safety.py).

This module only reads; operations/agency.py checks every value with the
grid's own checks and writes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..importers.safety import check_workbook_file
from ..importers.workbook import _is_defused
from ..models.errors import UserError
from ..models.text import clean, fold
from .forms import (
    FORMAT,
    H_CODE,
    H_CONTRIBUTION,
    H_EVIDENCE_DATE,
    H_EVIDENCE_NUMBER,
    H_NOTE,
    H_PERCENT,
    H_RESULT,
    H_STATUS,
    H_VALUE,
    IDENTITY_SHEET,
    INDICATOR_SHEET,
    PARTNER_SHEET,
    TASK_SHEET,
)

MAX_HEADER_SCAN = 30
MAX_ROWS = 5000


@dataclass(frozen=True)
class Cell:
    """Where a value was read: shown in every problem as sheet, row and column."""

    sheet: str
    row: int
    column: str
    header: str

    def where(self) -> str:
        return f"trang “{self.sheet}”, dòng {self.row}, cột {self.column} ({self.header})"


@dataclass(frozen=True)
class Filled:
    """One filled cell of a returned form."""

    sheet_kind: str  # "indicator" | "task" | "partner"
    code: str  # indicator code, or "<group>.<code>" of a task
    field: (
        str  # value, note | status, percent, result, evidence_number, evidence_date | contribution
    )
    raw: Any
    cell: Cell


@dataclass
class ReturnedForm:
    path: Path
    sha256: str
    identity: dict[str, str]
    filled: list[Filled] = field(default_factory=list)
    skipped_rows: list[Cell] = field(default_factory=list)  # rows with no code of the form

    @property
    def period(self) -> str:
        return self.identity.get("period", "")

    @property
    def agency(self) -> str:
        return self.identity.get("agency", "")


_COLUMNS = {
    "indicator": {H_VALUE: "value", H_NOTE: "note"},
    "task": {
        H_STATUS: "status",
        H_PERCENT: "percent",
        H_RESULT: "result",
        H_EVIDENCE_NUMBER: "evidence_number",
        H_EVIDENCE_DATE: "evidence_date",
    },  # fmt: skip
    "partner": {H_CONTRIBUTION: "contribution"},
}
_SHEETS = {INDICATOR_SHEET: "indicator", TASK_SHEET: "task", PARTNER_SHEET: "partner"}


def _identity(wb: Any, name: str) -> dict[str, str]:
    sheets = [wb[IDENTITY_SHEET]] if IDENTITY_SHEET in wb.sheetnames else list(wb.worksheets)
    for ws in sheets:
        if clean(str(ws.cell(1, 2).value or "")) != FORMAT:
            continue
        out = {}
        for key, value in ws.iter_rows(min_row=1, max_row=40, max_col=2, values_only=True):
            if key:
                out[str(key).strip()] = "" if value is None else str(value).strip()
        return out
    raise UserError(
        f"Tệp '{name}' không phải biểu mẫu báo cáo do ứng dụng lập (không có trang nhận dạng "
        f"“{IDENTITY_SHEET}”). Hãy dùng biểu mẫu đã gửi cho đơn vị.",
        "not_a_form",
    )


def _header(ws: Any, wanted: set[str]) -> tuple[int, dict[str, int]] | None:
    keys = {fold(h): h for h in wanted | {H_CODE}}
    for row in ws.iter_rows(min_row=1, max_row=MAX_HEADER_SCAN):
        found = {}
        for cell in row:
            if isinstance(cell.value, str) and (h := keys.get(fold(clean(cell.value)))):
                found[h] = cell.column
        if H_CODE in found and len(found) > 1:
            return row[0].row, found
    return None


def _value(cell: Any) -> Any:
    """A cell as typed: text stripped, a datetime as its date, "65%" typed in Excel as 65."""
    value = cell.value
    if cell.data_type == "f" or (
        value is not None and not isinstance(value, str | int | float | date)
    ):
        return clean(str(getattr(value, "text", None) or value))  # a formula: its text
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "%" in (cell.number_format or ""):
            return round(float(value) * 100, 10)
    return value


def _load(path: Path) -> Any:
    """openpyxl after the plan importer's pre-checks, formulas kept as their text.

    Unlike the plan import (importers/workbook.py), cells are not read as their
    cached results: a cell starting with "=" is the agency's text, never
    something computed (a form's cells hold values, and a formula's cached
    result may be stale or absent)."""
    import warnings

    import openpyxl

    check_workbook_file(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(
                path, data_only=False, keep_links=False, keep_vba=False, rich_text=False
            )
    except Exception as exc:  # a malformed part: openpyxl raises many kinds
        defused = _is_defused(exc)
        raise UserError(
            f"Tệp '{path.name}' chứa khai báo XML không được phép — có thể là tệp độc hại, không mở."
            if defused
            else f"Tệp '{path.name}' bị hỏng, không đọc được nội dung bảng tính "
            f"({type(exc).__name__}). Hãy mở bằng Excel, lưu lại rồi thử lại.",
            "unsafe" if defused else "corrupt",
        ) from None


def read_returned(path: Path) -> ReturnedForm:
    """Recognise and read one returned form (UserError when it is not one)."""
    from openpyxl.utils import get_column_letter

    path = Path(path)
    wb = _load(path)
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        form = ReturnedForm(path, digest, _identity(wb, path.name))
        for ws in wb.worksheets:
            kind = _SHEETS.get(ws.title)
            if kind is None:
                continue
            columns = _COLUMNS[kind]
            found = _header(ws, set(columns))
            if found is None:
                raise UserError(
                    f"Tệp '{path.name}', trang “{ws.title}”: không tìm thấy dòng tiêu đề "
                    f"(cột “{H_CODE}” và các cột cần điền). Đừng đổi tên các cột của biểu mẫu."
                )
            header_row, at = found
            last = min(ws.max_row or header_row, header_row + MAX_ROWS)
            for row in ws.iter_rows(min_row=header_row + 1, max_row=last):
                by_col = {c.column: c for c in row}
                code_cell = by_col.get(at[H_CODE])
                code = clean(str(code_cell.value)) if code_cell and code_cell.value else None
                if code and code.endswith(".0") and code[:-2].isdigit():
                    code = code[:-2]  # a code re-typed as a number
                for header, name in columns.items():
                    col = at.get(header)
                    cell = by_col.get(col) if col else None
                    if cell is None:
                        continue
                    raw = _value(cell)
                    if raw is None or raw == "":
                        continue
                    where = Cell(ws.title, cell.row, get_column_letter(cell.column), header)
                    if not code:
                        form.skipped_rows.append(where)
                        continue
                    form.filled.append(Filled(kind, code, name, raw, where))
        return form
    finally:
        wb.close()
