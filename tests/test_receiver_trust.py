"""The receiver's hostile corpus (tests/hostile_packages.py): signed packages that lie.

Families (issue 21): binding of a key to one office, rotation, time and
sequence rules, member names, strict data, one package never stopping the
others. Every hostile case is ingested into a fresh copy of a receiving file
that trusts offices 0 and 1 by their office key files, at a fixed receiver
clock (NOW), and must be refused with its reason code and exact message,
leave the offices and keys as they were, keep no data, and write nothing
beside it. The same file through `package verify` (both office key files
trusted) is refused too, with exit 1 and nothing written.
"""

from __future__ import annotations

import base64
import json
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from app.cli import main
from app.packages import format as fmt
from app.packages.key_binding import write_office_key
from app.packages.signing_keys import _statement_bytes, generate_key
from app.receiving.ingest import ingest
from app.receiving.store import PackageStatus, Receiving

from .hostile_packages import DELETE, Case, forge
from .test_receiving_fixtures import (
    ICT,
    ON_TIME,
    PASSPHRASE,
    PERIOD,
    export,
    make_office,
    office_key_file,
    office_name,
)

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=ICT)  # the receiver's clock
A, B = office_name(0), office_name(1)  # "Phường Quang Trung", "Xã Bắc Sơn"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("trust")
    offices = root / "offices"
    offices.mkdir()
    out: dict = {"root": root, "offices": offices}
    for i, tag in ((0, "a"), (1, "b")):
        store, key = make_office(offices, i)
        with store:
            out[f"uid_{tag}"] = store.packages.office_uid()
            out[f"pkg_{tag}"] = export(store, key, root / "genuine" / tag, ON_TIME)
        out[f"key_{tag}"] = key
    template = root / "template.sqlite"
    with Receiving.create(template, "Sở Khoa học và Công nghệ") as receiving:
        receiving.trust_files([office_key_file(offices, 0), office_key_file(offices, 1)])
    out["template"] = template
    out["cases"] = _cases(out)
    return out


def _rows(db: Path, table: str) -> list[tuple]:
    with sqlite3.connect(db) as con:
        return con.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()


def _listing(folder: Path) -> dict[str, tuple[int, int]]:
    skip = ("r.sqlite", "r.sqlite-wal", "r.sqlite-shm", "r.sqlite.lock")
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.name not in skip and not p.name.startswith(".r.sqlite")
    }


def receive(world: dict, folder: Path, blob: bytes, name: str = "goi.zip") -> tuple:
    """Ingest `blob` into a copy of the template; (line, offices/keys before, after)."""
    db = folder / "r.sqlite"
    shutil.copy(world["template"], db)
    inbox = folder / "inbox"
    inbox.mkdir()
    (inbox / name).write_bytes(blob)
    before = (_rows(db, "recv_office"), _rows(db, "recv_key"), _listing(folder))
    with Receiving.open(db) as receiving:
        report = ingest(receiving, inbox, now=NOW)
    after = (_rows(db, "recv_office"), _rows(db, "recv_key"), _listing(folder))
    return report.lines[0], before, after


def _expect(message: str, got: str) -> None:
    if message.endswith("…"):
        assert got.startswith(message[:-1]), got
    else:
        assert got == message


