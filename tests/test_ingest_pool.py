"""Ingest over worker processes gives, file for file, what ingest in one process gives.

The hostile corpus (tests/hostile_packages.py) mixed with the two genuine
packages and a copy of one is ingested into two copies of one receiving
file: once checked in this process, once over a pool of two workers. Every
line (outcome, reason code, words), every stored row and every stored
data.json must be the same; ingesting the folder again is all "already
received" either way; cancelling a pooled ingest keeps what was recorded
and a second ingest takes the rest.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from app.models.long_work import Cancelled
from app.receiving.ingest import RECHECKED, ingest
from app.receiving.ingest_pool import POOL_MIN_FILES, POOL_MIN_FILES_SPAWNED, pool_size
from app.receiving.store import Receiving

from .hostile_packages import NOW, build_world


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    world = build_world(tmp_path_factory.mktemp("pool"))
    folder = world["root"] / "inbox"
    folder.mkdir()
    shutil.copy(world["pkg_a"], folder / "a-00-genuine.zip")
    for case in world["cases"]:
        if case.family != "rotation":  # needs a statement trusted first
            (folder / f"h-{case.name}.zip").write_bytes(case.blob)
    shutil.copy(world["pkg_b"], folder / "z-01-genuine.zip")
    shutil.copy(world["pkg_a"], folder / "z-02-copy-of-a.zip")
    return world, folder


def _ingest(world: dict, folder: Path, db: Path, workers: int) -> tuple[list, list, list]:
    shutil.copy(world["template"], db)
    with Receiving.open(db) as receiving:
        report = ingest(receiving, folder, now=NOW, workers=workers)
        lines = [(ln.path.name, ln.outcome, ln.reason) for ln in report.lines]
        rows = [(p.file_name, p.status, p.reason_code, p.reason, p.office_id, p.sequence,
                 p.late, p.flags, receiving.plan_hash(p.id)) for p in receiving.packages()]  # fmt: skip
        data = [receiving.package_data(p.id) for p in receiving.packages()]
        again = ingest(receiving, folder, now=NOW, workers=workers)
        # checked again: only a refusal that can have gone (a period not yet open, …)
        for line in again.lines:
            assert line.outcome == "duplicate" or line.package.reason_code in RECHECKED, line
        lines += [(ln.path.name, ln.outcome, ln.reason) for ln in again.lines]
    return lines, rows, data


def test_pooled_ingest_matches_ingest_in_one_process(inbox: tuple[dict, Path], tmp_path: Path) -> None:  # fmt: skip
    world, folder = inbox
    here = _ingest(world, folder, tmp_path / "here.sqlite", workers=0)
    pooled = _ingest(world, folder, tmp_path / "pooled.sqlite", workers=2)
    assert pooled == here
    lines = here[0]
    lines = lines[: len(lines) // 2]
    assert len(lines) == len(list(folder.glob("*.zip")))
    outcomes = {name: outcome for name, outcome, _ in lines}
    assert outcomes["a-00-genuine.zip"] == outcomes["z-01-genuine.zip"] == "accepted"
    assert outcomes["z-02-copy-of-a.zip"] == "duplicate"
    assert sum(1 for o in outcomes.values() if o == "rejected") == len(lines) - 3
    assert sum(1 for d in here[2] if d is not None) == 2  # only the genuine ones keep data


def test_cancelling_a_pooled_ingest_keeps_what_was_recorded(inbox: tuple[dict, Path], tmp_path: Path) -> None:  # fmt: skip
    world, folder = inbox
    db = tmp_path / "r.sqlite"
    shutil.copy(world["template"], db)
    cancel = threading.Event()

    def stop_after_five(done: int, total: int, label: str) -> None:
        if done == 5:
            cancel.set()

    with Receiving.open(db) as receiving:
        with pytest.raises(Cancelled) as stopped:
            ingest(receiving, folder, now=NOW, workers=2, progress=stop_after_five, cancel=cancel)
        assert len(stopped.value.partial.lines) == 5
        assert len(receiving.packages()) == 5
        rest = ingest(receiving, folder, now=NOW, workers=2)
    for line in rest.lines[:5]:
        assert line.outcome == "duplicate" or line.package.reason_code in RECHECKED, line
    assert len(rest.lines) == len(list(folder.glob("*.zip")))


def test_a_pool_only_for_a_large_batch() -> None:
    assert pool_size(1) == 0
    assert pool_size(POOL_MIN_FILES - 1) == 0
    assert pool_size(POOL_MIN_FILES) in (0, *range(2, 9))  # 0 on a one-core machine
    sizes: list[int] = []  # from a worker thread (the window's), workers would be spawned
    thread = threading.Thread(target=lambda: sizes.extend(
        [pool_size(POOL_MIN_FILES), pool_size(POOL_MIN_FILES_SPAWNED)]))  # fmt: skip
    thread.start()
    thread.join()
    assert sizes[0] == 0
    assert sizes[1] in (0, *range(2, 9))


def test_from_a_worker_thread_the_workers_are_spawned(inbox: tuple[dict, Path], tmp_path: Path) -> None:  # fmt: skip
    """The window ingests on a worker thread: its pool is spawned, never forked, and agrees."""
    world, folder = inbox
    here = _ingest(world, folder, tmp_path / "here.sqlite", workers=0)
    got: list = []
    thread = threading.Thread(
        target=lambda: got.append(_ingest(world, folder, tmp_path / "spawned.sqlite", workers=2))
    )
    thread.start()
    thread.join()
    assert got == [here]
