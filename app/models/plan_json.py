"""The plan as JSON (`theodoi57/plan`, version 1): the interchange shape.

`plan show --json`, the sample plans and the package's `data.json` use these
names; `resources/schema/plan.schema.json` publishes them. Loading checks
every field and names the place of the first problem ("indicator_groups[0].
indicators[3].kind"), so a hand-edited file gets a useful message.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any

from .agency import Agency, AgencyKind, agency_row
from .deadline import parse_deadline
from .errors import UserError
from .periods import split_period_id
from .plan import (
    DEFAULT_CUTOFF_LEAD_DAYS,
    DEFAULT_OUTLIER_SHARE,
    DEFAULT_PATH_TOLERANCE,
    AdHocReport,
    Baseline,
    Comparator,
    CutoffPolicy,
    Direction,
    DocumentStyle,
    Indicator,
    IndicatorGroup,
    IndicatorKind,
    Measure,
    Office,
    OfficeMode,
    PeriodKind,
    Plan,
    PlanInfo,
    RuleKind,
    Severity,
    Target,
    Task,
    TaskAppendix,
    TaskGroup,
    ValidationRule,
)
from .regime import check_ad_hoc
from .rows import rules_from_json, rules_to_json
from .rule_edits import check_path_tolerance, check_rule
from .task_labels import normal_key, several_appendices, task_key, task_label
from .text import clean, nfc
from .values import reread_target

FORMAT = "theodoi57/plan"
VERSION = 1


def office_to_json(office: Office) -> dict[str, Any]:
    return {
        "name": office.name,
        "level": office.level,
        "province": office.province,
        "parent_body": office.parent_body,
        "issuing_body": office.issuing_body,
        "style": office.style.value,
        "place": office.place,
        "doc_code": office.doc_code,
        "signer_name": office.signer_name,
        "signer_title": office.signer_title,
        "signer_authority": office.signer_authority,
        "recipients": list(office.recipients),
        "mode": office.mode.value,
    }


def target_to_json(target: Target) -> dict[str, Any]:
    return {
        "comparator": target.comparator.value if target.comparator else None,
        "value": target.value,
        "text": target.text,
        "high": target.high,
        "approximate": target.approximate,
        "required": target.required,
    }


def indicator_to_json(ind: Indicator) -> dict[str, Any]:
    return {
        "id": ind.id,
        "code": ind.code,
        "name": ind.name,
        "unit": ind.unit,
        "kind": ind.kind.value,
        "direction": ind.direction.value,
        "baseline": {
            "value": ind.baseline.value,
            "text": ind.baseline.text,
            "as_of": ind.baseline.as_of,
            "not_assessed": ind.baseline.not_assessed,
        },
        "targets": {str(y): target_to_json(t) for y, t in sorted(ind.targets.items())},
        "lead_agency": ind.lead_agency,
        "note": ind.note,
        "measure": ind.measure.value if ind.measure else None,
    }


def task_to_json(task: Task) -> dict[str, Any]:
    return {
        "id": task.id,
        "code": task.code,
        "name": task.name,
        "lead_agency": task.lead_agency,
        "partners": list(task.partners),
        "output": task.output,
        "deadline": task.deadline.to_json() if task.deadline else None,
        "note": task.note,
    }


def plan_to_json(plan: Plan) -> dict[str, Any]:
    info = plan.info
    return {
        "format": FORMAT,
        "version": VERSION,
        "office": office_to_json(plan.office),
        "plan": {
            "number": info.number,
            "title": info.title,
            "date": info.date.isoformat() if info.date else None,
            "issuer": info.issuer,
            "milestones": sorted(info.milestones),
            "reporting": rules_to_json(info.reporting),
            **regime_to_json(info),
        },
        "indicator_groups": [
            {
                "code": g.code,
                "title": g.title,
                "indicators": [indicator_to_json(i) for i in g.indicators],
            }
            for g in plan.indicator_groups
        ],
        **(
            {"task_appendices": [{"code": a.code, "title": a.title} for a in plan.task_appendices]}
            if plan.task_appendices
            else {}
        ),
        "task_groups": [
            {
                "code": g.code,
                "title": g.title,
                **({"appendix": g.appendix} if g.appendix else {}),
                "tasks": [task_to_json(t) for t in g.tasks],
            }
            for g in plan.task_groups
        ],
        "validation": {
            "outlier_share": plan.outlier_share,
            "path_tolerance": plan.path_tolerance,
            "rules": [rule_to_json(r) for r in plan.rules],
        },
        **({"agencies": [agency_to_json(a) for a in plan.agencies]} if plan.agencies else {}),
    }


def agency_to_json(agency: Agency) -> dict[str, Any]:
    """An agency of the office's list; `aliases` are the plan's wordings that mean it."""
    return {
        "short_name": agency.short_name, "name": agency.name, "contact": agency.contact,
        "phone": agency.phone, "email": agency.email, "kind": AgencyKind(agency.kind).value,
        "aliases": list(agency.aliases),
    }  # fmt: skip


def _agencies(data: Any) -> list[Agency]:
    """`agencies` of a plan JSON (absent in files written before agencies existed)."""
    out = []
    for i, x in enumerate(data or []):
        r = _Reader(x, f"agencies[{i}]")
        aliases = r.list("aliases")
        if not all(isinstance(a, str) for a in aliases):
            raise UserError(f"{r.where('aliases')}: phải là danh sách chuỗi ký tự.")
        name = r.text("name", required=True) or ""
        agency = Agency(r.text("short_name") or name, name, r.text("contact"), r.text("phone"),
                        r.text("email"), r.enum("kind", AgencyKind, AgencyKind.FORM),
                        [nfc(a) or "" for a in aliases])  # fmt: skip
        try:
            agency_row(agency)
        except UserError as exc:
            raise UserError(f"agencies[{i}]: {exc.message}") from None
        out.append(agency)
    return out


def regime_to_json(info: PlanInfo) -> dict[str, Any]:
    """The regime beyond its rules: start, end, merging, cut-off, ad-hoc reports."""
    return {
        "start": info.start.isoformat() if info.start else None,
        "end": info.end.isoformat() if info.end else None,
        "style": info.style.value if info.style else None,
        "merge_shorter": bool(info.merge_shorter),
        "cutoff_policy": CutoffPolicy(info.cutoff_policy).value,
        "cutoff_lead_days": info.cutoff_lead_days,
        "ad_hoc": [
            {
                "id": r.id,
                "kind": PeriodKind(r.kind).value,
                "title": r.title,
                "start": r.start.isoformat(),
                "end": r.end.isoformat(),
                "deadline": r.deadline.isoformat(),
                "strict": bool(r.strict),
            }
            for r in info.ad_hoc
        ],
    }


def rule_to_json(rule: ValidationRule) -> dict[str, Any]:
    """A rule with only the keys its kind uses; indicators named by code."""
    out: dict[str, Any] = {"indicator": rule.indicator, "kind": rule.kind.value,
                           "severity": rule.severity.value}  # fmt: skip
    if rule.kind is RuleKind.RANGE:
        out["minimum"], out["maximum"] = rule.minimum, rule.maximum
    elif rule.kind is RuleKind.COMPARE:
        out["comparator"] = rule.comparator.value if rule.comparator else None
        out["other"] = rule.other
    elif rule.kind is RuleKind.OUTLIER:
        out["share"] = rule.share
    return out


# -- loading -------------------------------------------------------------------------


class _Reader:
    """Typed access to a JSON object that reports the path of what is wrong."""

    def __init__(self, data: Any, path: str) -> None:
        if not isinstance(data, dict):
            raise UserError(f"{path or 'Tệp'}: phải là một đối tượng JSON.")
        self.data = data
        self.path = path

    def where(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def text(self, key: str, required: bool = False) -> str | None:
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                raise UserError(f"{self.where(key)}: thiếu giá trị bắt buộc.")
            return None
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise UserError(f"{self.where(key)}: phải là chuỗi ký tự.")
        return nfc(str(value))

    def enum(self, key: str, enum: type[Enum], default: Any) -> Any:
        value = self.data.get(key)
        if value is None:
            return default
        try:
            return enum(value)
        except ValueError:
            allowed = ", ".join(e.value for e in enum)
            raise UserError(
                f"{self.where(key)}: '{value}' không hợp lệ (chọn: {allowed})."
            ) from None

    def list(self, key: str) -> list[Any]:
        value = self.data.get(key, [])
        if value is None:
            return []
        if not isinstance(value, list):
            raise UserError(f"{self.where(key)}: phải là một danh sách.")
        return value

    def child(self, key: str) -> _Reader:
        return _Reader(self.data.get(key) or {}, self.where(key))


def _scalar(value: Any, where: str) -> float | bool | str | None:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        return nfc(value)
    raise UserError(f"{where}: giá trị phải là số, đúng/sai hoặc chuỗi.")


_TARGET_FIELDS_V6 = ("high", "approximate", "required")


def _flag(r: _Reader, key: str, default: bool) -> bool:
    value = r.data.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise UserError(f"{r.where(key)}: phải là true hoặc false.")
    return value


def _target(data: Any, where: str, kind: IndicatorKind) -> Target:
    """A target; one written before ranges and not-required years existed (none of
    their keys) gets them from its wording, as migration 6 does for data files."""
    r = _Reader(data, where)
    value = _scalar(r.data.get("value"), r.where("value"))
    if isinstance(value, str):
        raise UserError(f"{r.where('value')}: mục tiêu phải là số hoặc đúng/sai; chữ để ở 'text'.")
    high = r.data.get("high")
    if high is not None:
        if isinstance(high, bool) or not isinstance(high, int | float):
            raise UserError(f"{r.where('high')}: cận trên của khoảng phải là số.")
        if isinstance(value, bool) or value is None:
            raise UserError(f"{r.where('high')}: chỉ dùng khi 'value' là số (cận dưới).")
        if high < value:
            raise UserError(f"{r.where('high')}: cận trên nhỏ hơn cận dưới ({value}).")
        high = float(high)
    target = Target(
        r.enum("comparator", Comparator, None),
        value,
        r.text("text"),
        high=high,
        approximate=_flag(r, "approximate", False),
        required=_flag(r, "required", True),
    )
    if not any(key in r.data for key in _TARGET_FIELDS_V6):
        target = reread_target(kind, target)
    return target


def _indicator(data: Any, where: str) -> Indicator:
    r = _Reader(data, where)
    b = r.child("baseline")
    targets = {}
    raw_targets = r.data.get("targets") or {}
    if not isinstance(raw_targets, dict):
        raise UserError(f"{r.where('targets')}: phải là một đối tượng theo năm.")
    kind = r.enum("kind", IndicatorKind, IndicatorKind.PERCENT)
    for year, t in raw_targets.items():
        if not str(year).isdigit() or not 1900 < int(year) < 2200:
            raise UserError(f"{r.where('targets')}: năm '{year}' không hợp lệ.")
        targets[int(year)] = _target(t, f"{r.where('targets')}.{year}", kind)
    baseline_value = _scalar(b.data.get("value"), b.where("value"))
    if isinstance(baseline_value, str):
        raise UserError(f"{b.where('value')}: hiện trạng là số hoặc đúng/sai; chữ để ở 'text'.")
    return Indicator(
        code=r.text("code") or "",
        name=r.text("name", required=True) or "",
        unit=r.text("unit"),
        kind=kind,
        direction=r.enum("direction", Direction, Direction.HIGHER_BETTER),
        baseline=Baseline(
            value=baseline_value,
            text=b.text("text"),
            as_of=b.text("as_of"),
            not_assessed=bool(b.data.get("not_assessed", False)),
        ),
        targets=targets,
        lead_agency=r.text("lead_agency"),
        note=r.text("note"),
        measure=r.enum("measure", Measure, None),  # None: inferred from name and unit
    )


def _task(data: Any, where: str) -> Task:
    r = _Reader(data, where)
    deadline_data = r.data.get("deadline")
    if isinstance(deadline_data, dict):
        deadline_text = _Reader(deadline_data, r.where("deadline")).text("text")
    elif deadline_data is None or isinstance(deadline_data, str):
        deadline_text = deadline_data
    else:
        raise UserError(f"{r.where('deadline')}: phải là chuỗi hoặc đối tượng có 'text'.")
    try:
        deadline = parse_deadline(deadline_text)
    except UserError as exc:
        raise UserError(f"{r.where('deadline')}: {exc.message}") from None
    partners = [nfc(str(p)) for p in r.list("partners") if clean(str(p))]
    return Task(
        code=r.text("code") or "",
        name=r.text("name", required=True) or "",
        lead_agency=r.text("lead_agency"),
        partners=partners,  # type: ignore[arg-type]
        output=r.text("output"),
        deadline=deadline,
        note=r.text("note"),
    )


def office_from_json(data: Any, where: str = "office") -> Office:
    r = _Reader(data, where)
    return Office(
        name=r.text("name", required=True) or "",
        level=r.text("level") or "xã",
        province=r.text("province"),
        parent_body=r.text("parent_body"),
        issuing_body=r.text("issuing_body"),
        style=r.enum("style", DocumentStyle, DocumentStyle.STATE),
        place=r.text("place"),
        doc_code=r.text("doc_code"),
        signer_name=r.text("signer_name"),
        signer_title=r.text("signer_title"),
        signer_authority=r.text("signer_authority"),
        recipients=[nfc(str(x)) for x in r.list("recipients")],  # type: ignore[misc]
        mode=r.enum("mode", OfficeMode, OfficeMode.REPORTING),
    )


def plan_from_json(data: Any) -> Plan:
    """Build a Plan from the JSON shape; UserError names the first wrong field."""
    top = _Reader(data, "")
    if top.data.get("format") != FORMAT:
        raise UserError(f"Không phải dữ liệu kế hoạch (format phải là '{FORMAT}').")
    if top.data.get("version") != VERSION:
        raise UserError(f"Phiên bản dữ liệu kế hoạch {top.data.get('version')!r} chưa được hỗ trợ.")
    p = top.child("plan")
    plan_date = _date(p, "date")
    milestones = p.list("milestones")
    if not all(isinstance(m, int) and not isinstance(m, bool) for m in milestones):
        raise UserError("plan.milestones: phải là danh sách các năm (số nguyên).")
    info = PlanInfo(
        number=p.text("number") or "",
        title=p.text("title") or "",
        date=plan_date,
        issuer=p.text("issuer"),
        milestones=sorted(set(milestones)),
        reporting=rules_from_json(p.list("reporting")),
    )
    _regime(p, info)
    indicator_groups = []
    for gi, g in enumerate(top.list("indicator_groups")):
        gr = _Reader(g, f"indicator_groups[{gi}]")
        indicator_groups.append(
            IndicatorGroup(
                gr.text("code") or "",
                gr.text("title", required=True) or "",
                [
                    _indicator(x, f"{gr.path}.indicators[{i}]")
                    for i, x in enumerate(gr.list("indicators"))
                ],
            )
        )
    appendices = _appendices(top)
    task_groups = []
    for gi, g in enumerate(top.list("task_groups")):
        gr = _Reader(g, f"task_groups[{gi}]")
        group = TaskGroup(
            gr.text("code") or "",
            gr.text("title", required=True) or "",
            [_task(x, f"{gr.path}.tasks[{i}]") for i, x in enumerate(gr.list("tasks"))],
            appendix=gr.text("appendix") or "",
        )
        if appendices and group.appendix not in {a.code for a in appendices}:
            raise UserError(
                f"{gr.where('appendix')}: phải là mã một phụ lục nhiệm vụ của task_appendices "
                f"({', '.join(a.code for a in appendices)})."
            )
        if not appendices and group.appendix:
            raise UserError(f"{gr.where('appendix')}: kế hoạch không có task_appendices.")
        task_groups.append(group)
    rules, share, tolerance = _validation(top.data.get("validation"))
    if not isinstance(top.data.get("agencies") or [], list):
        raise UserError("agencies: phải là một danh sách.")
    plan = Plan(office_from_json(top.data.get("office")), info, indicator_groups, task_groups,
                rules, share, tolerance, _agencies(top.data.get("agencies")),
                task_appendices=appendices)  # fmt: skip
    check_appendix_codes(plan)
    return plan


def _appendices(top: _Reader) -> list[TaskAppendix]:
    """`task_appendices` (absent in plans of one appendix and in files written before it)."""
    out: list[TaskAppendix] = []
    for i, item in enumerate(top.list("task_appendices")):
        r = _Reader(item, f"task_appendices[{i}]")
        code = (r.text("code", required=True) or "").upper()
        if code in {a.code for a in out}:
            raise UserError(f"{r.where('code')}: mã phụ lục '{code}' bị trùng.")
        out.append(TaskAppendix(code, r.text("title") or ""))
    return out


def check_appendix_codes(plan: Plan) -> None:
    """Two tasks may not share a key ("PL II – 4" twice): they could not be told apart in
    forms, `period values` or a package."""
    seen: dict[str, str] = {}
    for g in plan.task_groups:
        for t in g.tasks:
            key = normal_key(task_key(plan, g, t))
            label = task_label(plan, g, t)
            if key in seen and several_appendices(plan):
                raise UserError(f"Nhiệm vụ {label} bị trùng mã ({seen[key]} và {t.name[:40]}).")
            seen[key] = t.name[:40]


def _date(r: _Reader, key: str, required: bool = False) -> date | None:
    raw = r.text(key, required)
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        raise UserError(f"{r.where(key)}: '{raw}' không phải ngày dạng YYYY-MM-DD.") from None


def _regime(p: _Reader, info: PlanInfo) -> None:
    """The optional regime members of `plan` (absent in plans written before them)."""
    info.start = _date(p, "start")
    info.end = _date(p, "end")
    first = info.start or info.date
    if first and info.end and info.end < first:
        raise UserError(f"{p.where('end')}: ngày kết thúc trước ngày bắt đầu kế hoạch.")
    info.style = p.enum("style", DocumentStyle, None)
    info.merge_shorter = _flag(p, "merge_shorter", True)
    info.cutoff_policy = p.enum("cutoff_policy", CutoffPolicy, CutoffPolicy.AUTO)
    lead = p.data.get("cutoff_lead_days", DEFAULT_CUTOFF_LEAD_DAYS)
    if lead is None:
        lead = DEFAULT_CUTOFF_LEAD_DAYS
    if isinstance(lead, bool) or not isinstance(lead, int) or not 1 <= lead <= 60:
        raise UserError(f"{p.where('cutoff_lead_days')}: phải là số ngày từ 1 đến 60.")
    info.cutoff_lead_days = lead
    seen: set[str] = set()
    for i, item in enumerate(p.list("ad_hoc")):
        r = _Reader(item, f"{p.where('ad_hoc')}[{i}]")
        pid = r.text("id")
        if pid is not None:
            try:
                frequency = split_period_id(pid)[0]
            except UserError as exc:
                raise UserError(f"{r.where('id')}: {exc.message}") from None
            if frequency is not None:
                raise UserError(
                    f"{r.where('id')}: '{pid}' không phải mã báo cáo đột xuất (2026-A01)."
                )
            pid = pid.upper()
            if pid in seen:
                raise UserError(f"{r.where('id')}: mã '{pid}' bị trùng.")
            seen.add(pid)
        report = AdHocReport(
            kind=r.enum("kind", PeriodKind, None),
            title=r.text("title", required=True) or "",
            start=_date(r, "start", required=True),  # type: ignore[arg-type]
            end=_date(r, "end", required=True),  # type: ignore[arg-type]
            deadline=_date(r, "deadline", required=True),  # type: ignore[arg-type]
            strict=_flag(r, "strict", True),
            id=pid,
        )
        if report.kind is None:
            raise UserError(f"{r.where('kind')}: thiếu giá trị bắt buộc.")
        info.ad_hoc.append(check_ad_hoc(report, r.path))


def _validation(data: Any) -> tuple[list[ValidationRule], float, float]:
    """The optional `validation` member: rules (indicators by code), the outlier share
    and the path tolerance (both optional: a plan JSON of an earlier version has neither)."""
    if data is None:
        return [], DEFAULT_OUTLIER_SHARE, DEFAULT_PATH_TOLERANCE
    v = _Reader(data, "validation")
    share = v.data.get("outlier_share", DEFAULT_OUTLIER_SHARE)
    if isinstance(share, bool) or not isinstance(share, int | float) or share <= 0:
        raise UserError("validation.outlier_share: phải là số dương (0.5 là 50%).")
    try:
        tolerance = check_path_tolerance(v.data.get("path_tolerance", DEFAULT_PATH_TOLERANCE))
    except UserError as exc:
        raise UserError(f"validation.path_tolerance: {exc.message}") from None
    rules = []
    for i, item in enumerate(v.list("rules")):
        r = _Reader(item, f"validation.rules[{i}]")
        numbers = {}
        for key in ("minimum", "maximum", "share"):
            value = r.data.get(key)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int | float)
            ):
                raise UserError(f"{r.where(key)}: phải là số.")
            numbers[key] = None if value is None else float(value)
        rule = ValidationRule(
            indicator=r.text("indicator", required=True) or "",
            kind=r.enum("kind", RuleKind, None) or RuleKind.RANGE,
            severity=r.enum("severity", Severity, Severity.WARNING),
            other=r.text("other"),
            comparator=r.enum("comparator", Comparator, None),
            minimum=numbers["minimum"],
            maximum=numbers["maximum"],
            share=numbers["share"],
        )
        if r.data.get("kind") is None:
            raise UserError(f"{r.where('kind')}: thiếu giá trị bắt buộc.")
        rules.append(check_rule(rule, r.path))
    return rules, float(share), tolerance
