"""GUI test fixtures: a private THEODOI57_HOME, a demo data file, a main window, no modal dialogs.

Every message box and file picker goes through app.ui.messages; here they are
replaced by recorders that answer from `dialogs.answers`, so no test ever
blocks on a modal dialog.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent

from app.models.samples import fill_demo, load_sample
from app.models.store import Store

TODAY = date(2026, 11, 23)


class Dialogs:
    """Answers for patched dialogs, and a log of what was asked."""

    def __init__(self, real: dict[str, Any]) -> None:
        self.answers: dict[str, Any] = {"confirm": True}
        self.calls: list[tuple[str, str]] = []
        self.real = real  # the unpatched functions, for tests that show a real dialog

    def answer(self, name: str, text: str = "") -> Any:
        self.calls.append((name, text))
        return self.answers.get(name)

    def texts(self, name: str) -> list[str]:
        return [text for kind, text in self.calls if kind == name]


@pytest.fixture(autouse=True)
def gui_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("THEODOI57_HOME", str(home))
    monkeypatch.setenv("THEODOI57_REMOVABLE", "")
    return home


@pytest.fixture(autouse=True)
def dialogs(monkeypatch: pytest.MonkeyPatch) -> Dialogs:
    from app.ui import messages

    names = ("confirm", "show_error", "show_info", "choose_open_file", "choose_open_files",
             "choose_save_file", "choose_folder", "ask_text", "ask_passphrase",
             "ask_new_passphrase")  # fmt: skip
    d = Dialogs({name: getattr(messages, name) for name in names})
    monkeypatch.setattr(messages, "confirm", lambda parent, title, text: d.answer("confirm", text))
    monkeypatch.setattr(
        messages, "show_error", lambda parent, text, title="": d.answer("error", text)
    )
    monkeypatch.setattr(
        messages, "show_info", lambda parent, text, title="": d.answer("info", text)
    )
    monkeypatch.setattr(messages, "choose_open_file", lambda *a, **k: d.answer("open_file"))
    monkeypatch.setattr(messages, "choose_open_files", lambda *a, **k: d.answer("open_files") or [])
    monkeypatch.setattr(messages, "choose_save_file", lambda *a, **k: d.answer("save_file"))
    monkeypatch.setattr(messages, "choose_folder", lambda *a, **k: d.answer("folder"))
    monkeypatch.setattr(messages, "ask_text", lambda *a, **k: d.answer("text"))
    monkeypatch.setattr(messages, "ask_passphrase", lambda *a, **k: d.answer("passphrase"))
    monkeypatch.setattr(messages, "ask_new_passphrase", lambda *a, **k: d.answer("new_passphrase"))
    from PySide6.QtWidgets import QDialog

    from app.ui.issue_dialog import IssueDialog

    def issue_exec(dialog: IssueDialog) -> int:
        """The export's question is answered like a confirmation; `answers["issue"]` (a
        function of the real dialog) types the number and date first, then "Ký và xuất"."""
        if not d.answer("confirm", dialog.summary_text):
            return QDialog.DialogCode.Rejected
        fill = d.answers.get("issue")
        if fill is not None:
            fill(dialog)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(IssueDialog, "exec", issue_exec)
    return d


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Bỉm Sơn sample with demo values up to 23/11/2026, made once per test run."""
    path = tmp_path_factory.mktemp("demo") / "bim-son-demo.sqlite"
    plan = load_sample("bim-son")
    with Store.create(path, plan.office, plan) as store:
        fill_demo(store, TODAY)
        from app.models.regime import plan_periods
        from app.models.samples import DEMO_NARRATIVE

        for period in plan_periods(store.regime.regime_info(), TODAY):  # ready to issue
            for section, text in DEMO_NARRATIVE.items():
                store.entries.set_narrative(period.id, section, text)
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def demo_db(tmp_path: Path, demo_template: Path) -> Path:
    path = tmp_path / "data" / "demo.sqlite"
    path.parent.mkdir()
    shutil.copy(demo_template, path)
    return path


@pytest.fixture
def window(qtbot, demo_db: Path, gui_home: Path) -> Iterator[Any]:  # noqa: ANN001
    from app.settings import Settings
    from app.ui.app import make_app, open_main_window
    from app.ui.style import apply_font_scale

    app = make_app()
    settings = Settings(path=gui_home / "config" / "settings.json")
    if not app.styleSheet():  # once: restyling re-polishes every widget alive
        apply_font_scale(app, 100)
    win = open_main_window(demo_db, settings, TODAY)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    yield win
    win.session.close()
    win.close()
    win.deleteLater()
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # later restyles skip dead windows


def read_store(path: Path) -> Store:
    """A separate connection: what is really in the data file."""
    return Store.open(path)
