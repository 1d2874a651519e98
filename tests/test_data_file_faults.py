"""Faults of the data file get their own words, and what is not ours is never touched.

- a 0-byte file, a text file, another program's SQLite file (rollback or WAL
  journal) and a file of a newer version stay byte-identical after every
  command refuses them, with no -wal/-shm/-journal left beside;
- a damaged file (4 KB of random bytes at 60 % or on page 2) is named damaged
  on open, with the newest copy and a restore command offered; no message
  claims the data is safe;
- a full disk (SQLite's max_page_count: the same SQLITE_FULL a real full disk
  gives) says so and names the folder; the file's content is what it was;
- a file on read-only media (mode 0444) is viewed, reported on and backed up
  without becoming WAL or growing a -wal file; an edit is refused in words;
- `status | head -1` exits quietly.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from app.cli import main
from app.models import database
from app.models.samples import fill_demo, load_sample
from app.models.schema import SCHEMA_VERSION
from app.models.store import Store

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2026, 4, 10)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "xa.sqlite"
    plan = load_sample("bim-son")
    with Store.create(path, plan.office, plan) as store:
        fill_demo(store, TODAY)
        store.closing.mark_sent("2025-Y")  # so `period reopen` has something to write
    return path


def _commands(db: Path, out: Path) -> list[list[str]]:
    return [
        ["status", "--db", str(db), "--today", "2026-04-10"],
        ["plan", "show", "--db", str(db)],
        ["backup", "--db", str(db), "--to", str(out / "sao-luu.sqlite")],
        ["report", "xlsx", "--db", str(db), "--period", "2026-Q1", "--out", str(out / "r.xlsx")],
        ["period", "reopen", "--db", str(db), "--period", "2025-Y", "--reason", "Sửa số liệu"],
    ]


def _foreign_files(folder: Path) -> dict[str, tuple[Path, str]]:
    folder.mkdir(parents=True)
    empty = folder / "rong.sqlite"
    empty.write_bytes(b"")
    text = folder / "ghi-chu.sqlite"
    text.write_text("Không phải tệp dữ liệu\n", encoding="utf-8")
    other = folder / "chuong-trinh-khac.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t(x)")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.commit()
    conn.close()
    other_wal = folder / "khac-wal.sqlite"
    conn = sqlite3.connect(other_wal)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA application_id = 1234")
    conn.execute("CREATE TABLE t(x)")
    conn.commit()
    conn.close()
    return {
        "rong.sqlite": (empty, f"Tệp '{empty}' rỗng (0 byte), không phải tệp dữ liệu Theo dõi NQ57; tệp được giữ nguyên."),
        "ghi-chu.sqlite": (text, f"Tệp '{text}' không phải tệp dữ liệu Theo dõi NQ57 (không phải tệp SQLite); tệp được giữ nguyên."),
        "chuong-trinh-khac.sqlite": (other, f"Tệp '{other}' không phải tệp dữ liệu Theo dõi NQ57 (tệp SQLite của chương trình khác); tệp được giữ nguyên."),
        "khac-wal.sqlite": (other_wal, f"Tệp '{other_wal}' không phải tệp dữ liệu Theo dõi NQ57 (tệp SQLite của chương trình khác); tệp được giữ nguyên."),
    }  # fmt: skip


def test_files_that_are_not_ours_stay_byte_identical(tmp_path: Path, capsys) -> None:
    files = _foreign_files(tmp_path / "in")
    out = tmp_path / "out"
    out.mkdir()
    for name, (path, message) in files.items():
        before, listing = _sha(path), _listing(path.parent)
        for command in _commands(path, out):
            assert main(command) == 1, (name, command)
            assert capsys.readouterr().err == f"Lỗi: {message}\n", (name, command)
            assert _sha(path) == before, (name, command)
            assert _listing(path.parent) == listing, (name, command)
    assert _listing(out) == []


def test_a_file_of_a_newer_version_is_not_modified(demo: Path, tmp_path: Path, capsys) -> None:
    conn = sqlite3.connect(demo)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before, listing = _sha(demo), _listing(demo.parent)
    message = (
        f"Tệp '{demo}' được tạo bởi phiên bản mới hơn của ứng dụng (lược đồ "
        f"{SCHEMA_VERSION + 1} > {SCHEMA_VERSION}); hãy cập nhật ứng dụng. Tệp được giữ nguyên."
    )
    out = tmp_path / "out"
    out.mkdir()
    for command in _commands(demo, out):
        assert main(command) == 1
        assert capsys.readouterr().err == f"Lỗi: {message}\n"
        assert _sha(demo) == before
        assert _listing(demo.parent) == listing


def _damage(path: Path, offset: int) -> None:
    with path.open("r+b") as handle:
        handle.seek(offset)
        handle.write(os.urandom(4096))


@pytest.mark.parametrize("where", ["60%", "page 2"])
def test_a_damaged_file_is_named_damaged_with_its_copies_offered(
    demo: Path, where: str, capsys, tmp_path: Path
) -> None:
    older = demo.with_name("xa.v5-20260301-080000.bak")
    newest = demo.with_name("xa.truoc-khoi-phuc-20260402-090000.sqlite")
    for copy, mtime in ((older, 1_772_352_000), (newest, 1_775_120_400)):
        copy.write_bytes(demo.read_bytes())
        os.utime(copy, (mtime, mtime))
    size = demo.stat().st_size
    _damage(demo, (size * 6 // 10) // 4096 * 4096 if where == "60%" else 4096)
    before = _sha(demo)
    out = tmp_path / "out"
    out.mkdir()
    for command in _commands(demo, out):
        assert main(command) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"Lỗi: Tệp dữ liệu '{demo}' bị hỏng ("), err
        assert (
            f"Bản sao mới nhất: '{newest}' (02/04/2026 " in err
            and f'khôi phục bằng: theodoi57 restore --db "{demo}" --from "{newest}".' in err
            and f"Các bản sao khác: {older.name}." in err
        ), err
        assert "không bị ảnh hưởng" not in err and "Lỗi không mong đợi" not in err
        assert _sha(demo) == before


def test_the_newest_backup_is_offered_wherever_it_was_saved(
    demo: Path, capsys, tmp_path: Path
) -> None:
    """A backup to a USB stick (another folder) is remembered beside the data file
    (`<name>.sao-luu.json`) and offered first when the file is later damaged."""
    usb = tmp_path / "usb" / "sao-luu-thang-11.sqlite"
    assert main(["backup", "--db", str(demo), "--to", str(usb)]) == 0
    capsys.readouterr()
    _damage(demo, 4096)
    assert main(["status", "--db", str(demo)]) == 1
    err = capsys.readouterr().err
    assert f"Bản sao mới nhất: '{usb.resolve()}'" in err, err
    assert f'theodoi57 restore --db "{demo}" --from "{usb.resolve()}".' in err
    assert main(["restore", "--db", str(demo), "--from", str(usb)]) == 0
    assert main(["status", "--db", str(demo)]) == 0


def test_no_message_claims_the_data_is_safe_unchecked() -> None:
    for path in (ROOT / "app").rglob("*.py"):
        assert "Dữ liệu đã lưu không bị ảnh hưởng" not in path.read_text(encoding="utf-8"), path
        assert "Dữ liệu đã lưu trước đó không bị ảnh hưởng" not in path.read_text(
            encoding="utf-8"
        ), path


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_a_full_disk_says_so_names_the_folder_and_writes_nothing(
    demo: Path, monkeypatch: pytest.MonkeyPatch, capsys, tmp_path: Path
) -> None:
    """SQLite's page limit gives exactly the SQLITE_FULL a full disk gives."""
    real_connect = database.connect

    def full(path: Path):  # noqa: ANN202
        db = real_connect(path)
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages}")
        return db

    monkeypatch.setattr(database, "connect", full)
    content = _dump(demo)
    from app.importers.plan_template import write_plan_template

    plan = load_sample("bim-son")
    for indicator in plan.indicators():
        indicator.note = "Ghi chú dài " * 400  # enough new pages to need more room
    book = write_plan_template(tmp_path / "ke-hoach.xlsx", plan)
    message = (
        f"Lỗi: Ổ đĩa chứa thư mục '{demo.parent.resolve()}' đã đầy: không ghi được vào "
        "'xa.sqlite'. Thao tác vừa rồi đã bị hủy trọn vẹn, không có gì được ghi dở. Hãy giải "
        "phóng chỗ trống trên ổ đĩa rồi thử lại.\n"
    )
    assert main(["plan", "import", "--db", str(demo), str(book)]) == 1
    assert capsys.readouterr().err == message
    assert _dump(demo) == content
    code = main(
        ["period", "reopen", "--db", str(demo), "--period", "2025-Y", "--reason", "Sửa " * 5000]
    )
    assert (code, capsys.readouterr().err) == (1, message)
    assert _dump(demo) == content


