"""`receive demo`: Ngã Năm's culture office with two communes' yearly packages received.

The file is made once per module through the command line, as an officer would
make it, and read back: the receiving file itself, the packages in the folder
beside it, the communes' own data files, the matrix, the consolidation and the
consolidated workbook written by `receive export`. Every consolidated value is
compared with the value in the commune's signed package, exactly.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import threading
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.cli import main
from app.models.errors import UserError
from app.models.long_work import Cancelled
from app.models.plan import IndicatorKind, OfficeMode
from app.models.receiving_samples import NGA_NAM_RECEIVER, RECEIVING_SAMPLES
from app.models.store import Store
from app.operations.receive import create_sample_receiving_file
from app.packages.key_binding import read_office_key
from app.receiving.consolidation import consolidate
from app.receiving.consolidation_xlsx import MATRIX_SHEET
from app.receiving.matrix import CellState, build_matrix
from app.receiving.sample_file import UNFINISHED, companion_folder
from app.receiving.store import PackageStatus, Receiving

TODAY = date(2026, 3, 1)  # the 2025 report (due before 20/12/2025) is the only one past
PERIOD = "2025-Y"
COMMUNES = ["Xã Long Bình", "Xã Tân Long"]


def _run(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(argv)
    return code, out.getvalue()


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("nga-nam")
    db = root / "nga-nam-tiep-nhan.sqlite"
    code, out = _run(["receive", "demo", "--db", str(db), "--today", TODAY.isoformat()])
    assert code == 0, out
    return {"db": db, "out": out, "folder": companion_folder(db)}


def _package_values(path: Path) -> dict[str, object]:
    """Indicator code → value, read from the package's own data/data.json."""
    with zipfile.ZipFile(path) as zf:
        (name,) = [n for n in zf.namelist() if n.endswith("/data/data.json")]
        data = json.loads(zf.read(name))
    return {v["code"]: v["value"] for v in data["values"]}


def test_the_command_says_what_it_made(made):
    db, folder = made["db"], made["folder"]
    lines = made["out"].splitlines()
    assert lines[0] == (
        f"Đã tạo tệp tiếp nhận mẫu {db} của {NGA_NAM_RECEIVER} (kế hoạch mẫu nga-nam)."
    )
    assert lines[1] == (
        "Đơn vị báo cáo (số liệu minh họa): Xã Long Bình, Xã Tân Long; kỳ đã nhận: 2025-Y."
    )
    assert lines[2:4] == [
        "  Đã nhận: BC_xa-long-binh_2025-Y_1.zip — Xã Long Bình, kỳ 2025-Y, lần gửi 1, đúng hạn.",
        "  Đã nhận: BC_xa-tan-long_2025-Y_1.zip — Xã Tân Long, kỳ 2025-Y, lần gửi 1, trễ hạn.",
    ]
    assert lines[4] == (
        "Tệp dữ liệu, khóa ký (mật khẩu demo-mat-khau) và gói báo cáo của các đơn vị báo cáo: "
        f"{folder}"
    )
    assert len(lines) == 6 and f"gui --db {db}" in lines[5]
    # what the folder holds, and nothing half-made anywhere
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) == [
        "goi", "goi/BC_xa-long-binh_2025-Y_1.zip", "goi/BC_xa-tan-long_2025-Y_1.zip",
        "khoa", "khoa/xa-long-binh.office-key.json", "khoa/xa-long-binh.pem",
        "khoa/xa-long-binh.pub.pem", "khoa/xa-tan-long.office-key.json", "khoa/xa-tan-long.pem",
        "khoa/xa-tan-long.pub.pem", "xa-long-binh.sqlite", "xa-tan-long.sqlite",
    ]  # fmt: skip
    assert sorted(p.name for p in db.parent.iterdir()) == [folder.name, db.name]
    # made again: it is there, and nothing is touched
    assert _run(["receive", "demo", "--db", str(db)]) == (0, f"Tệp tiếp nhận mẫu đã có: {db}\n")


