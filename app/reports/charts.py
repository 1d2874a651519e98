"""Bar charts for the report's summary: task status counts, indicator attainment by group.

Drawn with reportlab.graphics, so they are vector, use the report's embedded
font, and print sharply in black and white (bars carry their numbers).
"""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Circle, Drawing, Line, Rect, String
from reportlab.lib import colors

from ..exporters.fonts import FontSet
from ..models.assessment import Assessment
from ..models.progress import TaskStatus
from .content import ASSESSMENT_ORDER, BAND_LABELS, STATUS_ORDER, ReportData

ASSESSMENT_COLOURS = {
    Assessment.EXCEEDED: colors.HexColor("#1b7837"),
    Assessment.MET: colors.HexColor("#5aae61"),
    Assessment.AHEAD: colors.HexColor("#a6dba0"),
    Assessment.ON_TRACK: colors.HexColor("#4393c3"),
    Assessment.BEHIND: colors.HexColor("#d6604d"),
    Assessment.NOT_ASSESSABLE: colors.HexColor("#9e9e9e"),
    Assessment.NO_DATA: colors.HexColor("#e0e0e0"),
}
ASSESSMENT_GREYS = {  # light to dark is not the order: neighbours in a stack must differ
    Assessment.EXCEEDED: colors.HexColor("#bdbdbd"),
    Assessment.MET: colors.HexColor("#ffffff"),
    Assessment.AHEAD: colors.HexColor("#e0e0e0"),
    Assessment.ON_TRACK: colors.HexColor("#ffffff"),
    Assessment.BEHIND: colors.HexColor("#9e9e9e"),
    Assessment.NOT_ASSESSABLE: colors.HexColor("#ffffff"),
    Assessment.NO_DATA: colors.HexColor("#f2f2f2"),
}
STATUS_COLOURS = {
    TaskStatus.DONE: colors.HexColor("#1b7837"),
    TaskStatus.IN_PROGRESS: colors.HexColor("#4393c3"),
    TaskStatus.NOT_STARTED: colors.HexColor("#d6604d"),
    TaskStatus.PAUSED: colors.HexColor("#f4a582"),
    TaskStatus.CANCELLED: colors.HexColor("#9e9e9e"),
    TaskStatus.NOT_REPORTED: colors.HexColor("#e0e0e0"),
}


