"""The "Nhận & tổng hợp" page: ingest with progress, matrix colours, filter, PDF, export."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from app.receiving.store import Receiving

from ..test_package_fixtures import change_first_value
from ..test_receiving_fixtures import LATE, ON_TIME, PERIOD, export, make_office, office_name


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> tuple[Path, Path]:
    """Four offices' packages: two on time, one late, one tampered (and one never sends)."""
    root = tmp_path_factory.mktemp("page")
    folder, keys = root / "inbox", root / "keys"
    keys.mkdir()
    for i in range(5):
        store, key = make_office(keys, i)
        with store:
            if i == 4:
                continue
            path = export(store, key, folder / f"d{i}", LATE if i == 2 else ON_TIME)
        if i == 3:
            change_first_value(path)
    return folder, keys


@pytest.fixture
def page(qtbot, tmp_path, inbox):
    from app.ui.receiving_page import ReceivingPage

    _folder, keys = inbox
    db = tmp_path / "tinh.sqlite"
    with Receiving.create(db, "Sở Khoa học và Công nghệ") as receiving:
        for i in range(5):
            office = receiving.add_office(office_name(i), code=f"{i:02d}")
            receiving.trust_files([keys / f"office-{i:02d}.pub.pem"], office.id)
    widget = ReceivingPage(db)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    yield widget
    widget.close()


def _colours(page) -> dict[str, tuple[str, str, str]]:
    model = page.model
    out = {}
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        brush = model.data(index, Qt.ItemDataRole.BackgroundRole)
        out[model.rows[row].name] = (
            model.data(index),
            brush.color().name(),
            model.data(index, Qt.ItemDataRole.ToolTipRole),
        )
    return out


def _ingest(qtbot, page, folder) -> None:
    """Ingest through the page; the worker's progress calls are recorded on the way."""
    from app.operations import receive

    seen: list[tuple[int, int, str]] = []
    real = receive.ingest

    def recording(receiving, sources, *, progress, cancel):
        def both(done, total, label):
            seen.append((done, total, label))
            progress(done, total, label)

        return real(receiving, sources, progress=both, cancel=cancel)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(receive, "ingest", recording)
        job = page.ingest([folder])
        qtbot.waitUntil(lambda: not job.running, timeout=30_000)
    assert job.error is None
    assert seen[0][:2] == (0, 4) and seen[-1][:2] == (4, 4)


def test_ingest_shows_the_matrix_in_colour(qtbot, page, inbox, dialogs):
    assert page.counts_label.text() == "Chưa nhận gói báo cáo nào."
    _ingest(qtbot, page, inbox[0])
    assert "Đã xử lý 4/4 tệp: 3 đã nhận, 1 từ chối." in page.log.toPlainText()
    cells = _colours(page)
    # the state, then how complete the package was (chỉ tiêu, nhiệm vụ)
    assert cells[office_name(0)][:2] == ("Đúng hạn · 52/52 CT, 104/104 NV", "#c6efce")
    assert cells[office_name(2)][:2] == ("Trễ hạn · 52/52 CT, 104/104 NV", "#ffeb9c")
    assert cells[office_name(3)][:2] == ("Bị từ chối", "#ffc7ce")
    assert "Mã băm của tệp không khớp" in cells[office_name(3)][2]
    assert cells[office_name(4)][:2] == ("Chưa nộp", "#ededed")
    assert "đúng hạn 2, trễ hạn 1, chưa nộp 1, bị từ chối 1" in page.counts_label.text()
    # the detail panel says why
    row = [o.name for o in page.model.rows].index(office_name(3))
    page.matrix_view.setCurrentIndex(page.model.index(row, 0))
    assert "Bị từ chối" in page.detail.toPlainText()
    # the same folder again: nothing new
    _ingest(qtbot, page, inbox[0])
    assert "4 đã nhận trước đó" in page.log.toPlainText()


def test_filter_by_name_and_state(qtbot, page, inbox):
    _ingest(qtbot, page, inbox[0])
    qtbot.keyClicks(page.filter_edit, "bac son")  # accents and case ignored
    assert [o.name for o in page.model.rows] == [office_name(1)]
    page.filter_edit.clear()
    page.state_box.setCurrentIndex(page.state_box.findText("Trễ hạn"))
    assert [o.name for o in page.model.rows] == [office_name(2)]
    page.state_box.setCurrentIndex(0)
    assert page.model.rowCount() == 5


def test_indicator_view_and_office_history(qtbot, page, inbox):
    _ingest(qtbot, page, inbox[0])
    assert page.consolidation is None  # computed when its tab is shown, not with the matrix
    page.tabs.setCurrentWidget(page.indicator_tab)
    assert page.indicator_table.rowCount() == 3  # the three valid packages
    assert "3/3 đơn vị có số liệu" in page.indicator_summary.text()
    page.office_box.setCurrentIndex(page.office_box.findText(office_name(3)))
    assert page.office_table.rowCount() == 1
    assert page.office_table.item(0, 4).text() == "Từ chối"


def test_double_click_opens_the_report_pdf(qtbot, page, inbox, monkeypatch, gui_home):
    from app.ui import receiving_page

    opened = []
    monkeypatch.setattr(receiving_page.QDesktopServices, "openUrl", lambda url: opened.append(url))
    _ingest(qtbot, page, inbox[0])
    row = [o.name for o in page.model.rows].index(office_name(0))
    page._open_cell(page.model.index(row, 0))
    assert len(opened) == 1
    pdf = Path(opened[0].toLocalFile())
    assert pdf.is_relative_to(gui_home) and pdf.read_bytes().startswith(b"%PDF")


def test_export_writes_xlsx_and_pdf(qtbot, page, inbox, tmp_path, dialogs):
    _ingest(qtbot, page, inbox[0])
    out = tmp_path / "tong-hop.xlsx"
    job = page.export(out)
    qtbot.waitUntil(lambda: not job.running, timeout=30_000)
    assert job.error is None
    wb = load_workbook(out)
    states = {
        r[1]: r[4]
        for r in wb["Tình hình nộp báo cáo"].iter_rows(min_row=6, max_row=10, values_only=True)
    }
    assert states[office_name(4)] == "Chưa nộp" and states[office_name(2)] == "Trễ hạn"
    assert out.with_suffix(".pdf").read_bytes().startswith(b"%PDF")
    assert any(str(out) in text for text in dialogs.texts("info"))
    assert PERIOD in str(page.selected_period())
