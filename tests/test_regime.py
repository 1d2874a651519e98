"""The plan's reporting regime: the periods each sample plan owes, exactly, and why.

The seeds' own words (OCR, restored):
- Bỉm Sơn 261-KH/TU, 13/5/2025 (Party): "báo cáo định kỳ hằng quý (trước ngày
  20 tháng cuối của quý), 6 tháng (trước ngày 15/6), 01 năm (trước ngày 25/11)".
- Thống Nhất 4888/KH-UBND, 18/11/2025 (state): "định kỳ 6 tháng (trước ngày
  10/6) và hằng năm (trước ngày 05/12)".
- Phước Long 05-KH/BCĐ, 29/01/2026, plan for 2026 (Party style): "trước 30/6
  và 25/12".
All write "trước": the last on-time day is the day before the written date.
"""

import json
import shutil
from dataclasses import replace
from datetime import date

import jsonschema
import pytest

from app.models.change import Action, Change, Subject
from app.models.errors import UserError
from app.models.periods import DECREE_09_REASON, parse_period_id
from app.models.plan import (
    AdHocReport,
    CutoffPolicy,
    DocumentStyle,
    Frequency,
    PeriodKind,
    PlanInfo,
    ReportingRule,
)
from app.models.plan_json import plan_from_json, plan_to_json
from app.models.regime import (
    as_of,
    check_ad_hoc,
    current_period,
    effective_policy,
    is_party_plan,
    merged_into,
    owed_periods,
    period_of,
    plan_periods,
    previous_report,
    valid_period,
)
from app.models.samples import load_sample
from app.models.schema import SCHEMA_VERSION
from app.models.store import Store
from app.models.undo import undo_last
from app.paths import resources_dir

from .conftest import DATA

END_2027 = date(2027, 12, 31)
REGIME_KEYS = ("start", "end", "style", "merge_shorter", "cutoff_policy", "cutoff_lead_days",
               "ad_hoc")  # fmt: skip


def party(last: str, written: str, decree: str | None = None, same: bool = False) -> str:
    text = (
        "Văn bản của Đảng, không áp dụng Nghị định 09/2019/NĐ-CP: chốt số liệu 5 ngày trước "
        f"ngày cuối cùng của hạn nộp {last} (hạn nộp: trước ngày {written})"
    )
    if decree:
        late = "trùng ngày cuối cùng của hạn nộp" if same else "muộn hơn hạn nộp"
        text += f"; mốc chốt {decree} của Nghị định 09/2019/NĐ-CP {late}"
    return text


def state_early(last: str, written: str, decree: str) -> str:
    return (
        f"Kết thúc trước hạn nộp báo cáo vì hạn nộp sớm hơn mốc chốt {decree} của Nghị định "
        f"09/2019/NĐ-CP: chốt số liệu 5 ngày trước ngày cuối cùng của hạn nộp {last} "
        f"(hạn nộp: trước ngày {written})"
    )


def rows(info: PlanInfo, upto: date = END_2027) -> list[tuple]:
    return [
        (p.id, p.due, p.due_text, p.cutoff_start, p.cutoff_end, p.cutoff_reason)
        for p in plan_periods(info, upto)
    ]


@pytest.fixture(scope="module")
def bim_son() -> PlanInfo:
    return load_sample("bim-son").info


@pytest.fixture(scope="module")
def thong_nhat() -> PlanInfo:
    return load_sample("thong-nhat").info


@pytest.fixture(scope="module")
def phuoc_long() -> PlanInfo:
    return load_sample("phuoc-long").info


