"""Conversion between store rows and domain dataclasses (one place for the column names)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from .audit import from_json, to_json
from .deadline import parse_deadline
from .errors import UserError
from .plan import (
    DEFAULT_CUTOFF_LEAD_DAYS,
    Baseline,
    Comparator,
    CutoffPolicy,
    Direction,
    DocumentStyle,
    Frequency,
    Indicator,
    IndicatorKind,
    Measure,
    Office,
    OfficeMode,
    PlanInfo,
    ReportingRule,
    Target,
    Task,
)
from .text import clean, fold, nfc


def office_row(office: Office) -> dict[str, Any]:
    return {
        "name": nfc(office.name),
        "level": nfc(office.level),
        "province": nfc(office.province),
        "parent_body": nfc(office.parent_body),
        "issuing_body": nfc(office.issuing_body),
        "style": DocumentStyle(office.style).value,
        "place": nfc(office.place),
        "doc_code": nfc(office.doc_code),
        "signer_name": nfc(office.signer_name),
        "signer_title": nfc(office.signer_title),
        "signer_authority": nfc(office.signer_authority),
        "recipients": json.dumps([nfc(r) for r in office.recipients], ensure_ascii=False),
        "mode": OfficeMode(office.mode).value,
    }


def office_from_row(row: dict[str, Any]) -> Office:
    return Office(
        name=row["name"],
        level=row["level"] or "xã",
        province=row["province"],
        parent_body=row["parent_body"],
        issuing_body=row["issuing_body"],
        style=DocumentStyle(row["style"] or "state"),
        place=row["place"],
        doc_code=row["doc_code"],
        signer_name=row["signer_name"],
        signer_title=row["signer_title"],
        signer_authority=row["signer_authority"],
        recipients=json.loads(row["recipients"] or "[]"),
        mode=OfficeMode(row["mode"] or "reporting"),
    )


def rules_to_json(rules: list[ReportingRule]) -> list[dict[str, Any]]:
    return [
        {
            "frequency": r.frequency.value,
            "due_day": r.due_day,
            "due_month_offset": r.due_month_offset,
            "strict": bool(r.strict),
        }
        for r in rules
    ]


def rules_from_json(items: list[dict[str, Any]]) -> list[ReportingRule]:
    """Rules from JSON; a rule without "strict" was written "trước ngày" (all the seeds are)."""
    rules = []
    for item in items:
        try:
            strict = item.get("strict", True)
            if not isinstance(strict, bool):
                raise TypeError(strict)
            rule = ReportingRule(
                Frequency(item["frequency"]),
                int(item.get("due_day", 20)),
                int(item.get("due_month_offset", 0)),
                strict,
            )
        except (KeyError, ValueError, TypeError, AttributeError):
            raise UserError(f"Chế độ báo cáo không hợp lệ: {item!r}.") from None
        if not 1 <= rule.due_day <= 31 or not -11 <= rule.due_month_offset <= 11:
            raise UserError(f"Hạn nộp báo cáo không hợp lệ: {item!r}.")
        rules.append(rule)
    return rules


def plan_info_row(info: PlanInfo) -> dict[str, Any]:
    """The plan_info columns; the ad-hoc reports have their own table (regime_store)."""
    lead = info.cutoff_lead_days
    if isinstance(lead, bool) or not isinstance(lead, int) or not 1 <= lead <= 60:
        raise UserError("Số ngày chốt số liệu trước hạn nộp phải từ 1 đến 60.")
    start = info.start or info.date
    if start and info.end and info.end < start:
        raise UserError(
            f"Ngày kết thúc kế hoạch ({info.end:%d/%m/%Y}) trước ngày bắt đầu ({start:%d/%m/%Y})."
        )
    return {
        "number": nfc(info.number),
        "title": nfc(info.title),
        "date": info.date.isoformat() if info.date else None,
        "issuer": nfc(info.issuer),
        "milestones": json.dumps(sorted({int(m) for m in info.milestones})),
        "reporting": json.dumps(rules_to_json(info.reporting)),
        "start_date": info.start.isoformat() if info.start else None,
        "end_date": info.end.isoformat() if info.end else None,
        "merge_shorter": 1 if info.merge_shorter else 0,
        "cutoff_policy": CutoffPolicy(info.cutoff_policy).value,
        "cutoff_lead_days": lead,
        "style": DocumentStyle(info.style).value if info.style else None,
    }


def _date_or_none(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def plan_info_from_row(row: dict[str, Any]) -> PlanInfo:
    """A PlanInfo from its row (columns missing before migration 6 get their defaults)."""
    merge = row.get("merge_shorter")
    lead = row.get("cutoff_lead_days")
    return PlanInfo(
        number=row["number"] or "",
        title=row["title"] or "",
        date=_date_or_none(row["date"]),
        issuer=row["issuer"],
        milestones=json.loads(row["milestones"] or "[]"),
        reporting=rules_from_json(json.loads(row["reporting"] or "[]")),
        start=_date_or_none(row.get("start_date")),
        end=_date_or_none(row.get("end_date")),
        merge_shorter=True if merge is None else bool(merge),
        cutoff_policy=CutoffPolicy(row.get("cutoff_policy") or "auto"),
        cutoff_lead_days=DEFAULT_CUTOFF_LEAD_DAYS if lead is None else int(lead),
        style=DocumentStyle(row["style"]) if row.get("style") else None,
    )


def indicator_row(ind: Indicator) -> dict[str, Any]:
    name = clean(ind.name)
    if not name:
        raise UserError("Tên chỉ tiêu không được để trống.")
    return {
        "code": clean(ind.code) or "",
        "name": name,
        "name_folded": fold(name),
        "unit": clean(ind.unit),
        "kind": IndicatorKind(ind.kind).value,
        "direction": Direction(ind.direction).value,
        "baseline_value": to_json(ind.baseline.value),
        "baseline_text": clean(ind.baseline.text),
        "baseline_as_of": clean(ind.baseline.as_of),
        "baseline_not_assessed": int(bool(ind.baseline.not_assessed)),
        "lead_agency": clean(ind.lead_agency),
        "note": nfc(ind.note) or None,
        "measure": Measure(ind.measure).value if ind.measure else None,
    }


def indicator_from_row(row: dict[str, Any], targets: dict[int, Target]) -> Indicator:
    return Indicator(
        id=row["id"],
        code=row["code"],
        name=row["name"],
        unit=row["unit"],
        kind=IndicatorKind(row["kind"]),
        direction=Direction(row["direction"]),
        baseline=Baseline(
            value=from_json(row["baseline_value"]),
            text=row["baseline_text"],
            as_of=row["baseline_as_of"],
            not_assessed=bool(row["baseline_not_assessed"]),
        ),
        targets=targets,
        lead_agency=row["lead_agency"],
        note=row["note"],
        measure=Measure(row["measure"]) if row.get("measure") else None,  # None: inferred
    )


def target_row(target: Target) -> dict[str, Any]:
    """The target's columns. The flags added by schema 6 are NULL when they hold their
    default (not approximate, required), so a target without them keeps the row it had."""
    high = target.high
    if high is not None and (isinstance(high, bool) or not isinstance(high, int | float)):
        raise UserError("Cận trên của khoảng mục tiêu phải là một số.")
    return {
        "comparator": Comparator(target.comparator).value if target.comparator else None,
        "value": to_json(target.value),
        "text": clean(target.text),
        "high": float(high) if high is not None else None,
        "approximate": 1 if target.approximate else None,
        "not_required": None if target.required else 1,
    }


def target_from_row(row: dict[str, Any]) -> Target:
    """A target from its row; the schema-6 columns may be missing (an audit entry of an
    older row) and then hold their defaults."""
    return Target(
        comparator=Comparator(row["comparator"]) if row["comparator"] else None,
        value=from_json(row["value"]),
        text=row["text"],
        high=row.get("high"),
        approximate=bool(row.get("approximate")),
        required=not row.get("not_required"),
    )


def task_row(task: Task) -> dict[str, Any]:
    name = clean(task.name)
    if not name:
        raise UserError("Tên nhiệm vụ không được để trống.")
    return {
        "code": clean(task.code) or "",
        "name": name,
        "name_folded": fold(name),
        "lead_agency": clean(task.lead_agency),
        "partners": json.dumps([clean(p) for p in task.partners if clean(p)], ensure_ascii=False),
        "output": clean(task.output),
        "deadline_text": task.deadline.text if task.deadline else None,
        "note": nfc(task.note) or None,
    }


def task_from_row(row: dict[str, Any]) -> Task:
    return Task(
        id=row["id"],
        code=row["code"],
        name=row["name"],
        lead_agency=row["lead_agency"],
        partners=json.loads(row["partners"] or "[]"),
        output=row["output"],
        deadline=parse_deadline(row["deadline_text"]),
        note=row["note"],
    )
