"""The receiving window on the nga-nam sample receiving file (`receive demo`): what the town's
culture office sees on opening it — two communes, one on time and one late, their values side
by side, their keys, and a commune's own report PDF opened from the received package."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.operations.receive import create_sample_receiving_file

TODAY = date(2026, 3, 1)


@pytest.fixture(scope="module")
def sample_file(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("nga-nam") / "nga-nam-tiep-nhan.sqlite"
    create_sample_receiving_file(db, "nga-nam", TODAY)
    return db


@pytest.fixture
def page(qtbot, sample_file):
    from app.ui.receiving_page import ReceivingPage

    widget = ReceivingPage(sample_file)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    yield widget
    widget.close()


def test_two_communes_on_time_and_late(page):
    assert page.period_box.currentText() == "Năm 2025"
    assert page.counts_label.text().startswith("Năm 2025: đúng hạn 1, trễ hạn 1, chưa nộp 0")
    model = page.model
    cells = {}
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        brush = model.data(index, Qt.ItemDataRole.BackgroundRole)
        cells[model.rows[row].name] = (model.data(index), brush.color().name())
    assert cells == {
        "Xã Long Bình": ("Đúng hạn · 25/25 CT, 49/49 NV", "#c6efce"),
        "Xã Tân Long": ("Trễ hạn · 25/25 CT, 49/49 NV", "#ffeb9c"),
    }
    page.matrix_view.setCurrentIndex(model.index(1, 0))
    assert page.detail.toPlainText().startswith(
        "Trễ hạn: lần gửi 1 lập ngày 23/12/2025 (hạn nộp 19/12/2025)."
    )


def test_values_side_by_side_and_keys(page):
    page.tabs.setCurrentWidget(page.indicator_tab)  # the consolidation is made when shown
    summary = next(s for s in page.consolidation.indicators if s.ref.code == "2.1")
    page.indicator_box.setCurrentIndex(page.consolidation.indicators.index(summary))
    table = page.indicator_table
    shown = [[table.item(r, c).text() for c in range(2)] for r in range(table.rowCount())]
    by_name = {v.office.name: v.value for v in summary.values.values()}
    assert shown == [[name, f"{by_name[name]:.1f}".replace(".", ",") + "%"]
                     for name in ("Xã Long Bình", "Xã Tân Long")]  # fmt: skip
    assert page.indicator_summary.text().startswith("2/2 đơn vị có số liệu;")
    keys = page.keys_tab.table
    assert sorted(keys.item(r, 1).text() for r in range(keys.rowCount())) == [
        "Xã Long Bình", "Xã Tân Long"
    ]  # fmt: skip


def test_a_communes_report_opens_from_its_package(page, monkeypatch, gui_home):
    from app.ui import receiving_page

    opened = []
    monkeypatch.setattr(receiving_page.QDesktopServices, "openUrl", lambda url: opened.append(url))
    page._open_cell(page.model.index(0, 0))
    (url,) = opened
    pdf = Path(url.toLocalFile())
    assert pdf.is_relative_to(gui_home) and pdf.name == "BC_xa-long-binh_2025-Y_1.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):  # poppler-utils: the commune's own letterhead and signer
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout  # fmt: skip
        assert "XÃ LONG BÌNH" in text and "Nguyễn Văn A" in text