def test_bim_son_periods_2025_to_2027(bim_son):
    """Party plan: each window ends 5 days before the last on-time day; Q2 goes into H1,
    Q4 into the yearly report; nothing before the plan of 13/5/2025 (2025-Q1's data
    closed on 14/3). The 6-month report is the first half: the second is the yearly one."""
    assert rows(bim_son) == [
        ("2025-H1", date(2025, 6, 14), "trước ngày 15/06/2025", date(2024, 11, 20), date(2025, 6, 9),
         party("14/06/2025", "15/06/2025", "14/06/2025", same=True)),
        ("2025-Q3", date(2025, 9, 19), "trước ngày 20/09/2025", date(2025, 6, 15), date(2025, 9, 14),
         party("19/09/2025", "20/09/2025")),
        ("2025-Y", date(2025, 11, 24), "trước ngày 25/11/2025", date(2024, 11, 20), date(2025, 11, 19),
         party("24/11/2025", "25/11/2025", "14/12/2025")),
        ("2026-Q1", date(2026, 3, 19), "trước ngày 20/03/2026", date(2025, 12, 15), date(2026, 3, 14),
         party("19/03/2026", "20/03/2026")),
        ("2026-H1", date(2026, 6, 14), "trước ngày 15/06/2026", date(2025, 11, 20), date(2026, 6, 9),
         party("14/06/2026", "15/06/2026", "14/06/2026", same=True)),
        ("2026-Q3", date(2026, 9, 19), "trước ngày 20/09/2026", date(2026, 6, 15), date(2026, 9, 14),
         party("19/09/2026", "20/09/2026")),
        ("2026-Y", date(2026, 11, 24), "trước ngày 25/11/2026", date(2025, 11, 20), date(2026, 11, 19),
         party("24/11/2026", "25/11/2026", "14/12/2026")),
        ("2027-Q1", date(2027, 3, 19), "trước ngày 20/03/2027", date(2026, 12, 15), date(2027, 3, 14),
         party("19/03/2027", "20/03/2027")),
        ("2027-H1", date(2027, 6, 14), "trước ngày 15/06/2027", date(2026, 11, 20), date(2027, 6, 9),
         party("14/06/2027", "15/06/2027", "14/06/2027", same=True)),
        ("2027-Q3", date(2027, 9, 19), "trước ngày 20/09/2027", date(2027, 6, 15), date(2027, 9, 14),
         party("19/09/2027", "20/09/2027")),
        ("2027-Y", date(2027, 11, 24), "trước ngày 25/11/2027", date(2026, 11, 20), date(2027, 11, 19),
         party("24/11/2027", "25/11/2027", "14/12/2027")),
    ]  # fmt: skip


def test_bim_son_yearly_cutoff_ends_before_25_11_and_says_why(bim_son):
    y = valid_period(bim_son, "2026-Y", date(2026, 12, 31))
    assert (y.cutoff_start, y.cutoff_end, y.due) == (
        date(2025, 11, 20), date(2026, 11, 19), date(2026, 11, 24)
    )  # fmt: skip
    assert y.cutoff_end < date(2026, 11, 25)
    assert y.cutoff_reason == (
        "Văn bản của Đảng, không áp dụng Nghị định 09/2019/NĐ-CP: chốt số liệu 5 ngày trước ngày "
        "cuối cùng của hạn nộp 24/11/2026 (hạn nộp: trước ngày 25/11/2026); mốc chốt 14/12/2026 "
        "của Nghị định 09/2019/NĐ-CP muộn hơn hạn nộp"
    )


def test_bim_son_merges_q2_and_q4_unless_the_plan_says_otherwise(bim_son):
    ids = [p.id for p in plan_periods(bim_son, END_2027)]
    assert "2026-Q2" not in ids and "2026-Q4" not in ids
    q2 = period_of(bim_son, "2026-Q2")
    assert merged_into(bim_son, q2).id == "2026-H1"
    assert merged_into(bim_son, period_of(bim_son, "2026-Q4")).id == "2026-Y"
    assert merged_into(bim_son, period_of(bim_son, "2026-Q3")) is None

    separate = replace(bim_son, merge_shorter=False)
    assert [p.id for p in plan_periods(separate, END_2027)] == [
        "2025-H1", "2025-Q2", "2025-Q3", "2025-Y", "2025-Q4",
        "2026-Q1", "2026-H1", "2026-Q2", "2026-Q3", "2026-Y", "2026-Q4",
        "2027-Q1", "2027-H1", "2027-Q2", "2027-Q3", "2027-Y", "2027-Q4",
    ]  # fmt: skip
    q2 = valid_period(separate, "2026-Q2", END_2027)
    assert (q2.due, q2.cutoff_start, q2.cutoff_end) == (
        date(2026, 6, 19), date(2026, 3, 15), date(2026, 6, 14)
    )  # fmt: skip
    q4 = valid_period(separate, "2026-Q4", END_2027)
    assert (q4.due, q4.cutoff_start, q4.cutoff_end) == (
        date(2026, 12, 19), date(2026, 9, 15), date(2026, 12, 14)
    )  # fmt: skip


