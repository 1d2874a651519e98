"""What the period report says: values, previous period, counts, overdue, letterhead text."""

from datetime import date, datetime
from pathlib import Path

import pytest

from app.models.assessment import Assessment
from app.models.period_progress import period_progress
from app.models.plan import DocumentStyle
from app.models.progress import NarrativeSection, TaskStatus
from app.models.samples import fill_demo, load_sample
from app.models.store import Store
from app.reports.content import build_report
from app.reports.letterhead import number_line, recipient_lines

TODAY = date(2026, 4, 10)


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory):
    path: Path = tmp_path_factory.mktemp("content") / "bim-son.sqlite"
    plan = load_sample("bim-son")
    with Store.create(path, plan.office, plan) as store:
        fill_demo(store, TODAY)
        # "Kỳ trước" of 2026-Q1 is the yearly report 2025 (Q4 is merged into it)
        first = store.plan.load().indicators()[0]
        store.entries.set_indicator_value("2025-Y", first.id, 12.5)
        yield store


@pytest.fixture(scope="module")
def report(demo_store):
    return build_report(
        demo_store, "2026-Q1", TODAY, generated_at=datetime(2026, 4, 10, 9, 30).astimezone()
    )


def test_values_and_previous_period_come_from_the_store(demo_store, report):
    plan = demo_store.plan.load()
    assert [r.name for r in report.indicators] == [i.name for i in plan.indicators()]
    assert len(report.indicators) == 52 and len(report.tasks) == 21 + 83  # PL II + PL III
    current = demo_store.entries.indicator_values("2026-Q1")
    for ind, row in zip(plan.indicators(), report.indicators, strict=True):
        assert row.value == (current[ind.id].value if ind.id in current else None)
    assert report.previous.id == "2025-Y"
    assert report.indicators[0].previous == 12.5
    assert report.indicators[0].previous_text == "12,5%"
    before = demo_store.entries.indicator_values("2025-Y")
    for ind, row in list(zip(plan.indicators(), report.indicators, strict=True))[1:]:
        assert row.previous == (before[ind.id].value if ind.id in before else None)


def test_counts_and_overdue_match_the_period_progress(demo_store, report):
    progress = period_progress(demo_store, report.period, TODAY)
    assert [r.overdue for r in report.tasks] == [t.overdue for t in progress.tasks]
    assert [r.status for r in report.tasks] == [t.status for t in progress.tasks]
    assert report.overdue and all(not r.status.finished for r in report.overdue)
    assert sum(report.status_counts().values()) == 21 + 83
    assert sum(report.assessment_counts().values()) == 52
    assert report.assessment_counts()[Assessment.NO_DATA] == sum(
        1 for r in report.indicators if r.value is None
    )
    assert report.as_of == date(2026, 3, 14)  # the data window ended before the report's date
    assert report.data_window_line == (
        "Số liệu tính từ ngày 15/12/2025 đến ngày 14/03/2026; "
        "tình hình nhiệm vụ tính đến ngày 14/03/2026."
    )
    assert report.narrative[NarrativeSection.LEADERSHIP].startswith("Ban Chỉ đạo")


def test_status_carries_forward_but_each_period_has_its_own_result(tmp_path):
    plan = load_sample("bim-son")
    with Store.create(tmp_path / "x.sqlite", plan.office, plan) as store:
        task = store.plan.load().tasks()[0]  # "Tháng 5/2025": one product
        store.entries.set_task_progress(
            "2025-Y", task.id, status=TaskStatus.DONE, result="Đã ban hành"
        )
        report = build_report(store, "2026-Q1", TODAY)
    row = report.tasks[0]
    assert row.status is TaskStatus.DONE and not row.overdue
    assert (row.percent, row.result) == (None, "")  # nothing was reported for 2026-Q1 itself
    untouched = report.tasks[3]  # "Tháng 6/2025", never reported
    assert untouched.status is TaskStatus.NOT_REPORTED and untouched.overdue


