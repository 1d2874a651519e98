"""Benchmark: the Bỉm Sơn Q1 report as PDF and xlsx, in process; LibreOffice for comparison.

Target: build + both renders under 0.4 s (median of several runs). Prints the
ratio to LibreOffice converting the same xlsx to PDF (the way an office would
otherwise make a printable copy), measured in the same run when `soffice` is
installed.

    .venv/bin/python bench/bench_reports.py [--runs 7] [--soffice-runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
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
from app.reports.content import build_report  # noqa: E402
from app.reports.pdf import render_pdf  # noqa: E402
from app.reports.xlsx import render_xlsx  # noqa: E402

TARGET_SECONDS = 0.4
TODAY = date(2026, 4, 10)


def _median_time(func, runs: int) -> tuple[float, object]:  # noqa: ANN001
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--soffice-runs", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plan = load_sample("bim-son")
        with Store.create(folder / "bim-son.sqlite", plan.office, plan) as store:
            fill_demo(store, TODAY)

            def both() -> tuple[bytes, bytes]:
                report = build_report(store, "2026-Q1", TODAY)
                return render_pdf(report), render_xlsx(report)

            both()  # warm-up: font loading and imports are once per process
            build_s, report = _median_time(lambda: build_report(store, "2026-Q1", TODAY), args.runs)
            pdf_s, _ = _median_time(lambda: render_pdf(report), args.runs)
            xlsx_s, _ = _median_time(lambda: render_xlsx(report), args.runs)
            total_s, (pdf, xlsx) = _median_time(both, args.runs)

        print(
            f"Bỉm Sơn, Quý I/2026: {len(report.indicators)} chỉ tiêu, {len(report.tasks)} nhiệm vụ"
        )
        print(f"  build_report     median {build_s * 1000:7.1f} ms")
        print(f"  render_pdf       median {pdf_s * 1000:7.1f} ms  ({len(pdf) // 1024} KB)")
        print(f"  render_xlsx      median {xlsx_s * 1000:7.1f} ms  ({len(xlsx) // 1024} KB)")
        verdict = "OK" if total_s < TARGET_SECONDS else "QUÁ CHẬM"
        print(
            f"  both documents   median {total_s * 1000:7.1f} ms over {args.runs} runs "
            f"(target < {TARGET_SECONDS * 1000:.0f} ms): {verdict}"
        )

        soffice = shutil.which("soffice")
        row = {"report_both_s": total_s, "report_pdf_s": pdf_s, "report_xlsx_s": xlsx_s}
        if not soffice:
            print("BENCH_JSON " + json.dumps(row))  # for bench/run_all.py
            print("  LibreOffice (soffice) not installed: no comparison.")
            return 0 if total_s < TARGET_SECONDS else 1
        src = folder / "report.xlsx"
        src.write_bytes(xlsx)
        profile = (folder / "lo-profile").as_uri()
        command = [soffice, f"-env:UserInstallation={profile}", "--headless",
                   "--convert-to", "pdf", "--outdir", str(folder), str(src)]  # fmt: skip
        env = {**os.environ, "HOME": str(folder)}
        subprocess.run(command, capture_output=True, env=env, check=True)  # profile warm-up
        lo_s, _ = _median_time(
            lambda: subprocess.run(command, capture_output=True, env=env, check=True),
            args.soffice_runs,
        )
        print(
            f"  LibreOffice xlsx→pdf median {lo_s * 1000:7.1f} ms over {args.soffice_runs} runs; "
            f"ratio LibreOffice / ours = {lo_s / total_s:.1f}×"
        )
        print("BENCH_JSON " + json.dumps({**row, "lo_xlsx_pdf_s": lo_s}))  # for bench/run_all.py
    return 0 if total_s < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
