"""The log book: unexpected errors kept in a rotating file in the user data folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from app import __version__, logbook


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "home"
    monkeypatch.setenv("THEODOI57_HOME", str(folder))
    return folder


def _raised(exc: BaseException) -> BaseException:
    try:
        raise exc
    except BaseException as caught:
        return caught


def _unlock_key(passphrase: str) -> None:
    raise ValueError("Mật khẩu khóa ký không đúng.")


def test_traceback_version_and_context_are_written_under_the_data_folder(home: Path):
    assert logbook.log_path() == home / "logs" / "theodoi57.log"
    written = logbook.log_unexpected(_raised(ZeroDivisionError("chia cho 0")), "lệnh thử")
    assert written == home / "logs" / "theodoi57.log"
    text = written.read_text(encoding="utf-8")
    assert "ERROR Lỗi không mong đợi (ZeroDivisionError) — lệnh thử" in text
    assert f"Theo dõi NQ57 {__version__} (mã nguồn); Python {sys.version_info[0]}." in text
    assert "Traceback (most recent call last):" in text and "in _raised\n    raise exc" in text
    assert text.rstrip().endswith("ZeroDivisionError: chia cho 0")

    logbook.log_unexpected(_raised(KeyError("mã")), "lần hai")
    text = written.read_text(encoding="utf-8")
    assert text.count("Traceback") == 2 and "KeyError: 'mã'" in text  # appended, not replaced


def test_rotation_settings_and_rotation(home: Path, monkeypatch: pytest.MonkeyPatch):
    assert logbook.setup() == logbook.log_path()
    assert logbook.setup() == logbook.log_path()  # idempotent: one handler
    handlers = [h for h in logbook._logger.handlers if hasattr(h, "maxBytes")]
    assert len(handlers) == 1
    handler = handlers[0]
    assert (handler.maxBytes, handler.backupCount) == (1_000_000, 5)
    assert handler.encoding == "utf-8"
    assert logbook._logger.propagate is False
    assert not (home / "logs" / "theodoi57.log").exists()  # nothing written, no file

    monkeypatch.setenv("THEODOI57_HOME", str(home / "small"))
    monkeypatch.setattr(logbook, "MAX_BYTES", 2_000)  # a new folder: a new handler, small files
    for n in range(40):
        assert logbook.log_unexpected(_raised(RuntimeError(f"lỗi số {n}")), "xoay vòng")
    names = sorted(p.name for p in (home / "small" / "logs").iterdir())
    assert names == ["theodoi57.log"] + [f"theodoi57.log.{n}" for n in range(1, 6)]
    assert all(p.stat().st_size <= 2_000 for p in (home / "small" / "logs").iterdir())
    assert "lỗi số 39" in (home / "small" / "logs" / "theodoi57.log").read_text("utf-8")


def test_an_unwritable_log_returns_none_and_never_raises(home: Path, capfd):  # noqa: ANN001
    home.mkdir()
    (home / "logs").write_text("một tệp, không phải thư mục")  # the folder cannot be made
    assert logbook.log_unexpected(_raised(OSError("đĩa")), "thử") is None
    assert logbook.setup() is None

    (home / "logs").unlink()
    (home / "logs" / "theodoi57.log").mkdir(parents=True)  # the file cannot be opened
    assert logbook.log_unexpected(_raised(OSError("đĩa")), "thử") is None
    assert logbook.log_message("một dòng") is None
    assert capfd.readouterr().err == ""  # not even logging's "--- Logging error ---"

    (home / "logs" / "theodoi57.log").rmdir()
    assert logbook.log_unexpected(_raised(OSError("đĩa")), "thử") is not None  # works again


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() == 0, reason="quyền chỉ đọc không áp dụng cho root"
)
def test_a_read_only_log_folder_returns_none(home: Path):
    logs = home / "logs"
    logs.mkdir(parents=True)
    logs.chmod(0o500)
    try:
        assert logbook.log_unexpected(_raised(OSError("chỉ đọc")), "thử") is None
    finally:
        logs.chmod(0o700)


def test_argument_values_never_reach_the_log(home: Path):
    """Source lines are in a traceback, values are not: secrets travel in variables."""
    secret = "-".join(["mat", "khau", "bi", "mat", "123"])
    try:
        _unlock_key(secret)
    except ValueError as exc:
        written = logbook.log_unexpected(exc, "mở khóa ký")
    text = written.read_text(encoding="utf-8")
    assert "_unlock_key(secret)" in text and "Mật khẩu khóa ký không đúng." in text
    assert secret not in text


def test_fallback_hook_logs_what_escapes_main(home: Path, monkeypatch: pytest.MonkeyPatch):
    seen: list[str] = []
    monkeypatch.setattr(sys, "excepthook", lambda t, v, tb: seen.append(t.__name__))
    logbook.install_fallback_hook()
    logbook.install_fallback_hook()  # idempotent: one hook, not two
    exc = _raised(LookupError("thoát khỏi main"))
    sys.excepthook(type(exc), exc, exc.__traceback__)
    interrupt = _raised(KeyboardInterrupt())
    sys.excepthook(KeyboardInterrupt, interrupt, interrupt.__traceback__)
    assert seen == ["LookupError", "KeyboardInterrupt"]  # the previous hook still runs
    text = logbook.log_path().read_text(encoding="utf-8")
    assert text.count("Traceback") == 1 and "LookupError: thoát khỏi main" in text
