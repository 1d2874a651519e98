"""A block of cells pasted (or cleared) in a period grid: each row all or nothing, one undo step.

A row copied from Excel is one statement about one indicator or task: when any of
its cells is refused, none of that row is written, and every refused cell is
named (not only the first). Rows that pass are written. The whole block is one
step of the audit history (a "step" marker), so one Ctrl+Z undoes the paste.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..models.change import NO_CHANGE, Change, Outcome, Subject
from ..models.errors import UserError
from ..models.periods import Period
from ..models.plan import Plan
from ..models.store import Store
from ..models.task_labels import task_codes
from ..models.undo import last_audit_id
from .period import DoneQuestion, progress_as_shown

INDICATOR_FIELDS = ("value", "note")
TASK_FIELDS = ("status", "percent", "result", "evidence_number", "evidence_date")


@dataclass(frozen=True)
class RowCells:
    """The cells of one row to write: field name → text as typed ("" clears)."""

    item_id: int
    cells: dict[str, str]


@dataclass(frozen=True)
class Refused:
    item_id: int
    field: str
    message: str


@dataclass(frozen=True)
class BlockResult:
    written: int  # cells written
    refused: list[Refused] = field(default_factory=list)

    @property
    def refused_rows(self) -> set[int]:
        return {r.item_id for r in self.refused}


class _RollBack(Exception):
    """Leaves a trial write without keeping it."""


def _writer(
    store: Store, period: Period, subject: Subject, plan: Plan | None, done: bool = False
) -> Callable[[int, dict[str, Any]], Change]:
    if subject is Subject.VALUE:

        def write_value(item_id: int, cells: dict[str, Any]) -> Change:
            unknown = set(cells) - set(INDICATOR_FIELDS)
            if unknown:
                raise ValueError(f"unknown value fields {unknown}")
            cells = {f: (v if v != "" else None) for f, v in cells.items()}
            return store.entries.set_indicator_value(period.id, item_id, **cells)

        return write_value
    if subject is Subject.PROGRESS:

        def write_progress(item_id: int, cells: dict[str, Any]) -> Change:
            cells = {f: (v if v != "" else None) for f, v in cells.items()}
            cells = progress_as_shown(store, period, item_id, cells, done, plan)
            return store.entries.set_task_progress(period.id, item_id, **cells)

        return write_progress
    raise ValueError(f"no block writes for {subject}")


def _refused_cells(
    store: Store, write: Callable[[int, dict[str, Any]], Change], row: RowCells
) -> list[Refused]:
    """Every cell of the row the store refuses, each tried on its own and rolled back."""
    out = []
    for name, text in row.cells.items():
        try:
            with store.transaction():
                write(row.item_id, {name: text})
                raise _RollBack
        except _RollBack:
            pass
        except UserError as exc:
            out.append(Refused(row.item_id, name, exc.message))
    return out


def done_questions(store: Store, period: Period, rows: list[RowCells]) -> list[str]:
    """Codes of the pasted task rows that would read 100 % and "Đang thực hiện" (a read),
    so the window asks once for the block whether those tasks are done, as it asks for one
    typed cell; rows refused for other reasons are left to `write_block` to name."""
    plan = store.plan.load()
    codes = task_codes(plan)
    asked = []
    for row in rows:
        cells = {f: (v if v != "" else None) for f, v in row.cells.items()}
        try:
            progress_as_shown(store, period, row.item_id, cells, None, plan)
        except DoneQuestion:
            asked.append(codes.get(row.item_id) or str(row.item_id))
        except UserError:
            continue
    return asked


def write_block(
    store: Store,
    period: Period,
    subject: Subject,
    rows: list[RowCells],
    verb: str = "dán",
    done: bool = False,
) -> Outcome[BlockResult]:
    """Write a pasted (`verb` "dán") or cleared ("xóa") block: `subject` is Subject.VALUE
    (indicator rows) or Subject.PROGRESS (task rows). A row with a refused cell is not
    written at all; the rows written are one undo step ("Hoàn tác dán 6 ô").

    `done` answers the 100 % question for the block (`done_questions`): True writes
    "Đã hoàn thành" for the task rows at 100 % and "Đang thực hiện", False keeps the
    status as pasted."""
    plan = store.plan.load() if subject is Subject.PROGRESS else None
    write = _writer(store, period, subject, plan, done)
    refused: list[Refused] = []
    written = 0
    rows_written = 0
    fields: set[str] = set()
    with store.transaction():
        first = last_audit_id(store) + 1
        for row in rows:
            if not row.cells:
                continue
            problems = _refused_cells(store, write, row)
            if not problems:
                try:
                    with store.transaction():
                        change = write(row.item_id, dict(row.cells))
                except UserError as exc:  # the cells pass alone but not together
                    problems = [Refused(row.item_id, next(iter(row.cells)), exc.message)]
                else:
                    written += len(row.cells)
                    rows_written += 1 if change.fields else 0
                    fields |= change.fields
            refused.extend(problems)
        if rows_written > 1:  # one row is one edit already
            store.audit.record("step", first, "*", None, f"{verb} {written} ô", "step")
    result = BlockResult(written, refused)
    if not fields:
        return Outcome(result, NO_CHANGE)
    return Outcome(result, Change(subject, None, period.id, frozenset(fields)))