def test_a_receiving_file_with_two_communes_and_their_packages(made):
    folder = made["folder"]
    with Receiving.open(made["db"]) as receiving:
        office = receiving.store.plan.office()
        assert (office.name, office.mode, office.level) == (
            NGA_NAM_RECEIVER,
            OfficeMode.RECEIVING,
            "thị xã",
        )
        assert office.parent_body == "ỦY BAN NHÂN DÂN\nTHỊ XÃ NGÃ NĂM"
        offices = receiving.offices()
        assert [(o.name, o.level) for o in offices] == [(n, "xã") for n in COMMUNES]
        packages = receiving.packages()
        assert [(p.office_name, p.period_id, p.sequence, p.status) for p in packages] == [
            (n, PERIOD, 1, PackageStatus.ACCEPTED) for n in COMMUNES
        ]
        # due "trước ngày 20/12": 19/12/2025; sent two days before it, and four days after
        assert [(p.due, p.created_at, p.late) for p in packages] == [
            ("2025-12-19", "2025-12-17T09:30:00+07:00", False),
            ("2025-12-19", "2025-12-23T14:00:00+07:00", True),
        ]
        assert [Path(p.path).parent for p in packages] == [folder / "goi"] * 2
        # each commune's own key, trusted from its office key file and bound to it
        for o, package in zip(offices, packages, strict=True):
            (key,) = receiving.keys(o.id)
            binding = read_office_key(folder / "khoa" / f"{Path(package.file_name).stem.split('_')[1]}.office-key.json")  # fmt: skip
            assert key.fingerprint == binding.fingerprint == package.fingerprint
            assert (o.uid, binding.office_name) == (binding.office_id, o.name)
        assert offices[0].uid != offices[1].uid
        assert packages[0].fingerprint != packages[1].fingerprint


def test_the_matrix_on_time_and_late(made):
    with Receiving.open(made["db"]) as receiving:
        matrix = build_matrix(receiving)
    assert matrix.periods == [PERIOD]
    states = {o.name: matrix.cell(o.id, PERIOD).state for o in matrix.offices}
    assert states == {"Xã Long Bình": CellState.ON_TIME, "Xã Tân Long": CellState.LATE}
    code, out = _run(["receive", "status", "--db", str(made["db"])])
    assert code == 0
    assert out.splitlines() == [
        "2025-Y: đúng hạn 1, trễ hạn 1, chưa nộp 0, bị từ chối 0, không thuộc kỳ báo cáo 0",
        "  Xã Long Bình: Đúng hạn",
        "  Xã Tân Long: Trễ hạn",
    ]


def test_the_consolidation_holds_the_communes_own_values(made):
    folder = made["folder"]
    sent = {
        "Xã Long Bình": _package_values(folder / "goi" / "BC_xa-long-binh_2025-Y_1.zip"),
        "Xã Tân Long": _package_values(folder / "goi" / "BC_xa-tan-long_2025-Y_1.zip"),
    }
    # the package holds what the commune entered in its own data file
    for name, stem in zip(COMMUNES, ("xa-long-binh", "xa-tan-long"), strict=True):
        with Store.open(folder / f"{stem}.sqlite") as store:
            plan = store.plan.load()
            assert store.plan.office().name == name
            entered = store.entries.indicator_values(PERIOD)
            assert {i.code: entered[i.id].value for i in plan.indicators()} == sent[name]
    with Receiving.open(made["db"]) as receiving:
        data = consolidate(receiving, PERIOD)
    assert data.reference_source == "kế hoạch của đơn vị tiếp nhận"
    assert [o.name for o, _p in data.reported] == COMMUNES
    assert data.unmatched == []
    assert len(data.indicators) == 25
    for summary in data.indicators:
        got = {v.office.name: v.value for v in summary.values.values()}
        assert got == {n: sent[n][summary.ref.code] for n in COMMUNES}, summary.ref.code
        assert summary.reported == 2  # every indicator has a value from both communes
    # the demo values differ between the communes (each its own seed)
    assert sent["Xã Long Bình"] != sent["Xã Tân Long"]
    kinds = {s.ref.code: s.ref.kind for s in data.indicators}
    assert {c for c, k in kinds.items() if k is IndicatorKind.QUALITATIVE} <= {
        c for c, v in sent["Xã Long Bình"].items() if v in ("Đạt", "Đang thực hiện", "Chưa đạt")
    }


