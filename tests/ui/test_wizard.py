"""First run: office details, then a sample plan or an Excel import (dry run first), then the file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWizard

from app.importers.plan_template import write_plan_template
from app.models.plan import DocumentStyle
from app.models.samples import load_sample
from app.settings import Settings
from app.ui.wizard import DATA_FILE, PREVIEW, FirstRunWizard

from .conftest import read_store


def fill_office(qtbot, wizard: FirstRunWizard) -> None:  # noqa: ANN001
    page = wizard.office_page
    assert not page.isComplete()
    page.name.insert("Xã Thống Nhất")
    page.level.setCurrentText("xã")
    page.province.insert("Đồng Nai")
    page.issuing_body.insert("ỦY BAN NHÂN DÂN XÃ THỐNG NHẤT")
    page.style_combo.setCurrentIndex(0)
    page.signer_name.insert("Trần Văn Bình")
    page.signer_title.insert("CHỦ TỊCH")
    assert page.isComplete()


def test_wizard_from_sample_creates_the_data_file(qtbot, gui_home: Path):  # noqa: ANN001
    settings = Settings(path=gui_home / "config" / "settings.json")
    target = gui_home / "du-lieu" / "thong-nhat.sqlite"
    wizard = FirstRunWizard(settings, target)
    qtbot.addWidget(wizard)
    created = []
    wizard.created.connect(created.append)
    wizard.show()
    assert wizard.button(QWizard.WizardButton.NextButton).text() == "Tiếp theo >"
    fill_office(qtbot, wizard)
    wizard.next()
    source = wizard.source_page
    source.samples.setCurrentIndex(source.samples.findData("bim-son"))
    wizard.next()
    assert wizard.currentId() == DATA_FILE
    assert wizard.file_page.path.text() == str(target)
    wizard.button(QWizard.WizardButton.FinishButton).click()

    assert created == [target]
    assert Settings.load(gui_home / "config" / "settings.json").data_file == str(target)
    with read_store(target) as store:
        office = store.plan.office()
        plan = store.plan.load()
    assert (office.name, office.province, office.signer_name) == (
        "Xã Thống Nhất",
        "Đồng Nai",
        "Trần Văn Bình",
    )
    assert office.style is DocumentStyle.STATE and office.place == "Thống Nhất"
    assert len(plan.indicators()) == 52 and len(plan.tasks()) == 21 + 83


def test_wizard_imports_excel_after_preview(qtbot, gui_home: Path, dialogs, tmp_path: Path):  # noqa: ANN001
    workbook = write_plan_template(tmp_path / "phu-luc.xlsx", load_sample("thong-nhat"))
    settings = Settings(path=gui_home / "config" / "settings.json")
    wizard = FirstRunWizard(settings, gui_home / "tn.sqlite")
    qtbot.addWidget(wizard)
    wizard.show()
    fill_office(qtbot, wizard)
    wizard.next()
    dialogs.answers["open_file"] = workbook
    wizard.source_page._choose()  # "Chọn tệp…"
    assert wizard.source_page.import_radio.isChecked()
    wizard.next()
    assert wizard.currentId() == PREVIEW
    qtbot.waitUntil(lambda: wizard.preview_page.isComplete(), timeout=10000)
    model = wizard.preview_page.view.model
    assert model.rowCount() > 70 and model.problem_rows() == 0
    assert "Chỉ tiêu: 23" in wizard.preview_page.view.summary.text()
    wizard.next()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    with read_store(gui_home / "tn.sqlite") as store:
        plan = store.plan.load()
    assert len(plan.indicators()) == 23 and len(plan.tasks()) == 51
    assert plan.info.reporting  # a regime, so periods exist from the first day


def test_wizard_preview_blocks_a_broken_workbook(qtbot, gui_home: Path, dialogs, tmp_path: Path):  # noqa: ANN001
    bad = tmp_path / "hong.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    wizard = FirstRunWizard(Settings(path=gui_home / "s.json"), gui_home / "x.sqlite")
    qtbot.addWidget(wizard)
    wizard.show()
    fill_office(qtbot, wizard)
    wizard.next()
    wizard.source_page.import_radio.setChecked(True)
    wizard.source_page.file.setText(str(bad))
    wizard.next()
    page = wizard.preview_page
    qtbot.waitUntil(lambda: page.job is not None and not page.job.running, timeout=10000)
    assert not page.isComplete()
    assert "hong.xlsx" in page.view.summary.text()
    assert not (gui_home / "x.sqlite").exists()


def test_wizard_creates_a_receiving_file_and_the_window_opens_on_receiving(qtbot, gui_home: Path):  # noqa: ANN001
    from app.models.plan import OfficeMode
    from app.receiving.store import Receiving
    from app.ui.app import open_main_window

    settings = Settings(path=gui_home / "config" / "settings.json")
    target = gui_home / "so-khcn.sqlite"
    wizard = FirstRunWizard(settings, target)
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.office_page
    page.mode.setCurrentIndex(page.mode.findData(OfficeMode.RECEIVING))
    page.name.insert("Sở Khoa học và Công nghệ Thanh Hóa")
    wizard.next()
    source = wizard.source_page
    source.samples.setCurrentIndex(source.samples.findData("bim-son"))  # the reference plan
    wizard.next()
    wizard.button(QWizard.WizardButton.FinishButton).click()

    with Receiving.open(target) as receiving:  # refuses a reporting file
        assert receiving.store.plan.office().mode is OfficeMode.RECEIVING
        assert len(receiving.store.plan.load().indicators()) == 52
    window = open_main_window(target, settings)
    qtbot.addWidget(window)
    labels = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert labels[0] == "Nhận & tổng hợp" and "Gói báo cáo" not in labels
    assert type(window.stack.currentWidget()).__name__ == "ReceivingPage"
    window.session.store.close()
