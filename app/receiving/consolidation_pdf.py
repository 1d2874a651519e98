"""A short summary of the consolidation, as the receiving office would sign and send it.

Same document style as the office reports (letterhead, title, signature and
Nơi nhận from report_pdf_header, the embedded serif of fonts.py); the body
says who reported on time, late, not at all or was refused, and per
indicator how many offices met their target with the spread of values. The
full figures are in the workbook; the PDF is the cover letter.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from ..exporters.fonts import FontSet, load_fonts
from ..models.atomic_file import write_bytes_atomic
from ..models.errors import UserError
from ..models.outgoing_register import (
    DEFAULT_SEAL_MM,
    SEAL_IMAGE,
    SIGNATURE_IMAGE,
    IssuedNumber,
)
from ..models.plan import Indicator, Office
from ..models.store import Store
from ..models.text import fold
from ..models.values import format_value
from ..packages.pdf_signing import Box, SignatureRole, Stamp
from ..reports.content import Letterhead, register_code
from ..reports.letterhead import Line, LineStack, layout_for, letterhead, signature_block
from .consolidation import Consolidation
from .matrix import CellState


@dataclass(frozen=True)
class _Heading(Letterhead):
    """What the shared letterhead and signature blocks read from a report."""

    office: Office
    today: date
    number: int | None = None  # from the receiving file's outgoing register

    @property
    def addressee(self) -> str | None:
        first = (self.office.recipients or [""])[0].strip().rstrip(";.")
        return None if not first or fold(first).startswith(("luu", "nhu tren")) else first


def _shown(c: Consolidation, position: int, value: float | None) -> str:
    if value is None:
        return ""
    ref = c.indicators[position].ref
    return format_value(Indicator("", "", kind=ref.kind), value)


def _story(
    c: Consolidation, fonts: FontSet, width: float, today: date, number: int | None = None
) -> list:
    head = _Heading(c.receiving_office, today, number)
    lay = layout_for(head.style)
    body = ParagraphStyle("body", fontName=fonts.regular, fontSize=lay.body,
                          leading=lay.body * 1.25, alignment=TA_JUSTIFY,
                          firstLineIndent=10 * mm, spaceAfter=6)  # fmt: skip
    bold = ParagraphStyle("heading", parent=body, fontName=fonts.bold)
    cell = ParagraphStyle("cell", fontName=fonts.regular, fontSize=lay.table,
                          leading=lay.table * 1.2)  # fmt: skip
    centre = ParagraphStyle("centre", parent=cell, alignment=TA_CENTER)
    th = ParagraphStyle("th", parent=centre, fontName=fonts.bold)
    m = c.matrix
    counts = m.counts(c.period.id)
    summary = (f"Tổng hợp tình hình báo cáo kết quả thực hiện Nghị quyết số 57-NQ/TW "
               f"của các đơn vị {c.period.title_label}")  # fmt: skip
    title = LineStack(
        [
            Line("BÁO CÁO", fonts.bold, lay.kind, space_after=2),
            Line(summary, fonts.bold, lay.summary, rule=0.4),
        ],
        width * 0.92,
    )
    title.hAlign = "CENTER"
    story: list = [
        letterhead(head, fonts, width),  # type: ignore[arg-type]
        Spacer(1, 6 * mm),
        title,
        Spacer(1, 4 * mm),
    ]
    if head.addressee:
        story += [Paragraph(escape(f"Kính gửi: {head.addressee}."),
                            ParagraphStyle("to", parent=body, alignment=TA_CENTER,
                                           firstLineIndent=0)), Spacer(1, 2 * mm)]  # fmt: skip
    story += [
        Paragraph("1. Tình hình nộp báo cáo", bold),
        Paragraph(
            escape(
                f"Trong {len(m.offices)} đơn vị báo cáo: {counts[CellState.ON_TIME]} đơn vị "
                f"nộp đúng hạn, {counts[CellState.LATE]} đơn vị nộp trễ hạn, "
                f"{counts[CellState.MISSING]} đơn vị chưa nộp, {counts[CellState.REJECTED]} "
                "đơn vị có gói báo cáo bị từ chối (không hợp lệ); số liệu của gói bị từ chối "
                "không được đưa vào tổng hợp."
            ),  # fmt: skip
            body,
        ),
    ]
    flagged = [(o, m.cell(o.id, c.period.id)) for o in m.offices]
    flagged = [(o, cl) for o, cl in flagged
               if cl.state not in (CellState.ON_TIME, CellState.NOT_DUE)]  # fmt: skip
    if flagged:
        rows = [[Paragraph(t, th) for t in ("STT", "Đơn vị", "Tình trạng", "Chi tiết")]]
        for n, (office, cl) in enumerate(flagged, start=1):
            rows.append([Paragraph(str(n), centre), Paragraph(escape(office.name), cell),
                         Paragraph(cl.state.label, centre),
                         Paragraph(escape(cl.detail).replace("\n", "<br/>"), cell)])  # fmt: skip
        story += [
            _grid(rows, [12 * mm, 45 * mm, 25 * mm, width - 82 * mm], fonts.regular),
            Spacer(1, 4 * mm),
        ]
    story.append(Paragraph("2. Kết quả thực hiện các chỉ tiêu", bold))
    story.append(Paragraph(escape(f"Danh mục chỉ tiêu theo {c.reference_source}; mỗi đơn vị được "
                                  "đánh giá theo mục tiêu trong kế hoạch của đơn vị."), body))  # fmt: skip
    labels = ("STT", "Chỉ tiêu", "Số ĐV có số liệu", "Số ĐV đạt, vượt", "Nhỏ nhất", "Trung vị",
              "Lớn nhất")  # fmt: skip
    rows = [[Paragraph(t, th) for t in labels]]
    for pos, s in enumerate(c.indicators):
        name = s.ref.name + (f" ({s.ref.unit})" if s.ref.unit else "")
        rows.append([Paragraph(escape(s.ref.code), centre), Paragraph(escape(name), cell),
                     Paragraph(str(s.reported), centre), Paragraph(str(s.met), centre),
                     *(Paragraph(_shown(c, pos, v), centre)
                       for v in (s.minimum, s.median, s.maximum))])  # fmt: skip
    story.append(
        _grid(rows, [12 * mm, width - 107 * mm, 19 * mm, 19 * mm] + [19 * mm] * 3, fonts.regular)
    )
    story.append(Spacer(1, 4 * mm))
    story.append(Paragraph("3. Nhiệm vụ quá hạn", bold))
    per_office: dict[str, int] = {}
    for t in c.overdue:
        per_office[t.office.name] = per_office.get(t.office.name, 0) + 1
    text = f"Các đơn vị báo cáo {len(c.overdue)} nhiệm vụ quá hạn"
    if per_office:
        worst = sorted(per_office.items(), key=lambda kv: (-kv[1], fold(kv[0])))[:5]
        text += "; nhiều nhất: " + ", ".join(f"{name} ({n})" for name, n in worst)
    story.append(Paragraph(escape(text + ". Chi tiết tại bảng tổng hợp kèm theo."), body))
    if c.unmatched:
        story.append(Paragraph(escape(
            f"Có {len(c.unmatched)} chỉ tiêu của các đơn vị không khớp danh mục tổng hợp; "
            "xem trang “Chỉ tiêu không khớp” của bảng tổng hợp."), body))  # fmt: skip
    closing = Paragraph(escape(f"Trên đây là báo cáo tổng hợp tình hình báo cáo của các đơn vị "
                               f"{c.period.title_label}./."), body)  # fmt: skip
    story.append(
        KeepTogether([closing, Spacer(1, 4 * mm), signature_block(head, fonts, width)])  # type: ignore[arg-type]
    )
    return story


def _grid(rows: list[list], widths: list[float], font: str) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font),  # else the table sets Helvetica
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))  # fmt: skip
    return table


def render_consolidation_pdf(c: Consolidation, today: date | None = None) -> bytes:
    """A4 portrait, margins of Nghị định 30/2020, pages numbered, fonts embedded."""
    return render_with_signature_box(c, today)[0]


def render_with_signature_box(
    c: Consolidation, today: date | None = None, document_number: int | None = None
) -> tuple[bytes, Box | None]:
    """The PDF and the signer's box (between title and name), as for a report."""
    fonts = load_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=30 * mm, rightMargin=15 * mm, topMargin=20 * mm,
        bottomMargin=20 * mm, title=f"Tổng hợp báo cáo {c.period.label}",
        author=c.receiving_office.name, invariant=1, initialFontName=fonts.regular,
    )  # fmt: skip

    def number(canvas, doc) -> None:  # noqa: ANN001 (reportlab callback)
        if doc.page > 1:  # NĐ 30: page numbers from page 2, centred at the top
            canvas.setFont(fonts.regular, 13)
            canvas.drawCentredString(A4[0] / 2, A4[1] - 12 * mm, str(doc.page))

    story = _story(c, fonts, doc.width, today or date.today(), document_number)
    doc.build(story, onFirstPage=number, onLaterPages=number)
    boxes = getattr(doc.canv, "signature_boxes", None)
    return buffer.getvalue(), (boxes[-1] if boxes else None)


