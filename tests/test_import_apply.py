"""Writing an import: first import, re-import keeping entered values, all-or-nothing."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from app.importers.apply import apply_import, plan_changes
from app.importers.plan_template import write_plan_template
from app.importers.workbook import read_plan_workbook
from app.models.errors import UserError
from app.models.plan import Indicator, IndicatorKind, Office, Target
from app.models.progress import TaskStatus
from app.models.samples import load_sample
from app.models.store import Store

from .workbooks import write_workbook


def _dump(store: Store) -> list[str]:
    return list(store.db.conn.iterdump())


def _shape(plan):
    groups = [(g.code, g.title, [(i.code, i.name, i.targets) for i in g.indicators])
              for g in plan.indicator_groups]  # fmt: skip
    tasks = [
        (g.code, g.title, [(t.code, t.name, t.deadline) for t in g.tasks]) for g in plan.task_groups
    ]
    return groups, tasks


def test_first_import_into_an_empty_file(tmp_path):
    sample = load_sample("bim-son")
    book = write_workbook(tmp_path / "bs.xlsx", sample)
    with Store.create(tmp_path / "new.sqlite", Office(name="Thị ủy Bỉm Sơn")) as store:
        changes = apply_import(store, read_plan_workbook(book))
        plan = store.plan.load()
        assert _shape(plan) == _shape(sample)
        assert plan.info.milestones == [2025, 2030, 2035, 2040, 2045]
        assert plan.info.number == "261-KH/TU"
        # 5 indicator groups, 52 indicators; Phụ lục II's body and Phụ lục III's 10 groups,
        # 21 + 83 tasks
        assert len(changes.added) == 5 + 52 + 1 + 10 + 21 + 83 and not changes.removed
        assert [a.code for a in plan.task_appendices] == ["II", "III"]
        assert store.history(limit=5)  # every write has its audit entry


@pytest.fixture
def corrected(tmp_path):
    """The Bỉm Sơn workbook after the office corrected it."""
    plan = copy.deepcopy(load_sample("bim-son"))
    groups = plan.indicator_groups
    four = groups[1].indicators[0]
    four.targets[2030] = Target(four.targets[2030].comparator, 1.8, None)
    three = groups[0].indicators[2]
    three.name = three.name.replace("băng rộng", "băng thông rộng")
    groups[4].indicators.pop()  # indicator 52 dropped
    groups[4].indicators.append(Indicator(code="53", name="Số điểm Wi-Fi công cộng", unit="Điểm",
                                          kind=IndicatorKind.COUNT, targets={2030: Target(None, 20.0)}))  # fmt: skip
    plan.task_groups[0].tasks[0].deadline = None
    return write_workbook(tmp_path / "corrected.xlsx", plan)


def test_reimport_keeps_entered_values_and_reports_changes(bim_son_store, corrected):
    store = bim_son_store
    before = store.plan.load()
    ids = {i.code: i.id for i in before.indicators()}
    store.entries.set_indicator_value("2025-Q1", ids["1"], 10)
    store.entries.set_indicator_value("2025-Q1", ids["3"], 25)
    store.entries.set_indicator_value("2025-Q1", ids["52"], 0.17)
    first_task = before.tasks()[0]
    store.entries.set_task_progress(
        "2025-Q1", first_task.id, status=TaskStatus.IN_PROGRESS, percent=40
    )

    changes = apply_import(store, read_plan_workbook(corrected))

    after = store.plan.load()
    by_code = {i.code: i for i in after.indicators()}
    assert by_code["3"].id == ids["3"] and "băng thông rộng" in by_code["3"].name
    assert by_code["4"].targets[2030].value == 1.8
    assert "52" not in by_code and by_code["53"].targets == {2030: Target(None, 20.0, None)}
    values = store.entries.indicator_values("2025-Q1")
    assert values[ids["1"]].value == 10 and values[ids["3"]].value == 25
    assert store.entries.task_progress("2025-Q1")[first_task.id].percent == 40
    assert after.tasks()[0].deadline is None
    assert any(x.startswith("Chỉ tiêu 53.") for x in changes.added)
    assert any(x.startswith("Chỉ tiêu 52.") for x in changes.removed)
    assert any(x.startswith("Chỉ tiêu 4.") and "mục tiêu năm 2030" in x for x in changes.changed)
    assert any(x.startswith("Chỉ tiêu 3.") and "tên" in x for x in changes.changed)
    assert changes.entries_dropped == 1
    assert len(changes.changed) == 3  # indicators 3 and 4, task 1: nothing else moved
    # Importing the same workbook again changes nothing.
    again = apply_import(store, read_plan_workbook(corrected))
    assert (again.added, again.changed, again.removed) == ([], [], [])


def test_dry_run_writes_nothing(bim_son_store, corrected):
    before = _dump(bim_son_store)
    changes = plan_changes(bim_son_store, read_plan_workbook(corrected))
    assert changes.added and changes.removed
    assert _dump(bim_son_store) == before


def test_failed_import_leaves_the_file_exactly_as_it_was(bim_son_store, corrected, monkeypatch):
    before = _dump(bim_son_store)
    calls = []

    def failing_add(group_id, indicator):
        calls.append(indicator.code)
        raise UserError("Ổ đĩa đầy.")

    monkeypatch.setattr(bim_son_store.plan, "add_indicator", failing_add)
    with pytest.raises(UserError, match="Ổ đĩa đầy"):
        apply_import(bim_son_store, read_plan_workbook(corrected))
    assert calls == ["53"]  # it failed after renames and target changes had been written
    assert _dump(bim_son_store) == before


def test_a_workbook_with_errors_is_refused(bim_son_store, tmp_path):
    plan = copy.deepcopy(load_sample("bim-son"))
    plan.indicator_groups[0].indicators[0].targets[2030] = Target(None, None, "1OO%")
    preview = read_plan_workbook(write_workbook(tmp_path / "bad.xlsx", plan, tasks=False))
    before = _dump(bim_son_store)
    with pytest.raises(UserError, match="không hiểu giá trị '1OO%'"):
        apply_import(bim_son_store, preview)
    assert _dump(bim_son_store) == before


def test_blank_template_never_empties_the_plan(bim_son_store, tmp_path):
    preview = read_plan_workbook(write_plan_template(tmp_path / "blank.xlsx"))
    assert preview.importable and preview.indicator_count() == 0
    changes = apply_import(bim_son_store, preview)
    assert not changes.removed
    assert len(bim_son_store.plan.load().indicators()) == 52


def test_kind_set_in_the_app_survives_a_reimport(bim_son_store, tmp_path):
    sample = load_sample("bim-son")
    nine = next(i for i in bim_son_store.plan.load().indicators() if i.code == "9")
    bim_son_store.plan.update_indicator(nine.id, kind=IndicatorKind.RATIO)
    book = write_workbook(tmp_path / "bs.xlsx", sample, tasks=False)
    changes = apply_import(bim_son_store, read_plan_workbook(book))
    assert changes.changed == []
    reloaded = next(i for i in bim_son_store.plan.load().indicators() if i.code == "9")
    assert reloaded.kind is IndicatorKind.RATIO


def test_new_file_from_the_cli_takes_the_office_from_the_workbook(tmp_path, capsys):
    from app.cli import main

    book = write_workbook(tmp_path / "bs.xlsx", load_sample("bim-son"))
    db = tmp_path / "new.sqlite"
    assert main(["plan", "import", str(book), "--db", str(db), "--dry-run"]) == 0
    assert not db.exists()
    assert main(["plan", "import", str(book), "--db", str(db)]) == 0
    with Store.open(db) as store:
        assert store.plan.office().name == "Ban Thường vụ Thị ủy Bỉm Sơn"
        assert len(store.plan.load().tasks()) == 21 + 83
    out = capsys.readouterr().out
    assert "Chỉ tiêu: 52 trong 5 nhóm" in out and "Đã tạo tệp dữ liệu" in out


def test_cli_exit_codes_and_messages(tmp_path, capsys):
    from app.cli import main

    plan = copy.deepcopy(load_sample("bim-son"))
    plan.indicator_groups[0].indicators[0].targets[2030] = Target(None, None, "1OO%")
    bad = write_workbook(tmp_path / "bad.xlsx", plan, tasks=False)
    db = tmp_path / "x.sqlite"
    assert main(["plan", "import", str(bad), "--db", str(db)]) == 2
    out = capsys.readouterr().out
    assert "cột 'Năm 2030': không hiểu giá trị '1OO%'" in out and "Chưa thể nhập" in out
    assert not db.exists()
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"%PDF-1.7 not a workbook")
    assert main(["plan", "import", str(fake), "--db", str(db)]) == 1
    assert "là tệp PDF" in capsys.readouterr().err


def test_cli_template_blank_and_filled(tmp_path, bim_son_store, capsys):
    from app.cli import main

    out = tmp_path / "mau.xlsx"
    assert main(["plan", "template", "--out", str(out)]) == 0
    assert read_plan_workbook(out).problems == []
    filled = tmp_path / "ke-hoach.xlsx"
    assert main(["plan", "template", "--out", str(filled), "--db", str(bim_son_store.path)]) == 0
    preview = read_plan_workbook(filled)
    assert (preview.indicator_count(), preview.task_count()) == (52, 21 + 83)
    assert Path(filled).exists() and "52 chỉ tiêu" in capsys.readouterr().out
