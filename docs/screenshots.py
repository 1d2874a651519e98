"""Screenshots of the real window on a 1366×768 office screen, for docs/images/.

Run through `docs/make_screenshots.sh` (it starts Xvfb at 1366×768 on display :96):
the window is shown by the application's own start-up code (show_fitted) in the
screen's area above a 40 px taskbar strip, on the Bỉm Sơn sample with demo values,
and each page, the main dialogs and the menus are captured from the X screen itself
(ImageMagick `import -window root`), so what is saved is what the screen shows —
dialogs, menus and all. `--scale 150` repeats the period grid at interface size 150 %.

    DISPLAY=:96 python docs/screenshots.py docs/images
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TODAY = date(2026, 11, 23)
TASKBAR = 40  # px kept free at the bottom, as Windows keeps its taskbar
PERIOD = "2026-Q3"  # filled in the demo; closes without a warning


def main(out: Path, scale: int = 100) -> list[Path]:
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtWidgets import QMessageBox

    from app.models.outgoing import Outgoing
    from app.models.samples import fill_demo, load_sample
    from app.models.store import Store
    from app.operations import period as period_ops
    from app.settings import Settings
    from app.ui import messages
    from app.ui.app import make_app, open_main_window
    from app.ui.style import apply_font_scale

    home = Path(tempfile.mkdtemp(prefix="theodoi57-shots-"))
    os.environ["THEODOI57_HOME"] = str(home)
    db = home / "bim-son-demo.sqlite"
    plan = load_sample("bim-son")
    with Store.create(db, plan.office, plan) as store:
        fill_demo(store, TODAY)
    app = make_app()
    settings = Settings(path=home / "settings.json")
    apply_font_scale(app, scale)
    window = open_main_window(db, settings, TODAY)
    screen = app.primaryScreen().geometry()
    free = QRect(0, 0, screen.width(), screen.height() - TASKBAR)
    window.show_fitted()
    window.setGeometry(free.adjusted(0, 0, 0, 0))  # no window manager: the free area by hand
    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    suffix = "" if scale == 100 else f"-{scale}"

    def settle() -> None:
        for _ in range(20):
            app.processEvents()

    def shot(name: str) -> None:
        settle()
        path = out / f"{name}{suffix}.png"
        subprocess.run(["import", "-window", "root", str(path)], check=True)
        saved.append(path)

    def with_box(name: str, title: str, text: str) -> None:
        """The confirmation as messages.confirm shows it, captured while open."""
        box = QMessageBox(
            QMessageBox.Icon.Question, title, text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, window,
        )  # fmt: skip
        box.button(QMessageBox.StandardButton.Yes).setText("Có")
        box.button(QMessageBox.StandardButton.No).setText("Không")
        box.show()
        shot(name)
        box.close()

    def with_menu(name: str, show: Callable[[], object]) -> None:
        menu = show()
        shot(name)
        menu.close()  # type: ignore[attr-defined]

    if scale != 100:
        entry = window.show_page("periods").open_period(PERIOD)
        shot("screen-period")
        window.close()
        return saved

    window.show_page("dashboard")
    shot("screen-dashboard")
    page = window.show_page("plan")
    shot("screen-plan")
    page.tabs.setCurrentIndex(1)
    shot("screen-plan-tasks")
    periods = window.show_page("periods")
    shot("screen-periods")
    entry = periods.open_period(PERIOD)
    shot("screen-period")
    entry.tabs.setCurrentIndex(1)
    shot("screen-period-tasks")
    bar = entry.task_grid.horizontalScrollBar()
    bar.setValue(bar.maximum())  # scrolled sideways: code and name stay
    shot("screen-period-tasks-scrolled")
    bar.setValue(0)
    entry.tabs.setCurrentIndex(2)
    shot("screen-period-narrative")
    entry.tabs.setCurrentIndex(0)
    session = window.session
    summary = period_ops.outgoing(session.store, session.period(PERIOD), Outgoing.CLOSE)
    with_box("dialog-close-summary", summary.title, summary.text())

    grid = entry.indicator_grid
    grid.setFocus()
    editor_menu = entry.search.createStandardContextMenu()
    with_menu(
        "menu-text-box",
        lambda: (editor_menu.popup(entry.search.mapToGlobal(QPoint(10, 20))), editor_menu)[1],
    )
    edit_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Sửa")
    with_menu(
        "menu-edit", lambda: (edit_menu.popup(window.mapToGlobal(QPoint(60, 24))), edit_menu)[1]
    )

    late = window.show_page("periods")
    late.show_list()
    packages = window.show_page("packages")
    packages.period_combo.setCurrentIndex(packages.period_combo.findData("2025-Q3"))
    shot("screen-packages")
    refused = packages.readiness()
    if refused is not None:
        box = QMessageBox(QMessageBox.Icon.Warning, "Chưa xuất được gói báo cáo", refused.text(),
                          QMessageBox.StandardButton.Ok, window)  # fmt: skip
        box.button(QMessageBox.StandardButton.Ok).setText("Đồng ý")
        box.show()
        shot("dialog-export-refused")
        box.close()
    packages.period_combo.setCurrentIndex(packages.period_combo.findData(PERIOD))
    export = period_ops.outgoing(
        session.store, session.period(PERIOD), Outgoing.EXPORT, Path("E:/BaoCao")
    )
    with_box("dialog-export-summary", export.title, export.text())

    window.show_page("settings")
    shot("screen-settings")
    window.show_help()
    shot("dialog-help")
    window.help_dialog.close()
    del messages  # the module's boxes are modal; the captures above build the same boxes
    window.close()
    return saved


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "images"
    scale = int(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[2] == "--scale" else 100
    for path in main(target, scale):
        print(path)