def _cases(w: dict) -> list[Case]:  # noqa: PLR0915 - one table of cases
    ka, kb, pa = w["key_a"], w["key_b"], w["pkg_a"]
    ua = w["uid_a"]
    cases: list[Case] = []

    def add(name: str, family: str, blob: bytes, code: str, message: str) -> None:
        cases.append(Case(name, family, blob, code, message))

    # -- 1. binding: office 1's key speaking for office 0 -----------------------------------
    squat = f"Khóa ký đã đăng ký cho {B} nhưng gói mang mã của một đơn vị khác"
    add("b-key-claims-a", "binding", forge(pa, kb), "office_mismatch",
        f"{squat} ({A}, mã {ua}).")  # fmt: skip
    add("b-key-a-id-b-name", "binding", forge(pa, kb, package={"office_name": B}),
        "office_mismatch", f"{squat} ({B}, mã {ua}).")  # fmt: skip
    add("b-key-new-id", "binding", forge(pa, kb, package={"office_id": "ffff-0000"}),
        "office_mismatch", f"{squat} ({A}, mã ffff-0000).")  # fmt: skip
    stranger = generate_key(w["root"] / "stranger.pem", PASSPHRASE)
    add("stranger-key", "binding", forge(pa, stranger), "untrusted_signer",
        f"Gói được ký bằng khóa không có trong danh sách khóa tin cậy: mã khóa "
        f"{stranger.fingerprint}.")  # fmt: skip

    # -- 2. rotation: office 0 rotated on 20/03/2026; its old key signs on 25/03 -------------
    add("retired-key-after-rotation", "rotation",
        forge(pa, ka, package={"created_at": "2026-03-25T09:00:00+07:00", "sequence": 2}),
        "retired_key",
        f"Khóa ký {ka.fingerprint} đã được thay bằng khóa mới lúc 2026-03-20T08:00:00+07:00 "
        "(tuyên bố đổi khóa), nhưng gói lập lúc 2026-03-25T09:00:00+07:00 vẫn ký bằng khóa cũ.",
    )  # fmt: skip

    # -- 3. time and sequence ------------------------------------------------------------------
    def period(pid: str, start: str, end: str, due: str) -> bytes:
        return forge(pa, ka, package={"period_id": pid, "period_label": pid},
                     data={"period": {"id": pid, "start": start, "end": end, "due": due}})  # fmt: skip

    not_yet = "chưa đến lúc báo cáo (hôm nay 01/12/2026): chưa nhận báo cáo của kỳ chưa kết thúc."
    add("future-2027-q1", "time", period("2027-Q1", "2027-01-01", "2027-03-31", "2027-03-19"),
        "period_not_ended", f"Kỳ 2027-Q1 (01/01/2027–31/03/2027, hạn nộp 19/03/2027) {not_yet}")  # fmt: skip
    add("future-2099-q1", "time", period("2099-Q1", "2099-01-01", "2099-03-31", "2099-03-19"),
        "period_not_ended", f"Kỳ 2099-Q1 (01/01/2099–31/03/2099, hạn nộp 19/03/2099) {not_yet}")  # fmt: skip
    add("running-2026-q4", "time", period("2026-Q4", "2026-10-01", "2026-12-31", "2026-12-19"),
        "period_not_ended", f"Kỳ 2026-Q4 (01/10/2026–31/12/2026, hạn nộp 19/12/2026) {not_yet}")  # fmt: skip
    add("monthly-not-in-plan", "time", period("2026-M03", "2026-03-01", "2026-03-31", "2026-04-05"),
        "outside_plan", "Kế hoạch của đơn vị không có kỳ báo cáo loại của kỳ 2026-M03.")  # fmt: skip
    add("start-after-end", "time", period("2026-Q1", "2026-03-31", "2026-01-01", "2026-03-19"),
        "bad_period", "Kỳ 2026-Q1 trong gói có ngày bắt đầu, kết thúc không hợp lệ.")  # fmt: skip
    add("due-before-start", "time", period("2026-Q1", "2026-01-01", "2026-03-31", "2025-12-01"),
        "bad_period", "Hạn nộp báo cáo kỳ 2026-Q1 trong gói không hợp lệ.")  # fmt: skip
    add("created-2031", "time", forge(pa, ka, package={"created_at": "2031-01-05T08:00:00+07:00"}),
        "created_in_future",
        "Gói ghi lập lúc 05/01/2031 08:00, muộn hơn giờ của máy tiếp nhận (01/12/2026 10:00) "
        "quá 24 giờ cho phép: đồng hồ máy của đơn vị sai.")  # fmt: skip
    add("created-1999", "time", forge(pa, ka, package={"created_at": "1999-06-01T08:00:00+07:00"}),
        "created_before_period",
        "Gói ghi lập lúc 01/06/1999 08:00, trước ngày bắt đầu kỳ 2026-Q1 (01/01/2026): đồng hồ "
        "máy của đơn vị sai hoặc gói bị làm giả.")  # fmt: skip
    add("corrects-9-seq-3", "sequence",
        forge(pa, ka, package={"sequence": 3, "kind": "correction", "corrects": 9}),
        "bad_correction", "Gói lần gửi 3 ghi là điều chỉnh lần gửi 9: bản được điều chỉnh phải "
        "có số lần gửi nhỏ hơn.")  # fmt: skip
    add("corrects-itself", "sequence",
        forge(pa, ka, package={"sequence": 2, "kind": "correction", "corrects": 2}),
        "bad_correction", "Gói lần gửi 2 ghi là điều chỉnh lần gửi 2: bản được điều chỉnh phải "
        "có số lần gửi nhỏ hơn.")  # fmt: skip
    add("correction-names-none", "sequence",
        forge(pa, ka, package={"sequence": 2, "kind": "correction", "corrects": DELETE}),
        "bad_correction", "Gói bổ sung, điều chỉnh không ghi nó điều chỉnh lần gửi nào.")  # fmt: skip
    add("original-with-corrects", "sequence",
        forge(pa, ka, package={"sequence": 2, "kind": "original", "corrects": 1}),
        "bad_correction", "Gói lần gửi 2 là báo cáo lần đầu nhưng lại ghi điều chỉnh lần gửi 1.")  # fmt: skip

    # -- 4. names (signed manifests that list them) --------------------------------------------
    bad = "Gói có tệp mang tên không được phép: "
    for label, member, why in (
        ("accent", "data/attachments/biên-bản.pdf", "tên có chữ có dấu hoặc ký tự ngoài bảng chữ ASCII"),
        ("space", "data/attachments/bien ban.pdf", "tên có khoảng trắng"),
        ("plus", "data/attachments/a+b.pdf", "tên tệp không đúng quy ước đặt tên của gói (ký tự không được phép: +)"),
        ("colon-stream", "data/report.pdf:Zone.Identifier", "tên có dấu hai chấm (luồng dữ liệu ẩn của Windows)"),
        ("rtl-override", "data/attachments/hoa-don\u202efdp.exe", "tên có ký tự đảo chiều chữ (có thể che giấu đuôi tệp thật)"),
        ("reserved-con", "data/attachments/CON", "tên dành riêng cho thiết bị trên Windows (CON)"),
        ("reserved-nul-pdf", "data/attachments/nul.pdf", "tên dành riêng cho thiết bị trên Windows (nul)"),
        ("reserved-com1", "data/COM1.txt", "tên dành riêng cho thiết bị trên Windows (COM1)"),
        ("upper-case-attachment", "data/attachments/BienBan.pdf", "tên tệp không đúng quy ước đặt tên của gói (ký tự không được phép: B)"),
        ("two-dots", "data/attachments/a.pdf.exe", "tên tệp không đúng quy ước đặt tên của gói"),
    ):  # fmt: skip
        shown = member.replace("\u202e", "\\u202e")
        add(f"name-{label}", "names", forge(pa, ka, extra_members={member: b"%PDF-1.4 x"}),
            "bad_name", f"{bad}'{shown}': {why}.")  # fmt: skip

    # -- 5/10. strict data, fields checked before use -------------------------------------------
    def value(raw: str) -> bytes:
        return forge(pa, ka, data_raw=lambda b: b.replace(b'"value": ', b'"value": ' + raw.encode() + b', "x": ', 1))  # fmt: skip

    schema = "Tệp data/data.json không đúng lược đồ dữ liệu: "
    add("value-nan", "strict", value("NaN"), "schema_invalid", f"{schema}giá trị NaN không phải là số hữu hạn.")  # fmt: skip
    add("value-infinity", "strict", value("Infinity"), "schema_invalid", f"{schema}giá trị Infinity không phải là số hữu hạn.")  # fmt: skip
    add("value-minus-infinity", "strict", value("-Infinity"), "schema_invalid", f"{schema}giá trị -Infinity không phải là số hữu hạn.")  # fmt: skip
    add("value-1e400", "strict", value("1e400"), "schema_invalid", f"{schema}số 1e400 vượt giới hạn.")  # fmt: skip
    add("value-10-pow-30", "strict", value("1" + "0" * 30), "schema_invalid", f"{schema}số nguyên 1000000000000000000000000000000 vượt giới hạn.")  # fmt: skip
    add("missing-due", "strict", forge(pa, ka, data={"period": {"due": DELETE}}), "schema_invalid",
        f"{schema}period: thiếu trường due.")  # fmt: skip
    add("due-null", "strict", forge(pa, ka, data={"period": {"due": None}}), "schema_invalid",
        f"{schema}period.due: sai kiểu dữ liệu.")  # fmt: skip
    bad_pkg = "Tệp package.json của gói không đọc được: "
    add("sequence-2-pow-63", "strict", forge(pa, ka, package={"sequence": 2**63}), "bad_package_json",
        f"{bad_pkg}số nguyên 9223372036854775808 vượt giới hạn.")  # fmt: skip
    add("sequence-10-pow-30", "strict", forge(pa, ka, package={"sequence": 10**30}), "bad_package_json",
        f"{bad_pkg}số nguyên 1000000000000000000000000000000 vượt giới hạn.")  # fmt: skip
    add("sequence-zero", "strict", forge(pa, ka, package={"sequence": 0}), "bad_package_json",
        f"{bad_pkg}sequence: nhỏ hơn giới hạn cho phép.")  # fmt: skip
    add("sequence-float", "strict", forge(pa, ka, package={"sequence": 2.0}), "bad_package_json",
        f"{bad_pkg}sequence: sai kiểu dữ liệu (phải là số nguyên).")  # fmt: skip
    add("sequence-nan", "strict",
        forge(pa, ka, package_raw=lambda b: b.replace(b'"sequence": 1', b'"sequence": NaN')),
        "bad_package_json", f"{bad_pkg}giá trị NaN không phải là số hữu hạn.")  # fmt: skip
    key64 = base64.b64encode(ka.public_raw).decode()
    add("public-key-newline", "strict", forge(pa, ka, package={"public_key": key64 + "\n"}),
        "bad_package_json", f"{bad_pkg}public_key: sai dạng.")  # fmt: skip
    add("public-key-spaces", "strict", forge(pa, ka, package={"public_key": " " + key64[:20] + " " + key64[20:]}),
        "bad_package_json", f"{bad_pkg}public_key: sai dạng.")  # fmt: skip
    add("created-at-number", "strict", forge(pa, ka, package={"created_at": 20260318}),
        "bad_package_json", f"{bad_pkg}created_at: sai kiểu dữ liệu.")  # fmt: skip
    add("created-at-no-offset", "strict", forge(pa, ka, package={"created_at": "2026-03-18 09:30"}),
        "bad_package_json", f"{bad_pkg}created_at: sai dạng.")  # fmt: skip
    add("office-name-rtl", "strict", forge(pa, ka, package={"office_name": "Ph\u202eường"}),
        "bad_package_json", f"{bad_pkg}office_name: sai dạng.")  # fmt: skip
    add("kind-unknown", "strict", forge(pa, ka, package={"kind": "replacement"}),
        "bad_package_json", f"{bad_pkg}kind: giá trị không được phép.")  # fmt: skip
    add("completeness-huge", "strict",
        forge(pa, ka, package={"completeness": {"indicators_total": 10**12}}),
        "bad_package_json", f"{bad_pkg}completeness.indicators_total: lớn hơn giới hạn cho phép.")  # fmt: skip
    add("office-id-empty", "strict", forge(pa, ka, package={"office_id": ""}),
        "bad_package_json", f"{bad_pkg}office_id: sai dạng.")  # fmt: skip
    return cases


