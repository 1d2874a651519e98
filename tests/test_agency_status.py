"""Who still owes what: completeness per agency, late forms, reminder texts, the printable list."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from app.models.agency import Role
from app.models.plan import IndicatorKind
from app.operations import agency as ops
from app.operations.period import period_of

TODAY = date(2026, 9, 25)
SAMPLE_VALUE = {IndicatorKind.PERCENT: "50", IndicatorKind.COUNT: "1", IndicatorKind.RATIO: "1",
                IndicatorKind.INDEX: "0,5", IndicatorKind.RANK: "1", IndicatorKind.YES_NO: "Có",
                IndicatorKind.QUALITATIVE: "Đạt"}  # fmt: skip


@pytest.fixture
def store(bim_son_store):
    """Q3 of Bỉm Sơn with every agency's items entered except Phòng Nội vụ's and Phòng
    Tài chính - KH's; Phòng Tài chính - KH sent its form late (22/09) with two items."""
    s = bim_son_store
    ops.build_agencies(s, merge=True)
    ops.update_agency(s, "Phòng Nội vụ", contact="Lê Thị Hoa")
    ops.update_agency(s, "Thanh tra Thị xã", kind="package")
    period = period_of(s, "2026-Q3", date(2026, 9, 1))
    late = {s.agencies.find("Phòng Nội vụ").id, s.agencies.find("Phòng Tài chính - KH").id}
    plan = s.plan.load()
    kinds = {i.id: i.kind for i in plan.indicators()}
    with s.transaction():
        for link in s.agencies.links("indicator"):
            if link.role is Role.LEAD and link.agency_id not in late:
                s.entries.set_indicator_value(
                    period.id, link.item_id, SAMPLE_VALUE[kinds[link.item_id]]
                )
        for link in s.agencies.links("task"):
            if link.role is Role.LEAD and link.agency_id not in late:
                s.entries.set_task_progress(period.id, link.item_id, status="Đang thực hiện")
    tc = s.agencies.find("Phòng Tài chính - KH")
    ind = {i.code: i.id for i in plan.indicators()}
    with (
        s.transaction(),
        s.audit.sourced("Phòng Tài chính - KH, tệp tc.xlsx, nhận ngày 22/09/2026"),
    ):
        s.entries.set_indicator_value(period.id, ind["4"], "0,5")
        s.entries.set_indicator_value(period.id, ind["15"], "3")
        s.agencies.record_return(period.id, tc.id, "tc.xlsx", "00", date(2026, 9, 22), 2, 0)
    return s


