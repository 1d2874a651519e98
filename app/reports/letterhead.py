"""The parts of a report that the decree fixes: letterhead, title, signature, Nơi nhận.

State style follows Nghị định 30/2020/NĐ-CP Phụ lục I; Party style follows
Hướng dẫn 36-HD/VPTW. Sizes per style are in `Layout` so the two layouts
differ only in data; the blocks are drawn as centred lines with rules exactly
where the templates put them (a Paragraph cannot draw a rule as long as its
text).
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Table, TableStyle

from ..exporters.fonts import FontSet
from ..models.plan import DocumentStyle
from .content import ReportData

NBSP = "\u00a0"


@dataclass(frozen=True)
class Layout:
    """Font sizes (pt) and column widths of one document style."""

    body: float
    table: float
    appendix: float
    issuer: float  # parent and issuing body lines (left)
    national: float  # quốc hiệu / "ĐẢNG CỘNG SẢN VIỆT NAM"
    motto: float  # tiêu ngữ (state only)
    number: float
    date: float
    kind: float  # "BÁO CÁO"
    summary: float
    signature: float
    recipients_head: float
    recipients: float
    left_width: float  # share of the text width for the left header column
    page_number: float = 13


STATE = Layout(
    body=14, table=11, appendix=10, issuer=13, national=12, motto=13, number=13, date=14,
    kind=14, summary=14, signature=14, recipients_head=12, recipients=11, left_width=0.42,
)  # fmt: skip
PARTY = Layout(
    body=14, table=11, appendix=10, issuer=14, national=15, motto=0, number=14, date=14,
    kind=15, summary=14, signature=14, recipients_head=12, recipients=11, left_width=0.48,
)  # fmt: skip


def layout_for(style: DocumentStyle) -> Layout:
    return PARTY if style is DocumentStyle.PARTY else STATE


@dataclass(frozen=True)
class Line:
    """One centred line (wrapped if it must) with an optional rule under it.

    `rule` is the rule's length as a share of the text's own width (its
    longest line: NĐ 30 asks 1/3–1/2 of it); -1 means as long as the text.
    """

    text: str
    font: str
    size: float
    rule: float = 0
    space_after: float = 0
    min_size: float | None = None  # shrink down to this before wrapping
    signature_space: bool = False  # record the gap after it: a PAdES stamp goes there


def balanced_split(text: str, font: str, size: float, width: float) -> list[str]:
    """`text` wrapped in as few lines as at `width`, but of even lengths: "ỦY BAN NHÂN DÂN /
    TỈNH THANH HÓA" rather than "ỦY BAN NHÂN DÂN TỈNH THANH / HÓA" (as letterheads are set)."""
    parts = simpleSplit(text, font, size, width)
    narrowest = max(stringWidth(w, font, size) for w in text.split()) if text.split() else 0
    trial = max(narrowest, width * 0.4)
    while trial < width:
        tried = simpleSplit(text, font, size, trial)
        if len(tried) == len(parts):
            return tried
        trial += 2
    return parts