def _axis_max(value: int) -> int:
    step = 5 if value <= 30 else 10 if value <= 80 else 20
    return max(step, ((value // step) + 1) * step)


def task_status_chart(report: ReportData, fonts: FontSet, width: float, height: float) -> Drawing:
    """Number of tasks in each status at the period's end."""
    counts = report.status_counts()
    data = [counts.get(s, 0) for s in STATUS_ORDER]
    d = Drawing(width, height, initialFontName=fonts.regular)  # not Helvetica
    d.add(
        String(
            width / 2,
            height - 11,
            "Số nhiệm vụ theo tình trạng",
            fontName=fonts.bold,
            fontSize=10,
            textAnchor="middle",
        )
    )
    chart = VerticalBarChart()
    chart.x, chart.y = 30, 30
    chart.width, chart.height = width - 45, height - 55
    chart.data = [data]
    chart.categoryAxis.categoryNames = [s.label for s in STATUS_ORDER]
    chart.categoryAxis.labels.fontName = fonts.regular
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.labels.fontName = fonts.regular
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = _axis_max(max(data, default=0))
    chart.valueAxis.valueStep = chart.valueAxis.valueMax // 5
    chart.bars.strokeColor = colors.black
    chart.bars.strokeWidth = 0.3
    for i, status in enumerate(STATUS_ORDER):
        chart.bars[(0, i)].fillColor = STATUS_COLOURS[status]
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = fonts.regular
    chart.barLabels.fontSize = 8
    chart.barLabels.nudge = 6
    d.add(chart)
    return d


# Each band has a fill that differs in grey level and a pattern, so the chart reads on a
# black-and-white printer; segments also carry their count where they are tall enough.
PATTERNS = {
    Assessment.EXCEEDED: "cross",
    Assessment.MET: "vertical",
    Assessment.AHEAD: "diagonal",
    Assessment.ON_TRACK: "horizontal",
    Assessment.BEHIND: "dots",
    Assessment.NOT_ASSESSABLE: "back_diagonal",
    Assessment.NO_DATA: "",
}


def _hatch(x: float, y: float, w: float, h: float, pattern: str) -> list[Line | Circle]:
    """Pattern strokes clipped to the rectangle (x, y, w, h)."""
    out: list[Line | Circle] = []
    step = 4.0
    ink = {"strokeColor": colors.black, "strokeWidth": 0.4}
    if pattern in ("vertical", "cross"):
        xi = x + step / 2
        while xi < x + w:
            out.append(Line(xi, y, xi, y + h, **ink))
            xi += step
    if pattern in ("horizontal", "cross"):
        yi = y + step / 2
        while yi < y + h:
            out.append(Line(x, yi, x + w, yi, **ink))
            yi += step
    if pattern in ("diagonal", "back_diagonal"):
        # lines x - y = c (diagonal) or x + y = c (back), clipped to the rectangle
        c = -h
        while c < w:
            if pattern == "diagonal":
                pts = [(max(0, c), max(0, c) - c), (min(w, c + h), min(w, c + h) - c)]
            else:
                pts = [(max(0, c), h - (max(0, c) - c)), (min(w, c + h), h - (min(w, c + h) - c))]
            (ax, ay), (bx, by) = pts
            if bx > ax:
                out.append(Line(x + ax, y + ay, x + bx, y + by, **ink))
            c += step * 1.4
    if pattern == "dots":
        yi = y + step / 2
        while yi < y + h:
            xi = x + step / 2
            while xi < x + w:
                out.append(Circle(xi, yi, 0.6, fillColor=colors.black, strokeColor=None))
                xi += step
            yi += step
    return out


def _segment(x: float, y: float, w: float, h: float, band: Assessment) -> list:
    fill = ASSESSMENT_GREYS[band]
    shapes: list = [Rect(x, y, w, h, fillColor=fill, strokeColor=colors.black, strokeWidth=0.3)]
    shapes += _hatch(x, y, w, h, PATTERNS[band])
    return shapes


def attainment_chart(report: ReportData, fonts: FontSet, width: float, height: float) -> Drawing:
    """Indicators of each group by attainment, stacked, with a legend; every band has its own
    grey and pattern, and each segment tall enough shows its count (black-and-white print)."""
    groups = report.indicator_groups
    d = Drawing(width, height, initialFontName=fonts.regular)  # not Helvetica
    d.add(
        String(width / 2, height - 11, "Số chỉ tiêu theo lộ trình đến mốc, theo nhóm",
               fontName=fonts.bold, fontSize=10, textAnchor="middle")
    )  # fmt: skip
    legend_w = 130
    x0, y0 = 30.0, 22.0
    plot_w, plot_h = width - 45 - legend_w, height - 45
    totals = [len(g.rows) for g in groups]
    top = _axis_max(max(totals, default=0))
    step = top // 5
    axis = {"strokeColor": colors.black, "strokeWidth": 0.5}
    d.add(Line(x0, y0, x0, y0 + plot_h, **axis))
    d.add(Line(x0, y0, x0 + plot_w, y0, **axis))
    for v in range(0, top + 1, step):
        y = y0 + plot_h * v / top
        d.add(Line(x0 - 3, y, x0, y, **axis))
        d.add(String(x0 - 5, y - 3, str(v), fontName=fonts.regular, fontSize=8, textAnchor="end"))
    slot = plot_w / max(len(groups), 1)
    bar_w = min(slot * 0.6, 40)
    for i, g in enumerate(groups):
        counts = g.counts()
        bx = x0 + slot * i + (slot - bar_w) / 2
        y = y0
        for band in ASSESSMENT_ORDER:
            n = counts.get(band, 0)
            if not n:
                continue
            h = plot_h * n / top
            for shape in _segment(bx, y, bar_w, h, band):
                d.add(shape)
            if h >= 9:  # the count on a white patch, readable over any pattern
                label_w = 4.6 * len(str(n)) + 3
                d.add(Rect(bx + bar_w / 2 - label_w / 2, y + h / 2 - 4, label_w, 8,
                           fillColor=colors.white, strokeColor=None))  # fmt: skip
                d.add(String(bx + bar_w / 2, y + h / 2 - 2.8, str(n), fontName=fonts.regular,
                             fontSize=7.5, textAnchor="middle"))  # fmt: skip
            y += h
        d.add(String(bx + bar_w / 2, y0 - 11, f"Nhóm {g.code}", fontName=fonts.regular,
                     fontSize=8, textAnchor="middle"))  # fmt: skip
    lx, ly = width - legend_w + 5, height - 30
    for band in ASSESSMENT_ORDER:
        for shape in _segment(lx, ly - 7, 12, 8, band):
            d.add(shape)
        d.add(String(lx + 16, ly - 5.5, BAND_LABELS[band], fontName=fonts.regular, fontSize=8))
        ly -= 12
    return d
