"""Typing into item views the way a secretary does, without asking who has the focus.

The open editor is found through the view (`indexWidget` of the current index holds
the delegate's editor while it is open), never through `QApplication.focusWidget()`,
which is None whenever the window is not the active one: a test's outcome must not
depend on window activation, focus or how long an operation took.
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QWidget


def open_editor(view: QAbstractItemView) -> QWidget:
    """The editor open on the view's current cell (fails when none is open)."""
    assert view.state() == QAbstractItemView.State.EditingState, "no editor is open"
    editor = view.indexWidget(view.currentIndex())
    assert editor is not None, "the current cell has no editor"
    return editor


def type_into_cell(qtbot, view: QAbstractItemView, text: str) -> QLineEdit:  # noqa: ANN001
    """Typing on a selected cell starts editing; the rest goes to the editor.

    After Tab the next cell's editor is already open: then all keys go to it.
    """
    if view.state() == QAbstractItemView.State.EditingState:
        editor = open_editor(view)
        assert isinstance(editor, QLineEdit)
        editor.selectAll()
        qtbot.keyClicks(editor, text)
        return editor
    qtbot.keyClick(view, text[0])
    editor = open_editor(view)
    assert isinstance(editor, QLineEdit)
    qtbot.keyClicks(editor, text[1:])
    return editor
