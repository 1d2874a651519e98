"""The hostile workbooks of tests/hostile_workbooks.py at full size, each opened in its own
forked child (hostile_runner.py): refused with its exact message in under 10 s and
500 MB of peak memory, writing nothing.

The large family is the issue's list: 1,048,576 rows under a declared dimension of
"A1", 16,384 columns, 200,001 cells, a million empty styled cells, 100,000 merged
ranges, a 90 MB cell. Building them takes ~15 s, so they run only in
`make reliability` (THEODOI57_RELIABILITY=1); the small families run in both.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from dataclasses import asdict
from pathlib import Path

import pytest

from tests.hostile_workbooks import build

from .conftest import FULL
from .forked_case import bound_failures

ROOT = Path(__file__).resolve().parents[2]
MAX_SECONDS = 10.0
MAX_RSS_MB = 500.0
pytestmark = pytest.mark.reliability


def test_every_hostile_workbook_is_refused_in_bounded_time_and_memory(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    corpus = tmp_path_factory.mktemp("hostile-workbooks")
    cases = build(corpus, large=FULL)
    expected = {"dtd": 37, "macro": 4, "limits": 10} | ({"large": 6} if FULL else {})
    assert Counter(c.family for c in cases) == expected
    listing = tmp_path_factory.mktemp("listing") / "cases.json"
    listing.write_text(json.dumps([asdict(c) for c in cases], ensure_ascii=False))
    before = {p.name: p.stat().st_mtime_ns for p in corpus.iterdir()}
    sandboxes = tmp_path_factory.mktemp("sandboxes")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "THEODOI57_HOME": str(sandboxes / "home")}
    run = subprocess.run(
        [sys.executable, "-m", "tests.reliability.hostile_runner", str(listing), str(sandboxes)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    results = {r["name"]: r for r in map(json.loads, run.stdout.splitlines())}
    failures = []
    slowest = max(results.values(), key=lambda r: r["seconds"])
    for case in cases:
        got = results[case.name]
        if (got["code"], got["message"]) != (case.code, case.message):
            failures.append(f"{case.name}: {got['code']} {got['message']!r}")
        failures += bound_failures(case.name, got, MAX_SECONDS, MAX_RSS_MB)
    assert not failures, "\n".join(failures)
    assert {p.name: p.stat().st_mtime_ns for p in corpus.iterdir()} == before
    assert not (sandboxes / "home").exists()
    print(f"slowest: {slowest['name']} {slowest['seconds']:.2f} s, {slowest['rss_mb']:.0f} MB")
    for case in cases:
        if case.family == "large":
            got = results[case.name]
            print(f"{case.name}: {got['seconds']:.2f} s, {got['rss_mb']:.0f} MB")