def test_the_consolidation_judges_as_each_commune_judged_itself(made):
    """The receiving office states what the communes' own reports state: the same path
    assessment for every indicator (a qualitative "Đạt" is the commune's own "đạt", not
    "không đánh giá được") and the same overdue tasks, judged at the end of the data
    window."""
    from app.models.assessment import Assessment
    from app.models.period_progress import period_progress
    from app.models.regime import period_of
    from app.models.task_labels import task_codes

    folder = made["folder"]
    own: dict[str, dict[str, Assessment]] = {}
    late: dict[str, set[str]] = {}
    for name, stem in zip(COMMUNES, ("xa-long-binh", "xa-tan-long"), strict=True):
        with Store.open(folder / f"{stem}.sqlite") as store:
            plan = store.plan.load()
            period = period_of(store.regime.regime_info(), PERIOD)
            progress = period_progress(store, period, TODAY, plan)
            own[name] = {p.indicator.code: p.path.assessment for p in progress.indicators}
            codes = task_codes(plan)
            late[name] = {codes[s.task.id] for s in progress.tasks if s.overdue}
    with Receiving.open(made["db"]) as receiving:
        data = consolidate(receiving, PERIOD)
    judged = {n: {} for n in COMMUNES}
    for summary in data.indicators:
        for v in summary.values.values():
            judged[v.office.name][summary.ref.code] = v.assessment
    assert judged == own
    selves = {Assessment.SELF_MET, Assessment.SELF_NOT_MET, Assessment.SELF_IN_PROGRESS}
    qualitative = {s.ref.code for s in data.indicators if s.ref.kind is IndicatorKind.QUALITATIVE}
    assert len(qualitative) == 9
    for name in COMMUNES:  # every qualitative indicator as the commune judged it
        assert {c for c, a in judged[name].items() if a in selves} == qualitative
    assert {n: {t.code for t in data.overdue if t.office.name == n} for n in COMMUNES} == late


def test_the_consolidated_workbook(made, tmp_path):
    out = tmp_path / "tong-hop.xlsx"
    code, printed = _run(["receive", "export", "--db", str(made["db"]), "--period", PERIOD,
                          "--out", str(out)])  # fmt: skip
    assert (code, printed) == (0, f"Đã ghi bảng tổng hợp {out} (2/2 đơn vị).\n")
    wb = load_workbook(out)
    states = {r[1]: r[4] for r in wb[MATRIX_SHEET].iter_rows(min_row=6, max_row=7,
                                                             values_only=True)}  # fmt: skip
    assert states == {"Xã Long Bình": "Đúng hạn", "Xã Tân Long": "Trễ hạn"}
    with Receiving.open(made["db"]) as receiving:
        data = consolidate(receiving, PERIOD)
    labels = {f"{s.ref.code}. {s.ref.name}" + (f" ({s.ref.unit})" if s.ref.unit else ""): s
              for s in data.indicators}  # fmt: skip
    seen = 0
    for ws in wb.worksheets[2:]:
        headers = [c.value for c in ws[5]]
        for row in ws.iter_rows(min_row=6, values_only=True):
            if not isinstance(row[0], int) or row[1] not in COMMUNES:
                continue
            for label, shown in zip(headers[2:], row[2:], strict=True):
                if label not in labels:
                    continue
                summary = labels[label]
                (value,) = [v.value for v in summary.values.values() if v.office.name == row[1]]
                if isinstance(value, bool):
                    assert shown == ("Có" if value else "Không")
                elif summary.ref.kind is IndicatorKind.PERCENT:  # Excel's fraction
                    assert shown == pytest.approx(value / 100, abs=1e-12)
                else:
                    assert shown == value, (row[1], label)
                seen += 1
    assert seen == 2 * 25
    # titles that wrap get the rows they need: group I is two indicators wide, and the
    # subtitle names the town's office ("Phòng Văn hóa, Khoa học và Thông tin thị xã Ngã Năm")
    group_one = wb.worksheets[2]
    assert group_one["A1"].value.startswith("NHÓM CHỈ TIÊU I. TIỀM LỰC")
    assert group_one.row_dimensions[1].height >= 2 * 13 * 1.36  # two lines at 13 pt
    assert group_one.row_dimensions[3].height >= 2 * 12 * 1.36
    assert wb[MATRIX_SHEET].row_dimensions[2].height < 2 * 13  # "Kỳ tổng hợp: Năm 2025": one


