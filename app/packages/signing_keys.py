"""The office's Ed25519 signing key: make, store encrypted, show, rotate.

The private key lives only in the user's data folder (a folder of mode 0700,
the file 0600, whatever the umask), encrypted with a passphrase in the
envelope of key_envelope.py (scrypt N = 2^17, r = 8, AES-256-GCM); a key in
the older PKCS#8 form (PBKDF2, 2,048 iterations) still opens and is rewritten
in the envelope on its next successful unlock. It is never put in the data
file or a package. What the province needs is the public key (a
small PEM file) and its fingerprint: SHA-256 of the 32 raw public-key bytes,
as 16 groups of four upper-case hex digits, short enough to read out on the
phone or print in every report's footer.

Rotating a key writes a statement, signed by the old key, that names the new
one, so a receiver who trusts the old key can follow the change without a
new exchange by letter.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ..models.atomic_file import write_bytes_atomic
from ..models.bounded_read import read_bounded
from ..models.errors import UserError
from ..paths import user_data_dir
from . import key_envelope
from .passphrase_policy import MIN_LENGTH, check_new_passphrase, passphrase_bytes

KEY_FILE_NAME = "office-signing-key.pem"
ROTATION_FORMAT = "theodoi57/key-rotation"
MIN_PASSPHRASE = MIN_LENGTH
MAX_KEY_FILE_BYTES = 64 * 1024  # a key file is < 1 KB; checked before reading


def default_key_path() -> Path:
    """user_data_dir()/keys/office-signing-key.pem."""
    return user_data_dir() / "keys" / KEY_FILE_NAME


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def fingerprint_of(key: Ed25519PublicKey | bytes) -> str:
    """ "ABCD EF01 …": SHA-256 of the raw 32-byte public key, 16 groups of 4 hex digits."""
    raw = key if isinstance(key, bytes) else raw_public(key)
    digest = hashlib.sha256(raw).hexdigest().upper()
    return " ".join(digest[i : i + 4] for i in range(0, len(digest), 4))


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


@dataclass
class OfficeKey:
    """An office key pair (or only its public half when `private` is None)."""

    public: Ed25519PublicKey
    private: Ed25519PrivateKey | None = field(default=None, repr=False)
    path: Path | None = None

    @property
    def fingerprint(self) -> str:
        return fingerprint_of(self.public)

    @property
    def public_raw(self) -> bytes:
        return raw_public(self.public)

    def public_bytes_pem(self) -> bytes:
        return public_pem(self.public)

    def sign(self, data: bytes) -> bytes:
        if self.private is None:
            raise UserError("Khóa này chỉ có phần công khai, không dùng để ký được.", "no_private")
        return self.private.sign(data)


def _check_passphrase(passphrase: str) -> bytes:
    return check_new_passphrase(passphrase)


def make_key_folder(folder: Path) -> None:
    """Create the folder holding private keys, mode 0700 whatever the umask.

    An existing folder is tightened too when it is the default key folder
    (nobody else's files live there)."""
    existed = folder.is_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not existed or folder.resolve() == default_key_path().parent.resolve():
            folder.chmod(0o700)
    except OSError as exc:
        raise UserError(f"Không tạo được thư mục '{folder}': {exc.strerror}.") from None


def _sealed(private: Ed25519PrivateKey, secret: bytes) -> bytes:
    der = private.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return key_envelope.seal(der, secret)


def _read_key_file(path: Path) -> bytes:
    """The key file's bytes, its size checked from the file system first."""
    return read_bounded(path, MAX_KEY_FILE_BYTES, "Tệp khóa ký")


def public_path_for(private_path: Path) -> Path:
    """Where the public half is kept beside a private key: office-signing-key.pub.pem."""
    private_path = Path(private_path)
    return private_path.with_name(private_path.name.removesuffix(".pem") + ".pub.pem")


def generate_key(path: Path, passphrase: str) -> OfficeKey:
    """Make a new key pair: the private key at `path` (encrypted), the public one beside it.

    Never overwrites an existing key file.
    """
    path = Path(path)
    secret = _check_passphrase(passphrase)
    if path.exists():
        raise UserError(
            f"Đã có tệp khóa ký '{path}'; không ghi đè. Hãy dùng chức năng đổi khóa.", "exists"
        )
    private = Ed25519PrivateKey.generate()
    make_key_folder(path.parent)
    write_bytes_atomic(path, _sealed(private, secret), mode=0o600)
    key = OfficeKey(private.public_key(), private, path)
    export_public(key, public_path_for(path))
    return key


def load_key(path: Path, passphrase: str) -> OfficeKey:
    """Open the encrypted private key; a wrong passphrase is a UserError, not a crash.

    A key in the older PKCS#8 form, or in an envelope cheaper than today's
    cost, is rewritten in the current envelope once it has opened (the same
    passphrase); if the folder cannot be written, it simply stays as it was.
    """
    path = Path(path)
    data = _read_key_file(path)
    secret = passphrase_bytes(passphrase)
    if key_envelope.is_envelope(data):
        private = _open_envelope(path, data, secret)
        upgrade = key_envelope.cost_of(data).log2_n < key_envelope.KDF_LOG2_N
    else:
        private = _open_pkcs8(path, data, secret)
        upgrade = True
    if not isinstance(private, Ed25519PrivateKey):
        raise UserError(f"Tệp '{path}' không chứa khóa Ed25519.", "bad_key")
    if upgrade:
        _reseal(path, private, secret)
    return OfficeKey(private.public_key(), private, path)


def _open_envelope(path: Path, data: bytes, secret: bytes) -> object:
    try:
        der = key_envelope.open_envelope(data, secret)
    except key_envelope.WrongPassphrase:
        raise UserError("Sai mật khẩu khóa ký.", "bad_passphrase") from None
    except key_envelope.BadEnvelope:
        raise UserError(f"Tệp '{path}' không phải là tệp khóa ký hợp lệ.", "bad_key") from None
    try:
        return serialization.load_der_private_key(der, None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise UserError(f"Tệp '{path}' không phải là tệp khóa ký hợp lệ.", "bad_key") from None


def _open_pkcs8(path: Path, data: bytes, secret: bytes) -> object:
    try:
        return serialization.load_pem_private_key(data, secret)
    except TypeError:  # the file is not encrypted, or a passphrase was expected
        raise UserError(f"Tệp khóa ký '{path}' không được mã hóa bằng mật khẩu.") from None
    except (ValueError, UnsupportedAlgorithm) as exc:
        if b"ENCRYPTED PRIVATE KEY" in data and isinstance(exc, ValueError):
            raise UserError("Sai mật khẩu khóa ký.", "bad_passphrase") from None
        raise UserError(f"Tệp '{path}' không phải là tệp khóa ký hợp lệ.", "bad_key") from None


def _reseal(path: Path, private: Ed25519PrivateKey, secret: bytes) -> None:
    """Rewrite an older key file in the current envelope (atomic, mode 0600)."""
    try:
        write_bytes_atomic(path, _sealed(private, secret), mode=0o600)
    except UserError:
        pass  # read-only media: the key still opens as it is


def load_public(source: Path | bytes | OfficeKey | Ed25519PublicKey) -> Ed25519PublicKey:
    """A public key from a PEM file, PEM bytes, 32 raw bytes or a key object."""
    if isinstance(source, OfficeKey):
        return source.public
    if isinstance(source, Ed25519PublicKey):
        return source
    if isinstance(source, Path):
        data = read_bounded(source, MAX_KEY_FILE_BYTES, "Tệp khóa")
        where = f"'{source}'"
    else:
        data, where = bytes(source), "đã cho"
    if len(data) == 32 and not data.startswith(b"-----"):
        return Ed25519PublicKey.from_public_bytes(data)
    if b"PRIVATE KEY" in data:
        raise UserError(
            f"Tệp {where} là khóa bí mật; hãy dùng tệp khóa công khai (.pub.pem).", "private"
        )
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm):
        raise UserError(f"Tệp {where} không phải là khóa công khai hợp lệ.", "bad_key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise UserError(f"Khóa {where} không phải là khóa Ed25519.", "bad_key")
    return key


def export_public(key: OfficeKey, out: Path) -> Path:
    """Write the public key as PEM (SubjectPublicKeyInfo) to `out`."""
    write_bytes_atomic(Path(out), key.public_bytes_pem(), mode=0o644)
    return Path(out)


# -- rotation -------------------------------------------------------------------------


def _statement_bytes(statement: dict) -> bytes:
    body = {k: v for k, v in statement.items() if k != "signature"}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def rotate_key(old_key: OfficeKey, new_path: Path, passphrase: str) -> tuple[OfficeKey, Path]:
    """Replace the office key: new key at `new_path`, old public key kept, rotation signed.

    The new public key is written beside the new private key (`*.pub.pem`).
    When `new_path` is the old key's own file, the old (encrypted) private key
    is moved aside first, so nothing is lost if making the new one fails.
    Returns the new key and the rotation statement's path (beside the key).
    """
    new_path = Path(new_path)
    folder = new_path.parent
    old_fp = old_key.fingerprint.replace(" ", "")
    make_key_folder(folder)
    export_public(old_key, folder / f"retired-{old_fp[:16]}.pub.pem")
    if new_path.exists():
        if old_key.path is None or new_path.resolve() != Path(old_key.path).resolve():
            raise UserError(f"Đã có tệp '{new_path}'; chọn tên khác cho khóa mới.", "exists")
        try:
            new_path.replace(folder / f"retired-{old_fp[:16]}.pem")
        except OSError as exc:
            raise UserError(f"Không đổi tên được tệp khóa cũ: {exc.strerror}.") from None
    new_key = generate_key(new_path, passphrase)
    new_fp = new_key.fingerprint.replace(" ", "")
    statement = {
        "format": ROTATION_FORMAT,
        "version": 1,
        "old_fingerprint": old_key.fingerprint,
        "old_public_key": base64.b64encode(old_key.public_raw).decode(),
        "new_fingerprint": new_key.fingerprint,
        "new_public_key": base64.b64encode(new_key.public_raw).decode(),
        "rotated_at": datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    statement["signature"] = base64.b64encode(old_key.sign(_statement_bytes(statement))).decode()
    path = folder / f"key-rotation-{old_fp[:8]}-{new_fp[:8]}.json"
    text = json.dumps(statement, ensure_ascii=False, indent=2) + "\n"
    write_bytes_atomic(path, text.encode("utf-8"), mode=0o644)
    return new_key, path


def read_rotation(path: Path) -> tuple[Ed25519PublicKey, Ed25519PublicKey]:
    """(old key, new key) of a rotation statement whose old-key signature is valid."""
    try:
        raw = read_bounded(Path(path), MAX_KEY_FILE_BYTES, "Tuyên bố đổi khóa")
        statement = json.loads(raw.decode("utf-8"))
        if statement.get("format") != ROTATION_FORMAT or statement.get("version") != 1:
            raise ValueError("format")
        old = Ed25519PublicKey.from_public_bytes(base64.b64decode(statement["old_public_key"]))
        new = Ed25519PublicKey.from_public_bytes(base64.b64decode(statement["new_public_key"]))
        old.verify(base64.b64decode(statement["signature"]), _statement_bytes(statement))
    except InvalidSignature:
        raise UserError(
            f"Chữ ký trên tuyên bố đổi khóa '{path}' không hợp lệ.", "bad_rotation"
        ) from None
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise UserError(
            f"Tệp '{path}' không phải là tuyên bố đổi khóa hợp lệ.", "bad_rotation"
        ) from None
    return old, new


def _head(path: Path, size: int = 200) -> bytes:
    """The first bytes of a file, enough to tell a private key from a public one."""
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError as exc:
        raise UserError(f"Không đọc được tệp khóa '{path}': {exc.strerror}.") from None


def load_trusted(sources: list[Path]) -> list[Ed25519PublicKey]:
    """Trusted public keys from files and folders, following valid rotation statements.

    A folder contributes its `*.pub.pem` / `*.pem` public keys and its
    `key-rotation-*.json` statements; a statement adds its new key only when
    its old key is already trusted (directly or through earlier rotations).
    """
    keys: list[Ed25519PublicKey] = []
    rotations: list[Path] = []
    for source in sources:
        source = Path(source)
        if source.is_dir():
            for item in sorted(source.iterdir()):
                if item.suffix == ".json" and item.name.startswith("key-rotation-"):
                    rotations.append(item)
                elif item.suffix == ".pem" and b"PRIVATE KEY" not in _head(item):
                    keys.append(load_public(item))
        elif source.suffix == ".json":
            rotations.append(source)
        elif source.exists():
            keys.append(load_public(source))
        else:
            raise UserError(f"Không tìm thấy khóa tin cậy '{source}'.", "missing")
    known = {raw_public(k) for k in keys}
    pending = [read_rotation(p) for p in rotations]
    changed = True
    while changed:
        changed = False
        for old, new in pending:
            if raw_public(old) in known and raw_public(new) not in known:
                known.add(raw_public(new))
                keys.append(new)
                changed = True
    return keys
