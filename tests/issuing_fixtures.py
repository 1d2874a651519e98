"""Makings of the issuing tests: a test CA, the signer's and the organisation's
certificates as PKCS#12 files, and transparent PNGs for the signature and the seal.

Plain helpers (no tests here); the docs images are made with the same pieces.
"""

from __future__ import annotations

import io
import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

P12_PASSPHRASE = "mật khẩu p12"
SIGNER = "Nguyễn Thanh Tùng"
ORGANISATION = "Thị ủy Bỉm Sơn"


def _name(cn: str, org: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def make_ca() -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    now = datetime.now(UTC)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = _name("CA thử nghiệm Theo dõi NQ57", "Theo dõi NQ57 Test CA")
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .sign(key, hashes.SHA256())
    )
    return cert, key


def issue(ca: x509.Certificate, ca_key: rsa.RSAPrivateKey, cn: str, org: str):
    """A signing certificate (RSA 2048) the test CA issued, with its key."""
    now = datetime.now(UTC)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(cn, org))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=90))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    return cert, key


def write_p12(path: Path, cert, key, ca, passphrase: str = P12_PASSPHRASE) -> Path:
    """The certificate, its key and the CA (the whole chain) in a PKCS#12 file."""
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"ky-so", key, cert, [ca],
            serialization.BestAvailableEncryption(passphrase.encode()),
        )
    )  # fmt: skip
    return path


def make_pki(folder: Path) -> dict:
    """CA, the signer's and the organisation's .p12 files in `folder`."""
    ca, ca_key = make_ca()
    signer, signer_key = issue(ca, ca_key, SIGNER, ORGANISATION)
    org, org_key = issue(ca, ca_key, ORGANISATION, ORGANISATION)
    return {
        "ca": ca,
        "signer_p12": write_p12(folder / "nguoi-ky.p12", signer, signer_key, ca),
        "org_p12": write_p12(folder / "co-quan.p12", org, org_key, ca),
    }


def signature_png() -> bytes:
    """A blue hand-signature scribble on a transparent background."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (600, 300), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    points = [(40 + t * 5.2, 170 - 70 * math.sin(t / 9.0) * math.exp(-t / 160)) for t in range(100)]
    draw.line(points, fill=(31, 60, 154, 255), width=9, joint="curve")
    draw.line([(120, 230), (520, 200)], fill=(31, 60, 154, 255), width=6)
    return _png(image)


def seal_png() -> bytes:
    """A red round seal (two rings and a star) on a transparent background."""
    from PIL import Image, ImageDraw

    size = 500
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    red = (200, 16, 16, 230)
    draw.ellipse((8, 8, size - 8, size - 8), outline=red, width=14)
    draw.ellipse((90, 90, size - 90, size - 90), outline=red, width=6)
    c, r = size / 2, 70
    star = [
        (c + r * math.sin(i * math.pi / 5) * (1 if i % 2 == 0 else 0.4),
         c - r * math.cos(i * math.pi / 5) * (1 if i % 2 == 0 else 0.4))
        for i in range(10)
    ]  # fmt: skip
    draw.polygon(star, fill=red)
    return _png(image)


def _png(image) -> bytes:  # noqa: ANN001
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
