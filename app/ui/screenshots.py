"""Screenshots of every main page, for the documentation and for looking at the layout.

`python -m app.ui.screenshots DATA_FILE OUT_DIR [YYYY-MM-DD]` (offscreen works).
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QApplication

from ..settings import Settings
from .app import make_app, open_main_window
from .style import apply_font_scale

SIZE = (1366, 820)


def _settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents()


def _entered_period(session) -> str:  # noqa: ANN001
    """The latest period with values (a filled grid shows more than an empty one)."""
    entered = set(session.store.entries.periods_with_entries())
    filled = [p for p in session.periods() if p.id in entered]
    return (filled[-1] if filled else session.current_period()).id


def save_screenshots(
    db_path: Path, out_dir: Path, today: date, settings: Settings | None = None
) -> list[Path]:
    """Open `db_path`, show each page in turn and save `screen-<page>.png` into `out_dir`."""
    app = make_app()
    settings = settings or Settings.load()
    apply_font_scale(app, settings.font_scale)
    window = open_main_window(db_path, settings, today)
    window.resize(*SIZE)
    window.show()
    out_dir.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []

    def shot(name: str) -> None:
        _settle(app)
        path = out_dir / f"screen-{name}.png"
        window.grab().save(str(path))
        saved.append(path)

    for key in ("dashboard", "plan", "periods", "packages", "settings"):
        if key not in window._factories:
            continue
        page = window.show_page(key)
        if key == "plan":
            shot("plan")
            page.tabs.setCurrentIndex(1)
            shot("plan-tasks")
            continue
        if key == "periods":
            shot("periods")
            entry = page.open_period(_entered_period(window.session))
            shot("period")
            entry.tabs.setCurrentIndex(1)
            shot("period-tasks")
            entry.tabs.setCurrentIndex(2)
            shot("period-narrative")
            page.show_list()
            continue
        shot(key)
    window.close()
    return saved


if __name__ == "__main__":
    when = date.fromisoformat(sys.argv[3]) if len(sys.argv) > 3 else date.today()
    for p in save_screenshots(Path(sys.argv[1]), Path(sys.argv[2]), when):
        print(p)
