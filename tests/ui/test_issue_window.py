"""Issue 18 in the window: the export asks the number, date and organisation certificate;
Cài đặt keeps the signature and seal images and the organisation's certificate; an
unfinished report takes the secretary to the field to fill."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QApplication

from app.models.outgoing_register import SEAL_IMAGE, SIGNATURE_IMAGE, IssuedNumber
from app.models.progress import NarrativeSection
from app.operations import plan as plan_ops
from app.packages.pdf_signing import pdf_signature_status
from app.ui.issue_dialog import IssueDialog

from ..issuing_fixtures import (
    ORGANISATION,
    P12_PASSPHRASE,
    SIGNER,
    make_pki,
    seal_png,
    signature_png,
)
from .conftest import TODAY, read_store

KEY = "mat-khau-ky-57"


def _member(path, name: str) -> bytes:  # noqa: ANN001
    with zipfile.ZipFile(path) as z:
        (found,) = [n for n in z.namelist() if n == name or n.endswith("/" + name)]
        return z.read(found)


def _setup_signing(window, dialogs, tmp_path) -> dict:  # noqa: ANN001
    """Key, both certificates and both images, chosen in Cài đặt as the secretary would."""
    pki = make_pki(tmp_path)
    settings_page = window.show_page("settings")
    dialogs.answers["new_passphrase"] = KEY
    settings_page.keys.generate()
    dialogs.answers["open_file"] = pki["signer_p12"]
    settings_page.certificate.choose_p12()
    dialogs.answers["open_file"] = pki["org_p12"]
    settings_page.org_certificate.choose_p12()
    (tmp_path / "ky.png").write_bytes(signature_png())
    (tmp_path / "dau.png").write_bytes(seal_png())
    images = settings_page.images
    assert images.choose(SIGNATURE_IMAGE, tmp_path / "ky.png")
    images.seal_mm.setValue(32.0)
    assert images.choose(SEAL_IMAGE, tmp_path / "dau.png")
    return pki


def test_cai_dat_keeps_images_in_the_data_file_and_the_org_certificate_in_settings(
    qtbot, window, demo_db, tmp_path, dialogs
):  # noqa: ANN001
    pki = _setup_signing(window, dialogs, tmp_path)
    assert window.settings.org_certificate == "pkcs12"
    assert window.settings.org_p12_path == str(pki["org_p12"])
    assert window.settings.pdf_p12_path == str(pki["signer_p12"])  # the signer's untouched
    images = window.show_page("settings").images
    assert not images.previews[SIGNATURE_IMAGE].pixmap().isNull()
    assert images.notes[SEAL_IMAGE].text() == "Đã lưu ảnh con dấu dau.png. (500×500 điểm ảnh)"
    images.seal_mm.setValue(36.5)
    assert images.save_seal_size()
    with read_store(demo_db) as store:
        seal = store.register.image(SEAL_IMAGE)
        assert (seal.png, seal.file_name, seal.size_mm) == (seal_png(), "dau.png", 36.5)
        assert store.register.image(SIGNATURE_IMAGE).png == signature_png()
    (tmp_path / "not.png").write_bytes(b"GIF89a")
    assert not images.choose(SIGNATURE_IMAGE, tmp_path / "not.png")
    assert dialogs.texts("error")[-1] == "Ảnh chữ ký phải là tệp ảnh PNG nền trong suốt."
    assert images.forget(SIGNATURE_IMAGE)
    with read_store(demo_db) as store:
        assert store.register.image(SIGNATURE_IMAGE) is None
    assert images.previews[SIGNATURE_IMAGE].text() == "(chưa chọn)"


def test_export_asks_number_date_and_organisation_and_signs_twice(
    qtbot, window, demo_db, tmp_path, dialogs, monkeypatch
):  # noqa: ANN001
    pki = _setup_signing(window, dialogs, tmp_path)
    seen: dict = {}

    def fill(dialog: IssueDialog) -> None:
        seen["proposed"] = dialog.number.value()
        seen["reference"] = dialog.reference.text()
        seen["org"] = (dialog.org.text(), dialog.org.isChecked())
        dialog.date.setDate(QDate(2026, 11, 20))
        dialog.number.setValue(7)  # given on paper first

    dialogs.answers["issue"] = fill
    asked: list[str] = []
    answers = iter([KEY, P12_PASSPHRASE, P12_PASSPHRASE])
    from app.ui import messages

    monkeypatch.setattr(
        messages, "ask_passphrase", lambda p, prompt, t="": asked.append(prompt) or next(answers)
    )
    page = window.show_page("packages")
    out = tmp_path / "goi"
    out.mkdir()
    job = page.export_current(out)
    assert job is not None
    qtbot.waitUntil(lambda: not job.running, timeout=120_000)
    assert job.error is None, job.error
    assert seen["proposed"] == 1
    assert (
        seen["reference"] == "<b>01-BC/TU</b>, ngày 23/11/2026 (số tiếp theo trong sổ văn bản đi)"
    )
    assert seen["org"] == ("Ký số của cơ quan bằng tệp co-quan.p12, đóng dấu lên chữ ký", True)
    assert asked == [
        "Nhập mật khẩu khóa ký để ký gói báo cáo:",
        "Nhập mật khẩu tệp chứng thư số (.p12) để ký số báo cáo PDF:",
        "Nhập mật khẩu tệp chứng thư số của cơ quan (.p12) để ký số của cơ quan:",
    ]
    document = json.loads(_member(job.result.path, "package.json"))["document"]
    assert document == {"number": 7, "code": "BC/TU", "reference": "07-BC/TU",
                        "issued_on": "2026-11-20"}  # fmt: skip
    with read_store(demo_db) as store:
        (issued,) = store.register.issued()
        assert (issued.number, issued.issued_on, issued.period_id) == (
            7,
            date(2026, 11, 20),
            "2026-Y",
        )
    pdf = _member(job.result.path, "report.pdf")
    status = pdf_signature_status(pdf, [pki["ca"]])
    assert [s.signer for s in status.signatures] == [SIGNER, ORGANISATION]
    assert all(s.valid and s.trusted and s.signed_at.endswith("+07:00") for s in status.signatures)
    assert "Số 07-BC/TU" in _text(pdf, tmp_path) and "ngày 20 tháng 11 năm 2026" in _text(
        pdf, tmp_path
    )
    if shutil.which("pdfsig"):
        (tmp_path / "r.pdf").write_bytes(pdf)
        sig = subprocess.run(
            ["pdfsig", str(tmp_path / "r.pdf")], capture_output=True, text=True
        ).stdout
        assert sig.count("Signature is Valid.") == 2, sig
    assert "07-BC/TU" in dialogs.texts("info")[-1]


def _text(pdf: bytes, folder) -> str:  # noqa: ANN001
    import io

    from pypdf import PdfReader

    return " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages[:1])


def test_a_number_already_given_is_refused_with_the_registers_message(qtbot, demo_db):  # noqa: ANN001
    with read_store(demo_db) as store:
        store.register.record(IssuedNumber(3, "BC/TU", date(2026, 10, 2), "report", "2026-Q3", 1))
    dialog = IssueDialog(demo_db, "Ký và xuất gói báo cáo kỳ Năm 2026?", TODAY, signer=SIGNER)
    qtbot.addWidget(dialog)
    assert (dialog.number.value(), dialog.number.text()) == (4, "04")  # the register's next
    dialog.number.setValue(3)
    message = (
        "Số 03 (BC/TU) năm 2026 đã cấp cho văn bản ngày 02/10/2026; một số không được cấp "
        "hai lần. Số tiếp theo còn trống: 04."
    )
    assert dialog.problem.text() == message  # said as it is typed
    dialog.accept()
    assert dialog.result() == 0 and dialog.problem.text() == message  # stays open
    dialog.date.setDate(QDate(2027, 1, 5))  # another year: 03 is free there
    assert dialog.problem.text() == ""
    dialog.accept()
    assert dialog.result() == 1
    assert dialog.choice() == replace(dialog.choice(), number=3, issue_date=date(2027, 1, 5))
    assert dialog.choice().org_signs is False  # no organisation certificate in Cài đặt


def test_missing_signer_name_opens_cai_dat_at_the_field(qtbot, window, demo_db, dialogs):  # noqa: ANN001
    session = window.session
    office = session.store.plan.office()
    session.run(lambda s: plan_ops.save_office(s, replace(office, signer_name="")))
    page = window.show_page("packages")
    dialogs.answers["passphrase"] = KEY
    assert page.export_current() is None
    assert dialogs.texts("error")[-1] == (
        "Báo cáo Năm 2026 chưa đủ để ban hành:\n"
        "- Chưa có họ tên người ký: ghi tại Cài đặt › Đơn vị và người ký."
    )
    assert window.current_key() == "settings"
    field = window.page("settings").office_fields["signer_name"]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field)
    assert dialogs.texts("confirm") == [] and dialogs.texts("passphrase") == []  # nothing asked


def test_empty_section_opens_the_report_content_tab_at_it(qtbot, window, demo_db, dialogs):  # noqa: ANN001
    store = window.session.store
    for section in (NarrativeSection.DIRECTIONS, NarrativeSection.PROPOSALS):
        store.entries.set_narrative("2026-Y", section, "")
    page = window.show_page("packages")
    assert page.export_current() is None
    assert "mục III “Phương hướng, nhiệm vụ kỳ tới”; mục IV" in dialogs.texts("error")[-1]
    assert window.current_key() == "periods"
    entry = window.page("periods").entry
    assert entry.period_id == "2026-Y"
    assert entry.tabs.currentWidget() is entry.narrative_page
    edit = entry.narrative_edits[NarrativeSection.DIRECTIONS]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is edit)
    edit.setPlainText("Không")
    entry.save_narrative()
    with read_store(demo_db) as s:
        assert s.entries.narrative("2026-Y")[NarrativeSection.DIRECTIONS] == "Không"


@pytest.fixture(autouse=True)
def _no_real_folder_dialog(dialogs, tmp_path):  # noqa: ANN001
    dialogs.answers["folder"] = tmp_path
