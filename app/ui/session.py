"""The open data file as the GUI sees it: one Store on the GUI thread, and change signals.

Every edit goes through `apply(op)`: `op` is one store method call returning a
`Change`; the session broadcasts it and each view redraws only what that
change touches (Anki's "operation + changes" pattern). Pages never keep their
own connection; long work opens its own Store in its worker.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QObject, Signal

from ..models.change import Change, Outcome, Subject
from ..models.periods import Period
from ..models.plan import Plan, PlanInfo
from ..models.redo import redo_label
from ..models.regime import current_period, period_of, plan_periods
from ..models.store import Store
from ..models.undo import last_audit_id, undo_label
from ..operations import period as period_ops

T = TypeVar("T")


class Session(QObject):
    changed = Signal(object)  # a Change
    planChanged = Signal()
    entriesChanged = Signal(str)  # period id ("" when many periods changed)
    officeChanged = Signal()
    storeReplaced = Signal()  # another data file (restore, open): rebuild everything
    undoChanged = Signal(str)  # the undo label, "" when nothing to undo

    def __init__(self, store: Store, today: date | None = None) -> None:
        super().__init__()
        self.store = store
        self.today = today or date.today()
        self._plan: Plan | None = None
        self._undo_after = last_audit_id(store)

    # -- data ---------------------------------------------------------------------
    @property
    def path(self) -> Path:
        return self.store.path

    def plan(self) -> Plan:
        """The plan, cached until a plan edit; callers must not mutate it."""
        if self._plan is None:
            self._plan = self.store.plan.load()
        return self._plan

    def regime(self) -> PlanInfo:
        """The plan header with its whole reporting regime (ad-hoc reports included)."""
        return self.store.regime.regime_info()

    def periods(self) -> list[Period]:
        """The plan's reports up to this year's end (and the next one due), in the order they
        fall due; none before the plan started or after it ended (regime.plan_periods)."""
        info = self.regime()
        current = current_period(info, self.today)
        end = max(date(self.today.year, 12, 31), current.end if current else self.today)
        return plan_periods(info, end)

    def current_period(self) -> Period | None:
        return current_period(self.regime(), self.today)

    # -- edits --------------------------------------------------------------------
    def period(self, period_id: str) -> Period:
        """The plan's period for an id, with its due date and data window (UserError when
        the regime has no such period)."""
        return period_of(self.regime(), period_id)

    def run(self, op: Callable[[Store], Outcome[T]]) -> Outcome[T]:
        """Run one core operation on the open file and broadcast the Change it returns;
        UserError propagates to the page, which shows it where the user typed."""
        outcome = op(self.store)
        self.notify(outcome.change)
        return outcome

    def notify(self, change: Change) -> None:
        """Broadcast what an operation changed; each view redraws only what it shows."""
        if not change.changed:
            return
        if change.subject is Subject.DATA_FILE:
            self._plan = None
            self.storeReplaced.emit()
            return
        if change.subject.of_plan or change.subject is Subject.OFFICE:
            self._plan = None
        self.changed.emit(change)
        if change.subject.of_plan:
            self.planChanged.emit()
        elif change.subject.of_entries:
            self.entriesChanged.emit(change.period or "")
        elif change.subject is Subject.OFFICE:
            self.officeChanged.emit()
        self.undoChanged.emit(self.undo_label() or "")

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Several edits in one transaction (a paste): one fsync instead of many."""
        with self.store.transaction():
            yield

    def undo_label(self) -> str | None:
        return undo_label(self.store, self._undo_after)

    def undo(self) -> Change | None:
        outcome = self.run(lambda store: period_ops.undo(store, self._undo_after))
        return outcome.change if outcome.result else None

    def redo_label(self) -> str | None:
        return redo_label(self.store, self._undo_after)

    def redo(self) -> Change | None:
        outcome = self.run(lambda store: period_ops.redo(store, self._undo_after))
        return outcome.change if outcome.result else None

    # -- the file itself ------------------------------------------------------------
    def replace_store(self, store: Store) -> None:
        """Switch to another data file (after restore or "open another file")."""
        old = self.store
        self.store = store
        if old is not store:
            old.close()
        self._plan = None
        self._undo_after = last_audit_id(store)
        self.storeReplaced.emit()
        self.undoChanged.emit("")

    def close(self) -> None:
        self.store.close()
