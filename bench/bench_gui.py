"""GUI speed: start-up to a usable window, and search filtering on a big task table.

1. Start-up, measured as a whole process, as the secretary sees it:
   `python -m app gui --db DEMO --quit-after-show` (offscreen), Bỉm Sơn sample
   with demo values; several runs, median. Target: under 0.8 s.
2. Filtering a generated 10,000-row task table (100 groups) in the Kế hoạch
   view: one keystroke = the model re-filtering plus the view laying out and painting;
   in-process, median over the keystrokes of a few queries. Target: under 30 ms.
3. Opening a period's entry grid (Bỉm Sơn + demo values, 2026-Q3): from the click to
   both grids built, laid out and painted in a 1366×768 window; in-process, median
   of several opens. Target: under 0.3 s.
4. The receiving window's matrix for a whole country: 3,321 offices × 8 quarters of
   synthetic package rows (bench/national_matrix.py). Opening the "Nhận & tổng hợp"
   page on that file until the matrix is painted in a 1366×768 window (median of
   several opens; target ≤ 1 s), then scrolling it a screen at a time from top to
   bottom and back (median and worst step; smooth = each step well under 50 ms).

Run: .venv/bin/python bench/bench_gui.py
"""

from __future__ import annotations

import json
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
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

RUNS = 7
WORDS = (
    "Triển khai chuyển đổi số trong cơ quan nhà nước, xây dựng chính quyền số, "
    "phát triển kinh tế số, xã hội số, đào tạo kỹ năng số cho người dân, hạ tầng viễn thông, "
    "dịch vụ công trực tuyến, cơ sở dữ liệu dân cư, an toàn thông tin mạng, đổi mới sáng tạo"
).split()


