import errno
import json
import os
import shutil
import subprocess
import threading
import zipfile

import bagit
import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from app.cli import main
from app.models.errors import UserError
from app.packages import format as fmt
from app.packages.export import export_package
from app.packages.signing_keys import export_public
from app.packages.verify import verify_package
from app.paths import resources_dir

from .test_package_fixtures import PASSPHRASE, TODAY, bag_files, make_key, make_store


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    folder = tmp_path_factory.mktemp("export")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("THEODOI57_HOME", str(folder / "home"))
        store = make_store(folder)
        key = make_key(folder)
        out = folder / "out"
        out.mkdir()
        result = export_package(store, "2026-Q1", out, key, today=TODAY)
        yield store, key, out, result
        store.close()


def test_round_trip_export_then_verify(setup):
    store, key, out, result = setup
    assert result.path.name == "BC_thi-uy-bim-son_2026-Q1_1.zip"
    assert result.sequence == 1 and result.fingerprint == key.fingerprint
    assert [p.name for p in out.iterdir()] == [result.path.name]  # no temporary left
    check = verify_package(result.path, [key.public_bytes_pem()])
    assert check.ok, check.message
    assert check.code == "ok"
    assert check.office_name == "Thị ủy Bỉm Sơn" and check.period_id == "2026-Q1"
    assert check.sequence == 1 and check.fingerprint == key.fingerprint
    assert check.office_id == store.packages.office_uid(create=False)
    assert check.pdf_signature is None
    data = check.data
    assert data["period"]["id"] == "2026-Q1"
    assert len(data["values"]) == len(store.entries.indicator_values("2026-Q1"))
    assert len(data["progress"]) == len(store.entries.task_progress("2026-Q1"))
    assert len(data["indicator_groups"]) == 5
    files = [a["file_name"] for a in data["attachments"]]
    assert files == ["Biên bản họp số 1.pdf", "Biên bản họp số 2.pdf"]
    # evidence of the first task, PL II – 1, named by its label in ASCII
    assert data["attachments"][0]["path"] == "data/attachments/nvpl-ii-1-01-bien-ban-hop-so-1.pdf"


def test_layout_and_peer_bagit_validation(setup, tmp_path):
    _store, key, _out, result = setup
    top, files = bag_files(result.path)
    assert top == result.path.stem
    assert set(files) >= {"bagit.txt", "bag-info.txt", "manifest-sha256.txt", "package.json",
                          "tagmanifest-sha256.txt", "signature.ed25519", "data/report.pdf",
                          "data/report.xlsx", "data/data.json"}  # fmt: skip
    package = json.loads(files["package.json"])
    assert package["format"] == "theodoi57/package" and package["version"] == 1
    assert package["sequence"] == 1 and package["key_fingerprint"] == key.fingerprint
    tagged = fmt.parse_manifest(files["tagmanifest-sha256.txt"])
    assert set(tagged) == {"bagit.txt", "bag-info.txt", "manifest-sha256.txt", "package.json"}
    key.public.verify(files["signature.ed25519"], files["tagmanifest-sha256.txt"])
    # A peer's check with the Library of Congress tool, no code of ours.
    with zipfile.ZipFile(result.path) as zf:
        zf.extractall(tmp_path)
    bag = bagit.Bag(str(tmp_path / top))
    bag.validate()
    assert bag.info["Source-Organization"] == "Thị ủy Bỉm Sơn"
    assert bag.info["External-Identifier"].endswith("/2026-Q1/1")
    # data.json against the published schema, with the reference validator.
    folder = resources_dir() / "schema"
    schemas = [json.loads((folder / n).read_text("utf-8")) for n in
               ("plan.schema.json", "data.schema.json")]  # fmt: skip
    registry = Registry().with_resources([(s["$id"], Resource.from_contents(s)) for s in schemas])
    Draft202012Validator(schemas[1], registry=registry).validate(
        json.loads(files["data/data.json"])
    )


def test_pdf_footer_prints_the_key_fingerprint(setup, tmp_path):
    _store, key, _out, result = setup
    _top, files = bag_files(result.path)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(files["data/report.pdf"])
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    else:
        from pypdf import PdfReader

        text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert text.count(key.fingerprint) >= 7  # on every page


