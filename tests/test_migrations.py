import shutil
from datetime import date

from app.models.assessment import Assessment, assess_path
from app.models.database import open_database
from app.models.plan import Comparator, Measure, Target
from app.models.schema import SCHEMA_VERSION
from app.models.store import Store

from .conftest import DATA


def test_a_data_file_is_kept_for_every_earlier_schema_version():
    """Each released schema version has its file here, so every upgrade path is proven."""
    kept = {int(p.stem.split("_v")[1]) for p in DATA.glob("schema_v*.sqlite")}
    assert kept == set(range(1, SCHEMA_VERSION)), (
        f"schema is v{SCHEMA_VERSION}: keep tests/data/schema_vN.sqlite for every N below it "
        "(tests/data/make_schema_v1.py N makes one)"
    )


def test_every_earlier_schema_file_upgrades_in_place(tmp_path):
    """Files made by each released schema (kept under tests/data/) open and upgrade."""
    originals = sorted(DATA.glob("schema_v*.sqlite"))
    assert originals, "no old data files kept"
    for original in originals:
        path = tmp_path / original.name
        shutil.copy(original, path)
        old_version = int(original.stem.split("_v")[1])
        with Store.open(path) as store:
            assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
            plan = store.plan.load()
            assert plan.office.name == "Xã Thống Nhất"
            assert plan.info.number == "4888/KH-UBND"
            ind = plan.indicators()[0]
            assert ind.targets[2030].value == 80.0
            assert store.entries.indicator_values("2026-H1")[ind.id].value == 72.5
            assert store.entries.task_progress("2026-H1")[plan.tasks()[0].id].percent == 40.0
            # The data migration filled the folded names: search works on old data.
            assert store.plan.search_indicators("ho so giai quyet truc tuyen") == [ind.id]
            assert store.plan.search_tasks("CHUYEN DOI SO") == [plan.tasks()[0].id]
            # And the new tables are usable.
            source = tmp_path / "scan.pdf"
            source.write_bytes(b"%PDF")
            store.entries.add_attachment("2026-H1", plan.tasks()[0].id, source)
        backups = list(tmp_path.glob(f"{path.stem}.v{old_version}-*.bak"))
        assert len(backups) == 1, "the file is copied aside before migrating"
        db = open_database(
            backups[0]
        )  # the copy is a sound file of the old version, upgraded on open
        db.close()


def test_opening_a_current_file_makes_no_backup(tmp_path, bim_son_store):
    path = bim_son_store.path
    bim_son_store.close()
    Store.open(path).close()
    assert not list(tmp_path.glob("*.bak"))


def test_migration_6_reads_the_wording_of_targets_kept_by_version_5(tmp_path):
    """schema_v5.sqlite keeps targets as value + wording; migration 6 adds what the
    wording says (range, khoảng, not required, Phấn đấu ít nhất) and the measure."""
    path = tmp_path / "v5.sqlite"
    shutil.copy(DATA / "schema_v5.sqlite", path)
    with Store.open(path) as store:
        columns = {c.name for c in store.db["target"].columns}
        assert {"high", "approximate", "not_required"} <= columns
        assert "measure" in {c.name for c in store.db["indicator"].columns}
        ind = {i.code: i for i in store.plan.load().indicators()}
        # Untouched: a target without wording keeps its meaning and the new defaults.
        assert ind["1"].targets[2030] == Target(Comparator.GE, 80.0, None)
        assert ind["1"].measure is Measure.LEVEL
        # "khoảng 95%" had no value before: now approximately 95.
        assert ind["1"].targets[2045] == Target(Comparator.EQ, 95.0, "khoảng 95%", approximate=True)
        # "Chưa triển khai" in 2025: nothing required that year (was "Không" required).
        assert ind["2"].targets[2025] == Target(None, False, "Chưa triển khai", required=False)
        assert ind["2"].targets[2030] == Target(None, True, None)
        # "mỗi năm": counted per year, inferred from the name.
        assert ind["3"].measure is Measure.PER_YEAR
        assert ind["3"].targets[2030] == Target(None, 19.0, None)
        # The range keeps its low bound as value and gains its high bound.
        assert ind["4"].targets[2030] == Target(None, 80.0, "80% - 90%", high=90.0)
        assert ind["4"].targets[2045] == Target(Comparator.GE, 95.0, "Phấn đấu ít nhất 95%")
        # The new fields are written and read back through the ordinary edits.
        store.plan.set_target(ind["1"].id, 2030, Target(None, 70.0, None, high=75.0))
        store.plan.set_target(ind["2"].id, 2030, Target(None, None, "Chưa yêu cầu", required=False))
        again = {i.code: i for i in store.plan.load().indicators()}
        assert again["1"].targets[2030] == Target(None, 70.0, None, high=75.0)
        assert again["2"].targets[2030].required is False
        assessed = assess_path(again["2"], True, date(2025, 9, 30))
        assert assessed.assessment is Assessment.AHEAD


def test_a_target_with_default_flags_keeps_its_row_and_audit_quiet(tmp_path, bim_son_store):
    """The schema-6 flags are NULL at their defaults: re-saving a plain target changes
    nothing, so the audit records no spurious change."""
    ind = bim_son_store.plan.load().indicators()[0]
    change = bim_son_store.plan.set_target(ind.id, 2025, Target(None, 65.0, None))
    assert not change.fields
    row = bim_son_store.db.execute(
        "SELECT high, approximate, not_required FROM target WHERE indicator_id = ? AND year = 2025",
        [ind.id],
    ).fetchone()
    assert row == (None, None, None)