def test_read_only_media_view_report_and_back_up_without_wal(
    demo: Path, tmp_path: Path, capsys
) -> None:
    conn = sqlite3.connect(demo)
    conn.execute("PRAGMA journal_mode = DELETE")  # as a copy on a stick may well be
    conn.close()
    demo.chmod(0o444)
    before, listing = _sha(demo), _listing(demo.parent)
    out = tmp_path / "out"
    out.mkdir()
    status, show, backup, report, reopen = _commands(demo, out)
    try:
        for command in (status, show, backup, report):
            assert main(command) == 0, command
            capsys.readouterr()
            assert _sha(demo) == before
            assert _listing(demo.parent) == listing  # no -wal, no -shm, no -journal
        assert main(reopen) == 1
        assert capsys.readouterr().err == (
            f"Lỗi: Tệp dữ liệu '{demo}' nằm trên ổ hoặc thư mục chỉ cho phép đọc, nên không lưu "
            "được thay đổi. Hãy chép tệp vào máy (ổ ghi được) rồi mở bản đó để sửa.\n"
        )
        assert _sha(demo) == before
        assert _listing(demo.parent) == listing
    finally:
        demo.chmod(stat.S_IRUSR | stat.S_IWUSR)
    conn = sqlite3.connect(f"file:{demo}?mode=ro", uri=True)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    assert _listing(out) == ["r.xlsx", "sao-luu.sqlite"]
    with Store.open(out / "sao-luu.sqlite") as copy:
        assert copy.plan.load().office.name == load_sample("bim-son").office.name