FAMILIES = {"binding", "rotation", "time", "sequence", "names", "strict"}


def _rotate(world: dict, folder: Path) -> Path:
    """A rotation statement of office 0, dated 20/03/2026 08:00, signed by its old key."""
    new = generate_key(folder / "new.pem", PASSPHRASE)
    old = world["key_a"]
    statement = {
        "format": "theodoi57/key-rotation", "version": 1,
        "old_fingerprint": old.fingerprint,
        "old_public_key": base64.b64encode(old.public_raw).decode(),
        "new_fingerprint": new.fingerprint,
        "new_public_key": base64.b64encode(new.public_raw).decode(),
        "rotated_at": "2026-03-20T08:00:00+07:00",
    }  # fmt: skip
    statement["signature"] = base64.b64encode(old.sign(_statement_bytes(statement))).decode()
    path = folder / "key-rotation.json"
    path.write_text(json.dumps(statement), encoding="utf-8")
    return path


def test_the_corpus_covers_every_family(world: dict) -> None:
    counts: dict[str, int] = {}
    for case in world["cases"]:
        counts[case.family] = counts.get(case.family, 0) + 1
    assert set(counts) == FAMILIES
    assert counts == {"binding": 4, "rotation": 1, "time": 8, "sequence": 4, "names": 10,
                      "strict": 20}  # fmt: skip
    assert len(world["cases"]) == CASES
    assert len({c.name for c in world["cases"]}) == len(world["cases"])


