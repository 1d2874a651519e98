"""Workbooks that print: print areas over all content, never below 8 pt, rows tall enough
for wrapped text; then printed through LibreOffice and the words measured (pdftotext)."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries

from app.models.samples import fill_demo, load_sample
from app.models.store import Store
from app.receiving.consolidation import consolidate
from app.receiving.consolidation_xlsx import MATRIX_SHEET, PACKAGES_TITLE, write_consolidation_xlsx
from app.receiving.store import Receiving
from app.reports.content import build_report
from app.reports.xlsx import render_xlsx
from app.reports.xlsx_print import MIN_PT

from .test_receiving_documents import province  # noqa: F401 (a fixture)


@pytest.fixture(scope="module")
def report_xlsx(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("xlsx")
    plan = load_sample("bim-son")
    with Store.create(folder / "bs.sqlite", plan.office, plan) as store:
        fill_demo(store, date(2026, 4, 10))
        report = build_report(store, "2026-Q1", date(2026, 4, 10),
                              generated_at=datetime(2026, 4, 10, 9).astimezone())  # fmt: skip
    out = folder / "bao-cao.xlsx"
    out.write_bytes(render_xlsx(report))
    return out


@pytest.fixture(scope="module")
def consolidated_xlsx(province) -> Path:  # noqa: F811
    root, db = province
    with Receiving.open(db) as receiving:
        data = consolidate(receiving, "2026-H1")
    return write_consolidation_xlsx(data, root / "tong-hop-in.xlsx")


def _area(ws) -> str:  # noqa: ANN001
    """ "A1:L70" of "'Chỉ tiêu'!$A$1:$L$70" (a single range)."""
    return str(ws.print_area).split(",")[0].split("!")[-1].replace("$", "")


def _check_print_setup(path: Path) -> None:
    wb = load_workbook(path)
    for ws in wb.worksheets:
        assert ws.print_area, ws.title
        min_col, min_row, max_col, max_row = range_boundaries(_area(ws))
        assert (min_col, min_row) == (1, 1)
        assert max_col >= ws.max_column and max_row >= ws.max_row, ws.title  # all content
        setup = ws.page_setup
        if ws.sheet_properties.pageSetUpPr.fitToPage:
            assert setup.fitToWidth == 1, ws.title
        else:  # printed across pages at 8 pt or more, code and name repeated
            assert setup.scale * 11 / 100 >= MIN_PT, ws.title
            assert ws.print_title_cols == "$A:$B", ws.title
        for row in ws.iter_rows(min_row=6):
            for cell in row:
                text = cell.value
                if not isinstance(text, str) or not cell.alignment.wrap_text:
                    continue
                width = ws.column_dimensions[get_column_letter(cell.column)].width or 8.43
                if cell.coordinate in ws.merged_cells:
                    continue
                lines = -(-len(text) // max(int(width * 1.2) - 1, 1))
                if lines > 1:  # a wrapped cell: its row is set tall enough
                    height = ws.row_dimensions[cell.row].height
                    assert height is not None and height >= 14 * lines, (ws.title, cell.coordinate)


def test_report_workbook_print_areas_scale_and_row_heights(report_xlsx):
    _check_print_setup(report_xlsx)


def test_consolidated_workbook_print_areas_scale_and_row_heights(consolidated_xlsx):
    _check_print_setup(consolidated_xlsx)
    ws = load_workbook(consolidated_xlsx)[MATRIX_SHEET]
    last = max(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value is not None)
    titles = [
        r
        for r in range(1, ws.max_row + 1)
        if str(ws.cell(r, 1).value or "").startswith(PACKAGES_TITLE)
    ]
    assert titles and range_boundaries(_area(ws))[3] >= last


@pytest.mark.skipif(not shutil.which("soffice") or not shutil.which("pdftotext"),
                    reason="LibreOffice or poppler missing")  # fmt: skip
def test_libreoffice_prints_the_consolidated_workbook_at_8_pt_or_more(consolidated_xlsx, tmp_path):
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
         "pdf", "--outdir", str(tmp_path), str(consolidated_xlsx)],
        capture_output=True, check=True, timeout=240,
    )  # fmt: skip
    pdf = tmp_path / f"{consolidated_xlsx.stem}.pdf"
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    heights = [float(b) - float(a) for a, b in
               re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', html)]  # fmt: skip
    assert heights
    # Times/Liberation Serif: a word box is about 1.1 × the font size; 8 pt → 8.8
    assert min(heights) / 1.1 >= MIN_PT - 0.3, min(heights)
