# ruff: noqa: F811  (the receiving page fixtures are imported by name)
"""The receiving office issues its consolidated PDF from "Xuất tổng hợp…" (issue 18, point 5):
numbered from the receiving file's register and dated, as `receive export --issue` does."""

from __future__ import annotations

import subprocess
from datetime import date

from PySide6.QtCore import QDate

from app.operations import receive as receive_ops
from app.receiving.store import Receiving
from app.ui.issue_dialog import IssueDialog

from .test_receiving_page import _ingest, inbox, page  # noqa: F401 (fixtures)


def test_export_issues_the_consolidated_pdf_with_number_and_date(
    qtbot,
    page,
    inbox,
    tmp_path,
    dialogs,  # noqa: F811
):  # noqa: ANN001
    receive_ops.save_letterhead(page.path, {
        "parent_body": "ỦY BAN NHÂN DÂN TỈNH THANH HÓA", "doc_code": "SKHCN",
        "signer_name": "Lê Văn Bình", "signer_title": "GIÁM ĐỐC", "place": "Thanh Hóa",
    })  # fmt: skip
    _ingest(qtbot, page, inbox[0])
    seen = {}

    def fill(dialog: IssueDialog) -> None:
        seen["issue"] = dialog.issue.isVisible() or dialog.issue.isChecked()
        seen["proposed"] = dialog.number.value()
        dialog.date.setDate(QDate(2026, 4, 12))
        dialog.number.setValue(9)

    dialogs.answers["issue"] = fill
    out = tmp_path / "tong-hop.xlsx"
    job = page.export(out)
    assert job is not None
    qtbot.waitUntil(lambda: not job.running, timeout=60_000)
    assert job.error is None, job.error
    assert seen == {"issue": True, "proposed": 1}
    assert job.result.reference == "09/BC-SKHCN"
    text = subprocess.run(["pdftotext", str(out.with_suffix(".pdf")), "-"],
                          capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert "Số: 09/BC-SKHCN" in text and "Thanh Hóa, ngày 12 tháng 4 năm 2026" in text
    with Receiving.open(page.path) as receiving:
        (issued,) = receiving.store.register.issued()
    assert (issued.number, issued.kind, issued.issued_on) == (9, "consolidation", date(2026, 4, 12))


def test_without_a_signer_the_pdf_is_exported_as_before_unless_asked(
    qtbot,
    page,
    inbox,
    tmp_path,
    dialogs,  # noqa: F811
):  # noqa: ANN001
    _ingest(qtbot, page, inbox[0])
    dialogs.answers["issue"] = lambda d: None  # defaults: not issued (no signer yet)
    out = tmp_path / "tong-hop.xlsx"
    job = page.export(out)
    qtbot.waitUntil(lambda: not job.running, timeout=60_000)
    assert job.error is None and job.result.reference is None
    dialogs.answers["issue"] = lambda d: d.issue.setChecked(True)
    job = page.export(out)
    qtbot.waitUntil(lambda: not job.running, timeout=60_000)
    assert job.error is not None and job.error.startswith(
        "Chưa có họ tên người ký và chức vụ người ký của đơn vị tiếp nhận"
    )
    with Receiving.open(page.path) as receiving:
        assert receiving.store.register.issued() == []