CASES = 47  # the corpus' size, checked in test_the_corpus_covers_every_family


@pytest.mark.parametrize("index", range(CASES))
def test_each_hostile_package_is_refused_at_ingest(world: dict, tmp_path: Path, index: int) -> None:
    cases = world["cases"]
    case = cases[index]
    if case.family == "rotation":
        (tmp_path / "rot").mkdir()
        with Receiving.open(shutil.copy(world["template"], tmp_path / "rot" / "t.sqlite")) as rec:
            rec.trust_files([_rotate(world, tmp_path / "rot")])
        world = {**world, "template": tmp_path / "rot" / "t.sqlite"}
        tmp_path = tmp_path / "case"
        tmp_path.mkdir()
    line, before, after = receive(world, tmp_path, case.blob, f"{case.name}.zip")
    assert line.outcome == PackageStatus.REJECTED.value, (case.name, line.reason)
    assert line.package.reason_code == case.code, (case.name, line.reason)
    _expect(case.message, line.reason)
    assert "Lỗi không mong đợi" not in line.reason
    assert after == before  # offices, keys and the folder as they were
    with Receiving.open(tmp_path / "r.sqlite") as receiving:
        packages = receiving.packages()
        assert [p.status for p in packages] == [PackageStatus.REJECTED]
        assert receiving.package_data(packages[0].id) is None


