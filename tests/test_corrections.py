"""Corrections end to end: export, reopen, edit, export again; the province ingests both.

Also the CLI of the closing flow: `period check|close|reopen` and the export gate.
"""

from __future__ import annotations

import io
import json
import shutil

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app.cli import main
from app.models.period_states import PeriodState
from app.models.store import Store
from app.packages.export import export_package
from app.packages.signing_keys import public_path_for
from app.packages.verify import verify_package
from app.receiving.consolidation import consolidate
from app.receiving.consolidation_xlsx import CHANGES_SHEET, write_consolidation_xlsx
from app.receiving.ingest import ingest
from app.receiving.matrix import build_matrix
from app.receiving.store import Receiving

from .test_package_fixtures import PASSPHRASE, TODAY, bag_files, make_key, make_store

Q1 = "2026-Q1"
EDITS = {"1": 35.5, "9": 7.0, "11": 9.0}  # indicator code -> corrected value


@pytest.fixture(scope="module")
def sent(tmp_path_factory):
    """An original package of Q1, then (reopened, three values edited) its correction."""
    folder = tmp_path_factory.mktemp("corrections")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("THEODOI57_HOME", str(folder / "home"))
        store = make_store(folder, attachments=0)
        key = make_key(folder)
        out = folder / "out"
        out.mkdir()
        first = export_package(store, Q1, out, key, today=TODAY, attachments=False)
        state_after_export = store.closing.period_status(Q1).state
        codes = {i.code: i for i in store.plan.load().indicators()}
        before = {c: store.entries.indicator_values(Q1)[codes[c].id].value for c in EDITS}
        store.closing.reopen_period(Q1, "Chi cục Thống kê điều chỉnh số liệu quý I")
        for code, value in EDITS.items():
            store.entries.set_indicator_value(Q1, codes[code].id, value)
        second = export_package(store, Q1, out, key, today=TODAY, attachments=False)
        yield {"folder": folder, "store": store, "key": key, "first": first, "second": second,
               "codes": codes, "before": before, "state_after_export": state_after_export}  # fmt: skip
        store.close()


def package_json(path) -> dict:
    return json.loads(bag_files(path)[1]["package.json"])


def test_export_sends_the_period_and_the_original_says_so(sent):
    assert sent["state_after_export"] is PeriodState.SENT
    first = package_json(sent["first"].path)
    assert first["kind"] == "original"
    assert "corrects" not in first and "changes" not in first and "allow_incomplete" not in first
    assert first["completeness"] == {"indicators_total": 52, "indicators_filled": 49,
                                     "tasks_total": 104, "tasks_updated": 104}  # fmt: skip
    progress = first["progress"]
    assert progress["as_of"] == "2026-03-14"  # Q1's data window ends before the report date
    assert progress["data_window"] == {"start": "2025-12-15", "end": "2026-03-14"}
    assert sum(progress["assessments"].values()) == 52
    assert progress["assessments"]["no_data"] == 52 - 49
    assert set(progress["passed_milestones"]) == {"2025"}
    data = json.loads(bag_files(sent["first"].path)[1]["data/data.json"])
    assert data["completeness"] == first["completeness"]
    assert data["validation"] == {"outlier_share": 0.5, "path_tolerance": 0.05, "rules": []}


