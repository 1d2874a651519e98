"""Makings of the receiving tests: many offices' data files, keys and real signed packages.

Plain helpers (no tests here). Values are a pure function of the office
number and the indicator's position, so a test can say exactly which number
must appear where in the consolidated workbook.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from app.models.plan import Indicator, IndicatorKind, Plan, Value
from app.models.samples import DEMO_NARRATIVE, load_sample
from app.models.store import Store
from app.packages import export as package_export
from app.packages.key_binding import OFFICE_KEY_SUFFIX, write_office_key
from app.packages.signing_keys import OfficeKey, generate_key

PERIOD = "2026-Q1"  # Bỉm Sơn's quarterly report: trước ngày 20/03/2026, so due 19/03/2026
ICT = timezone(timedelta(hours=7))
ON_TIME = datetime(2026, 3, 18, 9, 30, tzinfo=ICT)
LATE = datetime(2026, 3, 27, 14, 0, tzinfo=ICT)
PASSPHRASE = "mật khẩu thử nghiệm"
PLACES = (
    "Quang Trung", "Bắc Sơn", "Ngọc Trạo", "Lam Sơn", "Ba Đình", "Đông Sơn", "Hà Lan", "Phú Sơn",
    "Tân Dân", "Hải Hòa", "Quảng Tiến", "Trung Sơn", "Điện Biên", "Nam Ngạn", "Hàm Rồng",
    "Đông Thọ", "Quảng Hưng", "Thiệu Dương", "Hoằng Quang", "Long Anh", "Quảng Phú", "Đông Lĩnh",
    "Tào Xuyên", "Hoằng Đại", "Thiệu Khánh", "Quảng Cát", "Đông Vinh", "Quảng Tâm", "Quảng Đông",
    "Đông Tân", "Nhân Lạ",
)  # fmt: skip


def office_name(i: int) -> str:
    return f"{'Phường' if i % 3 == 0 else 'Xã'} {PLACES[i]}"


def office_value(kind: IndicatorKind, office: int, position: int, bump: int = 0) -> Value | None:
    """The value office `office` reports for the indicator at `position` (0-based)."""
    n = office + position + bump
    if kind is IndicatorKind.PERCENT:
        return float((office * 7 + position * 3 + bump) % 100) + (0.5 if office % 2 else 0.0)
    if kind is IndicatorKind.INDEX:
        return round((n % 10) / 10, 2)
    if kind in (IndicatorKind.COUNT, IndicatorKind.RANK):
        return float(n + 1)
    if kind is IndicatorKind.RATIO:
        return round(1 + office / 10 + position / 100 + bump, 2)
    if kind is IndicatorKind.YES_NO:
        return n % 2 == 0
    return f"Đã triển khai, đợt {n}"


RENAMED = "Chỉ tiêu riêng của đơn vị về thử nghiệm"


def office_plan(i: int, varied: bool) -> Plan:
    """The Bỉm Sơn plan; a `varied` office renames its first indicator (so it matches
    nothing) and renumbers its second (so it matches by name only)."""
    plan = load_sample("bim-son")
    plan.office.name = office_name(i)
    plan.office.issuing_body = office_name(i).upper()
    plan.office.level = "phường" if i % 3 == 0 else "xã"
    if varied:
        first, second = plan.indicators()[:2]
        first.name = RENAMED
        second.code = "2a"
    return plan


def fill_office(store: Store, i: int, bump: int = 0) -> None:
    """Every indicator's value and every task's progress for PERIOD."""
    plan = store.plan.load()
    with store.transaction():
        for pos, ind in enumerate(plan.indicators()):
            store.entries.set_indicator_value(PERIOD, ind.id, office_value(ind.kind, i, pos, bump))
        for pos, task in enumerate(plan.tasks()):
            status = "done" if (i + pos) % 4 == 0 else "in_progress"
            store.entries.set_task_progress(PERIOD, task.id, status=status, percent=50)
        for section, text in DEMO_NARRATIVE.items():
            store.entries.set_narrative(PERIOD, section, text)


def make_office(folder: Path, i: int, varied: bool = False) -> tuple[Store, OfficeKey]:
    store = Store.create(folder / f"office-{i:02d}.sqlite", office_plan(i, varied).office,
                         office_plan(i, varied))  # fmt: skip
    fill_office(store, i)
    key = generate_key(folder / f"office-{i:02d}.pem", PASSPHRASE)
    office_id = store.packages.office_uid()
    assert office_id is not None
    write_office_key(key, office_id, office_name(i), office_key_file(folder, i))
    return store, key


def office_key_file(folder: Path, i: int) -> Path:
    """The office key file (key bound to office id and name) make_office writes."""
    return folder / f"office-{i:02d}{OFFICE_KEY_SUFFIX}"


@contextlib.contextmanager
def created_at(moment: datetime) -> Iterator[None]:
    """Packages exported inside are stamped `moment` (the exporter's clock, frozen)."""

    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):  # noqa: ANN001, ANN206
            return moment if tz is None else moment.astimezone(tz)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(package_export, "datetime", Frozen)
        yield


def export(store: Store, key: OfficeKey, out: Path, moment: datetime = ON_TIME) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    with created_at(moment):
        result = package_export.export_package(
            store, PERIOD, out, key, today=moment.date(), attachments=False
        )
    return result.path


def indicator_positions(plan: Plan) -> dict[str, tuple[int, Indicator]]:
    """Reference indicator name → (position, indicator)."""
    return {ind.name: (pos, ind) for pos, ind in enumerate(plan.indicators())}
