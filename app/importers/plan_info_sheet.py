"""The sheet "Thông tin kế hoạch": what a plan is beyond its appendices, in the template.

The appendices hold indicators and tasks; a plan also has its number, title,
date, issuer, milestones, reporting regime, document style and the office's
letterhead. Without them a plan written to a template and imported into an
empty data file is not the same plan ("Kế hoạch chưa có chế độ báo cáo").

The sheet lists them as rows a secretary can read and edit (label, value),
the regime's rules as a small table (kind of report, due day, month, wording),
and keeps the whole header as JSON in a hidden cell, so what the rows do not
show (validation rules, ad-hoc reports) survives the round trip. On reading,
the JSON is the starting point and every visible row overrides it; the result
goes through the plan JSON reader (models/plan_json.py), so a wrong value gets
the same checks as a plan JSON — reported with the sheet, row and column.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..models.errors import UserError
from ..models.header_fields import HEADER_FIELDS as _ROWS
from ..models.header_fields import field_labels
from ..models.plan import CutoffPolicy, DocumentStyle, Frequency, Plan
from ..models.plan_json import FORMAT, VERSION, plan_from_json, plan_to_json
from ..models.text import clean, fold, nfc
from .preview import PlanHeader, Problem

INFO_SHEET = "Thông tin kế hoạch"
KEY_COLUMN = 10  # hidden (J): the JSON path of each row ("office.name", "plan.number")
JSON_CELL = (1, KEY_COLUMN)
_RULES_MARK = "plan.reporting"
_AGENCIES_MARK = "agencies"
_RULES_TITLE = "CHẾ ĐỘ BÁO CÁO ĐỊNH KỲ"
_AGENCIES_TITLE = "CƠ QUAN, ĐƠN VỊ BÁO CÁO"
_RULE_HEADS = ("Loại kỳ báo cáo", "Ngày hạn nộp", "Tháng (0: tháng cuối kỳ; -1: tháng trước đó)",
               "Cách ghi hạn")  # fmt: skip
_AGENCY_HEADS = ("Tên viết tắt", "Tên đầy đủ", "Người liên hệ", "Điện thoại", "Cách báo cáo",
                 "Các cách viết khác trong kế hoạch (cách nhau bởi dấu ;)", "Thư điện tử")  # fmt: skip
_KIND_WORDS = {"form": "Điền biểu mẫu", "package": "Gửi gói báo cáo có ký số"}
_FONT = "Times New Roman"
_HEAD = PatternFill("solid", fgColor="D9E1F2")

_STYLE_WORDS = {DocumentStyle.STATE: "Nhà nước", DocumentStyle.PARTY: "Đảng"}
_FREQUENCY_WORDS = {
    Frequency.MONTH: "Hằng tháng",
    Frequency.QUARTER: "Hằng quý",
    Frequency.HALF: "6 tháng",
    Frequency.YEAR: "Hằng năm",
}
_WORDING = {True: "trước ngày", False: "chậm nhất ngày"}


def _get(data: dict[str, Any], path: str) -> Any:
    section, key = path.split(".")
    return data.get(section, {}).get(key)


def _shown(kind: str, value: Any) -> str | int | None:
    """The value as the row shows it."""
    if value is None or value == []:
        return None
    if kind == "lines":
        return "\n".join(value)
    if kind == "date":
        d = date.fromisoformat(value)
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if kind == "years":
        return ", ".join(str(y) for y in value)
    if kind == "bool":
        return "Có" if value else "Không"
    if kind == "share":
        return f"{round(float(value) * 100, 4):g}".replace(".", ",") + "%"
    if kind in ("document_style", "plan_style"):
        return _STYLE_WORDS[DocumentStyle(value)]
    if kind == "cutoff":
        return CutoffPolicy(value).label
    return value if isinstance(value, int) else str(value)


def write_info_sheet(wb: Workbook, plan: Plan | None) -> Worksheet:
    """Add the sheet (blank rows to fill in for a blank template)."""
    ws = wb.create_sheet(INFO_SHEET)
    data = plan_to_json(plan) if plan is not None else {}
    ws.cell(1, 1, "THÔNG TIN KẾ HOẠCH").font = Font(name=_FONT, bold=True, size=13)
    note = ws.cell(2, 1, "Sửa ở cột 'Giá trị'. Quy tắc kiểm tra và báo cáo đột xuất được giữ "
                         "nguyên như trong tệp dữ liệu; sửa chúng trong ứng dụng.")  # fmt: skip
    note.font = Font(name=_FONT, italic=True, size=11)
    for col, text in ((1, "Mục"), (2, "Giá trị")):
        head = ws.cell(4, col, text)
        head.font, head.fill = Font(name=_FONT, bold=True, size=11), _HEAD
    row = 5
    for path, label, kind in _ROWS:
        ws.cell(row, 1, label).font = Font(name=_FONT, size=11)
        value = _shown(kind, _get(data, path)) if data else None
        cell = ws.cell(row, 2, value)
        cell.font = Font(name=_FONT, size=11)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if isinstance(value, str):
            cell.data_type, cell.number_format = "s", "@"  # text stays text, never a formula
        ws.cell(row, KEY_COLUMN, path)
        row += 1
    row += 1
    ws.cell(row, 1, _RULES_TITLE).font = Font(name=_FONT, bold=True, size=12)
    row += 1
    for col, text in enumerate(_RULE_HEADS, start=1):
        head = ws.cell(row, col, text)
        head.font, head.fill = Font(name=_FONT, bold=True, size=11), _HEAD
        head.alignment = Alignment(wrap_text=True)
    for rule in data.get("plan", {}).get("reporting", []) if data else []:
        row += 1
        frequency = Frequency(rule["frequency"])
        for col, value in enumerate((_FREQUENCY_WORDS[frequency], rule["due_day"],
                                     rule["due_month_offset"], _WORDING[rule["strict"]]), 1):  # fmt: skip
            ws.cell(row, col, value).font = Font(name=_FONT, size=11)
        ws.cell(row, KEY_COLUMN, _RULES_MARK)
    row += 2
    ws.cell(row, 1, _AGENCIES_TITLE).font = Font(name=_FONT, bold=True, size=12)
    row += 1
    for col, text in enumerate(_AGENCY_HEADS, start=1):
        head = ws.cell(row, col, text)
        head.font, head.fill = Font(name=_FONT, bold=True, size=11), _HEAD
        head.alignment = Alignment(wrap_text=True)
    for agency in data.get("agencies", []) if data else []:
        row += 1
        values = (agency["short_name"], agency["name"], agency.get("contact"),
                  agency.get("phone"), _KIND_WORDS[agency.get("kind") or "form"],
                  "; ".join(agency.get("aliases") or []))  # fmt: skip
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row, col, value)
            cell.font = Font(name=_FONT, size=11)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(row, 7, agency.get("email"))
    if data:
        header = {"office": data["office"], "plan": data["plan"],
                  "validation": data.get("validation", {})}  # fmt: skip
        # the agencies are read from their table only (like the rules)
        text = json.dumps(header, ensure_ascii=False, separators=(",", ":"))
        if len(text) < 32_000:  # one cell's limit in Excel is 32,767 characters
            cell = ws.cell(*JSON_CELL, text)
            cell.data_type = "s"
    ws.column_dimensions["A"].width = 52
    ws.column_dimensions["B"].width = 70
    ws.column_dimensions["C"].width = 22
    ws.column_dimensions["D"].width = 18
    for letter, width in (("E", 22), ("F", 40), ("G", 26)):
        ws.column_dimensions[letter].width = width
    ws.column_dimensions["J"].hidden = True
    return ws


class _SheetError(Exception):
    def __init__(self, row: int, column: str, message: str) -> None:
        super().__init__(message)
        self.row, self.column, self.message = row, column, message


def _date_text(value: Any) -> str | None:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = clean(str(value)) if value is not None else None
    if not text:
        return None
    parts = text.replace("-", "/").replace(".", "/").split("/")
    try:
        day, month, year = (int(p) for p in parts)
        return date(year, month, day).isoformat()
    except (TypeError, ValueError):
        raise ValueError(f"'{text}' không phải ngày dạng dd/mm/yyyy") from None


def _parsed(kind: str, value: Any) -> Any:
    """The row's value in the plan JSON's terms; ValueError says why not."""
    if kind == "date":
        return _date_text(value)
    text = (nfc(str(value)) or "").strip() if value is not None else ""
    if kind == "lines":
        return [line.strip() for line in text.splitlines() if line.strip()]
    if not text:
        return None
    if kind == "years":
        try:
            return sorted({int(p) for p in text.replace(";", ",").split(",") if p.strip()})
        except ValueError:
            raise ValueError(f"'{text}' không phải danh sách năm (ví dụ 2025, 2030)") from None
    if kind == "bool":
        word = fold(text)
        if word in ("co", "x", "1", "true"):
            return True
        if word in ("khong", "0", "false"):
            return False
        raise ValueError(f"'{text}' phải là Có hoặc Không")
    if kind == "int":
        if isinstance(value, int | float) and not isinstance(value, bool) and value == int(value):
            return int(value)
        if text.isdigit():
            return int(text)
        raise ValueError(f"'{text}' không phải số nguyên")
    if kind == "share":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value) if value <= 1 else float(value) / 100
        try:
            return float(text.rstrip("%").strip().replace(",", ".")) / 100
        except ValueError:
            raise ValueError(f"'{text}' không phải phần trăm (ví dụ 5%)") from None
    if kind in ("document_style", "plan_style"):
        for style, word in _STYLE_WORDS.items():
            if fold(text) in (fold(word), style.value) or fold(text) == fold(style.label):
                return style.value
        raise ValueError(f"'{text}' phải là 'Nhà nước' hoặc 'Đảng'")
    if kind == "cutoff":
        for policy in CutoffPolicy:
            if fold(text) in (fold(policy.label), policy.value):
                return policy.value
        labels = "; ".join(p.label for p in CutoffPolicy)
        raise ValueError(f"'{text}' không phải cách chốt số liệu đã biết ({labels})")
    return text


def _rule(row: int, values: tuple[Any, ...]) -> dict[str, Any]:
    kind, day, month, wording = (tuple(values) + (None,) * 4)[:4]
    by_word = {fold(w): f for f, w in _FREQUENCY_WORDS.items()}
    frequency = by_word.get(fold(str(kind or "")))
    if frequency is None:
        raise _SheetError(row, "Loại kỳ báo cáo", f"không hiểu loại kỳ '{kind}' "
                          f"(chọn: {', '.join(_FREQUENCY_WORDS.values())})")  # fmt: skip
    try:
        due_day, offset = int(str(day).strip()), int(str(month or 0).strip())
    except ValueError:
        raise _SheetError(
            row, "Ngày hạn nộp", f"ngày '{day}' hoặc tháng '{month}' không phải số"
        ) from None
    strict = {fold(w): s for s, w in _WORDING.items()}.get(fold(str(wording or "trước ngày")))
    if strict is None:
        raise _SheetError(
            row, "Cách ghi hạn", f"'{wording}' phải là 'trước ngày' hoặc 'chậm nhất ngày'"
        )
    return {"frequency": frequency.value, "due_day": due_day, "due_month_offset": offset,
            "strict": strict}  # fmt: skip


def _agency(row: int, values: tuple[Any, ...]) -> dict[str, Any]:
    short, name, contact, phone, kind, aliases, email = (
        (nfc(str(v)) or "").strip() if v is not None else None for v in values[:7]
    )
    kinds = {fold(w): k for k, w in _KIND_WORDS.items()} | {k: k for k in _KIND_WORDS}
    chosen = kinds.get(fold(kind or "")) if kind else "form"
    if chosen is None:
        raise _SheetError(row, "Cách báo cáo", f"'{kind}' phải là '{_KIND_WORDS['form']}' hoặc "
                          f"'{_KIND_WORDS['package']}'")  # fmt: skip
    if not (name or short):
        raise _SheetError(row, "Tên đầy đủ", "thiếu tên cơ quan, đơn vị")
    return {"short_name": short or name, "name": name or short, "contact": contact or None,
            "phone": phone or None, "email": email or None, "kind": chosen,
            "aliases": [a.strip() for a in (aliases or "").split(";") if a.strip()]}  # fmt: skip


def read_info_sheet(ws: Any) -> tuple[PlanHeader | None, list[Problem]]:
    """The header the sheet holds, or the problems that keep it from being read."""
    rows = list(ws.iter_rows(min_row=1, max_row=200, max_col=KEY_COLUMN, values_only=True))
    data: dict[str, Any] = {"office": {}, "plan": {}, "validation": {}}
    stored = rows[0][KEY_COLUMN - 1] if rows and len(rows[0]) >= KEY_COLUMN else None
    if isinstance(stored, str) and stored.startswith("{"):
        try:
            loaded = json.loads(stored)
            if isinstance(loaded, dict):
                data.update({k: v for k, v in loaded.items() if isinstance(v, dict)})
        except ValueError:
            pass  # the visible rows still say everything they show
    kinds = {path: kind for path, _, kind in _ROWS}
    rules: list[dict[str, Any]] = []
    agencies: list[dict[str, Any]] = []
    section = "fields"  # then "rules", then "agencies", by their title rows
    titles = {fold(_RULES_TITLE): "rules", fold(_AGENCIES_TITLE): "agencies"}
    heads = {fold(_RULE_HEADS[0]), fold(_AGENCY_HEADS[0])}
    try:
        for number, values in enumerate(rows, start=1):
            values = tuple(values) + (None,) * (KEY_COLUMN - len(values))
            key = values[KEY_COLUMN - 1]
            first = fold(str(values[0])) if values[0] is not None else ""
            if first in titles:
                section = titles[first]
                continue
            if first in heads or not any(v is not None for v in values[: KEY_COLUMN - 1]):
                continue
            if section == "rules":
                rules.append(_rule(number, values[:4]))
            elif section == "agencies":
                agencies.append(_agency(number, values))
            elif key in kinds:
                try:
                    value = _parsed(kinds[key], values[1])
                except ValueError as exc:
                    raise _SheetError(number, "Giá trị", str(exc)) from None
                section, name = key.split(".")
                data.setdefault(section, {})[name] = value
    except _SheetError as exc:
        return None, [Problem(INFO_SHEET, exc.row, exc.column, exc.message)]
    data["plan"]["reporting"] = rules
    data["agencies"] = agencies
    if (
        not agencies
        and not isinstance(stored, str)
        and not rules
        and not any(
            v not in (None, [])
            for part in data.values()
            if isinstance(part, dict)
            for v in part.values()
        )
    ):
        return None, []  # a blank template: nothing written in the sheet
    try:
        return build_header(data), []
    except UserError as exc:
        return None, [Problem(INFO_SHEET, 5, "Giá trị", exc.message)]


def header_json(plan: Plan) -> dict[str, Any]:
    """The plan's header in the plan JSON's terms: office, plan (regime), validation,
    agencies."""
    data = plan_to_json(plan)
    return {"office": data["office"], "plan": data["plan"], "validation": data["validation"],
            "agencies": data.get("agencies", [])}  # fmt: skip


def parse_field(path: str, text: Any) -> Any:
    """A header field as typed ("18/11/2025", "Có", "2025, 2030", "5%") in the plan JSON's
    terms; UserError names the field."""
    kinds = {p: kind for p, _, kind in _ROWS}
    if path not in kinds:
        raise UserError(f"Không có mục '{path}' trong thông tin kế hoạch.")
    try:
        return _parsed(kinds[path], text)
    except ValueError as exc:
        raise UserError(f"{field_labels()[path]}: {exc}.") from None


def parse_rule(text: str) -> dict[str, Any]:
    """A reporting rule typed "Hằng quý:20:0:trước ngày" (kind, due day, month, wording)."""
    parts = [p.strip() for p in str(text).split(":")]
    try:
        return _rule(0, tuple(parts))
    except _SheetError as exc:
        raise UserError(f"Chế độ báo cáo '{text}': {exc.message}.") from None


def build_header(data: dict[str, Any]) -> PlanHeader:
    """Office, plan header and validation checked by the plan JSON reader (UserError).

    The office's name may be left blank (a template filled in by hand): the header's
    office then has the name "" and the data file's, or the one given, is used."""
    validation = {k: v for k, v in data.get("validation", {}).items() if v is not None}
    office = dict(data.get("office", {}))
    if office.get("recipients") is None:
        office["recipients"] = []
    unnamed = not office.get("name")
    if unnamed:
        office["name"] = "-"
    plan = plan_from_json({"format": FORMAT, "version": VERSION, "office": office,
                           "plan": data.get("plan", {}), "validation": validation,
                           "agencies": data.get("agencies") or [],
                           "indicator_groups": [], "task_groups": []})  # fmt: skip
    if unnamed:
        plan.office.name = ""
    return PlanHeader(plan.office, plan.info, plan.rules, plan.outlier_share,
                      plan.path_tolerance, plan.agencies)  # fmt: skip