def write_consolidation_pdf(c: Consolidation, out: Path, today: date | None = None) -> Path:
    write_bytes_atomic(Path(out), render_consolidation_pdf(c, today), mode=0o644)
    return Path(out)


def issue_consolidation_pdf(
    store: Store, c: Consolidation, out: Path, issuing: Any | None
) -> tuple[IssuedNumber | None, int]:
    """Write the consolidated PDF; with `issuing` (operations.receive.Issuing) numbered from
    the register, dated, signed by the signer then the organisation, and entered in the
    register. Refused without the signer's name and title. Returns (number, signatures)."""
    if issuing is None:
        write_consolidation_pdf(c, out)
        return None, 0
    office = c.receiving_office
    missing = [label for label, v in (("họ tên người ký", office.signer_name),
                                      ("chức vụ người ký", office.signer_title)) if not v]  # fmt: skip
    if missing:
        raise UserError(
            f"Chưa có {' và '.join(missing)} của đơn vị tiếp nhận: ghi bằng lệnh receive "
            "settings (--signer-name, --signer-title) hoặc tại Cài đặt › Đơn vị và người ký.",
            "unfinished",
        )
    code = register_code(office)
    day = issuing.issue_date
    number = issuing.number or store.register.next_number(day.year, code)
    store.register.check_free(number, code, day)
    issued = IssuedNumber(number, code, day, "consolidation", c.period.id)
    pdf, box = render_with_signature_box(c, day, number)
    signatures = 0
    for signer, role, kind in ((issuing.signer, SignatureRole.SIGNER, SIGNATURE_IMAGE),
                               (issuing.org_signer, SignatureRole.ORGANISATION, SEAL_IMAGE)):  # fmt: skip
        if signer is None:
            continue
        image = store.register.image(kind)
        size = image.size_mm if image and image.size_mm else DEFAULT_SEAL_MM
        stamp = Stamp(role, image.png if image else None, issued.reference, size)
        pdf = signer.sign_pdf(pdf, box, office.name, stamp)
        signatures += 1
    write_bytes_atomic(Path(out), pdf, mode=0o644)
    store.register.record(issued, f"Tổng hợp {c.period.label}")
    return issued, signatures