class LineStack(Flowable):
    """Centred lines in a column, as letterheads and signature blocks are set."""

    def __init__(self, lines: list[Line], width: float, leading: float = 1.18) -> None:
        super().__init__()
        self.lines = lines
        self.col_width = width
        self.leading = leading
        self._laid: list[tuple[list[str], Line, float]] = []
        for line in lines:
            size = line.size
            if line.min_size:
                while size > line.min_size and stringWidth(line.text, line.font, size) > width:
                    size -= 0.5
            if stringWidth(line.text, line.font, size) <= width:
                parts = [line.text]  # keeps runs of no-break spaces ("Số:      /BC-UBND")
            else:
                parts = balanced_split(line.text, line.font, size, width)
            self._laid.append((parts, line, size))

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        height = 0.0
        for parts, line, size in self._laid:
            height += len(parts) * size * self.leading + line.space_after
            if line.rule:
                height += line.size * 0.4
        self.height = height
        return self.col_width, height

    def draw(self) -> None:
        c = self.canv
        y = self.height
        centre = self.col_width / 2
        for parts, line, size in self._laid:
            for part in parts:
                y -= size * self.leading
                c.setFont(line.font, size)
                c.drawCentredString(centre, y + size * 0.22, part)
            if line.rule:
                text_width = max(stringWidth(p, line.font, size) for p in parts)
                length = text_width if line.rule < 0 else text_width * line.rule
                c.setLineWidth(0.6)
                gap = size * 0.4
                c.line(centre - length / 2, y - gap + 1.5, centre + length / 2, y - gap + 1.5)
                y -= gap
            if line.signature_space:  # page index and rectangle in PDF user space
                x0, y0 = c.absolutePosition(0, y - line.space_after)
                x1, y1 = c.absolutePosition(self.col_width, y)
                boxes = c.__dict__.setdefault("signature_boxes", [])
                boxes.append((c.getPageNumber() - 1, x0, y0, x1, y1))
            y -= line.space_after


def _two_columns(left: Flowable, right: Flowable, widths: list[float], font: str) -> Table:
    table = Table([[left, right]], colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),  # else the table sets Helvetica
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def number_line(report: ReportData) -> str:
    """Box 3: "Số: 05/BC-UBND" (state) or "Số 05-BC/TU" (Party) once numbered; before the
    văn thư gives the number, room for it ("Số:      /BC-UBND")."""
    party = report.style is DocumentStyle.PARTY
    head = "Số" if party else "Số:"
    reference = report.reference
    if reference is not None:
        return f"{head} {reference}"
    gap = NBSP * 10
    if party:
        return f"Số{gap}-{report.register_code}"
    return f"Số:{gap}/{report.register_code}"


def reference_in_sentence(report: ReportData) -> str:
    """The report as another text cites it: "Báo cáo số 05/BC-UBND ngày 10/04/2026"."""
    reference = report.reference
    if reference is None:
        joiner = "-" if report.style is DocumentStyle.PARTY else "/"
        reference = f"{NBSP * 6}{joiner}{report.register_code}"
    return f"Báo cáo số {reference} ngày {report.today:%d/%m/%Y}"


def letterhead(report: ReportData, fonts: FontSet, width: float) -> Table:
    """Boxes 1–4: issuing body with number on the left, national header with date on the right."""
    lay = layout_for(report.style)
    left_w = width * lay.left_width
    right_w = width - left_w
    party = report.style is DocumentStyle.PARTY
    left: list[Line] = []
    if report.office.parent_body:
        for text in report.office.parent_body.splitlines():
            if text.strip():
                left.append(Line(text.strip().upper(), fonts.regular, lay.issuer, min_size=12))
    body = report.issuing_lines
    for i, text in enumerate(body):
        last = i == len(body) - 1
        left.append(
            Line(
                text,
                fonts.bold,
                lay.issuer,
                rule=0 if party or not last else 0.4,
                space_after=0,
            )
        )
    if party:
        left.append(Line("*", fonts.regular, lay.issuer))
    right = [Line("ĐẢNG CỘNG SẢN VIỆT NAM", fonts.bold, lay.national, rule=-1, min_size=13)]
    if not party:
        right = [
            Line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", fonts.bold, lay.national, min_size=11),
            Line("Độc lập - Tự do - Hạnh phúc", fonts.bold, lay.motto, rule=-1),
        ]
    top = _two_columns(
        LineStack(left, left_w), LineStack(right, right_w), [left_w, right_w], fonts.regular
    )
    bottom = _two_columns(
        LineStack([Line(number_line(report), fonts.regular, lay.number)], left_w),
        LineStack([Line(report.date_line, fonts.italic, lay.date, min_size=12)], right_w),
        [left_w, right_w],
        fonts.regular,
    )
    outer = Table([[top], [bottom]], colWidths=[width])
    outer.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), fonts.regular),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 1), (-1, 1), 6),
            ]
        )
    )
    return outer


