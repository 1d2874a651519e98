"""The period report as a PDF an office would sign: A4, letterhead, numbered pages, appendices.

Body pages are A4 portrait; the two appendix tables, too wide for portrait,
go on A4 landscape pages. Tables repeat their header rows on every page and
split inside a row rather than run off the page. Layout rules are those of
Nghị định 30/2020/NĐ-CP (state) and Hướng dẫn 36-HD/VPTW (Party); see
the shared DOCUMENT-FORMAT.md reference for the numbers used here.
"""

from __future__ import annotations

import io
import math
from collections.abc import Collection, Iterable
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from ..exporters.fonts import FontFiles, FontSet, load_fonts
from ..models.assessment import Assessment
from ..models.period_states import change_value_text
from ..models.progress import NarrativeSection
from ..models.text import shown_date
from ..models.values import format_number
from .charts import attainment_chart, task_status_chart
from .content import ASSESSMENT_ORDER, BAND_LABELS, STATUS_ORDER, ReportData
from .letterhead import (
    NBSP,
    Layout,
    layout_for,
    letterhead,
    reference_in_sentence,
    signature_block,
    title_block,
)

# Nghị định 30/2020: top 20–25, bottom 20–25, left 30–35, right 15–20 mm.
MARGINS = {"top": 20 * mm, "bottom": 20 * mm, "left": 30 * mm, "right": 15 * mm}
GRID = colors.black
HEADER_FILL = colors.HexColor("#eeeeee")
GROUP_FILL = colors.HexColor("#f5f5f5")

# Signs a user may paste that a font might lack, and what prints instead.
_FALLBACK = {"≥": ">=", "≤": "<=", "–": "-", "—": "-", "“": '"', "”": '"', "‘": "'", "’": "'"}


class _Styles:
    """Paragraph styles of one document, built from the style's Layout."""

    def __init__(self, fonts: FontSet, lay: Layout) -> None:
        self.fonts = fonts
        self.lay = lay
        size = lay.body
        base = dict(
            fontName=fonts.regular, bulletFontName=fonts.regular, fontSize=size,
            leading=size * 1.25,
        )  # fmt: skip
        self.body = ParagraphStyle(
            "body", **base, alignment=TA_JUSTIFY, firstLineIndent=10 * mm, spaceAfter=6
        )
        # keepWithNext: a heading never ends a page without the paragraph it heads
        self.heading = ParagraphStyle(
            "heading", **{**base, "fontName": fonts.bold}, spaceBefore=6, spaceAfter=6,
            firstLineIndent=10 * mm, keepWithNext=1,
        )  # fmt: skip
        self.subheading = ParagraphStyle(
            "subheading", **{**base, "fontName": fonts.bold}, spaceAfter=6,
            firstLineIndent=10 * mm, keepWithNext=1,
        )  # fmt: skip
        self.center = ParagraphStyle("center", **base, alignment=TA_CENTER)
        self.center_bold = ParagraphStyle(
            "center_bold", **{**base, "fontName": fonts.bold}, alignment=TA_CENTER
        )
        self.center_italic = ParagraphStyle(
            "center_italic", **{**base, "fontName": fonts.italic}, alignment=TA_CENTER
        )
        self.cells: dict[
            float, tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle, ParagraphStyle]
        ] = {}

    def cell(
        self, size: float
    ) -> tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle, ParagraphStyle]:
        """(left, centre, bold centre, bold left) styles for table cells of `size` pt."""
        if size not in self.cells:
            base = dict(
                fontName=self.fonts.regular, bulletFontName=self.fonts.regular,
                fontSize=size, leading=size * 1.18,
            )  # fmt: skip
            self.cells[size] = (
                ParagraphStyle(f"c{size}", **base, alignment=TA_LEFT),
                ParagraphStyle(f"cc{size}", **base, alignment=TA_CENTER),
                ParagraphStyle(
                    f"cb{size}", **{**base, "fontName": self.fonts.bold}, alignment=TA_CENTER
                ),
                ParagraphStyle(f"gb{size}", **{**base, "fontName": self.fonts.bold}),
            )
        return self.cells[size]


