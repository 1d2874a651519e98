"""The receiving file's figures in open formats, for servers that load many of them.

A province (or the national level) loads the receiving files of many offices
into its own database; it needs tables, not our SQLite schema. Two formats:

- **Frictionless Tabular Data Package** (`write_data_package`): a folder of
  CSV files (UTF-8, a header row, comma-separated) and a `datapackage.json`
  that describes each one with a Table Schema (field names, types, primary and
  foreign keys), which `frictionless validate` checks. Tables: `offices`,
  `submissions` (every package received, accepted or not, with the reason),
  `indicator_values` (each accepted package's values with the office's own
  target and path assessment, as the consolidated workbook has them) and
  `task_states` (each task's status and whether it is overdue at the end of
  the period's data window).
- **DHIS2 `dataValueSets` JSON** (`write_dhis2`): one data value per office,
  indicator and period; the data element is the indicator's code in the
  reference list (the same matching as the consolidation), the org unit the
  office's id, the period in DHIS2's format (`2026`, `2026S1`, `2026Q3`,
  `202609`). Ad-hoc and review reports have no DHIS2 period and are left out
  (counted in the result), as are indicators that match no reference.

Both are written row by row while the packages are read one at a time, so
memory does not grow with the number of offices; each file is written to a
temporary name and renamed into place, so a failure leaves no half file.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ..models.atomic_file import atomic_write
from ..models.errors import UserError
from ..models.periods import Period
from ..models.plan import Frequency, Indicator, Value
from ..models.progress import TaskStatus
from ..models.values import format_target
from .consolidation import OfficeReport, _RefIndex, office_reports, reference_indicators
from .matrix import period_sort_key
from .store import ReceivedPackage, Receiving, ReportingOffice

PROFILE = "tabular-data-package"

_TABLES: dict[str, list[tuple[str, str, str]]] = {
    # name: [(field, Table Schema type, description)]
    "offices": [
        ("office_id", "string", "mã đơn vị trong gói báo cáo (office id)"),
        ("name", "string", "tên đơn vị"),
        ("level", "string", "cấp (xã, phường, …)"),
        ("code", "string", "mã hành chính"),
    ],
    "submissions": [
        ("package_sha256", "string", "SHA-256 của tệp gói"),
        ("office_id", "string", "đơn vị gửi (office id; trống khi gói không đọc được)"),
        ("office_name", "string", "tên đơn vị như gói ghi"),
        ("period_id", "string", "mã kỳ báo cáo (2026-Q3, 2026-H1, 2026-Y, 2026-A01)"),
        ("sequence", "integer", "lần gửi"),
        ("kind", "string", "original | correction"),
        ("corrects", "integer", "lần gửi được thay thế (bản điều chỉnh)"),
        ("created_at", "string", "thời điểm lập gói (ISO 8601)"),
        ("received_at", "string", "thời điểm nhận (ISO 8601)"),
        ("due", "date", "hạn nộp cuối cùng"),
        ("late", "boolean", "nộp muộn"),
        ("status", "string", "accepted | superseded | replay | rejected"),
        ("reason", "string", "lý do từ chối"),
    ],
    "indicator_values": [
        ("office_id", "string", "đơn vị"),
        ("period_id", "string", "kỳ báo cáo"),
        ("indicator_code", "string", "mã chỉ tiêu trong kế hoạch của đơn vị"),
        ("reference_code", "string", "mã chỉ tiêu trong danh mục tổng hợp (trống: không khớp)"),
        ("indicator_name", "string", "tên chỉ tiêu"),
        ("unit", "string", "đơn vị tính"),
        ("value_number", "number", "giá trị số (tỷ lệ tính bằng %)"),
        ("value_text", "string", "giá trị như đơn vị nhập (Có/Không, định tính)"),
        ("target", "string", "mục tiêu mốc kế tiếp của đơn vị, như kế hoạch ghi"),
        ("expected", "number", "giá trị theo lộ trình ở cuối kỳ số liệu"),
        ("assessment", "string", "exceeded | met | ahead | on_track | behind | …"),
    ],
    "task_states": [
        ("office_id", "string", "đơn vị"),
        ("period_id", "string", "kỳ báo cáo"),
        ("task_code", "string", "mã nhiệm vụ (nhóm.số)"),
        ("task_name", "string", "tên nhiệm vụ"),
        ("deadline", "string", "thời hạn như kế hoạch ghi"),
        ("status", "string", "done | in_progress | not_started | … | not_reported"),
        ("overdue", "boolean", "quá hạn ở cuối kỳ số liệu"),
    ],
}
_KEYS: dict[str, dict[str, Any]] = {
    "offices": {"primaryKey": ["office_id"]},
    "submissions": {"primaryKey": ["package_sha256"]},
    "indicator_values": {
        "primaryKey": ["office_id", "period_id", "indicator_code"],
        "foreignKeys": [
            {"fields": ["office_id"], "reference": {"resource": "offices", "fields": ["office_id"]}}
        ],
    },
    "task_states": {
        "primaryKey": ["office_id", "period_id", "task_code"],
        "foreignKeys": [
            {"fields": ["office_id"], "reference": {"resource": "offices", "fields": ["office_id"]}}
        ],
    },
}


@dataclass(frozen=True)
class OpenDataResult:
    path: Path
    periods: list[str]
    rows: dict[str, int]  # per table (or "dataValues")
    skipped_periods: list[str]  # ad-hoc/review reports: no DHIS2 period


def _periods(receiving: Receiving, period_id: str | None) -> list[str]:
    known = sorted(receiving.period_ids(), key=period_sort_key)
    if period_id is None:
        return known
    if period_id not in known:
        listed = ", ".join(known) or "chưa có"
        raise UserError(
            f"Chưa nhận gói báo cáo nào của kỳ '{period_id}'. Các kỳ đã nhận: {listed}."
        )
    return [period_id]


def _office_id(office: ReportingOffice) -> str:
    return office.uid or f"office-{office.id}"


def _value_columns(ind: Indicator, value: Value | None) -> tuple[float | None, str | None]:
    if isinstance(value, bool):
        return None, "Có" if value else "Không"
    if isinstance(value, int | float):
        return float(value), None
    return None, value


def _indicator_rows(report: OfficeReport, refs: list[str]) -> Iterator[list[Any]]:
    values = report.values()
    for iid, (ind, position) in report.plan.indicators.items():
        value = values.get(iid)
        path = report.path(ind, value)
        number, text = _value_columns(ind, value)
        yield [
            _office_id(report.office), report.period.id, ind.code,
            refs[position] if position is not None else None, ind.name, ind.unit, number, text,
            format_target(ind, path.target) or None,
            None if path.expected is None else round(path.expected, 4), path.assessment.value,
        ]  # fmt: skip


def _task_rows(report: OfficeReport) -> Iterator[list[Any]]:
    statuses = report.statuses()
    keys = report.plan.task_keys  # "IV.4", "PL III – IV.4"; "4" in a group without a code
    for state in report.task_states(statuses):
        task = state.task
        status = state.status.value if task.id in statuses else TaskStatus.NOT_REPORTED.value
        code = keys.get(task.id or -1, task.code).lstrip(".")
        yield [_office_id(report.office), report.period.id, code, task.name,
               task.deadline.text if task.deadline else None, status, state.overdue]  # fmt: skip


def _submission_row(p: ReceivedPackage, offices: dict[int, ReportingOffice]) -> list[Any]:
    office = offices.get(p.office_id) if p.office_id is not None else None
    return [p.sha256, _office_id(office) if office else p.office_uid, p.office_name,
            p.period_id, p.sequence, p.kind, p.corrects, p.created_at, p.received_at,
            (p.due or "")[:10] or None, p.late, p.status.value, p.reason]  # fmt: skip


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _write_csv(path: Path, name: str, rows: Iterator[list[Any]]) -> int:
    count = 0
    with atomic_write(path, 0o644) as handle:
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow([f for f, _, _ in _TABLES[name]])
        for row in rows:
            writer.writerow([_csv_cell(v) for v in row])
            count += 1
        text.flush()
        text.detach()
    return count


def write_data_package(
    receiving: Receiving, out_dir: Path, period_id: str | None = None
) -> OpenDataResult:
    """The receiving file as a Frictionless Tabular Data Package in `out_dir`."""
    periods = _periods(receiving, period_id)
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"Không tạo được thư mục '{out_dir}': {exc.strerror or exc}.") from None
    refs_list, _ = reference_indicators(receiving)
    refs = [r.code for r in refs_list]
    index = _RefIndex(refs_list)
    offices = receiving.offices()
    by_id = {o.id: o for o in offices}
    rows: dict[str, int] = {}
    rows["offices"] = _write_csv(
        out_dir / "offices.csv", "offices",
        iter([[_office_id(o), o.name, o.level, o.code] for o in offices]),
    )  # fmt: skip
    rows["submissions"] = _write_csv(
        out_dir / "submissions.csv", "submissions",
        (_submission_row(p, by_id) for pid in periods for p in receiving.packages(period_id=pid)),
    )  # fmt: skip
    rows["indicator_values"] = _write_csv(
        out_dir / "indicator_values.csv", "indicator_values",
        (row for pid in periods for r in office_reports(receiving, pid, index)
         for row in _indicator_rows(r, refs)),
    )  # fmt: skip
    rows["task_states"] = _write_csv(
        out_dir / "task_states.csv", "task_states",
        (row for pid in periods for r in office_reports(receiving, pid, index) for row in _task_rows(r)),
    )  # fmt: skip
    office = receiving.store.plan.office()
    descriptor = {
        "profile": PROFILE,
        "name": "theodoi57-tong-hop",
        "title": f"Số liệu tổng hợp báo cáo Nghị quyết 57 — {office.name}",
        "description": "Các kỳ: " + ", ".join(periods),
        "resources": [_resource(name) for name in _TABLES],
    }
    with atomic_write(out_dir / "datapackage.json", 0o644) as handle:
        handle.write(json.dumps(descriptor, ensure_ascii=False, indent=2).encode("utf-8"))
    return OpenDataResult(out_dir / "datapackage.json", periods, rows, [])


def _resource(name: str) -> dict[str, Any]:
    return {
        "name": name.replace("_", "-"),
        "path": f"{name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {
            "fields": [{"name": f, "type": t, "description": d} for f, t, d in _TABLES[name]],
            "missingValues": [""],
            **_resource_keys(name),
        },
    }


def _resource_keys(name: str) -> dict[str, Any]:
    keys = json.loads(json.dumps(_KEYS.get(name, {})))
    for fk in keys.get("foreignKeys", []):
        fk["reference"]["resource"] = fk["reference"]["resource"].replace("_", "-")
    return keys


def dhis2_period(period: Period) -> str | None:
    """DHIS2's period id (2026, 2026S1, 2026Q3, 202609), None for ad-hoc reports."""
    if period.frequency is Frequency.YEAR:
        return f"{period.year}"
    if period.frequency is Frequency.HALF:
        return f"{period.year}S{period.index}"
    if period.frequency is Frequency.QUARTER:
        return f"{period.year}Q{period.index}"
    if period.frequency is Frequency.MONTH:
        return f"{period.year}{period.index:02d}"
    return None


