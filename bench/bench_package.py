"""Benchmark: the Bỉm Sơn Q1 signed package with 10 evidence files of 200 KB each.

The export is the whole issuing path: the next number of the outgoing register,
the report PDF and xlsx, the signer's PAdES signature with the signature image,
then the organisation's with the seal (two PKCS#12 certificates of a test CA,
RSA 2048), data.json, manifests, the Ed25519 package signature, the atomic
write and the re-verification.

Targets (median of several runs): export under 0.6 s; verifying the package
under 30 ms (the same period exported without the PAdES signatures: the
Ed25519 package; the issued package's verification, which validates both PDF
signatures with pyHanko, is printed beside it); and, when `soffice` is installed, export within 0.25 × LibreOffice
converting the same report xlsx (taken from the package) to PDF, in paired runs
(one export, one conversion, alternately; the median of the per-pair ratios).

    .venv/bin/python bench/bench_package.py [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.models.samples import fill_demo, load_sample  # noqa: E402
from app.models.store import Store  # noqa: E402
from app.packages.export import export_package  # noqa: E402
from app.packages.pdf_signing import P12PdfSigner  # noqa: E402
from app.packages.signing_keys import generate_key  # noqa: E402
from app.packages.verify import verify_package  # noqa: E402
from tests.issuing_fixtures import P12_PASSPHRASE, make_pki, seal_png, signature_png  # noqa: E402

EXPORT_TARGET = 0.6
LO_RATIO_TARGET = 0.25
VERIFY_TARGET = 0.030
TODAY = date(2026, 4, 10)


def _floor(path: Path) -> float:
    """What any verifier must do: read, hash every member, one Ed25519 verify (seconds)."""
    import base64
    import hashlib
    import json as _json

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from app.packages.canonical_zip import read_members

    start = time.perf_counter()
    members = {m.name.split("/", 1)[1]: m.data for m in read_members(path.read_bytes())}
    for data in members.values():
        hashlib.sha256(data).digest()
    package = _json.loads(bytes(members["package.json"]))
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(package["public_key"]))
    key.verify(bytes(members["signature.ed25519"]), bytes(members["tagmanifest-sha256.txt"]))
    return time.perf_counter() - start


def _member(path: Path, name: str) -> bytes:
    from app.packages.canonical_zip import read_members

    for m in read_members(path.read_bytes()):
        if m.name.split("/", 1)[1] == name:
            return bytes(m.data)
    raise KeyError(name)


def _libreoffice(folder: Path, xlsx: Path):  # noqa: ANN202
    """A function converting `xlsx` to PDF with headless LibreOffice, or None without it."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    profile = (folder / "lo-profile").as_uri()
    command = [soffice, f"-env:UserInstallation={profile}", "--headless",
               "--convert-to", "pdf", "--outdir", str(folder / "lo"), str(xlsx)]  # fmt: skip
    env = {**os.environ, "HOME": str(folder)}
    return lambda: subprocess.run(command, capture_output=True, env=env, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["THEODOI57_HOME"] = str(folder / "home")
        plan = load_sample("bim-son")
        rng = random.Random(57)
        with Store.create(folder / "bim-son.sqlite", plan.office, plan) as store:
            fill_demo(store, TODAY)
            tasks = plan.tasks()
            for i in range(10):  # scans compress badly: random bytes are a fair stand-in
                source = folder / f"Biên bản số {i + 1}.pdf"
                source.write_bytes(rng.randbytes(200 * 1024))
                store.entries.add_attachment("2026-Q1", tasks[i].id, source)
            store.register.set_image("signature", signature_png(), "chu-ky.png")
            store.register.set_image("seal", seal_png(), "con-dau.png", 35.0)
            pki = make_pki(folder)
            key = generate_key(folder / "key.pem", "bench passphrase")
            out = folder / "out"
            out.mkdir()

            def export():  # noqa: ANN202
                signers = {"pdf_signer": P12PdfSigner(pki["signer_p12"], P12_PASSPHRASE),
                           "org_signer": P12PdfSigner(pki["org_p12"], P12_PASSPHRASE)}  # fmt: skip
                return export_package(store, "2026-Q1", out, key, today=TODAY, **signers)

            result = export()  # warm-up (imports, fonts)
            xlsx = folder / "report.xlsx"
            xlsx.write_bytes(_member(result.path, "data/report.xlsx"))
            convert = _libreoffice(folder, xlsx)
            if convert is not None:
                convert()  # its profile made once, outside the timing
            times, lo_times, ratios = [], [], []
            for _ in range(args.runs):
                start = time.perf_counter()
                result = export()
                times.append(time.perf_counter() - start)
                if convert is not None:
                    start = time.perf_counter()
                    convert()
                    lo_times.append(time.perf_counter() - start)
                    ratios.append(times[-1] / lo_times[-1])
            export_median = statistics.median(times)
            issued, signatures = result.issued, result.signatures
            # the same period without the PAdES signatures: the Ed25519 package alone
            plain = export_package(store, "2026-Q1", out, key, today=TODAY)
        assert result is not None

        def verify_median(path: Path) -> float:
            verify_package(path, [key])
            checks = []
            for _ in range(args.runs * 3):
                start = time.perf_counter()
                check = verify_package(path, [key])
                checks.append(time.perf_counter() - start)
                assert check.ok, check.message
            return statistics.median(checks)

        plain_median, issued_median = verify_median(plain.path), verify_median(result.path)
        floor_median = statistics.median(_floor(plain.path) for _ in range(args.runs * 3))
    size = result.path.stat().st_size if result.path.exists() else result.size
    print(f"Gói Bỉm Sơn Quý I/2026, 10 minh chứng × 200 KB: {size / 1e6:.2f} MB")
    print(
        f"export: median {export_median * 1000:.0f} ms "
        f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}; "
        f"target < {EXPORT_TARGET * 1000:.0f} ms)"
    )
    print(
        f"verify, the package without PAdES signatures: median {plain_median * 1000:.1f} ms "
        f"(target < {VERIFY_TARGET * 1000:.0f} ms); the issued package (pyHanko validates "
        f"both PDF signatures): median {issued_median * 1000:.1f} ms"
    )
    print(f"floor (SHA-256 of every member + Ed25519 verify): median {floor_median * 1000:.2f} ms")
    values = {"export_s": export_median, "verify_s": plain_median,
              "verify_issued_s": issued_median, "verify_floor_s": floor_median,
              "size": size}  # fmt: skip
    ok = export_median < EXPORT_TARGET and plain_median < VERIFY_TARGET
    if ratios:
        ratio = statistics.median(ratios)
        values |= {"lo_export_xlsx_pdf_s": statistics.median(lo_times), "export_lo_ratio": ratio}
        print(
            f"LibreOffice xlsx→pdf of the same report: median {statistics.median(lo_times):.3f} s; "
            f"export = {ratio:.2f} × LibreOffice (median of {len(ratios)} pairs; "
            f"target ≤ {LO_RATIO_TARGET} ×)"
        )
        ok = ok and ratio <= LO_RATIO_TARGET
    assert issued is not None and signatures == 2
    print(f"Số văn bản {issued.reference}, {signatures} chữ ký PAdES (người ký, cơ quan)")
    print("BENCH_JSON " + json.dumps(values))
    print("OK" if ok else "CHẬM HƠN MỤC TIÊU")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
