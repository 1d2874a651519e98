"""The narrow, read-only view of a data file that the period checks and snapshots need.

Validation and correction snapshots are pure functions over what a period
holds; they read it through this protocol (which the store provides), so they
never import the store and cannot write.
"""

from __future__ import annotations

from typing import Any, Protocol

from .periods import Period
from .plan import Plan
from .progress import IndicatorValue, NarrativeSection, TaskProgress


class EntryReader(Protocol):
    def load_plan(self) -> Plan: ...

    def indicator_values(self, period_id: str) -> dict[int, IndicatorValue]: ...

    def all_values(self) -> dict[str, dict[int, Any]]: ...

    def task_progress(self, period_id: str) -> dict[int, TaskProgress]: ...

    def updated_tasks(self, period_id: str) -> set[int]: ...

    def narrative(self, period_id: str) -> dict[NarrativeSection, str]: ...

    def has_rules(self) -> bool: ...

    def period(self, period_id: str) -> Period:
        """The period an id names in the file's plan (ad-hoc reports included)."""
        ...

    def indicator_brief(self, indicator_id: int) -> tuple[str, str, str]:
        """(code, name, kind) of one indicator."""
        ...
