import sqlite3
import unicodedata
from pathlib import Path

import pytest

from app.models.errors import UserError
from app.models.plan import (
    Baseline,
    Comparator,
    Direction,
    Indicator,
    IndicatorKind,
    Office,
    Plan,
    PlanInfo,
    Target,
    Task,
)
from app.models.plan_json import plan_to_json
from app.models.progress import NarrativeSection, TaskStatus
from app.models.samples import load_sample
from app.models.schema import SCHEMA_VERSION
from app.models.store import Store


def entries(store, table):
    return [(e.field, e.old, e.new, e.action) for e in reversed(store.history(table=table))]


def test_pragmas_and_schema(bim_son_store):
    db = bim_son_store.db
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert (
        db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    )  # see schema.MIGRATIONS


def test_plan_round_trips_through_the_store(tmp_path):
    plan = load_sample("bim-son")
    before = plan_to_json(plan)
    with Store.create(tmp_path / "a.sqlite", plan.office, plan):
        pass
    with Store.open(tmp_path / "a.sqlite") as store:
        after = plan_to_json(store.plan.load())
    # Ids are assigned by the store; everything else is identical.
    for doc in (before, after):
        for g in doc["indicator_groups"]:
            for i in g["indicators"]:
                i.pop("id")
        for g in doc["task_groups"]:
            for t in g["tasks"]:
                t.pop("id")
    assert after == before


def test_text_is_stored_nfc(tmp_path):
    nfd = unicodedata.normalize("NFD", "Tỷ lệ hồ sơ trực tuyến")
    office = Office(name=unicodedata.normalize("NFD", "Xã Thống Nhất"))
    with Store.create(tmp_path / "n.sqlite", office) as store:
        gid = store.plan.add_group(
            "indicator_group", "I", unicodedata.normalize("NFD", "CHUYỂN ĐỔI SỐ")
        )
        iid = store.plan.add_indicator(gid, Indicator(code="1", name=nfd, unit="%"))
        store.plan.add_group("task_group", "I", "Thể chế")
        raw = store.db.execute("SELECT name FROM indicator WHERE id = ?", [iid]).fetchone()[0]
        assert raw == unicodedata.normalize("NFC", nfd) and raw != nfd
        assert store.plan.office().name == "Xã Thống Nhất"
        title = store.db.execute("SELECT title FROM indicator_group").fetchone()[0]
        assert unicodedata.is_normalized("NFC", title)
        store.entries.set_narrative(
            "2026-Q1", NarrativeSection.PROPOSALS, unicodedata.normalize("NFD", "Đề nghị")
        )
        assert store.entries.narrative("2026-Q1")[NarrativeSection.PROPOSALS] == "Đề nghị"


def test_accent_and_case_insensitive_search(bim_son_store):
    ids = bim_son_store.plan.search_indicators("chuyen doi so")
    names = {i.id: i.name for i in bim_son_store.plan.load().indicators()}
    assert ids and all("chuyển đổi số" in names[i].lower() for i in ids)
    assert bim_son_store.plan.search_indicators("CHUYỂN ĐỔI SỐ") == ids
    # "đ" folds to "d"
    assert set(bim_son_store.plan.search_indicators("dinh danh dien tu")) == {
        i for i, n in names.items() if "định danh điện tử" in n.lower()
    }
    assert bim_son_store.plan.search_indicators("5g") == [i for i, n in names.items() if "5G" in n]
    assert bim_son_store.plan.search_tasks("zzz-khong-co") == []
    tasks = {t.id: t.name for t in bim_son_store.plan.load().tasks()}
    assert set(bim_son_store.plan.search_tasks("kien toan")) >= {
        i for i, n in tasks.items() if "kiện toàn" in n.lower()
    }


def test_value_entry_is_validated_and_audited(bim_son_store):
    store = bim_son_store
    plan = store.plan.load()
    pct = next(i for i in plan.indicators() if i.kind is IndicatorKind.PERCENT)
    change = store.entries.set_indicator_value("2026-Q1", pct.id, "65,5%", note="ước")
    assert change.fields == {"value", "note"}
    assert store.entries.indicator_values("2026-Q1")[pct.id].value == 65.5
    with pytest.raises(UserError) as err:
        store.entries.set_indicator_value("2026-Q1", pct.id, "120")
    assert "0–100%" in err.value.message and pct.code in err.value.message
    assert store.entries.indicator_values("2026-Q1")[pct.id].value == 65.5  # untouched
    store.entries.set_indicator_value("2026-Q1", pct.id, "70")
    store.entries.set_indicator_value("2026-Q1", pct.id, None, note=None)
    assert pct.id not in store.entries.indicator_values("2026-Q1")
    assert entries(store, "indicator_value") == [
        ("value", None, 65.5, "update"),
        ("note", None, "ước", "update"),
        ("value", 65.5, 70.0, "update"),
        ("value", 70.0, None, "update"),
        ("note", "ước", None, "update"),
    ]
    assert {e.row_key for e in store.history(table="indicator_value")} == {f"2026-Q1/{pct.id}"}
    assert all(e.os_user for e in store.history())