def test_thong_nhat_periods_2025_to_2027(thong_nhat):
    """State plan of 18/11/2025: no 2025-H1 (its data closed on 4/6/2025); every due
    date is before the Decree 09 cut-off, so every window ends 5 days before it."""
    assert rows(thong_nhat) == [
        ("2025-Y", date(2025, 12, 4), "trước ngày 05/12/2025", date(2024, 11, 30), date(2025, 11, 29),
         state_early("04/12/2025", "05/12/2025", "14/12/2025")),
        ("2026-H1", date(2026, 6, 9), "trước ngày 10/06/2026", date(2025, 11, 30), date(2026, 6, 4),
         state_early("09/06/2026", "10/06/2026", "14/06/2026")),
        ("2026-Y", date(2026, 12, 4), "trước ngày 05/12/2026", date(2025, 11, 30), date(2026, 11, 29),
         state_early("04/12/2026", "05/12/2026", "14/12/2026")),
        ("2027-H1", date(2027, 6, 9), "trước ngày 10/06/2027", date(2026, 11, 30), date(2027, 6, 4),
         state_early("09/06/2027", "10/06/2027", "14/06/2027")),
        ("2027-Y", date(2027, 12, 4), "trước ngày 05/12/2027", date(2026, 11, 30), date(2027, 11, 29),
         state_early("04/12/2027", "05/12/2027", "14/12/2027")),
    ]  # fmt: skip
    assert effective_policy(thong_nhat) is CutoffPolicy.DECREE_09


def test_phuoc_long_one_year_plan(phuoc_long):
    """Plan for 2026 (end 31/12/2026): two reports, nothing in 2027."""
    assert phuoc_long.end == date(2026, 12, 31)
    assert rows(phuoc_long) == [
        ("2026-H1", date(2026, 6, 29), "trước ngày 30/06/2026", date(2025, 12, 20), date(2026, 6, 24),
         party("29/06/2026", "30/06/2026")),
        ("2026-Y", date(2026, 12, 24), "trước ngày 25/12/2026", date(2025, 12, 20), date(2026, 12, 19),
         party("24/12/2026", "25/12/2026")),
    ]  # fmt: skip
    assert not [p for p in plan_periods(phuoc_long, date(2030, 12, 31)) if p.year >= 2027]
    open_ended = replace(phuoc_long, end=None)
    assert [p.id for p in plan_periods(open_ended, END_2027)][-2:] == ["2027-H1", "2027-Y"]


def test_a_shorter_report_is_not_merged_into_one_the_plan_does_not_owe(bim_son):
    """Plan of 12/6/2025: H1 2025's data closed on 9/6, so Q2 2025 (to 14/6) is made."""
    late = replace(bim_son, start=date(2025, 6, 12))
    assert [p.id for p in plan_periods(late, date(2025, 12, 31))] == [
        "2025-Q2",
        "2025-Q3",
        "2025-Y",
    ]
    assert merged_into(late, period_of(late, "2025-Q2")) is None
    assert merged_into(late, period_of(late, "2026-Q2")).id == "2026-H1"


def test_state_plan_due_after_the_decree_cutoff_keeps_the_decree_window():
    info = PlanInfo(
        "12/KH-UBND", "x", date(2026, 1, 5),
        reporting=[ReportingRule(Frequency.QUARTER, 20, 0), ReportingRule(Frequency.MONTH, 20, 0)],
    )  # fmt: skip
    assert not is_party_plan(info)
    q1 = valid_period(info, "2026-Q1", date(2026, 12, 31))
    assert (q1.cutoff_start, q1.cutoff_end, q1.due) == (
        date(2025, 12, 15), date(2026, 3, 14), date(2026, 3, 19)
    )  # fmt: skip
    assert q1.cutoff_reason == DECREE_09_REASON == "Theo Nghị định 09/2019/NĐ-CP"
    m01 = valid_period(info, "2026-M01", date(2026, 12, 31))
    assert (m01.cutoff_start, m01.cutoff_end) == (date(2025, 12, 15), date(2026, 1, 14))
    # March is merged into the first quarter (both end on 31/3, Q1 due with it).
    ids = [p.id for p in plan_periods(info, date(2026, 6, 30))]
    assert ids == ["2026-M01", "2026-M02", "2026-Q1", "2026-M04", "2026-M05", "2026-Q2"]