def test_each_export_takes_the_next_sequence_and_is_recorded(tmp_path, monkeypatch):
    monkeypatch.setenv("THEODOI57_HOME", str(tmp_path / "home"))
    store = make_store(tmp_path, attachments=0)
    key = make_key(tmp_path)
    first = export_package(store, "2026-Q1", tmp_path, key, today=TODAY, attachments=False)
    second = export_package(store, "2026-Q1", tmp_path, key, today=TODAY, attachments=False)
    other = export_package(store, "2026-H1", tmp_path, key, today=TODAY, attachments=False)
    assert (first.sequence, second.sequence, other.sequence) == (1, 2, 1)
    assert second.path.name == "BC_thi-uy-bim-son_2026-Q1_2.zip"
    records = store.packages.exported_packages("2026-Q1")
    assert [(r.sequence, r.path, r.sha256) for r in records] == [
        (1, first.path, first.sha256),
        (2, second.path, second.sha256),
    ]
    assert records[0].fingerprint == key.fingerprint and records[0].created_at
    assert len(store.packages.exported_packages()) == 3
    import hashlib

    assert hashlib.sha256(second.path.read_bytes()).hexdigest() == second.sha256
    store.close()


def test_cancel_and_disk_failure_leave_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("THEODOI57_HOME", str(tmp_path / "home"))
    store = make_store(tmp_path, attachments=1)
    key = make_key(tmp_path)
    out = tmp_path / "usb"
    out.mkdir()
    cancel = threading.Event()
    seen = []

    def progress(done, total, message):
        seen.append((done, total, message))
        if "Excel" in message:
            cancel.set()

    with pytest.raises(UserError, match="Đã hủy") as exc:
        export_package(store, "2026-Q1", out, key, today=TODAY, progress=progress, cancel=cancel)
    assert exc.value.code == "cancelled"
    assert list(out.iterdir()) == [] and store.packages.exported_packages() == []
    assert [d for d, _t, _m in seen] == sorted(d for d, _t, _m in seen)

    def full_disk(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(UserError, match="Không đủ chỗ trống"):
        export_package(store, "2026-Q1", out, key, today=TODAY)
    monkeypatch.undo()
    assert list(out.iterdir()) == [] and store.packages.exported_packages() == []
    with pytest.raises(UserError, match="không tồn tại"):
        export_package(store, "2026-Q1", tmp_path / "rút ra", key, today=TODAY)
    store.close()


def test_cli_export_and_verify(setup, tmp_path, monkeypatch, capsys):
    store, key, _out, _result = setup
    monkeypatch.setenv("THEODOI57_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("KEY_PASS", PASSPHRASE)
    out = tmp_path / "out"
    out.mkdir()
    args = ["report", "export", "--db", str(store.path), "--period", "2026-Q1", "--out", str(out),
            "--key", str(key.path), "--passphrase-env", "KEY_PASS", "--today", "2026-04-10"]  # fmt: skip
    assert main(args) == 0
    lines = capsys.readouterr().out.splitlines()
    package = out / "BC_thi-uy-bim-son_2026-Q1_2.zip"  # the fixture's export was number 1
    assert lines[0] == str(package)
    assert lines[1] == "Số văn bản: 02-BC/TU, ngày 10/04/2026"  # the register's next number
    assert any(key.fingerprint in line for line in lines[2:])
    trust = tmp_path / "trust"
    trust.mkdir()
    export_public(key, trust / "bim-son.pub.pem")
    assert main(["package", "verify", str(package), "--trust", str(trust)]) == 0
    assert "Gói báo cáo hợp lệ" in capsys.readouterr().out
    assert main(["package", "verify", str(package)]) == 1
    assert capsys.readouterr().err.startswith("untrusted_signer: ")
    package.write_bytes(package.read_bytes()[:-1])
    assert main(["package", "verify", str(package), "--trust", str(trust)]) == 1
    assert capsys.readouterr().err.split(":")[0] in {"corrupt_zip", "not_canonical"}
