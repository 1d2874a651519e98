"""The receiver's hostile corpus (tests/hostile_packages.py) within time and memory bounds.

Each case is ingested by a forked child of a small runner (receiver_runner)
into its own copy of the receiving file: refused with its reason code and
exact message, in under 5 s and 300 MB of peak RSS, writing nothing but the
receiving file, and leaving the corpus folder as it was.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile_packages import NOW, build_world

from .forked_case import bound_failures

ROOT = Path(__file__).resolve().parents[2]
MAX_SECONDS = 5.0
MAX_RSS_MB = 300.0
pytestmark = pytest.mark.reliability


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in folder.rglob("*")}  # fmt: skip


def test_every_receiver_case_is_refused_quickly_in_bounded_memory(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    world = build_world(tmp_path_factory.mktemp("world"))
    corpus = tmp_path_factory.mktemp("corpus")
    listing = []
    for case in world["cases"]:
        if case.family == "rotation":  # needs a rotation trusted first: test_receiver_trust
            continue
        path = corpus / f"{case.name}.zip"
        path.write_bytes(case.blob)
        listing.append({"name": case.name, "path": str(path)})
    cases_file = tmp_path_factory.mktemp("listing") / "cases.json"
    cases_file.write_text(json.dumps(listing), encoding="utf-8")
    before = _snapshot(corpus)
    sandboxes = tmp_path_factory.mktemp("sandboxes")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "THEODOI57_HOME": str(sandboxes / "home")}
    run = subprocess.run(
        [sys.executable, "-m", "tests.reliability.receiver_runner", str(cases_file),
         str(world["template"]), str(sandboxes), NOW.isoformat()],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    results = {r["name"]: r for r in map(json.loads, run.stdout.splitlines())}
    assert _snapshot(corpus) == before, "ingest wrote beside the corpus"
    failures = []
    for case in world["cases"]:
        if case.family == "rotation":
            continue
        got = results.get(case.name)
        if got is None:
            failures.append(f"{case.name}: no result")
            continue
        ok = got["message"] == case.message or (
            case.message.endswith("…") and got["message"].startswith(case.message[:-1])
        )
        if got["code"] != case.code or got.get("outcome") != "rejected" or not ok:
            failures.append(f"{case.name}: {got['code']} {got['message']!r} ≠ {case.code}")
        failures += bound_failures(case.name, got, MAX_SECONDS, MAX_RSS_MB)
    assert not failures, "\n".join(failures)
    slowest = max(r["seconds"] for r in results.values())
    largest = max(r["rss_mb"] for r in results.values())
    print(
        f"{len(results)} cases: slowest {slowest:.2f} s, largest {largest:.0f} MB"
    )  # for the note
    assert len(results) == len(world["cases"]) - 1
