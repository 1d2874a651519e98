"""The report workbook read back with openpyxl: values equal the data file's, numbers are numbers."""

import io
import os
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.models.assessment import Assessment
from app.models.plan import IndicatorKind
from app.models.samples import fill_demo, load_sample
from app.models.store import Store
from app.reports.content import build_report
from app.reports.xlsx import HEADER_ROW, render_xlsx

TODAY = date(2026, 4, 10)
GENERATED = datetime(2026, 4, 10, 9, 30, 5).astimezone()


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory):
    path: Path = tmp_path_factory.mktemp("xlsx") / "bim-son.sqlite"
    plan = load_sample("bim-son")
    with Store.create(path, plan.office, plan) as store:
        fill_demo(store, TODAY)
        plan = store.plan.load()
        store.entries.set_indicator_value("2025-Y", plan.indicators()[0].id, 12.5)  # Kỳ trước
        task = plan.tasks()[0]
        store.entries.set_task_progress(
            "2026-Q1", task.id, status="Đang thực hiện", percent=65, result="Đã trình dự thảo",
            evidence_number="Số 12/TTr-VP", evidence_date="05/02/2026",
        )  # fmt: skip
        report = build_report(store, "2026-Q1", TODAY, generated_at=GENERATED)
        current = store.entries.indicator_values("2026-Q1")
        previous = store.entries.indicator_values("2025-Y")
        progress = store.entries.task_progress("2026-Q1")
    return plan, report, current, previous, progress


@pytest.fixture(scope="module")
def xlsx_bytes(data) -> bytes:
    return render_xlsx(data[1])


@pytest.fixture(scope="module")
def workbook(xlsx_bytes):
    return load_workbook(io.BytesIO(xlsx_bytes))


def item_rows(ws, columns: int):
    """Rows under the header that are items, not merged group rows."""
    merged = {r.min_row for r in ws.merged_cells.ranges if r.min_row > HEADER_ROW}
    for row in ws.iter_rows(min_row=HEADER_ROW + 1, max_col=columns):
        if row[0].row not in merged:
            yield row


def test_sheets_and_info(workbook, data):
    _, report, *_ = data
    assert workbook.sheetnames == ["Thông tin", "Chỉ tiêu", "Nhiệm vụ"]
    info = {
        r[0].value: r[1].value
        for r in workbook["Thông tin"].iter_rows(min_row=3, max_col=2)
        if r[0].value
    }
    assert info["Đơn vị"] == "Thị ủy Bỉm Sơn"
    assert info["Kế hoạch"].startswith("Kế hoạch số 261-KH/TU: Thực hiện Nghị quyết số 57-NQ/TW")
    assert info["Kỳ báo cáo"] == "Quý I/2026 (2026-Q1)"
    assert info["Chốt số liệu từ ngày"] == datetime(2025, 12, 15)
    assert info["Chốt số liệu đến ngày"] == datetime(2026, 3, 14)
    assert info["Ngày báo cáo"] == datetime(2026, 4, 10)
    assert info["Thời điểm tạo"] == datetime(2026, 4, 10, 9, 30, 5)
    assert info["Mã gói báo cáo"] is None
    assert info["Số chỉ tiêu"] == 52 and info["Số nhiệm vụ"] == 21 + 83
    assert info["Nhiệm vụ quá hạn"] == len(report.overdue)


def test_package_id_is_written_when_given(data):
    from dataclasses import replace

    wb = load_workbook(io.BytesIO(render_xlsx(replace(data[1], package_id="BS-2026-Q1-01"))))
    values = [r[1].value for r in wb["Thông tin"].iter_rows(min_row=3, max_col=2)]
    assert "BS-2026-Q1-01" in values