class _Text:
    """Escape text for Paragraph markup, replacing what the font cannot draw."""

    def __init__(self, fonts: FontSet) -> None:
        self.fonts = fonts

    def plain(self, text: object) -> str:
        s = "" if text is None else str(text)
        if not self.fonts.covers(s):
            s = "".join(
                ch if ch.isspace() or ord(ch) in self.fonts.coverage else _FALLBACK.get(ch, "?")
                for ch in s
            )
        return s

    def __call__(self, text: object) -> str:
        return escape(self.plain(text)).replace("\n", "<br/>")


class _Raw:
    """A table cell's text before the table knows its column width."""

    __slots__ = ("text", "centred")

    def __init__(self, text: str, centred: bool) -> None:
        self.text = text
        self.centred = centred


def _pdf_date(moment: datetime) -> str:
    moment = moment if moment.tzinfo else moment.astimezone()
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "+" if minutes >= 0 else "-"
    hh, mm_ = divmod(abs(minutes), 60)
    return f"D:{moment:%Y%m%d%H%M%S}{sign}{hh:02d}'{mm_:02d}'"


class _Document(BaseDocTemplate):
    """Portrait body pages, landscape appendix pages; numbers and footer on each page."""

    def __init__(self, buffer: io.BytesIO, report: ReportData, fonts: FontSet) -> None:
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=MARGINS["left"],
            rightMargin=MARGINS["right"],
            topMargin=MARGINS["top"],
            bottomMargin=MARGINS["bottom"],
            title=report.document_title,
            author=report.office.name,
            subject=f"{report.period.label} ({report.period.id})",
            creator="Theo dõi NQ57",
            keywords=f"Kế hoạch {report.plan.number}; {report.period.id}",
            lang="vi-VN",
            initialFontName=fonts.regular,
        )
        self.report = report
        self.fonts = fonts
        self.lay = layout_for(report.style)
        templates = []
        for name, size in (("portrait", A4), ("landscape", landscape(A4))):
            width, height = size
            frame = Frame(
                MARGINS["left"],
                MARGINS["bottom"],
                width - MARGINS["left"] - MARGINS["right"],
                height - MARGINS["top"] - MARGINS["bottom"],
                leftPadding=0,
                rightPadding=0,
                topPadding=0,
                bottomPadding=0,
                id=name,
            )
            templates.append(
                PageTemplate(name, frames=[frame], pagesize=size, onPage=self._decorate)
            )
        self.addPageTemplates(templates)

    def _decorate(self, canvas, doc) -> None:  # noqa: ANN001 (reportlab callback)
        width, height = canvas._pagesize
        page = canvas.getPageNumber()
        if page == 1:
            stamp = _pdf_date(self.report.generated_at)
            canvas.setDateFormatter(lambda *_: stamp)
        if page >= 2:  # NĐ 30: page 1 counts but shows no number
            canvas.setFont(self.fonts.regular, self.lay.page_number)
            canvas.drawCentredString(width / 2, height - MARGINS["top"] / 2 - 4, str(page))
        if self.report.footer_note:
            canvas.setFont(self.fonts.regular, 7)
            canvas.setFillColor(colors.HexColor("#555555"))
            canvas.drawCentredString(width / 2, MARGINS["bottom"] / 2, self.report.footer_note)
            canvas.setFillColor(colors.black)


def _taller_than(rows: list[list], widths: list[float], limit: float) -> bool:
    """Whether some row may be taller than `limit` (a cheap estimate from text length)."""
    for row in rows:
        for cell, width in zip(row, widths, strict=False):
            if isinstance(cell, Paragraph):
                size = cell.style.fontSize
                per_line = max((width - 6) / (size * 0.45), 1)
                text = cell.getPlainText()
                lines = sum(len(part) / per_line + 1 for part in text.split("\n"))
                if lines * cell.style.leading > limit:
                    return True
    return False


PAD_X, PAD_TOP, PAD_BOTTOM = 3, 2, 3