def test_correction_package_lists_exactly_the_three_changes(sent):
    second, codes, before = package_json(sent["second"].path), sent["codes"], sent["before"]
    assert sent["second"].sequence == 2
    assert second["kind"] == "correction" and second["corrects"] == 1
    assert second["replaces"] == {"number": 1, "code": "BC/TU", "reference": "01-BC/TU",
                                  "issued_on": "2026-04-10"}  # fmt: skip
    assert second["reopen_reason"] == "Chi cục Thống kê điều chỉnh số liệu quý I"
    assert second["document"]["reference"] == "02-BC/TU"
    assert package_json(sent["first"].path)["document"] == {
        "number": 1,
        "code": "BC/TU",
        "reference": "01-BC/TU",
        "issued_on": "2026-04-10",
    }
    assert second["changes"] == [
        {"item": "indicator", "id": codes[c].id, "code": c, "name": codes[c].name,
         "field": "value", "before": before[c], "after": value}
        for c, value in EDITS.items()
    ]  # fmt: skip
    assert all(before[c] != v for c, v in EDITS.items())
    for result in (sent["first"], sent["second"]):  # both verify with the unchanged format
        check = verify_package(result.path, [sent["key"].public_bytes_pem()])
        assert check.ok, check.message
    store = sent["store"]
    assert store.closing.period_status(Q1).state is PeriodState.SENT
    reasons = [h.new for h in store.history(table="period_state") if h.field == "reason"]
    assert reasons == ["Chi cục Thống kê điều chỉnh số liệu quý I"]


def test_correction_pdf_has_the_title_and_the_change_section(sent):
    pdf = bag_files(sent["second"].path)[1]["data/report.pdf"]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages[:2])
    flat = " ".join(text.split())
    assert "BÁO CÁO BỔ SUNG, ĐIỀU CHỈNH" in flat
    assert "NỘI DUNG ĐIỀU CHỈNH SO VỚI BÁO CÁO ĐÃ GỬI" in flat
    # The replaced report by its number and date, and why the period was reopened.
    assert (
        "thay thế Báo cáo số 01-BC/TU ngày 10/04/2026. Lý do điều chỉnh: "
        "Chi cục Thống kê điều chỉnh số liệu quý I. Có 3 nội dung điều chỉnh"
    ) in flat
    assert "Số 02-BC/TU" in flat  # the correction is a document of its own, numbered next
    assert "35,5%" in flat  # the new value of indicator 1, as printed
    assert "Tình hình cập nhật số liệu: Đã cập nhật 49/52 chỉ tiêu, 104/104 nhiệm vụ." in flat
    original = bag_files(sent["first"].path)[1]["data/report.pdf"]
    first_text = " ".join(PdfReader(io.BytesIO(original)).pages[0].extract_text().split())
    assert "ĐIỀU CHỈNH" not in first_text


def test_receiving_uses_the_correction_and_lists_its_changes(sent, tmp_path):
    db = tmp_path / "province.sqlite"
    public = public_path_for(sent["folder"] / "office-signing-key.pem")
    with Receiving.create(db, "Sở Khoa học và Công nghệ") as receiving:
        office = receiving.add_office(sent["store"].plan.office().name)
        receiving.trust_files([public], office.id)
        one = ingest(receiving, [sent["first"].path])
        assert [line.outcome for line in one.lines] == ["accepted"]
        two = ingest(receiving, [sent["second"].path])
        assert [line.outcome for line in two.lines] == ["accepted"]
        packages = receiving.packages(period_id=Q1)
        assert [(p.sequence, p.kind, p.status.value) for p in packages] == [
            (1, "original", "superseded"), (2, "correction", "accepted"),
        ]  # fmt: skip
        assert packages[1].corrects == 1 and len(packages[1].changes) == 3
        cell = build_matrix(receiving).cell(packages[1].office_id, Q1)
        # state (by the real clock: made today, so late for Q1) · correction · completeness
        assert cell.summary == f"{cell.state.label} · điều chỉnh · 49/52 CT, 104/104 NV"
        assert "Lần gửi 2 là báo cáo bổ sung, điều chỉnh lần gửi 1: 3 nội dung điều chỉnh." in (
            cell.detail
        )
        assert "- Chỉ tiêu 9 (" in cell.detail and "→ 7" in cell.detail
        data = consolidate(receiving, Q1)
        shown = {s.ref.code: next(iter(s.values.values())).value for s in data.indicators}
        assert {c: shown[c] for c in EDITS} == EDITS
        out = write_consolidation_xlsx(data, tmp_path / "tong-hop.xlsx")
    ws = load_workbook(out)[CHANGES_SHEET]
    rows = [r for r in ws.iter_rows(min_row=6, values_only=True) if isinstance(r[0], int)]
    codes, before = sent["codes"], sent["before"]
    assert rows == [
        (n, "Thị ủy Bỉm Sơn", 2, 1, f"Chỉ tiêu {c}. {codes[c].name}", "Giá trị", before[c], v)
        for n, (c, v) in enumerate(EDITS.items(), start=1)
    ]