def test_policy_settings_and_party_from_the_number():
    assert is_party_plan(PlanInfo("261-KH/TU", "x"))
    assert is_party_plan(PlanInfo("05-KH/BCĐ", "x"))
    assert not is_party_plan(PlanInfo("4888/KH-UBND", "x"))
    assert not is_party_plan(PlanInfo("", "x"))
    assert is_party_plan(PlanInfo("4888/KH-UBND", "x", style=DocumentStyle.PARTY))
    rules = [ReportingRule(Frequency.YEAR, 25, -1)]
    party_decree = PlanInfo("1-KH/ĐU", "x", date(2025, 1, 1), reporting=rules,
                            cutoff_policy=CutoffPolicy.DECREE_09)  # fmt: skip
    y = valid_period(party_decree, "2026-Y", date(2026, 12, 31))
    assert y.cutoff_end == date(2026, 11, 19)  # the Decree's 14/12 is after the due date
    assert y.cutoff_reason.startswith(
        "Kết thúc trước hạn nộp báo cáo vì hạn nộp sớm hơn mốc chốt 14/12/2026"
    )
    explicit = replace(party_decree, number="2/KH-UBND", cutoff_policy=CutoffPolicy.BEFORE_DUE,
                       cutoff_lead_days=3, reporting=[ReportingRule(Frequency.QUARTER, 20, 0)])  # fmt: skip
    q1 = valid_period(explicit, "2026-Q1", date(2026, 12, 31))
    assert (q1.cutoff_start, q1.cutoff_end) == (date(2025, 12, 17), date(2026, 3, 16))
    assert q1.cutoff_reason == (
        "Theo kế hoạch: chốt số liệu 3 ngày trước ngày cuối cùng của hạn nộp 19/03/2026 "
        "(hạn nộp: trước ngày 20/03/2026)"
    )
    # A Party report due after its month: the window stops at the month's end.
    monthly = PlanInfo("3-KH/ĐU", "x", date(2025, 1, 1),
                       reporting=[ReportingRule(Frequency.MONTH, 10, 1, strict=False)])  # fmt: skip
    jan = valid_period(monthly, "2026-M01", date(2026, 12, 31))
    assert (jan.cutoff_start, jan.cutoff_end, jan.due) == (
        date(2026, 1, 1), date(2026, 1, 31), date(2026, 2, 10)
    )  # fmt: skip
    assert jan.cutoff_reason == (
        "Văn bản của Đảng, không áp dụng Nghị định 09/2019/NĐ-CP: chốt số liệu đến hết kỳ báo cáo "
        "31/01/2026 (hạn nộp: chậm nhất ngày 10/02/2026)"
    )


def test_periods_the_plan_does_not_have_are_refused_with_the_list(bim_son, thong_nhat):
    upto = date(2026, 7, 1)
    listed = " Các kỳ hợp lệ: 2025-H1, 2025-Q3, 2025-Y, 2026-Q1, 2026-H1, 2026-Q3, 2026-Y."
    with pytest.raises(UserError) as err:
        valid_period(bim_son, "2026-M05", upto)
    assert err.value.message == "Kỳ 2026-M05 không thuộc chế độ báo cáo của kế hoạch." + listed
    with pytest.raises(UserError) as err:
        valid_period(bim_son, "1999-Q1", upto)
    assert err.value.message == (
        "Kỳ 1999-Q1 (Quý I/1999) chốt số liệu ngày 14/03/1999, trước khi kế hoạch bắt đầu "
        "(13/05/2025)." + listed
    )
    with pytest.raises(UserError) as err:
        valid_period(bim_son, "2026-Q2", upto)
    assert err.value.message == (
        "Kỳ 2026-Q2 (Quý II/2026) được gộp vào báo cáo 6 tháng đầu năm 2026 (2026-H1) theo chế "
        "độ báo cáo của kế hoạch." + listed
    )
    with pytest.raises(
        UserError, match=r"^Kỳ 2026-Q3 \(Quý III/2026\) chưa bắt đầu \(từ ngày 01/07/2026\)\."
    ):
        valid_period(bim_son, "2026-Q3", date(2026, 6, 30))
    with pytest.raises(
        UserError, match=r"^Kỳ 2025-H1 \(6 tháng đầu năm 2025\) chốt số liệu ngày 04/06/2025"
    ):
        valid_period(thong_nhat, "2025-H1", upto)
    with pytest.raises(
        UserError, match=r"^Kỳ 2026-H2: báo cáo 6 tháng cuối năm là báo cáo năm \(2026-Y\)\."
    ):
        valid_period(thong_nhat, "2026-H2", upto)
    with pytest.raises(UserError, match="không hợp lệ. Dạng đúng"):
        valid_period(bim_son, "2026-Q9", upto)
    assert valid_period(bim_son, "2026-h1", upto).id == "2026-H1"


