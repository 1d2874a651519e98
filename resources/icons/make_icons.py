"""Draw the application icon with QPainter and write the PNG sizes and the Windows .ico.

`python resources/icons/make_icons.py` (offscreen works). The outputs are
committed; this script is how they were made, so the icon can be changed
without an image editor. No Pillow: the .ico container is written here from
the PNGs (a 6-byte header, one 16-byte entry per size, then the PNG data;
Windows Vista and later read PNG-compressed icon entries).

The picture: a blue tile (the interface's accent colour), three white bars
rising to a target line, and the gold star of the national flag, for a
Resolution 57 progress tracker.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import (  # noqa: E402
    QColor,
    QGuiApplication,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
)

SIZES = (16, 24, 32, 48, 64, 128, 256)
HERE = Path(__file__).resolve().parent
NAME = "theodoi57"


def _star(cx: float, cy: float, outer: float) -> QPolygonF:
    import math

    inner = outer * 0.382
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = -math.pi / 2 + i * math.pi / 5
        points.append(QPointF(cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return QPolygonF(points)


def draw(size: int) -> QImage:
    """The icon at `size` pixels, drawn on a 256-unit canvas; small sizes drop the thin line."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 256, size / 256)
    margin = 8 if size >= 32 else 2
    tile = QRectF(margin, margin, 256 - 2 * margin, 256 - 2 * margin)
    gradient = QLinearGradient(tile.topLeft(), tile.bottomRight())
    gradient.setColorAt(0, QColor("#2a72c4"))
    gradient.setColorAt(1, QColor("#164a86"))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(gradient)
    p.drawRoundedRect(tile, 48, 48)
    # Three bars rising from the baseline.
    p.setBrush(QColor("white"))
    base = 212
    for i, height in enumerate((62, 100, 140)):
        x = 46 + i * 56
        bar = QPainterPath()
        bar.addRoundedRect(QRectF(x, base - height, 40, height), 8, 8)
        p.drawPath(bar)
    if size >= 32:  # the target line: too thin to read below 32 px
        pen = QPen(QColor("#ffd34d"), 10, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        p.drawLine(QPointF(40, 226), QPointF(216, 226))
        p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#ffd34d"))
    p.drawPolygon(_star(74, 78, 40 if size >= 32 else 50))
    p.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data)


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICO container holding `pngs` (size -> PNG bytes), smallest first."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, blobs = b"", b""
    for size in sizes:
        blob = pngs[size]
        side = 0 if size >= 256 else size  # 0 means 256 in the directory entry
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
        blobs += blob
    return header + entries + blobs


def main(out_dir: Path = HERE) -> list[Path]:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    pngs = {size: png_bytes(draw(size)) for size in SIZES}
    written = []
    for size, data in pngs.items():
        path = out_dir / f"{NAME}-{size}.png"
        path.write_bytes(data)
        written.append(path)
    ico = out_dir / f"{NAME}.ico"
    ico.write_bytes(ico_bytes(pngs))
    written.append(ico)
    return written


if __name__ == "__main__":
    for written_path in main():
        print(written_path)