def test_task_progress_audit_and_rules(bim_son_store):
    store = bim_son_store
    task = store.plan.load().tasks()[0]
    store.entries.set_task_progress("2026-Q1", task.id, status="Đang thực hiện", percent="40%")
    store.entries.set_task_progress(
        "2026-Q1", task.id, status=TaskStatus.DONE, percent=None,
        result="Đã ban hành quyết định", evidence_number="12/QĐ-UBND", evidence_date="05/02/2026",
    )  # fmt: skip
    p = store.entries.task_progress("2026-Q1")[task.id]
    assert p.status is TaskStatus.DONE and p.percent == 100.0
    assert p.evidence_number == "12/QĐ-UBND" and p.evidence_date.isoformat() == "2026-02-05"
    fields = [(f, old, new) for f, old, new, _ in entries(store, "task_progress")]
    assert ("status", None, "in_progress") in fields
    assert ("percent", None, 40.0) in fields
    assert ("status", "in_progress", "done") in fields
    assert ("percent", 40.0, 100.0) in fields
    assert ("evidence_date", None, "2026-02-05") in fields
    with pytest.raises(UserError, match="tình trạng 'xong' không hợp lệ"):
        store.entries.set_task_progress("2026-Q1", task.id, status="xong")
    with pytest.raises(UserError, match="từ 0 đến 100"):
        store.entries.set_task_progress("2026-Q1", task.id, percent=150)
    with pytest.raises(UserError, match="ngày/tháng/năm"):
        store.entries.set_task_progress("2026-Q1", task.id, evidence_date="31/02/2026")
    with pytest.raises(UserError, match="Mã kỳ báo cáo"):
        store.entries.set_task_progress("2026-Q9", task.id, status="done")


def test_plan_item_edits_are_audited(bim_son_store):
    store = bim_son_store
    plan = store.plan.load()
    ind = plan.indicators()[0]
    change = store.plan.update_indicator(ind.id, name="Tỷ lệ phủ sóng 5G", unit="Tỷ lệ %")
    assert change.fields == {"name", "name_folded", "unit"}
    assert store.plan.search_indicators("phu song 5g") == [ind.id]
    store.plan.set_target(ind.id, 2030, Target(Comparator.GE, 95.0))
    store.plan.set_target(ind.id, 2050, Target(None, 100.0))
    store.plan.set_target(ind.id, 2050, None)
    store.plan.update_indicator(ind.id, baseline=Baseline(10.0, None, "Tháng 3/2026"))
    gid = store.plan.add_group("indicator_group", "VI", "CHỈ TIÊU BỔ SUNG")
    new_id = store.plan.add_indicator(
        gid, Indicator(code="53", name="Số điểm Wi-Fi công cộng", unit="Điểm", kind=IndicatorKind.COUNT,
                       targets={2030: Target(None, 20.0)})
    )  # fmt: skip
    store.plan.delete_indicator(new_id)
    task = plan.tasks()[0]
    store.plan.update_task(task.id, deadline="Quý IV/2026", partners=["Công an xã"])
    with pytest.raises(UserError, match="Không hiểu thời hạn"):
        store.plan.update_task(task.id, deadline="khi nào xong")
    tid = store.plan.add_task(plan.task_groups[0].id, Task(code="99", name="Nhiệm vụ thêm"))
    store.entries.set_task_progress("2026-Q1", tid, status="done")
    store.plan.delete_task(tid)
    store.plan.delete_group("indicator_group", gid)

    log = {(e.table, e.field, e.action) for e in store.history(limit=1000)}
    assert ("indicator", "name", "update") in log
    assert ("indicator", "unit", "update") in log
    assert ("indicator", "baseline_value", "update") in log
    assert ("target", "comparator", "update") in log
    assert ("target", "value", "update") in log
    assert ("target", "*", "insert") in log
    assert ("target", "*", "delete") in log
    assert ("indicator", "*", "insert") in log
    assert ("indicator", "*", "delete") in log
    assert ("task", "deadline_text", "update") in log
    assert ("task", "partners", "update") in log
    assert ("task_progress", "*", "delete") in log
    assert ("task", "*", "delete") in log
    assert ("indicator_group", "*", "delete") in log
    reloaded = store.plan.load()
    assert reloaded.indicators()[0].targets[2030] == Target(Comparator.GE, 95.0)
    assert reloaded.tasks()[0].deadline.text == "Quý IV/2026"
    assert len(reloaded.indicators()) == 52


