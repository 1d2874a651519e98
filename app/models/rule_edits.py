"""Storing the plan's validation rules: add, change, remove, with audit.

Rules are part of the plan (they travel in the plan JSON and in data.json)
but live in their own table, keyed by indicator id; JSON names indicators by
code. The plan-wide outlier share is a `meta` entry, so it needs no table.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any, cast

from .change import Action, Change, Subject
from .errors import UserError
from .plan import (
    DEFAULT_OUTLIER_SHARE,
    DEFAULT_PATH_TOLERANCE,
    MAX_PATH_TOLERANCE,
    Comparator,
    RuleKind,
    Severity,
    ValidationRule,
)
from .store_part import StorePart

OUTLIER_KEY = "outlier_share"
PATH_TOLERANCE_KEY = "path_tolerance"
_COLUMNS = ("indicator_id", "kind", "severity", "minimum", "maximum", "other_id", "comparator",
            "share")  # fmt: skip


def check_rule(rule: ValidationRule, where: str = "") -> ValidationRule:
    """The rule with its enums converted, or UserError saying what is missing."""
    prefix = f"{where}: " if where else ""
    try:
        kind = RuleKind(rule.kind)
        severity = Severity(rule.severity)
        comparator = Comparator(rule.comparator) if rule.comparator else None
    except ValueError as exc:
        raise UserError(f"{prefix}quy tắc không hợp lệ ({exc}).") from None
    numbers = {"minimum": rule.minimum, "maximum": rule.maximum, "share": rule.share}
    for name, value in numbers.items():
        if value is not None and (isinstance(value, bool) or not math.isfinite(float(value))):
            raise UserError(f"{prefix}'{name}' phải là một số.")
    if kind is RuleKind.RANGE:
        if rule.minimum is None and rule.maximum is None:
            raise UserError(f"{prefix}quy tắc giới hạn cần giá trị nhỏ nhất hoặc lớn nhất.")
        if rule.minimum is not None and rule.maximum is not None and rule.minimum > rule.maximum:
            raise UserError(f"{prefix}giá trị nhỏ nhất lớn hơn giá trị lớn nhất.")
    if kind is RuleKind.COMPARE and (comparator is None or not (rule.other or rule.other_id)):
        raise UserError(f"{prefix}quy tắc so sánh cần chỉ tiêu so sánh và dấu so sánh.")
    if kind is RuleKind.OUTLIER and (rule.share is None or rule.share <= 0):
        raise UserError(f"{prefix}ngưỡng biến động phải là số dương (ví dụ 0,3 là 30%).")
    if kind is RuleKind.OUTLIER:
        severity = Severity.WARNING  # an outlier may be true: it is explained, never refused
    return replace(rule, kind=kind, severity=severity, comparator=comparator)


class RulesPart(StorePart):
    """`store.rules`: the plan's validation rules and its outlier share."""

    def validation_rules(self) -> list[ValidationRule]:
        codes = {r["id"]: r["code"] for r in self.db.query("SELECT id, code FROM indicator")}
        return [
            ValidationRule(
                indicator=codes.get(r["indicator_id"], ""),
                kind=RuleKind(r["kind"]),
                severity=Severity(r["severity"]),
                minimum=r["minimum"],
                maximum=r["maximum"],
                other=codes.get(r["other_id"]) if r["other_id"] else None,
                comparator=Comparator(r["comparator"]) if r["comparator"] else None,
                share=r["share"],
                id=r["id"],
                indicator_id=r["indicator_id"],
                other_id=r["other_id"],
            )
            for r in self.db.query("SELECT * FROM validation_rule ORDER BY indicator_id, id")
        ]

    def _rule_row(self, rule: ValidationRule) -> dict[str, Any]:
        rule = check_rule(rule)
        iid = rule.indicator_id or self._indicator_id(rule.indicator)
        other = rule.other_id or (self._indicator_id(rule.other) if rule.other else None)
        if rule.kind is not RuleKind.COMPARE:
            other = None
        elif other == iid:
            raise UserError("Không so sánh một chỉ tiêu với chính nó.")
        return {
            "indicator_id": iid,
            "kind": rule.kind.value,
            "severity": rule.severity.value,
            "minimum": None if rule.minimum is None else float(rule.minimum),
            "maximum": None if rule.maximum is None else float(rule.maximum),
            "other_id": other,
            "comparator": rule.comparator.value if rule.comparator else None,
            "share": None if rule.share is None else float(rule.share),
        }

    def _indicator_id(self, code: str | None) -> int:
        rows = list(self.db.query("SELECT id FROM indicator WHERE code = ? ORDER BY id", [code]))
        if not rows:
            raise UserError(f"Không có chỉ tiêu mã '{code}' trong kế hoạch.", "missing")
        return rows[0]["id"]

    def add_rule(self, rule: ValidationRule) -> int:
        """Add a validation rule; returns its id."""
        with self.transaction():
            row = self._rule_row(rule)
            self._require_indicator(row["indicator_id"])
            rid = cast(int, self.db.table("validation_rule").insert({**row, "position": 0}).last_pk)
            self.audit.record("validation_rule", rid, "*", None, row, "insert")
        return rid

    def update_rule(self, rule_id: int, **changes: Any) -> Change:
        """Change fields of a rule (severity, minimum, maximum, comparator, other, share …)."""
        with self.transaction():
            current = next((r for r in self.validation_rules() if r.id == rule_id), None)
            if current is None:
                raise UserError(f"Không tìm thấy quy tắc số {rule_id} (đã bị xóa?).", "missing")
            if "other" in changes:
                changes["other_id"] = None
            new = self._rule_row(replace(current, **changes))
            old = {
                k: v for k, v in self.db.table("validation_rule").get(rule_id).items() if k in new
            }
            fields = self.audit.record_diff("validation_rule", rule_id, old, new)
            if fields:
                self.db.table("validation_rule").update(rule_id, new)
        return Change(Subject.RULE, rule_id, fields=fields)

    def delete_rule(self, rule_id: int) -> Change:
        with self.transaction():
            rows = list(self.db.query("SELECT * FROM validation_rule WHERE id = ?", [rule_id]))
            if not rows:
                raise UserError(f"Không tìm thấy quy tắc số {rule_id} (đã bị xóa?).", "missing")
            self.db.table("validation_rule").delete(rule_id)
            self.audit.record("validation_rule", rule_id, "*", rows[0], None, "delete")
        return Change(Subject.RULE, rule_id, action=Action.DELETE)

    def _require_indicator(self, indicator_id: int) -> None:
        if not list(self.db.query("SELECT id FROM indicator WHERE id = ?", [indicator_id])):
            raise UserError(f"Không tìm thấy chỉ tiêu số {indicator_id}.", "missing")

    def outlier_share(self) -> float:
        rows = list(self.db.query("SELECT value FROM meta WHERE key = ?", [OUTLIER_KEY]))
        return float(rows[0]["value"]) if rows else DEFAULT_OUTLIER_SHARE

    def path_tolerance(self) -> float:
        rows = list(self.db.query("SELECT value FROM meta WHERE key = ?", [PATH_TOLERANCE_KEY]))
        return float(rows[0]["value"]) if rows else DEFAULT_PATH_TOLERANCE

    def set_path_tolerance(self, share: float) -> Change:
        """How close to the path counts as on it: a share of the step to the next target."""
        check_path_tolerance(share)
        with self.transaction():
            old = self.path_tolerance()
            if old == share:
                return Change(Subject.PLAN_SETTING, PATH_TOLERANCE_KEY)
            self.db.table("meta").upsert(
                {"key": PATH_TOLERANCE_KEY, "value": repr(float(share))}, pk="key"
            )
            self.audit.record("meta", PATH_TOLERANCE_KEY, "value", old, share)
        return Change(Subject.PLAN_SETTING, PATH_TOLERANCE_KEY, fields=frozenset({"value"}))

    def set_outlier_share(self, share: float) -> Change:
        """The plan-wide share of change from the previous period flagged as an outlier."""
        if isinstance(share, bool) or not math.isfinite(share) or share <= 0:
            raise UserError("Ngưỡng biến động phải là số dương (ví dụ 0,5 là 50%).")
        with self.transaction():
            old = self.outlier_share()
            if old == share:
                return Change(Subject.PLAN_SETTING, OUTLIER_KEY)
            self.db.table("meta").upsert(
                {"key": OUTLIER_KEY, "value": repr(float(share))}, pk="key"
            )
            self.audit.record("meta", OUTLIER_KEY, "value", old, share)
        return Change(Subject.PLAN_SETTING, OUTLIER_KEY, fields=frozenset({"value"}))


def check_path_tolerance(share: object) -> float:
    """The plan's path tolerance, 0 to MAX_PATH_TOLERANCE (0 means exactly on the line)."""
    if (
        isinstance(share, bool)
        or not isinstance(share, int | float)
        or not math.isfinite(share)
        or not 0 <= share <= MAX_PATH_TOLERANCE
    ):
        raise UserError(
            "Dung sai lộ trình phải từ 0 đến "
            f"{MAX_PATH_TOLERANCE:.0%} của bước đến mục tiêu kế tiếp (ví dụ 0,05 là 5%)."
        )
    return float(share)