def test_after_the_end_of_a_one_year_plan(phuoc_long):
    with pytest.raises(UserError) as err:
        valid_period(phuoc_long, "2027-H1", date(2027, 12, 31))
    assert err.value.message == (
        "Kỳ 2027-H1 (6 tháng đầu năm 2027) ở sau khi kế hoạch kết thúc (31/12/2026). "
        "Các kỳ hợp lệ: 2026-H1, 2026-Y."
    )


def test_previous_report_is_the_one_before_in_the_regime(bim_son, thong_nhat, phuoc_long):
    def prev(info, pid):
        p = previous_report(info, period_of(info, pid))
        return p.id if p else None

    assert prev(thong_nhat, "2026-H1") == "2025-Y"  # never an H2 the regime does not make
    assert prev(thong_nhat, "2026-Y") == "2026-H1"
    assert prev(thong_nhat, "2025-Y") is None  # the plan's first report
    assert prev(bim_son, "2026-Q3") == "2026-H1"  # Q2 is merged into H1
    assert prev(bim_son, "2026-H1") == "2026-Q1"
    assert prev(bim_son, "2026-Q1") == "2025-Y"
    assert prev(bim_son, "2025-H1") is None
    assert prev(replace(bim_son, merge_shorter=False), "2026-Q3") == "2026-Q2"
    assert prev(phuoc_long, "2026-H1") is None  # 2025-Y is before the plan
    assert prev(phuoc_long, "2026-Y") == "2026-H1"


def test_current_and_owed_periods_honour_start_and_end(bim_son, thong_nhat, phuoc_long):
    assert current_period(thong_nhat, date(2025, 6, 1)).id == "2025-Y"  # not 2025-H1
    assert current_period(bim_son, date(2026, 3, 1)).id == "2026-Q1"
    assert current_period(bim_son, date(2026, 3, 20)).id == "2026-H1"
    assert current_period(bim_son, date(2026, 11, 24)).id == "2026-Y"
    assert current_period(bim_son, date(2026, 11, 25)).id == "2027-Q1"  # Q4 is in the yearly
    assert current_period(phuoc_long, date(2026, 12, 24)).id == "2026-Y"
    assert current_period(phuoc_long, date(2026, 12, 25)) is None  # the plan is over
    assert current_period(PlanInfo("1", "x"), date(2026, 1, 1)) is None

    assert [p.id for p in owed_periods(thong_nhat, date(2026, 6, 10))] == ["2025-Y", "2026-H1"]
    assert [p.id for p in owed_periods(thong_nhat, date(2026, 6, 9))] == ["2025-Y"]  # on time
    assert [p.id for p in owed_periods(thong_nhat, date(2026, 7, 1), sent={"2025-Y"})] == [
        "2026-H1"
    ]
    assert [p.id for p in owed_periods(phuoc_long, date(2028, 1, 1))] == ["2026-H1", "2026-Y"]


def test_as_of_is_the_earlier_of_report_date_and_window_end(bim_son):
    y = period_of(bim_son, "2026-Y")
    assert as_of(y, date(2026, 11, 10)) == date(2026, 11, 10)
    assert as_of(y, date(2026, 11, 23)) == date(2026, 11, 19)
    assert as_of(y, date(2026, 11, 19)) == date(2026, 11, 19)


def _review(**changes) -> AdHocReport:
    base = AdHocReport(PeriodKind.REVIEW, "  Báo cáo sơ kết\n6 tháng ", date(2026, 1, 1),
                       date(2026, 6, 30), date(2026, 7, 10), id="2026-A01")  # fmt: skip
    return replace(base, **changes)


