"""PAdES signatures on the report PDF: PKCS#12 file and PKCS#11 token (SoftHSM2).

A test CA and the signer's certificate are made at run time; the signed PDF
must validate with pyHanko (through the package verifier) and with poppler's
pdfsig, an independent implementation.
"""

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from app.cli import main
from app.models.errors import UserError
from app.packages.export import export_package
from app.packages.pdf_signing import P12PdfSigner
from app.packages.verify import verify_package

from .issuing_fixtures import P12_PASSPHRASE, issue, make_ca, write_p12
from .test_package_fixtures import PASSPHRASE, TODAY, bag_files, make_key, make_store

SIGNER = "Nguyễn Văn An"
SOFTHSM_LIBS = [
    Path("/usr/lib/softhsm/libsofthsm2.so"),
    Path("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"),
    Path("/usr/local/lib/softhsm/libsofthsm2.so"),
]


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pki")
    ca, ca_key = make_ca()  # the test CA and the signer's certificate (RSA 2048) it issued
    cert, key = issue(ca, ca_key, SIGNER, "Thị ủy Bỉm Sơn")
    p12 = write_p12(folder / "chu-ky-so.p12", cert, key, ca)
    return folder, ca, key, cert, p12


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    folder = tmp_path_factory.mktemp("office")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("THEODOI57_HOME", str(folder / "home"))
        store = make_store(folder, attachments=0)
        yield folder, store, make_key(folder)
        store.close()


def _pdfsig(pdf: bytes, folder: Path) -> str:
    path = folder / "signed.pdf"
    path.write_bytes(pdf)
    run = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True)
    return run.stdout + run.stderr


def _check_signed_package(path, key, ca, folder):
    trusted = verify_package(path, [key], pdf_trust_roots=[ca])
    assert trusted.ok, trusted.message
    status = trusted.pdf_signature
    assert status.intact and status.valid and status.trusted and status.whole_file
    assert status.signer == SIGNER
    assert "chữ ký số hợp lệ của Nguyễn Văn An" in trusted.message
    untrusted = verify_package(path, [key])
    assert untrusted.ok and not untrusted.pdf_signature.trusted
    assert "CHƯA được tin cậy" in untrusted.message
    _top, files = bag_files(path)
    pdf = files["data/report.pdf"]
    if shutil.which("pdfsig"):
        out = _pdfsig(pdf, folder)
        assert "Signature is Valid" in out, out
        assert SIGNER in out
    return pdf


def test_pkcs12_pades_signature_in_the_signature_block(pki, office):
    _pki_folder, ca, _key, _cert, p12 = pki
    folder, store, key = office
    signer = P12PdfSigner(p12, P12_PASSPHRASE)
    result = export_package(store, "2026-Q1", folder, key, today=TODAY, pdf_signer=signer)
    pdf = _check_signed_package(result.path, key, ca, folder)
    # The visible stamp sits in the blank space above the signer's name.
    from pypdf import PdfReader

    from app.reports.content import build_report
    from app.reports.pdf import render_pdf_with_signature_box

    _plain, box = render_pdf_with_signature_box(build_report(store, "2026-Q1", TODAY))
    reader = PdfReader(folder / "signed.pdf")
    widgets = [
        a.get_object()
        for a in reader.pages[box[0]].get("/Annots", [])
        if a.get_object().get("/FT") == "/Sig"
    ]
    assert len(widgets) == 1
    rect = [float(v) for v in widgets[0]["/Rect"]]
    assert rect == pytest.approx(list(box[1:]), abs=1)
    assert pdf.startswith(b"%PDF")


def test_wrong_p12_passphrase_is_a_user_error(pki):
    with pytest.raises(UserError, match="sai mật khẩu"):
        P12PdfSigner(pki[4], "không đúng")


def _softhsm_lib() -> Path | None:
    return next((p for p in SOFTHSM_LIBS if p.exists()), None)


@pytest.mark.skipif(
    shutil.which("softhsm2-util") is None or _softhsm_lib() is None,
    reason="softhsm2 is not installed (apt-get install softhsm2)",
)
def test_pkcs11_token_pades_signature_via_cli(pki, office, tmp_path, monkeypatch, capsys):
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    pki_folder, ca, signer_key, cert, _p12 = pki
    folder, store, key = office
    tokens = tmp_path / "tokens"
    tokens.mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    pin, label = "123456", "Token ky so"
    subprocess.run(
        ["softhsm2-util", "--init-token", "--free", "--label", label, "--pin", pin,
         "--so-pin", "12345678"],
        check=True, capture_output=True,
    )  # fmt: skip
    pem = tmp_path / "signer-key.pem"
    pem.write_bytes(
        signer_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    subprocess.run(
        ["softhsm2-util", "--import", str(pem), "--token", label, "--label", "signer",
         "--id", "a1", "--pin", pin],
        check=True, capture_output=True,
    )  # fmt: skip
    pem.unlink()
    lib = pkcs11.lib(str(_softhsm_lib()))
    with lib.get_token(token_label=label).open(rw=True, user_pin=pin) as session:
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: "signer",
                Attribute.ID: b"\xa1",
                Attribute.SUBJECT: cert.subject.public_bytes(),
                Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
            }
        )
    monkeypatch.setenv("THEODOI57_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("KEY_PASS", PASSPHRASE)
    monkeypatch.setenv("TOKEN_PIN", pin)
    out = tmp_path / "out"
    out.mkdir()
    args = ["report", "export", "--db", str(store.path), "--period", "2026-Q1",
            "--out", str(out), "--key", str(key.path), "--passphrase-env", "KEY_PASS",
            "--pkcs11-lib", str(_softhsm_lib()), "--token-label", label, "--pin-env", "TOKEN_PIN",
            "--today", "2026-04-10"]  # fmt: skip
    assert main(args) == 0, capsys.readouterr().err
    path = Path(capsys.readouterr().out.splitlines()[0])
    _check_signed_package(path, key, ca, tmp_path)
    with zipfile.ZipFile(path) as zf:
        assert all(not n.endswith(".pem") for n in zf.namelist())
    # A wrong PIN is a clear message, and no package is left behind.
    monkeypatch.setenv("TOKEN_PIN", "000000")
    assert main(args) == 1
    assert "thiết bị ký số" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == [path.name]
