"""Who still owes what in the window: the Tổng quan line, the period entry screen's line, the
agencies' due dates in Cài đặt, the receiving file linked on the agencies page."""

from __future__ import annotations

from app.models.plan import Frequency, ReportingRule
from app.operations import agency as ops

from ..test_agency_packages import add_units, make_receiving
from .conftest import read_store


def _with_list(window) -> None:  # noqa: ANN001
    window.session.run(lambda store: ops.build_agencies(store, merge=True))


def test_dashboard_line_opens_the_agencies_page(window):  # noqa: ANN001
    page = window.show_page("dashboard")
    assert page.agencies.isHidden() and page.agency_line == ""  # no list of agencies yet
    _with_list(window)
    page.refresh()
    assert page.summary.current.id == "2026-Y"  # the demo's today is 23/11/2026
    assert page.agency_line == (
        "Cơ quan, đơn vị kỳ Năm 2026 (hạn trước ngày 25/11/2026): 0/15 đã gửi hoặc đã đủ số "
        "liệu; 15 chưa gửi, chưa đến hạn."
    )
    assert not page.agencies.isHidden()
    assert page.agencies.text().startswith('<a href="agencies">Cơ quan, đơn vị kỳ Năm 2026')
    page.agencies.linkActivated.emit("agencies")
    agencies = window.pages["agencies"]
    assert window.stack.currentWidget() is agencies
    assert agencies.period_combo.currentData() == "2026-Y"
    assert agencies.summary.text() == page.agency_line


def test_period_entry_lists_the_agencies_still_owing(window):  # noqa: ANN001
    _with_list(window)
    entry = window.show_page("periods").open_period("2026-Q3")
    assert entry.agency_line == (
        "Cơ quan, đơn vị còn thiếu (2; hạn trước ngày 20/09/2026): Phòng Văn hóa, KH&TT: thiếu "
        "2/46 mục; chưa gửi, quá hạn 65 ngày · Phòng Tài chính - KH: thiếu 1/11 mục; chưa gửi, "
        "quá hạn 65 ngày."
    )
    entry.open_agencies()
    assert window.pages["agencies"].period_combo.currentData() == "2026-Q3"


def test_agency_due_dates_in_settings(window, demo_db):  # noqa: ANN001
    page = window.show_page("settings")
    section = page.agency_due
    assert [f.value for f in section.rows] == ["quarter", "half", "year"]
    quarter = section.rows[Frequency.QUARTER]
    assert (quarter.office.text(), quarter.own.isChecked(), quarter.agencies.text()) == (
        "trước ngày 20/03, 20/06, 20/09 và 20/12/2026", False,
        "trước ngày 20/03, 20/06, 20/09 và 20/12/2026",
    )  # fmt: skip
    assert not quarter.day.isEnabled()
    quarter.own.setChecked(True)
    quarter.day.setValue(10)
    assert section.save()
    assert quarter.agencies.text() == "trước ngày 10/03, 10/06, 10/09 và 10/12/2026"
    assert quarter.office.text() == "trước ngày 20/03, 20/06, 20/09 và 20/12/2026"  # unchanged
    with read_store(demo_db) as store:
        assert store.agencies.due_rules() == [ReportingRule(Frequency.QUARTER, 10, 0, True)]
    quarter.own.setChecked(False)  # back to the office's dates
    assert section.save() and not quarter.day.isEnabled()
    with read_store(demo_db) as store:
        assert store.agencies.due_rules() == []
    assert quarter.agencies.text() == "trước ngày 20/03, 20/06, 20/09 và 20/12/2026"


def test_receiving_file_linked_from_the_agencies_page(window, tmp_path, dialogs):  # noqa: ANN001
    window.session.run(lambda store: (add_units(store), ops.build_agencies(store))[-1])
    page = window.show_page("agencies")
    page.select_period("2026-Q3")
    assert page.receiving.text() == ("Chưa liên kết tệp tiếp nhận: các đơn vị gửi gói báo cáo "
                                     "được tính theo số liệu đã có.")  # fmt: skip
    assert not page.link_receiving(tmp_path / "none.sqlite")
    assert dialogs.texts("error")[-1] == f"Không tìm thấy tệp '{tmp_path / 'none.sqlite'}'."
    recv = make_receiving(tmp_path / "tiep-nhan.sqlite")
    assert page.link_receiving(recv)
    assert page.receiving.text() == (
        f"Gói báo cáo của các đơn vị gửi gói được đọc từ tệp tiếp nhận {recv.resolve()}."
    )
    rows = {s.agency.short_name: i for i, s in enumerate(page.model.items())}
    bs = rows["Phường Bắc Sơn"]
    assert [page.model.index(bs, c).data() for c in (1, 6, 7)] == [
        "Gửi gói báo cáo có ký số",
        "18/09/2026",
        "Đúng hạn",
    ]
    assert page.model.index(bs, 6).data(3) == (  # tooltip
        "nhận gói báo cáo ngày 18/09/2026 (Đã cập nhật 50/52 chỉ tiêu, 40/41 nhiệm vụ)"
    )
    nt = rows["Phường Ngọc Trạo"]
    assert page.model.index(nt, 7).data() == "Chưa gửi, quá hạn 65 ngày"
