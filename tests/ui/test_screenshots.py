"""Every main page renders with the Bỉm Sơn demo data (and the PNGs are not blank)."""

from __future__ import annotations

from PySide6.QtGui import QImage

from app.settings import Settings
from app.ui.screenshots import save_screenshots

from .conftest import TODAY


def test_screenshots_of_every_page(qtbot, demo_db, tmp_path, gui_home):  # noqa: ANN001
    saved = save_screenshots(demo_db, tmp_path / "shots", TODAY, Settings(path=gui_home / "s.json"))
    names = {p.stem for p in saved}
    assert {
        "screen-dashboard",
        "screen-plan",
        "screen-periods",
        "screen-period",
        "screen-settings",
    } <= names
    for path in saved:
        image = QImage(str(path))
        assert image.width() >= 1200 and image.height() >= 700
        colours = {
            image.pixel(x, y)
            for x in range(0, image.width(), 37)
            for y in range(0, image.height(), 29)
        }
        assert len(colours) > 8, path.name  # text and tables, not an empty window