def _row_heights(
    rows: list[list], widths: list[float], leading: float, spans: set[int]
) -> list[float]:
    """Each row's height, wrapping every Paragraph once.

    Given to the Table, these spare reportlab from re-wrapping all remaining
    rows each time a long table is split at a page end (most of the time
    spent on a long appendix otherwise).
    """
    wide = sum(widths[1:])
    heights = []
    for r, row in enumerate(rows):
        tallest = 0.0
        for c, cell in enumerate(row):
            width = (wide if r in spans and c == 1 else widths[c]) - 2 * PAD_X
            if isinstance(cell, Paragraph):
                tallest = max(tallest, cell.wrap(width, 1e6)[1])
            elif cell:
                tallest = max(tallest, leading * (str(cell).count("\n") + 1))
        heights.append(tallest + PAD_TOP + PAD_BOTTOM)
    return heights


def _grid_table(
    rows: list[list],
    widths: list[float],
    header_rows: int,
    font: str,
    spans: Iterable[int] = (),
    leading: float | None = None,
) -> Table:
    """A bordered table that repeats its header rows on every page.

    Rows move whole to the next page; only a row that could not fit on a page
    at all is split inside, so nothing ever runs off the page.
    """
    spans = set(spans)
    frame = A4[0] - MARGINS["top"] - MARGINS["bottom"]  # the shorter frame: landscape
    split = 1 if _taller_than(rows[header_rows:], widths, frame * 0.6) else 0
    heights = None if split or leading is None else _row_heights(rows, widths, leading, spans)
    table = Table(
        rows, colWidths=widths, rowHeights=heights, repeatRows=header_rows, splitInRow=split
    )
    style = [
        ("FONTNAME", (0, 0), (-1, -1), font),  # else the table sets Helvetica
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, header_rows - 1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_FILL),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD_X),
        ("TOPPADDING", (0, 0), (-1, -1), PAD_TOP),
        ("BOTTOMPADDING", (0, 0), (-1, -1), PAD_BOTTOM),
    ]
    last = len(rows) - 1
    for r in spans:  # a group row spans the table and stays with its first item
        style += [("SPAN", (1, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), GROUP_FILL)]
        if not split:  # NOSPLIT would forbid splitting the tall row itself
            style.append(("NOSPLIT", (0, r), (-1, min(r + 1, last))))
    table.setStyle(TableStyle(style))
    return table


