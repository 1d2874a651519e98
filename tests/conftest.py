"""Shared fixtures. Qt tests need no display: the platform is set here, once."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.models.samples import load_sample  # noqa: E402
from app.models.store import Store  # noqa: E402

DATA = Path(__file__).parent / "data"


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_runtest_teardown(item: pytest.Item):  # noqa: ANN201
    """Delete the widgets a Qt test left for deletion before the next test starts.

    pytest-qt closes them and calls deleteLater(), but deferred deletes run only
    in an event loop; a later restyle (the font-size setting) would polish those
    half-dead windows and crash, in an order-dependent way."""
    result = yield
    widgets = sys.modules.get("PySide6.QtWidgets")
    app = widgets.QApplication.instance() if widgets else None
    if app is not None:
        from PySide6.QtCore import QEvent

        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return result


@pytest.fixture(autouse=True)
def quick_key_kdf(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Office keys made in tests use scrypt N = 2^14 (each file records its own cost),
    so the hundreds of keys the suite makes take seconds, not minutes. Tests marked
    `real_kdf` (the key-at-rest tests) keep the production cost, N = 2^17."""
    if request.node.get_closest_marker("real_kdf") is None:
        from app.packages import key_envelope

        monkeypatch.setattr(key_envelope, "KDF_LOG2_N", key_envelope.MIN_LOG2_N)


@pytest.fixture
def bim_son_store(tmp_path: Path) -> Iterator[Store]:
    plan = load_sample("bim-son")
    with Store.create(tmp_path / "bim-son.sqlite", plan.office, plan) as store:
        yield store
