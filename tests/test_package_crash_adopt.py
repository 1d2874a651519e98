"""Sequence numbers survive a kill during export (issue 21, point 11).

A child process exports and is SIGKILLed at the worst moments: right after
the package is renamed into place (before the data file records it), and
half-way through writing the temporary file. The next export in the same
folder adopts the valid package (verified, recorded as sent) or sets a bad
one aside, removes the temporaries, and never uses the number again.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from app.models.store import Store
from app.packages.export import export_package

from .test_package_fixtures import PASSPHRASE, TODAY, make_key, make_store

ROOT = Path(__file__).resolve().parents[1]
NAME = "BC_thi-uy-bim-son_2026-Q1_{}.zip"
CHILD = """
import os, signal, sys
from datetime import date
from pathlib import Path
from app.models.package_records import PackagesPart
from app.models.store import Store
from app.packages import export as ex
from app.packages.signing_keys import load_key

db, key_path, mode, out = sys.argv[1:5]
def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
if mode == "after_rename":
    PackagesPart.record_package = die
else:
    def partial(handle, members):
        handle.write(b"PK\\x03\\x04 partial")
        handle.flush()
        die()
    ex.write_canonical = partial
store = Store.open(Path(db))
key = load_key(Path(key_path), os.environ["KEY_PASS"])
ex.export_package(store, "2026-Q1", Path(out), key, today=date(2026, 4, 10), attachments=False)
"""


@pytest.fixture
def office(tmp_path: Path) -> tuple[Path, Path, Path]:
    store = make_store(tmp_path, attachments=0)
    key = make_key(tmp_path)
    store.close()
    out = tmp_path / "out"
    out.mkdir()
    assert key.path is not None
    return store.path, key.path, out


def _killed_export(db: Path, key: Path, mode: str, out: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KEY_PASS": PASSPHRASE,
           "THEODOI57_HOME": str(out.parent / "home")}  # fmt: skip
    run = subprocess.run([sys.executable, "-c", CHILD, str(db), str(key), mode, str(out)],
                         cwd=ROOT, env=env, capture_output=True, timeout=300)  # fmt: skip
    assert run.returncode == -signal.SIGKILL, run.stderr.decode()


def _export_again(db: Path, key_path: Path, out: Path):  # noqa: ANN202
    from app.packages.signing_keys import load_key

    key = load_key(key_path, PASSPHRASE)
    with Store.open(db) as store:
        result = export_package(store, "2026-Q1", out, key, today=TODAY, attachments=False)
        sequences = [r.sequence for r in store.packages.exported_packages("2026-Q1")]
    return result, sequences


def test_a_package_renamed_but_not_recorded_is_adopted(office: tuple[Path, Path, Path]) -> None:
    db, key, out = office
    _killed_export(db, key, "after_rename", out)
    assert sorted(p.name for p in out.iterdir()) == [NAME.format(1)]
    result, sequences = _export_again(db, key, out)
    assert result.notes == (
        f"Gói '{NAME.format(1)}' của lần xuất trước bị ngắt đã được kiểm tra và ghi nhận là đã "
        "xuất (lần gửi 1).",
    )
    assert result.sequence == 2 and sequences == [1, 2]
    assert sorted(p.name for p in out.iterdir()) == [NAME.format(1), NAME.format(2)]


def test_a_damaged_leftover_is_set_aside_and_its_number_not_reused(
    office: tuple[Path, Path, Path],
) -> None:
    db, key, out = office
    _killed_export(db, key, "after_rename", out)
    package = out / NAME.format(1)
    package.write_bytes(package.read_bytes()[:-10])  # damaged after the kill (a bad USB copy)
    result, sequences = _export_again(db, key, out)
    assert len(result.notes) == 1
    assert result.notes[0].startswith(
        f"Tệp '{NAME.format(1)}' của lần xuất trước bị ngắt không đạt khi kiểm tra ("
    )
    assert result.notes[0].endswith(
        f"; đã đổi tên thành '{NAME.format(1)}.bi-loai', không gửi tệp này. Số lần gửi 1 không "
        "dùng lại."
    )
    assert result.sequence == 2 and sequences == [2]
    assert sorted(p.name for p in out.iterdir()) == [NAME.format(1) + ".bi-loai", NAME.format(2)]


def test_temporaries_of_a_killed_write_are_removed(office: tuple[Path, Path, Path]) -> None:
    db, key, out = office
    _killed_export(db, key, "during_write", out)
    left = [p.name for p in out.iterdir()]
    assert len(left) == 1 and left[0].startswith(f".{NAME.format(1)}.") and left[0].endswith(".tmp")
    result, sequences = _export_again(db, key, out)
    assert result.notes == (f"Đã xóa tệp tạm '{left[0]}' của lần xuất gói bị ngắt.",)
    assert result.sequence == 2 and sequences == [2]
    assert sorted(p.name for p in out.iterdir()) == [NAME.format(2)]
