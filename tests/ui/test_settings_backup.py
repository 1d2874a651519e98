"""Cài đặt: office details, regime, font size, backup and restore through the worker."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.models.backup import check_file
from app.models.plan import CutoffPolicy, DocumentStyle, Frequency
from app.operations import period as period_ops
from app.settings import Settings

from .conftest import read_store


def test_office_and_regime_are_saved(qtbot, window, demo_db):  # noqa: ANN001
    page = window.show_page("settings")
    page.office_fields["signer_name"].setText("Lê Thị Hoa")
    page.style_combo.setCurrentIndex(0)
    assert page.save_office()
    check, wording, day, offset = page.regime[Frequency.MONTH]
    check.setChecked(True)
    wording.setCurrentIndex(1)  # "chậm nhất ngày 05" of the next month
    day.setValue(5)
    offset.setValue(1)
    section = page.regime_section
    section.end.setText("31/12/2030")
    section.merge.setChecked(False)
    section.policy.setCurrentIndex(section.policy.findData(CutoffPolicy.BEFORE_DUE))
    section.lead.setValue(7)
    assert page.save_regime()
    with read_store(demo_db) as store:
        office = store.plan.office()
        rules = {r.frequency: r for r in store.plan.info().reporting}
        info = store.regime.regime_info()
    assert (info.end, info.merge_shorter, info.cutoff_policy, info.cutoff_lead_days) == (
        date(2030, 12, 31),
        False,
        CutoffPolicy.BEFORE_DUE,
        7,
    )
    assert rules[Frequency.MONTH].strict is False and rules[Frequency.QUARTER].strict is True
    assert office.signer_name == "Lê Thị Hoa" and office.style is DocumentStyle.STATE
    assert (rules[Frequency.MONTH].due_day, rules[Frequency.MONTH].due_month_offset) == (5, 1)
    assert (
        "Tháng 11/2026" in window.period_label.text() or "Kỳ hiện tại" in window.period_label.text()
    )
    assert window.undo_action.isEnabled()


def test_font_size_setting_persists(qtbot, window, gui_home: Path):  # noqa: ANN001
    page = window.show_page("settings")
    page.font_combo.setCurrentIndex(page.font_combo.findData(125))
    assert Settings.load(gui_home / "config" / "settings.json").font_scale == 125
    page.font_combo.setCurrentIndex(page.font_combo.findData(100))


def test_backup_then_restore_brings_values_back(qtbot, window, demo_db, tmp_path, dialogs):  # noqa: ANN001
    page = window.show_page("settings")
    session = window.session
    ind = session.plan().indicators()[0]
    session.run(lambda s: period_ops.set_value(s, session.period("2026-Y"), ind.id, 42))
    target = tmp_path / "usb" / "sao-luu.sqlite"
    job = page.backup_to_file(target)
    qtbot.waitUntil(lambda: not job.running, timeout=10000)
    assert job.error is None and check_file(target) >= 1

    session.run(lambda s: period_ops.set_value(s, session.period("2026-Y"), ind.id, 99))
    dialogs.answers["confirm"] = False
    assert page.restore_from_file(target) is None  # "Không": nothing happens
    dialogs.answers["confirm"] = True
    job = page.restore_from_file(target)
    qtbot.waitUntil(lambda: not job.running, timeout=10000)
    assert job.error is None
    assert "Thay toàn bộ dữ liệu hiện tại" in dialogs.texts("confirm")[-1]
    assert (
        session.store.entries.indicator_values("2026-Y")[ind.id].value == 42.0
    )  # the live session too
    with read_store(demo_db) as store:
        assert store.entries.indicator_values("2026-Y")[ind.id].value == 42.0
    kept = list(demo_db.parent.glob("demo.truoc-khoi-phuc-*.sqlite"))
    assert len(kept) == 1


def test_restore_refuses_a_foreign_file_and_keeps_working(
    qtbot, window, demo_db, tmp_path, dialogs
):  # noqa: ANN001
    page = window.show_page("settings")
    bogus = tmp_path / "khong-phai.sqlite"
    bogus.write_bytes(b"day khong phai tep du lieu" * 100)
    job = page.restore_from_file(bogus)
    qtbot.waitUntil(lambda: not job.running, timeout=10000)
    assert job.error and "khong-phai.sqlite" in job.error
    assert dialogs.texts("error")
    assert len(window.session.store.plan.load().indicators()) == 52  # reopened, still usable


def test_backup_to_removable_drive(qtbot, window, tmp_path, monkeypatch):  # noqa: ANN001
    usb = tmp_path / "USB"
    usb.mkdir()
    monkeypatch.setenv("THEODOI57_REMOVABLE", str(usb))
    page = window.show_page("settings")
    job = page.backup_to_removable()
    qtbot.waitUntil(lambda: not job.running, timeout=10000)
    files = list(usb.glob("sao-luu-*.sqlite"))
    assert len(files) == 1 and check_file(files[0]) >= 1


def _button(page, text: str):  # noqa: ANN001, ANN202
    from PySide6.QtWidgets import QPushButton

    return next(b for b in page.findChildren(QPushButton) if b.text() == text)


def test_the_backup_and_restore_buttons_work_when_clicked(
    qtbot, window, demo_db, tmp_path, dialogs
):  # noqa: ANN001
    """Clicked, not called: the button's `checked` must not arrive as the target file."""
    import sqlite3

    from PySide6.QtCore import Qt

    page = window.show_page("settings")
    session = window.session
    ind = session.plan().indicators()[0]
    session.run(lambda s: period_ops.set_value(s, session.period("2026-Y"), ind.id, 42))
    target = tmp_path / "sao-luu" / "ban-sao.sqlite"
    dialogs.answers["save_file"] = target
    qtbot.mouseClick(_button(page, "Sao lưu ra tệp…"), Qt.MouseButton.LeftButton)
    assert page.job is not None
    qtbot.waitUntil(lambda: not page.job.running, timeout=10000)
    assert page.job.error is None and not dialogs.texts("error")
    assert target.exists() and check_file(target) >= 1
    with sqlite3.connect(target) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    session.run(lambda s: period_ops.set_value(s, session.period("2026-Y"), ind.id, 99))
    dialogs.answers["open_file"] = target
    qtbot.mouseClick(_button(page, "Khôi phục từ bản sao lưu…"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.job.running, timeout=10000)
    assert page.job.error is None and "ban-sao.sqlite" in dialogs.texts("confirm")[-1]
    assert session.store.entries.indicator_values("2026-Y")[ind.id].value == 42.0
