"""Run every benchmark, measure the peers in the same run, and write BENCHMARKS.md.

Each bench/bench_*.py runs as its own process (its whole-process peak memory
is taken from os.wait4) and ends with one `BENCH_JSON {...}` line, which is
parsed here. Measured here as well:

* LibreOffice headless "opening" the Bỉm Sơn plan workbook (convert to CSV,
  timed as a whole process, like our start-up), against our start-up;
* the frozen start-up, when `make dist` has built dist/theodoi57/;
* targets and ratios, written with the machine's description and the date.

    .venv/bin/python bench/run_all.py [--out BENCHMARKS.md] [--soffice-runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SCRIPTS = ("bench_import", "bench_reports", "bench_package", "bench_gui", "bench_receive",
           "bench_national", "bench_kdf", "bench_startup")  # fmt: skip
# peak memory target per benchmark process (others: 250 MB): the national quarter's bound for
# bench_national (its process holds the floor's files 256 at a time, its measure's children
# report their own peaks) and for bench_gui, whose process ends by opening the receiving
# window's matrix of 3,321 offices × 8 periods
PEAK_TARGETS = {"bench_national": 400, "bench_gui": 400}
PEAK_NOTES = {"bench_gui": "bench_gui (its last step: the 3,321-office matrix; ≤ 400 MB)"}
PACKAGES = ("PySide6-Essentials", "openpyxl", "reportlab", "cryptography", "pyHanko",
            "fastjsonschema", "sqlite-utils", "defusedxml")  # fmt: skip


def run_script(name: str) -> tuple[dict, float, str]:
    """(the BENCH_JSON values, whole-process peak MB, printed output) of one benchmark."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONUNBUFFERED": "1"}
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / f"{name}.py")],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    values: dict = {}
    for line in text.splitlines():
        if line.startswith("BENCH_JSON "):
            values.update(json.loads(line[len("BENCH_JSON ") :]))
    if not values:
        raise SystemExit(f"{name} printed no BENCH_JSON line (exit {proc.returncode}):\n{text}")
    return values, usage.ru_maxrss / 1024, text


