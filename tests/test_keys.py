import json
import re
import stat

import pytest

from app.cli import main
from app.models.errors import UserError
from app.packages.signing_keys import (
    default_key_path,
    export_public,
    fingerprint_of,
    generate_key,
    load_key,
    load_public,
    load_trusted,
    rotate_key,
)

from .test_package_fixtures import PASSPHRASE

FINGERPRINT = re.compile(r"^[0-9A-F]{4}( [0-9A-F]{4}){15}$")


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("THEODOI57_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def test_default_key_path_is_in_the_user_data_folder(home):
    assert default_key_path() == home / "keys" / "office-signing-key.pem"


def test_generate_load_round_trip_and_encrypted_file(tmp_path):
    path = tmp_path / "keys" / "k.pem"
    key = generate_key(path, PASSPHRASE)
    text = path.read_bytes()
    assert text.startswith(b"-----BEGIN THEODOI57 ENCRYPTED PRIVATE KEY-----")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert fingerprint_of(load_public(tmp_path / "keys" / "k.pub.pem")) == key.fingerprint
    again = load_key(path, PASSPHRASE)
    assert again.public_raw == key.public_raw
    assert FINGERPRINT.match(key.fingerprint)
    assert again.public.verify(key.sign(b"abc"), b"abc") is None


def test_wrong_passphrase_is_a_user_error(tmp_path):
    path = tmp_path / "k.pem"
    generate_key(path, PASSPHRASE)
    with pytest.raises(UserError, match="Sai mật khẩu khóa ký") as exc:
        load_key(path, "không phải mật khẩu")
    assert exc.value.code == "bad_passphrase"


def test_generate_refuses_short_passphrase_and_overwriting(tmp_path):
    with pytest.raises(UserError, match="cần ít nhất 10 ký tự"):
        generate_key(tmp_path / "k.pem", "ngắn")
    generate_key(tmp_path / "k.pem", PASSPHRASE)
    with pytest.raises(UserError, match="không ghi đè"):
        generate_key(tmp_path / "k.pem", PASSPHRASE)


def test_public_key_export_and_fingerprint(tmp_path):
    key = generate_key(tmp_path / "k.pem", PASSPHRASE)
    out = export_public(key, tmp_path / "k.pub.pem")
    assert out.read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")
    assert len(out.read_bytes()) < 200
    public = load_public(out)
    assert fingerprint_of(public) == key.fingerprint
    assert load_public(key.public_raw) is not None
    with pytest.raises(UserError, match="khóa bí mật"):
        load_public(tmp_path / "k.pem")


def test_rotation_is_signed_by_the_old_key_and_followed(tmp_path):
    old = generate_key(tmp_path / "keys" / "office-signing-key.pem", PASSPHRASE)
    new, statement = rotate_key(
        old, tmp_path / "keys" / "office-signing-key.pem", "mật khẩu mới của xã!"
    )
    assert new.fingerprint != old.fingerprint
    assert load_key(
        tmp_path / "keys" / "office-signing-key.pem", "mật khẩu mới của xã!"
    ).public_raw == (new.public_raw)
    retired = list((tmp_path / "keys").glob("retired-*.pub.pem"))
    assert [fingerprint_of(load_public(p)) for p in retired] == [old.fingerprint]
    data = json.loads(statement.read_text(encoding="utf-8"))
    assert data["old_fingerprint"] == old.fingerprint
    assert data["new_fingerprint"] == new.fingerprint

    # A receiver trusting only the old key follows the statement to the new one.
    trust = tmp_path / "trust"
    trust.mkdir()
    export_public(old, trust / "office.pub.pem")
    (trust / statement.name).write_bytes(statement.read_bytes())
    assert {fingerprint_of(k) for k in load_trusted([trust])} == {
        old.fingerprint,
        new.fingerprint,
    }
    # Without the old key trusted, the statement alone adds nothing.
    assert load_trusted([statement]) == []
    # A forged statement (new key swapped) is refused.
    other = generate_key(tmp_path / "other.pem", PASSPHRASE)
    forged = dict(data, new_public_key=__import__("base64").b64encode(other.public_raw).decode())
    (trust / statement.name).write_text(json.dumps(forged), encoding="utf-8")
    with pytest.raises(UserError, match="không hợp lệ"):
        load_trusted([trust])


def test_cli_key_commands(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KEY_PASS", PASSPHRASE)
    key_file = tmp_path / "k.pem"
    assert main(["key", "generate", "--out", str(key_file), "--passphrase-env", "KEY_PASS"]) == 0
    printed = capsys.readouterr().out
    fingerprint = printed.split("fingerprint): ")[1].strip()
    assert FINGERPRINT.match(fingerprint)
    pub = tmp_path / "k.pub.pem"
    args = ["key", "export-public", "--key", str(key_file), "--out", str(pub)]
    assert main([*args, "--passphrase-env", "KEY_PASS"]) == 0
    capsys.readouterr()
    assert main(["key", "fingerprint", str(pub)]) == 0
    assert capsys.readouterr().out.strip() == fingerprint
    monkeypatch.setenv("KEY_PASS", "sai mật khẩu")
    assert main([*args, "--passphrase-env", "KEY_PASS"]) == 1
    assert "Sai mật khẩu khóa ký" in capsys.readouterr().err
    # Asked on the terminal when no variable is named.
    monkeypatch.setattr("getpass.getpass", lambda prompt="": PASSPHRASE)
    assert main(["key", "generate", "--out", str(tmp_path / "k2.pem")]) == 0
