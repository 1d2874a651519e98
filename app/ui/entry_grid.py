"""A spreadsheet-like table view for period entry.

Tab / Shift+Tab move between editable cells (group rows and read-only columns
are skipped), Enter commits and moves down, typing starts editing, Delete
clears, Ctrl+V pastes a block copied from Excel cell by cell. A refused value
keeps its editor open with the typed text and shows the store's Vietnamese
message at the cell.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import cast

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolTip,
    QWidget,
)

from .period_models import STATUS_CHOICES, CellError, _EntryModel

Index = QModelIndex | QPersistentModelIndex
Hint = QAbstractItemDelegate.EndEditHint


def parse_clipboard(text: str) -> list[list[str]]:
    """Rows of cells from Excel's clipboard text (tab-separated, quoted multi-line cells)."""
    if not text:
        return []
    if text.endswith("\r\n"):
        text = text[:-2]
    elif text.endswith("\n"):
        text = text[:-1]
    reader = csv.reader(io.StringIO(text.replace("\r\n", "\n")), delimiter="\t", quotechar='"')
    return [[cell.strip() for cell in row] for row in reader]


class EntryDelegate(QStyledItemDelegate):
    """Line edits for text cells, a combo box for the task status column."""

    def __init__(self, view: EntryGrid, combo_columns: dict[int, list[str]]) -> None:
        super().__init__(view)
        self.view = view
        self.combo_columns = combo_columns
        self.pending_text: str | None = None  # a refused value to show again
        self.enter_pressed = False  # tells Enter apart from Qt closing the editor on a row change

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        choices = self.combo_columns.get(index.column())
        if choices is not None:
            combo = QComboBox(parent)
            combo.addItems(choices)
            combo.setEditable(False)
            return combo
        editor = QLineEdit(parent)
        editor.setFrame(False)
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        text = self.pending_text
        self.pending_text = None
        if text is None:
            text = str(index.data(Qt.ItemDataRole.EditRole) or "")
        if isinstance(editor, QComboBox):
            position = editor.findText(text)
            editor.setCurrentIndex(max(position, 0))
        elif isinstance(editor, QLineEdit):
            editor.setText(text)

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        """Enter commits at once (Qt would queue it), so the move down follows the write."""
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(editor, QLineEdit)
            and cast(QKeyEvent, event).key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.enter_pressed = True
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, Hint.SubmitModelCache)
            return True
        return super().eventFilter(editor, event)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        text = (
            editor.currentText()
            if isinstance(editor, QComboBox)
            else cast(QLineEdit, editor).text()
        )
        if text == str(index.data(Qt.ItemDataRole.EditRole) or "") and not isinstance(
            editor, QComboBox
        ):
            return  # unchanged: no write, no audit entry
        model.setData(index, text, Qt.ItemDataRole.EditRole)


