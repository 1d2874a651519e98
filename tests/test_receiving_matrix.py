"""The receiving window's matrix over the store: states at once, cells read when shown.

A receiving file with synthetic package rows (bench/national_matrix.py, the
benchmark's own builder, at a small size): the window's lazy matrix must say
exactly what the fully read one says, cell by cell, and opening it must cost
a fixed number of queries however many offices report.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.receiving.matrix import CellState, build_matrix, open_matrix, rejected_packages
from app.receiving.store import PackageStatus, Receiving
from bench.national_matrix import PERIODS, build_national_receiving


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_national_receiving(tmp_path_factory.mktemp("matrix") / "nhan.sqlite", 120)


def _queries(receiving: Receiving, work) -> int:  # noqa: ANN001
    count = 0

    def seen(_sql: str) -> None:
        nonlocal count
        count += 1

    receiving.db.conn.set_trace_callback(seen)
    try:
        work()
    finally:
        receiving.db.conn.set_trace_callback(None)
    return count


def test_the_lazy_matrix_says_what_the_fully_read_one_says(national: Path) -> None:
    with Receiving.open(national) as receiving:
        full = build_matrix(receiving)
        lazy = open_matrix(receiving)
        assert lazy.periods == full.periods == list(PERIODS)
        assert [o.id for o in lazy.offices] == [o.id for o in full.offices]
        for office in full.offices:
            for pid in full.periods:
                expected = full.cell(office.id, pid)
                assert lazy.state(office.id, pid) is expected.state
                cell = lazy.cell(office.id, pid)
                assert (cell.state, cell.detail, cell.summary) == (
                    expected.state, expected.detail, expected.summary,
                )  # fmt: skip
                assert [p.id for p in cell.packages] == [p.id for p in expected.packages]
        for pid in full.periods:
            assert lazy.counts(pid) == full.counts(pid)
        states = {full.cell(o.id, p).state for o in full.offices for p in full.periods}
        assert {CellState.ON_TIME, CellState.LATE, CellState.REJECTED} <= states


def test_opening_costs_the_same_queries_for_any_number_of_offices(
    national: Path, tmp_path: Path
) -> None:
    small = build_national_receiving(tmp_path / "nho.sqlite", 12)

    def cost(path: Path) -> int:
        with Receiving.open(path) as receiving:
            return _queries(receiving, lambda: [open_matrix(receiving).counts(p) for p in PERIODS])

    assert cost(national) == cost(small)
    with Receiving.open(national) as receiving:
        matrix = open_matrix(receiving)
        office = matrix.offices[5]
        # a whole office row is read with its first cell: the other cells cost nothing
        assert _queries(receiving, lambda: matrix.cell(office.id, PERIODS[0])) == 1
        assert _queries(receiving, lambda: [matrix.cell(office.id, p) for p in PERIODS]) == 0


def test_refused_packages_are_listed_newest_first(national: Path) -> None:
    with Receiving.open(national) as receiving:
        listed = rejected_packages(receiving)
        expected = [p for p in reversed(receiving.packages()) if not p.status.valid]
    assert [p.id for p in listed] == [p.id for p in expected]
    assert listed and all(p.status is PackageStatus.REJECTED for p in listed)
