"""What the period report says: values, previous period, counts, overdue, letterhead text."""

from datetime import date, datetime
from pathlib import Path

import pytest

from app.models.attainment import Attainment
from app.models.periods import parse_period_id
from app.models.plan import DocumentStyle
from app.models.progress import NarrativeSection, TaskStatus
from app.models.samples import fill_demo, load_sample
from app.models.store import Store
from app.models.tracking import task_states
from app.reports.content import build_report, previous_period
from app.reports.letterhead import number_line, recipient_lines

TODAY = date(2026, 4, 10)


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory):
    path: Path = tmp_path_factory.mktemp("content") / "bim-son.sqlite"
    plan = load_sample("bim-son")
    with Store.create(path, plan.office, plan) as store:
        fill_demo(store, TODAY)
        # a value in the previous quarter, to show in "Kỳ trước"
        first = store.plan.load().indicators()[0]
        store.entries.set_indicator_value("2025-Q4", first.id, 12.5)
        yield store


@pytest.fixture(scope="module")
def report(demo_store):
    return build_report(
        demo_store, "2026-Q1", TODAY, generated_at=datetime(2026, 4, 10, 9, 30).astimezone()
    )


def test_values_and_previous_period_come_from_the_store(demo_store, report):
    plan = demo_store.plan.load()
    assert [r.name for r in report.indicators] == [i.name for i in plan.indicators()]
    assert len(report.indicators) == 52 and len(report.tasks) == 83
    current = demo_store.entries.indicator_values("2026-Q1")
    for ind, row in zip(plan.indicators(), report.indicators, strict=True):
        assert row.value == (current[ind.id].value if ind.id in current else None)
    assert report.previous.id == "2025-Q4"
    assert report.indicators[0].previous == 12.5
    assert report.indicators[0].previous_text == "12,5%"
    assert all(r.previous is None for r in report.indicators[1:])


def test_counts_and_overdue_match_tracking(demo_store, report):
    plan = demo_store.plan.load()
    statuses = {t: p.status for t, p in demo_store.entries.task_progress("2026-Q1").items()}
    states = task_states(plan, statuses, report.period.end)
    assert [r.overdue for r in report.tasks] == [s.overdue for s in states]
    assert report.overdue and all(not r.status.finished for r in report.overdue)
    assert sum(report.status_counts().values()) == 83
    assert sum(report.attainment_counts().values()) == 52
    assert report.attainment_counts()[Attainment.NO_DATA] == sum(
        1 for r in report.indicators if r.value is None
    )
    assert report.narrative[NarrativeSection.LEADERSHIP].startswith("Ban Chỉ đạo")


def test_status_carries_forward_from_an_earlier_period(tmp_path):
    plan = load_sample("bim-son")
    with Store.create(tmp_path / "x.sqlite", plan.office, plan) as store:
        task = store.plan.load().tasks()[0]
        store.entries.set_task_progress(
            "2025-Q4", task.id, status=TaskStatus.DONE, result="Đã ban hành"
        )
        report = build_report(store, "2026-Q1", TODAY)
    row = report.tasks[0]
    assert row.status is TaskStatus.DONE and row.percent == 100 and not row.overdue
    assert row.result == "Đã ban hành"


def test_title_and_letterhead_text(report):
    assert report.summary.startswith(
        "Kết quả thực hiện Kế hoạch số 261-KH/TU ngày 13/5/2025 của Ban Thường vụ Thị ủy Bỉm Sơn "
        "thực hiện Nghị quyết số 57-NQ/TW"
    )
    assert report.summary.endswith("Quý I năm 2026")
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
    ("pid", "before"),
    [("2026-Q1", "2025-Q4"), ("2026-M01", "2025-M12"), ("2026-M03", "2026-M02"),
     ("2026-H1", "2025-H2"), ("2026-H2", "2026-H1"), ("2026-Y", "2025-Y")],
)  # fmt: skip
def test_previous_period_has_the_same_frequency(pid, before):
    assert previous_period(parse_period_id(pid), []).id == before


def test_state_sample_without_parent_body(tmp_path):
    plan = load_sample("thong-nhat")
    with Store.create(tmp_path / "tn.sqlite", plan.office, plan) as store:
        report = build_report(store, "2026-H1", date(2026, 2, 5), package_id="abc")
    assert report.office.parent_body is None
    assert report.issuing_lines == ["ỦY BAN NHÂN DÂN", "XÃ THỐNG NHẤT"]
    assert report.doc_code == "UBND" and report.package_id == "abc"
    assert report.date_line == "Thống Nhất, ngày 05 tháng 02 năm 2026"
    assert report.addressee == "Sở Khoa học & Công nghệ"
    assert report.summary.endswith("6 tháng đầu năm 2026")
    assert all(r.value is None and r.attainment is Attainment.NO_DATA for r in report.indicators)


def test_office_name_inside_a_sentence(report):
    from dataclasses import replace

    other = replace(report, office=replace(report.office, name="Xã Thống Nhất"))
    assert other.office_in_sentence == "xã Thống Nhất"
    assert report.office_in_sentence == "Thị ủy Bỉm Sơn"