def test_ad_hoc_reports_join_the_regime_in_due_order(thong_nhat):
    review = check_ad_hoc(_review())
    assert review.title == "Báo cáo sơ kết 6 tháng"
    request = check_ad_hoc(
        AdHocReport(
            PeriodKind.AD_HOC,
            "Báo cáo đột xuất theo Công văn số 15/UBND-VP",
            date(2026, 3, 1),
            date(2026, 3, 31),
            date(2026, 4, 3),
            strict=False,
            id="2026-A02",
        )  # fmt: skip
    )
    info = replace(thong_nhat, ad_hoc=[review, request])
    periods = plan_periods(info, date(2026, 12, 31))
    assert [p.id for p in periods] == ["2025-Y", "2026-A02", "2026-H1", "2026-A01", "2026-Y"]
    a01 = valid_period(info, "2026-a01", date(2026, 1, 1))  # listed whatever `upto`
    assert (a01.kind, a01.label, a01.cutoff_start, a01.cutoff_end, a01.due, a01.due_text) == (
        PeriodKind.REVIEW, "Báo cáo sơ kết 6 tháng", date(2026, 1, 1), date(2026, 6, 30),
        date(2026, 7, 9), "trước ngày 10/07/2026",
    )  # fmt: skip
    assert a01.cutoff_reason == "Theo thời gian sơ kết, tổng kết đã định"
    a02 = period_of(info, "2026-A02")
    assert (a02.due, a02.due_text) == (date(2026, 4, 3), "chậm nhất ngày 03/04/2026")
    assert a02.cutoff_reason == "Theo văn bản yêu cầu báo cáo"
    # Ad-hoc reports are nobody's "Kỳ trước"; theirs is the regular report before them.
    assert previous_report(info, period_of(info, "2026-H1")).id == "2025-Y"
    assert previous_report(info, a01).id == "2026-H1"
    with pytest.raises(UserError) as err:
        valid_period(info, "2026-A03", date(2026, 12, 31))
    assert err.value.message == (
        "Không có báo cáo đột xuất, sơ kết mã '2026-A03' trong kế hoạch. "
        "Các kỳ hợp lệ: 2025-Y, 2026-A02, 2026-H1, 2026-A01, 2026-Y."
    )
    with pytest.raises(UserError, match="Các kỳ hợp lệ: 2026-A01, 2026-A02.$"):
        period_of(info, "2026-A03")  # no date to list the regular ones by


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": " \n "}, "chưa có tên báo cáo"),
        ({"kind": PeriodKind.REGULAR}, "loại báo cáo phải là"),
        ({"kind": "weekly"}, "loại báo cáo phải là"),
        ({"start": date(2026, 7, 1)}, "ngày bắt đầu chốt số liệu (01/07/2026) sau ngày kết thúc"),
        ({"deadline": date(2026, 6, 30)}, "sau hạn nộp (trước ngày 30/06/2026)"),
        ({"id": "2026-Q1"}, "không phải mã báo cáo đột xuất"),
        ({"end": "2026-06-30"}, "ngày 'end' không hợp lệ"),
    ],
)
def test_bad_ad_hoc_reports(changes, message):
    with pytest.raises(UserError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_ad_hoc(_review(**changes))


# -- plan JSON -------------------------------------------------------------------------


def test_plan_json_carries_the_regime(phuoc_long):
    plan = load_sample("phuoc-long")
    doc = plan_to_json(plan)
    assert {k: doc["plan"][k] for k in REGIME_KEYS} == {
        "start": None, "end": "2026-12-31", "style": "party", "merge_shorter": True,
        "cutoff_policy": "auto", "cutoff_lead_days": 5, "ad_hoc": [],
    }  # fmt: skip
    assert doc["plan"]["reporting"][0] == {
        "frequency": "half", "due_day": 30, "due_month_offset": 0, "strict": True,
    }  # fmt: skip
    plan.info = replace(
        plan.info, start=date(2026, 2, 1), merge_shorter=False,
        cutoff_policy=CutoffPolicy.BEFORE_DUE, cutoff_lead_days=7,
        reporting=[ReportingRule(Frequency.HALF, 30, 0, strict=False)],
        ad_hoc=[check_ad_hoc(_review())],
    )  # fmt: skip
    doc = plan_to_json(plan)
    assert doc["plan"]["ad_hoc"] == [
        {"id": "2026-A01", "kind": "review", "title": "Báo cáo sơ kết 6 tháng",
         "start": "2026-01-01", "end": "2026-06-30", "deadline": "2026-07-10", "strict": True}
    ]  # fmt: skip
    schema = json.loads((resources_dir() / "schema" / "plan.schema.json").read_text("utf-8"))
    jsonschema.validate(doc, schema)
    back = plan_from_json(json.loads(json.dumps(doc))).info
    assert back == plan.info


def test_plan_json_without_regime_keys_gets_the_defaults():
    doc = plan_to_json(load_sample("thong-nhat"))
    for key in REGIME_KEYS:
        del doc["plan"][key]
    for rule in doc["plan"]["reporting"]:
        del rule["strict"]
    info = plan_from_json(doc).info
    assert (info.start, info.end, info.style, info.merge_shorter, info.cutoff_policy,
            info.cutoff_lead_days, info.ad_hoc) == (
        None, None, None, True, CutoffPolicy.AUTO, 5, [])  # fmt: skip
    assert all(r.strict for r in info.reporting)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda p: p.update(end="31/12/2026"), "plan.end: '31/12/2026' không phải ngày"),
        (lambda p: p.update(end="2025-01-01"), "plan.end: ngày kết thúc trước ngày bắt đầu"),
        (lambda p: p.update(merge_shorter="có"), "plan.merge_shorter: phải là true hoặc false"),
        (lambda p: p.update(cutoff_policy="soon"), "plan.cutoff_policy: 'soon' không hợp lệ"),
        (lambda p: p.update(cutoff_lead_days=0), "plan.cutoff_lead_days: phải là số ngày"),
        (lambda p: p["reporting"][0].update(strict="yes"), "Chế độ báo cáo không hợp lệ"),
        (lambda p: p.update(ad_hoc=[{"kind": "review", "title": "Sơ kết", "start": "2026-01-01",
                                     "end": "2026-06-30"}]), "plan.ad_hoc[0].deadline: thiếu"),
        (lambda p: p.update(ad_hoc=[{"kind": "review", "title": "Sơ kết", "start": "2026-07-01",
                                     "end": "2026-06-30", "deadline": "2026-07-10"}]),
         "plan.ad_hoc[0]: ngày bắt đầu chốt số liệu"),
        (lambda p: p.update(ad_hoc=[{"id": "2026-Y", "kind": "review", "title": "Sơ kết",
                                     "start": "2026-01-01", "end": "2026-06-30",
                                     "deadline": "2026-07-10"}]), "plan.ad_hoc[0].id: '2026-Y'"),
    ],
)  # fmt: skip
def test_bad_regime_json_names_the_place(mutate, message):
    doc = plan_to_json(load_sample("phuoc-long"))
    mutate(doc["plan"])
    with pytest.raises(UserError) as err:
        plan_from_json(doc)
    assert message in err.value.message


