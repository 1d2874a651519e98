"""Small charts drawn with QPainter: group progress bars and indicator sparklines."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QStyledItemDelegate, QStyleOptionViewItem, QWidget

GOOD = QColor("#2e8b57")
BAD = QColor("#c0392b")
NONE = QColor("#c9ced6")
LINE = QColor("#1f5fa8")


@dataclass(frozen=True)
class GroupBar:
    label: str
    on_track: int
    off_track: int
    no_data: int

    @property
    def total(self) -> int:
        return self.on_track + self.off_track + self.no_data


class GroupProgressChart(QWidget):
    """One stacked horizontal bar per indicator group: on track, off track, no data."""

    barClicked = Signal(int)  # row

    ROW = 30

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[GroupBar] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Nhấp vào một nhóm để xem danh sách chỉ tiêu của nhóm.")

    def set_bars(self, bars: list[GroupBar]) -> None:
        self.bars = bars
        self.setFixedHeight(self.ROW * len(bars) + 34)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(520, self.ROW * len(self.bars) + 34)

    def _label_width(self) -> int:
        metrics = QFontMetrics(self.font())
        return min(
            max((metrics.horizontalAdvance(b.label) for b in self.bars), default=0) + 12,
            self.width() // 2,
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        label_w = self._label_width()
        bar_w = max(self.width() - label_w - 60, 40)
        metrics = QFontMetrics(self.font())
        for row, bar in enumerate(self.bars):
            y = row * self.ROW + 4
            p.setPen(QColor("#1d2733"))
            text = metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, label_w - 8)
            p.drawText(QRectF(0, y, label_w - 8, self.ROW - 8), Qt.AlignmentFlag.AlignVCenter, text)
            x = float(label_w)
            total = max(bar.total, 1)
            for count, colour in ((bar.on_track, GOOD), (bar.off_track, BAD), (bar.no_data, NONE)):
                width = bar_w * count / total
                p.fillRect(QRectF(x, y + 3, width, self.ROW - 14), colour)
                x += width
            p.setPen(QColor("#1d2733"))
            share = round(100 * bar.on_track / total)
            p.drawText(
                QRectF(label_w + bar_w + 6, y, 54, self.ROW - 8),
                Qt.AlignmentFlag.AlignVCenter,
                f"{share}%",
            )
        y = len(self.bars) * self.ROW + 8
        x = float(label_w)
        for colour, text in (
            (GOOD, "Đạt, đúng hoặc vượt lộ trình"),
            (BAD, "Chậm so với lộ trình"),
            (NONE, "Chưa có số liệu / không đánh giá được"),
        ):
            p.fillRect(QRectF(x, y + 5, 12, 12), colour)
            p.setPen(QColor("#5a6573"))
            p.drawText(QPointF(x + 16, y + 16), text)
            x += 16 + metrics.horizontalAdvance(text) + 18
        p.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        row = int(event.position().y() - 4) // self.ROW
        if 0 <= row < len(self.bars):
            self.barClicked.emit(row)


def paint_sparkline(p: QPainter, rect: QRectF, values: list[float]) -> None:
    """A line through the values, scaled to the rectangle, the last point marked."""
    if not values:
        return
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = rect.width() / max(len(values) - 1, 1)

    def point(i: int, v: float) -> QPointF:
        y = rect.bottom() - (v - low) / span * rect.height() if high != low else rect.center().y()
        return QPointF(rect.left() + i * step, y)

    points = [point(i, v) for i, v in enumerate(values)]
    p.setPen(QPen(LINE, 1.6))
    if len(points) > 1:
        p.drawPolyline(points)
    p.setBrush(LINE)
    p.drawEllipse(points[-1], 2.5, 2.5)


class SparklineDelegate(QStyledItemDelegate):
    """Draws the list of numbers stored in a cell's UserRole as a sparkline."""

    def paint(self, p: QPainter, option: QStyleOptionViewItem, index) -> None:  # noqa: ANN001
        super().paint(p, option, index)
        values = index.data(Qt.ItemDataRole.UserRole) or []
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        paint_sparkline(p, QRectF(option.rect).adjusted(6, 6, -6, -6), values)
        p.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:  # noqa: ANN001
        return QSize(120, 26)
