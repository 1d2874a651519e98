import sqlite3

import pytest

from app.models.backup import backup, restore
from app.models.errors import UserError
from app.models.store import Store


def test_backup_and_restore_round_trip(bim_son_store, tmp_path):
    store = bim_son_store
    ind = store.plan.load().indicators()[0]
    store.entries.set_indicator_value("2026-Q1", ind.id, 42)
    target = tmp_path / "usb" / "sao-luu.sqlite"
    backup(store.path, target)  # online: the store is still open
    store.entries.set_indicator_value("2026-Q1", ind.id, 55)  # a later edit, not in the backup
    store.close()

    kept = restore(store.path, target)
    with Store.open(store.path) as restored:
        assert restored.entries.indicator_values("2026-Q1")[ind.id].value == 42.0
        assert len(restored.plan.load().indicators()) == 52
        history = [e.new for e in restored.history(table="indicator_value")]
        assert history == [42.0]
    with Store.open(kept) as previous:
        assert previous.entries.indicator_values("2026-Q1")[ind.id].value == 55.0


def test_restore_refuses_a_damaged_backup_and_changes_nothing(bim_son_store, tmp_path):
    store = bim_son_store
    ind = store.plan.load().indicators()[0]
    store.entries.set_indicator_value("2026-Q1", ind.id, 42)
    store.close()
    before = store.path.read_bytes()

    damaged = tmp_path / "hong.sqlite"
    backup(store.path, damaged)
    data = bytearray(damaged.read_bytes())
    data[0:16] = b"garbage garbage!"
    damaged.write_bytes(bytes(data))
    with pytest.raises(UserError, match="không phải tệp dữ liệu|bị hỏng"):
        restore(store.path, damaged)

    foreign = tmp_path / "khac.sqlite"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE x (a)")
    conn.commit()
    conn.close()
    with pytest.raises(UserError, match="không phải tệp dữ liệu Theo dõi NQ57"):
        restore(store.path, foreign)
    with pytest.raises(UserError, match="Không tìm thấy tệp sao lưu"):
        restore(store.path, tmp_path / "none.sqlite")

    assert store.path.read_bytes() == before
    assert not list(tmp_path.glob("**/*.tmp"))
    with Store.open(store.path) as again:
        assert again.entries.indicator_values("2026-Q1")[ind.id].value == 42.0


def test_backup_onto_itself_and_into_a_missing_drive(bim_son_store, tmp_path):
    with pytest.raises(UserError, match="phải khác"):
        backup(bim_son_store.path, bim_son_store.path)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(UserError):
        backup(bim_son_store.path, blocker / "b.sqlite")
    assert not list(tmp_path.glob("**/*.tmp"))
