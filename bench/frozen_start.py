"""The PyInstaller build: folder size and start-up of the frozen window.

Start-up is measured as a whole process, as the secretary sees it:
`dist/theodoi57/theodoi57 gui --db DEMO --quit-after-show` (offscreen), Bỉm Sơn
sample with demo values; several runs, median. Targets: folder under 150 MB,
start to usable window under 1.5 s. Needs `make dist` first, so it is not one
of the `bench_*.py` scripts `make bench` runs.

Run: .venv/bin/python bench/frozen_start.py [dist/theodoi57]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RUNS = 7
EXE = "theodoi57.exe" if sys.platform == "win32" else "theodoi57"


def main(argv: list[str]) -> int:
    from app.models.samples import fill_demo, load_sample
    from app.models.store import Store

    dist = Path(argv[0] if argv else ROOT / "dist" / "theodoi57").resolve()
    if not (dist / EXE).exists():
        print(f"No build in {dist}: run `make dist` first.", file=sys.stderr)
        return 2
    size = sum(p.stat().st_size for p in dist.rglob("*") if p.is_file() and not p.is_symlink())
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.sqlite"
        plan = load_sample("bim-son")
        with Store.create(db, plan.office, plan) as store:
            fill_demo(store, date(2026, 11, 23))
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "THEODOI57_HOME": str(Path(tmp))}
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            subprocess.run([str(dist / EXE), "gui", "--db", str(db), "--quit-after-show"],
                           env=env, check=True, capture_output=True)  # fmt: skip
            times.append(time.perf_counter() - started)
    print(f"folder size: {size / 1e6:.1f} MB ({size / 2**20:.1f} MiB)  target < 150 MB")
    print(
        f"frozen start-up, median of {RUNS}: {statistics.median(times):.2f} s "
        f"(min {min(times):.2f}, max {max(times):.2f})  target < 1.5 s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
