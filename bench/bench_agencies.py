"""Agency round trip speed: 30 agencies' forms written, 30 returned forms collected.

The Bỉm Sơn sample (52 indicators, 21 + 83 tasks) with its items spread over 30
agencies ("Đơn vị 1" … "Đơn vị 30", each also partner of the next one's
tasks). Forms for period 2026-Q3 are written into a folder (target: under
2 s for the 30), each is filled with openpyxl as an agency would (not timed),
then the 30 returned forms are collected in one `collect_forms` (target: under
3 s), each run on a fresh data file; medians over the runs.

Run: .venv/bin/python bench/bench_agencies.py
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RUNS = 5
AGENCIES = 30
WRITE_TARGET_S = 2.0
COLLECT_TARGET_S = 3.0


def _store(folder: Path):  # noqa: ANN202
    from app.models.samples import load_sample
    from app.models.store import Store
    from app.operations import agency as ops

    plan = load_sample("bim-son")
    for n, item in enumerate([*plan.indicators(), *plan.tasks()]):
        item.lead_agency = f"Đơn vị {n % AGENCIES + 1}"
        if hasattr(item, "partners"):
            item.partners = [f"Đơn vị {(n + 1) % AGENCIES + 1}"]
    store = Store.create(folder / "bench.sqlite", plan.office, plan)
    ops.build_agencies(store, merge=True)
    return store


def _fill(path: Path, out: Path) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    if "Chỉ tiêu" in wb.sheetnames:
        ws = wb["Chỉ tiêu"]
        for r in range(5, ws.max_row + 1):
            ws.cell(r, 7).value = 1
            ws.cell(r, 8).value = "Số liệu của đơn vị"
    if "Nhiệm vụ" in wb.sheetnames:
        ws = wb["Nhiệm vụ"]
        for r in range(5, ws.max_row + 1):
            ws.cell(r, 5).value = "Đang thực hiện"
            ws.cell(r, 6).value = 50
            ws.cell(r, 7).value = "Đã triển khai theo kế hoạch"
    if "Phối hợp" in wb.sheetnames:
        ws = wb["Phối hợp"]
        for r in range(5, ws.max_row + 1):
            ws.cell(r, 5).value = "Đã phối hợp"
    wb.save(out)


def one_run() -> tuple[float, float, int, int]:
    from app.operations import agency as ops
    from app.operations.period import period_of

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = _store(folder)
        period = period_of(store, "2026-Q3", date(2026, 9, 1))
        start = time.perf_counter()
        written = ops.write_forms(store, period, folder / "forms").result
        write_s = time.perf_counter() - start
        back = folder / "back"
        back.mkdir()
        for w in written:
            _fill(w.path, back / w.path.name)
        start = time.perf_counter()
        results = ops.collect_forms(store, period, [back], received_on=date(2026, 9, 15)).result
        collect_s = time.perf_counter() - start
        values = sum(len(r.written) for r in results)
        assert all(not r.problems and not r.refused for r in results), results
        store.close()
        return write_s, collect_s, len(written), values


def main() -> None:
    runs = [one_run() for _ in range(RUNS)]
    write = statistics.median(r[0] for r in runs)
    collect = statistics.median(r[1] for r in runs)
    forms, values = runs[0][2], runs[0][3]
    print(f"Lập {forms} biểu mẫu: trung vị {write:.2f} s qua {RUNS} lần "
          f"(mục tiêu < {WRITE_TARGET_S} s: {'đạt' if write < WRITE_TARGET_S else 'CHƯA ĐẠT'})")  # fmt: skip
    print(f"Nhận {forms} biểu mẫu ({values} mục ghi): trung vị {collect:.2f} s qua {RUNS} lần "
          f"(mục tiêu < {COLLECT_TARGET_S} s: {'đạt' if collect < COLLECT_TARGET_S else 'CHƯA ĐẠT'})")  # fmt: skip
    print("BENCH_JSON " + json.dumps({"agency_forms_write_s": write,
                                      "agency_forms_collect_s": collect,
                                      "agency_forms": forms, "agency_values": values}))  # fmt: skip


if __name__ == "__main__":
    main()
