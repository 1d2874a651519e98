from datetime import date

import pytest

from app.models.errors import UserError
from app.models.periods import (
    ad_hoc_id,
    current_period,
    make_period,
    parse_period_id,
    periods_for,
    split_period_id,
)
from app.models.plan import AdHocReport, Frequency, PeriodKind, ReportingRule

BIM_SON = [
    ReportingRule(Frequency.QUARTER, 20, 0),
    ReportingRule(Frequency.HALF, 15, 0),
    ReportingRule(Frequency.YEAR, 25, -1),
]
THONG_NHAT = [ReportingRule(Frequency.HALF, 10, 0), ReportingRule(Frequency.YEAR, 5, 0)]


def test_nghi_dinh_09_cutoffs():
    m = parse_period_id("2026-M03")
    assert (m.cutoff_start, m.cutoff_end) == (date(2026, 2, 15), date(2026, 3, 14))
    jan = parse_period_id("2026-M01")
    assert (jan.cutoff_start, jan.cutoff_end) == (date(2025, 12, 15), date(2026, 1, 14))
    q1 = parse_period_id("2026-Q1")
    assert (q1.cutoff_start, q1.cutoff_end) == (date(2025, 12, 15), date(2026, 3, 14))
    q3 = parse_period_id("2026-Q3")
    assert (q3.cutoff_start, q3.cutoff_end) == (date(2026, 6, 15), date(2026, 9, 14))
    h1 = parse_period_id("2026-H1")
    assert (h1.cutoff_start, h1.cutoff_end) == (date(2025, 12, 15), date(2026, 6, 14))
    h2 = parse_period_id("2026-H2")
    assert (h2.cutoff_start, h2.cutoff_end) == (date(2026, 6, 15), date(2026, 12, 14))
    y = parse_period_id("2026-Y")
    assert (y.cutoff_start, y.cutoff_end) == (date(2025, 12, 15), date(2026, 12, 14))


def test_due_dates_from_the_seed_plans():
    """`due` is the last on-time day: the seeds write "trước ngày D", so D − 1."""
    due = {p.id: p.due for p in periods_for(BIM_SON, 2026, 2026)}
    assert due == {
        "2026-Q1": date(2026, 3, 19), "2026-Q2": date(2026, 6, 19), "2026-Q3": date(2026, 9, 19),
        "2026-Q4": date(2026, 12, 19), "2026-H1": date(2026, 6, 14), "2026-Y": date(2026, 11, 24),
    }  # fmt: skip
    due = {p.id: p.due for p in periods_for(THONG_NHAT, 2026, 2026)}
    assert due == {"2026-H1": date(2026, 6, 9), "2026-Y": date(2026, 12, 4)}
    texts = {p.id: p.due_text for p in periods_for(BIM_SON, 2026, 2026)}
    assert texts["2026-Q3"] == "trước ngày 20/09/2026"
    assert texts["2026-Y"] == "trước ngày 25/11/2026"


def test_inclusive_wording_keeps_the_day():
    """ "chậm nhất ngày D": D itself is the last on-time day."""
    rule = ReportingRule(Frequency.QUARTER, 20, 0, strict=False)
    q3 = make_period(rule, 2026, 3)
    assert (q3.due, q3.due_text) == (date(2026, 9, 20), "chậm nhất ngày 20/09/2026")
    assert ReportingRule(Frequency.YEAR, 25, -1).wording == "trước ngày"
    assert rule.wording == "chậm nhất ngày"


def test_due_day_past_the_month_end_is_its_last_day():
    feb = make_period(ReportingRule(Frequency.MONTH, 31, 0, strict=False), 2026, 2)
    assert feb.due == date(2026, 2, 28)
    strict = make_period(ReportingRule(Frequency.MONTH, 31, 0), 2026, 2)
    assert (strict.due, strict.due_text) == (date(2026, 2, 27), "trước ngày 28/02/2026")


def test_half_without_year_gives_both_halves():
    ids = [p.id for p in periods_for([ReportingRule(Frequency.HALF, 30, 0)], 2026, 2026)]
    assert ids == ["2026-H1", "2026-H2"]


def test_labels_and_ids_round_trip():
    for p in periods_for(BIM_SON + [ReportingRule(Frequency.MONTH, 20, 0)], 2025, 2026):
        assert parse_period_id(p.id, BIM_SON + [ReportingRule(Frequency.MONTH, 20, 0)]) == p
    assert parse_period_id("2026-Q1").label == "Quý I/2026"
    assert parse_period_id("2026-M03").label == "Tháng 3/2026"
    assert parse_period_id("2026-H1").label == "6 tháng đầu năm 2026"
    assert parse_period_id("2026-Y").title_label == "năm 2026"


@pytest.mark.parametrize(
    "text", ["2026-Q5", "2026-M13", "Q1-2026", "2026", "", "2026-A00", "2026-A1"]
)
def test_bad_period_ids(text):
    with pytest.raises(UserError):
        parse_period_id(text)


def test_current_period_is_next_due():
    assert current_period(BIM_SON, date(2026, 3, 1)).id == "2026-Q1"
    assert current_period(BIM_SON, date(2026, 3, 21)).id == "2026-H1"
    assert current_period(BIM_SON, date(2026, 11, 23)).id == "2026-Y"
    assert current_period(BIM_SON, date(2026, 11, 26)).id == "2026-Q4"
    assert current_period([], date(2026, 1, 1)) is None


def test_ad_hoc_ids_parse_with_the_stores_list():
    report = AdHocReport(PeriodKind.REVIEW, "Báo cáo sơ kết 6 tháng", date(2026, 1, 1),
                         date(2026, 6, 30), date(2026, 7, 10), id="2026-A01")  # fmt: skip
    assert split_period_id("2026-a01") == (None, 2026, 1)
    assert ad_hoc_id(2026, 1) == "2026-A01"
    p = parse_period_id("2026-A01", BIM_SON, ad_hoc=[report])
    assert (p.id, p.kind, p.frequency) == ("2026-A01", PeriodKind.REVIEW, None)
    assert (p.cutoff_start, p.cutoff_end) == (date(2026, 1, 1), date(2026, 6, 30))
    assert (p.due, p.due_text) == (date(2026, 7, 9), "trước ngày 10/07/2026")
    assert p.label == "Báo cáo sơ kết 6 tháng"
    assert p.title_label == "báo cáo sơ kết 6 tháng"
    with pytest.raises(UserError, match="2026-A02"):
        parse_period_id("2026-A02", BIM_SON, ad_hoc=[report])
    with pytest.raises(UserError, match="2026-A01"):
        parse_period_id("2026-A01")  # without the store's list it is not known