def test_cli_check_close_reopen_and_the_export_gate(sent, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("THEODOI57_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("KEY_PASS", PASSPHRASE)
    db = tmp_path / "office.sqlite"
    store = sent["store"]
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(store.path, db)
    with Store.open(db) as copy:
        nine = next(i.id for i in copy.plan.load().indicators() if i.code == "9")
        copy.entries.set_indicator_value("2026-Q3", nine, "3")
        copy.db.execute(  # a stored value that breaks its kind: an error
            "UPDATE indicator_value SET value = '2.5' WHERE period_id = '2026-Q3'"
        )
    capsys.readouterr()
    assert main(["period", "check", "--db", str(db), "--period", "2026-Q3"]) == 1
    out = capsys.readouterr().out
    assert "Kỳ Quý III/2026 (2026-Q3): đang nhập" in out
    assert "Đã cập nhật 1/52 chỉ tiêu, 0/104 nhiệm vụ." in out
    assert "Lỗi: 1; cảnh báo: 0 (0 chưa giải trình)." in out
    assert "- Lỗi: Chỉ tiêu 9 (" in out and "số lượng 2,5 phải là số nguyên không âm" in out
    assert main(["period", "close", "--db", str(db), "--period", "2026-Q3"]) == 1
    assert "Chưa chốt được kỳ Quý III/2026: còn 1 lỗi" in capsys.readouterr().err

    key = str(sent["folder"] / "office-signing-key.pem")
    export = ["report", "export", "--db", str(db), "--period", "2026-Q3", "--out", str(tmp_path),
              "--key", key, "--passphrase-env", "KEY_PASS", "--today", "2026-07-10"]  # fmt: skip
    assert main(export) == 1
    err = capsys.readouterr().err
    assert "Chưa ký và xuất gói báo cáo kỳ Quý III/2026 được." in err  # closing's gate
    assert "Lỗi số liệu (1):" in err
    assert "số lượng 2,5 phải là số nguyên không âm" in err
    assert list(tmp_path.glob("*.zip")) == []
    assert main([*export, "--allow-incomplete"]) == 0
    made = next(tmp_path.glob("BC_*_2026-Q3_1.zip"))
    assert package_json(made)["allow_incomplete"] is True
    assert main(["period", "check", "--db", str(db), "--period", "2026-Q3"]) == 1
    assert "Kỳ Quý III/2026 (2026-Q3): đã gửi" in capsys.readouterr().out

    assert main(["period", "check", "--db", str(db), "--period", "2026-Q1"]) == 0
    assert main(["period", "reopen", "--db", str(db), "--period", "2026-Q1", "--reason", " "]) == 1
    assert "Cần ghi lý do mở lại kỳ báo cáo." in capsys.readouterr().err
    assert main(["period", "reopen", "--db", str(db), "--period", "2026-Q1",
                 "--reason", "Bổ sung số liệu"]) == 0  # fmt: skip
    assert "báo cáo bổ sung, điều chỉnh" in capsys.readouterr().out
    assert main(["period", "close", "--db", str(db), "--period", "2026-Q1"]) == 0
    assert "Đã chốt số liệu kỳ Quý I/2026" in capsys.readouterr().out
    with Store.open(db) as copy:
        assert copy.closing.period_status("2026-Q1").state is PeriodState.CLOSED
        assert copy.closing.period_status("2026-Q1").correction_pending