def test_the_same_day_gives_the_same_file(made, tmp_path):
    """Deterministic for a given day: the same values and states (keys are fresh), and a
    folder left by an interrupted run (still marked unfinished) is cleared first."""
    db = tmp_path / "lan-hai.sqlite"
    leftover = companion_folder(db)
    (leftover / "goi").mkdir(parents=True)
    (leftover / UNFINISHED).write_text("x")
    (leftover / "goi" / "half.zip").write_bytes(b"PK")
    calls: list[tuple[int, int, str]] = []
    made_again = create_sample_receiving_file(
        db, "nga-nam", TODAY, lambda d, t, m: calls.append((d, t, m))
    ).result
    assert (made_again.path, made_again.folder) == (db, leftover)
    assert not (leftover / "goi" / "half.zip").exists() and not (leftover / UNFINISHED).exists()
    assert calls[0] == (0, 3, "Đang lập tệp dữ liệu và gửi báo cáo của Xã Long Bình")
    assert calls[-1] == (3, 3, "Đã tạo tệp tiếp nhận mẫu")

    def figures(path: Path) -> tuple:
        with Receiving.open(path) as receiving:
            data = consolidate(receiving, PERIOD)
            matrix = build_matrix(receiving)
        values = [(s.ref.code, v.office.name, v.value) for s in data.indicators
                  for v in s.values.values()]  # fmt: skip
        cells = [(o.name, matrix.cell(o.id, PERIOD).summary) for o in matrix.offices]
        return values, cells

    assert figures(db) == figures(made["db"])


def test_nothing_is_left_when_it_cannot_be_made(tmp_path):
    db = tmp_path / "som.sqlite"
    with pytest.raises(UserError) as caught:
        create_sample_receiving_file(db, "nga-nam", date(2025, 12, 31))
    assert caught.value.message == (
        "Chưa có kỳ báo cáo nào của kế hoạch mẫu 'nga-nam' kết thúc trước ngày 31/12/2025: "
        "tệp tiếp nhận mẫu cần ít nhất một kỳ đã kết thúc."
    )
    assert list(tmp_path.iterdir()) == []
    cancel = threading.Event()

    def cancel_after_the_first_commune(done: int, total: int, message: str) -> None:
        if done == 1:
            cancel.set()

    with pytest.raises(Cancelled):
        create_sample_receiving_file(db, "nga-nam", TODAY, cancel_after_the_first_commune, cancel)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(UserError) as caught:
        create_sample_receiving_file(db, "bim-son", TODAY)
    assert caught.value.message == (
        "Kế hoạch mẫu 'bim-son' không có tệp tiếp nhận mẫu. Các mẫu có: nga-nam."
    )
    # someone's own folder of that name is never removed
    own = companion_folder(db)
    own.mkdir()
    (own / "của tôi.txt").write_text("giữ nguyên")
    with pytest.raises(UserError, match="đã có"):
        create_sample_receiving_file(db, "nga-nam", TODAY)
    assert [p.name for p in own.iterdir()] == ["của tôi.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [own.name]


def test_samples_says_how_to_make_it():
    code, out = _run(["samples"])
    lines = out.splitlines()
    at = [line.split("\t")[0] for line in lines].index("nga-nam")
    spec = RECEIVING_SAMPLES["nga-nam"]
    assert lines[at + 1] == (
        f"  Tệp tiếp nhận mẫu của {NGA_NAM_RECEIVER} (Xã Long Bình, Xã Tân Long báo cáo): "
        f"python -m app receive demo --db {spec.file_name} --sample nga-nam"
    )
    assert [line for line in lines if line.startswith(" ")] == [lines[at + 1]]
    assert re.fullmatch(r"nga-nam-tiep-nhan\.sqlite", spec.file_name)
