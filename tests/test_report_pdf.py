"""The report PDF parsed back: text with diacritics, embedded fonts, pages, metadata, styles."""

import io
import re
import shutil
import subprocess
import unicodedata
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.exporters.fonts import FontFiles, bundled_fonts, load_fonts
from app.models.errors import UserError
from app.models.plan import DocumentStyle
from app.models.samples import fill_demo, load_sample
from app.models.store import Store
from app.reports.content import build_report
from app.reports.pdf import render_pdf

TODAY = date(2026, 4, 10)
needs_poppler = pytest.mark.skipif(
    not shutil.which("pdftotext") or not shutil.which("pdffonts"),
    reason="poppler-utils (pdftotext, pdffonts) not installed",
)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory):
    path: Path = tmp_path_factory.mktemp("pdf") / "bim-son.sqlite"
    plan = load_sample("bim-son")
    with Store.create(path, plan.office, plan) as store:
        fill_demo(store, TODAY)
        return build_report(
            store, "2026-Q1", TODAY, generated_at=datetime(2026, 4, 10, 9, 30).astimezone()
        )


@pytest.fixture(scope="module")
def party_pdf(tmp_path_factory, report) -> Path:
    out = tmp_path_factory.mktemp("out") / "party.pdf"
    out.write_bytes(render_pdf(report))
    return out


@pytest.fixture(scope="module")
def state_pdf(tmp_path_factory, report) -> Path:
    out = tmp_path_factory.mktemp("out") / "state.pdf"
    out.write_bytes(render_pdf(report.with_style(DocumentStyle.STATE)))
    return out


def pdftotext(path: Path, first: int | None = None, last: int | None = None) -> str:
    args = ["pdftotext", "-raw", "-enc", "UTF-8"]
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    out = subprocess.run([*args, str(path), "-"], capture_output=True, check=True).stdout
    return unicodedata.normalize("NFC", out.decode("utf-8"))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@needs_poppler
def test_text_has_title_office_and_every_indicator_with_diacritics(party_pdf, report):
    text = pdftotext(party_pdf)
    flat = squash(text)
    assert "BÁO CÁO" in text
    assert squash(report.summary) in flat
    assert "THỊ ỦY BỈM SƠN" in text and "ĐẢNG BỘ TỈNH THANH HÓA" in text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "Bỉm Sơn, ngày 10 tháng 4 năm 2026" in text
    assert re.search(r"Số\s+-BC/TU", text)
    assert "T/M BAN THƯỜNG VỤ" in text and "PHÓ BÍ THƯ" in text and "Nguyễn Thanh Tùng" in text
    assert "Nơi nhận:" in text and "- Lưu: VP." in text
    assert "Kính gửi: Ban Chỉ đạo Tỉnh về phát triển KHCN, ĐMST và CĐS." in text
    for heading in ("I. KẾT QUẢ THỰC HIỆN", "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN",
                    "III. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI", "IV. ĐỀ XUẤT, KIẾN NGHỊ",
                    "PHỤ LỤC I", "PHỤ LỤC II"):  # fmt: skip
        assert heading in text
    for row in report.indicators:
        assert squash(row.name) in flat, row.name
    for row in report.tasks:
        assert squash(row.name) in flat, row.name


@needs_poppler
def test_state_style_letterhead_and_signature(state_pdf):
    text = pdftotext(state_pdf, 1, 1)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert re.search(r"Số:\s+/BC-TU", text)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in text


@needs_poppler
def test_state_sample_with_two_line_issuing_body(tmp_path):
    plan = load_sample("thong-nhat")
    with Store.create(tmp_path / "tn.sqlite", plan.office, plan) as store:
        fill_demo(store, date(2026, 7, 10))
        report = build_report(store, "2026-H1", date(2026, 2, 5))
    out = tmp_path / "tn.pdf"
    out.write_bytes(render_pdf(report))
    text = pdftotext(out)
    assert "ỦY BAN NHÂN DÂN\nXÃ THỐNG NHẤT" in text
    assert "Thống Nhất, ngày 05 tháng 02 năm 2026" in text
    assert "TM. ỦY BAN NHÂN DÂN" in text and "KT. CHỦ TỊCH" in text
    assert "Kính gửi: Sở Khoa học & Công nghệ." in text
    assert "- Lưu: VT, VHXH (Hương)." in text
    for row in report.indicators:
        assert squash(row.name) in squash(text)


