"""The result of a store operation: what changed, so views redraw only that."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Change:
    table: str
    key: str
    fields: frozenset[str]
    action: str = "update"  # insert | update | delete

    @property
    def changed(self) -> bool:
        return bool(self.fields) or self.action != "update"
