"""The office key at rest: scrypt envelope, re-encryption of older keys, passphrase policy,
folder and file modes whatever the umask, undecodable passphrase bytes.

Tests marked `real_kdf` run at the production cost (scrypt N = 2^17, r = 8:
~0.35 s per unlock here); elsewhere the suite makes its keys at N = 2^14
(tests/conftest.py), which the files record, so both open the same way.
"""

from __future__ import annotations

import base64
import os
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.cli import main
from app.models.errors import UserError
from app.packages import key_envelope
from app.packages.passphrase_policy import HINT, check_new_passphrase, common_passwords
from app.packages.signing_keys import generate_key, load_key, rotate_key

GOOD = "ấm trà mây trắng cửa sổ"


def _body(path: Path) -> bytes:
    lines = path.read_bytes().strip().splitlines()
    assert lines[0] == key_envelope.BEGIN and lines[-1] == key_envelope.END
    return base64.b64decode(b"".join(lines[1:-1]))


def _with_body(path: Path, body: bytes) -> None:
    text = base64.encodebytes(body).replace(b"\n", b"")
    path.write_bytes(key_envelope.BEGIN + b"\n" + text + b"\n" + key_envelope.END + b"\n")


@pytest.mark.real_kdf
def test_a_new_key_is_sealed_with_scrypt_n_2_17_r_8_and_aes_gcm(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "office-signing-key.pem"
    key = generate_key(path, GOOD)
    body = _body(path)
    assert body[:8] == b"TD57KEY1"
    assert tuple(body[8:11]) == (17, 8, 1)  # log2 N, r, p
    assert key_envelope.cost_of(path.read_bytes()).memory_bytes == 128 * 1024 * 1024
    assert b"PRIVATE KEY" in path.read_bytes()  # still recognised as a private key file
    assert load_key(path, GOOD).public_raw == key.public_raw
    with pytest.raises(UserError) as err:
        load_key(path, GOOD + "!")
    assert (err.value.code, err.value.message) == ("bad_passphrase", "Sai mật khẩu khóa ký.")


@pytest.mark.real_kdf
def test_an_older_pkcs8_key_is_re_encrypted_on_its_next_unlock(tmp_path: Path) -> None:
    private = Ed25519PrivateKey.generate()
    path = tmp_path / "office-signing-key.pem"
    path.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"mat-khau-cu"),  # PBKDF2, 2,048 rounds
        )
    )
    with pytest.raises(UserError, match="Sai mật khẩu"):
        load_key(path, "sai mật khẩu")
    assert path.read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")  # untouched
    key = load_key(path, "mat-khau-cu")  # the old passphrase keeps working …
    assert key.public_raw == private.public_key().public_bytes_raw()
    assert key_envelope.is_envelope(path.read_bytes())  # … and the file is now the envelope
    assert tuple(_body(path)[8:11]) == (17, 8, 1)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_key(path, "mat-khau-cu").public_raw == key.public_raw


