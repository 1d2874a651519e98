"""Starting the desktop application: Qt set-up, first-run wizard or the main window."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import cast

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from ..models.database import on_read_only_media
from ..models.errors import UserError
from ..models.file_lock import FileLock, LockHeld, ReadOnlyStore, open_read_only
from ..models.store import Store
from ..paths import resources_dir
from ..settings import Settings, default_data_file
from . import lock_dialog, messages
from .error_hook import install_exception_hook
from .platform_check import missing_xcb_packages, xcb_message
from .style import apply_font_scale


def _register_fonts() -> None:
    """Offscreen or bare systems may lack a Vietnamese-capable font: bundle one as fallback."""
    folder = resources_dir() / "fonts"
    for name in ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf"):
        path = folder / name
        if path.exists():
            QFontDatabase.addApplicationFont(str(path))


def make_app(argv: list[str] | None = None) -> QApplication:
    app = cast(QApplication, QApplication.instance() or QApplication(argv or sys.argv[:1]))
    app.setApplicationName("Theo dõi NQ57")
    app.setOrganizationName("TheoDoiNQ57")
    messages.install_translations(app)
    _register_fonts()
    app.setWindowIcon(app_icon())
    return app


def app_icon() -> QIcon:
    """The product icon drawn by resources/icons/make_icons.py, at every size it was saved."""
    icon = QIcon()
    for path in sorted((resources_dir() / "icons").glob("theodoi57-*.png")):
        icon.addFile(str(path))
    return icon


def open_main_window(  # noqa: ANN201
    db_path: Path, settings: Settings, today: date | None = None, store: Store | None = None
):
    """Open `db_path` (or use `store`, already open on it) and return its main window."""
    from .main_window import MainWindow
    from .session import Session

    store = store if store is not None else Store.open(db_path)
    absolute = str(Path(db_path).resolve())  # a relative path would break from another folder
    if settings.data_file != absolute:
        settings.set("data_file", absolute)
        settings.save()
    return MainWindow(Session(store, today), settings)


def open_locked(path: Path) -> tuple[Store, FileLock | None] | None:
    """Open `path` holding its lock; when it is open elsewhere ask "read-only or cancel".

    Returns the store and the lock (None when read-only), or None when cancelled.
    A file on read-only media needs no lock: nothing can be written to it from here.
    """
    if on_read_only_media(path):
        return Store.open(path), None
    try:
        lock = FileLock.acquire(path)
    except LockHeld as held:
        if not lock_dialog.ask_open_read_only(None, path, held.holder):
            return None
        return open_read_only(path), None
    try:
        return Store.open(path), lock
    except BaseException:
        lock.release()
        raise


def _watch_lock(window, lock: FileLock | None) -> lock_dialog.LockKeeper:  # noqa: ANN001
    """Heartbeat while the window lives; the lock follows "open another file"; released on quit."""
    keeper = lock_dialog.LockKeeper(lock, window)
    session = window.session
    if isinstance(session.store, ReadOnlyStore):
        lock_dialog.make_read_only(window)

    def replaced() -> None:
        if isinstance(session.store, ReadOnlyStore):
            return
        previous = keeper.lock.data_file if keeper.lock is not None else None
        held = keeper.follow(session.path)
        if held is None:
            return
        if previous is not None and not lock_dialog.ask_open_read_only(
            window, session.path, held.holder
        ):
            try:
                session.replace_store(Store.open(previous))  # cancelled: back to our file
            except UserError as exc:
                messages.show_error(window, exc.message, "Không mở lại được tệp dữ liệu")
            return
        keeper.release()
        try:
            session.replace_store(open_read_only(session.path))
        except UserError as exc:
            messages.show_error(window, exc.message, "Không mở được tệp dữ liệu")
            return
        lock_dialog.make_read_only(window)

    keeper.lockLost.connect(lambda: lock_dialog.warn_lock_lost(window))
    session.storeReplaced.connect(replaced)
    instance = QApplication.instance()
    assert instance is not None  # the window is shown
    instance.aboutToQuit.connect(keeper.release)
    return keeper


def _save_screenshot(window, target: Path) -> bool:  # noqa: ANN001
    """`gui --screenshot FILE`: the shown window as PNG (the frozen smoke test's proof)."""
    app = QApplication.instance()
    assert app is not None
    for _ in range(5):
        app.processEvents()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return window.grab().save(str(target))


def run_gui(
    db: str | None = None,
    quit_after_show: bool = False,
    today: date | None = None,
    screenshot: str | None = None,
) -> int:
    """`python -m app gui`: the main window, or the first-run wizard when there is no data file."""
    missing = missing_xcb_packages()
    if missing:
        sys.stderr.write(xcb_message(missing) + "\n")
        return 4
    app = make_app()
    unattended = quit_after_show or bool(screenshot)
    hook = install_exception_hook(app, show=not unattended)
    try:
        return _start(app, db, quit_after_show, today, screenshot)
    except Exception as exc:  # a bug while opening: in the log book and a box, never lost
        if unattended:
            raise  # the command line's one line and exit code
        hook.handle(exc, "khởi động giao diện")
        app.processEvents()  # the queued box
        return 3  # cli.EXIT_BUG
    finally:
        hook.uninstall()  # the windows are gone: the previous hooks again


def _start(
    app: QApplication,
    db: str | None,
    quit_after_show: bool,
    today: date | None,
    screenshot: str | None,
) -> int:
    settings = Settings.load()
    apply_font_scale(app, settings.font_scale)
    path = Path(db) if db else (Path(settings.data_file) if settings.data_file else None)
    if path is None and default_data_file().exists():
        path = default_data_file()  # moved from another PC: the backup copied into place
    windows: list = []
    if path is not None and path.exists():
        opened = None
        try:
            opened = open_locked(path)
            if opened is None:
                return 0
            window = open_main_window(path, settings, today, store=opened[0])
        except UserError as exc:
            if opened is not None and opened[1] is not None:
                opened[1].release()
            messages.show_error(None, exc.message, "Không mở được tệp dữ liệu")
            return 1
        windows.append(_watch_lock(window, opened[1]))
        windows.append(window)
        window.show_fitted()
        if screenshot:
            saved: list[bool] = []
            QTimer.singleShot(0, lambda: saved.append(_save_screenshot(window, Path(screenshot))))
            QTimer.singleShot(0, app.quit)
            code = app.exec()
            return code if saved == [True] else 1
    else:
        from .wizard import FirstRunWizard

        wizard = FirstRunWizard(settings, path)
        windows.append(wizard)

        def finished(created: Path | None) -> None:
            if created is None:
                app.quit()
                return
            try:
                opened = open_locked(created)
            except UserError as exc:
                messages.show_error(None, exc.message, "Không mở được tệp dữ liệu")
                app.quit()
                return
            if opened is None:
                app.quit()
                return
            window = open_main_window(created, settings, today, store=opened[0])
            windows.append(_watch_lock(window, opened[1]))
            windows.append(window)
            window.show_fitted()

        wizard.created.connect(finished)
        wizard.rejected.connect(app.quit)
        wizard.show()
    if quit_after_show:
        QTimer.singleShot(0, app.quit)
    return app.exec()
