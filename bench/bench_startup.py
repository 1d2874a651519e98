"""Start-up of the light commands against the floor: `python -c pass`, in paired runs.

Each round runs `python -c pass` and then every light command once, as whole
processes (what a user or a script waits for); the ratio is the median of the
per-round ratios, so a busy moment of the machine weighs on both sides of a
pair. Target (issue "Speed and scale"): each light command within 6 × the floor.

The commands run on a demo data file made once in a temporary folder, and on a
package exported from it (`package verify`).

Run: .venv/bin/python bench/bench_startup.py [--rounds 15]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 6.0
PASSPHRASE = "ba từ khóa dài cho benchmark"


def _run(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)  # fmt: skip
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    rounds = parser.parse_args().rounds
    py = sys.executable
    with tempfile.TemporaryDirectory() as work:
        w = Path(work)
        env = {**os.environ, "THEODOI57_HOME": str(w / "home"), "BENCH_PW": PASSPHRASE}
        # An installed app runs from bytecode: let the warm-up round write it
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        db = w / "demo.sqlite"
        app = [py, "-m", "app"]
        subprocess.run([*app, "demo", "--db", str(db), "--today", "2026-10-05"], cwd=ROOT,
                       env=env, check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        key = w / "k" / "k.pem"
        subprocess.run([*app, "key", "generate", "--out", str(key), "--passphrase-env",
                        "BENCH_PW"], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        out = w / "out"
        out.mkdir()
        subprocess.run([*app, "report", "export", "--db", str(db), "--period", "2026-Q3",
                        "--out", str(out), "--key", str(key), "--passphrase-env", "BENCH_PW",
                        "--today", "2026-10-05", "--allow-incomplete"], cwd=ROOT, env=env,
                       check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        (package,) = out.glob("*.zip")
        commands = {
            "samples": [*app, "samples"],
            "status": [*app, "status", "--db", str(db), "--today", "2026-10-05"],
            "plan show": [*app, "plan", "show", "--db", str(db)],
            "period check": [*app, "period", "check", "--db", str(db), "--period", "2026-Q3"],
            "progress": [*app, "progress", "--db", str(db), "--period", "2026-Q3",
                         "--today", "2026-10-05"],
            "package verify": [*app, "package", "verify", str(package), "--trust",
                               str(key.with_name("k.pub.pem"))],
        }  # fmt: skip
        for args in commands.values():  # warm-up: bytecode written, files in the page cache
            _run(args, env)
        floor: list[float] = []
        times: dict[str, list[float]] = {name: [] for name in commands}
        ratios: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(rounds):
            base = _run([py, "-c", "pass"], env)
            floor.append(base)
            for name, args in commands.items():
                t = _run(args, env)
                times[name].append(t)
                ratios[name].append(t / base)
    result = {"floor_s": statistics.median(floor)}
    print(f"python -c pass: median {result['floor_s'] * 1000:.0f} ms ({rounds} rounds)")
    for name in commands:
        median_s, ratio = statistics.median(times[name]), statistics.median(ratios[name])
        verdict = "met" if ratio <= TARGET else "missed"
        print(f"{name:15} median {median_s * 1000:4.0f} ms = {ratio:4.1f} × floor "
              f"(target ≤ {TARGET:g} ×: {verdict})")  # fmt: skip
        key_name = name.replace(" ", "_")
        result[f"start_{key_name}_s"] = median_s
        result[f"start_{key_name}_ratio"] = ratio
    print("BENCH_JSON " + json.dumps(result))


if __name__ == "__main__":
    main()
