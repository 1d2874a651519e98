"""Shared fixtures. Qt tests need no display: the platform is set here, once."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.models.samples import load_sample  # noqa: E402
from app.models.store import Store  # noqa: E402

DATA = Path(__file__).parent / "data"


@pytest.fixture
def bim_son_store(tmp_path: Path) -> Iterator[Store]:
    plan = load_sample("bim-son")
    with Store.create(tmp_path / "bim-son.sqlite", plan.office, plan) as store:
        yield store
