"""The data-file lock and read-only opening (app.models.file_lock).

Locks are real files beside real data files; "another PC" is a lock record with
another host name, "a crashed session" one whose process has exited.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app.models.errors import UserError
from app.models.file_lock import (
    STALE_AFTER,
    FileLock,
    LockHeld,
    LockInfo,
    ReadOnlyStore,
    is_stale,
    lock_path,
    open_read_only,
    pid_alive,
    read_lock,
)
from app.models.plan import Indicator
from app.models.progress import NarrativeSection
from app.models.store import Store
from app.models.undo import undo_last

DATA = Path(__file__).parent / "data"


def _now() -> datetime:
    return datetime.now().astimezone().replace(microsecond=0)  # as lock files keep it


def _dead_pid() -> int:
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    return int(proc.stdout)


def _write_lock(data_file: Path, info: LockInfo) -> None:
    lock_path(data_file).write_bytes(info.to_bytes())


@pytest.fixture
def data_file(tmp_path: Path) -> Path:
    path = tmp_path / "Dữ liệu xã" / "theodoi57.sqlite"
    path.parent.mkdir()
    path.write_bytes(b"")  # the lock never looks inside the data file
    return path


def test_lock_records_who_holds_the_file_and_a_second_opener_is_refused(data_file: Path):
    with FileLock.acquire(data_file) as lock:
        assert lock.path == data_file.with_name("theodoi57.sqlite.lock")
        info = read_lock(data_file)
        assert info == lock.info
        assert info.pid == os.getpid() and info.on_this_host()
        assert info.started == info.heartbeat
        with pytest.raises(LockHeld) as caught:
            FileLock.acquire(data_file)
        assert caught.value.holder == info
        assert caught.value.code == "locked"
        assert f"người dùng “{info.user}” trên máy này" in caught.value.message
        assert "theodoi57.sqlite" in caught.value.message
    assert not lock_path(data_file).exists()
    FileLock.acquire(data_file).release()  # free again


def test_lock_of_another_pc_is_described_with_its_host(data_file: Path):
    started = datetime(2026, 11, 23, 8, 5).astimezone()
    other = LockInfo("MAY-VAN-THU", 4242, "vanthu", started, _now(), "t" * 32)
    _write_lock(data_file, other)
    with pytest.raises(LockHeld) as caught:
        FileLock.acquire(data_file)
    assert "người dùng “vanthu” trên máy “MAY-VAN-THU”, mở từ 08:05 ngày 23/11/2026" in str(
        caught.value
    )
    assert read_lock(data_file) == other  # untouched


def test_crashed_session_on_this_host_is_stale_and_cleared(data_file: Path):
    crashed = replace(LockInfo.for_this_process(), pid=_dead_pid())
    assert not pid_alive(crashed.pid)
    assert is_stale(crashed)
    _write_lock(data_file, crashed)
    with FileLock.acquire(data_file) as lock:
        assert lock.info.pid == os.getpid()
        assert read_lock(data_file).token == lock.info.token
    assert list(data_file.parent.iterdir()) == [data_file]  # no renamed leftovers


def test_other_pc_is_stale_only_when_its_heartbeat_stopped(data_file: Path):
    now = _now()
    fresh = LockInfo("MAY-KHAC", _dead_pid(), "a", now - timedelta(hours=3), now, "f" * 32)
    assert not is_stale(fresh, now)  # its pid means nothing here
    old_beat = replace(fresh, heartbeat=now - STALE_AFTER - timedelta(seconds=1))
    assert is_stale(old_beat, now)
    _write_lock(data_file, old_beat)
    with FileLock.acquire(data_file, now) as lock:
        assert read_lock(data_file) == lock.info


def test_live_process_with_stopped_heartbeat_is_stale(data_file: Path):
    now = _now()
    hung = replace(LockInfo.for_this_process(now), heartbeat=now - timedelta(minutes=30))
    assert pid_alive(hung.pid) and is_stale(hung, now)


def test_half_written_lock_is_respected_then_cleared_when_old(data_file: Path):
    path = lock_path(data_file)
    path.write_bytes(b"")
    with pytest.raises(LockHeld) as caught:
        FileLock.acquire(data_file)
    assert caught.value.holder is None
    assert "một cửa sổ hoặc máy khác" in caught.value.message
    old = (_now() - timedelta(minutes=5)).timestamp()
    os.utime(path, (old, old))
    with FileLock.acquire(data_file):
        assert read_lock(data_file) is not None


def test_refresh_moves_the_heartbeat_and_notices_a_takeover(data_file: Path):
    start = _now()
    lock = FileLock.acquire(data_file, start)
    later = start + timedelta(minutes=2)
    assert lock.refresh(later)
    assert read_lock(data_file).heartbeat == later.replace(microsecond=0)
    assert read_lock(data_file).started == start.replace(microsecond=0)
    # This PC slept; another PC judged the lock stale and took the file.
    successor = LockInfo("MAY-KHAC", 1, "b", later, later, "s" * 32)
    _write_lock(data_file, successor)
    assert not lock.held()
    assert not lock.refresh(later + timedelta(minutes=1))
    lock.release()
    assert read_lock(data_file) == successor  # never deletes someone else's lock
    # A lock deleted by hand is taken again at the next heartbeat.
    lock_path(data_file).unlink()
    assert lock.refresh()
    assert lock.held()
    lock.release()
    assert not lock_path(data_file).exists()


def test_lock_in_a_folder_without_write_permission_is_a_user_error(tmp_path: Path):
    if os.geteuid() == 0:
        pytest.skip("root ignores folder permissions")
    folder = tmp_path / "chi-doc"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(UserError) as caught:
            FileLock.acquire(folder / "x.sqlite")
        assert caught.value.code == "lock"
        assert "quyền ghi" in caught.value.message
    finally:
        folder.chmod(0o755)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_read_only_store_reads_everything_and_refuses_every_write(bim_son_store: Store):
    writer = bim_son_store
    writer.entries.set_narrative("2026-Q1", NarrativeSection.LEADERSHIP, "Kết quả quý I")
    path = writer.path
    reader = open_read_only(path)
    try:
        assert isinstance(reader, ReadOnlyStore) and reader.read_only
        assert reader.plan.load() == writer.plan.load()
        assert reader.entries.narrative("2026-Q1") == writer.entries.narrative("2026-Q1")
        group = reader.plan.load().indicator_groups[0]
        indicator = group.indicators[0]
        attempts = [
            lambda: reader.entries.set_indicator_value("2026-Q1", indicator.id, "12"),
            lambda: reader.entries.set_narrative("2026-Q1", NarrativeSection.LEADERSHIP, "đổi"),
            lambda: reader.plan.add_group("indicator_group", "VI", "Nhóm mới"),
            lambda: reader.plan.add_indicator(group.id, Indicator(code="99", name="Mới")),
            lambda: reader.plan.update_office(reader.plan.office()),
            lambda: reader.packages.office_uid(),
            lambda: undo_last(reader),
        ]
        for attempt in attempts:
            with pytest.raises(UserError) as caught:
                attempt()
            assert caught.value.code == "read_only"
            assert "chế độ chỉ xem" in caught.value.message
        with pytest.raises(sqlite3.OperationalError, match="readonly|read-only|query_only"):
            reader.db.execute("DELETE FROM indicator")  # SQLite itself refuses too
    finally:
        reader.close()
    assert writer.entries.narrative("2026-Q1")[NarrativeSection.LEADERSHIP] == "Kết quả quý I"
    assert writer.entries.indicator_values("2026-Q1") == {}
    assert len(writer.plan.load().indicator_groups) == 5
    assert writer.packages.office_uid(create=False) is None


def test_read_only_open_leaves_a_closed_file_byte_identical(tmp_path: Path, bim_son_store: Store):
    bim_son_store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    path = tmp_path / "ban-sao.sqlite"
    shutil.copy(bim_son_store.path, path)
    before = _digest(path)
    with open_read_only(path) as store:
        assert len(store.plan.load().task_groups) == 11  # Phụ lục II's body, Phụ lục III's I–X
    assert _digest(path) == before


def test_read_only_refuses_files_it_cannot_show_unchanged(tmp_path: Path):
    old = tmp_path / "cu.sqlite"
    shutil.copy(DATA / "schema_v1.sqlite", old)
    before = _digest(old)
    with pytest.raises(UserError) as caught:
        open_read_only(old)
    assert caught.value.code == "read_only_version"
    assert _digest(old) == before and not list(tmp_path.glob("*.bak"))
    with pytest.raises(UserError) as missing:
        open_read_only(tmp_path / "khong-co.sqlite")
    assert missing.value.code == "missing"
    other = tmp_path / "khac.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(UserError) as foreign:
        open_read_only(other)
    assert foreign.value.code == "foreign"
