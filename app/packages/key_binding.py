"""A key speaks for one office: the signed office key file, and rotation statements read with time.

An office's public key alone says nothing about whose it is; trusted that
way, the first package it signed used to decide its office, so office B's
key could sign a package claiming office A's id before A reported, and take
A's place. The office key file (`*.office-key.json`, format
`theodoi57/office-key`) carries the office's id and name with the public key,
signed by that key, so the binding is stated by the office and confirmed by
the receiving office with the fingerprint read over the phone; from then on
a package is accepted only when its office id is its key's.

A rotation statement (signing_keys.rotate_key) signed by the old key names
the new one; the new key inherits the old key's office, and the old key is
*retired* at the statement's time: a package it signed later is refused.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ..models.atomic_file import write_bytes_atomic
from ..models.errors import UserError
from ..models.text import slug
from .signing_keys import (
    ROTATION_FORMAT,
    OfficeKey,
    fingerprint_of,
    load_public,
    raw_public,
    read_rotation,
)

OFFICE_KEY_FORMAT = "theodoi57/office-key"
OFFICE_KEY_SUFFIX = ".office-key.json"
MAX_STATEMENT_BYTES = 64 * 1024


@dataclass(frozen=True)
class KeyBinding:
    """One trusted key and the office it speaks for (None: not bound to any)."""

    public_key: bytes
    office_id: str | None
    office_name: str | None
    fingerprint: str
    retired_at: str | None = None  # the rotation that replaced it, when one did


@dataclass(frozen=True)
class Rotation:
    old: bytes
    new: bytes
    rotated_at: str | None
    path: Path


def _body_bytes(statement: dict) -> bytes:
    body = {k: v for k, v in statement.items() if k != "signature"}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def office_key_name(office_name: str) -> str:
    return f"{slug(office_name)[:60].strip('-') or 'don-vi'}{OFFICE_KEY_SUFFIX}"


def write_office_key(key: OfficeKey, office_id: str, office_name: str, out: Path) -> Path:
    """The office key file: public key, office id and name, signed by the key itself."""
    statement = {
        "format": OFFICE_KEY_FORMAT,
        "version": 1,
        "office_id": office_id,
        "office_name": office_name,
        "key_algorithm": "Ed25519",
        "key_fingerprint": key.fingerprint,
        "public_key": base64.b64encode(key.public_raw).decode("ascii"),
        "created_at": datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    statement["signature"] = base64.b64encode(key.sign(_body_bytes(statement))).decode("ascii")
    text = json.dumps(statement, ensure_ascii=False, indent=2) + "\n"
    write_bytes_atomic(Path(out), text.encode("utf-8"), mode=0o644)
    return Path(out)


def _json_file(path: Path) -> dict:
    try:
        if path.stat().st_size > MAX_STATEMENT_BYTES:
            raise ValueError("size")
        value = json.loads(path.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise UserError(f"Không đọc được tệp '{path}': {exc.strerror}.", "missing") from None
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise UserError(f"Tệp '{path}' không phải là tệp khóa đơn vị hợp lệ.", "bad_key") from None
    if not isinstance(value, dict):
        raise UserError(f"Tệp '{path}' không phải là tệp khóa đơn vị hợp lệ.", "bad_key")
    return value


def statement_kind(path: Path) -> str | None:
    """ "office-key", "rotation" or None for a .json file we do not know."""
    fmt = _json_file(Path(path)).get("format")
    return {OFFICE_KEY_FORMAT: "office-key", ROTATION_FORMAT: "rotation"}.get(fmt)  # type: ignore[arg-type]


def read_office_key(path: Path) -> KeyBinding:
    """The binding an office key file states, once its self-signature is checked."""
    path = Path(path)
    statement = _json_file(path)
    bad = UserError(f"Tệp '{path}' không phải là tệp khóa đơn vị hợp lệ.", "bad_key")
    try:
        if statement.get("format") != OFFICE_KEY_FORMAT or statement.get("version") != 1:
            raise bad
        office_id, name = statement["office_id"], statement["office_name"]
        if not (isinstance(office_id, str) and isinstance(name, str) and office_id and name):
            raise bad
        raw = base64.b64decode(statement["public_key"], validate=True)
        key = Ed25519PublicKey.from_public_bytes(raw)
        key.verify(base64.b64decode(statement["signature"], validate=True), _body_bytes(statement))
    except InvalidSignature:
        raise UserError(
            f"Chữ ký trên tệp khóa đơn vị '{path.name}' không hợp lệ: tệp đã bị sửa.", "bad_key"
        ) from None
    except (KeyError, TypeError, ValueError):
        raise bad from None
    return KeyBinding(raw, office_id, name, fingerprint_of(raw))


def read_rotation_statement(path: Path) -> Rotation:
    """A rotation statement checked by signing_keys.read_rotation, with its time."""
    old, new = read_rotation(Path(path))
    at = _json_file(Path(path)).get("rotated_at")
    rotated_at = at if isinstance(at, str) and _parse_time(at) is not None else None
    return Rotation(raw_public(old), raw_public(new), rotated_at, Path(path))


def rotation_order(
    rotations: list[Rotation], known: set[bytes]
) -> tuple[list[Rotation], list[Rotation]]:
    """The rotations in an order each can be applied in — its old key known by then (the
    trusted keys, or a key an earlier rotation of the list named) — and those never applicable.

    Statements may come in any order (A→B given before B→C is fine): passes over what is
    left, in the order given, until a pass applies nothing.
    """
    known = set(known)
    pending, ordered = list(rotations), []
    applied = True
    while pending and applied:
        applied = False
        for rotation in list(pending):
            if rotation.old in known:
                pending.remove(rotation)
                ordered.append(rotation)
                known.add(rotation.new)
                applied = True
    return ordered, pending


def _parse_time(text: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return value if value.tzinfo is not None else value.astimezone()


def retired_after(retired_at: str, created_at: str) -> bool:
    """True when a package made at `created_at` is later than the rotation at `retired_at`."""
    retired, created = _parse_time(retired_at), _parse_time(created_at)
    return retired is not None and created is not None and created > retired


def normal_fingerprint(text: str) -> str:
    """A fingerprint as typed ("ac53:3fc8 …", with or without spaces) in its printed form."""
    digits = "".join(ch for ch in text.upper() if ch in "0123456789ABCDEF")
    return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))


def load_trust(sources: list[Path]) -> tuple[list[bytes], dict[bytes, KeyBinding]]:
    """Trusted keys and their bindings from PEM files, office key files, rotations, folders.

    A PEM file gives a key bound to no office; an office key file a bound
    one. A rotation whose old key is trusted adds the new key with the old
    key's office and retires the old key at the rotation's time.
    """
    keys: dict[bytes, KeyBinding] = {}
    rotations: list[Path] = []

    def add(path: Path, in_folder: bool = False) -> None:
        if path.suffix.lower() == ".json":
            try:
                kind = statement_kind(path)
            except UserError:
                if in_folder:
                    return
                raise
            if kind == "rotation":
                rotations.append(path)
            elif kind == "office-key":
                binding = read_office_key(path)
                keys[binding.public_key] = binding
            elif not in_folder:  # a folder may hold other JSON files
                raise UserError(
                    f"Tệp '{path}' không phải tệp khóa hay tuyên bố đổi khóa.", "bad_key"
                )
        else:
            raw = raw_public(load_public(path))
            keys.setdefault(raw, KeyBinding(raw, None, None, fingerprint_of(raw)))

    for source in (Path(s) for s in sources):
        if source.is_dir():
            for item in sorted(source.iterdir()):
                if item.is_file() and item.suffix.lower() in (".json", ".pem"):
                    if item.suffix.lower() == ".pem" and b"PRIVATE KEY" in item.read_bytes()[:200]:
                        continue
                    add(item, in_folder=True)
        elif source.exists():
            add(source)
        else:
            raise UserError(f"Không tìm thấy khóa tin cậy '{source}'.", "missing")
    ordered, _never = rotation_order([read_rotation_statement(p) for p in rotations], set(keys))
    for rotation in ordered:  # a statement whose old key is not trusted binds nothing
        old = keys[rotation.old]
        keys[rotation.old] = replace(old, retired_at=rotation.rotated_at or old.retired_at)
        if rotation.new not in keys or keys[rotation.new].office_id is None:
            keys[rotation.new] = KeyBinding(
                rotation.new, old.office_id, old.office_name, fingerprint_of(rotation.new)
            )
    return list(keys), keys