def bench_startup(home: Path) -> list[float]:
    from app.models.samples import fill_demo, load_sample
    from app.models.store import Store

    db = home / "demo.sqlite"
    plan = load_sample("bim-son")
    with Store.create(db, plan.office, plan) as store:
        fill_demo(store, date(2026, 11, 23))
    env = {**os.environ, "THEODOI57_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-m", "app", "gui", "--db", str(db), "--quit-after-show"]
    subprocess.run(command, env=env, cwd=ROOT, capture_output=True, check=True)  # warm caches
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(command, env=env, cwd=ROOT, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return times


def big_plan():  # noqa: ANN201
    from app.models.plan import Office, Plan, PlanInfo, Task, TaskGroup

    groups = []
    n = 0
    for g in range(100):
        tasks = []
        for _ in range(100):
            n += 1
            words = [WORDS[(n * k + g) % len(WORDS)] for k in (3, 5, 7, 11, 13, 17)]
            tasks.append(
                Task(code=str(n), name=" ".join(words).capitalize(), lead_agency="UBND xã")
            )
        groups.append(TaskGroup(code=str(g + 1), title=f"Nhóm nhiệm vụ số {g + 1}", tasks=tasks))
    return Plan(Office(name="Xã Thử Nghiệm"), PlanInfo(number="1-KH", title="Thử"), [], groups)


def bench_filter(home: Path) -> tuple[list[float], int]:
    from PySide6.QtWidgets import QApplication

    from app.models.store import Store
    from app.ui.plan_models import TaskTableModel
    from app.ui.plan_page import PlanTree
    from app.ui.session import Session

    app = QApplication.instance() or QApplication([])
    plan = big_plan()
    store = Store.create(home / "big.sqlite", plan.office, plan)
    session = Session(store, date(2026, 11, 23))
    model = TaskTableModel(session)

    class _Page:
        status = None

    tree = PlanTree(model, _Page())  # type: ignore[arg-type]
    tree.resize(1200, 800)
    tree.show()
    app.processEvents()
    rows = sum(1 for _, item in model.entries if item >= 0)
    times = []
    for query in ("chuyen doi so", "dich vu cong", "an toan thong tin"):
        for end in range(1, len(query) + 1):
            start = time.perf_counter()
            model.set_query(query[:end])
            app.processEvents()  # the view's pending layout and paint
            times.append(time.perf_counter() - start)
        start = time.perf_counter()
        model.set_query("")
        app.processEvents()
        times.append(time.perf_counter() - start)
    store.close()
    return times, rows


def bench_open_grid(home: Path) -> list[float]:
    from PySide6.QtWidgets import QApplication

    from app.models.samples import fill_demo, load_sample
    from app.models.store import Store
    from app.settings import Settings
    from app.ui.app import make_app, open_main_window

    app = make_app()
    db = home / "grid.sqlite"
    plan = load_sample("bim-son")
    with Store.create(db, plan.office, plan) as store:
        fill_demo(store, date(2026, 11, 23))
    window = open_main_window(db, Settings(path=home / "grid-settings.json"), date(2026, 11, 23))
    window.resize(1366, 728)
    window.show()
    page = window.show_page("periods")
    app.processEvents()
    times = []
    for n in range(RUNS):
        page.show_list()
        page._drop_entry()  # a fresh entry screen each time, as after another period
        app.processEvents()
        start = time.perf_counter()
        entry = page.open_period("2026-Q3")
        entry.tabs.setCurrentIndex(n % 2)  # the task grid too, every other run
        entry.repaint()
        app.processEvents()
        times.append(time.perf_counter() - start)
    window.close()
    window.session.close()
    window.deleteLater()
    QApplication.processEvents()
    return times


def bench_receiving_matrix(home: Path) -> tuple[list[float], list[float], int]:
    from PySide6.QtWidgets import QApplication

    from app.ui.receiving_page import ReceivingPage
    from bench.national_matrix import OFFICES, build_national_receiving

    app = QApplication.instance() or QApplication([])
    path = build_national_receiving(home / "national.sqlite")
    opens, steps = [], []
    for n in range(5):
        start = time.perf_counter()
        page = ReceivingPage(path)
        page.resize(1366, 728)
        page.show()
        page.matrix_view.repaint()
        app.processEvents()
        opens.append(time.perf_counter() - start)
        if n == 0:  # scroll once: a screen per step, to the bottom and back
            bar = page.matrix_view.verticalScrollBar()
            for value in [*range(0, bar.maximum(), bar.pageStep()), bar.maximum()][::4] * 2:
                start = time.perf_counter()
                bar.setValue(value)
                page.matrix_view.viewport().repaint()
                app.processEvents()
                steps.append(time.perf_counter() - start)
        page.close()
        page.deleteLater()
        app.processEvents()
    return opens, steps, OFFICES


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        os.environ["THEODOI57_HOME"] = str(home)
        startup = bench_startup(home)
        print(
            f"Start-up to a usable main window (Bỉm Sơn + demo data, whole process, {RUNS} runs): "
            f"median {statistics.median(startup):.3f} s (min {min(startup):.3f}, max {max(startup):.3f}); "
            "target < 0.8 s"
        )
        filtering, rows = bench_filter(home)
        grid = bench_open_grid(home)
        print(
            f"Opening a period's entry grid (2026-Q3, {RUNS} opens): median "
            f"{statistics.median(grid):.3f} s (max {max(grid):.3f} s); target < 0.3 s"
        )
        opens, steps, offices = bench_receiving_matrix(home)
        print(
            f"Opening the receiving matrix ({offices} offices × 8 periods, {len(opens)} opens): "
            f"median {statistics.median(opens):.3f} s (max {max(opens):.3f} s); target ≤ 1 s"
        )
        print(
            f"Scrolling it a screen at a time ({len(steps)} steps): median "
            f"{statistics.median(steps) * 1000:.1f} ms (max {max(steps) * 1000:.1f} ms)"
        )
        row = {"startup_s": statistics.median(startup), "filter_s": statistics.median(filtering),
               "filter_max_s": max(filtering), "filter_rows": rows,
               "open_grid_s": statistics.median(grid),
               "matrix_open_s": statistics.median(opens), "matrix_open_max_s": max(opens),
               "matrix_scroll_s": statistics.median(steps),
               "matrix_scroll_max_s": max(steps), "matrix_offices": offices}  # fmt: skip
        print("BENCH_JSON " + json.dumps(row))  # for bench/run_all.py
        print(
            f"Filtering {rows} tasks per keystroke ({len(filtering)} keystrokes): "
            f"median {statistics.median(filtering) * 1000:.1f} ms "
            f"(max {max(filtering) * 1000:.1f} ms); target < 30 ms"
        )


if __name__ == "__main__":
    main()
