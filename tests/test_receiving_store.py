"""The receiving file on its own: key rotation, cancel and resume, impersonation, wrong file kind."""

from __future__ import annotations

import shutil
import threading

import pytest

from app.models.errors import UserError
from app.models.long_work import Cancelled
from app.packages.signing_keys import generate_key, rotate_key
from app.receiving.ingest import ingest
from app.receiving.store import PackageStatus, Receiving

from .test_receiving_fixtures import (
    PASSPHRASE,
    export,
    make_office,
    office_key_file,
    office_name,
)


@pytest.fixture(scope="module")
def two(tmp_path_factory):
    """Two offices, one package each, in one folder."""
    root = tmp_path_factory.mktemp("two")
    for i in range(2):
        store, key = make_office(root, i)
        with store:
            export(store, key, root / "inbox")
    return root


def test_rotation_statement_is_followed_only_from_a_trusted_key(tmp_path):
    old = generate_key(tmp_path / "k" / "office-signing-key.pem", PASSPHRASE)
    new, statement = rotate_key(old, tmp_path / "k" / "office-signing-key.pem", PASSPHRASE)
    with Receiving.create(tmp_path / "r.sqlite", "Sở KH&CN") as receiving:
        with pytest.raises(UserError, match="chưa có trong danh sách khóa tin cậy"):
            receiving.trust_files([statement])
        office = receiving.add_office("Xã Quang Trung", "xã", "01")
        receiving.trust_files(
            [tmp_path / "k" / f"retired-{old.fingerprint.replace(' ', '')[:16]}.pub.pem"], office.id
        )
        added = receiving.trust_files([statement])
        assert [k.fingerprint for k in added] == [new.fingerprint]
        assert added[0].office_id == office.id and added[0].rotated_from == old.fingerprint
        assert {k.fingerprint for k in receiving.keys(office.id)} == {
            old.fingerprint,
            new.fingerprint,
        }
        # trusting again changes nothing
        assert receiving.trust_files([statement])[0].id == added[0].id
        assert len(receiving.keys()) == 2


def test_cancel_then_resume(two, tmp_path):
    with Receiving.create(tmp_path / "r.sqlite", "Sở KH&CN") as receiving:
        receiving.trust_files([office_key_file(two, 0), office_key_file(two, 1)])
        cancel = threading.Event()

        def stop_after_first(done, total, label):
            if done == 1:
                cancel.set()

        with pytest.raises(Cancelled) as stopped:
            ingest(receiving, two / "inbox", progress=stop_after_first, cancel=cancel)
        first = stopped.value.partial
        assert first.cancelled and len(first.lines) == 1 and first.total == 2
        assert "đã dừng theo yêu cầu" in first.summary()
        second = ingest(receiving, two / "inbox")
        assert [line.outcome for line in second.lines] == ["duplicate", "accepted"]
        assert len(receiving.packages()) == 2


def test_a_key_cannot_speak_for_an_office_that_has_another(two, tmp_path):
    """Office 1's key, bound by hand to office 0, signs a package with office 1's own id."""
    with Receiving.create(tmp_path / "r.sqlite", "Sở KH&CN") as receiving:
        receiving.trust_files([office_key_file(two, 0)])
        ingest(receiving, sorted((two / "inbox").glob("*.zip"))[:1])
        office0 = receiving.offices()[0]
        # office 1 claims to be office 0: bind office 1's key to office 0 by hand first
        receiving.trust_files([two / "office-01.pub.pem"], office0.id)
        line = ingest(receiving, sorted((two / "inbox").glob("*.zip"))[1:]).lines[0]
        assert line.outcome == "rejected" and line.package.reason_code == "office_mismatch"
        assert receiving.package_data(line.package.id) is None
        assert [p.status for p in receiving.packages()] == [
            PackageStatus.ACCEPTED,
            PackageStatus.REJECTED,
        ]


def test_a_renamed_copy_is_recognised_and_a_missing_folder_refused(two, tmp_path):
    with Receiving.create(tmp_path / "r.sqlite", "Sở KH&CN") as receiving:
        receiving.trust_files([office_key_file(two, 0), office_key_file(two, 1)])
        ingest(receiving, two / "inbox")
        copy = tmp_path / "copy" / "bao-cao.zip"
        copy.parent.mkdir()
        shutil.copy(sorted((two / "inbox").glob("*.zip"))[0], copy)
        line = ingest(receiving, [copy]).lines[0]
        assert line.outcome == "duplicate" and line.text().startswith(
            "Đã nhận trước đó: bao-cao.zip"
        )
        assert {o.name for o in receiving.offices()} == {office_name(0), office_name(1)}
        with pytest.raises(UserError, match="không tồn tại|Không tìm thấy"):
            ingest(receiving, tmp_path / "usb-pulled")


def test_a_reporting_file_is_not_a_receiving_file(bim_son_store):
    path = bim_son_store.path
    bim_son_store.close()
    with pytest.raises(UserError, match="không phải tệp của đơn vị tiếp nhận"):
        Receiving.open(path)
