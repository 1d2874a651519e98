"""Benchmark: read the 52-indicator Bỉm Sơn Phụ lục I workbook (target: under 0.5 s).

Builds the workbook once (as tests/workbooks.py does, from the bundled sample),
then times `read_plan_workbook` — the pre-checks, openpyxl load, legacy-text
detection, header and row parsing — over several runs and prints the median.
Also times the TCVN3 variant and the whole plan (both appendices).

    .venv/bin/python bench/bench_import.py [runs]
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.importers.workbook import read_plan_workbook  # noqa: E402
from app.models.samples import load_sample  # noqa: E402
from tests.workbooks import write_workbook  # noqa: E402

TARGET_SECONDS = 0.5


def _median(path: Path, runs: int) -> tuple[float, int]:
    times = []
    count = 0
    for _ in range(runs):
        start = time.perf_counter()
        preview = read_plan_workbook(path)
        times.append(time.perf_counter() - start)
        count = preview.indicator_count() + preview.task_count()
        assert preview.importable, preview.summary_lines()
    return statistics.median(times), count


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    plan = load_sample("bim-son")
    with tempfile.TemporaryDirectory() as folder:
        cases = {
            "Phụ lục I (52 chỉ tiêu, Unicode)": write_workbook(
                Path(folder) / "pl1.xlsx", plan, tasks=False
            ),
            "Phụ lục I (52 chỉ tiêu, TCVN3)": write_workbook(
                Path(folder) / "pl1-tcvn3.xlsx", plan, "tcvn3", tasks=False
            ),
            "Phụ lục I, II và III (52 chỉ tiêu, 21 + 83 nhiệm vụ)": write_workbook(
                Path(folder) / "all.xlsx", plan
            ),
        }
        read_plan_workbook(cases["Phụ lục I (52 chỉ tiêu, Unicode)"])  # warm imports
        first = None
        medians = []
        for label, path in cases.items():
            median, items = _median(path, runs)
            first = first if first is not None else median
            medians.append(median)
            print(f"{label}: median {median * 1000:.1f} ms over {runs} runs ({items} mục)")
        # one machine-readable line for bench/run_all.py
        print("BENCH_JSON " + json.dumps({"import_pl1_s": medians[0], "import_tcvn3_s": medians[1],
                                          "import_all_s": medians[2]}))  # fmt: skip
    ok = first is not None and first < TARGET_SECONDS
    print(f"Mục tiêu < {TARGET_SECONDS} s cho Phụ lục I 52 chỉ tiêu: {'đạt' if ok else 'CHƯA ĐẠT'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
