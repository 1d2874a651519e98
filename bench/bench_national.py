"""A national quarter: 3,321 commune-level offices reporting 2026-Q1 into one receiving file.

After the 2025 reorganisation there are 3,321 commune-level units in 34
provinces. Each province here has its own plan variant, derived from one of
the five sample plans (resources/samples) by keeping or repeating indicators
and tasks until it has 20–60 indicators and 50–100 tasks; office i follows
variant i mod 34, has its own Ed25519 key and office key file, its own
values (the variant's demo values, each number moved by up to ±15 %) and
three small evidence files.

Generation (once, cached in /tmp/theodoi57-bench-national, a few minutes on
two cores): each variant's office data file is filled and exported through
the real export path (export_package: report PDF and xlsx, evidence,
data.json, verified after writing). Each office's package is that variant's
payload with the office's own data.json, bagged and signed with the office's
own key by the exporter's own bagging (export._bag) and written in canonical
form — so every package is one the real ingest accepts, and it does: the
measure asserts that every one is accepted. Receiving files that trust the
first 300, 1,000 and 3,321 offices (by their office key files) are made once
too.

Measured at 300, 1,000 and 3,321 offices, each run in a child process (its
peak memory with its worker processes is the measure's own):

1. ingest of all the packages into a copy of the receiving file;
2. the consolidated xlsx (consolidate + render + write) for all of them;
3. the floor: SHA-256 of every member + one Ed25519 verify per package.

Targets at 3,321: ingest ≤ 30 s, ≤ 400 MB; consolidated xlsx ≤ 10 s. The scale
table gives each cost per office at each size: growth is linear when the cost
per office stays flat.

Run: .venv/bin/python bench/bench_national.py [--sizes 300,1000,3321] [--runs 2]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CACHE = Path(tempfile.gettempdir()) / "theodoi57-bench-national"
OFFICES = 3321
PROVINCES = 34
SIZES = (300, 1000, 3321)
SAMPLES = ("bim-son", "gia-phuc", "nga-nam", "phuoc-long", "thong-nhat")
PERIOD = "2026-Q1"
PASSPHRASE = "mật khẩu benchmark"
FORMAT_STAMP = "v1"  # bump to make the cache again when the generation changes
STANDARD_PACKAGE_FIELDS = frozenset(
    ("format", "version", "office_id", "office_name", "period_id", "period_label", "sequence",
     "created_at", "key_algorithm", "key_fingerprint", "public_key", "application",
     "application_version")
)  # fmt: skip


def _resize(groups: list[Any], attr: str, want: int, rng: random.Random) -> None:
    """Keep or repeat the items of `groups` (their list `attr`) until there are `want`."""
    items = [(g, item) for g in groups for item in getattr(g, attr)]
    while len(items) > want:  # drop at random, never a group's last item
        g, item = items.pop(rng.randrange(len(items)))
        if len(getattr(g, attr)) > 1:
            getattr(g, attr).remove(item)
        else:
            items.append((g, item))
            if all(len(getattr(x, attr)) == 1 for x, _ in items):
                break
    n = 2
    while sum(len(getattr(g, attr)) for g in groups) < want:
        g, item = rng.choice(items)
        twin = copy.deepcopy(item)
        twin.id = None
        twin.code = f"{item.code}.{n}"
        twin.name = f"{item.name} (địa bàn {n})"
        getattr(g, attr).append(twin)
        n += 1


def _variant(v: int) -> None:
    """Province v's plan, filled and exported once; its payload kept for the offices."""
    from app.models.samples import fill_demo, load_sample
    from app.models.store import Store
    from app.packages.export import export_package
    from app.packages.signing_keys import generate_key

    rng = random.Random(1000 + v)
    folder = CACHE / "variants" / f"{v:02d}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    plan = load_sample(SAMPLES[v % len(SAMPLES)])
    _resize(plan.indicator_groups, "indicators", rng.randint(20, 60), rng)
    _resize(plan.task_groups, "tasks", rng.randint(50, 100), rng)
    plan.office.name = f"Xã Mẫu Tỉnh {v:02d}"
    if not any(r.frequency and r.frequency.value == "quarter" for r in plan.info.reporting):
        # the province asks every commune for the quarter: Bỉm Sơn's quarterly rule added
        quarter = [
            r for r in load_sample("bim-son").info.reporting if r.frequency.value == "quarter"
        ]
        plan.info.reporting = [*quarter, *plan.info.reporting]
    plan.office.signer_name = plan.office.signer_name or "Nguyễn Văn An"
    plan.office.signer_title = plan.office.signer_title or "Chủ tịch"
    with Store.create(folder / "office.sqlite", plan.office, plan) as store:
        fill_demo(store, date(2026, 4, 10), seed=v)
        tasks = store.plan.load().tasks()
        for k in range(3):  # a few small evidence files
            evidence = folder / f"minh-chung-{k + 1}.txt"
            words = " ".join(rng.choice(("Biên bản", "kiểm tra", "số liệu", "xã", "quý I"))
                             for _ in range(rng.randint(200, 800)))  # fmt: skip
            evidence.write_text(words, encoding="utf-8")
            store.entries.add_attachment(PERIOD, tasks[k * 7].id, evidence)  # type: ignore[arg-type]
        key = generate_key(folder / "key.pem", PASSPHRASE)
        result = export_package(store, PERIOD, folder, key, attachments=True,
                                allow_incomplete=True)  # fmt: skip
    result.path.rename(folder / "variant.zip")