def test_completeness_per_agency_with_two_late_agencies(store):
    period = period_of(store, "2026-Q3", date(2026, 9, 1))
    status = ops.agency_status(store, period, TODAY)
    rows = [(s.agency.short_name, s.assigned, s.filled, status.state(s), status.late(s))
            for s in status.agencies]  # fmt: skip
    assert rows == [
        ("Phòng Văn hóa, KH&TT", 46, 46, "Đã có đủ số liệu", False),
        ("Phòng Tài chính - KH", 11, 2, "Trễ hạn 3 ngày", True),
        ("Phòng Nội vụ", 9, 0, "Chưa gửi, quá hạn 6 ngày", True),
        ("Văn phòng HĐND&UBND", 33, 33, "Đã có đủ số liệu", False),
        ("Phòng Giáo dục & Đào tạo", 4, 4, "Đã có đủ số liệu", False),
        ("Phòng Kinh tế, Hạ tầng & Đô thị", 7, 7, "Đã có đủ số liệu", False),
        ("Phòng Nông nghiệp và Môi trường", 5, 5, "Đã có đủ số liệu", False),
        # the Thị ủy's own bodies lead Phụ lục II's tasks
        ("Ban Tổ chức Thị ủy", 2, 2, "Đã có đủ số liệu", False),
        ("Văn phòng Thị ủy", 5, 5, "Đã có đủ số liệu", False),
        ("Ban Tuyên giáo và Dân vận Thị ủy", 7, 7, "Đã có đủ số liệu", False),
        ("Trung tâm VH, TT&DL", 0, 0, "Không có mục nào", False),
        ("Ban Nội chính", 1, 1, "Đã có đủ số liệu", False),
        ("Ủy ban MTTQ", 1, 1, "Đã có đủ số liệu", False),
        ("Ủy ban Kiểm tra Thị ủy", 1, 1, "Đã có đủ số liệu", False),
        ("Hội Doanh nghiệp", 0, 0, "Không có mục nào", False),
        ("Trung tâm VHTTDL", 0, 0, "Không có mục nào", False),
        ("Đơn vị sự nghiệp trực thuộc", 0, 0, "Không có mục nào", False),
        ("Ban Chỉ huy Quân sự Thị xã", 1, 1, "Đã có đủ số liệu", False),
        ("Ban QLDA", 0, 0, "Không có mục nào", False),
        ("Thanh tra Thị xã", 1, 1, "Đã có đủ số liệu", False),  # sends a signed package
        ("Doanh nghiệp Viễn thông", 0, 0, "Không có mục nào", False),
    ]
    assert [s.agency.short_name for s in status.owing()] == ["Phòng Tài chính - KH", "Phòng Nội vụ"]
    tc, nv = status.owing()
    assert tc.returned_on == date(2026, 9, 22) and nv.returned_on is None
    assert status.reminder(tc) == (
        "Kính gửi Phòng Tài chính - KH: Thị ủy Bỉm Sơn đề nghị đơn vị báo cáo kết quả thực hiện "
        "Nghị quyết số 57-NQ/TW kỳ Quý III/2026. Đơn vị đã gửi biểu mẫu ngày 22/09/2026, còn "
        "thiếu 4 chỉ tiêu (16, 18, 22, 23) và 5 nhiệm vụ (PL III – III.10, PL III – VI.41, "
        "PL III – VI.44, PL III – VI.46, PL III – IX.88). "
        "Hạn gửi là trước ngày 20/09/2026, đã quá 6 ngày; đề nghị đơn vị bổ sung ngay, bằng cách "
        "điền biểu mẫu đã gửi và gửi lại cho Thị ủy Bỉm Sơn. Trân trọng cảm ơn."
    )
    assert status.reminder(nv) == (
        "Kính gửi Phòng Nội vụ (đồng chí Lê Thị Hoa): Thị ủy Bỉm Sơn đề nghị đơn vị báo cáo kết "
        "quả thực hiện Nghị quyết số 57-NQ/TW kỳ Quý III/2026. Còn thiếu 3 chỉ tiêu (5, 6, 10) và "
        "6 nhiệm vụ (PL III – V.35, PL III – V.37, PL III – V.38, PL III – VII.54, PL III – VII.70, "
        "PL III – VII.74). Hạn gửi là trước ngày 20/09/2026, "
        "đã quá 6 ngày; đề nghị đơn vị gửi ngay, bằng cách điền biểu mẫu đã gửi và gửi lại cho "
        "Thị ủy Bỉm Sơn. Trân trọng cảm ơn."
    )


def test_before_the_due_date_nobody_is_late(store):
    period = period_of(store, "2026-Q3", date(2026, 9, 1))
    status = ops.agency_status(store, period, date(2026, 9, 15))
    nv = next(s for s in status.agencies if s.agency.short_name == "Phòng Nội vụ")
    assert (status.state(nv), status.late(nv)) == ("Chưa gửi, chưa đến hạn", False)
    assert status.reminder(nv).endswith(
        "Đề nghị đơn vị gửi trước ngày 20/09/2026, bằng cách điền biểu mẫu đã gửi và gửi lại cho "
        "Thị ủy Bỉm Sơn. Trân trọng cảm ơn."
    )


def test_the_printable_list_has_a_row_per_agency(store, tmp_path):
    period = period_of(store, "2026-Q3", date(2026, 9, 1))
    path = ops.write_agency_status(store, period, TODAY, tmp_path / "ds.xlsx").result
    ws = openpyxl.load_workbook(path).active
    assert ws["A1"].value == "TÌNH HÌNH CÁC CƠ QUAN, ĐƠN VỊ GỬI BÁO CÁO KỲ QUÝ III/2026"
    assert (
        ws["A2"].value
        == "Hạn của cơ quan, đơn vị: trước ngày 20/09/2026; tính đến ngày 25/09/2026."
    )
    assert [c.value for c in ws[6]] == [
        "2",
        "Phòng Tài chính - KH",
        "Điền biểu mẫu",
        11,
        2,
        "22/09/2026",
        "Trễ hạn 3 ngày",
        "CT 16, CT 18, CT 22, CT 23, NV PL III – III.10, NV PL III – VI.41, NV PL III – VI.44, "
        "NV PL III – VI.46, NV PL III – IX.88",
    ]
    assert [c.value for c in ws[24]][:7] == [
        "20",
        "Thanh tra Thị xã",
        "Gửi gói báo cáo có ký số",
        1,
        1,
        None,
        "Đã có đủ số liệu",
    ]
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$4:$4"
