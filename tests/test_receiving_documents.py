"""The receiving office's own documents: letterhead settings, the issued consolidated PDF,
and "Chưa nộp" only for the reports an office owes under its own regime."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from app.cli import main
from app.models.samples import DEMO_NARRATIVE, load_sample
from app.models.store import Store
from app.packages.export import export_package
from app.packages.pdf_signing import pdf_signature_status
from app.packages.signing_keys import export_public, generate_key, public_path_for
from app.receiving.matrix import CellState, build_matrix, owes
from app.receiving.store import Receiving

from .issuing_fixtures import P12_PASSPHRASE, make_pki, seal_png, signature_png
from .test_receiving_fixtures import PASSPHRASE, fill_office

SETTINGS = ["--parent-body", "ỦY BAN NHÂN DÂN TỈNH THANH HÓA",
            "--issuing-body", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "--place", "Thanh Hóa",
            "--doc-code", "SKHCN", "--signer-name", "Lê Văn Bình",
            "--signer-title", "PHÓ GIÁM ĐỐC", "--signer-authority", "KT. GIÁM ĐỐC",
            "--addressee", "Ủy ban nhân dân tỉnh", "--recipient", "Lưu: VT, QLKH"]  # fmt: skip


def test_an_office_owes_only_the_reports_of_its_own_regime():
    six_monthly = load_sample("thong-nhat").info  # 6-monthly and yearly
    quarterly = load_sample("bim-son").info
    assert not owes(six_monthly, "2026-Q1") and owes(six_monthly, "2026-H1")
    assert owes(quarterly, "2026-Q1") and owes(quarterly, "2026-H1")
    assert not owes(quarterly, "2026-Q2")  # merged into the half-year report
    assert owes(six_monthly, "2026-Y") and not owes(six_monthly, "2026-M03")


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    """A receiving file set up on the command line; a 6-monthly office sent its H1 report,
    a quarterly office sent nothing."""
    root = tmp_path_factory.mktemp("province")
    db = root / "province.sqlite"
    assert main(["receive", "init", "--db", str(db), "--office", "Sở Khoa học và Công nghệ",
                 *SETTINGS[:4]]) == 0  # fmt: skip
    assert main(["receive", "settings", "--db", str(db), *SETTINGS[4:]]) == 0
    plan = load_sample("thong-nhat")
    plan.office = replace(plan.office, signer_name="Trần Văn Nam")
    inbox = root / "inbox"
    inbox.mkdir()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("THEODOI57_HOME", str(root / "home"))
        with Store.create(root / "tn.sqlite", plan.office, plan) as store:
            fill_office(store, 1)  # fills 2026-Q1 entries; H1 is what this office owes
            for section, text in DEMO_NARRATIVE.items():
                store.entries.set_narrative("2026-H1", section, text)
            key = generate_key(root / "tn.pem", PASSPHRASE)
            export_public(key, public_path_for(root / "tn.pem"))
            export_package(store, "2026-H1", inbox, key, attachments=False,
                           today=__import__("datetime").date(2026, 6, 5), allow_incomplete=True)  # fmt: skip
    with Receiving.open(db) as receiving:
        office = receiving.add_office("Xã Thống Nhất", code="01")
        receiving.add_office("Phường Ba Đình", code="02")
        receiving.trust_files([public_path_for(root / "tn.pem")], office.id)
        from app.receiving.ingest import ingest

        ingest(receiving, [inbox])
    return root, db


def test_settings_are_the_office_letterhead(province):
    _root, db = province
    with Receiving.open(db) as receiving:
        office = receiving.store.plan.office()
    assert office.parent_body == "ỦY BAN NHÂN DÂN TỈNH THANH HÓA"
    assert office.issuing_body == "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    assert (office.place, office.doc_code) == ("Thanh Hóa", "SKHCN")
    assert (office.signer_name, office.signer_title) == ("Lê Văn Bình", "PHÓ GIÁM ĐỐC")
    assert office.recipients == ["Ủy ban nhân dân tỉnh", "Lưu: VT, QLKH"]


def test_chua_nop_only_where_the_office_owes_the_report(province):
    _root, db = province
    with Receiving.open(db) as receiving:
        matrix = build_matrix(receiving, ["2026-Q1", "2026-H1"])
        by_name = {o.name: o.id for o in matrix.offices}
        six_monthly, unknown = by_name["Xã Thống Nhất"], by_name["Phường Ba Đình"]
        assert matrix.cell(six_monthly, "2026-Q1").state is CellState.NOT_DUE
        assert matrix.cell(six_monthly, "2026-Q1").state.label == "Không thuộc kỳ báo cáo"
        assert matrix.cell(six_monthly, "2026-H1").state in (CellState.ON_TIME, CellState.LATE)
        assert matrix.cell(unknown, "2026-Q1").state is CellState.MISSING  # regime not known


def test_the_consolidated_pdf_is_issued_numbered_and_signed(province, monkeypatch, capsys):
    root, db = province
    pki = make_pki(root)
    with Receiving.open(db) as receiving:
        receiving.store.register.set_image("signature", signature_png(), "ky.png")
        receiving.store.register.set_image("seal", seal_png(), "dau.png", 40.0)
    monkeypatch.setenv("P12_PASS", P12_PASSPHRASE)
    pdf = root / "tong-hop.pdf"
    args = ["receive", "export", "--db", str(db), "--period", "2026-H1",
            "--out", str(root / "tong-hop.xlsx"), "--pdf", str(pdf), "--issue-date", "2026-06-20",
            "--p12", str(pki["signer_p12"]), "--p12-passphrase-env", "P12_PASS",
            "--org-p12", str(pki["org_p12"]), "--org-p12-passphrase-env", "P12_PASS"]  # fmt: skip
    assert main(args) == 0, capsys.readouterr().err
    assert "Số văn bản: 01/BC-SKHCN; chữ ký số: 2" in capsys.readouterr().out
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    flat = " ".join(text.split())
    for expected in ("ỦY BAN NHÂN DÂN TỈNH THANH HÓA", "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
                     "Số: 01/BC-SKHCN", "Thanh Hóa, ngày 20 tháng 6 năm 2026",
                     "Kính gửi: Ủy ban nhân dân tỉnh.", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC",
                     "Lê Văn Bình", "Nơi nhận:", "- Như trên;", "- Lưu: VT, QLKH."):  # fmt: skip
        assert expected in flat, expected
    status = pdf_signature_status(pdf.read_bytes(), [pki["ca"]])
    assert status is not None and status.valid and status.trusted and status.whole_file
    assert len(status.signatures) == 2
    # The next one takes the next number; the register never gives 01 again.
    assert main([*args[:-8], "--number", "1"]) == 1
    assert "đã cấp" in capsys.readouterr().err
    assert main(args[:-8]) == 0
    assert "Số văn bản: 02/BC-SKHCN; chữ ký số: 0" in capsys.readouterr().out


def test_an_unsigned_receiving_office_cannot_issue(tmp_path, capsys):
    db = tmp_path / "p.sqlite"
    assert main(["receive", "init", "--db", str(db), "--office", "Sở Nội vụ"]) == 0
    code = main(["receive", "export", "--db", str(db), "--period", "2026-Q1", "--out",
                 str(tmp_path / "a.xlsx"), "--pdf", str(tmp_path / "a.pdf"), "--issue"])  # fmt: skip
    assert code == 1
    err = capsys.readouterr().err
    assert "Chưa có họ tên người ký và chức vụ người ký của đơn vị tiếp nhận" in err
    assert "receive settings" in err
    assert not Path(tmp_path / "a.pdf").exists()
