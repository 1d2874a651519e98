"""An unexpected error in the window: the traceback in the log book, one Vietnamese line on screen."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from app.ui import error_hook, messages
from app.ui.error_hook import ExceptionHook, error_text, install_exception_hook

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def hook(window) -> Iterator[ExceptionHook]:  # noqa: ANN001
    before = sys.excepthook, threading.excepthook
    installed = install_exception_hook(window)
    assert sys.excepthook is installed
    yield installed
    installed.uninstall()
    assert (sys.excepthook, threading.excepthook) == before  # pytest-qt's own hook is back


def _broken_button(window, error: Exception) -> QPushButton:  # noqa: ANN001
    button = QPushButton("Nút hỏng", window)

    def broken() -> None:
        raise error

    button.clicked.connect(broken)
    button.show()
    return button


def _log(home: Path) -> str:
    return (home / "logs" / "theodoi57.log").read_text(encoding="utf-8")


def test_an_error_in_a_slot_is_logged_and_said_in_one_line(qtbot, window, hook, dialogs, gui_home):  # noqa: ANN001
    button = _broken_button(window, LookupError("không tìm thấy kỳ báo cáo"))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialogs.texts("error")))
    log = gui_home / "logs" / "theodoi57.log"
    text = _log(gui_home)
    assert "Lỗi không mong đợi (LookupError) — giao diện" in text
    assert "Traceback (most recent call last):" in text and "in broken\n    raise error" in text
    assert "LookupError: không tìm thấy kỳ báo cáo" in text
    assert dialogs.texts("error") == [
        f"Đã xảy ra lỗi không mong đợi (LookupError). Chi tiết đã được ghi vào tệp nhật ký: {log}."
    ]
    assert "\n" not in dialogs.texts("error")[0]


def test_a_burst_of_the_same_error_shows_one_box(
    qtbot, window, hook, dialogs, gui_home, monkeypatch
):  # noqa: ANN001
    """Rule: the same error again within BURST_SECONDS of the last one is only logged."""
    button = _broken_button(window, KeyError("mã chỉ tiêu"))
    for _ in range(3):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    QApplication.processEvents()
    qtbot.waitUntil(lambda: bool(dialogs.texts("error")))
    QApplication.processEvents()
    assert len(dialogs.texts("error")) == 1
    text = _log(gui_home)
    assert text.count("Traceback") == 1  # the repeats are one short line each
    assert "Lỗi KeyError lặp lại lần thứ 2 — giao diện" in text
    assert "Lỗi KeyError lặp lại lần thứ 3 — giao diện" in text

    other = _broken_button(window, ValueError("khác"))  # another error: its own box
    qtbot.mouseClick(other, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(dialogs.texts("error")) == 2)
    assert "(ValueError)" in dialogs.texts("error")[1]

    monkeypatch.setattr(error_hook, "BURST_SECONDS", 0.0)  # the burst is over: said again
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(dialogs.texts("error")) == 3)
    assert "(KeyError)" in dialogs.texts("error")[2]


def test_an_error_while_showing_the_error_is_only_logged(
    qtbot, window, hook, dialogs, gui_home, monkeypatch
):  # noqa: ANN001
    calls: list[str] = []

    def failing_box(parent, text, title=""):  # noqa: ANN001, ANN202
        calls.append(text)
        raise RuntimeError("hộp thoại hỏng")

    monkeypatch.setattr(messages, "show_error", failing_box)
    qtbot.mouseClick(_broken_button(window, LookupError("lần đầu")), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(calls))
    for _ in range(3):
        QApplication.processEvents()
    assert len(calls) == 1  # no box for the box's own error, no loop
    text = _log(gui_home)
    assert "Lỗi không mong đợi (RuntimeError) — khi hiển thị thông báo lỗi" in text
    assert "RuntimeError: hộp thoại hỏng" in text and "LookupError: lần đầu" in text


def test_errors_while_a_box_is_open_are_only_logged(
    qtbot, window, hook, dialogs, gui_home, monkeypatch
):  # noqa: ANN001
    second = _broken_button(window, ValueError("trong lúc hộp thoại đang mở"))
    calls: list[str] = []

    def modal_box(parent, text, title=""):  # noqa: ANN001, ANN202
        calls.append(text)  # a real box runs its own event loop: another error arrives
        qtbot.mouseClick(second, Qt.MouseButton.LeftButton)
        for _ in range(3):
            QApplication.processEvents()

    monkeypatch.setattr(messages, "show_error", modal_box)
    qtbot.mouseClick(_broken_button(window, LookupError("lần đầu")), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(calls))
    QApplication.processEvents()
    assert len(calls) == 1 and "(LookupError)" in calls[0]
    assert "ValueError: trong lúc hộp thoại đang mở" in _log(gui_home)


def test_an_error_in_another_thread_is_shown_from_the_gui_thread(
    qtbot, window, hook, dialogs, gui_home, monkeypatch
):  # noqa: ANN001
    shown_in: list[str] = []

    def box(parent, text, title=""):  # noqa: ANN001, ANN202
        shown_in.append(threading.current_thread().name)
        dialogs.answer("error", text)

    monkeypatch.setattr(messages, "show_error", box)

    def work() -> None:
        raise OSError("luồng phụ hỏng")

    thread = threading.Thread(target=work, name="xuất-báo-cáo")
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: bool(shown_in))
    assert shown_in == ["MainThread"]
    assert "(OSError)" in dialogs.texts("error")[0]
    text = _log(gui_home)
    assert "Lỗi không mong đợi (OSError) — luồng xuất-báo-cáo" in text
    assert "OSError: luồng phụ hỏng" in text


def test_without_a_log_the_line_says_so(qtbot, window, hook, dialogs, gui_home):  # noqa: ANN001
    (gui_home / "logs").write_text("không phải thư mục")
    qtbot.mouseClick(_broken_button(window, LookupError("x")), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialogs.texts("error")))
    assert dialogs.texts("error") == [error_text("LookupError", None)]
    assert "Không ghi được tệp nhật ký." in dialogs.texts("error")[0]


def test_a_start_up_error_is_logged_and_said(qtbot, demo_db, dialogs, gui_home, monkeypatch):  # noqa: ANN001
    from app.models.file_lock import lock_path
    from app.ui import app as gui
    from app.ui import lock_dialog

    def broken(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise AttributeError("cửa sổ chính hỏng")

    monkeypatch.setattr(gui, "open_main_window", broken)
    monkeypatch.setattr(lock_dialog, "ask_open_read_only", lambda *a: False)  # never a real box
    before = sys.excepthook, threading.excepthook
    assert gui.run_gui(str(demo_db)) == 3
    assert dialogs.texts("error") == [
        error_text("AttributeError", gui_home / "logs" / "theodoi57.log")
    ]
    assert "— khởi động giao diện" in _log(gui_home)
    assert (sys.excepthook, threading.excepthook) == before  # run_gui's hook lives while it runs
    lock_path(demo_db).unlink()  # held by the failed start (the process would exit here)

    with pytest.raises(AttributeError):  # unattended (smoke test): no box, the CLI's line
        gui.run_gui(str(demo_db), quit_after_show=True)
    assert len(dialogs.texts("error")) == 1
    assert (sys.excepthook, threading.excepthook) == before


def test_safe_without_a_qapplication(tmp_path: Path):
    script = (
        "import sys\n"
        "from app.ui.error_hook import install_exception_hook\n"
        "hook = install_exception_hook(None)\n"
        "try:\n"
        "    raise LookupError('chưa có cửa sổ')\n"
        "except LookupError as exc:\n"
        "    sys.excepthook(type(exc), exc, exc.__traceback__)\n"
        "print('ok')\n"
    )
    env = {**os.environ, "THEODOI57_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr
    text = (tmp_path / "logs" / "theodoi57.log").read_text(encoding="utf-8")
    assert "LookupError: chưa có cửa sổ" in text


def test_a_failing_job_logs_its_traceback_and_names_the_log(qtbot, window, gui_home):  # noqa: ANN001
    from app.ui.workers import start_job

    def work(progress, cancel):  # noqa: ANN001, ANN202
        raise ZeroDivisionError("chia cho 0 khi tính tỷ lệ")

    errors: list[str] = []
    job = start_job(window, "Thử", work, lambda result: None, errors.append)
    qtbot.waitUntil(lambda: not job.running, timeout=10000)
    log = gui_home / "logs" / "theodoi57.log"
    assert errors == [
        "Lỗi không mong đợi (ZeroDivisionError): chia cho 0 khi tính tỷ lệ. "
        f"Chi tiết đã được ghi vào tệp nhật ký: {log}."
    ]
    text = _log(gui_home)
    assert "Lỗi không mong đợi (ZeroDivisionError) — công việc chạy nền" in text
    assert "in work\n" in text and "ZeroDivisionError: chia cho 0 khi tính tỷ lệ" in text
