"""Build `schema_v1.sqlite`, `schema_v2.sqlite`, `schema_v3.sqlite`, …: files of each earlier schema.

Each holds the same content: the real first migration (migrate(upto=1)) and
plain SQL inserts, as the first release of the application would have
written, then the real later migrations up to that file's version (as a user
who upgraded would have it). Files from version 5 on also hold the targets
migration 7 re-reads (`_targets_as_written`: a yes/no "Chưa triển khai" year, a
range, "khoảng", "Phấn đấu ít nhất", and an indicator counted "mỗi năm"), stored
as the application before it wrote them. Run it only to recreate the committed
files: `python tests/data/make_schema_v1.py` (every earlier version) or with
version numbers as arguments.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlite_utils import Database  # noqa: E402

from app.models.database import APPLICATION_ID, connect  # noqa: E402
from app.models.schema import SCHEMA_VERSION, migrate  # noqa: E402

TARGET = Path(__file__).with_name("schema_v1.sqlite")


def target_for(version: int) -> Path:
    return Path(__file__).with_name(f"schema_v{version}.sqlite")


def build(target: Path = TARGET, version: int = 1) -> Path:
    target.unlink(missing_ok=True)
    db = connect(target)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    migrate(db, upto=1)
    with db.atomic():
        db.execute(
            "INSERT INTO office (id, name, level, style, recipients, mode) "
            "VALUES (1, 'Xã Thống Nhất', 'xã', 'state', '[]', 'reporting')"
        )
        db.execute(
            "INSERT INTO plan_info (id, number, title, milestones, reporting) VALUES "
            "(1, '4888/KH-UBND', 'Kế hoạch thực hiện Nghị quyết số 57-NQ/TW', '[2030, 2045]', "
            '\'[{"frequency": "half", "due_day": 10, "due_month_offset": 0}]\')'
        )
        db.execute(
            "INSERT INTO indicator_group (id, code, title, position) VALUES (1, 'I', 'CHUYỂN ĐỔI SỐ', 0)"
        )
        db.execute(
            "INSERT INTO indicator (id, group_id, code, position, name, unit, kind, direction, "
            "baseline_not_assessed) VALUES (1, 1, '1', 0, 'Tỷ lệ hồ sơ giải quyết trực tuyến', '%', "
            "'percent', 'higher_better', 0)"
        )
        db.execute("INSERT INTO target VALUES (1, 2030, '>=', '80.0', NULL)")
        db.execute(
            "INSERT INTO task_group (id, code, title, position) VALUES (1, 'I', 'HOÀN THIỆN THỂ CHẾ', 0)"
        )
        db.execute(
            "INSERT INTO task (id, group_id, code, position, name, lead_agency, partners, output, "
            "deadline_text) VALUES (1, 1, '1', 0, 'Chuyển đổi số trong cơ quan nhà nước', "
            "'Văn phòng HĐND và UBND xã', '[]', 'Kế hoạch', 'Quý III/2026')"
        )
        db.execute(
            "INSERT INTO indicator_value VALUES ('2026-H1', 1, '72.5', 'ước tính', NULL, '2026-06-01T08:00:00+07:00')"
        )
        db.execute(
            "INSERT INTO task_progress VALUES ('2026-H1', 1, 'in_progress', 40.0, 'Đang xây dựng', "
            "NULL, NULL, '2026-06-01T08:00:00+07:00')"
        )
        if version >= 5:
            _targets_as_written(db)
    migrate(db, upto=version)
    db.execute("PRAGMA journal_mode = DELETE")
    db.close()
    return target


def _targets_as_written(db: Database) -> None:
    """Targets the application before schema 6 kept as value + wording (see the docstring)."""
    db.execute("UPDATE plan_info SET milestones = '[2025, 2030, 2045]' WHERE id = 1")
    rows = [
        (2, "2", "Xây dựng Trung tâm giám sát điều hành thông minh", "Có/Không", "yes_no",
         "false", "Chưa triển khai", "Tháng 3/2025"),
        (3, "3", "Số lượng nhiệm vụ khoa học và công nghệ triển khai mỗi năm", "Nhiệm vụ",
         "count", "2.0", None, "Tháng 3/2025"),
        (4, "4", "Tỷ lệ dân số trưởng thành thường xuyên sử dụng dịch vụ số", "%", "percent",
         None, "Chỉ tiêu mới, chưa đánh giá", "Tháng 3/2025"),
    ]  # fmt: skip
    for iid, code, name, unit, kind, base, base_text, as_of in rows:
        db.execute(
            "INSERT INTO indicator (id, group_id, code, position, name, unit, kind, direction, "
            "baseline_value, baseline_text, baseline_as_of, baseline_not_assessed) "
            "VALUES (?, 1, ?, ?, ?, ?, ?, 'higher_better', ?, ?, ?, ?)",
            [iid, code, iid - 1, name, unit, kind, base, base_text, as_of, int(iid == 4)],
        )
    db.conn.executemany(
        "INSERT INTO target VALUES (?, ?, ?, ?, ?)",
        [
            (2, 2025, None, "false", "Chưa triển khai"),
            (2, 2030, None, "true", None),
            (3, 2025, None, "17.0", None),
            (3, 2030, None, "19.0", None),
            (4, 2030, None, "80.0", "80% - 90%"),
            (4, 2045, None, None, "Phấn đấu ít nhất 95%"),
            (1, 2045, None, None, "khoảng 95%"),
        ],
    )


if __name__ == "__main__":
    versions = [int(v) for v in sys.argv[1:]] or list(range(1, SCHEMA_VERSION))
    for number in versions:
        print(build(target_for(number), number))
