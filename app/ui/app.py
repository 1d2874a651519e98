"""Starting the desktop application: Qt set-up, first-run wizard or the main window."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from ..models.errors import UserError
from ..models.store import Store
from ..paths import resources_dir
from ..settings import Settings
from . import messages

STYLE = """
QListWidget#nav { background: #f1f4f9; border: none; font-size: %(nav)dpt; padding-top: 8px;
                  outline: 0; }
QListWidget#nav::item { padding: 6px 10px; border-radius: 4px; margin: 1px 6px; color: #1d2733; }
QListWidget#nav::item:selected { background: #1f5fa8; color: white; }
QLabel#pageTitle { font-size: %(title)dpt; color: #1d2733; padding: 2px 0 4px 0; }
QLabel#muted { color: #5a6573; }
QLabel#gridMessage { color: #a8231a; }
QLabel#problem { color: #a8231a; }
QFrame#card { background: white; border: 1px solid #d7dde6; border-radius: 6px; }
QLabel#cardTitle { color: #5a6573; }
QLabel#cardFigure { font-size: %(figure)dpt; font-weight: bold; color: #1f5fa8; }
QTableView, QTreeView { gridline-color: #d7dde6; selection-background-color: #cfe0f5;
                        selection-color: black; }
QStatusBar QLabel { padding: 0 10px; border-right: 1px solid #c9ced6; }
QGroupBox { margin-top: 14px; padding-top: 6px; }
QHeaderView::section { background: #eef1f5; padding: 4px; border: none;
                       border-right: 1px solid #d7dde6; border-bottom: 1px solid #d7dde6; }
"""

_BASE_POINT_SIZE = 10


def _register_fonts() -> None:
    """Offscreen or bare systems may lack a Vietnamese-capable font: bundle one as fallback."""
    folder = resources_dir() / "fonts"
    for name in ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf"):
        path = folder / name
        if path.exists():
            QFontDatabase.addApplicationFont(str(path))


def apply_font_scale(app: QApplication, scale: int) -> None:
    """Interface text at `scale` percent (100–150) of the normal size."""
    size = _BASE_POINT_SIZE * scale / 100
    font = QFont(app.font())
    font.setPointSizeF(size)
    app.setFont(font)
    app.setStyleSheet(
        STYLE % {"nav": round(size * 1.1), "title": round(size * 1.5), "figure": round(size * 2.2)}
    )


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("Theo dõi NQ57")
    app.setOrganizationName("TheoDoiNQ57")
    messages.install_translations(app)
    _register_fonts()
    return app  # type: ignore[return-value]


def open_main_window(db_path: Path, settings: Settings, today: date | None = None):  # noqa: ANN201
    """Open `db_path` and return its main window (not yet shown)."""
    from .main_window import MainWindow
    from .session import Session

    store = Store.open(db_path)
    if settings.data_file != str(db_path):
        settings.set("data_file", str(db_path))
        settings.save()
    return MainWindow(Session(store, today), settings)


def run_gui(db: str | None = None, quit_after_show: bool = False, today: date | None = None) -> int:
    """`python -m app gui`: the main window, or the first-run wizard when there is no data file."""
    app = make_app()
    settings = Settings.load()
    apply_font_scale(app, settings.font_scale)
    path = Path(db) if db else (Path(settings.data_file) if settings.data_file else None)
    windows: list = []
    if path is not None and path.exists():
        try:
            window = open_main_window(path, settings, today)
        except UserError as exc:
            messages.show_error(None, exc.message, "Không mở được tệp dữ liệu")
            return 1
        windows.append(window)
        window.show()
    else:
        from .wizard import FirstRunWizard

        wizard = FirstRunWizard(settings, path)
        windows.append(wizard)

        def finished(created: Path | None) -> None:
            if created is None:
                app.quit()
                return
            window = open_main_window(created, settings, today)
            windows.append(window)
            window.show()

        wizard.created.connect(finished)
        wizard.rejected.connect(app.quit)
        wizard.show()
    if quit_after_show:
        QTimer.singleShot(0, app.quit)
    return app.exec()
