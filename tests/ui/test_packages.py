"""Gói báo cáo: key generation in Cài đặt, signed export with progress, list, copy to USB."""

from __future__ import annotations

import hashlib
import zipfile

from app.packages.signing_keys import load_public
from app.packages.verify import verify_package
from app.ui.key_section import public_path

from .conftest import read_store


def test_generate_key_export_package_and_copy(
    qtbot, window, demo_db, tmp_path, dialogs, monkeypatch
):  # noqa: ANN001
    settings_page = window.show_page("settings")
    dialogs.answers["new_passphrase"] = "mat-khau-ky-57"
    key = settings_page.keys.generate()
    assert key is not None and key.fingerprint in settings_page.keys.info.text()
    assert public_path(key.path).exists()

    page = window.show_page("packages")
    assert page.selected_period() == "2026-Y"
    out = tmp_path / "goi"
    out.mkdir()
    dialogs.answers["passphrase"] = "mat-khau-ky-57"
    job = page.export_current(out)
    qtbot.waitUntil(lambda: not job.running, timeout=30000)
    assert job.error is None, job.error
    result = job.result
    assert result.path.parent == out and zipfile.is_zipfile(result.path)
    assert hashlib.sha256(result.path.read_bytes()).hexdigest() == result.sha256
    assert verify_package(result.path, [load_public(public_path(key.path))]).ok
    with read_store(demo_db) as store:
        records = store.packages.exported_packages("2026-Y")
    assert [(r.sequence, r.sha256) for r in records] == [(1, result.sha256)]
    assert page.model.rowCount() == 1 and page.model.index(0, 0).data() == "Năm 2026"
    periods = window.show_page("periods")
    row = [p.id for p in periods.model.periods].index("2026-Y")
    assert periods.model.index(row, 4).data() == "Đã gửi"

    usb = tmp_path / "USB"
    usb.mkdir()
    monkeypatch.setenv("THEODOI57_REMOVABLE", str(usb))
    window.show_page("packages")
    copy = page.copy_to_removable()
    qtbot.waitUntil(lambda: not copy.running, timeout=10000)
    assert (usb / result.path.name).read_bytes() == result.path.read_bytes()


def test_wrong_passphrase_is_reported_and_nothing_written(qtbot, window, tmp_path, dialogs):  # noqa: ANN001
    dialogs.answers["new_passphrase"] = "mat-khau-ky-57"
    window.show_page("settings").keys.generate()
    page = window.show_page("packages")
    dialogs.answers["passphrase"] = "sai-mat-khau"
    job = page.export_current(tmp_path)
    qtbot.waitUntil(lambda: not job.running, timeout=10000)
    assert job.error == "Sai mật khẩu khóa ký."
    assert not list(tmp_path.glob("*.zip"))


def test_save_report_pdf_alone(qtbot, window, tmp_path, dialogs):  # noqa: ANN001
    page = window.show_page("packages")
    dialogs.answers["save_file"] = tmp_path / "bao-cao"
    job = page.save_report("pdf")
    qtbot.waitUntil(lambda: not job.running, timeout=30000)
    assert job.error is None
    assert (tmp_path / "bao-cao.pdf").read_bytes().startswith(b"%PDF")
