"""Storing the reporting regime: the plan's regime settings and its ad-hoc and review reports.

The settings are columns of `plan_info` (migration 6), so `Store.update_plan_info`
and undo see them like the rest of the plan header; the ad-hoc and review
reports ("Báo cáo sơ kết 6 tháng", "đột xuất theo Công văn số …") are rows
of `ad_hoc_period`, keyed by their period id (`2026-A01`). Every write runs in
one transaction with its audit entries and returns a `Change`, as the other
store parts do (see rule_edits.py).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from .audit import now_iso
from .change import Action, Change, Subject
from .errors import UserError
from .periods import Period, ad_hoc_id, split_period_id
from .plan import AdHocReport, CutoffPolicy, DocumentStyle, PeriodKind, PlanInfo, ReportingRule
from .regime import check_ad_hoc, plan_periods
from .rows import plan_info_from_row, plan_info_row
from .store_part import StorePart

AD_HOC_TABLE = "ad_hoc_period"
PLAN_INFO_KEY = 1
REGIME_COLUMNS = ("reporting", "start_date", "end_date", "merge_shorter", "cutoff_policy",
                  "cutoff_lead_days", "style")  # fmt: skip
_ENTRY_TABLES = ("indicator_value", "task_progress", "narrative", "attachment", "package_export",
                 "period_state")  # fmt: skip
_AD_HOC_ID = re.compile(r"^(\d{4})-A(\d{2})$")
_UNSET: Any = object()


def _ad_hoc_row(report: AdHocReport) -> dict[str, Any]:
    return {
        "kind": PeriodKind(report.kind).value,
        "title": report.title,
        "start_date": report.start.isoformat(),
        "end_date": report.end.isoformat(),
        "deadline": report.deadline.isoformat(),
        "strict": 1 if report.strict else 0,
    }


def _ad_hoc_from_row(row: dict[str, Any]) -> AdHocReport:
    return AdHocReport(
        kind=PeriodKind(row["kind"]),
        title=row["title"],
        start=date.fromisoformat(row["start_date"]),
        end=date.fromisoformat(row["end_date"]),
        deadline=date.fromisoformat(row["deadline"]),
        strict=bool(row["strict"]),
        id=row["period_id"],
    )


class RegimePart(StorePart):
    """`store.regime`: the plan's reporting regime and the reports the secretary creates."""

    # -- the regime settings -----------------------------------------------------------
    def regime_info(self) -> PlanInfo:
        """The plan header with its regime, ad-hoc and review reports included."""
        info = plan_info_from_row(self.db.get("plan_info", PLAN_INFO_KEY))
        info.ad_hoc = self.ad_hoc_reports()
        return info

    def regime_periods(self, upto: date, since: date | None = None) -> list[Period]:
        """`regime.plan_periods` of the stored plan."""
        return plan_periods(self.regime_info(), upto, since)

    def set_regime(
        self,
        *,
        reporting: list[ReportingRule] = _UNSET,
        start: date | None = _UNSET,
        end: date | None = _UNSET,
        merge_shorter: bool = _UNSET,
        cutoff_policy: CutoffPolicy = _UNSET,
        cutoff_lead_days: int = _UNSET,
        style: DocumentStyle | None = _UNSET,
    ) -> Change:
        """Change the given regime settings (the others stay), audited field by field."""
        given = {
            "reporting": reporting, "start": start, "end": end, "merge_shorter": merge_shorter,
            "cutoff_policy": cutoff_policy, "cutoff_lead_days": cutoff_lead_days, "style": style,
        }  # fmt: skip
        changes: dict[str, Any] = {k: v for k, v in given.items() if v is not _UNSET}
        for name in ("start", "end"):
            value = changes.get(name)
            if value is not None and (isinstance(value, datetime) or not isinstance(value, date)):
                raise UserError(
                    f"Ngày {'bắt đầu' if name == 'start' else 'kết thúc'} không hợp lệ."
                )
        if "merge_shorter" in changes and not isinstance(changes["merge_shorter"], bool):
            raise UserError("Gộp báo cáo phải là có hoặc không.")
        try:
            if "cutoff_policy" in changes:
                changes["cutoff_policy"] = CutoffPolicy(changes["cutoff_policy"])
            if changes.get("style") is not None:
                changes["style"] = DocumentStyle(changes["style"])
        except ValueError as exc:
            raise UserError(f"Chế độ báo cáo không hợp lệ ({exc}).") from None
        with self.db.atomic():
            current = plan_info_from_row(self.db.table("plan_info").get(PLAN_INFO_KEY))
            new = {k: v for k, v in plan_info_row(replace(current, **changes)).items()
                   if k in REGIME_COLUMNS}  # fmt: skip
            old = {
                k: v for k, v in self.db.table("plan_info").get(PLAN_INFO_KEY).items() if k in new
            }
            fields = self.audit.record_diff("plan_info", PLAN_INFO_KEY, old, new)
            if fields:
                self.db.table("plan_info").update(PLAN_INFO_KEY, {f: new[f] for f in fields})
        return Change(Subject.PLAN_INFO, PLAN_INFO_KEY, fields=fields)

    # -- ad-hoc and review reports --------------------------------------------------------
    def ad_hoc_reports(self) -> list[AdHocReport]:
        """All of them, by data window then id (plan_periods puts them in the regime's order)."""
        rows = self.db.query(
            f"SELECT * FROM {AD_HOC_TABLE} ORDER BY end_date, start_date, period_id"
        )
        return [_ad_hoc_from_row(r) for r in rows]

    def ad_hoc_report(self, period_id: str) -> AdHocReport:
        pid = (period_id or "").strip().upper()
        rows = list(self.db.query(f"SELECT * FROM {AD_HOC_TABLE} WHERE period_id = ?", [pid]))
        if not rows:
            raise UserError(f"Không có báo cáo đột xuất, sơ kết mã '{pid}'.", "missing")
        return _ad_hoc_from_row(rows[0])

    def _next_id(self, year: int) -> str:
        numbers = [
            int(m[2])
            for r in self.db.query(f"SELECT period_id FROM {AD_HOC_TABLE}")
            if (m := _AD_HOC_ID.match(r["period_id"])) and int(m[1]) == year
        ]
        number = max(numbers, default=0) + 1
        if number > 99:
            raise UserError(f"Năm {year} đã có 99 báo cáo đột xuất, sơ kết: không thêm được nữa.")
        return ad_hoc_id(year, number)

    def add_ad_hoc(self, report: AdHocReport) -> Change:
        """Add an ad-hoc or review report; `Change.item` is its new id (`2026-A01`).

        The id is the year of the data window's end and the next number in that
        year; a report read from a plan JSON keeps its own id if still free.
        """
        report = check_ad_hoc(report)
        with self.db.atomic():
            if report.id:
                if list(self.db.query(
                    f"SELECT 1 FROM {AD_HOC_TABLE} WHERE period_id = ?", [report.id]
                )):  # fmt: skip
                    raise UserError(f"Đã có báo cáo mã '{report.id}'.")
                pid = report.id
            else:
                pid = self._next_id(report.end.year)
            row = _ad_hoc_row(report)
            self.db.table(AD_HOC_TABLE).insert({"period_id": pid, **row, "created_at": now_iso()})
            self.audit.record(AD_HOC_TABLE, pid, "*", None, row, "insert")
        return Change(Subject.AD_HOC_PERIOD, pid, pid, frozenset(row), Action.INSERT)

    def update_ad_hoc(self, period_id: str, **changes: Any) -> Change:
        """Change the title, kind, window (start, end), deadline or strict of a report.

        Its id stays. Refused once the report is closed or sent: its window is
        in a document that has left the office.
        """
        unknown = set(changes) - {"kind", "title", "start", "end", "deadline", "strict"}
        if unknown:
            raise UserError(f"Không sửa được trường {', '.join(sorted(unknown))} của báo cáo.")
        with self.db.atomic():
            current = self.ad_hoc_report(period_id)
            assert current.id is not None  # read from the table
            self._require_open(current)
            new = _ad_hoc_row(check_ad_hoc(replace(current, **changes)))
            old = {k: v for k, v in self.db.table(AD_HOC_TABLE).get(current.id).items() if k in new}
            fields = self.audit.record_diff(AD_HOC_TABLE, current.id, old, new)
            if fields:
                self.db.table(AD_HOC_TABLE).update(current.id, {f: new[f] for f in fields})
        return Change(Subject.AD_HOC_PERIOD, current.id, current.id, fields)

    def delete_ad_hoc(self, period_id: str) -> Change:
        """Remove a report nobody entered anything for (else refused: nothing is lost)."""
        with self.db.atomic():
            current = self.ad_hoc_report(period_id)
            pid = str(current.id)
            for table in _ENTRY_TABLES:
                if table in self.db.table_names() and list(
                    self.db.query(f"SELECT 1 FROM {table} WHERE period_id = ? LIMIT 1", [pid])
                ):
                    raise UserError(
                        f"Báo cáo {pid} ({current.title}) đã có số liệu, tiến độ hoặc đã gửi: "
                        "không xóa được.",
                        "in_use",
                    )
            old = dict(self.db.table(AD_HOC_TABLE).get(pid))
            self.db.table(AD_HOC_TABLE).delete(pid)
            self.audit.record(AD_HOC_TABLE, pid, "*", old, None, "delete")
        return Change(Subject.AD_HOC_PERIOD, pid, pid, action=Action.DELETE)

    def _require_open(self, report: AdHocReport) -> None:
        rows = list(
            self.db.query("SELECT state FROM period_state WHERE period_id = ?", [report.id])
        )
        if rows and rows[0]["state"] in ("closed", "sent"):
            raise UserError(
                f"Báo cáo {report.id} ({report.title}) đã chốt hoặc đã gửi: mở lại kỳ trước khi sửa.",
                "locked",
            )


def is_ad_hoc_id(period_id: str) -> bool:
    """Whether `period_id` has the ad-hoc form (`2026-A01`); UserError if it is no id at all."""
    return split_period_id(period_id)[0] is None