def _jitter(value: Any, rng: random.Random) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    moved = value * rng.uniform(0.85, 1.15)
    return round(moved) if isinstance(value, int) else round(moved, 2)


def _offices(chunk: list[int]) -> None:
    """The packages and office key files of offices `chunk`, from their variants' payloads."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from app.models.periods import parse_period_id
    from app.packages import format as fmt
    from app.packages.canonical_zip import read_members, write_canonical
    from app.packages.export import _bag
    from app.packages.key_binding import write_office_key
    from app.packages.pdf_signing import VIETNAM
    from app.packages.signing_keys import OfficeKey

    period = parse_period_id(PERIOD)
    variants: dict[int, tuple[dict[str, bytes], dict, dict]] = {}
    for i in chunk:
        v = i % PROVINCES
        if v not in variants:
            blob = (CACHE / "variants" / f"{v:02d}" / "variant.zip").read_bytes()
            members = {m.name.split("/", 1)[1]: bytes(m.data) for m in read_members(blob)}
            package = json.loads(members[fmt.PACKAGE_JSON])
            extra = {k: val for k, val in package.items() if k not in STANDARD_PACKAGE_FIELDS}
            payload = {k: val for k, val in members.items() if k.startswith("data/")}
            variants[v] = payload, extra, json.loads(members[fmt.DATA_JSON])
        payload, extra, data = variants[v]
        rng = random.Random(i)
        name = f"Xã Thử Nghiệm {i:04d}"
        uid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        private = Ed25519PrivateKey.generate()
        key = OfficeKey(private.public_key(), private)
        mine = {**data, "office": {**data["office"], "name": name},
                "values": [{**row, "value": _jitter(row.get("value"), rng)}
                           for row in data["values"]]}  # fmt: skip
        files = {**payload, fmt.DATA_JSON: fmt.dumps(mine)}
        created = datetime(2026, 4, rng.randint(2, 24), rng.randint(7, 17), tzinfo=VIETNAM)
        stem = fmt.package_name(name, PERIOD, 1)
        members = _bag(files, key, name, uid, period, 1, created, stem, extra)
        with open(CACHE / "packages" / f"{stem}.zip", "wb") as handle:
            write_canonical(handle, members)
        write_office_key(key, uid, name, CACHE / "keys" / f"{i:04d}.office-key.json")


def _receiving_file(size: int) -> None:
    """A receiving file trusting the first `size` offices by their office key files."""
    from app.receiving.store import Receiving

    target = CACHE / f"tinh-{size}.sqlite"
    target.unlink(missing_ok=True)
    keys = sorted((CACHE / "keys").glob("*.office-key.json"))[:size]
    with Receiving.create(target, "Sở Khoa học và Công nghệ") as receiving:
        receiving.trust_files(keys)


def build_cache(sizes: tuple[int, ...]) -> list[Path]:
    stamp = CACHE / "stamp.txt"
    packages = CACHE / "packages"
    have = sorted(packages.glob("*.zip")) if packages.is_dir() else []
    ready = stamp.exists() and stamp.read_text() == FORMAT_STAMP and len(have) >= OFFICES
    if ready and all((CACHE / f"tinh-{s}.sqlite").exists() for s in sizes):
        return have[:OFFICES]
    started = time.perf_counter()
    workers = os.cpu_count() or 2
    with ProcessPoolExecutor(max_workers=workers) as pool:
        if not ready:
            print(f"Đang tạo {OFFICES} gói báo cáo vào {CACHE} (chỉ lần đầu)…", flush=True)
            shutil.rmtree(CACHE, ignore_errors=True)
            for sub in ("packages", "keys", "variants"):
                (CACHE / sub).mkdir(parents=True)
            list(pool.map(_variant, range(PROVINCES)))
            print(f"  {PROVINCES} kế hoạch mẫu: {time.perf_counter() - started:.0f} s", flush=True)
            chunks = [list(range(i, min(i + 64, OFFICES))) for i in range(0, OFFICES, 64)]
            list(pool.map(_offices, chunks))
            print(f"  {OFFICES} gói: {time.perf_counter() - started:.0f} s", flush=True)
        list(pool.map(_receiving_file, sizes))
    stamp.write_text(FORMAT_STAMP)
    print(f"  tệp tiếp nhận: {time.perf_counter() - started:.0f} s", flush=True)
    return sorted(packages.glob("*.zip"))[:OFFICES]


CHILD = r"""
import json, resource, shutil, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from app.receiving.consolidation import consolidate
from app.receiving.consolidation_xlsx import write_consolidation_xlsx
from app.receiving.ingest import ingest
from app.receiving.store import Receiving
cache, work, size = Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
files = sorted((cache / "packages").glob("*.zip"))[:size]
db = Path(shutil.copy(cache / f"tinh-{size}.sqlite", work / "tinh.sqlite"))
with Receiving.open(db) as r:
    t0 = time.perf_counter()
    report = ingest(r, files)
    t1 = time.perf_counter()
    assert report.count("accepted") == len(files), report.summary()
    rss_ingest = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    data = consolidate(r, "2026-Q1")
    t2 = time.perf_counter()
    write_consolidation_xlsx(data, work / "tong-hop.xlsx")
    t3 = time.perf_counter()
