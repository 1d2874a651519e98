"""Navigation icons drawn with QPainter: no image files, no icon font, no new dependency."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

ACCENT = QColor("#1f5fa8")
SIZE = 64


def _draw(paint: Callable[[QPainter], None]) -> QIcon:
    pixmap = QPixmap(SIZE, SIZE)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QPen(ACCENT, 5, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    paint(p)
    p.end()
    return QIcon(pixmap)


def _dashboard(p: QPainter) -> None:
    p.setBrush(ACCENT)
    for i, h in enumerate((18, 34, 26, 44)):
        p.drawRoundedRect(QRectF(8 + i * 13, 54 - h, 8, h), 2, 2)


def _plan(p: QPainter) -> None:
    for i in range(4):
        y = 12 + i * 13
        p.drawPoint(QPointF(11, y))
        p.drawLine(QPointF(20, y), QPointF(54, y))


def _calendar(p: QPainter) -> None:
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRoundedRect(QRectF(8, 12, 48, 42), 5, 5)
    p.drawLine(QPointF(8, 24), QPointF(56, 24))
    p.drawLine(QPointF(20, 6), QPointF(20, 16))
    p.drawLine(QPointF(44, 6), QPointF(44, 16))
    p.setPen(QPen(ACCENT, 4, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    p.drawPolyline([QPointF(21, 39), QPointF(29, 46), QPointF(43, 32)])


def _package(p: QPainter) -> None:
    path = QPainterPath()
    path.moveTo(32, 6)
    path.lineTo(56, 18)
    path.lineTo(56, 46)
    path.lineTo(32, 58)
    path.lineTo(8, 46)
    path.lineTo(8, 18)
    path.closeSubpath()
    p.drawPath(path)
    p.drawPolyline([QPointF(8, 18), QPointF(32, 30), QPointF(56, 18)])
    p.drawLine(QPointF(32, 30), QPointF(32, 58))


def _settings(p: QPainter) -> None:
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.save()
    p.translate(32, 32)
    for _ in range(8):
        p.drawLine(QPointF(0, -18), QPointF(0, -26))
        p.rotate(45)
    p.restore()
    p.drawEllipse(QPointF(32, 32), 17, 17)
    p.drawEllipse(QPointF(32, 32), 6, 6)


_PAINTERS = {
    "dashboard": _dashboard,
    "plan": _plan,
    "periods": _calendar,
    "packages": _package,
    "settings": _settings,
}
_cache: dict[str, QIcon] = {}


def icon(name: str) -> QIcon:
    if name not in _cache:
        _cache[name] = _draw(_PAINTERS[name])
    return _cache[name]
