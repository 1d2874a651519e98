"""Bar charts for the report's summary: task status counts, indicator attainment by group.

Drawn with reportlab.graphics, so they are vector, use the report's embedded
font, and print sharply in black and white (bars carry their numbers).
"""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
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


def attainment_chart(report: ReportData, fonts: FontSet, width: float, height: float) -> Drawing:
    """Indicators of each group by attainment, stacked, with a legend."""
    groups = report.indicator_groups
    series = [
        [g.counts().get(a, 0) for g in groups] for a in ASSESSMENT_ORDER
    ]  # one series per band of the path assessment
    d = Drawing(width, height, initialFontName=fonts.regular)  # not Helvetica
    d.add(
        String(
            width / 2,
            height - 11,
            "Số chỉ tiêu theo lộ trình đến mốc, theo nhóm",
            fontName=fonts.bold,
            fontSize=10,
            textAnchor="middle",
        )
    )
    legend_w = 120
    chart = VerticalBarChart()
    chart.x, chart.y = 30, 22
    chart.width, chart.height = width - 45 - legend_w, height - 45
    chart.data = series
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.categoryNames = [f"Nhóm {g.code}" for g in groups]
    chart.categoryAxis.labels.fontName = fonts.regular
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.labels.fontName = fonts.regular
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.valueMin = 0
    totals = [len(g.rows) for g in groups]
    chart.valueAxis.valueMax = _axis_max(max(totals, default=0))
    chart.valueAxis.valueStep = chart.valueAxis.valueMax // 5
    chart.bars.strokeColor = colors.black
    chart.bars.strokeWidth = 0.3
    for i, a in enumerate(ASSESSMENT_ORDER):
        chart.bars[i].fillColor = ASSESSMENT_COLOURS[a]
    d.add(chart)
    legend = Legend()
    legend.x, legend.y = width - legend_w + 5, height - 30
    legend.fontName = fonts.regular
    legend.fontSize = 8
    legend.alignment = "right"
    legend.boxAnchor = "nw"
    legend.dx = legend.dy = 7
    legend.deltay = 11
    legend.columnMaximum = len(ASSESSMENT_ORDER)
    legend.colorNamePairs = [(ASSESSMENT_COLOURS[a], BAND_LABELS[a]) for a in ASSESSMENT_ORDER]
    d.add(legend)
    return d
