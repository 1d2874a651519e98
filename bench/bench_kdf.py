"""Benchmark: what the office key's passphrase costs the owner and an attacker.

Measures, on this machine, at the production cost (scrypt N = 2^17, r = 8,
p = 1: 128 MiB per guess):

* unlock: `load_key` of an envelope key with the right passphrase (read,
  scrypt, AES-GCM, PKCS#8 parse) — target 0.3–1 s;
* one guess: scrypt alone with a wrong passphrase, and so the guesses per
  second one core allows (and all cores of this machine, memory permitting);
* the same for the older PKCS#8 key (PBKDF2-HMAC-SHA256, 2,048 iterations),
  for the ratio.

    .venv/bin/python bench/bench_kdf.py [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402

from app.packages import key_envelope  # noqa: E402
from app.packages.signing_keys import generate_key, load_key  # noqa: E402

PASSPHRASE = "ấm trà mây trắng cửa sổ"
UNLOCK_TARGET = (0.3, 1.0)


def _median(fn, runs: int) -> float:  # noqa: ANN001
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    cost = key_envelope.current_cost()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "keys" / "office-signing-key.pem"
        generate_key(path, PASSPHRASE)
        data = path.read_bytes()
        unlock = _median(lambda: load_key(path, PASSPHRASE), runs)

        def guess() -> None:
            try:
                key_envelope.open_envelope(data, b"wrong guess")
            except key_envelope.WrongPassphrase:
                pass

        one_guess = _median(guess, runs)
        legacy = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(PASSPHRASE.encode()),
        )

        def legacy_guess() -> None:
            try:
                serialization.load_pem_private_key(legacy, b"wrong guess")
            except ValueError:
                pass

        legacy_one = _median(legacy_guess, runs * 20)
    cores = os.cpu_count() or 1
    values = {
        "kdf_log2_n": cost.log2_n,
        "kdf_r": cost.r,
        "kdf_p": cost.p,
        "kdf_memory_mib": cost.memory_bytes / 1024 / 1024,
        "kdf_unlock_s": unlock,
        "kdf_guess_s": one_guess,
        "kdf_guesses_per_s_core": 1 / one_guess,
        "kdf_guesses_per_s_machine": cores / one_guess,
        "kdf_cores": cores,
        "kdf_legacy_guess_s": legacy_one,
        "kdf_legacy_guesses_per_s_core": 1 / legacy_one,
    }
    low, high = UNLOCK_TARGET
    print(
        f"scrypt N=2^{cost.log2_n}, r={cost.r}, p={cost.p}: {cost.memory_bytes >> 20} MiB a guess"
    )
    print(f"unlock (load_key): {unlock * 1000:.0f} ms  (target {low}–{high} s: "
          f"{'met' if low <= unlock <= high else 'missed'})")  # fmt: skip
    print(f"one guess: {one_guess * 1000:.0f} ms → {1 / one_guess:.1f} guesses/s per core, "
          f"{cores / one_guess:.1f}/s on this machine's {cores} cores")  # fmt: skip
    print(f"older PKCS#8 (PBKDF2 2,048): {legacy_one * 1000:.2f} ms → {1 / legacy_one:.0f} "
          f"guesses/s per core ({one_guess / legacy_one:.0f} × cheaper)")  # fmt: skip
    print("BENCH_JSON " + json.dumps(values))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
