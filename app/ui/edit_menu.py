"""Sửa: undo, redo and the clipboard for whatever has the keyboard focus.

Cắt / Sao chép / Dán in the menu act on the focused text box as its own
shortcuts do, and on the entry grid as its Ctrl+X / Ctrl+C / Ctrl+V do (a block
of cells, one undo step), so the menu and the keys never disagree.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QTextEdit

from .entry_grid import EntryGrid

TEXT_BOXES = (QLineEdit, QTextEdit, QPlainTextEdit)


def clipboard_action(name: str) -> bool:
    """Run "cut", "copy" or "paste" on the focused widget; False when it has none."""
    widget = QApplication.focusWidget()
    while widget is not None and not isinstance(widget, (*TEXT_BOXES, EntryGrid)):
        widget = widget.parentWidget()  # an open cell editor's grid, a combo's line edit
    if widget is None:
        return False
    if isinstance(widget, EntryGrid) and widget.state() != EntryGrid.State.EditingState:
        getattr(widget, name)()
        return True
    if isinstance(widget, TEXT_BOXES):
        getattr(widget, name)()
        return True
    return False
