"""Any change to a package is rejected, with the reason named when it can be."""

import json
import random
import struct

import pytest

from app.packages import format as fmt
from app.packages.export import export_package
from app.packages.verify import MESSAGES, verify_package

from .test_package_fixtures import TODAY, bag_files, make_key, make_store, resign, rezip


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tamper")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("THEODOI57_HOME", str(folder / "home"))
        store = make_store(folder, attachments=2)
        key = make_key(folder)
        result = export_package(store, "2026-Q1", folder, key, today=TODAY)
        store.close()
    stranger = make_key(folder, "stranger.pem")
    return result.path, key, stranger


def _check(tmp_path, blob, trusted):
    path = tmp_path / "changed.zip"
    path.write_bytes(blob)
    return verify_package(path, trusted)


def _structure_positions(blob: bytes) -> list[int]:
    """Offsets of every zip header byte (local headers, central directory, end record)."""
    end = len(blob) - 22
    _sig, _d, _c, _n, count, cd_size, cd_offset, _len = struct.unpack_from("<IHHHHIIH", blob, end)
    positions = list(range(cd_offset, len(blob)))
    pos = cd_offset
    for _ in range(count):
        name_len = struct.unpack_from("<H", blob, pos + 28)[0]
        local = struct.unpack_from("<I", blob, pos + 42)[0]
        positions += range(local, local + 30 + name_len)
        pos += 46 + name_len
    return positions


def test_every_sampled_single_byte_change_is_rejected(package, tmp_path):
    path, key, _stranger = package
    blob = path.read_bytes()
    assert verify_package(path, [key]).ok
    rng = random.Random(57)
    structure = _structure_positions(blob)
    positions = rng.sample(range(len(blob)), 500) + rng.sample(structure, 250)
    target = tmp_path / "changed.zip"
    accepted = []
    codes = set()
    for pos in positions:
        changed = bytearray(blob)
        changed[pos] ^= rng.randrange(1, 256)
        target.write_bytes(changed)
        result = verify_package(target, [key])
        codes.add(result.code)
        if result.ok:
            accepted.append(pos)
        else:
            assert result.message and result.code in MESSAGES
    assert accepted == []  # the canonical-zip check leaves no byte unread
    assert {"hash_mismatch", "not_canonical"} <= codes


def test_files_added_removed_renamed_are_rejected(package, tmp_path):
    path, key, _stranger = package
    top, files = bag_files(path)
    cases = {
        "unlisted_file": {**files, "data/ghi-chu.txt": b"them vao"},
        "unexpected_file": {**files, "ghi-chu.txt": b"them vao"},
        "file_missing": {k: v for k, v in files.items() if not k.startswith("data/attachments/")},
        "missing_signature": {k: v for k, v in files.items() if k != fmt.SIGNATURE},
        "missing_manifest": {k: v for k, v in files.items() if k != fmt.MANIFEST},
    }
    renamed = dict(files)
    renamed["data/bao-cao.pdf"] = renamed.pop("data/report.pdf")
    cases["file_missing "] = renamed
    for expected, content in cases.items():
        result = _check(tmp_path, rezip(top, content), [key])
        assert (result.ok, result.code) == (False, expected.strip()), result.message
    # The top folder is named from the signed package.json: renaming it is a change too.
    result = _check(tmp_path, rezip(top.replace("_1", "_2"), files), [key])
    assert (result.ok, result.code) == (False, "not_bag")


def test_payload_change_names_the_file(package, tmp_path):
    path, key, _stranger = package
    top, files = bag_files(path)
    changed = dict(files, **{"data/report.xlsx": files["data/report.xlsx"] + b"\0"})
    result = _check(tmp_path, rezip(top, changed), [key])
    assert (result.ok, result.code) == (False, "hash_mismatch")
    assert "data/report.xlsx" in result.message
    assert result.message.startswith("Mã băm của tệp không khớp danh mục")


def test_keys_wrong_unknown_and_resigned_by_another(package, tmp_path):
    path, key, stranger = package
    assert verify_package(path, []).code == "untrusted_signer"
    assert verify_package(path, [stranger]).code == "untrusted_signer"
    top, files = bag_files(path)
    # Change the data, fix the manifests and sign again with another key.
    forged = dict(files)
    data = json.loads(files["data/data.json"])
    data["values"][0]["value"] = 99.0
    forged["data/data.json"] = fmt.dumps(data)
    resign(forged, stranger)
    result = _check(tmp_path, rezip(top, forged), [key])
    assert (result.ok, result.code) == (False, "signature_invalid")  # package.json names `key`
    package_json = json.loads(forged["package.json"])
    package_json.update(key_fingerprint=stranger.fingerprint,
                        public_key=__import__("base64").b64encode(stranger.public_raw).decode())  # fmt: skip
    forged["package.json"] = fmt.dumps(package_json)
    resign(forged, stranger)
    result = _check(tmp_path, rezip(top, forged), [key])
    assert (result.ok, result.code) == (False, "untrusted_signer")
    assert stranger.fingerprint in result.message
    # A signature moved from another package does not fit this tag manifest.
    swapped = dict(files, **{fmt.SIGNATURE: forged[fmt.SIGNATURE]})
    assert _check(tmp_path, rezip(top, swapped), [key]).code == "signature_invalid"


def test_version_and_schema_are_checked(package, tmp_path):
    path, key, _stranger = package
    top, files = bag_files(path)
    newer = dict(files)
    package_json = json.loads(files["package.json"])
    newer["package.json"] = fmt.dumps(dict(package_json, version=2))
    resign(newer, key)
    result = _check(tmp_path, rezip(top, newer), [key])
    assert (result.ok, result.code) == (False, "unknown_version")
    # Correctly signed by the office, but data.json breaks the schema.
    broken = dict(files)
    data = json.loads(files["data/data.json"])
    data["progress"][0]["status"] = "xong"
    broken["data/data.json"] = fmt.dumps(data)
    resign(broken, key)
    info = fmt.parse_bag_info(broken["bag-info.txt"])
    octets = sum(len(v) for k, v in broken.items() if k.startswith("data/"))
    count = sum(1 for k in broken if k.startswith("data/"))
    info["Payload-Oxum"] = f"{octets}.{count}"
    broken["bag-info.txt"] = fmt.bag_info_text(list(info.items()))
    resign(broken, key)
    result = _check(tmp_path, rezip(top, broken), [key])
    assert (result.ok, result.code) == (False, "schema_invalid"), result.message
    assert "status" in result.message


def test_not_a_zip_and_missing_file(tmp_path):
    result = _check(tmp_path, b"%PDF-1.7 not a zip at all" * 10, [])
    assert (result.ok, result.code) == (False, "not_zip")
    result = verify_package(tmp_path / "không có.zip", [])
    assert (result.ok, result.code) == (False, "not_found")