def test_a_yearly_task_starts_each_year_without_last_years_status(tmp_path):
    plan = load_sample("thong-nhat")
    with Store.create(tmp_path / "tn.sqlite", plan.office, plan) as store:
        yearly = next(
            t for t in store.plan.load().tasks() if t.deadline and t.deadline.text == "Hằng năm"
        )
        store.entries.set_task_progress(
            "2025-Y", yearly.id, status=TaskStatus.DONE, result="Xong 2025"
        )
        same_year = period_progress(store, _period(store, "2025-Y"), date(2025, 12, 1))
        next_year = period_progress(store, _period(store, "2026-H1"), date(2026, 6, 1))
    state = next(t for t in same_year.tasks if t.task.id == yearly.id)
    assert state.status is TaskStatus.DONE and state.reported_this_period
    state = next(t for t in next_year.tasks if t.task.id == yearly.id)
    assert state.status is TaskStatus.NOT_REPORTED and not state.overdue  # due by 31/12/2026


def _period(store, pid):  # noqa: ANN001, ANN202
    from app.models.regime import period_of

    return period_of(store.regime.regime_info(), pid)


def test_title_and_letterhead_text(report):
    # A short trích yếu: the plan by its number, the period in lower case mid-sentence.
    assert report.summary == "Kết quả thực hiện Kế hoạch số 261-KH/TU quý I năm 2026"
    assert report.date_line == "Bỉm Sơn, ngày 10 tháng 4 năm 2026"
    assert report.addressee == "Ban Chỉ đạo Tỉnh về phát triển KHCN, ĐMST và CĐS"
    assert (
        number_line(report)
        == "Số\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0-BC/TU"
    )
    state = report.with_style(DocumentStyle.STATE)
    assert number_line(state).replace("\u00a0", "") == "Số:/BC-TU"
    lines = recipient_lines(report)
    assert lines[0] == "- Như trên;" and lines[-1] == "- Lưu: VP."
    assert all(line.endswith(";") for line in lines[:-1])


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 2, 5), "ngày 05 tháng 02 năm 2026"),
        (date(2025, 11, 18), "ngày 18 tháng 11 năm 2025"),
        (date(2026, 1, 9), "ngày 09 tháng 01 năm 2026"),
        (date(2026, 3, 1), "ngày 01 tháng 3 năm 2026"),
    ],
)
def test_date_line_leading_zeros(report, today, expected):
    from dataclasses import replace

    assert replace(report, today=today).date_line == f"Bỉm Sơn, {expected}"


@pytest.mark.parametrize(
    ("sample", "pid", "before"),
    [("bim-son", "2026-Q1", "2025-Y"), ("bim-son", "2026-H1", "2026-Q1"),
     ("bim-son", "2026-Q3", "2026-H1"), ("bim-son", "2026-Y", "2026-Q3"),
     ("thong-nhat", "2026-H1", "2025-Y"), ("thong-nhat", "2026-Y", "2026-H1")],
)  # fmt: skip
def test_previous_report_is_the_regimes(tmp_path, sample, pid, before):
    """ "Kỳ trước" is the report just before in the plan's regime, in the grid and outputs."""
    plan = load_sample(sample)
    with Store.create(tmp_path / "p.sqlite", plan.office, plan) as store:
        report = build_report(store, pid, date(2026, 12, 30))
    assert report.previous is not None and report.previous.id == before


def test_state_sample_without_parent_body(tmp_path):
    plan = load_sample("thong-nhat")
    with Store.create(tmp_path / "tn.sqlite", plan.office, plan) as store:
        report = build_report(store, "2026-H1", date(2026, 2, 5), package_id="abc")
    assert report.office.parent_body is None
    assert report.issuing_lines == ["ỦY BAN NHÂN DÂN", "XÃ THỐNG NHẤT"]
    assert report.doc_code == "UBND" and report.package_id == "abc"
    assert report.date_line == "Thống Nhất, ngày 05 tháng 02 năm 2026"
    assert report.addressee == "Sở Khoa học & Công nghệ"
    assert report.summary == "Kết quả thực hiện Kế hoạch số 4888/KH-UBND 6 tháng đầu năm 2026"
    assert all(r.value is None and r.assessment is Assessment.NO_DATA for r in report.indicators)


def test_office_name_inside_a_sentence(report):
    from dataclasses import replace

    other = replace(report, office=replace(report.office, name="Xã Thống Nhất"))
    assert other.office_in_sentence == "xã Thống Nhất"
    assert report.office_in_sentence == "Thị ủy Bỉm Sơn"
