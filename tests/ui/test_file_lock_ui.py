"""The data-file lock in the window: the read-only question, a viewer window, the heartbeat."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractItemView, QPushButton

from app.models.file_lock import FileLock, LockInfo, ReadOnlyStore, lock_path, read_lock
from app.models.store import Store
from app.settings import Settings
from app.ui import app as gui_app
from app.ui import lock_dialog

from .conftest import TODAY

ROOT = Path(__file__).resolve().parents[2]

OTHER_PC = LockInfo(
    "MAY-VAN-THU", 4242, "vanthu", datetime(2026, 11, 23, 8, 5).astimezone(),
    datetime.now().astimezone().replace(microsecond=0), "o" * 32,
)  # fmt: skip


@pytest.fixture
def questions(monkeypatch: pytest.MonkeyPatch) -> dict:
    """Answers the read-only question without a modal box; records what was asked."""
    asked: dict = {"answer": True, "calls": []}

    def ask(parent, path, holder):  # noqa: ANN001, ANN202
        asked["calls"].append((path, holder, lock_dialog.lock_question(path, holder)))
        return asked["answer"]

    monkeypatch.setattr(lock_dialog, "ask_open_read_only", ask)
    return asked


def test_question_names_the_holder_and_the_way_out():
    text = lock_dialog.lock_question(Path("/x/theodoi57.sqlite"), OTHER_PC)
    assert "“theodoi57.sqlite” đang được mở bởi người dùng “vanthu” trên máy “MAY-VAN-THU”" in text
    assert "Mở chỉ để xem" in text and "Hủy" in text
    assert "tự được gỡ sau 10 phút" in text
    here = LockInfo.for_this_process()
    assert "một cửa sổ khác trên máy này" in lock_dialog.lock_question(Path("a.sqlite"), here)


def test_cancel_on_a_locked_file_opens_nothing(demo_db: Path, questions: dict):
    lock_path(demo_db).write_bytes(OTHER_PC.to_bytes())
    questions["answer"] = False
    assert gui_app.run_gui(str(demo_db), quit_after_show=True, today=TODAY) == 0
    ((path, holder, _text),) = questions["calls"]
    assert path == demo_db and holder == OTHER_PC
    assert read_lock(demo_db) == OTHER_PC


def _gui(*args: str) -> subprocess.CompletedProcess:
    """The real start-up path in its own process (an in-process app.exec() would end the
    test's Qt event delivery to worker signals)."""
    return subprocess.run(
        [sys.executable, "-m", "app", "gui", *args],
        capture_output=True, text=True, cwd=ROOT, env=os.environ.copy(), timeout=60,
    )  # fmt: skip


def test_window_frees_the_lock_on_quit_and_saves_a_screenshot(demo_db: Path, tmp_path: Path):
    shot = tmp_path / "man-hinh.png"
    run = _gui("--db", str(demo_db), "--screenshot", str(shot))
    assert run.returncode == 0, run.stderr
    assert shot.read_bytes()[:4] == b"\x89PNG"
    assert not lock_path(demo_db).exists()
    assert Settings.load().data_file == str(demo_db)


def _window(qtbot, path: Path, gui_home: Path):  # noqa: ANN001, ANN202
    opened = gui_app.open_locked(path)
    assert opened is not None
    settings = Settings(path=gui_home / "config" / "settings.json")
    window = gui_app.open_main_window(path, settings, TODAY, store=opened[0])
    qtbot.addWidget(window)
    keeper = gui_app._watch_lock(window, opened[1])
    window.show()
    return window, keeper


def test_read_only_window_offers_no_editing(qtbot, demo_db: Path, gui_home: Path, questions):  # noqa: ANN001
    lock_path(demo_db).write_bytes(OTHER_PC.to_bytes())
    window, keeper = _window(qtbot, demo_db, gui_home)
    try:
        assert isinstance(window.session.store, ReadOnlyStore)
        assert keeper.lock is None
        assert window.windowTitle().endswith("chỉ xem")
        assert not window.undo_action.isEnabled()
        page = window.show_page("plan")
        for view in page.findChildren(QAbstractItemView):
            assert view.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
        buttons = {b.text(): b.isEnabled() for b in page.findChildren(QPushButton)}
        assert buttons["Thêm nhóm…"] is False and buttons["Xóa"] is False
        assert not page.search.isReadOnly()  # searching changes nothing
        model = page.indicator_tree.model()
        assert not model.setData(model.index(0, 1), "Tên mới")
        assert "chế độ chỉ xem" in model.last_error
        settings_page = window.show_page("settings")
        restore = [b for b in settings_page.findChildren(QPushButton) if "Khôi phục" in b.text()]
        assert restore and not any(b.isEnabled() for b in restore)
    finally:
        window.session.close()
    assert read_lock(demo_db) == OTHER_PC  # the holder's lock is untouched


def test_lock_follows_the_window_to_another_file(qtbot, demo_db: Path, gui_home: Path, questions):  # noqa: ANN001
    window, keeper = _window(qtbot, demo_db, gui_home)
    assert read_lock(demo_db).token == keeper.lock.info.token
    other = demo_db.with_name("khac.sqlite")
    other.write_bytes(demo_db.read_bytes())
    window.session.replace_store(Store.open(other))  # what "Mở tệp khác" does
    assert not lock_path(demo_db).exists()
    assert keeper.lock.data_file == other and read_lock(other).token == keeper.lock.info.token
    # A third file, open on another PC: the window switches to viewing it.
    third = demo_db.with_name("may-khac.sqlite")
    third.write_bytes(demo_db.read_bytes())
    lock_path(third).write_bytes(OTHER_PC.to_bytes())
    window.session.replace_store(Store.open(third))
    assert questions["calls"][-1][0] == third
    assert isinstance(window.session.store, ReadOnlyStore)
    assert window.windowTitle().endswith("chỉ xem")
    assert read_lock(third) == OTHER_PC and not lock_path(other).exists()
    window.session.close()


def test_cancel_when_switching_to_a_locked_file_goes_back(qtbot, demo_db, gui_home, questions):  # noqa: ANN001
    window, keeper = _window(qtbot, demo_db, gui_home)
    held_by_other = demo_db.with_name("may-khac.sqlite")
    held_by_other.write_bytes(demo_db.read_bytes())
    lock_path(held_by_other).write_bytes(OTHER_PC.to_bytes())
    questions["answer"] = False
    window.session.replace_store(Store.open(held_by_other))
    assert window.session.path == demo_db
    assert not isinstance(window.session.store, ReadOnlyStore)
    assert read_lock(demo_db).token == keeper.lock.info.token
    assert read_lock(held_by_other) == OTHER_PC
    assert not window.windowTitle().endswith("chỉ xem")
    window.session.close()


def test_heartbeat_notices_a_takeover_once(qtbot, demo_db: Path, gui_home: Path, dialogs):  # noqa: ANN001
    window, keeper = _window(qtbot, demo_db, gui_home)
    assert keeper.timer.isActive()
    before = read_lock(demo_db)
    assert keeper.beat() and read_lock(demo_db).token == before.token
    lock_path(demo_db).write_bytes(OTHER_PC.to_bytes())  # another PC took the file over
    assert not keeper.beat()
    assert not keeper.timer.isActive()
    (text,) = dialogs.texts("error")
    assert "vừa mở tệp dữ liệu này để sửa" in text
    keeper.release()
    assert read_lock(demo_db) == OTHER_PC
    window.session.close()


def test_keeper_releases_on_quit(qtbot, demo_db: Path, gui_home: Path):  # noqa: ANN001
    window, keeper = _window(qtbot, demo_db, gui_home)
    assert isinstance(keeper.lock, FileLock)
    keeper.release()
    assert not lock_path(demo_db).exists() and not keeper.timer.isActive()
    window.session.close()


def test_data_file_copied_into_the_user_folder_opens_without_the_wizard(demo_db: Path):
    from app.settings import default_data_file

    target = default_data_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(demo_db.read_bytes())  # moved from another PC
    run = _gui("--quit-after-show")
    assert run.returncode == 0, run.stderr
    assert Settings.load().data_file == str(target)
    assert not lock_path(target).exists()
