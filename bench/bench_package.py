"""Benchmark: the Bỉm Sơn Q1 signed package with 10 evidence files of 200 KB each.

Targets (median of several runs): export (report PDF and xlsx, data.json,
manifests, Ed25519 signature, atomic write, re-verification) under 0.6 s;
verifying the package under 30 ms.

    .venv/bin/python bench/bench_package.py [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.models.samples import fill_demo, load_sample  # noqa: E402
from app.models.store import Store  # noqa: E402
from app.packages.export import export_package  # noqa: E402
from app.packages.signing_keys import generate_key  # noqa: E402
from app.packages.verify import verify_package  # noqa: E402

EXPORT_TARGET = 0.6
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
            key = generate_key(folder / "key.pem", "bench passphrase")
            out = folder / "out"
            out.mkdir()
            export_package(store, "2026-Q1", out, key, today=TODAY)  # warm-up (imports, fonts)
            times, result = [], None
            for _ in range(args.runs):
                start = time.perf_counter()
                result = export_package(store, "2026-Q1", out, key, today=TODAY)
                times.append(time.perf_counter() - start)
            export_median = statistics.median(times)
        assert result is not None
        verify_package(result.path, [key])
        checks = []
        for _ in range(args.runs * 3):
            start = time.perf_counter()
            check = verify_package(result.path, [key])
            checks.append(time.perf_counter() - start)
            assert check.ok, check.message
        verify_median = statistics.median(checks)
        floor_median = statistics.median(_floor(result.path) for _ in range(args.runs * 3))
    size = result.path.stat().st_size if result.path.exists() else result.size
    print(f"Gói Bỉm Sơn Quý I/2026, 10 minh chứng × 200 KB: {size / 1e6:.2f} MB")
    print(
        f"export: median {export_median * 1000:.0f} ms "
        f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}; "
        f"target < {EXPORT_TARGET * 1000:.0f} ms)"
    )
    print(
        f"verify: median {verify_median * 1000:.1f} ms "
        f"(min {min(checks) * 1000:.1f}, max {max(checks) * 1000:.1f}; "
        f"target < {VERIFY_TARGET * 1000:.0f} ms)"
    )
    print(f"floor (SHA-256 of every member + Ed25519 verify): median {floor_median * 1000:.2f} ms")
    print("BENCH_JSON " + json.dumps({"export_s": export_median, "verify_s": verify_median,
                                      "verify_floor_s": floor_median, "size": size}))  # fmt: skip
    ok = export_median < EXPORT_TARGET and verify_median < VERIFY_TARGET
    print("OK" if ok else "CHẬM HƠN MỤC TIÊU")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