self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the largest worker
from app.receiving.ingest_pool import pool_size
workers = pool_size(len(files))
print(json.dumps({"ingest": t1 - t0, "consolidate": t2 - t1, "xlsx": t3 - t1,
                  "rss_mb": (self_kb + workers * child_kb) / 1024,
                  "rss_ingest_mb": (rss_ingest + workers * child_kb) / 1024,
                  "workers": workers, "offices": len(data.reported),
                  "xlsx_mb": (work / "tong-hop.xlsx").stat().st_size / 1e6}))
"""


def warm(packages: list[Path]) -> None:
    """Read every file once (not timed), so the ingest, like the floor, reads from the page
    cache: a run that found them evicted by the machine's other work measured the disk."""
    for path in packages:
        with open(path, "rb") as handle:
            while handle.read(1 << 20):
                pass


def run_child(size: int) -> dict:
    warm(sorted((CACHE / "packages").glob("*.zip"))[:size])
    with tempfile.TemporaryDirectory() as work:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(ROOT), str(CACHE), work, str(size)],
            capture_output=True, text=True,
        )  # fmt: skip
    if out.returncode != 0:
        raise SystemExit(f"đo {size} đơn vị thất bại:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def floor(packages: list[Path]) -> float:
    """bench_receive's floor (SHA-256 of every member + one Ed25519 verify per package),
    timed over the files read 256 at a time, so 1 GB of packages is never all in memory."""
    from bench_receive import floor as floor_of_read

    total = 0.0
    for i in range(0, len(packages), 256):
        total += floor_of_read(packages[i : i + 256])
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    sizes = tuple(int(s) for s in args.sizes.split(","))
    packages = build_cache(SIZES)
    total = sum(p.stat().st_size for p in packages)
    print(f"{len(packages)} gói, tổng {total / 1e9:.2f} GB")
    table: dict[int, dict[str, float]] = {}
    for size in sizes:
        runs = []
        floors = []
        for _ in range(args.runs):  # paired: the floor right after each measure
            runs.append(run_child(size))
            floors.append(floor(packages[:size]))
        row = {
            "ingest_s": statistics.median(r["ingest"] for r in runs),
            "xlsx_s": statistics.median(r["xlsx"] for r in runs),
            "consolidate_s": statistics.median(r["consolidate"] for r in runs),
            "floor_s": statistics.median(floors),
            "ratio": statistics.median(r["ingest"] / f for r, f in zip(runs, floors, strict=True)),
            "rss_mb": max(r["rss_mb"] for r in runs),
            "rss_ingest_mb": max(r["rss_ingest_mb"] for r in runs),
        }
        table[size] = row
        each = ", ".join(f"{r['ingest']:.2f}" for r in runs)
        print(
            f"{size:>5} offices: ingest {row['ingest_s']:.2f} s "
            f"(runs {each}; floor {row['floor_s']:.2f} s,"
            f" {row['ratio']:.1f} ×), consolidated xlsx {row['xlsx_s']:.2f} s "
            f"(consolidate {row['consolidate_s']:.2f} s); peak memory: ingest "
            f"{row['rss_ingest_mb']:.0f} MB with its {runs[0]['workers']} workers, "
            f"with the xlsx {row['rss_mb']:.0f} MB",
            flush=True,
        )
    base = min(table)
    print("\nScale (cost per office, relative to the smallest size):")
    print(f"{'offices':>8} {'ingest ms/office':>17} {'xlsx ms/office':>15} {'growth ingest':>14} "
          f"{'growth xlsx':>12}")  # fmt: skip
    for size, row in table.items():
        per_i, per_x = row["ingest_s"] / size, row["xlsx_s"] / size
        gi = per_i / (table[base]["ingest_s"] / base)
        gx = per_x / (table[base]["xlsx_s"] / base)
        print(f"{size:>8} {per_i * 1000:>17.2f} {per_x * 1000:>15.2f} {gi:>13.2f}× {gx:>11.2f}×")
    top = table[max(table)]
    print(f"{max(table)} offices: ingest {top['ingest_s']:.2f} s (target ≤ 30 s) = "
          f"{top['ratio']:.1f} × floor, peak {top['rss_ingest_mb']:.0f} MB (target ≤ 400 MB); "
          f"consolidated xlsx {top['xlsx_s']:.2f} s (target ≤ 10 s), peak {top['rss_mb']:.0f} MB")  # fmt: skip
    print("BENCH_JSON " + json.dumps({
        "national_offices": max(table),
        "national_ingest_s": top["ingest_s"],
        "national_floor_s": top["floor_s"],
        "national_xlsx_s": top["xlsx_s"],
        "national_ingest_rss_mb": top["rss_ingest_mb"],
        "national_xlsx_rss_mb": top["rss_mb"],
        "national_ratio": top["ratio"],
        "national_scale": {str(k): v for k, v in table.items()},
    }))  # fmt: skip


if __name__ == "__main__":
    main()