@pytest.mark.real_kdf
def test_a_cheaper_envelope_is_raised_to_the_current_cost(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(key_envelope, "KDF_LOG2_N", 14)
    path = tmp_path / "k.pem"
    generate_key(path, GOOD)
    assert _body(path)[8] == 14
    monkeypatch.setattr(key_envelope, "KDF_LOG2_N", 17)
    load_key(path, GOOD)
    assert _body(path)[8] == 17


def test_a_tampered_envelope_never_opens(tmp_path: Path) -> None:
    path = tmp_path / "k.pem"
    generate_key(path, GOOD)
    body = _body(path)
    bad_key = f"Tệp '{path}' không phải là tệp khóa ký hợp lệ."
    for log2_n in (25, 13, 0):  # a hostile cost: never gigabytes of memory, never a weak one
        _with_body(path, body[:8] + bytes([log2_n]) + body[9:])
        with pytest.raises(UserError) as err:
            load_key(path, GOOD)
        assert err.value.message == bad_key
    _with_body(path, body[:8] + bytes([15]) + body[9:])  # authenticated: a changed cost fails
    with pytest.raises(UserError, match="Sai mật khẩu khóa ký"):
        load_key(path, GOOD)
    _with_body(path, body[:-1] + bytes([body[-1] ^ 1]))
    with pytest.raises(UserError, match="Sai mật khẩu khóa ký"):
        load_key(path, GOOD)
    path.write_bytes(key_envelope.BEGIN + b"\n!!!\n" + key_envelope.END)
    with pytest.raises(UserError) as err:
        load_key(path, GOOD)
    assert err.value.message == bad_key


WEAK = {
    "12345678": "cần ít nhất 10 ký tự (mật khẩu này có 8)",
    "password": "cần ít nhất 10 ký tự (mật khẩu này có 8)",
    "aaaaaaaa": "cần ít nhất 10 ký tự (mật khẩu này có 8)",
    " " * 8: "cần ít nhất 10 ký tự (mật khẩu này có 8)",
    " " * 12: "chỉ lặp lại một ký tự",
    "aaaaaaaaaaaa": "chỉ lặp lại một ký tự",
    "AaAaAaAaAa": "chỉ lặp lại một ký tự",
    "0912345678": "chỉ gồm chữ số (ngày sinh, số điện thoại dễ bị đoán)",
    "1234567890": "chỉ gồm chữ số (ngày sinh, số điện thoại dễ bị đoán)",
    "password123": "nằm trong danh sách mật khẩu phổ biến mà công cụ dò mật khẩu thử đầu tiên",
    "Mật khẩu 123": "nằm trong danh sách mật khẩu phổ biến mà công cụ dò mật khẩu thử đầu tiên",
    "qwertyuiop": "nằm trong danh sách mật khẩu phổ biến mà công cụ dò mật khẩu thử đầu tiên",
    "Anh yêu em 123": "nằm trong danh sách mật khẩu phổ biến mà công cụ dò mật khẩu thử đầu tiên",
}


@pytest.mark.parametrize("passphrase", list(WEAK))
def test_weak_passphrases_are_refused_with_the_three_word_hint(passphrase: str, tmp_path) -> None:
    with pytest.raises(UserError) as err:
        generate_key(tmp_path / "k.pem", passphrase)
    assert err.value.code == "weak_passphrase"
    assert err.value.message == f"Mật khẩu khóa ký chưa đủ mạnh: {WEAK[passphrase]}. {HINT}"
    assert list(tmp_path.iterdir()) == []


def test_good_passphrases_and_the_bundled_list() -> None:
    assert len(common_passwords()) > 200
    for good in (GOOD, "mật khẩu kiểm thử", "demo-mat-khau", "ba con mèo đen"):
        assert check_new_passphrase(good) == good.encode()


def test_rotation_applies_the_policy_to_the_new_passphrase(tmp_path: Path) -> None:
    old = generate_key(tmp_path / "keys" / "office-signing-key.pem", GOOD)
    with pytest.raises(UserError, match="chưa đủ mạnh"):
        rotate_key(old, tmp_path / "keys" / "new.pem", "1234567890")


def test_key_folder_0700_and_key_file_0600_under_umask_000(tmp_path: Path) -> None:
    previous = os.umask(0)
    try:
        path = tmp_path / "home" / "keys" / "office-signing-key.pem"
        generate_key(path, GOOD)
        rotated, statement = rotate_key(load_key(path, GOOD), path, GOOD + " mới")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    retired = [
        p
        for p in path.parent.iterdir()
        if p.name.startswith("retired-")
        and p.name.endswith(".pem")
        and not p.name.endswith(".pub.pem")
    ]
    assert retired and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in retired)
    assert stat.S_IMODE(path.with_name("office-signing-key.pub.pem").stat().st_mode) == 0o644


def test_undecodable_bytes_in_the_passphrase_variable_get_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setenv(
        "NQ57_PASS", "mật khẩu \udcff\udcfe dài"
    )  # bytes 0xFF 0xFE, as os.environ decodes them
    out = tmp_path / "k.pem"
    assert main(["key", "generate", "--out", str(out), "--passphrase-env", "NQ57_PASS"]) == 1
    assert capsys.readouterr().err == (
        "Lỗi: Biến môi trường NQ57_PASS chứa byte không phải văn bản UTF-8 hợp lệ (có thể do "
        "đặt bằng bảng mã khác); hãy đặt lại mật khẩu bằng chữ UTF-8.\n"
    )
    assert not out.exists()
    with pytest.raises(UserError) as err:
        load_key(out, "x\udcff")
    assert err.value.code == "missing"  # the file is checked first; then the bytes:
    generate_key(out, GOOD)
    with pytest.raises(UserError) as err:
        load_key(out, "x\udcff")
    assert err.value.code == "bad_bytes"