def test_a_closed_pipe_exits_quietly(demo: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        f'"{sys.executable}" -m app plan show --db "{demo}" | head -1; exit ${{PIPESTATUS[0]}}',
        shell=True, executable="/bin/bash", capture_output=True, text=True, env=env, cwd=ROOT,
    )  # fmt: skip
    assert proc.stderr == ""
    assert proc.returncode == 0
    assert proc.stdout.count("\n") == 1


def test_the_window_opens_a_file_on_read_only_media_without_a_lock_file(demo: Path) -> None:
    """A write-protected stick cannot hold our lock file; nothing is written, so none is needed."""
    pytest.importorskip("PySide6")
    from app.models.errors import UserError
    from app.ui.app import open_locked

    demo.chmod(0o444)
    before, listing = _sha(demo), _listing(demo.parent)
    try:
        opened = open_locked(demo)
        assert opened is not None
        store, lock = opened
        with store:
            assert lock is None
            assert store.plan.load().office.name == load_sample("bim-son").office.name
            with pytest.raises(UserError, match="chỉ cho phép đọc, nên không lưu được thay đổi"):
                store.closing.reopen_period("2025-Y", "Sửa số liệu")
        assert _listing(demo.parent) == listing  # no .lock, no -wal, no -shm
        assert _sha(demo) == before
    finally:
        demo.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_each_sqlite_fault_has_its_own_words(tmp_path: Path) -> None:
    import errno

    path = tmp_path / "xa.sqlite"
    cases = {
        sqlite3.OperationalError("database or disk is full"): ("disk_full", "đã đầy"),
        OSError(errno.ENOSPC, "No space left on device"): ("disk_full", "đã đầy"),
        sqlite3.DatabaseError("database disk image is malformed"): ("damaged", "bị hỏng"),
        sqlite3.DatabaseError("file is not a database"): ("damaged", "bị hỏng"),
        sqlite3.OperationalError("disk I/O error"): ("io", "lỗi vào/ra của ổ đĩa"),
        sqlite3.OperationalError("attempt to write a readonly database"): ("read_only", "chỉ cho phép đọc"),
    }  # fmt: skip
    for exc, (code, words) in cases.items():
        fault = database.known_fault(exc, path)
        assert fault is not None and fault.code == code and words in fault.message, exc
    assert database.known_fault(sqlite3.IntegrityError("UNIQUE constraint failed"), path) is None
    assert database.known_fault(ValueError("x"), path) is None