@needs_poppler
def test_fonts_embedded_and_no_base14(party_pdf):
    out = subprocess.run(["pdffonts", str(party_pdf)], capture_output=True, text=True, check=True)
    rows = out.stdout.splitlines()[2:]
    assert len(rows) == 4  # regular, bold, italic, bold italic
    for row in rows:
        assert re.search(r"\byes\s+yes\s+yes\b", row), row  # embedded, subset, unicode map


def test_pages_sizes_metadata_and_page_numbers(party_pdf, report):
    reader = PdfReader(party_pdf)
    assert party_pdf.read_bytes()[:8] >= b"%PDF-1.4"
    sizes = [
        (round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages
    ]
    assert sizes[0] == (595, 842)  # A4 portrait body
    assert sizes[-1] == (842, 595)  # landscape appendix
    meta = reader.metadata
    assert meta.title == report.document_title
    assert meta.author == "Thị ủy Bỉm Sơn"
    assert "Quý I/2026" in meta.subject
    assert meta.creation_date.date() == date(2026, 4, 10)
    first = reader.pages[0].extract_text()
    second = reader.pages[1].extract_text()
    assert second.lstrip().startswith("2")  # number centred at the top from page 2
    assert not first.lstrip().startswith("1")


@needs_poppler
def test_appendix_tables_repeat_their_header_on_every_page(party_pdf):
    pages = len(PdfReader(party_pdf).pages)
    texts = [pdftotext(party_pdf, p) for p in range(1, pages + 1)]
    start_i = next(i for i, t in enumerate(texts) if "PHỤ LỤC I\n" in t)
    start_ii = next(i for i, t in enumerate(texts) if "PHỤ LỤC II" in t)
    assert start_ii - start_i >= 2  # the indicator table spans pages
    for t in texts[start_i:start_ii]:
        assert "Cơquantheodõi" in squash(t) and "Đánhgiá" in squash(t)
    for t in texts[start_ii:]:
        assert "Cơquanphốihợp" in squash(t) and "Kếtquả/minhchứng" in squash(t)


def test_footer_note_on_every_page(report):
    from dataclasses import replace

    note = "Khóa ký: SHA256:ab12 cd34 ef56"
    reader = PdfReader(io.BytesIO(render_pdf(replace(report, footer_note=note))))
    assert all(note in page.extract_text() for page in reader.pages)


@needs_poppler
def test_every_character_is_in_the_font(party_pdf, state_pdf, report):
    fonts = load_fonts()
    strings = [report.summary, report.date_line, *report.issuing_lines, report.data_window_line]
    for row in report.indicators:
        strings += [row.name, row.unit, row.baseline, row.target, row.value_text,
                    row.assessment_text, row.path_text, *row.passed, row.lead_agency,
                    row.note]  # fmt: skip
    for task in report.tasks:
        strings += [task.name, task.lead_agency, task.partners, task.output, task.deadline,
                    task.status.label, task.result]  # fmt: skip
    assert fonts.missing("".join(strings)) == set()
    for pdf in (party_pdf, state_pdf):
        assert fonts.missing(pdftotext(pdf)) == set()


def test_missing_or_corrupt_font_is_a_user_error(tmp_path, report):
    good = bundled_fonts()
    missing = FontFiles("Thiếu", tmp_path / "none.ttf", good.bold, good.italic, good.bold_italic)
    with pytest.raises(UserError, match="Không tìm thấy tệp phông chữ"):
        render_pdf(report, missing)
    bad = tmp_path / "bad.ttf"
    bad.write_bytes(b"\x00\x01\x00\x00 not a font at all")
    corrupt = FontFiles("Hỏng", bad, good.bold, good.italic, good.bold_italic)
    with pytest.raises(UserError, match="bị hỏng"):
        render_pdf(report, corrupt)


def test_a_cell_taller_than_a_page_is_split_not_lost(report):
    from dataclasses import replace

    first = report.task_groups[0]
    huge = replace(first.rows[0], result="Kết quả rất dài của nhiệm vụ. " * 400)
    groups = [replace(first, rows=[huge, *first.rows[1:]]), *report.task_groups[1:]]
    reader = PdfReader(io.BytesIO(render_pdf(replace(report, task_groups=groups))))
    assert len(reader.pages) > 20
