"""Code and name stay on screen while the entry grid scrolls sideways (frozen columns).

The grid hides its first columns (code and name, never editable) and a second,
read-only view of the same model beside it shows only those, sharing the selection
and the vertical scrolling, with the grid's row heights. The keyboard stays in the
grid: a click on the frozen side selects the row's first editable cell there.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QFrame, QHBoxLayout, QTableView, QWidget

from .entry_grid import EntryGrid

FROZEN = 2  # code and name


class FrozenColumns(QTableView):
    """The frozen left part of `grid`: columns 0..FROZEN-1 of its model."""

    def __init__(self, grid: EntryGrid, widths: dict[int, int]) -> None:
        super().__init__()
        self.grid = grid
        self.setObjectName("frozenColumns")
        self.setModel(grid.model())
        self.setSelectionModel(grid.selectionModel())
        self.setSelectionMode(grid.selectionMode())
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWordWrap(True)
        self.setVerticalScrollMode(grid.verticalScrollMode())
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(self.verticalHeader().ResizeMode.Fixed)
        self.horizontalHeader().setHighlightSections(False)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        for column in range(self.model().columnCount()):
            self.setColumnHidden(column, column >= FROZEN)
            grid.setColumnHidden(column, column < FROZEN)
        for column, width in widths.items():
            if column < FROZEN:
                self.setColumnWidth(column, width)
        grid.measure_width = self.columnWidth  # row heights count the name at its width
        grid.span_from = FROZEN
        grid._span_groups()
        grid.fit_rows()
        self.verticalScrollBar().valueChanged.connect(grid.verticalScrollBar().setValue)
        grid.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        grid.verticalHeader().sectionResized.connect(
            lambda row, _old, new: self.setRowHeight(row, new)
        )
        grid.rowsFitted.connect(self.copy_rows)
        grid.horizontalScrollBar().rangeChanged.connect(lambda _a, _b: self._bottom())
        self.horizontalHeader().sectionResized.connect(self._resized)
        self.model().modelReset.connect(self.copy_rows)
        self.clicked.connect(self._to_grid)
        self.copy_rows()
        self._fit_width()

    def copy_rows(self) -> None:
        """The grid's row heights, row by row (a group's title wraps in the name column)."""
        model = self.model()
        header = self.grid.verticalHeader()
        for row in range(model.rowCount()):
            self.setRowHeight(row, header.sectionSize(row))
        self.verticalScrollBar().setValue(self.grid.verticalScrollBar().value())
        self._bottom()

    def _fit_width(self) -> None:
        width = sum(self.columnWidth(c) for c in range(FROZEN))
        self.setFixedWidth(width + 2)

    def _resized(self, _column: int, _old: int, _new: int) -> None:
        self._fit_width()
        self.grid._fit_timer.start()

    def _bottom(self) -> None:
        """Leave room below the rows when the grid shows its horizontal scroll bar."""
        bar = self.grid.horizontalScrollBar()
        shown = bar.maximum() > bar.minimum()
        self.setViewportMargins(0, 0, 0, bar.height() if shown and bar.isVisible() else 0)

    def showEvent(self, event) -> None:  # noqa: ANN001, N802 (Qt override)
        super().showEvent(event)
        self._bottom()

    def _to_grid(self, index: QModelIndex) -> None:
        target = self.grid.next_editable(index.row(), FROZEN - 1, 1)
        if target.isValid() and target.row() == index.row():
            self.grid.setCurrentIndex(target)
        self.grid.setFocus()


def with_frozen_columns(grid: EntryGrid, widths: dict[int, int]) -> tuple[QWidget, FrozenColumns]:
    """`grid` with its code and name frozen on the left, in one widget."""
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    frozen = FrozenColumns(grid, widths)
    layout.addWidget(frozen)
    layout.addWidget(grid, 1)
    return box, frozen
