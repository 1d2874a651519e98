"""The data file's connection as the store sees it: plain sqlite3 for reading,
sqlite-utils' table helpers loaded on their first use.

sqlite-utils is the chosen way to write rows (`db.table("agency").insert(...)`,
the migrations' `create`), but importing it brings click, dateutil, pluggy and
some thirty compiled regular expressions (~50 ms) — more than a light command
such as `status` or `plan show` spends on its whole work, and those commands
only read. So `Database` answers `query`, `execute` and `atomic` itself, on the
same autocommit connection (`isolation_level=None`, opened in database.py), and
hands `table(...)`, `db[...]` and `table_names()` to a `sqlite_utils.Database`
over that connection, built when one is first asked for. sqlite-utils' plugin
hooks are never run: nothing installed beside the app may touch a data file.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite_utils
    from sqlite_utils.db import Table, View

Params = Sequence[Any] | dict[str, Any] | None
_savepoints = itertools.count(1)  # names unique in the process (nested atomic blocks)


class Database:
    """An open data file's connection (autocommit; transactions by `atomic`)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._helpers: sqlite_utils.Database | None = None
        conn.execute("PRAGMA recursive_triggers = on")  # what sqlite-utils' Database sets

    @property
    def helpers(self) -> sqlite_utils.Database:
        """sqlite-utils over this connection (imported and built on first use)."""
        if self._helpers is None:
            import sqlite_utils

            self._helpers = sqlite_utils.Database(self.conn, execute_plugins=False)
        return self._helpers

    def execute(self, sql: str, parameters: Params = None) -> sqlite3.Cursor:
        """Run one statement; outside `atomic` a write commits at once (autocommit)."""
        if parameters is None:
            return self.conn.execute(sql)
        return self.conn.execute(sql, parameters)

    def query(self, sql: str, params: Params = None) -> Iterator[dict[str, Any]]:
        """The rows of a SELECT as dicts keyed by column name, fetched as iterated."""
        cursor = self.execute(sql, params)
        if cursor.description is None:
            raise ValueError("query() chỉ dùng cho câu lệnh trả về các dòng")
        keys = _distinct_keys([d[0] for d in cursor.description])
        return (dict(zip(keys, row, strict=True)) for row in cursor)

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        """One all-or-nothing unit of work; a nested one is a savepoint (as sqlite-utils)."""
        conn = self.conn
        if conn.in_transaction:
            savepoint = f"sp_{next(_savepoints)}"
            conn.execute(f"SAVEPOINT {savepoint}")
            try:
                yield self
            except BaseException:
                if conn.in_transaction:  # a RAISE(ROLLBACK) may have ended it already
                    conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                    conn.execute(f"RELEASE SAVEPOINT {savepoint}")
                raise
            conn.execute(f"RELEASE SAVEPOINT {savepoint}")
            return
        conn.execute("BEGIN")
        try:
            yield self
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def get(self, table: str, key: object, column: str = "id") -> dict[str, Any]:
        """The one row of `table` whose `column` is `key` (LookupError when there is none)."""
        for row in self.query(f'SELECT * FROM "{table}" WHERE "{column}" = ?', (key,)):
            return row
        raise LookupError(f"{table}: không có dòng {column} = {key!r}")

    def count(self, table: str) -> int:
        return int(self.conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])

    def table(self, name: str) -> Table:
        """sqlite-utils' helper for writing to table `name`."""
        return self.helpers.table(name)

    def __getitem__(self, name: str) -> Table | View:
        return self.helpers[name]

    def table_names(self) -> list[str]:
        return [
            r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]

    def close(self) -> None:
        self.conn.close()


def _distinct_keys(names: list[str]) -> list[str]:
    """Column names made unique (`id`, `id_2`, …) by sqlite-utils' own rule, only when needed."""
    if len(set(names)) == len(names):
        return names
    from sqlite_utils.utils import dedupe_keys

    return dedupe_keys(names)
