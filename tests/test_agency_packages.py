"""Item 6: agencies that send a signed package are read from the linked receiving file and
shown with the form agencies; the summary line and the owing lines of the window."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.cli import main
from app.models.agency import Agency, AgencyKind
from app.models.errors import UserError
from app.models.plan import Frequency, ReportingRule
from app.models.samples import load_sample
from app.models.store import Store
from app.operations import agency as ops
from app.operations.period import period_of
from app.receiving.store import Arrival, Decision, PackageStatus, Receiving

TODAY = date(2026, 9, 25)


def _package(receiving: Receiving, office: str, uid: str | None, period: str, on: str,
             status: PackageStatus = PackageStatus.ACCEPTED) -> None:  # fmt: skip
    """One package recorded as ingest would, received at `on` (local ISO time)."""
    found = receiving.add_office(office)
    arrival = Arrival(sha256=f"{office}{period}{on}", file_name=f"{uid or office}.zip",
                      path="/inbox/x.zip", size=1, ok=True, reason_code="", reason="",
                      office_uid=uid, office_name=office, period_id=period,
                      completeness={"indicators_filled": 50, "indicators_total": 52,
                                    "tasks_updated": 40, "tasks_total": 41})  # fmt: skip
    package, _ = receiving.record(arrival, Decision(status, found.id))
    receiving.db.execute("UPDATE recv_package SET received_at = ? WHERE id = ?", [on, package.id])
    receiving.db.conn.commit()


def make_receiving(path: Path) -> Path:
    with Receiving.create(path, "Thị ủy Bỉm Sơn") as receiving:
        _package(receiving, "Phường Bắc Sơn", "uid-bs", "2026-Q3", "2026-09-18T09:00:00+07:00")
        _package(receiving, "UBND xã Quang Trung", "uid-qt", "2026-Q3", "2026-09-23T15:30:00+07:00")
        _package(receiving, "Phường Ngọc Trạo", "uid-nt", "2026-Q2", "2026-06-10T08:00:00+07:00")
        _package(receiving, "Phường Ngọc Trạo", "uid-nt", "2026-Q3", "2026-09-10T08:00:00+07:00",
                 PackageStatus.REJECTED)  # fmt: skip
    return path


def add_units(store: Store) -> None:
    ops.build_agencies(store, merge=True)
    ops.add_agency(store, Agency("Phường Bắc Sơn", "UBND phường Bắc Sơn", kind=AgencyKind.PACKAGE))
    ops.add_agency(store, Agency("Xã Quang Trung", "Xã Quang Trung", kind=AgencyKind.PACKAGE,
                                 office_uid="uid-qt"))  # fmt: skip
    ops.add_agency(store, Agency("Phường Ngọc Trạo", "Phường Ngọc Trạo", kind=AgencyKind.PACKAGE))


def test_package_agencies_are_read_from_the_receiving_file(bim_son_store, tmp_path):
    s = bim_son_store
    add_units(s)
    period = period_of(s, "2026-Q3", date(2026, 9, 1))
    status = ops.agency_status(s, period, TODAY)  # no receiving file: by their items
    units = [x for x in status.agencies if x.agency.kind is AgencyKind.PACKAGE]
    assert [(x.agency.short_name, status.state(x)) for x in units] == [
        ("Phường Bắc Sơn", "Không có mục nào"),
        ("Xã Quang Trung", "Không có mục nào"),
        ("Phường Ngọc Trạo", "Không có mục nào"),
    ]

    recv = make_receiving(tmp_path / "tiep-nhan.sqlite")
    with pytest.raises(UserError, match="khác tệp đang mở"):
        ops.link_receiving_file(s, s.path)
    with pytest.raises(UserError, match="không phải tệp của đơn vị tiếp nhận"):
        plan = load_sample("thong-nhat")
        Store.create(tmp_path / "office.sqlite", plan.office, plan).close()
        ops.link_receiving_file(s, tmp_path / "office.sqlite")
    assert ops.link_receiving_file(s, recv).result == str(recv.resolve())
    with Store.open(s.path) as again:  # kept in the data file
        assert again.agencies.receiving_file() == str(recv.resolve())

    status = ops.agency_status(s, period, TODAY)
    units = [x for x in status.agencies if x.agency.kind is AgencyKind.PACKAGE]
    assert [
        (
            x.agency.short_name,
            status.received_text(x),
            x.package_detail,
            status.state(x),
            status.late(x),
            x.owes,
        )
        for x in units
    ] == [  # fmt: skip
        (
            "Phường Bắc Sơn",
            "nhận gói báo cáo ngày 18/09/2026",
            "Đã cập nhật 50/52 chỉ tiêu, 40/41 nhiệm vụ",
            "Đúng hạn",
            False,
            False,
        ),
        (
            "Xã Quang Trung",
            "nhận gói báo cáo ngày 23/09/2026",  # by the uid, not the name
            "Đã cập nhật 50/52 chỉ tiêu, 40/41 nhiệm vụ",
            "Trễ hạn 4 ngày",
            True,
            False,
        ),
        (
            "Phường Ngọc Trạo",
            "chưa nhận gói báo cáo",
            "",  # Q2's and a rejected one do not count
            "Chưa gửi, quá hạn 6 ngày",
            True,
            True,
        ),
    ]
    nt = units[2]
    assert status.reminder(nt) == (
        "Kính gửi Phường Ngọc Trạo: Thị ủy Bỉm Sơn đề nghị đơn vị báo cáo kết quả thực hiện "
        "Nghị quyết số 57-NQ/TW kỳ Quý III/2026. Còn thiếu gói báo cáo có ký số của kỳ. Hạn gửi "
        "là trước ngày 20/09/2026, đã quá 6 ngày; đề nghị đơn vị gửi ngay, bằng cách gửi gói "
        "báo cáo có ký số và gửi lại cho Thị ủy Bỉm Sơn. Trân trọng cảm ơn."
    )
    assert status.owing_lines()[-1] == (
        "Phường Ngọc Trạo: chưa có gói báo cáo có ký số; chưa gửi, quá hạn 6 ngày"
    )

    recv.rename(tmp_path / "moved.sqlite")  # the file went away: said, not a traceback
    status = ops.agency_status(s, period, TODAY)
    assert status.receiving_note == (
        f"Không đọc được tệp tiếp nhận gói báo cáo: Không tìm thấy tệp '{recv.resolve()}'. Các "
        "đơn vị gửi gói báo cáo được tính theo số liệu đã có."
    )
    assert status.state(status.agencies[-1]) == "Không có mục nào"
    assert ops.link_receiving_file(s, None).result is None
    assert s.agencies.receiving_file() is None


def test_summary_line_and_owing_lines(bim_son_store):
    s = bim_son_store
    ops.build_agencies(s, merge=True)
    period = period_of(s, "2026-Q3", date(2026, 9, 1))
    before = ops.agency_status(s, period, date(2026, 9, 1))
    assert before.summary_text() == (
        "Cơ quan, đơn vị kỳ Quý III/2026 (hạn trước ngày 20/09/2026): 0/15 đã gửi hoặc đã đủ "
        "số liệu; 15 chưa gửi, chưa đến hạn."
    )
    nv = s.agencies.find("Phòng Nội vụ")
    s.agencies.record_return(period.id, nv.id, "nv.xlsx", "00", date(2026, 9, 22), 0, 0)
    gd = s.agencies.find("Phòng Giáo dục & Đào tạo")  # on time, but its form was empty
    s.agencies.record_return(period.id, gd.id, "gd.xlsx", "01", date(2026, 9, 15), 0, 0)
    after = ops.agency_status(s, period, TODAY)
    assert after.summary_text() == (
        "Cơ quan, đơn vị kỳ Quý III/2026 (hạn trước ngày 20/09/2026): 2/15 đã gửi hoặc đã đủ "
        "số liệu; 14 trễ hạn: Phòng Văn hóa, KH&TT (chưa gửi, quá hạn 6 ngày), Phòng Tài "
        "chính - KH (chưa gửi, quá hạn 6 ngày), Phòng Nội vụ (trễ hạn 3 ngày) và 11 đơn vị "
        "khác; 1 đã gửi nhưng còn thiếu mục."
    )
    assert after.owing_lines()[:3] == [
        "Phòng Văn hóa, KH&TT: thiếu 46/46 mục; chưa gửi, quá hạn 6 ngày",
        "Phòng Tài chính - KH: thiếu 11/11 mục; chưa gửi, quá hạn 6 ngày",
        "Phòng Nội vụ: thiếu 9/9 mục; đã gửi, trễ hạn 3 ngày",
    ]


def test_agency_due_rules_saved_together(bim_son_store):
    s = bim_son_store
    ops.save_agency_due_rules(s, {Frequency.QUARTER: ReportingRule(Frequency.QUARTER, 10),
                                  Frequency.YEAR: None})  # fmt: skip
    assert s.agencies.due_rules() == [ReportingRule(Frequency.QUARTER, 10, 0, True)]
    with pytest.raises(UserError, match="Ngày hạn của cơ quan, đơn vị không hợp lệ"):
        ops.save_agency_due_rules(s, {Frequency.QUARTER: ReportingRule(Frequency.QUARTER, 40),
                                      Frequency.YEAR: ReportingRule(Frequency.YEAR, 5)})  # fmt: skip
    assert s.agencies.due_rules() == [ReportingRule(Frequency.QUARTER, 10, 0, True)]  # all or none


def test_cli_status_shows_both_kinds(capsys, tmp_path):
    db = tmp_path / "bs.sqlite"
    assert main(["init", "--db", str(db), "--sample", "bim-son"]) == 0
    with Store.open(db) as store:
        add_units(store)
    recv = make_receiving(tmp_path / "tiep-nhan.sqlite")
    capsys.readouterr()
    assert main(["agency", "receiving", "--db", str(db), str(recv)]) == 0
    assert capsys.readouterr().out == (
        f"Các đơn vị gửi gói báo cáo được đọc từ tệp tiếp nhận {recv.resolve()}.\n"
    )
    assert (
        main(["agency", "set", "--db", str(db), "Phường Ngọc Trạo", "--office-uid", "uid-nt"]) == 0
    )
    assert main(["agency", "status", "--db", str(db), "--period", "2026-Q3",
                 "--today", "2026-09-25"]) == 0  # fmt: skip
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == "Kỳ Quý III/2026 (2026-Q3): hạn của cơ quan, đơn vị trước ngày 20/09/2026; " \
        "hạn báo cáo của đơn vị trước ngày 20/09/2026; tính đến ngày 25/09/2026."  # fmt: skip
    assert lines[2] == ("- Phòng Văn hóa, KH&TT: 0/46 mục có số liệu; chưa nhận biểu mẫu; "
                        "chưa gửi, quá hạn 6 ngày")  # fmt: skip
    assert lines[17:20] == [  # after the 16 agencies that fill forms, with Phụ lục II's
        "- Phường Bắc Sơn: 0/0 mục có số liệu; nhận gói báo cáo ngày 18/09/2026 (Đã cập nhật "
        "50/52 chỉ tiêu, 40/41 nhiệm vụ); đúng hạn",
        "- Xã Quang Trung: 0/0 mục có số liệu; nhận gói báo cáo ngày 23/09/2026 (Đã cập nhật "
        "50/52 chỉ tiêu, 40/41 nhiệm vụ); trễ hạn 4 ngày",
        "- Phường Ngọc Trạo: 0/0 mục có số liệu; chưa nhận gói báo cáo; chưa gửi, quá hạn 6 ngày",
    ]
    assert lines[20].startswith("Cơ quan, đơn vị kỳ Quý III/2026 (hạn trước ngày 20/09/2026): "
                                "2/18 đã gửi hoặc đã đủ số liệu; 17 trễ hạn: ")  # fmt: skip


def test_owing_text_names_four_then_counts(bim_son_store):
    s = bim_son_store
    ops.build_agencies(s, merge=True)
    period = period_of(s, "2026-Q3", date(2026, 9, 1))
    gd = s.agencies.find("Phòng Giáo dục & Đào tạo")
    s.agencies.record_return(period.id, gd.id, "gd.xlsx", "01", date(2026, 9, 15), 0, 0)
    status = ops.agency_status(s, period, TODAY)
    assert status.owing_text() == (
        "Cơ quan, đơn vị còn thiếu (15; hạn trước ngày 20/09/2026): Phòng Văn hóa, KH&TT: "
        "thiếu 46/46 mục; chưa gửi, quá hạn 6 ngày · Phòng Tài chính - KH: thiếu 11/11 mục; "
        "chưa gửi, quá hạn 6 ngày · Phòng Nội vụ: thiếu 9/9 mục; chưa gửi, quá hạn 6 ngày · "
        "Văn phòng HĐND&UBND: thiếu 33/33 mục; chưa gửi, quá hạn 6 ngày · và 11 đơn vị khác "
        "(xem trang Cơ quan, đơn vị)."
    )
    assert "Phòng Giáo dục & Đào tạo: thiếu 4/4 mục; đã gửi, đúng hạn" in status.owing_lines()
