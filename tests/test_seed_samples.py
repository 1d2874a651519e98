"""The five seed plans as bundled samples: each loads, validates against the published
plan schema, and owes the reports of 2025–2027 its text sets (due dates and windows)."""

import json
import unicodedata
from datetime import date

import jsonschema
import pytest

from app.cli import main
from app.models.deadline import DeadlineKind
from app.models.errors import UserError
from app.models.plan import Comparator, Frequency, IndicatorKind, ReportingRule, Target
from app.models.plan_json import plan_from_json, plan_to_json
from app.models.regime import plan_periods, valid_period
from app.models.samples import list_samples, load_sample, samples_dir
from app.paths import resources_dir

from .test_samples import _strings  # every key and text of a sample file

FIVE = ["bim-son", "gia-phuc", "nga-nam", "phuoc-long", "thong-nhat"]
UPTO = date(2027, 12, 31)


def _raw(name):
    return json.loads((samples_dir() / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def schema():
    text = (resources_dir() / "schema" / "plan.schema.json").read_text(encoding="utf-8")
    return jsonschema.Draft202012Validator(
        json.loads(text), format_checker=jsonschema.FormatChecker()
    )


def test_samples_lists_five_plans(capsys):
    assert [s.name for s in list_samples()] == FIVE
    assert main(["samples"]) == 0
    # an indented line is a note on the sample above it (nga-nam: its receiving file)
    lines = [line for line in capsys.readouterr().out.splitlines() if not line.startswith(" ")]
    assert [line.split("\t")[0] for line in lines] == FIVE
    assert lines[1] == (
        "gia-phuc\tBan Thường vụ Đảng ủy xã Gia Phúc (TP Hải Phòng) — Kế hoạch hành động "
        "số 18-KH/ĐU ngày 29/8/2025 (văn bản Đảng)"
    )


@pytest.mark.parametrize("name", FIVE)
def test_each_sample_loads_and_validates(name, schema):
    raw = _raw(name)
    schema.validate(raw)  # the file as shipped
    assert all(unicodedata.is_normalized("NFC", s) for s in _strings(raw))
    plan = load_sample(name)
    schema.validate(plan_to_json(plan))  # and as `plan show --json` writes it
    assert plan_from_json(plan_to_json(plan)) == plan
    assert plan.indicators() and plan.tasks() and plan.info.reporting
    assert all(t.deadline is not None for t in plan.tasks())
    assert raw["transcription_notes"]


def _due(name):
    return [(p.id, p.due_text) for p in plan_periods(load_sample(name).info, UPTO)]


def test_periods_of_the_three_earlier_samples():
    """Bỉm Sơn: quarterly before the 20th of the quarter's last month, 6-monthly before
    15/6, yearly before 25/11; Thống Nhất: before 10/6 and 05/12; Phước Long (2026 only):
    before 30/6 and 25/12."""
    assert _due("bim-son") == [
        ("2025-H1", "trước ngày 15/06/2025"), ("2025-Q3", "trước ngày 20/09/2025"),
        ("2025-Y", "trước ngày 25/11/2025"), ("2026-Q1", "trước ngày 20/03/2026"),
        ("2026-H1", "trước ngày 15/06/2026"), ("2026-Q3", "trước ngày 20/09/2026"),
        ("2026-Y", "trước ngày 25/11/2026"), ("2027-Q1", "trước ngày 20/03/2027"),
        ("2027-H1", "trước ngày 15/06/2027"), ("2027-Q3", "trước ngày 20/09/2027"),
        ("2027-Y", "trước ngày 25/11/2027"),
    ]  # fmt: skip
    assert _due("thong-nhat") == [
        ("2025-Y", "trước ngày 05/12/2025"), ("2026-H1", "trước ngày 10/06/2026"),
        ("2026-Y", "trước ngày 05/12/2026"), ("2027-H1", "trước ngày 10/06/2027"),
        ("2027-Y", "trước ngày 05/12/2027"),
    ]  # fmt: skip
    assert _due("phuoc-long") == [
        ("2026-H1", "trước ngày 30/06/2026"), ("2026-Y", "trước ngày 25/12/2026"),
    ]  # fmt: skip


def test_gia_phuc_periods_2025_to_2027():
    """Monthly to the commune's Ban Chỉ đạo (mục II.8 "01 tháng/lần") and 6-monthly by
    the Party bodies (mục V.2); no due day in the text: before the 20th of the period's
    last month. June and December go into the 6-month reports. A Party plan: each window
    ends 5 days before the last on-time day. Nothing before the plan of 29/8/2025
    (August's data would have closed on 14/8)."""
    periods = plan_periods(load_sample("gia-phuc").info, UPTO)
    assert [p.id for p in periods] == [
        "2025-M09", "2025-M10", "2025-M11", "2025-H2",
        "2026-M01", "2026-M02", "2026-M03", "2026-M04", "2026-M05", "2026-H1",
        "2026-M07", "2026-M08", "2026-M09", "2026-M10", "2026-M11", "2026-H2",
        "2027-M01", "2027-M02", "2027-M03", "2027-M04", "2027-M05", "2027-H1",
        "2027-M07", "2027-M08", "2027-M09", "2027-M10", "2027-M11", "2027-H2",
    ]  # fmt: skip
    for p in periods:
        last = p.end.month
        assert p.due == date(p.year, last, 19)
        assert p.due_text == f"trước ngày 20/{last:02d}/{p.year}"
        assert p.cutoff_end == date(p.year, last, 14)
    rows = {p.id: (p.cutoff_start, p.cutoff_end) for p in periods}
    assert rows["2025-M09"] == (date(2025, 8, 15), date(2025, 9, 14))
    assert rows["2025-H2"] == (date(2025, 6, 15), date(2025, 12, 14))
    assert rows["2026-M01"] == (date(2025, 12, 15), date(2026, 1, 14))
    assert rows["2026-H1"] == (date(2025, 12, 15), date(2026, 6, 14))
    assert rows["2026-M07"] == (date(2026, 6, 15), date(2026, 7, 14))
    assert rows["2027-H2"] == (date(2027, 6, 15), date(2027, 12, 14))
    assert periods[0].cutoff_reason == (
        "Văn bản của Đảng, không áp dụng Nghị định 09/2019/NĐ-CP: chốt số liệu 5 ngày trước "
        "ngày cuối cùng của hạn nộp 19/09/2025 (hạn nộp: trước ngày 20/09/2025)"
    )
    info = load_sample("gia-phuc").info
    with pytest.raises(UserError, match=r"được gộp vào báo cáo .*\(2026-H1\)"):
        valid_period(info, "2026-M06", UPTO)
    with pytest.raises(UserError, match=r"\(2025-H2\)"):
        valid_period(info, "2025-M12", UPTO)
    with pytest.raises(UserError, match="trước khi kế hoạch bắt đầu \\(29/08/2025\\)"):
        valid_period(info, "2025-M08", UPTO)


def test_nga_nam_periods_2025_to_2027():
    """Yearly before 20/12 to the town's culture office (mục V.7); a state plan: the
    window of Nghị định 09/2019/NĐ-CP, 15/12 of the year before to 14/12."""
    periods = plan_periods(load_sample("nga-nam").info, UPTO)
    assert [(p.id, p.cutoff_start, p.cutoff_end, p.due, p.due_text) for p in periods] == [
        ("2025-Y", date(2024, 12, 15), date(2025, 12, 14), date(2025, 12, 19),
         "trước ngày 20/12/2025"),
        ("2026-Y", date(2025, 12, 15), date(2026, 12, 14), date(2026, 12, 19),
         "trước ngày 20/12/2026"),
        ("2027-Y", date(2026, 12, 15), date(2027, 12, 14), date(2027, 12, 19),
         "trước ngày 20/12/2027"),
    ]  # fmt: skip
    assert {p.cutoff_reason for p in periods} == {"Theo Nghị định 09/2019/NĐ-CP"}


def test_gia_phuc_content():
    plan = load_sample("gia-phuc")
    office, info = plan.office, plan.info
    assert (office.parent_body, office.issuing_body) == (
        "ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG",
        "ĐẢNG ỦY XÃ GIA PHÚC",
    )
    assert office.style.value == "party" and office.signer_authority == "T/M BAN THƯỜNG VỤ"
    assert (info.number, info.date, info.issuer) == (
        "18-KH/ĐU",
        date(2025, 8, 29),
        "Ban Thường vụ Đảng ủy xã Gia Phúc",
    )
    assert info.milestones == [2025, 2030, 2035, 2040, 2045]
    assert info.reporting == [ReportingRule(Frequency.MONTH, 20, 0, True),
                              ReportingRule(Frequency.HALF, 20, 0, True)]  # fmt: skip
    assert [(g.code, g.title, len(g.indicators)) for g in plan.indicator_groups] == [
        ("a", "Phát triển hạ tầng", 3), ("b", "Phát triển nguồn lực", 12),
        ("c", "Phát triển khoa học, công nghệ", 2), ("d", "Phát triển chuyển đổi số", 16),
    ]  # fmt: skip
    by = {i.code: i for i in plan.indicators()}
    assert by["a.1"].name == "Tỷ lệ phủ sóng 5G trên địa bàn"
    assert by["a.1"].targets == {2025: Target(Comparator.GT, 60.0), 2030: Target(None, 100.0)}
    assert sorted(by["a.3"].targets) == [2035, 2040, 2045]  # 6G from 2035
    index = by["d.1"]
    assert index.kind is IndicatorKind.INDEX
    assert [(y, t.comparator, t.value) for y, t in sorted(index.targets.items())] == [
        (2025, Comparator.GT, 0.77), (2030, Comparator.GT, 0.8), (2035, Comparator.GT, 0.85),
        (2040, Comparator.GT, 0.92), (2045, None, 1.0)]  # fmt: skip
    online = by["d.7"]
    assert [t.value for _, t in sorted(online.targets.items())] == [70, 85, 95, 100, 100]
    assert by["d.11"].targets[2030] == Target(Comparator.GE, 85.0)  # OCR "= 85%" read as ≥
    band = by["b.5"].targets[2040]
    assert (band.value, band.high, band.text) == (80.0, 90.0, "80% - 90% dân số trưởng thành")
    budget = by["b.1"]
    assert budget.lead_agency == "Phòng Kinh tế"
    assert budget.targets[2045] == Target(Comparator.GT, 3.5, budget.targets[2045].text)
    assert by["b.6"].kind is IndicatorKind.YES_NO and by["c.2"].kind is IndicatorKind.QUALITATIVE
    assert by["d.2"].lead_agency == "Trung tâm Phục vụ hành chính công"
    assert [(g.code, len(g.tasks)) for g in plan.task_groups] == [
        ("IV.1", 2), ("IV.2.1", 3), ("IV.2.2", 4), ("IV.3", 4), ("IV.4", 10), ("IV.5", 3),
        ("IV.6", 1), ("IV.7", 2), ("V.1", 1), ("V.2", 4), ("V.3", 10), ("V.4", 3),
    ]  # fmt: skip
    report = plan.task_groups[9].tasks[3]
    assert (
        report.name == "Định kỳ 6 tháng báo cáo với Ban Chỉ đạo về kết quả thực hiện Kế hoạch này."
    )
    assert (report.lead_agency, report.deadline.text) == (
        "Đảng ủy các cơ quan Đảng",
        "Định kỳ 6 tháng",
    )
    assert report.deadline.kind is DeadlineKind.RECURRING
    year_2025 = [t.code for g in plan.task_groups for t in g.tasks if t.deadline.text == "Năm 2025"]
    assert year_2025 == ["4.4", "2"]
    notes = _raw("gia-phuc")["transcription_notes"]
    assert any("01 tháng/lần" in n and "trước ngày 20" in n for n in notes)


def test_nga_nam_content():
    plan = load_sample("nga-nam")
    office, info = plan.office, plan.info
    assert office.issuing_body == "ỦY BAN NHÂN DÂN\nTHỊ XÃ NGÃ NĂM"
    assert (office.style.value, office.level, office.province) == ("state", "thị xã", "Sóc Trăng")
    assert office.signer_authority == "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH"
    # The scan lost the first page: no number, no date (see the notes).
    assert (info.number, info.date, info.start) == ("…/KH-UBND", None, date(2025, 3, 21))
    assert info.milestones == [2030, 2045]
    assert info.reporting == [ReportingRule(Frequency.YEAR, 20, 0, True)]
    by = {i.code: i for i in plan.indicators()}
    assert len(by) == 25 and [g.code for g in plan.indicator_groups] == [
        "I",
        "II",
        "III",
        "IV",
        "V",
        "VI",
    ]
    assert by["2.1"].name == "Đóng góp của năng suất nhân tố tổng hợp (TFP) vào tăng trưởng kinh tế"
    assert by["2.1"].targets == {2030: Target(Comparator.GT, 50.0)}
    economy = by["2.2"]
    assert economy.name == "Quy mô kinh tế số so với GRDP"
    assert [(y, t.comparator, t.value) for y, t in sorted(economy.targets.items())] == [
        (2030, Comparator.GE, 30.0), (2045, None, 30.0)]  # fmt: skip
    assert by["2.3"].name == "Tỷ lệ sử dụng dịch vụ công trực tuyến của người dân và doanh nghiệp"
    assert by["2.3"].targets[2030] == Target(Comparator.GT, 80.0)
    assert by["3.3"].lead_agency == "Phòng Tài chính - Kế hoạch thị xã"
    assert by["3.4"].kind is IndicatorKind.RATIO and by["3.4"].unit == "Người/vạn dân"
    assert by["6.3"].targets[2045].high == 2.0
    leads = {g.code: {t.lead_agency for t in g.tasks} for g in plan.task_groups if g.code[0] == "V"}
    assert leads == {
        "V.1": {"Phòng Văn hóa, Khoa học và Thông tin thị xã"},
        "V.2": {"Phòng Tài chính - Kế hoạch thị xã"},
        "V.3": {"Trung tâm Y tế thị xã"},
        "V.4": {"Phòng Kinh tế, Hạ tầng và Đô thị thị xã"},
        "V.5": {"Các ban, phòng ngành thị xã; Ủy ban nhân dân các xã, phường",
                "Các ban, phòng ngành, đoàn thể thị xã; Ủy ban nhân dân các xã, phường"},
        "V.6": {"Ủy ban Mặt trận Tổ quốc Việt Nam thị xã"},
    }  # fmt: skip
    yearly = [t for t in plan.tasks() if t.deadline.text == "Trước ngày 20/12 (hằng năm)"]
    assert [t.output for t in yearly] == [
        "Báo cáo tổng hợp tình hình thực hiện Kế hoạch gửi Ủy ban nhân dân thị xã",
        "Báo cáo năm gửi Ủy ban nhân dân thị xã (qua Phòng Văn hóa, Khoa học và Thông tin)",
    ]
    assert len(plan.tasks()) == 49
    assert [len(g.tasks) for g in plan.task_groups[:7]] == [8, 3, 5, 2, 9, 3, 3]
