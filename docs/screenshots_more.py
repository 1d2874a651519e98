"""More screenshots for docs/images/: the first-run wizard's pages, the plan's indicator and task
dialogs, the ad-hoc report dialog, and the receiving office's pages with the trust dialog.

Run by docs/make_screenshots.sh after docs/screenshots.py, on the same Xvfb screen
(1366×768, 40 px kept for the taskbar): the real window on the Bỉm Sơn demo file;
each dialog is shown non-modally over it and captured from the X screen itself.

    DISPLAY=:96 python docs/screenshots_more.py docs/images
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

Shot = Callable[[str], None]
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TODAY = date(2026, 11, 23)
TASKBAR = 40


def _centre(widget: Any, window: Any) -> None:
    geo = window.geometry()
    widget.move(geo.center() - widget.rect().center())


def plan_dialogs(window: Any, shot: Shot, today: date) -> None:
    """Kế hoạch: "Sửa chỉ tiêu", "Sửa nhiệm vụ"; Kỳ báo cáo: the ad-hoc report dialog."""
    from app.ui.ad_hoc_dialog import AdHocReportDialog
    from app.ui.plan_dialogs import IndicatorDialog, TaskDialog

    window.show_page("plan")
    plan = window.session.plan()
    indicator = plan.indicators()[1]
    dialog = IndicatorDialog(plan.info.milestones, indicator, window)
    dialog.show()
    _centre(dialog, window)
    shot("dialog-indicator")
    dialog.close()
    task = plan.tasks()[0]
    dialog = TaskDialog(task, window)
    dialog.show()
    _centre(dialog, window)
    shot("dialog-task")
    dialog.close()
    window.show_page("periods")
    ad_hoc = AdHocReportDialog(today, window)
    ad_hoc.show()
    _centre(ad_hoc, window)
    shot("dialog-ad-hoc-report")
    ad_hoc.close()


def wizard_pages(app: Any, home: Path, shot: Shot) -> None:
    """The first-run wizard: office, source (an Excel plan chosen), its preview, data file."""
    from app.importers.plan_template import write_plan_template
    from app.models.samples import load_sample
    from app.settings import Settings
    from app.ui.wizard import FirstRunWizard

    workbook = write_plan_template(home / "phu-luc-ke-hoach.xlsx", load_sample("thong-nhat"))
    wizard = FirstRunWizard(
        Settings(path=home / "wizard-settings.json"), home / "thong-nhat.sqlite"
    )
    wizard.show()
    wizard.move(250, 40)
    page = wizard.office_page
    page.name.insert("Xã Thống Nhất")
    page.level.setCurrentText("xã")
    page.province.insert("Đồng Nai")
    page.issuing_body.insert("ỦY BAN NHÂN DÂN XÃ THỐNG NHẤT")
    page.signer_name.insert("Trần Văn Bình")
    page.signer_title.insert("CHỦ TỊCH")
    shot("wizard-1-office")
    wizard.next()
    wizard.source_page.import_radio.setChecked(True)
    wizard.source_page.file.setText(str(workbook))
    shot("wizard-2-source")
    wizard.next()
    deadline = time.monotonic() + 60
    while not wizard.preview_page.isComplete() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.05)
    shot("wizard-3-preview")
    wizard.next()
    shot("wizard-4-data-file")
    wizard.close()


def receiving_pages(app: Any, home: Path, shot: Shot, free: Any) -> None:
    """A province file with two offices' packages (one tampered, rejected), the trust dialog
    for an office key file, the matrix and the trusted keys."""
    import json

    from app.operations import receive as receive_ops
    from app.packages.format import dumps
    from app.receiving.store import Receiving
    from app.settings import Settings
    from app.ui.app import open_main_window
    from app.ui.trust_dialog import TrustKeyDialog
    from tests.test_package_fixtures import bag_files, rezip
    from tests.test_receiving_fixtures import ON_TIME, export, make_office, office_key_file

    keys, inbox = home / "keys", home / "inbox"
    keys.mkdir()
    office_keys = []
    for i in range(3):
        store, key = make_office(keys, i)
        office_keys.append(office_key_file(keys, i))
        with store:
            if i == 2:
                continue  # its key is the one being trusted in the dialog
            path = export(store, key, inbox / f"d{i}", ON_TIME)
        if i == 1:  # changed on the way: rejected
            top, bag = bag_files(path)
            data = json.loads(bag["data/data.json"])
            data["values"][0]["value"] = 99.0
            bag["data/data.json"] = dumps(data)
            path.write_bytes(rezip(top, bag))
    db = home / "so-khcn.sqlite"
    with Receiving.create(db, "Sở Khoa học và Công nghệ Thanh Hóa") as receiving:
        for i in range(2):
            receive_ops.trust_keys(receiving, [office_keys[i]])
    receive_ops.ingest_packages(db, [inbox])
    window = open_main_window(db, Settings(path=home / "recv-settings.json"), date(2026, 11, 23))
    window.show()
    window.setGeometry(free)
    page = window.show_page("receiving")
    page.reload()
    shot("screen-receiving")
    key = receive_ops.read_key_file(office_keys[2])
    dialog = TrustKeyDialog(key, page.receiving.offices(), window)
    dialog.show()
    _centre(dialog, window)
    shot("dialog-trust-key")
    dialog.close()
    page.show_rejected()
    shot("screen-receiving-rejected")
    page.tabs.setCurrentWidget(page.keys_tab)
    page.keys_tab.table.selectRow(0)
    shot("screen-receiving-keys")
    window.close()


def main(out: Path) -> list[Path]:
    from PySide6.QtCore import QRect

    from app.models.samples import fill_demo, load_sample
    from app.models.store import Store
    from app.settings import Settings
    from app.ui.app import make_app, open_main_window

    home = Path(tempfile.mkdtemp(prefix="theodoi57-shots-more-"))
    os.environ["THEODOI57_HOME"] = str(home)
    db = home / "bim-son-demo.sqlite"
    plan = load_sample("bim-son")
    with Store.create(db, plan.office, plan) as store:
        fill_demo(store, TODAY)
    app = make_app()
    window = open_main_window(db, Settings(path=home / "settings.json"), TODAY)
    screen = app.primaryScreen().geometry()
    free = QRect(0, 0, screen.width(), screen.height() - TASKBAR)
    window.show_fitted()
    window.setGeometry(free)
    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []

    def shot(name: str) -> None:
        for _ in range(20):
            app.processEvents()
        path = out / f"{name}.png"
        subprocess.run(["import", "-window", "root", str(path)], check=True)
        saved.append(path)

    plan_dialogs(window, shot, TODAY)
    window.close()
    wizard_pages(app, home, shot)
    receiving_pages(app, home, shot, free)
    return saved


if __name__ == "__main__":
    for saved_path in main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "images"):
        print(saved_path)
