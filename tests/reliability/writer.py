"""A child process that writes through the real code paths until it is killed.

Run as `python -m tests.reliability.writer MODE ...`; the crash tests start it,
wait until it prints "ready", let it work for a random moment and SIGKILL it.

edits DB LOG SEED WB_A WB_B
    A long random sequence of real edits through the Store: indicator
    values, task progress, plan edits, two edits in one transaction, and
    now and then a whole plan import (apply_import of a workbook). Each
    edit carries a unique token ("e<n>" or "e<n>a"/"e<n>b"); after the
    store call returns (the commit is done) one JSON line is appended to
    LOG and fsync'd. The parent then checks that every logged edit is in
    the data file with its audit entry.
backup DB TARGET
    Back up DB to TARGET again and again.
restore DB BACKUP
    Restore BACKUP over DB again and again.
export DB OUT KEY
    Export the period's signed package into OUT again and again.
"""

from __future__ import annotations

import json
import os
import random
import sys
from datetime import date
from pathlib import Path

PERIODS = ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4")
PASSPHRASE = "mật khẩu kiểm thử"


def _log(handle: int, entry: dict) -> None:
    os.write(handle, (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8"))
    os.fsync(handle)


def edits(db: Path, log: Path, seed: int, workbooks: list[Path]) -> None:
    from app.importers.apply import apply_import
    from app.importers.workbook import read_plan_workbook
    from app.models.errors import UserError
    from app.models.store import Store

    rng = random.Random(seed)
    store = Store.open(db)
    handle = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    previews: dict[int, object] = {}  # parsed on first use: a quick start means more kills
    counted = {
        r["id"]: r["kind"] for r in store.db.query("SELECT id, kind FROM indicator")
    }  # fmt: skip
    print("ready", flush=True)
    n = seed * 1_000_000
    while True:
        n += 1
        plan_counts = [r["id"] for r in store.db.query("SELECT id FROM task ORDER BY id")]
        counts = [i for i, k in counted.items() if k == "count"]
        period = rng.choice(PERIODS)
        op = rng.random()
        try:
            if op < 0.35:
                ind = rng.choice(counts)
                store.entries.set_indicator_value(period, ind, n, note=f"e{n}")
                _log(handle, {"op": "value", "key": f"{period}/{ind}", "token": f"e{n}", "n": n})
            elif op < 0.65:
                task = rng.choice(plan_counts)
                store.entries.set_task_progress(period, task, status="in_progress", result=f"e{n}")
                _log(handle, {"op": "progress", "key": f"{period}/{task}", "token": f"e{n}"})
            elif op < 0.8:
                ind = rng.choice(list(counted))
                store.plan.update_indicator(ind, note=f"e{n}")
                _log(handle, {"op": "indicator", "key": str(ind), "token": f"e{n}"})
            elif op < 0.97:
                ind, task = rng.choice(counts), rng.choice(plan_counts)
                with store.transaction():  # both or neither
                    store.entries.set_indicator_value(period, ind, n, note=f"e{n}a")
                    store.entries.set_task_progress(period, task, result=f"e{n}b")
                _log(handle, {"op": "pair", "keys": [f"{period}/{ind}", f"{period}/{task}"],
                              "token": f"e{n}"})  # fmt: skip
            else:
                which = rng.randrange(len(workbooks))
                if which not in previews:
                    previews[which] = read_plan_workbook(workbooks[which])
                apply_import(store, previews[which])  # type: ignore[arg-type]
                _log(handle, {"op": "import", "variant": which})
                counted = {
                    r["id"]: r["kind"] for r in store.db.query("SELECT id, kind FROM indicator")
                }  # fmt: skip
        except UserError:
            continue  # a refused edit (validation rule, closed period) is not committed


def loop_backup(db: Path, target: Path) -> None:
    from app.models.backup import backup

    print("ready", flush=True)
    while True:
        backup(db, target)


def loop_restore(db: Path, source: Path) -> None:
    from app.models.backup import restore

    print("ready", flush=True)
    while True:
        restore(db, source)


def loop_export(db: Path, out: Path, key_path: Path) -> None:
    from app.models.store import Store
    from app.packages.export import export_package
    from app.packages.signing_keys import load_key

    key = load_key(key_path, PASSPHRASE)
    store = Store.open(db)
    print("ready", flush=True)
    while True:
        export_package(store, "2026-Q1", out, key, today=date(2026, 4, 10))


def loop_create(target: Path) -> None:
    """Create the demo data file at `target` again and again (deleted before each)."""
    from app.models.samples import load_sample
    from app.models.store import Store

    plan = load_sample("bim-son")
    print("ready", flush=True)
    while True:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        with Store.create(target, plan.office, plan):
            pass


def main(argv: list[str]) -> None:
    mode, *args = argv
    if mode == "edits":
        edits(Path(args[0]), Path(args[1]), int(args[2]), [Path(a) for a in args[3:]])
    elif mode == "backup":
        loop_backup(Path(args[0]), Path(args[1]))
    elif mode == "restore":
        loop_restore(Path(args[0]), Path(args[1]))
    elif mode == "create":
        loop_create(Path(args[0]))
    elif mode == "export":
        loop_export(Path(args[0]), Path(args[1]), Path(args[2]))
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main(sys.argv[1:])