class _Builder:
    """Builds the story (list of flowables) of one report."""

    def __init__(self, report: ReportData, fonts: FontSet) -> None:
        self.r = report
        self.fonts = fonts
        self.lay = layout_for(report.style)
        self.st = _Styles(fonts, self.lay)
        self.t = _Text(fonts)
        self.width = A4[0] - MARGINS["left"] - MARGINS["right"]
        self.wide = landscape(A4)[0] - MARGINS["left"] - MARGINS["right"]

    # -- small helpers --------------------------------------------------------------
    def para(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(self.t(text), style or self.st.body)

    def prose(self, text: str | None) -> list[Paragraph]:
        """The office's own text: one paragraph per line; dotted lines when it is empty."""
        if not text or not text.strip():  # room to write by hand, as printed forms leave
            style = self.st.body
            dot = stringWidth(".", style.fontName, style.fontSize)
            first = "." * int((self.width - style.firstLineIndent) / dot - 2)
            return [Paragraph(first, style), Paragraph(first, style)]
        return [self.para(line.strip()) for line in text.splitlines() if line.strip()]

    def cells(self, values: list[object], centred: Collection[int] = frozenset()) -> list:
        return [_Raw(self.t.plain(v), i in centred) for i, v in enumerate(values)]

    def grid(
        self, rows: list[list], widths: list[float], size: float, spans: Iterable[int] = ()
    ) -> Table:
        """A grid table; a cell whose text fits on one line is a plain string, which
        reportlab lays out far faster than a Paragraph (half the report's cells)."""
        left, centre, _, _ = self.st.cell(size)
        font = self.fonts.regular
        centred: set[int] = set()
        for row in rows:
            for c, cell in enumerate(row):
                if not isinstance(cell, _Raw):
                    continue
                if cell.centred:
                    centred.add(c)
                text = cell.text
                if "\n" not in text and stringWidth(text, font, size) <= widths[c] - 7:
                    row[c] = text
                else:
                    markup = escape(text).replace("\n", "<br/>")
                    fit = self.word_fit(text, widths[c] - 2 * PAD_X - 1, size)
                    styles = self.st.cell(fit) if fit != size else (left, centre)
                    row[c] = Paragraph(markup, styles[1] if cell.centred else styles[0])
        table = _grid_table(rows, widths, 1, font, spans, leading=size * 1.18)
        style: list[tuple] = [
            ("FONTSIZE", (0, 1), (-1, -1), size),
            ("LEADING", (0, 1), (-1, -1), size * 1.18),
        ]
        style += [("ALIGN", (c, 1), (c, -1), "CENTER") for c in sorted(centred)]
        table.setStyle(TableStyle(style))
        return table

    def word_fit(self, text: str, room: float, size: float, smallest: float = 7) -> float:
        """`size`, or smaller (to `smallest`) so the longest word fits the cell: a word or a
        number ("nghiệp/1.000") is never broken inside, never run across the rule."""
        words = text.split()
        if not words:
            return size
        longest = max(stringWidth(w, self.fonts.regular, size) for w in words)
        if longest <= room:
            return size
        return max(smallest, math.floor(size * room / longest * 4) / 4)

    def header(self, labels: list[str], size: float) -> list[Paragraph]:
        bold = self.st.cell(size)[2]
        return [Paragraph(self.t(label), bold) for label in labels]

    def group_row(self, code: str, title: str, columns: int, size: float) -> list:
        bold = self.st.cell(size)[3]
        return [Paragraph(self.t(code), self.st.cell(size)[2]), Paragraph(self.t(title), bold)] + [
            ""
        ] * (columns - 2)

    # -- the document ---------------------------------------------------------------------
    def story(self) -> list:
        r, st = self.r, self.st
        out: list = [letterhead(r, self.fonts, self.width), Spacer(1, 8 * mm)]
        out.append(title_block(r, self.fonts, self.width))
        out.append(Spacer(1, 4 * mm))
        if r.addressee:
            out.append(self.para(f"Kính gửi: {r.addressee}.", st.center))
            out.append(Spacer(1, 4 * mm))
        plan = r.plan
        when = f" ngày {plan.date.day}/{plan.date.month}/{plan.date.year}" if plan.date else ""
        issuer = f" của {plan.issuer}" if plan.issuer else ""
        out.append(
            self.para(
                f"Thực hiện Kế hoạch số {plan.number}{when}{issuer}, {r.office_in_sentence} báo cáo "
                f"kết quả thực hiện {r.period.title_label} như sau:"
            )
        )
        if r.completeness is not None:
            out.append(self.para(f"Tình hình cập nhật số liệu: {r.completeness.text()}."))
        out.append(self.para(r.data_window_line))
        if r.correction is not None:
            out += self.correction_section()
        out.append(Paragraph("I. KẾT QUẢ THỰC HIỆN", st.heading))
        out.append(Paragraph("1. Công tác lãnh đạo, chỉ đạo", st.subheading))
        out += self.prose(r.narrative.get(NarrativeSection.LEADERSHIP))
        out += self.indicator_section()
        out += self.task_section()
        out.append(Paragraph("II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", st.heading))
        out += self.shortcomings()
        out.append(Paragraph("III. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI", st.heading))
        out += self.prose(r.narrative.get(NarrativeSection.DIRECTIONS))
        out.append(Paragraph("IV. ĐỀ XUẤT, KIẾN NGHỊ", st.heading))
        out += self.prose(r.narrative.get(NarrativeSection.PROPOSALS))
        closing = self.para(
            f"Trên đây là báo cáo kết quả thực hiện Kế hoạch số {plan.number} "
            f"{r.period.title_label} của {r.office_in_sentence}./."
        )
        # the closing paragraph and the signature block never part across pages
        out.append(
            KeepTogether([closing, Spacer(1, 4 * mm), signature_block(r, self.fonts, self.width)])
        )
        out += [NextPageTemplate("landscape"), PageBreak()]
        out += self.indicator_appendix()
        out += [PageBreak()]
        out += self.task_appendix()
        return out

    def correction_section(self) -> list:
        """What this correction changes in the report sent before, item by item."""
        r, st = self.r, self.st
        fix = r.correction
        assert fix is not None
        out: list = [
            Paragraph("NỘI DUNG ĐIỀU CHỈNH SO VỚI BÁO CÁO ĐÃ GỬI", st.heading),
            self.para(
                f"Báo cáo này bổ sung, điều chỉnh và thay thế {replaced_text(r)}. "
                + (f"Lý do điều chỉnh: {r.reopen_reason.rstrip('.')}. " if r.reopen_reason else "")
                + (f"Có {len(fix.changes)} nội dung điều chỉnh:" if fix.changes
                   else "Không có số liệu nào thay đổi so với báo cáo đã gửi.")
            ),
        ]  # fmt: skip
        if not fix.changes:
            return out
        kinds = {row.code: row.kind.value for row in r.indicators}
        size = self.lay.table
        rows = [self.header(["STT", "Nội dung", "Mục", "Đã báo cáo", "Điều chỉnh thành"], size)]
        for i, c in enumerate(fix.changes, start=1):
            kind = kinds.get(c.code) if c.item == "indicator" else None
            rows.append(
                self.cells(
                    [i, f"{c.item_label}. {c.name}", c.field_label,
                     change_value_text(c, kind), change_value_text(c, kind, before=False)],
                    centred={0},
                )
            )  # fmt: skip
        w = self.width
        out.append(self.grid(rows, [w * 0.07, w * 0.41, w * 0.14, w * 0.19, w * 0.19], size))
        out.append(Spacer(1, 3 * mm))
        return out

    def indicator_section(self) -> list:
        r, st = self.r, self.st
        counts = r.assessment_counts()
        total = len(r.indicators)
        with_data = total - counts.get(Assessment.NO_DATA, 0)
        year = f"mốc {r.main_milestone}" if r.main_milestone else "mốc gần nhất"
        parts = [f"{BAND_LABELS[a].lower()} {counts.get(a, 0)}" for a in ASSESSMENT_ORDER[:6]]
        text = (
            f"Tổng số {total} chỉ tiêu; kỳ này có số liệu {with_data} chỉ tiêu. So với lộ trình "
            f"đến {year}: {', '.join(parts)} chỉ tiêu; chưa có số liệu "
            f"{counts.get(Assessment.NO_DATA, 0)} chỉ tiêu (chi tiết tại Phụ lục I)."
        )
        passed = "; ".join(
            f"mốc {y}: đạt {met}, chưa đạt {missed} chỉ tiêu"
            for y, (met, missed) in sorted(r.passed_counts().items())
        )
        if passed:
            text += f" Các mốc đã qua ({passed})."
        out: list = [Paragraph("2. Kết quả thực hiện các chỉ tiêu", st.subheading), self.para(text)]
        size = self.lay.table
        labels = ["Nhóm chỉ tiêu", "Số chỉ tiêu", *(BAND_LABELS[a] for a in ASSESSMENT_ORDER)]
        rows = [self.header(labels, size)]
        for g in r.indicator_groups:
            c = g.counts()
            rows.append(
                self.cells(
                    [f"{g.code}. {g.title}", len(g.rows), *(c.get(a, 0) for a in ASSESSMENT_ORDER)],
                    centred=set(range(1, 9)),
                )
            )
        rows.append(self.total_row([total, *(counts.get(a, 0) for a in ASSESSMENT_ORDER)], size))
        w = self.width
        widths = [w * 0.24, w * 0.08, *([w * 0.68 / 7] * 7)]
        out.append(self.grid(rows, widths, size))
        out.append(Spacer(1, 3 * mm))
        out.append(attainment_chart(r, self.fonts, self.width, 150))
        out.append(Spacer(1, 3 * mm))
        return out

    def total_row(self, numbers: list[int], size: float) -> list:
        bold = self.st.cell(size)[2]
        return [Paragraph("Tổng cộng", bold), *(Paragraph(str(n), bold) for n in numbers)]

    def task_section(self) -> list:
        r, st = self.r, self.st
        counts = r.status_counts()
        total = len(r.tasks)
        done = counts.get(STATUS_ORDER[0], 0)
        share = f" ({format_number(100 * done / total, 1)}%)" if total else ""
        parts = [f"{s.label.lower()} {counts.get(s, 0)}" for s in STATUS_ORDER]
        parts[0] += share
        text = f"Tổng số {total} nhiệm vụ: {', '.join(parts)} nhiệm vụ."
        out: list = [
            CondPageBreak(40 * mm),
            Paragraph("3. Kết quả thực hiện các nhiệm vụ", st.subheading),
            self.para(text),
        ]
        size = self.lay.table
        labels = ["Nhóm nhiệm vụ", "Số nhiệm vụ", *(s.label for s in STATUS_ORDER), "Quá hạn"]
        rows = [self.header(labels, size)]
        for g in r.task_groups:
            c = g.counts()
            overdue = sum(1 for t in g.rows if t.overdue)
            rows.append(
                self.cells(
                    [
                        g.label,
                        len(g.rows),
                        *(c.get(s, 0) for s in STATUS_ORDER),
                        overdue,
                    ],
                    centred=set(range(1, 9)),
                )
            )
        rows.append(
            self.total_row([total, *(counts.get(s, 0) for s in STATUS_ORDER), len(r.overdue)], size)
        )
        w = self.width
        widths = [w * 0.3] + [w * 0.0875] * 8
        out.append(self.grid(rows, widths, size))
        out.append(Spacer(1, 3 * mm))
        out.append(task_status_chart(r, self.fonts, self.width, 150))
        out.append(Spacer(1, 3 * mm))
        late = r.overdue
        end = f"{r.period.end:%d/%m/%Y}"
        if not late:
            out.append(self.para(f"Đến ngày {end} không có nhiệm vụ quá hạn."))
            return out
        out.append(
            self.para(
                f"Có {len(late)} nhiệm vụ quá hạn (thời hạn đã qua tại ngày {end} nhưng chưa "
                "hoàn thành), cụ thể:"
            )
        )
        rows = [self.header(["STT", "Nhiệm vụ", "Chủ trì", "Thời hạn", "Tình trạng"], size)]
        for i, t in enumerate(late, start=1):
            rows.append(
                self.cells(
                    [
                        i,
                        f"{t.name} (nhiệm vụ số {(t.label or t.code).replace(' ', NBSP)})",
                        t.lead_agency,
                        t.deadline,
                        t.status.label,
                    ],
                    centred={0, 3},
                )
            )
        out.append(self.grid(rows, [w * 0.07, w * 0.45, w * 0.2, w * 0.13, w * 0.15], size))
        out.append(Spacer(1, 3 * mm))
        return out

    def shortcomings(self) -> list:
        r = self.r
        counts = r.assessment_counts()
        behind = [i.code for i in r.indicators if i.band is Assessment.BEHIND]
        facts = []
        year = f"mốc {r.main_milestone}" if r.main_milestone else "mốc gần nhất"
        if behind:
            which = (
                f"chỉ tiêu số {', '.join(behind)} tại " if len(behind) <= 10 else "chi tiết tại "
            )
            facts.append(
                f"- {len(behind)} chỉ tiêu chậm so với lộ trình đến {year} ({which}Phụ lục I)."
            )
        for y, (_met, missed) in sorted(r.passed_counts().items()):
            if missed:
                facts.append(f"- {missed} chỉ tiêu chưa đạt mục tiêu mốc {y} (Phụ lục I).")
        if counts.get(Assessment.NO_DATA):
            facts.append(f"- {counts[Assessment.NO_DATA]} chỉ tiêu chưa có số liệu kỳ này.")
        if r.overdue:
            facts.append(
                f"- {len(r.overdue)} nhiệm vụ quá hạn chưa hoàn thành (chi tiết tại mục I.3 "
                "và Phụ lục II)."
            )
        text = r.narrative.get(NarrativeSection.SHORTCOMINGS)
        out = [self.para(f) for f in facts]
        if text or not facts:
            out += self.prose(text)
        return out

    def appendix_heading(self, number: str, title: str) -> list:
        r, st = self.r, self.st
        return [
            Paragraph(f"PHỤ LỤC {number}", st.center_bold),
            Paragraph(self.t(f"{title} {r.period_phrase.upper()}"), st.center_bold),
            Paragraph(
                self.t(f"(Kèm theo {reference_in_sentence(r)} của {r.office_in_sentence})"),
                st.center_italic,
            ),
            Spacer(1, 4 * mm),
        ]

    def indicator_appendix(self) -> list:
        r = self.r
        size = self.lay.appendix
        target = f"Mục tiêu năm {r.main_milestone}" if r.main_milestone else "Mục tiêu"
        previous = f"Kỳ trước ({r.previous.label})" if r.previous else "Kỳ trước"
        labels = ["STT", "Chỉ tiêu", "Đơn vị tính", "Hiện trạng", target,
                  f"Kết quả {r.period.label}", previous, "Đánh giá", "Cơ quan theo dõi", "Ghi chú"]  # fmt: skip
        rows = [self.header(labels, size)]
        spans = []
        for g in r.indicator_groups:
            spans.append(len(rows))
            rows.append(self.group_row(g.code, g.title, len(labels), size))
            for i in g.rows:
                rows.append(
                    self.cells(
                        [i.code, i.name, i.unit, i.baseline, i.target, i.value_text,
                         i.previous_text, i.assessment_text, i.lead_agency,
                         "\n".join(x for x in (*i.passed, i.note) if x)],
                        centred={0, 2, 4, 5, 6, 7},
                    )
                )  # fmt: skip
        mm_widths = [10, 58, 17, 24, 24, 20, 20, 20, 36, 23]
        widths = [x * self.wide / sum(mm_widths) for x in mm_widths]
        heading = self.appendix_heading("I", "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU")
        return [*heading, self.grid(rows, widths, size, spans)]

    def task_appendix(self) -> list:
        size = self.lay.appendix
        labels = ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Sản phẩm",
                  "Thời hạn", "Tình trạng", "Tiến độ (%)", "Kết quả / minh chứng"]  # fmt: skip
        rows = [self.header(labels, size)]
        spans = []
        before = None
        for g in self.r.task_groups:
            if g.starts_appendix(before):
                spans.append(len(rows))
                rows.append(self.group_row("", g.appendix_heading, len(labels), size))
            before = g
            if not g.body:
                spans.append(len(rows))
                rows.append(self.group_row(g.code, g.title, len(labels), size))
            for t in g.rows:
                status = t.status.label + (" (quá hạn)" if t.overdue else "")
                percent = format_number(t.percent) if t.percent is not None else ""
                rows.append(
                    self.cells(
                        [t.code, t.name, t.lead_agency, t.partners, t.output, t.deadline,
                         status, percent, t.result],
                        centred={0, 5, 6, 7},
                    )
                )  # fmt: skip
        mm_widths = [10, 64, 30, 30, 28, 20, 22, 14, 34]
        widths = [x * self.wide / sum(mm_widths) for x in mm_widths]
        heading = self.appendix_heading("II", "KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ")
        return [*heading, self.grid(rows, widths, size, spans)]


