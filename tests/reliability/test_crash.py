"""Crash consistency: SIGKILL a writer at random moments, reopen, and check everything.

A power cut is harsher than SIGKILL only in what the OS cache loses; with
`synchronous=FULL` and fsync'd renames what SQLite and atomic_path promise
holds for both. The writer logs an edit only after the store call returned,
so every logged edit must be in the data file with its audit entry; at
most one committed edit per kill may be missing from the log.

Counts: 15 kills of the edit writer and 2 of each file writer in
`make test`; 200 and 30 under `make reliability`.
"""

from __future__ import annotations

import json
import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from app.models.backup import backup, check_file
from app.models.samples import fill_demo, load_sample
from app.models.store import Store
from app.packages.signing_keys import generate_key
from app.packages.verify import verify_package
from tests.workbooks import write_workbook

from .conftest import kills

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "mật khẩu kiểm thử"
RENAMED = " (sửa đổi)"
pytestmark = pytest.mark.reliability


def run_and_kill(args: list[str], rng: random.Random, longest: float) -> None:
    """Start the writer, wait for "ready", let it run a random moment, SIGKILL it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "THEODOI57_HOME": str(Path(args[2]).parent)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.writer", *args],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        ready, _, _ = select.select([proc.stdout], [], [], 60)
        assert ready and proc.stdout.readline().strip() == b"ready", proc.stderr.read()
        time.sleep(rng.uniform(0, longest))
        assert proc.poll() is None, proc.stderr.read().decode()  # still writing, no error
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()


def integrity(db: Path) -> str:
    conn = sqlite3.connect(str(db))
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def _audit_index(conn: sqlite3.Connection) -> dict[tuple[str, str, str], list[object]]:
    """(table, row key, field) -> the new values the audit recorded, oldest first."""
    index: dict[tuple[str, str, str], list[object]] = {}
    for table, key, field, new in conn.execute(
        "SELECT table_name, row_key, field, new FROM audit ORDER BY id"
    ):
        index.setdefault((table, key, field), []).append(None if new is None else json.loads(new))
    return index


def check_edits(db: Path, log: Path, killed: int) -> int:
    """Every logged edit present with its audit entry; returns the number of logged edits."""
    entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    conn = sqlite3.connect(str(db))
    try:
        audit = _audit_index(conn)

        def has(table: str, key: str, field: str, new: object) -> bool:
            return new in audit.get((table, key, field), ())  # 5 == 5.0, as stored

        logged_tokens = set()
        for e in entries:
            op = e["op"]
            if op == "value":
                assert has("indicator_value", e["key"], "note", e["token"]), e
                assert has("indicator_value", e["key"], "value", e["n"]), e
            elif op == "progress":
                assert has("task_progress", e["key"], "result", e["token"]), e
            elif op == "indicator":
                assert has("indicator", e["key"], "note", e["token"]), e
            elif op == "pair":
                assert has("indicator_value", e["keys"][0], "note", e["token"] + "a"), e
                assert has("task_progress", e["keys"][1], "result", e["token"] + "b"), e
                logged_tokens.update((e["token"] + "a", e["token"] + "b"))
            if op in ("value", "progress", "indicator"):
                logged_tokens.add(e["token"])
        tokens = {
            new
            for (_, _, field), values in audit.items()
            if field in ("note", "result")
            for new in values
            if isinstance(new, str) and new[:1] == "e" and new[1:].rstrip("ab").isdigit()
        }
        # Pairs are all or nothing, even when the kill came between their two writes.
        halves = {t for t in tokens if t[-1] in "ab"}
        for token in halves:
            assert token[:-1] + ("b" if token.endswith("a") else "a") in halves, token
        # At most one committed but unlogged edit (two for a pair) per kill: the one in flight.
        assert logged_tokens <= tokens
        assert len(tokens - logged_tokens) <= 2 * killed
        # The current values are the last ones the audit recorded.
        for table, field, key_sql in (
            ("indicator_value", "note", "period_id || '/' || indicator_id"),
            ("task_progress", "result", "period_id || '/' || task_id"),
            ("indicator", "note", "CAST(id AS TEXT)"),
        ):
            for key, current in conn.execute(f"SELECT {key_sql}, {field} FROM {table}"):
                history = audit.get((table, key, field))
                if history:
                    assert history[-1] == current, (table, key)
        # Imports: the first task's name is the one the last recorded import gave it.
        task_id, name = conn.execute("SELECT id, name FROM task ORDER BY id LIMIT 1").fetchone()
        history = audit.get(("task", str(task_id), "name"))
        if history:
            assert history[-1] == name
    finally:
        conn.close()
    return len(entries)


@pytest.fixture
def office_file(tmp_path: Path) -> Path:
    plan = load_sample("bim-son")
    db = tmp_path / "office.sqlite"
    with Store.create(db, plan.office, plan) as store:
        fill_demo(store, date(2026, 4, 10))
    return db


def test_killed_editor_never_loses_a_committed_edit(tmp_path: Path, office_file: Path) -> None:
    plan = load_sample("bim-son")
    wb_a = write_workbook(tmp_path / "a.xlsx", plan)
    first = plan.task_groups[0].tasks[0]
    first.name += RENAMED
    wb_b = write_workbook(tmp_path / "b.xlsx", plan)
    log = tmp_path / "edits.log"
    log.touch()
    rng = random.Random(int(os.environ.get("THEODOI57_SEED", "57")))
    count = kills(15, 200)
    for i in range(count):
        longest = 2.0 if i % 10 == 9 else 0.4  # now and then long enough for an import
        run_and_kill(["edits", str(office_file), str(log), str(i + 1), str(wb_a), str(wb_b)],
                     rng, longest)  # fmt: skip
        assert integrity(office_file) == "ok"
        Store.open(office_file).close()  # opens (and migrates) without complaint
        logged = check_edits(office_file, log, i + 1)
    assert logged > count  # the writer did real work between kills
    entries = [json.loads(line)["op"] for line in log.read_text().splitlines()]
    assert {"value", "progress", "indicator", "pair"} <= set(entries)


def _hidden_tmp_only(folder: Path, keep: set[str]) -> list[Path]:
    """Files other than `keep`: each must be a hidden temporary file; returns them."""
    leftovers = [p for p in folder.iterdir() if p.name not in keep]
    for p in leftovers:
        assert p.name.startswith(".") and ".tmp" in p.name, p.name  # also SQLite's -journal
    return leftovers


def test_killed_backup_leaves_a_sound_backup_or_none(tmp_path: Path, office_file: Path) -> None:
    out = tmp_path / "backups"
    out.mkdir()
    target = out / "sao-luu.sqlite"
    rng = random.Random(58)
    for _ in range(kills(2, 30)):
        run_and_kill(["backup", str(office_file), str(target)], rng, 0.5)
        assert integrity(office_file) == "ok"
        if target.exists():
            check_file(target)
        _hidden_tmp_only(out, {target.name})


def test_killed_restore_leaves_one_whole_data_file(tmp_path: Path, office_file: Path) -> None:
    saved = tmp_path / "saved" / "sao-luu.sqlite"
    backup(office_file, saved)
    with Store.open(office_file) as store:  # the current file differs from the backup
        store.plan.update_indicator(store.plan.load().indicators()[0].id, note="sau sao lưu")
    rng = random.Random(59)
    for _ in range(kills(2, 30)):
        run_and_kill(["restore", str(office_file), str(saved)], rng, 0.5)
        check_file(office_file)
        with Store.open(office_file) as store:
            note = store.plan.load().indicators()[0].note
        assert note in ("sau sao lưu", load_sample("bim-son").indicators()[0].note)
        kept = {p.name for p in office_file.parent.iterdir() if "truoc-khoi-phuc" in p.name}
        for name in kept:
            if not name.startswith("."):
                check_file(office_file.parent / name)


def test_killed_export_never_leaves_a_partial_package(tmp_path: Path, office_file: Path) -> None:
    key_path = tmp_path / "khoa.pem"
    key = generate_key(key_path, PASSPHRASE)
    out = tmp_path / "goi"
    out.mkdir()
    rng = random.Random(60)
    for _ in range(kills(2, 30)):
        run_and_kill(["export", str(office_file), str(out), str(key_path)], rng, 1.5)
        assert integrity(office_file) == "ok"
        zips = {p.name for p in out.glob("*.zip")}
        for name in zips:
            result = verify_package(out / name, [key])
            assert result.ok, (name, result.message)
        _hidden_tmp_only(out, zips)


def test_stale_temporaries_are_removed_by_the_next_write(tmp_path: Path, office_file: Path) -> None:
    """What a kill leaves (hidden .tmp files) is cleaned up by the next write of that target,
    once it is an hour old; a fresh one (maybe another writer's) is left alone."""
    out = tmp_path / "b"
    out.mkdir()
    target = out / "sao-luu.sqlite"
    old = out / ".sao-luu.sqlite.abc123.tmp"
    journal = out / ".sao-luu.sqlite.abc123.tmp-journal"
    fresh = out / ".sao-luu.sqlite.new456.tmp"
    for path in (old, journal, fresh):
        path.write_bytes(b"partial")
    hour_ago = time.time() - 3700
    for path in (old, journal):
        os.utime(path, (hour_ago, hour_ago))
    backup(office_file, target)
    assert sorted(p.name for p in out.iterdir()) == [fresh.name, target.name]


def test_killed_creation_leaves_a_whole_data_file_or_none(tmp_path: Path) -> None:
    """A kill while `init` or `demo` builds the file never leaves a half-made file at
    its name (it is built under a hidden name and renamed), so `init` is never blocked."""
    folder = tmp_path / "new"
    folder.mkdir()
    target = folder / "du-lieu.sqlite"
    rng = random.Random(59)
    for _ in range(kills(3, 40)):
        run_and_kill(["create", str(target), str(folder / "unused")], rng, 0.6)
        leftovers = _hidden_tmp_only(folder, {target.name, f"{target.name}-wal",
                                              f"{target.name}-shm"})  # fmt: skip
        if target.exists():
            check_file(target)
            with Store.open(target) as store:
                assert store.plan.office().name == "Thị ủy Bỉm Sơn"
        for leftover in leftovers:
            leftover.unlink()