def test_failed_write_changes_nothing(bim_son_store):
    store = bim_son_store
    count = store.db["audit"].count
    ind = store.plan.load().indicators()[0]
    with pytest.raises(UserError):
        with store.transaction():
            store.entries.set_indicator_value("2026-Q1", ind.id, 50)
            store.entries.set_indicator_value("2026-Q1", ind.id, "không hiểu")
    assert store.entries.indicator_values("2026-Q1") == {}
    assert store.db["audit"].count == count


def test_attachments_live_in_the_data_file(bim_son_store, tmp_path):
    store = bim_son_store
    task = store.plan.load().tasks()[0]
    scan = tmp_path / "Quyết định 12.pdf"
    scan.write_bytes(b"%PDF-1.4 scan" * 100)
    aid = store.entries.add_attachment("2026-Q1", task.id, scan)
    bad = store.entries.add_attachment("2026-Q1", task.id, scan, name="../../etc/passwd")
    names = {a.file_name for a in store.entries.attachments("2026-Q1")}
    assert names == {"Quyết định 12.pdf", "passwd"}
    assert store.entries.attachment_content(aid) == scan.read_bytes()
    store.entries.remove_attachment(bad)
    assert [a.id for a in store.entries.attachments("2026-Q1")] == [aid]
    assert {e.action for e in store.history(table="attachment")} == {"insert", "delete"}
    with pytest.raises(UserError, match="Không đọc được"):
        store.entries.add_attachment("2026-Q1", task.id, tmp_path / "missing.pdf")


def test_open_refuses_foreign_and_missing_files(tmp_path):
    with pytest.raises(UserError, match="Không tìm thấy"):
        Store.open(tmp_path / "none.sqlite")
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(UserError, match="không phải tệp dữ liệu|bị hỏng"):
        Store.open(junk)
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(UserError, match="không phải tệp dữ liệu Theo dõi NQ57"):
        Store.open(other)
    with pytest.raises(UserError, match="đã có"):
        Store.create(other, Office(name="x"))


def test_create_failure_leaves_no_file(tmp_path):
    plan = Plan(Office(name="Xã A"), PlanInfo("1/KH", "x"), [], [])
    plan.task_groups = [
        __import__("app.models.plan", fromlist=["TaskGroup"]).TaskGroup("I", "G", [Task("1", "")])
    ]
    with pytest.raises(UserError, match="Tên nhiệm vụ"):
        Store.create(tmp_path / "x.sqlite", plan.office, plan)
    assert not any(Path(tmp_path).iterdir())


def test_direction_and_kind_enums_round_trip(tmp_path):
    office = Office(name="Xã B")
    with Store.create(tmp_path / "k.sqlite", office) as store:
        gid = store.plan.add_group("indicator_group", "I", "Nhóm")
        rid = store.plan.add_indicator(
            gid,
            Indicator(
                "1", "Xếp hạng chỉ số", "Thứ bậc", IndicatorKind.RANK, Direction.LOWER_BETTER
            ),
        )
        store.entries.set_indicator_value("2026-Y", rid, "3")
        ind = store.plan.load().indicators()[0]
        assert (ind.kind, ind.direction) == (IndicatorKind.RANK, Direction.LOWER_BETTER)
        assert store.entries.indicator_values("2026-Y")[rid].value == 3.0


def test_office_plan_header_and_narrative_changes_are_audited(bim_son_store):
    from dataclasses import replace

    store = bim_son_store
    office = store.plan.office()
    change = store.plan.update_office(
        replace(office, signer_name="Lê Văn An", recipients=["Sở KH&CN"])
    )
    assert change.fields == {"signer_name", "recipients"}
    assert store.plan.office().signer_name == "Lê Văn An"
    info = store.plan.info()
    store.plan.update_info(replace(info, milestones=[2025, 2030]))
    assert store.plan.info().milestones == [2025, 2030]
    store.entries.set_narrative("2026-Q1", "shortcomings", "Hạ tầng còn thiếu.")
    store.entries.set_narrative("2026-Q1", "shortcomings", None)
    log = [(e.table, e.field, e.old, e.new) for e in reversed(store.history(limit=20))]
    assert ("office", "signer_name", "Nguyễn Thanh Tùng", "Lê Văn An") in log
    assert ("plan_info", "milestones", "[2025, 2030, 2035, 2040, 2045]", "[2025, 2030]") in log
    assert log[-2:] == [
        ("narrative", "text", None, "Hạ tầng còn thiếu."),
        ("narrative", "text", "Hạ tầng còn thiếu.", None),
    ]
