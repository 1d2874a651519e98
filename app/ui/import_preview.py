"""The dry-run preview of a plan workbook: what was read, row by row, problems highlighted."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..importers.preview import ImportPreview, Severity
from .list_model import ListTableModel

Index = QModelIndex | QPersistentModelIndex
KIND_LABELS = {
    "indicator_group": "Nhóm chỉ tiêu",
    "indicator": "Chỉ tiêu",
    "task_group": "Nhóm nhiệm vụ",
    "task": "Nhiệm vụ",
}
SHOWN_PROBLEMS = 5
ERROR_BACKGROUND = QColor("#fbe0dd")
WARNING_BACKGROUND = QColor("#fff3cd")


class PreviewModel(ListTableModel):
    """One line per parsed row, plus one per problem that has no parsed row."""

    HEADERS = ("Trang", "Dòng", "Loại", "Mã", "Nội dung", "Vấn đề")

    def __init__(self, preview: ImportPreview) -> None:
        super().__init__()
        problems: dict[tuple[str, int], list] = {}
        for p in preview.problems:
            problems.setdefault((p.sheet, p.row), []).append(p)
        self.lines: list[tuple[list[str], Severity | None]] = []
        seen = set()
        for parsed in preview.rows:
            key = (parsed.sheet, parsed.row)
            seen.add(key)
            found = problems.get(key, [])
            name: str = getattr(parsed.item, "name", "") or getattr(parsed.item, "title", "")
            self.lines.append(
                (
                    [
                        parsed.sheet,
                        str(parsed.row),
                        KIND_LABELS.get(parsed.kind, parsed.kind),
                        parsed.item.code,
                        name,
                        "; ".join(_problem_text(p) for p in found),
                    ],
                    _worst(found),
                )  # fmt: skip
            )
        for key, found in problems.items():
            if key not in seen:
                self.lines.append(
                    (
                        [
                            key[0],
                            str(key[1]),
                            "",
                            "",
                            "",
                            "; ".join(_problem_text(p) for p in found),
                        ],
                        _worst(found),
                    )
                )

        # What needs attention first: errors, then warnings, then the rows read cleanly.
        order = {Severity.ERROR: 0, Severity.WARNING: 1, None: 2}
        self.lines.sort(key=lambda line: order[line[1]])

    def items(self) -> list:
        return self.lines

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        cells, severity = self.lines[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return cells[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole and severity is not None:
            return QBrush(ERROR_BACKGROUND if severity is Severity.ERROR else WARNING_BACKGROUND)
        return None

    def problem_rows(self) -> int:
        return sum(1 for _, severity in self.lines if severity is Severity.ERROR)


def _problem_text(problem) -> str:  # noqa: ANN001
    where = f"cột '{problem.column}': " if problem.column else ""
    return f"[{problem.severity.label}] {where}{problem.message}"


def _worst(problems: list) -> Severity | None:
    if any(p.severity is Severity.ERROR for p in problems):
        return Severity.ERROR
    return Severity.WARNING if problems else None


class PreviewView(QWidget):
    """Summary lines above, the row table below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableView()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        self.model: PreviewModel | None = None

    def show_preview(self, preview: ImportPreview) -> None:
        every = preview.summary_lines()
        problems = [line.strip() for line in every if line.startswith("  [")]
        lines = [line for line in every if not line.startswith("  [")]
        lines += problems[:SHOWN_PROBLEMS]  # seen at any size; the table lists them first
        if len(problems) > SHOWN_PROBLEMS:
            lines.append(f"… và {len(problems) - SHOWN_PROBLEMS} vấn đề khác (đầu bảng dưới đây).")
        self.summary.setText("\n".join(lines))
        self.model = PreviewModel(preview)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        for column, width in enumerate((110, 50, 110, 50, 330)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)

    def show_message(self, text: str) -> None:
        self.summary.setText(text)
        self.model = None
        self.table.setModel(None)