def title_block(report: ReportData, fonts: FontSet, width: float) -> LineStack:
    """Box 5a: "BÁO CÁO", the summary in bold, a short rule (Party: five dashes)."""
    lay = layout_for(report.style)
    party = report.style is DocumentStyle.PARTY
    lines = [
        Line(report.kind_title.upper(), fonts.bold, lay.kind, space_after=2),
        Line(report.summary, fonts.bold, lay.summary, rule=0 if party else 0.4),
    ]
    if party:  # HD 36: five hyphens under the summary
        lines.append(Line("-----", fonts.regular, lay.summary))
    stack = LineStack(lines, width * 0.92, leading=1.2)
    stack.hAlign = "CENTER"  # centred on the text width, not flush left
    return stack


def signature_block(report: ReportData, fonts: FontSet, width: float) -> Table:
    """Boxes 7 and 9b: Nơi nhận on the left, the signer's authority, title and name on the right."""
    lay = layout_for(report.style)
    office = report.office
    authority = [t.strip().upper() for t in (office.signer_authority or "").splitlines()]
    title = (office.signer_title or "").strip().upper()
    sign = [Line(t, fonts.bold, lay.signature) for t in [*authority, title] if t]
    if sign:
        sign[-1] = Line(
            sign[-1].text, fonts.bold, lay.signature, space_after=30 * mm, signature_space=True
        )
    sign.append(Line(office.signer_name or "", fonts.bold, lay.signature))
    right_w = width * 0.5
    left_w = width - right_w
    return _two_columns(
        RecipientList(recipient_lines(report), fonts, lay, left_w),
        LineStack(sign, right_w),
        [left_w, right_w],
        fonts.regular,
    )


def recipient_lines(report: ReportData) -> list[str]:
    """The "Nơi nhận" entries: "- …;" each, "Như trên" for the addressee, "Lưu" last."""
    entries = [r.strip().rstrip(";.").strip() for r in report.office.recipients if r.strip()]
    if report.addressee and entries:
        entries[0] = "Như trên"
    keep = [e for e in entries if not e.casefold().startswith("lưu")]
    archive = [e for e in entries if e.casefold().startswith("lưu")] or ["Lưu: VT"]
    out = [f"- {e};" for e in keep]
    out += [f"- {e};" for e in archive[:-1]] + [f"- {archive[-1]}."]
    return out


class RecipientList(Flowable):
    """Box 9b, flush left: "Nơi nhận:" bold italic, then the entries with hanging indent."""

    def __init__(self, lines: list[str], fonts: FontSet, lay: Layout, width: float) -> None:
        super().__init__()
        self.fonts = fonts
        self.lay = lay
        self.col_width = width
        self.indent = stringWidth("- ", fonts.regular, lay.recipients)
        self._rows: list[tuple[str, bool]] = []
        for line in lines:
            first, *rest = simpleSplit(line, fonts.regular, lay.recipients, width)
            self._rows.append((first, False))
            if rest:
                tail = " ".join(rest)
                for part in simpleSplit(tail, fonts.regular, lay.recipients, width - self.indent):
                    self._rows.append((part, True))

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.height = self.lay.recipients_head * 1.3 + len(self._rows) * self.lay.recipients * 1.15
        return self.col_width, self.height

    def draw(self) -> None:
        c = self.canv
        y = self.height - self.lay.recipients_head
        c.setFont(self.fonts.bold_italic, self.lay.recipients_head)
        c.drawString(0, y, "Nơi nhận:")
        y -= self.lay.recipients_head * 0.3
        c.setFont(self.fonts.regular, self.lay.recipients)
        for text, hanging in self._rows:
            y -= self.lay.recipients * 1.15
            c.drawString(self.indent if hanging else 0, y, text)