def test_package_verify_with_both_office_key_files_refuses_them(world: dict, tmp_path: Path, capsys) -> None:  # fmt: skip
    """The CLI check with the two offices' key files: every case that verify itself can see."""
    trust = [office_key_file(world["offices"], 0), office_key_file(world["offices"], 1)]
    receiver_only = {"time", "sequence"}  # judged against the receiver's clock and records
    seen = 0
    for case in world["cases"]:
        if case.family in receiver_only or case.family == "rotation":
            continue
        path = tmp_path / f"{case.name}.zip"
        path.write_bytes(case.blob)
        before = _listing(tmp_path)
        args = ["package", "verify", str(path)] + [x for t in trust for x in ("--trust", str(t))]
        assert main(args) == 1, case.name
        err = capsys.readouterr().err
        code = (
            "office_mismatch"
            if case.family == "binding" and case.code != "untrusted_signer"
            else case.code
        )
        assert err.startswith(f"{code}: "), (case.name, err)
        assert "Lỗi không mong đợi" not in err
        assert _listing(tmp_path) == before
        seen += 1
    assert seen == 34


def test_binding_messages_of_package_verify(world: dict, tmp_path: Path, capsys) -> None:
    offices = world["offices"]
    forged = tmp_path / "forged.zip"
    forged.write_bytes(forge(world["pkg_a"], world["key_b"]))
    keys = [
        "--trust",
        str(office_key_file(offices, 0)),
        "--trust",
        str(office_key_file(offices, 1)),
    ]
    assert main(["package", "verify", str(forged), *keys]) == 1
    kb = world["key_b"]
    assert capsys.readouterr().err == (
        "office_mismatch: Khóa ký không phải khóa của đơn vị mà gói ghi tên: gói ghi mã đơn vị "
        f"{world['uid_a']} ({A}) nhưng khóa {kb.fingerprint} là của {B} (mã {world['uid_b']}).\n"
    )
    pems = ["--trust", str(offices / "office-00.pub.pem"), "--trust", str(offices / "office-01.pub.pem")]  # fmt: skip
    assert main(["package", "verify", str(forged), *pems]) == 1
    assert capsys.readouterr().err == (
        "unbound_key: Khóa ký chưa được gắn với đơn vị nào nên không biết gói của đơn vị nào: "
        f"mã khóa {kb.fingerprint}; với nhiều khóa tin cậy, hãy dùng tệp khóa đơn vị "
        "(.office-key.json) để biết khóa nào của đơn vị nào.\n"
    )
    assert main(["package", "verify", str(world["pkg_a"]), *keys]) == 0  # the genuine one
    assert main(["package", "verify", str(forged), "--trust", str(offices / "office-01.pub.pem")]) == 0  # fmt: skip
    capsys.readouterr()