class EntryGrid(QTableView):
    message = Signal(str, bool)  # Vietnamese status text (paste report…), True for a refusal
    rowsFitted = Signal()  # row heights computed again (the frozen columns copy them)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.setAlternatingRowColors(False)
        self.setWordWrap(True)
        self.verticalHeader().setVisible(False)
        # Row heights are computed once per row from the name (fit_rows), never by Qt asking
        # every cell's size hint on each layout (ResizeToContents: ~150,000 data() calls).
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.wrap_column = 1  # the column holding a group row's title
        self.span_from = 1  # group rows span from here (2 when code and name are frozen)
        self.measure_width: Callable[[int], int] | None = None  # hidden (frozen) columns' widths
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(50)
        self._fit_timer.timeout.connect(self.fit_rows)
        self.horizontalHeader().sectionResized.connect(self._column_resized)
        self.horizontalHeader().setHighlightSections(False)
        self.setTabKeyNavigation(True)
        self.delegate = EntryDelegate(self, {})
        self.setItemDelegate(self.delegate)
        self.last_error: CellError | None = None

    def set_combo_column(self, column: int, choices: list[str] | None = None) -> None:
        self.delegate.combo_columns[column] = choices or STATUS_CHOICES

    def model(self) -> _EntryModel:
        return cast(_EntryModel, super().model())

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        if model is not None:
            model.modelReset.connect(self._span_groups)
            model.modelReset.connect(self.fit_rows)
            model.dataChanged.connect(self._data_changed)
            self._span_groups()
            self.fit_rows()

    # -- row heights ----------------------------------------------------------------------
    MAX_LINES = 3  # what an office may choose (Cài đặt › Giao diện)

    @property
    def max_lines(self) -> int:
        """Lines a row may take: 1 (the default: single-line rows, the full text in the
        tooltip and the line under the grid) to MAX_LINES, as set in Cài đặt."""
        from ..settings import Settings

        return max(1, min(self.MAX_LINES, int(Settings.load().grid_row_lines or 1)))

    def fit_rows(self) -> None:
        """Each row as tall as its longest cell needs at the columns' widths, at most
        `max_lines` (the full text is in the tooltip): one data() call per cell, once per
        model reset or column resize, never per paint."""
        model = self.model()
        if model is None:
            return
        most = self.max_lines
        metrics = self.fontMetrics()
        line = metrics.lineSpacing()
        frozen = self.measure_width
        columns = [
            (c, max((frozen(c) if frozen and self.isColumnHidden(c) else self.columnWidth(c)) - 10,
                    20))
            for c in range(model.columnCount())
            if frozen is not None or not self.isColumnHidden(c)
        ]  # fmt: skip
        title = (self.wrap_column, frozen(self.wrap_column) - 10 if frozen else 10_000)
        header = self.verticalHeader()
        flags = int(Qt.TextFlag.TextWordWrap)
        for row in range(model.rowCount()):
            shown = [title] if model.is_group(row) else columns
            lines = 1
            for column, width in shown:
                text = str(model.index(row, column).data() or "")
                if not text:
                    continue
                height = metrics.boundingRect(0, 0, width, line * 10, flags, text).height()
                lines = max(lines, round(height / line))
                if lines >= most:
                    break
            header.resizeSection(row, min(lines, most) * line + 8)
        self.rowsFitted.emit()

    def _column_resized(self, column: int, _old: int, _new: int) -> None:
        self._fit_timer.start()

    def _data_changed(self, top: QModelIndex, bottom: QModelIndex) -> None:
        if top.column() <= self.wrap_column <= bottom.column() and top.row() == bottom.row():
            self._fit_timer.start()

    def _span_groups(self) -> None:
        model = self.model()
        self.clearSpans()
        for row in range(model.rowCount()):
            if model.is_group(row):
                self.setSpan(row, self.span_from, 1, model.columnCount() - self.span_from)

    # -- navigation -------------------------------------------------------------------
    def _editable(self, row: int, column: int) -> bool:
        model = self.model()
        return model.is_editable(model.index(row, column))

    def next_editable(self, row: int, column: int, step: int) -> QModelIndex:
        """The next editable cell in reading order (step +1) or backwards (step -1)."""
        model = self.model()
        rows, cols = model.rowCount(), model.columnCount()
        position = row * cols + column
        for _ in range(rows * cols):
            position += step
            if not 0 <= position < rows * cols:
                break
            r, c = divmod(position, cols)
            if self._editable(r, c) and not self.isColumnHidden(c):
                return model.index(r, c)
        return QModelIndex()

    def below_editable(self, row: int, column: int) -> QModelIndex:
        model = self.model()
        for r in range(row + 1, model.rowCount()):
            if self._editable(r, column):
                return model.index(r, column)
        return QModelIndex()

    def moveCursor(
        self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        current = self.currentIndex()
        if current.isValid() and action in (
            QAbstractItemView.CursorAction.MoveNext,
            QAbstractItemView.CursorAction.MovePrevious,
        ):
            step = 1 if action == QAbstractItemView.CursorAction.MoveNext else -1
            target = self.next_editable(current.row(), current.column(), step)
            return target if target.isValid() else current
        return super().moveCursor(action, modifiers)

    def _go(self, index: QModelIndex) -> None:
        if index.isValid():
            self.setCurrentIndex(index)
            self.scrollTo(index)

    # -- editing ------------------------------------------------------------------------
    def closeEditor(self, editor: QWidget, hint: Hint) -> None:
        error = self.model().last_error
        if error is not None:
            self.delegate.enter_pressed = False
            self.model().last_error = None
            super().closeEditor(editor, Hint.NoHint)
            self._refuse(error)
            return
        entered, self.delegate.enter_pressed = self.delegate.enter_pressed, False
        if entered:  # Enter: commit, then the cell below
            super().closeEditor(editor, Hint.NoHint)
            current = self.currentIndex()
            self._go(self.below_editable(current.row(), current.column()))
            return
        super().closeEditor(editor, hint)

    def _refuse(self, error: CellError) -> None:
        """Reopen the editor with the refused text and say why, at the cell."""
        self.last_error = error
        index = self.model().index(error.row, error.column)
        self.setCurrentIndex(index)
        self.delegate.pending_text = error.text
        self.edit(index)
        rect = self.visualRect(index)
        QToolTip.showText(self.viewport().mapToGlobal(rect.bottomLeft()), error.message, self)
        self.message.emit(error.message, True)

    def _read_only(self) -> bool:
        """True (and says so) when the period is closed or sent: typing changes nothing."""
        model = self.model()
        if not model.locked:
            return False
        state = model.session.store.closing.period_status(model.period.id).state
        self.message.emit(
            f"Kỳ {state.label.lower()} — chỉ xem. Muốn sửa, hãy mở lại kỳ (ghi lý do).", True
        )
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        edits = (
            event.matches(QKeySequence.StandardKey.Paste)
            or event.matches(QKeySequence.StandardKey.Cut)
            or event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
            or (event.text().isprintable() and event.text() != "")
        )
        if edits and self.state() != QAbstractItemView.State.EditingState and self._read_only():
            return
        if event.matches(QKeySequence.StandardKey.Cut):
            self.cut()
            return
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste()
            return
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy()
            return
        editing = self.state() == QAbstractItemView.State.EditingState
        if not editing and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.clear_selection_cells()
            return
        if not editing and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            current = self.currentIndex()
            if current.isValid():
                self._go(self.below_editable(current.row(), current.column()))
            return
        super().keyPressEvent(event)

    def _cells(self) -> list[QModelIndex]:
        indexes = self.selectionModel().selectedIndexes() or [self.currentIndex()]
        return [i for i in indexes if i.isValid() and self.model().is_editable(i)]

    def clear_selection_cells(self) -> None:
        """Delete: the selected cells cleared as one step (rows with a refused cell kept)."""
        model = self.model()
        cells = [
            (i.row(), i.column(), "")
            for i in self._cells()
            if i.data(Qt.ItemDataRole.EditRole) not in ("", None)
        ]
        if not cells:
            return
        result = model.write_block(cells, "xóa")
        if result.refused:
            self.message.emit(
                "Không xóa được: " + "; ".join(model.refused_text(r) for r in result.refused), True
            )
        else:
            self.message.emit(f"Đã xóa {result.written} ô.", False)

    def cut(self) -> None:
        """Copy the selected cells, then clear them (one undo step)."""
        self.copy()
        self.clear_selection_cells()

    def copy(self) -> None:
        indexes = sorted(
            self.selectionModel().selectedIndexes(), key=lambda i: (i.row(), i.column())
        )
        if not indexes:
            return
        lines: dict[int, list[str]] = {}
        for index in indexes:
            lines.setdefault(index.row(), []).append(str(index.data() or ""))
        QGuiApplication.clipboard().setText("\n".join("\t".join(v) for v in lines.values()))

    def paste(self) -> list[str]:
        """Paste the clipboard block from the current cell; returns the refused cells' messages.

        Pasted lines go to consecutive item rows (group heading rows are skipped)
        and to consecutive columns; read-only columns and blank pasted cells
        are left as they are. Each row is written all or nothing (a row with a
        refused cell keeps its old values), and the paste is one undo step.
        """
        block = parse_clipboard(QGuiApplication.clipboard().text())
        start = self.currentIndex()
        model = self.model()
        if not block or not start.isValid():
            return []
        cells: list[tuple[int, int, str]] = []
        row = start.row()
        for line in block:
            while row < model.rowCount() and model.is_group(row):
                row += 1
            if row >= model.rowCount():
                break
            for offset, text in enumerate(line):
                column = start.column() + offset
                index = model.index(row, column)
                if column < model.columnCount() and text and model.is_editable(index):
                    cells.append((row, column, text))
            row += 1
        if not cells:
            self.message.emit("Không có ô nào để dán vào đây.", True)
            return []
        result = model.write_block(cells)
        errors = [model.refused_text(r) for r in result.refused]
        summary = f"Đã dán {result.written} ô."
        if errors:
            rows = len(result.refused_rows)
            summary += f" {rows} dòng có ô không hợp lệ nên cả dòng chưa ghi: " + " | ".join(errors)
        self.message.emit(summary, bool(errors))
        return errors
