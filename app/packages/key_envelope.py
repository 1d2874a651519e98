"""The office key at rest: scrypt-derived key, AES-256-GCM, over the PKCS#8 DER.

PKCS#8 as `cryptography` writes it (BestAvailableEncryption) derives its key
with PBKDF2-HMAC-SHA256 at 2,048 iterations: one CPU core tries ~1,000
passphrases a second against a stolen key file. scrypt with N = 2^17, r = 8
needs 128 MiB of memory per guess and ~0.35 s of one core here, so guessing
costs ~3 guesses a second per core and graphics cards gain little.

The envelope is a PEM-style text file (editors and every check that looks for
"PRIVATE KEY" still recognise it):

    -----BEGIN THEODOI57 ENCRYPTED PRIVATE KEY-----
    base64( header | ciphertext+tag )
    -----END THEODOI57 ENCRYPTED PRIVATE KEY-----

    header = b"TD57KEY1" | log2 N (1 byte) | r (1) | p (1) | salt (16) | nonce (12)

The key is scrypt(passphrase UTF-8, salt, N, r, p, 32 bytes); the plaintext is
the unencrypted PKCS#8 DER of the Ed25519 key; AES-256-GCM authenticates the
header as associated data, so the parameters cannot be lowered unnoticed.
Reading accepts log2 N from 14 to 20 only (a hostile file cannot make us
allocate gigabytes); a file below the current cost is re-encrypted on the
next successful unlock (signing_keys.load_key).
"""

from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

BEGIN = b"-----BEGIN THEODOI57 ENCRYPTED PRIVATE KEY-----"
END = b"-----END THEODOI57 ENCRYPTED PRIVATE KEY-----"
MAGIC = b"TD57KEY1"
KDF_LOG2_N = 17  # tests lower this (conftest) for speed; files record their own cost
KDF_R = 8
KDF_P = 1
MIN_LOG2_N, MAX_LOG2_N = 14, 20
SALT_BYTES = 16
NONCE_BYTES = 12
HEADER_BYTES = len(MAGIC) + 3 + SALT_BYTES + NONCE_BYTES


class BadEnvelope(ValueError):
    """The file is not an envelope this version can read."""


class WrongPassphrase(ValueError):
    """The envelope is sound but the passphrase does not open it."""


@dataclass(frozen=True)
class KdfCost:
    log2_n: int
    r: int
    p: int

    @property
    def memory_bytes(self) -> int:
        return 128 * self.r * (2**self.log2_n) * self.p


def current_cost() -> KdfCost:
    return KdfCost(KDF_LOG2_N, KDF_R, KDF_P)


def _derive(secret: bytes, salt: bytes, cost: KdfCost) -> bytes:
    return Scrypt(salt=salt, length=32, n=2**cost.log2_n, r=cost.r, p=cost.p).derive(secret)


def is_envelope(data: bytes) -> bool:
    return data.lstrip().startswith(BEGIN)


def seal(der: bytes, secret: bytes, cost: KdfCost | None = None) -> bytes:
    """The envelope (PEM-style text) holding `der`, encrypted under `secret`."""
    cost = cost or current_cost()
    salt, nonce = os.urandom(SALT_BYTES), os.urandom(NONCE_BYTES)
    header = MAGIC + bytes([cost.log2_n, cost.r, cost.p]) + salt + nonce
    body = header + AESGCM(_derive(secret, salt, cost)).encrypt(nonce, der, header)
    encoded = base64.encodebytes(body).replace(b"\n", b"")
    lines = [encoded[i : i + 64] for i in range(0, len(encoded), 64)]
    return b"\n".join([BEGIN, *lines, END]) + b"\n"


def cost_of(data: bytes) -> KdfCost:
    """The KDF cost an envelope records (BadEnvelope when it cannot be read)."""
    return _parse(data)[0]


def _parse(data: bytes) -> tuple[KdfCost, bytes, bytes, bytes, bytes]:
    text = data.strip()
    if not text.startswith(BEGIN) or not text.endswith(END):
        raise BadEnvelope("armor")
    try:
        body = base64.b64decode(b"".join(text[len(BEGIN) : -len(END)].split()), validate=True)
    except (binascii.Error, ValueError):
        raise BadEnvelope("base64") from None
    if len(body) < HEADER_BYTES + 16 or not body.startswith(MAGIC):
        raise BadEnvelope("header")
    log2_n, r, p = body[len(MAGIC)], body[len(MAGIC) + 1], body[len(MAGIC) + 2]
    if not (MIN_LOG2_N <= log2_n <= MAX_LOG2_N) or not (1 <= r <= 16) or p != 1:
        raise BadEnvelope("cost")
    start = len(MAGIC) + 3
    salt = body[start : start + SALT_BYTES]
    nonce = body[start + SALT_BYTES : HEADER_BYTES]
    return KdfCost(log2_n, r, p), salt, nonce, body[:HEADER_BYTES], body[HEADER_BYTES:]


def open_envelope(data: bytes, secret: bytes) -> bytes:
    """The PKCS#8 DER inside; WrongPassphrase or BadEnvelope when it cannot be had."""
    cost, salt, nonce, header, sealed = _parse(data)
    try:
        return AESGCM(_derive(secret, salt, cost)).decrypt(nonce, sealed, header)
    except InvalidTag:
        raise WrongPassphrase("passphrase") from None