def test_a_squatter_does_not_take_the_place_of_the_office(world: dict, tmp_path: Path) -> None:
    """B's key claiming A before A reports is refused; A's genuine package is then accepted."""
    line, _before, _after = receive(world, tmp_path, forge(world["pkg_a"], world["key_b"]))
    assert line.package.reason_code == "office_mismatch"
    with Receiving.open(tmp_path / "r.sqlite") as receiving:
        claimed = receiving.office(line.package.office_id)
        assert claimed.name == B  # shown against the key's office, not the one claimed
        lines = ingest(receiving, [world["pkg_a"], world["pkg_b"]], now=NOW).lines
        assert [ln.outcome for ln in lines] == ["accepted", "accepted"]
        assert [receiving.office(ln.package.office_id).uid for ln in lines] == [
            world["uid_a"], world["uid_b"],
        ]  # fmt: skip


def test_no_binding_by_first_arrival(world: dict, tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite"
    with Receiving.create(db, "Sở KH&CN") as receiving:
        receiving.trust_files([world["offices"] / "office-00.pub.pem"])  # a bare key, no office
        line = ingest(receiving, [world["pkg_a"]], now=NOW).lines[0]
        assert line.package.reason_code == "unbound_key"
        assert line.reason == (
            f"Khóa ký {world['key_a'].fingerprint} chưa được gắn với đơn vị nào; gói ghi là của "
            f"{A}. Hãy tin cậy tệp khóa đơn vị (.office-key.json) hoặc tin cậy khóa kèm tên đơn "
            "vị, sau khi đối chiếu mã khóa qua điện thoại."
        )
        assert receiving.offices() == [] and receiving.keys()[0].office_id is None
        # a bare key bound by name learns the id only from a package giving the same name
        b = receiving.add_office(B)
        receiving.trust_files([world["offices"] / "office-01.pub.pem"], b.id)
        forged = _write(tmp_path, forge(world["pkg_a"], world["key_b"], package={"office_id": "ffff-1"}))  # fmt: skip
        line = ingest(receiving, [forged], now=NOW).lines[0]
        assert line.package.reason_code == "office_mismatch"
        assert line.reason == (
            f"Khóa ký đã đăng ký cho {B} nhưng gói ghi tên đơn vị {A}. Hãy tin cậy tệp khóa đơn "
            "vị (có mã và tên đơn vị) để gắn khóa đúng đơn vị."
        )
        assert receiving.office(b.id).uid is None
        assert ingest(receiving, [world["pkg_b"]], now=NOW).lines[0].outcome == "accepted"
        assert receiving.office(b.id).uid == world["uid_b"]


def _write(folder: Path, blob: bytes) -> Path:
    path = folder / "forged" / "goi.zip"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(blob)
    return path


def test_trusting_checks_the_key_file_and_the_fingerprint(world: dict, tmp_path: Path, capsys) -> None:  # fmt: skip
    db = tmp_path / "r.sqlite"
    assert main(["receive", "init", "--db", str(db), "--office", "Sở KH&CN"]) == 0
    key_file = office_key_file(world["offices"], 0)
    # a key file whose office id was changed after signing
    statement = json.loads(key_file.read_text(encoding="utf-8"))
    statement["office_id"] = world["uid_b"]
    forged = tmp_path / "forged.office-key.json"
    forged.write_text(json.dumps(statement), encoding="utf-8")
    capsys.readouterr()
    assert main(["receive", "trust", "--db", str(db), str(forged)]) == 1
    assert capsys.readouterr().err.endswith(
        "Chữ ký trên tệp khóa đơn vị 'forged.office-key.json' không hợp lệ: tệp đã bị sửa.\n"
    )
    # the fingerprint read over the phone is not this key's: nothing is trusted
    wrong = world["key_b"].fingerprint
    assert main(["receive", "trust", "--db", str(db), "--fingerprint", wrong, str(key_file)]) == 1
    assert capsys.readouterr().err.endswith(
        f"Mã khóa của '{A}' là {world['key_a'].fingerprint}, không khớp mã đã đối chiếu qua "
        "điện thoại; không tin cậy khóa nào.\n"
    )
    with Receiving.open(db) as receiving:
        assert receiving.keys() == [] and receiving.offices() == []
    typed = world["key_a"].fingerprint.replace(" ", "").lower()
    assert main(["receive", "trust", "--db", str(db), "--fingerprint", typed, str(key_file)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        f"Tin cậy khóa {world['key_a'].fingerprint} — {A}"
    )
    # one key, one office: trusting it for another office is refused
    assert main(["receive", "trust", "--db", str(db), "--office", B,
                 str(world["offices"] / "office-00.pub.pem")]) == 1  # fmt: skip
    assert "một khóa chỉ thuộc một đơn vị" in capsys.readouterr().err
    with Receiving.open(db) as receiving:
        (key,) = receiving.keys()
        assert receiving.office(key.office_id).uid == world["uid_a"]


def test_rotation_retires_the_old_key(world: dict, tmp_path: Path) -> None:
    db = shutil.copy(world["template"], tmp_path / "r.sqlite")
    statement = _rotate(world, tmp_path)
    with Receiving.open(db) as receiving:
        (added,) = receiving.trust_files([statement])
        old = receiving.key(world["key_a"].public_raw)
        assert old.retired_at == "2026-03-20T08:00:00+07:00"
        assert added.office_id == old.office_id and added.rotated_from == old.fingerprint
        # made before the rotation: still good
        assert ingest(receiving, [world["pkg_a"]], now=NOW).lines[0].outcome == "accepted"
    # the same through package verify: key file + rotation statement
    late = tmp_path / "late.zip"
    late.write_bytes(forge(world["pkg_a"], world["key_a"],
                           package={"created_at": "2026-03-25T09:00:00+07:00", "sequence": 2}))  # fmt: skip
    args = ["package", "verify", str(late), "--trust", str(office_key_file(world["offices"], 0)),
            "--trust", str(office_key_file(world["offices"], 1)), "--trust", str(statement)]  # fmt: skip
    assert main(args) == 1


def test_a_correction_whose_original_never_came_is_flagged(world: dict, tmp_path: Path) -> None:
    blob = forge(world["pkg_a"], world["key_a"],
                 package={"sequence": 2, "kind": "correction", "corrects": 1, "changes": []})  # fmt: skip
    db = shutil.copy(world["template"], tmp_path / "r.sqlite")
    with Receiving.open(db) as receiving:
        line = ingest(receiving, [_write(tmp_path, blob)], now=NOW).lines[0]
        assert line.outcome == "accepted"
        assert line.package.flags == ["missing_original"]
        assert line.reason == (f"{A}, kỳ {PERIOD}, lần gửi 2, đúng hạn; cần xem: thiếu bản gốc.")
        assert receiving.package(line.package.id).flag_text == "thiếu bản gốc"


def test_one_package_never_stops_the_others(world: dict, tmp_path: Path) -> None:
    """Every hostile case and the two genuine packages in one folder: the genuine ones get in."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for case in world["cases"]:
        if case.family != "rotation":
            (inbox / f"{case.name}.zip").write_bytes(case.blob)
    shutil.copy(world["pkg_a"], inbox / "zz-a.zip")
    shutil.copy(world["pkg_b"], inbox / "zz-b.zip")
    db = shutil.copy(world["template"], tmp_path / "r.sqlite")
    with Receiving.open(db) as receiving:
        report = ingest(receiving, inbox, now=NOW)
        outcomes = {ln.path.name: ln.outcome for ln in report.lines}
        assert outcomes.pop("zz-a.zip") == outcomes.pop("zz-b.zip") == "accepted"
        assert set(outcomes.values()) == {"rejected"}
        assert len(outcomes) == len(world["cases"]) - 1
    xlsx = tmp_path / "tong-hop.xlsx"
    assert main(["receive", "export", "--db", str(db), "--period", PERIOD, "--out", str(xlsx)]) == 0
    assert xlsx.stat().st_size > 0


def test_member_names_in_the_exported_package_are_canonical(world: dict) -> None:
    """The exporter's names (attachment_path) pass the verifier's rule; the original is kept."""
    taken: set[str] = set()
    for original in ("Biên bản họp số 1.pdf", "CON.pdf", "a+b c.PDF", "x\u202efdp.exe", "nul"):
        path = fmt.attachment_path("1.2", 1, original, taken)
        assert fmt.member_name_problem(path) is None, path
    assert (
        fmt.attachment_path("1", 2, "Biên bản.pdf", set()) == "data/attachments/nv1-02-bien-ban.pdf"
    )


def test_office_key_file_round_trip(world: dict, tmp_path: Path) -> None:
    from app.packages.key_binding import read_office_key

    path = write_office_key(world["key_a"], world["uid_a"], A, tmp_path / "a.office-key.json")
    binding = read_office_key(path)
    assert (binding.office_id, binding.office_name, binding.fingerprint) == (
        world["uid_a"], A, world["key_a"].fingerprint,
    )  # fmt: skip


def test_text_from_packages_is_text_in_the_consolidated_workbook(world: dict, tmp_path: Path) -> None:  # fmt: skip
    """An accepted package whose text values look like formulas: they stay text."""
    from openpyxl import load_workbook

    formula = '=HYPERLINK("http://x","y")'

    def poison(raw: bytes) -> bytes:
        data = json.loads(raw)
        for item in data["values"]:
            if isinstance(item["value"], str):
                item["value"] = formula
            item["note"] = "+1+2"
        return fmt.dumps(data)

    blob = forge(world["pkg_b"], world["key_b"], data_raw=poison)
    db = shutil.copy(world["template"], tmp_path / "r.sqlite")
    with Receiving.open(db) as receiving:
        assert ingest(receiving, [_write(tmp_path, blob)], now=NOW).lines[0].outcome == "accepted"
    xlsx = tmp_path / "tong-hop.xlsx"
    assert main(["receive", "export", "--db", str(db), "--period", PERIOD, "--out", str(xlsx)]) == 0
    cells = [c for ws in load_workbook(xlsx).worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert any(c.value == formula for c in cells)
