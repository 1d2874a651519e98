import shutil

from app.models.database import open_database
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
