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

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from app.cli import main
from app.packages import format as fmt
from app.packages.key_binding import write_office_key
from app.receiving.ingest import ingest
from app.receiving.store import PackageStatus, Receiving

from .hostile_packages import NOW, A, B, build_world, forge, rotation_statement
from .test_receiving_fixtures import PERIOD, office_key_file


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return build_world(tmp_path_factory.mktemp("trust"))


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


FAMILIES = {"binding", "rotation", "time", "sequence", "names", "strict"}


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
            rec.trust_files([rotation_statement(world, tmp_path / "rot")])
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
    statement = rotation_statement(world, tmp_path)
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


def test_refusals_that_can_lift_are_checked_again(world: dict, tmp_path: Path) -> None:
    """A key bound since, or a period come since: the same file is judged again, not "đã nhận"."""
    early = _write(tmp_path, forge(world["pkg_a"], world["key_a"], package={
        "period_id": "2026-Q4", "period_label": "Quý IV/2026",
        "created_at": "2026-12-01T09:00:00+07:00",
    }, data={"period": {"start": "2026-10-01", "end": "2026-12-31", "due": "2026-12-19"}}))  # fmt: skip
    with Receiving.create(tmp_path / "r.sqlite", "Sở KH&CN") as receiving:
        receiving.trust_files([world["offices"] / "office-00.pub.pem"])
        assert ingest(receiving, [world["pkg_a"]], now=NOW).lines[0].package.reason_code == (
            "unbound_key"
        )
        receiving.trust_files([office_key_file(world["offices"], 0)])
        assert ingest(receiving, [world["pkg_a"]], now=NOW).lines[0].outcome == "accepted"
        line = ingest(receiving, [early], now=NOW).lines[0]
        assert line.package.reason_code == "period_not_ended"
        later = NOW.replace(day=10)
        assert ingest(receiving, [early], now=later).lines[0].outcome == "accepted"
        assert ingest(receiving, [early], now=later).lines[0].outcome == "duplicate"


def test_on_a_terminal_each_fingerprint_is_asked(world: dict, tmp_path: Path, monkeypatch, capsys) -> None:  # fmt: skip
    db = tmp_path / "r.sqlite"
    assert main(["receive", "init", "--db", str(db), "--office", "Sở KH&CN"]) == 0
    asked: list[str] = []
    answers = iter([world["key_b"].fingerprint, world["key_b"].fingerprint])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or next(answers))
    files = [str(office_key_file(world["offices"], 0)), str(office_key_file(world["offices"], 1))]
    assert main(["receive", "trust", "--db", str(db), *files]) == 1  # office 0's was misread
    assert asked == [f"Mã khóa của {A} (đọc qua điện thoại): ",
                     f"Mã khóa của {B} (đọc qua điện thoại): "]  # fmt: skip
    assert "không khớp mã đã đối chiếu qua điện thoại" in capsys.readouterr().err
    with Receiving.open(db) as receiving:
        assert receiving.keys() == []
    answers = iter([world["key_a"].fingerprint, world["key_b"].fingerprint])
    assert main(["receive", "trust", "--db", str(db), *files]) == 0
    with Receiving.open(db) as receiving:
        assert len(receiving.keys()) == 2


def test_odd_changes_never_break_the_consolidation(world: dict, tmp_path: Path) -> None:
    """A signed correction whose change list holds formula- and markup-looking text."""
    odd = [
        {"item": "indicator", "id": 1, "code": "1", "name": "=1+1 <b>&amp; <font", "field": "value",
         "before": "<br/>&", "after": 1e15},
        {"item": "narrative", "id": "leadership", "code": None, "name": None, "field": "text",
         "before": None, "after": "@SUM(A1) </para>"},
    ]  # fmt: skip
    blob = forge(world["pkg_a"], world["key_a"],
                 package={"sequence": 2, "kind": "correction", "corrects": 1, "changes": odd})  # fmt: skip
    db = shutil.copy(world["template"], tmp_path / "r.sqlite")
    with Receiving.open(db) as receiving:
        lines = ingest(receiving, [world["pkg_a"], _write(tmp_path, blob)], now=NOW).lines
        assert [ln.outcome for ln in lines] == ["accepted", "accepted"]
    xlsx, pdf = tmp_path / "tong-hop.xlsx", tmp_path / "tong-hop.pdf"
    args = ["receive", "export", "--db", str(db), "--period", PERIOD, "--out", str(xlsx),
            "--pdf", str(pdf)]  # fmt: skip
    assert main(args) == 0
    from openpyxl import load_workbook

    cells = [c for ws in load_workbook(xlsx).worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert pdf.read_bytes().startswith(b"%PDF")


def test_a_change_list_of_the_wrong_shape_is_refused(world: dict, tmp_path: Path) -> None:
    odd = [{"item": ["?"], "id": None, "code": 5, "field": True, "before": [1, 2]}]
    blob = forge(world["pkg_a"], world["key_a"],
                 package={"sequence": 2, "kind": "correction", "corrects": 1, "changes": odd})  # fmt: skip
    line, before, after = receive(world, tmp_path, blob)
    assert (line.package.reason_code, line.reason) == (
        "bad_package_json",
        "Tệp package.json của gói không đọc được: changes[0].item: giá trị không được phép.",
    )
    assert after == before


def test_withdrawn_trust_refuses_the_next_package_and_is_audited(world: dict, tmp_path: Path, capsys) -> None:  # fmt: skip
    db = tmp_path / "r.sqlite"
    assert main(["receive", "init", "--db", str(db), "--office", "Sở KH&CN"]) == 0
    key_file = office_key_file(world["offices"], 0)
    fingerprint = world["key_a"].fingerprint
    # an office key file names its office: trusting it for another one is refused
    assert main(["receive", "office", "--db", str(db), "--name", B]) == 0
    assert main(["receive", "trust", "--db", str(db), "--office", B,
                 "--fingerprint", fingerprint, str(key_file)]) == 1  # fmt: skip
    assert f"Tệp khóa ghi khóa của đơn vị {A}, không phải {B}" in capsys.readouterr().err
    assert _rows(db, "recv_key") == []
    assert main(["receive", "trust", "--db", str(db), "--fingerprint", fingerprint,
                 str(key_file)]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["receive", "untrust", "--db", str(db), "--fingerprint", fingerprint]) == 0
    assert capsys.readouterr().out.startswith(f"Đã thôi tin cậy khóa {fingerprint};")
    assert _rows(db, "recv_key") == []
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(world["pkg_a"], inbox / "goi.zip")
    with Receiving.open(db) as receiving:
        report = ingest(receiving, inbox, now=NOW)
        (package,) = receiving.packages()
        audit = [(r["table_name"], r["action"]) for r in receiving.store.db.query(
            "SELECT table_name, action FROM audit WHERE table_name = 'recv_key' ORDER BY id")]  # fmt: skip
    assert not package.status.valid, report.lines[0].text()
    assert audit == [("recv_key", "insert"), ("recv_key", "delete")]
    assert main(["receive", "untrust", "--db", str(db), "--fingerprint", fingerprint]) == 1
