"""`receive export --format datapackage|dhis2`: the receiving file in open formats.

Three offices report Q1/2026 (one renames an indicator so it matches nothing);
the data package is validated by the frictionless library itself and read back
row by row; the DHIS2 JSON is checked against the dataValueSets shape.
"""

from __future__ import annotations

import csv
import json

import pytest

from app.cli import main
from app.models.plan import IndicatorKind
from app.models.samples import load_sample
from app.receiving.ingest import ingest
from app.receiving.open_data import dhis2_period
from app.receiving.store import Receiving

from .test_receiving_fixtures import (
    ON_TIME,
    PERIOD,
    RENAMED,
    export,
    make_office,
    office_name,
    office_value,
)

OFFICES = 3
VARIED = 2  # renames its first indicator: no reference code


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    root = tmp_path_factory.mktemp("open-data")
    keys, inbox = root / "keys", root / "inbox"
    keys.mkdir()
    uids = {}
    for i in range(OFFICES):
        store, key = make_office(keys, i, varied=i == VARIED)
        with store:
            export(store, key, inbox, ON_TIME)
            uids[i] = store.plan.office().uid if hasattr(store.plan.office(), "uid") else None
    db = root / "province.sqlite"
    assert main(["receive", "init", "--db", str(db), "--office", "Sở Khoa học và Công nghệ"]) == 0
    with Receiving.open(db) as receiving:
        for i in range(OFFICES):
            office = receiving.add_office(office_name(i), code=f"{i:02d}")
            receiving.trust_files([keys / f"office-{i:02d}.pub.pem"], office.id)
        report = ingest(receiving, [inbox])
        assert [line.outcome for line in report.lines] == ["accepted"] * OFFICES
        offices = {o.name: o.uid for o in receiving.offices()}
    return root, db, offices


def _rows(path) -> list[dict[str, str]]:  # noqa: ANN001
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_data_package_is_valid_and_holds_every_value(province, capsys):  # noqa: ANN001
    frictionless = pytest.importorskip("frictionless")
    root, db, offices = province
    out = root / "goi-du-lieu"
    assert main(["receive", "export", "--db", str(db), "--format", "datapackage",
                 "--out", str(out)]) == 0  # fmt: skip
    plan = load_sample("bim-son")
    n_ind, n_task = len(plan.indicators()), len(plan.tasks())
    assert capsys.readouterr().out.strip() == (
        f"Đã ghi gói dữ liệu (Frictionless) {out / 'datapackage.json'}: 1 kỳ; offices 3, "
        f"submissions 3, indicator_values {3 * n_ind}, task_states {3 * n_task} dòng."
    )
    report = frictionless.validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])

    listed = _rows(out / "offices.csv")
    assert [r["name"] for r in listed] == [office_name(i) for i in range(OFFICES)]
    assert all(r["office_id"] == offices[r["name"]] for r in listed)
    subs = _rows(out / "submissions.csv")
    assert {(r["period_id"], r["status"], r["late"], r["sequence"]) for r in subs} == {
        (PERIOD, "accepted", "false", "1")
    }
    values = _rows(out / "indicator_values.csv")
    for i in range(OFFICES):
        uid = offices[office_name(i)]
        mine = [r for r in values if r["office_id"] == uid]
        assert len(mine) == n_ind
        for pos, ind in enumerate(plan.indicators()):
            row = mine[pos]
            expected = office_value(ind.kind, i, pos)
            code = "2a" if (i, pos) == (VARIED, 1) else ind.code  # renumbered by the office
            assert (row["indicator_code"], row["period_id"]) == (code, PERIOD)
            if ind.kind is IndicatorKind.YES_NO:
                assert row["value_text"] == ("Có" if expected else "Không")
            elif isinstance(expected, float):
                assert float(row["value_number"]) == expected and row["value_text"] == ""
            assert row["assessment"] in {"exceeded", "met", "ahead", "on_track", "behind",
                                         "not_assessable", "no_data", "self_met",
                                         "self_not_met", "self_in_progress"}  # fmt: skip
    renamed = [r for r in values if r["indicator_name"] == RENAMED]
    assert len(renamed) == 1 and renamed[0]["reference_code"] == ""
    renumbered = next(r for r in values if r["indicator_code"] == "2a")
    assert renumbered["reference_code"] == "2"  # matched by its name
    five_g = next(r for r in values if r["office_id"] == offices[office_name(0)]
                  and r["indicator_code"] == "1")  # fmt: skip
    assert (five_g["reference_code"], five_g["target"]) == ("1", "100%")
    tasks = _rows(out / "task_states.csv")
    assert len(tasks) == 3 * n_task
    assert {r["status"] for r in tasks} <= {"done", "in_progress", "not_started", "paused",
                                           "cancelled", "not_reported"}  # fmt: skip


def test_dhis2_data_value_sets(province, capsys):  # noqa: ANN001
    root, db, offices = province
    out = root / "dhis2.json"
    assert main(["receive", "export", "--db", str(db), "--format", "dhis2", "--period", PERIOD,
                 "--out", str(out)]) == 0  # fmt: skip
    data = json.loads(out.read_text(encoding="utf-8"))
    assert list(data) == ["dataValues"]
    values = data["dataValues"]
    plan = load_sample("bim-son")
    filled = [
        (pos, ind) for pos, ind in enumerate(plan.indicators())
        if office_value(ind.kind, 0, pos) is not None
    ]  # fmt: skip
    assert len(values) == 3 * len(filled) - 1  # the renamed indicator matches no data element
    for item in values:
        assert set(item) == {"dataElement", "period", "orgUnit", "value"}
        assert item["period"] == "2026Q1" and isinstance(item["value"], str)
    first = {v["dataElement"]: v["value"] for v in values
             if v["orgUnit"] == offices[office_name(0)]}  # fmt: skip
    assert first["1"] == "0"  # office 0, position 0: (0*7 + 0*3) % 100 = 0 %
    assert first["2"] == "3"
    yes_no = next(ind for ind in plan.indicators() if ind.kind is IndicatorKind.YES_NO)
    assert first[yes_no.code] in {"true", "false"}
    assert capsys.readouterr().out.strip() == (
        f"Đã ghi tệp DHIS2 {out}: 1 kỳ; dataValues {len(values)} dòng."
    )


def test_periods_in_dhis2_format():
    from app.models.periods import parse_period_id

    assert [dhis2_period(parse_period_id(p)) for p in
            ("2026-Y", "2026-H1", "2026-Q3", "2026-M09")] == ["2026", "2026S1", "2026Q3", "202609"]  # fmt: skip


def test_unknown_period_is_refused_with_the_known_ones(province, capsys):  # noqa: ANN001
    root, db, _ = province
    code = main(["receive", "export", "--db", str(db), "--format", "dhis2", "--period",
                 "2026-Q2", "--out", str(root / "x.json")])  # fmt: skip
    assert code != 0
    assert "Chưa nhận gói báo cáo nào của kỳ '2026-Q2'. Các kỳ đã nhận: 2026-Q1." in (
        capsys.readouterr().err
    )
    assert not (root / "x.json").exists()