def soffice_open_plan(runs: int) -> float | None:
    """LibreOffice headless converting the Bỉm Sơn plan workbook to CSV, whole process."""
    soffice = shutil.which("soffice")
    if not soffice:
        return None
    from app.models.samples import load_sample
    from tests.workbooks import write_workbook

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        book = write_workbook(folder / "phu-luc.xlsx", load_sample("bim-son"))
        command = [soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                   "--headless", "--convert-to", "csv", "--outdir", str(folder), str(book)]  # fmt: skip
        env = {**os.environ, "HOME": str(folder)}
        subprocess.run(command, capture_output=True, env=env, check=True)  # profile warm-up
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(command, capture_output=True, env=env, check=True)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def frozen_startup(runs: int) -> float | None:
    """Start-up of the frozen build (dist/theodoi57/theodoi57), when it has been built."""
    exe = ROOT / "dist" / "theodoi57" / ("theodoi57.exe" if os.name == "nt" else "theodoi57")
    if not exe.exists():
        return None
    from app.models.samples import fill_demo, load_sample
    from app.models.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        db = home / "demo.sqlite"
        plan = load_sample("bim-son")
        with Store.create(db, plan.office, plan) as store:
            fill_demo(store, date(2026, 11, 23))
        env = {**os.environ, "THEODOI57_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
        command = [str(exe), "gui", "--db", str(db), "--quit-after-show"]
        subprocess.run(command, env=env, capture_output=True, check=True, timeout=120)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(command, env=env, capture_output=True, check=True, timeout=120)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def machine() -> list[str]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or "?"
    ram = "?"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        ram = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    os_name = platform.platform()
    try:
        info = dict(
            line.split("=", 1)
            for line in Path("/etc/os-release").read_text().splitlines()
            if "=" in line
        )
        os_name = f"{info.get('PRETTY_NAME', '').strip(chr(34))} ({platform.release()})"
    except OSError:
        pass
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    lo = "not installed"
    if soffice := shutil.which("soffice"):
        run = subprocess.run([soffice, "--version"], capture_output=True, text=True)
        lo = run.stdout.strip() or "?"
    return [
        f"- Date: {datetime.now().astimezone().isoformat(timespec='minutes')}",
        f"- CPU: {cpu}; {os.cpu_count()} logical cores; RAM {ram}",
        f"- OS: {os_name}",
        f"- Python {platform.python_version()} ({platform.python_implementation()})",
        f"- Packages: {', '.join(versions)}",
        f"- Peer: {lo}",
    ]


def _ms(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds * 1000:.1f} ms"


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def _national_rows(r: dict) -> list[tuple[str, str, str, str]]:
    """The national quarter's figures (bench_national), when it ran."""
    if "national_ingest_s" not in r:
        return []
    n = f"{r['national_offices']:_}".replace("_", ".")
    return [
        (f"Ingest of a national quarter, {n} packages", f"{r['national_ingest_s']:.2f} s",
         "≤ 30 s", _verdict(r["national_ingest_s"] <= 30)),
        (f"Consolidated xlsx, {n} offices", f"{r['national_xlsx_s']:.2f} s", "≤ 10 s",
         _verdict(r["national_xlsx_s"] <= 10)),
    ]  # fmt: skip


def _scale_table(r: dict) -> list[str]:
    """Cost per office from 300 to 3,321 offices (bench_national): flat means linear."""
    scale = r.get("national_scale")
    if not scale:
        return []
    sizes = sorted(scale, key=int)
    base = sizes[0]
    per = {k: (scale[k]["ingest_s"] / int(k), scale[k]["xlsx_s"] / int(k)) for k in sizes}
    lines = [
        "## Scale: a national quarter (bench_national)",
        "",
        "Each size ingested into its own receiving file and consolidated, in a child process;",
        "medians of paired runs (the floor measured right after each ingest). Growth is the",
        f"cost per office relative to {base} offices: 1.0 × is linear, above 1 grows faster.",
        "",
        "| Offices | Ingest | Floor | Ingest ÷ floor | ms/office | Growth | Consolidated xlsx"
        " | ms/office | Growth | Peak, ingest + workers | Peak, with xlsx |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for k in sizes:
        row, (pi, px) = scale[k], per[k]
        lines.append(
            f"| {int(k):_} | {row['ingest_s']:.2f} s | {row['floor_s']:.2f} s | "
            f"{row['ratio']:.1f} × | {pi * 1000:.2f} | {pi / per[base][0]:.2f} × | "
            f"{row['xlsx_s']:.2f} s | {px * 1000:.2f} | {px / per[base][1]:.2f} × | "
            f"{row['rss_ingest_mb']:.0f} MB | {row['rss_mb']:.0f} MB |".replace("_", ".")
        )
    return [*lines, ""]


def report(r: dict, peaks: dict[str, float], lo_open: float | None, frozen: float | None) -> str:
    ingest, floor = r["ingest_s"], r["ingest_floor_s"]
    export, lo_pdf = r["export_s"], r.get("lo_export_xlsx_pdf_s", r.get("lo_xlsx_pdf_s"))
    lo_ratio = r.get("export_lo_ratio", export / lo_pdf if lo_pdf else None)
    rows = [
        ("Start-up to usable window, Bỉm Sơn + demo data (source)", _ms(r["startup_s"]),
         "≤ 800 ms", _verdict(r["startup_s"] <= 0.8)),
        ("Start-up, frozen build (dist/theodoi57)", _ms(frozen), "—",
         "not built (`make dist`)" if frozen is None else ""),
        ("Import of the 52-indicator Phụ lục I workbook", _ms(r["import_pl1_s"]), "≤ 500 ms",
         _verdict(r["import_pl1_s"] <= 0.5)),
        ("Import, Phụ lục I, II and III (52 indicators, 21 + 83 tasks)", _ms(r["import_all_s"]), "—", ""),
        ("Report PDF + xlsx (build and both renders)", _ms(r["report_both_s"]), "≤ 400 ms",
         _verdict(r["report_both_s"] <= 0.4)),
        ("Signed package export, 10 × 200 KB evidence, issued (register number, signer's "
         "and organisation's PAdES signatures)", _ms(export), "≤ 600 ms",
         _verdict(export <= 0.6)),
        ("Package verify (same period, without the PAdES signatures)", _ms(r["verify_s"]),
         "≤ 30 ms", _verdict(r["verify_s"] <= 0.030)),
        ("Package verify of the issued package (both PDF signatures validated)",
         _ms(r.get("verify_issued_s")), "—", ""),
        ("Ingest of 300 packages", f"{ingest:.2f} s", "≤ 3 s", _verdict(ingest <= 3)),
        ("Consolidated xlsx, 300 offices", f"{r['consolidated_xlsx_s']:.2f} s", "≤ 2 s",
         _verdict(r["consolidated_xlsx_s"] <= 2)),
        *_national_rows(r),
        (f"Filter over {r['filter_rows']:_} tasks, per keystroke".replace("_", "."),
         _ms(r["filter_s"]), "≤ 30 ms", _verdict(r["filter_s"] <= 0.030)),
        (f"Receiving matrix, {r.get('matrix_offices', 3321):_} offices × 8 periods: opening the "
         "page until painted".replace("_", "."), _ms(r.get("matrix_open_s")), "≤ 1 s",
         _verdict(r.get("matrix_open_s", 9) <= 1.0)),
        ("Receiving matrix: one screen of scrolling (median; worst "
         f"{_ms(r.get('matrix_scroll_max_s'))})", _ms(r.get("matrix_scroll_s")), "—", ""),
        (f"Office key unlock (scrypt N=2^{r['kdf_log2_n']}, r={r['kdf_r']}, "
         f"{r['kdf_memory_mib']:.0f} MiB)", _ms(r["kdf_unlock_s"]), "0.3–1 s",
         _verdict(0.3 <= r["kdf_unlock_s"] <= 1.0)),
        ("Passphrase guesses an attacker gets, per core (older PKCS#8 key: "
         f"{r['kdf_legacy_guesses_per_s_core']:.0f}/s)", f"{r['kdf_guesses_per_s_core']:.1f}/s",
         "—", ""),
    ]  # fmt: skip
    ratios = []
    if lo_open is not None:
        ratios.append(("LibreOffice opening the plan workbook (xlsx → csv, whole process) "
                       "vs our start-up with the same plan", _ms(lo_open),
                       f"ours = {r['startup_s'] / lo_open:.2f} × LibreOffice", "—"))  # fmt: skip
    if lo_pdf is not None and lo_ratio is not None:
        ratios.append(("LibreOffice converting our report xlsx to PDF vs our whole issued export "
                       "(paired runs)", _ms(lo_pdf), f"ours = {lo_ratio:.2f} × LibreOffice",
                       f"≤ 0.25 ×: {_verdict(lo_ratio <= 0.25)}"))  # fmt: skip
    ratios.append(("Floor for one package: read + SHA-256 of every member + Ed25519 verify",
                   _ms(r["verify_floor_s"]), f"verify = {r['verify_s'] / r['verify_floor_s']:.1f} × floor",
                   "—"))  # fmt: skip
    ratios.append(("Floor for 300 packages (same work, files already read)", f"{floor:.2f} s",
                   f"ingest = {ingest / floor:.1f} × floor",
                   f"≤ 5 ×: {_verdict(ingest / floor <= 5)}"))  # fmt: skip
    if "national_floor_s" in r:
        n, floor_n = r["national_offices"], r["national_floor_s"]
        ratios.append((f"Floor for {n:_} packages (as above, files read 256 at a time)"
                       .replace("_", "."), f"{floor_n:.2f} s",
                       f"ingest = {r['national_ingest_s'] / floor_n:.1f} × floor", "—"))  # fmt: skip
    memory = [(PEAK_NOTES.get(name, name), f"{mb:.0f} MB",
               _verdict(mb <= PEAK_TARGETS.get(name, 250)))
              for name, mb in peaks.items()]  # fmt: skip
    memory.append(("ingest child process alone (bench_receive)", f"{r['ingest_rss_mb']:.0f} MB",
                   _verdict(r["ingest_rss_mb"] <= 250)))  # fmt: skip
    if "national_ingest_rss_mb" in r:
        memory.append(("national ingest child with its workers (bench_national; ≤ 400 MB)",
                       f"{r['national_ingest_rss_mb']:.0f} MB",
                       _verdict(r["national_ingest_rss_mb"] <= 400)))  # fmt: skip
        memory.append(("the same child after the national consolidated xlsx",
                       f"{r['national_xlsx_rss_mb']:.0f} MB", "—"))  # fmt: skip
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`bench/run_all.py`), which runs every `bench/bench_*.py` as its",
        "own process and the peers in the same run. Times are medians of several runs",
        "(start-up and LibreOffice: whole processes; the rest in process after a warm-up).",
        "",
        "## Machine",
        "",
        *machine(),
        "",
        "## Figures and targets",
        "",
        "| What | Median | Target | |",
        "|---|---|---|---|",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows),
        "",
        "## Peers, measured in the same run",
        "",
        "| Peer | Peer's median | Ratio | Target |",
        "|---|---|---|---|",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in ratios),
        "",
        *_scale_table(r),
        "## Peak memory (target ≤ 250 MB; national ingest ≤ 400 MB)",
        "",
        "Whole benchmark process, from `os.wait4` (it includes building the benchmark's own",
        "fixtures, so it bounds the measured operation from above).",
        "",
        "| Benchmark process | Peak RSS | |",
        "|---|---|---|",
        *(f"| {a} | {b} | {c} |" for a, b, c in memory),
        "",
        "## Raw values",
        "",
        "```json",
        json.dumps(r, indent=1, sort_keys=True),
        "```",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--soffice-runs", type=int, default=3)
    args = parser.parse_args()
    results: dict = {}
    peaks: dict[str, float] = {}
    for name in SCRIPTS:
        print(f"== {name}", flush=True)
        values, peak, text = run_script(name)
        print(text.rstrip(), flush=True)
        results.update(values)
        peaks[name] = peak
    lo_open = soffice_open_plan(args.soffice_runs)
    if lo_open is not None:
        results["lo_open_plan_s"] = lo_open
    frozen = frozen_startup(5)
    if frozen is not None:
        results["startup_frozen_s"] = frozen
    text = report(results, peaks, lo_open, frozen)
    from app.models.atomic_file import write_bytes_atomic

    write_bytes_atomic(args.out, text.encode("utf-8"), mode=0o644)
    print(f"Đã ghi {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
