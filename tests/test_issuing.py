"""Issuing a report as an electronic document: number, date, two PAdES signatures.

The signed PDF is read back with outside tools: pdftotext (number and date in
the text layer), pdffonts (every font embedded, the signature appearances
included), pdfsig (poppler: both signatures valid), and pyHanko through the
package verifier with the test CA as the trust root.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.cli import main
from app.models.errors import UserError
from app.models.progress import NarrativeSection
from app.packages.export import export_package
from app.packages.pdf_signing import (
    FIELD_NAME,
    ORG_FIELD_NAME,
    P12PdfSigner,
    seal_box,
    signature_image_box,
)
from app.packages.verify import verify_package

from .issuing_fixtures import (
    ORGANISATION,
    P12_PASSPHRASE,
    SIGNER,
    make_pki,
    seal_png,
    signature_png,
)
from .test_package_fixtures import PASSPHRASE, TODAY, bag_files, make_key, make_store

Q1 = "2026-Q1"
needs_poppler = pytest.mark.skipif(
    shutil.which("pdfsig") is None or shutil.which("pdffonts") is None,
    reason="poppler-utils missing",
)


@pytest.fixture(scope="module")
def issued(tmp_path_factory):
    """Q1 exported with both certificates and both images, the PC set to New York time."""
    folder = tmp_path_factory.mktemp("issuing")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("THEODOI57_HOME", str(folder / "home"))
        mp.setenv("TZ", "America/New_York")  # the PC's zone must not matter
        time.tzset()
        pki = make_pki(folder)
        store = make_store(folder, attachments=0)
        store.register.set_image("signature", signature_png(), "chu-ky.png")
        store.register.set_image("seal", seal_png(), "con-dau.png", 35.0)
        key = make_key(folder)
        result = export_package(
            store, Q1, folder, key, today=TODAY,
            pdf_signer=P12PdfSigner(pki["signer_p12"], P12_PASSPHRASE),
            org_signer=P12PdfSigner(pki["org_p12"], P12_PASSPHRASE),
        )  # fmt: skip
        pdf_path = folder / "report.pdf"
        pdf_path.write_bytes(bag_files(result.path)[1]["data/report.pdf"])
        yield {"folder": folder, "store": store, "key": key, "pki": pki, "result": result,
               "pdf": pdf_path}  # fmt: skip
        store.close()
    time.tzset()


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip


def test_the_number_and_issue_date_are_in_the_signed_text(issued):
    result = issued["result"]
    assert result.issued.reference == "01-BC/TU" and result.issued.issued_on == TODAY
    assert result.signatures == 2
    page_one = _text(issued["pdf"]).split("\f")[0]
    assert "Số 01-BC/TU" in page_one
    assert "Bỉm Sơn, ngày 10 tháng 4 năm 2026" in page_one
    assert "(Kèm theo Báo cáo số 01-BC/TU ngày 10/04/2026 của Thị ủy Bỉm Sơn)" in " ".join(
        _text(issued["pdf"]).split()
    )
    package = json.loads(bag_files(result.path)[1]["package.json"])
    assert package["document"] == {"number": 1, "code": "BC/TU", "reference": "01-BC/TU",
                                   "issued_on": "2026-04-10"}  # fmt: skip


def test_two_signatures_valid_and_trusted_under_the_test_ca(issued):
    check = verify_package(
        issued["result"].path, [issued["key"]], pdf_trust_roots=[issued["pki"]["ca"]]
    )
    assert check.ok, check.message
    status = check.pdf_signature
    assert [s.field for s in status.signatures] == [FIELD_NAME, ORG_FIELD_NAME]
    assert [s.signer for s in status.signatures] == [SIGNER, ORGANISATION]
    assert all(s.valid and s.trusted and s.intact for s in status.signatures)
    assert status.whole_file  # the organisation's signature covers the whole file
    assert all(s.certificates == 2 for s in status.signatures)  # the chain: signer and CA
    assert all(s.signed_at.endswith("+07:00") for s in status.signatures), status.signed_at
    assert status.level == "PAdES B-B"
    assert check.message.endswith(
        f"chữ ký số hợp lệ của {SIGNER} và {ORGANISATION} (chứng thư số tin cậy; PAdES B-B)."
    )


@needs_poppler
def test_pdfsig_validates_both_and_pdffonts_finds_every_font_embedded(issued):
    out = subprocess.run(["pdfsig", str(issued["pdf"])], capture_output=True, text=True).stdout
    assert out.count("Signature is Valid.") == 2, out
    assert f"Signer Certificate Common Name: {SIGNER}" in out
    assert f"Signer Certificate Common Name: {ORGANISATION}" in out
    assert "Total document signed" in out
    fonts = subprocess.run(["pdffonts", str(issued["pdf"])], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]  # fmt: skip
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # emb column
    assert not any("Helvetica" in line for line in fonts)


def test_signing_times_are_vietnam_time_whatever_the_pc_zone(issued):
    reader = PdfReader(issued["pdf"])
    fields = reader.get_fields()
    for name in (FIELD_NAME, ORG_FIELD_NAME):
        moment = fields[name]["/V"].get_object()["/M"]
        assert moment.startswith("D:") and moment.endswith("+07'00'"), moment


def test_the_seal_covers_the_left_third_of_the_signature_image(issued):
    reader = PdfReader(issued["pdf"])
    rects = {}
    for page in reader.pages:
        for annot in page.get("/Annots", []):
            a = annot.get_object()
            if a.get("/FT") == "/Sig":
                rects[a["/T"]] = [float(v) for v in a["/Rect"]]
    signer, seal = rects[FIELD_NAME], rects[ORG_FIELD_NAME]
    box = (0, *signer)
    left, _b, right, _t = signature_image_box(box)  # type: ignore[arg-type]
    image_left, image_width = signer[0] + left, right - left
    assert seal[2] == pytest.approx(image_left + image_width / 3, abs=0.5)
    assert seal[2] - seal[0] == pytest.approx(35 * 72 / 25.4, abs=0.5)  # the seal's real size
    assert seal == pytest.approx(list(seal_box(box, 35.0)[1:]), abs=0.5)  # type: ignore[arg-type]


def test_the_register_proposes_the_next_number_and_never_gives_one_twice(issued, tmp_path):
    store, key = issued["store"], issued["key"]
    assert store.register.next_number(2026, "BC/TU") == 2
    store.closing.reopen_period(Q1, "Sửa số liệu chỉ tiêu 1")
    with pytest.raises(
        UserError, match="Số 01 \\(BC/TU\\) năm 2026 đã cấp.*Số tiếp theo còn trống: 02"
    ):
        export_package(store, Q1, tmp_path, key, today=TODAY, number=1, attachments=False)
    assert not list(tmp_path.iterdir())  # refused before anything was written
    second = export_package(store, Q1, tmp_path, key, today=TODAY, number=7, attachments=False)
    assert second.issued.reference == "07-BC/TU" and second.signatures == 0  # no certificate
    assert [i.reference for i in store.register.issued(Q1)] == ["01-BC/TU", "07-BC/TU"]
    assert store.register.next_number(2026, "BC/TU") == 8
    assert store.register.next_number(2027, "BC/TU") == 1  # numbers start again each year
    package = json.loads(bag_files(second.path)[1]["package.json"])
    assert package["replaces"]["reference"] == "01-BC/TU"
    assert package["reopen_reason"] == "Sửa số liệu chỉ tiêu 1"


def test_export_refuses_a_report_without_signer_or_with_empty_sections(tmp_path, monkeypatch):
    from dataclasses import replace

    monkeypatch.setenv("THEODOI57_HOME", str(tmp_path / "home"))
    with make_store(tmp_path, attachments=0) as store:
        key = make_key(tmp_path)
        office = store.plan.office()
        store.plan.update_office(replace(office, signer_name=None))
        store.entries.set_narrative(Q1, NarrativeSection.DIRECTIONS, "")
        with pytest.raises(UserError) as refused:
            export_package(store, Q1, tmp_path, key, today=TODAY, attachments=False)
        message = refused.value.message
        assert "Chưa có họ tên người ký: ghi tại Cài đặt › Đơn vị và người ký." in message
        assert "mục III “Phương hướng, nhiệm vụ kỳ tới”" in message
        assert "Kỳ báo cáo › Quý I/2026 › Nội dung báo cáo" in message
        assert "ghi “Không”" in message
        assert store.register.issued() == []  # nothing numbered
        store.plan.update_office(office)
        store.entries.set_narrative(Q1, NarrativeSection.DIRECTIONS, "Không")
        done = export_package(store, Q1, tmp_path, key, today=TODAY, attachments=False)
        assert done.issued.reference == "01-BC/TU"


def test_cli_numbers_dates_and_signs_twice(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("THEODOI57_HOME", str(tmp_path / "home"))
    pki = make_pki(tmp_path)
    store = make_store(tmp_path, attachments=0)
    key = make_key(tmp_path)
    store.close()
    png = tmp_path / "chu-ky.png"
    png.write_bytes(signature_png())
    seal = tmp_path / "con-dau.png"
    seal.write_bytes(seal_png())
    db = str(tmp_path / "bim-son.sqlite")
    assert main(["report", "images", "--db", db, "--signature", str(png), "--seal", str(seal),
                 "--seal-mm", "36"]) == 0  # fmt: skip
    assert "36 mm" in capsys.readouterr().out
    monkeypatch.setenv("KEY_PASS", PASSPHRASE)
    monkeypatch.setenv("P12_PASS", P12_PASSPHRASE)
    out = tmp_path / "out"
    out.mkdir()
    args = ["report", "export", "--db", db, "--period", Q1, "--out", str(out), "--key",
            str(key.path), "--passphrase-env", "KEY_PASS", "--p12", str(pki["signer_p12"]),
            "--p12-passphrase-env", "P12_PASS", "--org-p12", str(pki["org_p12"]),
            "--org-p12-passphrase-env", "P12_PASS", "--number", "12", "--issue-date", "2026-04-12"]  # fmt: skip
    assert main(args) == 0, capsys.readouterr().err
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == "Số văn bản: 12-BC/TU, ngày 12/04/2026"
    assert lines[2] == "Chữ ký số trên báo cáo PDF: 2"
    from datetime import date

    from app.packages.pdf_signing import vietnam_now

    noted = lines[-1].startswith("Lưu ý: ngày ban hành 12/04/2026 khác ngày lập gói")
    assert noted == (vietnam_now().date() != date(2026, 4, 12))  # said only when they differ
    check = verify_package(Path(lines[0]), [key], pdf_trust_roots=[pki["ca"]])
    assert check.ok and len(check.pdf_signature.signatures) == 2, check.message
    not_png = tmp_path / "anh.jpg"
    not_png.write_bytes(b"\xff\xd8\xff not a png")
    assert main(["report", "images", "--db", db, "--seal", str(not_png)]) == 1
    assert "Ảnh con dấu phải là tệp ảnh PNG nền trong suốt." in capsys.readouterr().err
