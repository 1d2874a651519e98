"""Thirty offices report Q1/2026; the province ingests their packages plus bad ones.

Built once per module: 30 real data files with different values, their keys,
their signed packages (two corrections, one replay, one tampered, one from an
unknown signer, hostile zips). Then every status, every cell of the matrix
and every consolidated number is checked, read back from the written xlsx.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import statistics
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.cli import main
from app.models.assessment import assess_path
from app.models.plan import IndicatorKind
from app.models.regime import period_of
from app.models.samples import load_sample
from app.packages.format import dumps
from app.receiving.consolidation import consolidate
from app.receiving.consolidation_pdf import write_consolidation_pdf
from app.receiving.consolidation_xlsx import MATRIX_SHEET, SUMMARY_SHEET, write_consolidation_xlsx
from app.receiving.ingest import ingest
from app.receiving.matrix import CellState, build_matrix
from app.receiving.store import PackageStatus, Receiving

from .test_package_fixtures import bag_files, rezip, zip_with
from .test_receiving_fixtures import (
    LATE,
    ON_TIME,
    PERIOD,
    RENAMED,
    export,
    fill_office,
    make_office,
    office_key_file,
    office_name,
    office_value,
)

OFFICES = 30
LATE_OFFICES = {25, 26, 27}
MISSING, TAMPERED, UNKNOWN = 28, 29, 30
CORRECTED, REPLAYED = 3, 5
VARIED = {10, 11}
TAMPERED_VALUE = 987.0


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("receiving")
    inbox, later, keys = root / "inbox", root / "later", root / "offices"
    keys.mkdir()
    files: dict[str, Path] = {}
    for i in range(OFFICES + 1):
        store, key = make_office(keys, i, varied=i in VARIED)
        with store:
            if i == MISSING:
                continue
            moment = LATE if i in LATE_OFFICES else ON_TIME
            target = inbox / ("usb" if i % 2 else "email") / f"batch{i % 4}"
            files[f"o{i}"] = export(store, key, target, moment)
            if i in (CORRECTED, REPLAYED):
                store.closing.reopen_period(
                    PERIOD, "Sửa số liệu đã gửi"
                )  # a sent period is read-only
                fill_office(store, i, bump=1)
                files[f"o{i}s2"] = export(store, key, target, moment)
    # office 5's second package arrived first; its first one comes later as a replay
    (later / "replayed").mkdir(parents=True)
    files["o5"] = files["o5"].rename(later / "replayed" / files["o5"].name)
    # tampered: office 29's values changed after signing
    top, bag = bag_files(files[f"o{TAMPERED}"])
    data = json.loads(bag["data/data.json"])
    data["values"][0]["value"] = TAMPERED_VALUE
    bag["data/data.json"] = dumps(data)
    files[f"o{TAMPERED}"].write_bytes(rezip(top, bag))
    # the same package again under another name, and hostile files
    files["copy"] = inbox / "email" / "Fwd báo cáo.zip"
    shutil.copy(files["o0"], files["copy"])
    hostile = inbox / "hostile"
    hostile.mkdir()
    (hostile / "traversal.zip").write_bytes(
        zip_with([("BC_x/bagit.txt", b"x"), ("../../evil.txt", b"e")])
    )
    (hostile / "bomb.zip").write_bytes(_bomb())
    (hostile / "notazip.ZIP").write_bytes(b"this is not a zip at all")
    (hostile / "readme.txt").write_text("không phải gói")

    db = root / "province.sqlite"
    assert main(["receive", "init", "--db", str(db), "--office", "Sở Khoa học và Công nghệ"]) == 0
    with Receiving.open(db) as receiving:
        for i in range(OFFICES):
            if i < 20 or i in (MISSING, TAMPERED):  # a bare key, bound to an office by name
                office = receiving.add_office(office_name(i), code=f"{i:02d}")
                receiving.trust_files([keys / f"office-{i:02d}.pub.pem"], office.id)
            else:  # the office's key file: key, office id and name, signed
                receiving.trust_files([office_key_file(keys, i)])
        calls: list[tuple[int, int, str]] = []
        first = ingest(receiving, inbox, progress=lambda d, t, s: calls.append((d, t, s)))
        second = ingest(receiving, [later])
        again = ingest(receiving, inbox)
        receiving.trust_files([office_key_file(keys, UNKNOWN)])
        trusted_now = ingest(receiving, [files[f"o{UNKNOWN}"]])
    return {"root": root, "db": db, "files": files, "first": first, "second": second,
            "again": again, "trusted_now": trusted_now, "calls": calls, "inbox": inbox}  # fmt: skip


def _bomb() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("BC_x/data/big.bin", b"\0" * 5_000_000)
    return buffer.getvalue()


def _outcomes(report) -> dict[str, tuple[str, str]]:
    return {line.path.name: (line.outcome, line.reason) for line in report.lines}


def test_every_package_gets_its_status(world):
    files, first = world["files"], _outcomes(world["first"])
    assert world["first"].total == len(first) == 35  # 31 office files + copy + 3 hostile zips
    for i in range(OFFICES):
        if i in (MISSING, TAMPERED, REPLAYED):
            continue
        assert first[files[f"o{i}"].name][0] == "accepted", i
    assert first[files["o3s2"].name][0] == "accepted"
    assert "thay thế lần gửi 1" in first[files["o3s2"].name][1]
    assert first[files["o5s2"].name][0] == "accepted"
    assert first["Fwd báo cáo.zip"] == ("duplicate", first["Fwd báo cáo.zip"][1])
    assert "Đã nhận trước đó" in first["Fwd báo cáo.zip"][1]
    code = {
        line.path.name: line.package.reason_code for line in world["first"].lines if line.package
    }
    assert code[files[f"o{TAMPERED}"].name] == "hash_mismatch"
    assert code[files[f"o{UNKNOWN}"].name] == "untrusted_signer"
    assert code["traversal.zip"] == "unsafe_path"
    assert code["bomb.zip"] == "zip_bomb"
    assert code["notazip.ZIP"] == "not_zip"
    assert not (world["root"] / "evil.txt").exists()
    second = _outcomes(world["second"])
    assert second[files["o5"].name][0] == "replay"
    assert "lần gửi 1 cũ hơn lần gửi 2" in second[files["o5"].name][1]
    again = world["again"]
    assert again.count("duplicate") == again.total == 35
    assert _outcomes(world["trusted_now"])[files[f"o{UNKNOWN}"].name][0] == "accepted"
    calls = world["calls"]
    assert (
        calls[0][:2] == (0, 35) and calls[-1][:2] == (35, 35) and "Đã xử lý 35/35" in calls[-1][2]
    )


def test_rows_and_the_matrix(world):
    with Receiving.open(world["db"]) as receiving:
        statuses = {}
        for p in receiving.packages():
            statuses.setdefault(p.status, []).append(p)
            if not p.status.valid:
                assert receiving.package_data(p.id) is None  # nothing of a refused package kept
        assert len(statuses[PackageStatus.SUPERSEDED]) == 1
        assert statuses[PackageStatus.SUPERSEDED][0].office_name == office_name(CORRECTED)
        assert len(statuses[PackageStatus.REPLAY]) == 1
        assert len(statuses[PackageStatus.ACCEPTED]) == 29  # 0–27 except 28, plus 30
        # the unknown office's earlier refusal was replaced by its acceptance
        assert len(statuses[PackageStatus.REJECTED]) == 4  # tampered + 3 hostile
        matrix = build_matrix(receiving)
        assert matrix.periods == [PERIOD]
        assert len(matrix.offices) == OFFICES + 1
        states = {o.name: matrix.cell(o.id, PERIOD) for o in matrix.offices}
        for i in range(OFFICES + 1):
            expected = CellState.ON_TIME
            if i in LATE_OFFICES:
                expected = CellState.LATE
            elif i == MISSING:
                expected = CellState.MISSING
            elif i == TAMPERED:
                expected = CellState.REJECTED
            assert states[office_name(i)].state is expected, i
        assert "Mã băm của tệp không khớp" in states[office_name(TAMPERED)].detail
        assert matrix.counts(PERIOD) == {CellState.ON_TIME: 26, CellState.LATE: 3,
                                         CellState.MISSING: 1, CellState.REJECTED: 1,
                                         CellState.NOT_DUE: 0}  # fmt: skip


@functools.cache
def _expected(office: int) -> dict[str, object]:
    """Reference indicator name → the value office `office` reported (after corrections)."""
    plan = load_sample("bim-son")
    bump = 1 if office in (CORRECTED, REPLAYED) else 0
    out = {}
    for pos, ind in enumerate(plan.indicators()):
        if office in VARIED and pos == 0:
            continue  # renamed: unmatched
        out[ind.name] = office_value(ind.kind, office, pos, bump)
    return out


def test_consolidated_workbook_numbers(world, tmp_path):
    with Receiving.open(world["db"]) as receiving:
        data = consolidate(receiving, PERIOD)
    out = write_consolidation_xlsx(data, tmp_path / "tong-hop.xlsx")
    wb = load_workbook(out)
    reporting = [i for i in range(OFFICES + 1) if i not in (MISSING, TAMPERED)]
    plan = load_sample("bim-son")
    by_name = {ind.name: ind for ind in plan.indicators()}
    names = {f"{s.ref.code}. {s.ref.name}" + (f" ({s.ref.unit})" if s.ref.unit else ""): s.ref.name
             for s in data.indicators}  # fmt: skip
    seen: dict[str, dict[str, object]] = {}
    for ws in wb.worksheets[2:]:
        if ws.title in ("Nhiệm vụ quá hạn", "Chỉ tiêu không khớp", "Điều chỉnh"):
            continue
        headers = [names[c.value] if c.value in names else c.value for c in ws[5]]
        for row in ws.iter_rows(min_row=6, values_only=True):
            if row[0] is None or not isinstance(row[0], int):
                continue
            for name, value in zip(headers[2:], row[2:], strict=True):
                seen.setdefault(row[1], {})[name] = value
    assert set(seen) == {office_name(i) for i in reporting}
    for i in reporting:
        for name, value in _expected(i).items():
            shown = seen[office_name(i)][name]
            if isinstance(value, bool):
                assert shown == ("Có" if value else "Không"), (i, name)
            elif by_name[name].kind is IndicatorKind.PERCENT:  # Excel's fraction
                assert shown == pytest.approx(value / 100), (i, name)
            else:
                assert shown == value, (i, name)
    # summaries: reported, met, min/median/max per indicator
    summary = wb[SUMMARY_SHEET]
    rows = {r[1]: r for r in summary.iter_rows(min_row=6, values_only=True) if r[1] in by_name}
    for name, ind in by_name.items():
        values = [_expected(i).get(name) for i in reporting]
        values = [v for v in values if v is not None]
        window_end = period_of(plan.info, PERIOD).cutoff_end  # each office's own regime
        met = sum(
            1 for v in values
            if assess_path(ind, v, window_end, plan_date=plan.info.date).assessment.favourable
        )  # fmt: skip
        numbers = [v for v in values if isinstance(v, float)]
        row = rows[name]
        assert row[3] == len(values) and row[4] == met, name
        if numbers:
            unit = 100 if ind.kind is IndicatorKind.PERCENT else 1  # a percent as a fraction
            expected = (min(numbers), statistics.median(numbers), max(numbers))
            assert row[6:9] == pytest.approx([v / unit for v in expected]), name
    # nothing of the tampered package, unmatched listed not dropped
    every = [c for ws in wb.worksheets for r in ws.iter_rows(values_only=True) for c in r]
    assert TAMPERED_VALUE not in every
    assert office_name(TAMPERED) not in seen
    unmatched = [r for r in wb["Chỉ tiêu không khớp"].iter_rows(min_row=6, values_only=True)]
    assert {(r[1], r[3]) for r in unmatched} == {(office_name(i), RENAMED) for i in VARIED}
    matrix = wb[MATRIX_SHEET]
    states = {
        r[1]: r[4] for r in matrix.iter_rows(min_row=6, max_row=6 + OFFICES, values_only=True)
    }
    assert states[office_name(MISSING)] == "Chưa nộp"
    assert states[office_name(TAMPERED)] == "Bị từ chối"
    assert states[office_name(25)] == "Trễ hạn" and states[office_name(0)] == "Đúng hạn"
    assert matrix.print_title_rows == "$5:$5" and matrix.page_setup.orientation == "landscape"
    assert data.overdue and all(t.office.name != office_name(TAMPERED) for t in data.overdue)
    kinds = {ind.kind for ind in plan.indicators()}
    assert IndicatorKind.PERCENT in kinds


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="needs poppler-utils")
def test_summary_pdf_has_embedded_fonts(world, tmp_path):
    with Receiving.open(world["db"]) as receiving:
        data = consolidate(receiving, PERIOD)
    out = write_consolidation_pdf(data, tmp_path / "tom-tat.pdf")
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True)
    rows = fonts.stdout.splitlines()[2:]
    assert rows and all(re.search(r"\byes\s+yes\s+yes\b", row) for row in rows), rows
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "BÁO CÁO" in text and "Tình hình nộp báo cáo" in text
    assert office_name(MISSING) in text and "Chưa nộp" in text


def test_cli_ingest_and_export(world, tmp_path, capsys):
    db = tmp_path / "cli.sqlite"
    assert main(["receive", "init", "--db", str(db), "--office", "UBND thị xã"]) == 0
    keys = world["root"] / "offices"
    assert main(["receive", "trust", "--db", str(db), "--office", office_name(0),
                 str(keys / "office-00.pub.pem")]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["receive", "ingest", "--db", str(db), str(world["inbox"] / "email")]) == 0
    out = capsys.readouterr().out
    assert f"Đã nhận: {world['files']['o0'].name}" in out
    assert "Từ chối: " in out and "không có trong danh sách khóa tin cậy" in out
    assert "Đã nhận trước đó: Fwd báo cáo.zip" in out
    assert main(["receive", "ingest", "--db", str(db), str(tmp_path / "no-such")]) == 2
    assert main(["receive", "ingest", "--db", str(tmp_path / "none.sqlite"), str(tmp_path)]) == 2
    xlsx, pdf = tmp_path / "th.xlsx", tmp_path / "th.pdf"
    assert main(["receive", "export", "--db", str(db), "--period", PERIOD, "--out", str(xlsx),
                 "--pdf", str(pdf)]) == 0  # fmt: skip
    assert load_workbook(xlsx)[MATRIX_SHEET]["B6"].value == office_name(0)
    assert pdf.read_bytes().startswith(b"%PDF")
