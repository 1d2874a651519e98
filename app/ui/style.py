"""The window's look: one style sheet, scaled with the interface size setting (100–150 %)."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

_BASE_POINT_SIZE = 10

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


def apply_font_scale(app: QApplication, scale: int) -> None:
    """Interface text at `scale` percent (100–150) of the normal size."""
    size = _BASE_POINT_SIZE * scale / 100
    sheet = STYLE % {
        "nav": round(size * 1.1), "title": round(size * 1.5), "figure": round(size * 2.2)
    }  # fmt: skip
    if app.styleSheet() == sheet and app.font().pointSizeF() == size:
        return  # restyling re-polishes every widget alive: only when the size changed
    font = QFont(app.font())
    font.setPointSizeF(size)
    app.setFont(font)
    app.setStyleSheet(sheet)