# -- storage -------------------------------------------------------------------------


def test_a_version_5_file_upgrades_with_meaningful_defaults(tmp_path):
    path = tmp_path / "v5.sqlite"
    shutil.copy(DATA / "schema_v5.sqlite", path)
    with Store.open(path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        regime = store.regime
        info = regime.regime_info()
        assert (info.start, info.end, info.style, info.merge_shorter, info.cutoff_policy,
                info.cutoff_lead_days, info.ad_hoc) == (
            None, None, None, True, CutoffPolicy.AUTO, 5, [])  # fmt: skip
        assert info.reporting == [ReportingRule(Frequency.HALF, 10, 0, strict=True)]
        row = store.db["plan_info"].get(1)
        assert json.loads(row["reporting"]) == [
            {"frequency": "half", "due_day": 10, "due_month_offset": 0, "strict": True}
        ]
        assert store.db["ad_hoc_period"].count == 0
        # The file's plan has no date: its periods begin with the year asked for.
        assert [p.id for p in regime.regime_periods(date(2026, 12, 31))] == ["2026-H1", "2026-H2"]
        assert store.entries.indicator_values("2026-H1")  # the old entries are still there
        # Saving the header unchanged records nothing: the migration wrote the new shape.
        assert not store.plan.update_info(store.plan.info()).changed


def test_regime_settings_are_stored_and_audited(bim_son_store):
    regime = bim_son_store.regime
    info = regime.regime_info()
    assert (info.merge_shorter, info.cutoff_policy, info.style) == (
        True, CutoffPolicy.AUTO, DocumentStyle.PARTY
    )  # fmt: skip
    change = regime.set_regime(merge_shorter=False, end=date(2030, 12, 31), style=None)
    assert change == Change(
        Subject.PLAN_INFO, 1, fields=frozenset({"merge_shorter", "end_date", "style"})
    )
    info = regime.regime_info()
    assert (info.merge_shorter, info.end, info.style) == (False, date(2030, 12, 31), None)
    assert is_party_plan(info)  # 261-KH/TU: read from the number
    assert info.number == "261-KH/TU" and info.reporting  # the rest is kept
    assert "2026-Q2" in [p.id for p in regime.regime_periods(date(2026, 12, 31))]
    entries = {e.field: (e.old, e.new) for e in bim_son_store.history(table="plan_info")}
    assert entries["merge_shorter"] == (1, 0)
    assert entries["end_date"] == (None, "2030-12-31")
    assert entries["style"] == ("party", None)
    assert not regime.set_regime(merge_shorter=False).changed  # nothing to record
    with pytest.raises(UserError, match="Ngày kết thúc kế hoạch"):
        regime.set_regime(end=date(2020, 1, 1))
    with pytest.raises(UserError, match="từ 1 đến 60"):
        regime.set_regime(cutoff_lead_days=0)
    with pytest.raises(UserError, match="không hợp lệ"):
        regime.set_regime(cutoff_policy="soon")
    # The columns are plan_info's: Ctrl+Z puts the last change back like any header edit.
    regime.set_regime(cutoff_lead_days=7)
    assert undo_last(bim_son_store) is not None
    assert regime.regime_info().cutoff_lead_days == 5


def test_ad_hoc_report_added_listed_parsed_stored_and_audited(bim_son_store):
    regime = bim_son_store.regime
    review = _review(id=None)
    change = regime.add_ad_hoc(review)
    assert (change.subject, change.item, change.action) == (
        Subject.AD_HOC_PERIOD,
        "2026-A01",
        Action.INSERT,
    )
    request = AdHocReport(PeriodKind.AD_HOC, "Báo cáo đột xuất theo Công văn số 15/UBND-VP",
                          date(2026, 3, 1), date(2026, 3, 31), date(2026, 4, 3), strict=False)  # fmt: skip
    assert regime.add_ad_hoc(request).item == "2026-A02"
    stored = regime.ad_hoc_reports()
    assert [(r.id, r.title) for r in stored] == [
        ("2026-A02", "Báo cáo đột xuất theo Công văn số 15/UBND-VP"),
        ("2026-A01", "Báo cáo sơ kết 6 tháng"),
    ]
    info = regime.regime_info()
    ids = [p.id for p in plan_periods(info, date(2026, 12, 31)) if p.year == 2026]
    assert ids == ["2026-Q1", "2026-A02", "2026-H1", "2026-A01", "2026-Q3", "2026-Y"]
    assert (
        parse_period_id("2026-A01", info.reporting, info.ad_hoc).label == "Báo cáo sơ kết 6 tháng"
    )
    assert valid_period(info, "2026-A02", date(2026, 12, 31)).due == date(2026, 4, 3)

    audit = bim_son_store.history(table="ad_hoc_period")
    assert [(e.row_key, e.action) for e in audit] == [
        ("2026-A02", "insert"),
        ("2026-A01", "insert"),
    ]
    assert audit[1].new["title"] == "Báo cáo sơ kết 6 tháng"

    change = regime.update_ad_hoc("2026-a01", title="Báo cáo sơ kết 6 tháng đầu năm 2026",
                                  deadline=date(2026, 7, 15))  # fmt: skip
    assert change.fields == frozenset({"title", "deadline"})
    assert regime.ad_hoc_report("2026-A01").deadline == date(2026, 7, 15)
    assert {e.field for e in bim_son_store.history(table="ad_hoc_period", row_key="2026-A01")} == {
        "*", "title", "deadline"
    }  # fmt: skip
    with pytest.raises(UserError, match="sau hạn nộp"):
        regime.update_ad_hoc("2026-A01", end=date(2026, 7, 20))
    with pytest.raises(UserError, match="Không sửa được trường id"):
        regime.update_ad_hoc("2026-A01", id="2026-A09")

    # A report with entries is not deleted; one without is, with an audit entry.
    # (written directly: entering values for an ad-hoc id is the store wiring's part)
    ind = bim_son_store.plan.load().indicators()[0]
    bim_son_store.db["indicator_value"].insert(
        {"period_id": "2026-A01", "indicator_id": ind.id, "value": "50.0"}
    )
    with pytest.raises(UserError, match="đã có số liệu"):
        regime.delete_ad_hoc("2026-A01")
    assert regime.delete_ad_hoc("2026-A02").action == "delete"
    assert [r.id for r in regime.ad_hoc_reports()] == ["2026-A01"]
    assert bim_son_store.history(table="ad_hoc_period")[0].action == "delete"
    assert regime.add_ad_hoc(request).item == "2026-A02"  # the number is free again
    with pytest.raises(UserError, match="Đã có báo cáo mã '2026-A01'"):
        regime.add_ad_hoc(_review())
    with pytest.raises(UserError, match="Không có báo cáo đột xuất, sơ kết mã '2026-A07'"):
        regime.update_ad_hoc("2026-A07", title="x")


def test_a_closed_ad_hoc_report_keeps_its_window(bim_son_store):
    regime = bim_son_store.regime
    regime.add_ad_hoc(_review(id=None))
    bim_son_store.db["period_state"].insert(
        {"period_id": "2026-A01", "state": "sent", "changed_at": "2026-07-09T08:00:00+07:00"}
    )
    with pytest.raises(UserError, match="đã chốt hoặc đã gửi"):
        regime.update_ad_hoc("2026-A01", end=date(2026, 6, 15))