def replaced_text(report: ReportData) -> str:
    """The report a correction replaces, by its number and date when the register has it."""
    fix = report.correction
    assert fix is not None
    old = report.replaced
    if old is not None:
        return f"Báo cáo số {old.reference} ngày {old.issued_on:%d/%m/%Y}"
    when = f", lập ngày {shown_date(fix.sent_at)}" if fix.sent_at else ""
    return f"báo cáo {report.period.label} đã gửi (lần gửi {fix.corrects}{when})"


def render_pdf(report: ReportData, fonts: FontFiles | None = None) -> bytes:
    """The report as PDF bytes (fonts embedded and subset)."""
    return render_pdf_with_signature_box(report, fonts)[0]


def render_pdf_with_signature_box(
    report: ReportData, fonts: FontFiles | None = None
) -> tuple[bytes, tuple[int, float, float, float, float] | None]:
    """The PDF and where the signer signs: (page index, x0, y0, x1, y1) in points, or None.

    The box is the blank space between the signer's title and name, so a
    digital signature's visible stamp lands where the ink signature would.
    """
    font_set = load_fonts(fonts)
    buffer = io.BytesIO()
    doc = _Document(buffer, report, font_set)
    doc.build(_Builder(report, font_set).story())
    boxes = getattr(doc.canv, "signature_boxes", None)
    return buffer.getvalue(), (boxes[-1] if boxes else None)