def _dhis2_value(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def write_dhis2(receiving: Receiving, out: Path, period_id: str | None = None) -> OpenDataResult:
    """DHIS2 dataValueSets JSON of every accepted value (data element = reference code)."""
    periods = _periods(receiving, period_id)
    refs_list, _ = reference_indicators(receiving)
    index = _RefIndex(refs_list)
    count, skipped = 0, []
    with atomic_write(Path(out), 0o644) as handle:
        text = io.TextIOWrapper(handle, encoding="utf-8")
        text.write('{"dataValues": [')
        first = True
        for pid in periods:
            for report in office_reports(receiving, pid, index):
                dhis = dhis2_period(report.period)
                if dhis is None:
                    if pid not in skipped:
                        skipped.append(pid)
                    continue
                first, n = _write_values(text, report, refs_list, dhis, first)
                count += n
        text.write("\n]}\n")
        text.flush()
        text.detach()
    return OpenDataResult(Path(out), periods, {"dataValues": count}, skipped)


def _write_values(
    text: TextIO, report: OfficeReport, refs: list[Any], dhis: str, first: bool
) -> tuple[bool, int]:
    values = report.values()
    n = 0
    for iid, (_ind, position) in report.plan.indicators.items():
        value = values.get(iid)
        if value is None or position is None:
            continue
        item = {"dataElement": refs[position].code, "period": dhis,
                "orgUnit": _office_id(report.office), "value": _dhis2_value(value)}  # fmt: skip
        text.write(("\n" if first else ",\n") + json.dumps(item, ensure_ascii=False))
        first = False
        n += 1
    return first, n
