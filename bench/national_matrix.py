"""A receiving file the size of the country for the matrix: 3,321 offices × 8 quarters.

The rows go straight into `recv_office` and `recv_package` (SQL, in this benchmark
only): making and ingesting 26,568 real packages is what bench_national measures;
the matrix needs only what ingest leaves behind. One office in 50 never reports
for a period, one in 25 reports late, one in 80 has a package refused, one in
40 has sent a correction; every valid package carries the Bỉm Sơn plan header
(its regime decides what each office owes).
"""

from __future__ import annotations

import json
import random
import zlib
from pathlib import Path

OFFICES = 3321
PERIODS = ("2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "2027-Q1", "2027-Q2")


def build_national_receiving(path: Path, offices: int = OFFICES) -> Path:
    """Create the receiving file at `path` with synthetic rows; returns `path`."""
    from app.models.plan import Office
    from app.models.plan_json import plan_to_json
    from app.models.samples import load_sample
    from app.receiving.store import Receiving

    plan = load_sample("bim-son")
    data = plan_to_json(plan)
    header = zlib.compress(json.dumps({k: data[k] for k in ("format", "version", "office", "plan")
                                       if k in data}).encode())  # fmt: skip
    rng = random.Random(3321)
    with Receiving.create(path, Office(name="Văn phòng Trung ương")) as receiving:
        conn = receiving.db.conn
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO recv_office (id, uid, name, name_folded, level, code, added_at) "
            "VALUES (?, ?, ?, ?, 'xã', ?, '2025-07-01T08:00:00')",
            [(i, f"office-{i:05d}", f"Xã Thử Nghiệm số {i}", f"xa thu nghiem so {i}", f"{i:05d}")
             for i in range(1, offices + 1)],
        )  # fmt: skip
        rows = []
        for i in range(1, offices + 1):
            for n, pid in enumerate(PERIODS):
                if rng.random() < 0.02:
                    continue  # never reported
                rejected = rng.random() < 0.0125
                late = rng.random() < 0.04
                completeness = json.dumps({"indicators_filled": 40 + n, "indicators_total": 52,
                                           "tasks_updated": 60, "tasks_total": 66})  # fmt: skip
                rows.append((
                    f"{i:05d}{pid}{rejected}", f"Bao-cao-{i}-{pid}.zip", f"/nhan/{i}/{pid}.zip",
                    1_900_000, i, f"office-{i:05d}", f"Xã Thử Nghiệm số {i}", pid, 1,
                    f"2026-0{1 + n % 9}-05T09:00:00+07:00", "2026-10-06T10:00:00", "2026-10-10",
                    int(late), "rejected" if rejected else "accepted",
                    "bad_signature" if rejected else None,
                    "Chữ ký không hợp lệ" if rejected else None, "plan-bim-son",
                    None if rejected else header, "original", None, "[]", completeness, "[]",
                ))  # fmt: skip
        conn.executemany(
            "INSERT INTO recv_package (sha256, file_name, path, size, office_id, office_uid, "
            "office_name, period_id, sequence, created_at, received_at, due, late, status, "
            "reason_code, reason, plan_sha, data, kind, corrects, changes, completeness, flags) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.execute("COMMIT")
    return path
