"""Hostile and malformed input (corpus: tests/data/hostile/make_hostile.py).

Every case is refused with its reason code and a Vietnamese message (the
external-link workbook is read from stored values with a warning: links are
never followed), in under 5 s and 300 MB each (peak RSS of a forked child
that opens only that file), with nothing written anywhere: neither in the
child's working folder nor beside the corpus.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import pytest

from tests.data.hostile.make_hostile import build

from .forked_case import bound_failures

ROOT = Path(__file__).resolve().parents[2]
MAX_SECONDS = 5.0
MAX_RSS_MB = 300.0
pytestmark = pytest.mark.reliability


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
    }


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> tuple[list, dict]:
    corpus = tmp_path_factory.mktemp("hostile")
    cases = build(corpus)
    listing = tmp_path_factory.mktemp("listing") / "cases.json"
    listing.write_text(json.dumps([asdict(c) for c in cases], ensure_ascii=False))
    before = _snapshot(corpus)
    sandboxes = tmp_path_factory.mktemp("sandboxes")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "THEODOI57_HOME": str(sandboxes / "home")}
    run = subprocess.run(
        [sys.executable, "-m", "tests.reliability.hostile_runner", str(listing), str(sandboxes)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    results = {r["name"]: r for r in map(json.loads, run.stdout.splitlines())}
    assert _snapshot(corpus) == before, "a reader wrote beside the corpus"
    assert not (sandboxes / "home").exists()
    return cases, results


def test_corpus_covers_the_attacks(outcomes: tuple[list, dict]) -> None:
    cases, _ = outcomes
    names = {c.name for c in cases}
    for expected in ("zip-slip.zip", "absolute-path.zip", "symlink.zip", "zip-bomb.zip",
                     "many-members.zip", "xml-bomb.xlsx", "external-link.xlsx", "truncated.zip",
                     "truncated.xlsx", "pdf-renamed.xlsx", "zip-renamed.xlsx", "pdf-renamed.zip",
                     "plan-wrong-kind.json", "package-json-deep.zip", "data-json-deep.zip",
                     "data-json-million-values.zip", "corrupt-deflate.xlsx"):  # fmt: skip
        assert expected in names


def test_every_case_is_refused_with_its_reason_quickly_and_in_bounded_memory(
    outcomes: tuple[list, dict],
) -> None:
    cases, results = outcomes
    failures = []
    for case in cases:
        got = results.get(case.name)
        if got is None:
            failures.append(f"{case.name}: no result")
            continue
        if got["code"] != case.code or case.message not in got["message"]:
            failures.append(f"{case.name}: {got['code']} {got['message']!r} ≠ {case.code}")
        failures += bound_failures(case.name, got, MAX_SECONDS, MAX_RSS_MB)
    assert not failures, "\n".join(failures)


def test_valid_package_of_the_corpus_passes(outcomes: tuple[list, dict], tmp_path: Path) -> None:
    """The corpus's signed cases are hostile only in their content: the same key and
    builder make a package the verifier accepts."""
    from app.packages.verify import verify_package

    cases, _ = outcomes
    corpus = Path(cases[0].path).parent
    result = verify_package(corpus / "valid.zip", [corpus / "test-key.pub.pem"])
    assert result.ok, result.message
