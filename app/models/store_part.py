"""The core of the data file that every feature part shares: connection, transactions, audit.

`Store` (store.py) is this core with its feature parts as attributes —
`store.plan`, `store.rules`, `store.entries`, `store.closing`, `store.packages` —
the way Anki's collection has `col.decks` and `col.notes`. A part receives the
core (and the sibling parts it needs) when the store is opened, never the
whole store, so no part imports another's module back.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from .audit import AuditLog
from .database import known_fault
from .periods import Period, parse_period_id
from .sql import Database


class StoreCore:
    """An open data file: the SQLite connection, its audit log and transactions."""

    def __init__(self, db: Database, path: Path) -> None:
        self.db = db
        self.path = Path(path)
        self.audit = AuditLog(db)

    def period(self, period_id: str) -> Period:
        """The period an id names in this file's plan (its regime, ad-hoc reports included)."""
        return parse_period_id(period_id)  # the Store answers with its regime

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One all-or-nothing unit of work; nests as a savepoint."""
        try:
            with self.db.atomic():
                yield
        except sqlite3.Error as exc:  # a full disk, a damaged page, read-only media
            fault = known_fault(exc, self.path)
            if fault is None:
                raise
            raise fault from None


class StorePart:
    """A feature of the data file, working through the shared core."""

    def __init__(self, core: StoreCore) -> None:
        self.core = core
        self.db = core.db
        self.audit = core.audit

    def transaction(self) -> AbstractContextManager[None]:
        return self.core.transaction()
