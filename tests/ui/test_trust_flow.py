"""The receiving office's trust flow: fingerprint first, the office, the phone check, then trust;
withdrawing trust; rejected packages flagged on the matrix; a receiving file's own pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.packages.signing_keys import fingerprint_of, load_public
from app.receiving.store import Receiving

from ..test_package_fixtures import change_first_value
from ..test_receiving_fixtures import ON_TIME, export, make_office, office_key_file, office_name


@pytest.fixture(scope="module")
def offices(tmp_path_factory) -> tuple[Path, Path]:
    """Two offices' keys (office key files and .pub.pem) and a folder: one good package,
    one tampered (rejected)."""
    root = tmp_path_factory.mktemp("trust")
    folder, keys = root / "inbox", root / "keys"
    keys.mkdir()
    for i in range(2):
        store, key = make_office(keys, i)
        with store:
            path = export(store, key, folder / f"d{i}", ON_TIME)
        if i == 1:
            change_first_value(path)
    return folder, keys


@pytest.fixture
def page(qtbot, tmp_path):
    from app.ui.receiving_page import ReceivingPage

    db = tmp_path / "tinh.sqlite"
    with Receiving.create(db, "Sở Khoa học và Công nghệ") as receiving:
        receiving.add_office(office_name(1), code="01")
    widget = ReceivingPage(db)
    qtbot.addWidget(widget)
    widget.resize(1366, 728)
    widget.show()
    yield widget
    widget.close()


def _keys_in_file(db: Path) -> dict[str, str | None]:
    """fingerprint → office name, read from the data file by a second connection."""
    with Receiving.open(db) as receiving:
        names = {o.id: o.name for o in receiving.offices()}
        return {k.fingerprint: names.get(k.office_id) for k in receiving.keys()}  # type: ignore[arg-type]


def _answering(monkeypatch, seen: list, choose=None, confirm: bool = True) -> None:
    """The dialog is built for real; the test reads what it shows, then answers."""
    from app.ui import trust_dialog

    def ask(parent, key, offices):
        dialog = trust_dialog.TrustKeyDialog(key, offices, parent)
        seen.append((dialog.fingerprint_label.text(), dialog.office_box.currentText(),
                     dialog.new_name.text(), dialog.trust_button.isEnabled()))  # fmt: skip
        if choose is not None:
            choose(dialog)
        dialog.confirmed.setChecked(confirm)
        if not dialog.trust_button.isEnabled():
            return None
        dialog.trust_button.click()
        return dialog.office_name() if dialog.result() == dialog.DialogCode.Accepted else None

    monkeypatch.setattr(trust_dialog, "ask_trust", ask)


def test_office_key_file_shows_its_fingerprint_and_office_before_trusting(
    qtbot, page, offices, monkeypatch, dialogs
):
    _folder, keys = offices
    expected = fingerprint_of(load_public(keys / "office-00.pub.pem"))
    seen: list = []
    _answering(monkeypatch, seen, confirm=False)
    assert page.choose_and_trust([office_key_file(keys, 0)]) == 0
    # The fingerprint first, the office named in the file preselected (new here), not trusted
    # while the phone check is not ticked.
    assert seen == [(expected, "Đơn vị mới…", office_name(0), False)]
    assert _keys_in_file(page.path) == {}

    seen.clear()
    _answering(monkeypatch, seen)
    assert page.choose_and_trust([office_key_file(keys, 0)]) == 1
    assert _keys_in_file(page.path) == {expected: office_name(0)}
    assert page.keys_tab.table.rowCount() == 1
    assert page.keys_tab.table.item(0, 1).text() == office_name(0)


def test_a_bare_public_key_is_trusted_for_the_office_chosen(
    qtbot, page, offices, monkeypatch, dialogs
):
    _folder, keys = offices
    expected = fingerprint_of(load_public(keys / "office-01.pub.pem"))
    seen: list = []
    _answering(monkeypatch, seen, choose=lambda d: d.office_box.setCurrentIndex(0))
    assert page.choose_and_trust([keys / "office-01.pub.pem"]) == 1
    assert seen == [(expected, "", "", False)]  # no office guessed for a bare key
    assert _keys_in_file(page.path) == {expected: office_name(1)}


def test_an_office_key_file_cannot_be_trusted_for_another_office(
    qtbot, page, offices, monkeypatch, dialogs
):
    _folder, keys = offices
    seen: list = []
    _answering(monkeypatch, seen, choose=lambda d: d.office_box.setCurrentIndex(0))  # Xã Bắc Sơn
    assert page.choose_and_trust([office_key_file(keys, 0)]) == 0
    assert dialogs.calls[-1][0] == "error"
    assert "Phường Quang Trung, không phải Xã Bắc Sơn" in dialogs.calls[-1][1]
    assert _keys_in_file(page.path) == {}


def test_withdrawing_trust_is_one_action_and_audited(qtbot, page, offices, monkeypatch, dialogs):
    _folder, keys = offices
    _answering(monkeypatch, [])
    page.choose_and_trust([office_key_file(keys, 0)])
    page.keys_tab.table.selectRow(0)
    assert page.keys_tab.withdraw_selected()
    assert _keys_in_file(page.path) == {}
    assert page.keys_tab.table.rowCount() == 0
    with Receiving.open(page.path) as receiving:
        rows = list(receiving.store.db.query(
            "SELECT action FROM audit WHERE table_name = 'recv_key' ORDER BY id"))  # fmt: skip
    assert [r["action"] for r in rows] == ["insert", "delete"]


def test_rejected_packages_are_flagged_on_the_matrix(qtbot, page, offices, monkeypatch, dialogs):
    folder, keys = offices
    _answering(monkeypatch, [])
    page.choose_and_trust([office_key_file(keys, 0), office_key_file(keys, 1)])
    job = page.ingest([folder])
    qtbot.waitUntil(lambda: not job.running, timeout=30_000)
    assert page.rejected_button.isVisibleTo(page)
    assert page.rejected_button.text() == "⚠ 1 gói bị từ chối — xem danh sách"
    # 52 long indicator names in the combo box do not widen the page past a 1366 px screen.
    page.tabs.setCurrentWidget(page.indicator_tab)
    assert page.indicator_box.count() == 52
    assert page.minimumSizeHint().width() < 1366 - 260
    page.rejected_button.click()
    assert page.tabs.currentWidget() is page.rejected_table
    assert page.rejected_table.rowCount() == 1
    assert page.rejected_table.item(0, 1).text() == office_name(1)
    with Receiving.open(page.path) as receiving:
        assert [p.status.valid for p in receiving.packages()].count(False) == 1


def test_the_matrix_takes_most_of_a_small_screen(qtbot, page):
    page.tabs.setCurrentIndex(0)
    qtbot.wait(10)
    assert page.matrix_view.height() > 0.75 * page.height()
    assert page.matrix_view.width() > 0.7 * page.width()


def test_a_receiving_file_opens_on_its_own_pages_only(qtbot, tmp_path, gui_home):
    from app.settings import Settings
    from app.ui.app import open_main_window

    db = tmp_path / "tinh.sqlite"
    Receiving.create(db, "Sở Khoa học và Công nghệ").close()
    window = open_main_window(db, Settings(path=gui_home / "config" / "settings.json"))
    qtbot.addWidget(window)
    labels = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert labels == ["Nhận & tổng hợp", "Cài đặt"]
    assert window.export_action.text() == "Xuất tổng hợp…"
    window.session.store.close()