def test_indicator_values_equal_the_data_file(workbook, data):
    plan, report, current, previous, _ = data
    ws = workbook["Chỉ tiêu"]
    assert ws["A1"].value == "PHỤ LỤC I"
    assert ws["B5"].value == "Chỉ tiêu" and ws["F5"].value == "Kết quả Quý I/2026"
    rows = list(item_rows(ws, 10))
    assert len(rows) == 52
    for ind, row, printed in zip(plan.indicators(), rows, report.indicators, strict=True):
        assert (row[0].value, row[1].value) == (ind.code, ind.name)
        assert row[2].value == (ind.unit or None)
        stored = current[ind.id].value if ind.id in current else None
        cell = row[5]
        if isinstance(stored, bool):
            assert cell.value == ("Có" if stored else "Không")
        elif isinstance(stored, float):
            assert isinstance(cell.value, int | float)
            if ind.kind is IndicatorKind.PERCENT:  # Excel's fraction with a percent format
                assert cell.value == pytest.approx(stored / 100)
                assert cell.number_format in ("0%", "0.0#%")
            else:
                assert cell.value == stored
        else:
            assert cell.value == stored
        before = previous[ind.id].value if ind.id in previous else None
        if isinstance(before, bool):  # the yearly report 2025 holds yes/no values too
            assert row[6].value == ("Có" if before else "Không")
        elif isinstance(before, float) and ind.kind is IndicatorKind.PERCENT:
            assert row[6].value == pytest.approx(before / 100)
        else:
            assert row[6].value == before
        assert row[7].value == printed.assessment_text
        assert row[8].value == (ind.lead_agency or None)
    assert rows[0][6].value == 0.125 and rows[0][6].number_format == "0.0#%"
    # The target as a number beside its comparator: the gap is a formula away.
    targets = list(item_rows(ws, 12))
    first = report.indicators[0]
    assert targets[0][10].value == first.target_comparator == "đạt"  # "100%": reach it
    assert targets[0][11].value == pytest.approx(first.target_value / 100)
    assert ws["K5"].value == "Mục tiêu: so sánh" and ws["L5"].value == "Mục tiêu: giá trị"


def test_task_values_equal_the_data_file(workbook, data):
    plan, report, _, _, progress = data
    ws = workbook["Nhiệm vụ"]
    rows = list(item_rows(ws, 10))
    assert len(rows) == 21 + 83
    for task, row, printed in zip(plan.tasks(), rows, report.tasks, strict=True):
        assert (row[0].value, row[1].value) == (task.code, task.name)
        assert row[2].value == (task.lead_agency or None)
        assert row[5].value == (task.deadline.text if task.deadline else None)
        assert row[6].value == printed.status.label
        entry = progress.get(task.id)
        percent = entry.percent if entry else None
        assert row[7].value == (None if percent is None else pytest.approx(percent / 100))
        assert row[9].value == ("Quá hạn" if printed.overdue else None)
    first = rows[0]
    assert first[6].value == "Đang thực hiện"
    assert first[7].value == 0.65 and first[7].number_format == "0%"
    assert first[8].value == "Đã trình dự thảo\nMinh chứng: Số 12/TTr-VP ngày 05/02/2026"


def test_layout_and_print_setup(workbook):
    for name in ("Chỉ tiêu", "Nhiệm vụ"):
        ws = workbook[name]
        assert ws.freeze_panes == f"C{HEADER_ROW + 1}"
        assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == 9  # A4
        # wider than a page at 8 pt: split across pages with code and name columns repeated
        assert not ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.scale == 73
        assert ws.print_title_cols == "$A:$B"
        assert "&P" in ws.oddFooter.center.text
        assert ws["B5"].font.b and ws["B5"].alignment.wrap_text
        assert ws["B5"].border.left.style == "thin"
        assert any(str(r.min_row) == "1" for r in ws.merged_cells.ranges)
        formulas = {rule.formula[0] for cf in ws.conditional_formatting for rule in cf.rules}
        assert formulas
    labels = {r.formula[0] for cf in workbook["Chỉ tiêu"].conditional_formatting for r in cf.rules}
    assert {f'"{a.label}"' for a in Assessment} <= labels


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) not installed")
def test_libreoffice_opens_the_workbook(tmp_path, xlsx_bytes):
    src = tmp_path / "bao-cao.xlsx"
    src.write_bytes(xlsx_bytes)
    profile = (tmp_path / "lo-profile").as_uri()
    proc = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(src)],
        capture_output=True, text=True, timeout=120, env={**os.environ, "HOME": str(tmp_path)},
    )  # fmt: skip
    out = tmp_path / "bao-cao.pdf"
    assert proc.returncode == 0, proc.stderr
    assert out.is_file() and out.stat().st_size > 10_000
    assert out.read_bytes().startswith(b"%PDF")
