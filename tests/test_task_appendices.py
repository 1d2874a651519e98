"""A plan of several task appendices: Bỉm Sơn's Phụ lục II (21 tasks, no groups) and
Phụ lục III (83 tasks in groups I–X), each its own code space.

Imported from the template, from a workbook and a Word document laid out as the
seed, kept in the plan JSON and the store, printed in the report (read back with
pdftotext), keyed in `period values` and the agencies' forms, carried in a signed
package that verifies and consolidates.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import unicodedata
from datetime import date, datetime
from pathlib import Path

import docx
import openpyxl
import pytest

from app.importers.apply import plan_from_preview
from app.importers.plan_template import write_plan_template
from app.importers.word import read_plan_document
from app.importers.workbook import appendix_in, read_plan_workbook
from app.models.errors import UserError
from app.models.plan import Office, TaskAppendix
from app.models.plan_json import plan_from_json, plan_to_json
from app.models.samples import fill_demo, load_sample
from app.models.store import Store
from app.models.task_labels import (
    TaskLookup,
    group_label,
    normal_key,
    task_key,
    task_label,
    task_sections,
)
from app.operations import agency as agency_ops
from app.operations.period import apply_values, period_of
from app.packages.verify import verify_package
from app.receiving.consolidation import consolidate
from app.receiving.ingest import ingest
from app.receiving.store import PackageStatus, Receiving
from app.reports.content import build_report
from app.reports.pdf import render_pdf

from .test_receiving_fixtures import PERIOD, export, make_office, office_key_file
from .word_documents import write_document
from .workbooks import write_workbook

ROOT = Path(__file__).resolve().parents[1]


def _labels(plan) -> dict[str, str]:  # noqa: ANN001
    """label → task name, for every task of the plan."""
    return {task_label(plan, g, t): t.name for g in plan.task_groups for t in g.tasks}


def _check_bim_son(plan) -> None:  # noqa: ANN001
    """21 + 83 tasks with distinct keys, no empty-code group anywhere it is shown."""
    assert [a.code for a in plan.task_appendices] == ["II", "III"]
    per = {a.code: sum(len(g.tasks) for g in plan.task_groups if g.appendix == a.code)
           for a in plan.task_appendices}  # fmt: skip
    assert per == {"II": 21, "III": 83}
    keys = [task_key(plan, g, t) for g in plan.task_groups for t in g.tasks]
    assert len(keys) == len(set(keys)) == len({normal_key(k) for k in keys}) == 104
    labels = _labels(plan)
    assert labels["PL II – 4"].startswith("Cụ thể hóa nhiệm vụ chuyển đổi số")
    assert labels["PL III – II.4"] == next(
        t.name for g in plan.task_groups if g.appendix == "III" and g.code == "II"
        for t in g.tasks if t.code == "4"
    )  # fmt: skip
    assert "PL II – 22" not in labels and "4" not in labels
    sections = task_sections(plan)
    assert [c for c, _, _ in sections] == ["PL II", "PL III", "I", "II", "III", "IV", "V",
                                          "VI", "VII", "VIII", "IX", "X"]  # fmt: skip
    assert len(sections[0][2]) == 21 and sections[1][2] == []
    assert all(code for code, _, _ in sections)  # no group with an empty code is shown
    body = plan.task_groups[0]
    assert group_label(plan, body) == "PL II. Danh mục các nhiệm vụ triển khai"
    assert group_label(plan, plan.task_groups[4]).startswith("PL III – IV. Đầu tư phát triển")


def test_the_sample_holds_both_appendices():
    plan = load_sample("bim-son")
    _check_bim_son(plan)
    assert plan.task_appendices[1] == TaskAppendix(
        "III", "Danh mục các nhiệm vụ giao các Chi bộ, UBND Thị xã lãnh đạo, chỉ đạo, thực hiện"
    )
    data = json.loads((ROOT / "resources/samples/bim-son.json").read_text(encoding="utf-8"))
    assert "Phụ lục II (21 nhiệm vụ" in data["source"] and "Phụ lục III" in data["source"]


def test_plan_json_round_trip_and_one_appendix_as_before():
    plan = load_sample("bim-son")
    data = plan_to_json(plan)
    assert data["task_appendices"][0] == {"code": "II", "title": "Danh mục các nhiệm vụ triển khai"}
    assert {g["appendix"] for g in data["task_groups"]} == {"II", "III"}
    again = plan_from_json(json.loads(json.dumps(data)))
    assert plan_to_json(again) == data
    # A plan of one appendix writes the JSON it wrote before appendices: no new member.
    one = plan_to_json(load_sample("thong-nhat"))
    assert "task_appendices" not in one and all("appendix" not in g for g in one["task_groups"])
    thong_nhat = load_sample("thong-nhat")
    group = thong_nhat.task_groups[0]
    assert task_label(thong_nhat, group, group.tasks[0]) == f"{group.code}.{group.tasks[0].code}"
    assert task_key(thong_nhat, group, group.tasks[0]) == f"{group.code}.{group.tasks[0].code}"


def test_plan_json_refuses_an_unknown_appendix_and_a_repeated_key():
    data = plan_to_json(load_sample("bim-son"))
    wrong = copy.deepcopy(data)
    wrong["task_groups"][3]["appendix"] = "IV"
    with pytest.raises(UserError) as exc:
        plan_from_json(wrong)
    assert exc.value.message.startswith("task_groups[3].appendix: phải là mã một phụ lục")
    twice = copy.deepcopy(data)
    twice["task_groups"][0]["tasks"][4]["code"] = "4"
    with pytest.raises(UserError) as exc:
        plan_from_json(twice)
    assert exc.value.message.startswith("Nhiệm vụ PL II – 4 bị trùng mã")


def test_the_plan_json_validates_against_the_plan_schema():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "resources/schema/plan.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(plan_to_json(load_sample("bim-son")), schema)


def test_the_template_imports_back_to_both_appendices(tmp_path):
    plan = load_sample("bim-son")
    path = write_plan_template(tmp_path / "mau.xlsx", plan)
    wb = openpyxl.load_workbook(path)
    assert [s for s in wb.sheetnames if s.startswith("Phụ lục")] == [
        "Phụ lục I", "Phụ lục II", "Phụ lục III"]  # fmt: skip
    assert [wb["Phụ lục III"].cell(r, 1).value for r in (1, 2)] == [
        "PHỤ LỤC III", plan.task_appendices[1].title]  # fmt: skip
    # the ungrouped appendix has no group row: task 1 right under the header
    assert (wb["Phụ lục II"]["A7"].value, wb["Phụ lục II"]["B7"].value[:9]) == ("1", "Kiện toàn")
    preview = read_plan_workbook(path)
    assert preview.errors == []
    back = plan_from_preview(preview, Office(plan.office.name))
    _check_bim_son(back)
    assert plan_to_json(back)["task_groups"] == plan_to_json(plan)["task_groups"]
    assert plan_to_json(back)["task_appendices"] == plan_to_json(plan)["task_appendices"]
    lines = preview.summary_lines()
    assert "Nhiệm vụ: 104 trong 2 phụ lục" in lines
    assert "  Phụ lục II. Danh mục các nhiệm vụ triển khai: 21 nhiệm vụ" in lines
    assert "Trang 'Phụ lục III': Phụ lục III – nhiệm vụ, tiêu đề ở dòng 5–6" in lines


@pytest.mark.parametrize("kind", ["workbook", "docx"])
def test_a_file_laid_out_as_the_seed_gives_21_and_83_tasks(tmp_path, kind):
    plan = load_sample("bim-son")
    if kind == "workbook":
        preview = read_plan_workbook(write_workbook(tmp_path / "bs.xlsx", plan))
        assert [s.title for s in preview.sheets] == ["Phụ lục I", "Phụ lục II", "Phụ lục III"]
    else:
        preview = read_plan_document(write_document(tmp_path / "bs.docx", plan))
        assert [s.title for s in preview.sheets] == ["Bảng 1", "Bảng 2", "Bảng 3"]
    assert [p.text() for p in preview.errors] == []
    assert [(s.table, s.appendix) for s in preview.sheets] == [
        ("indicators", ""), ("tasks", "II"), ("tasks", "III")]  # fmt: skip
    back = plan_from_preview(preview, Office(plan.office.name))
    _check_bim_son(back)
    assert _labels(back) == _labels(plan)


def _word_table(document, rows: list[list[str]]) -> None:  # noqa: ANN001
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text


def test_word_tables_titled_by_paragraphs_and_a_table_split_over_pages(tmp_path):
    """As a Word plan prints it: the title is text before the table; a table continued on
    the next page (no title of its own) stays in its appendix."""
    document = docx.Document()
    head = ["TT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Thời gian hoàn thành"]
    document.add_paragraph("PHỤ LỤC II:")
    document.add_paragraph("DANH MỤC CÁC NHIỆM VỤ TRIỂN KHAI")
    document.add_paragraph("(Ban hành kèm theo Kế hoạch số 261-KH/TU)")
    _word_table(document, [head, ["1", "Kiện toàn Ban Chỉ đạo", "Ban Tổ chức Thị ủy", "Năm 2025"],
                           ["2", "Số hóa tư liệu", "Văn phòng Thị ủy", "Năm 2026"]])  # fmt: skip
    document.add_paragraph("PHỤ LỤC III - Danh mục các nhiệm vụ giao các Chi bộ, UBND Thị xã")
    _word_table(document, [head, ["I", "Công tác lãnh đạo, chỉ đạo", "", ""],
                           ["1", "Xây dựng Kế hoạch hành động", "Phòng Văn hóa, KH&TT", "Tháng 5/2025"]])  # fmt: skip
    document.add_paragraph("")
    _word_table(document, [head, ["2", "Ban hành quy chế", "Phòng Nội vụ", "Năm 2026"]])
    document.save(str(tmp_path / "kh.docx"))
    preview = read_plan_document(tmp_path / "kh.docx")
    assert [p.text() for p in preview.errors] == []
    assert preview.task_appendices == [
        TaskAppendix("II", "DANH MỤC CÁC NHIỆM VỤ TRIỂN KHAI"),
        TaskAppendix("III", "Danh mục các nhiệm vụ giao các Chi bộ, UBND Thị xã"),
    ]
    plan = plan_from_preview(preview, Office("Thị ủy Bỉm Sơn"))
    assert sorted(_labels(plan)) == ["PL II – 1", "PL II – 2", "PL III – I.1", "PL III – I.2"]
    assert [(g.appendix, g.code, len(g.tasks)) for g in plan.task_groups] == [
        ("II", "", 2), ("III", "I", 2)]  # fmt: skip
    assert [p.text() for p in preview.warnings] == [
        "Bảng 3, dòng 1: bảng không có tiêu đề phụ lục: coi là phần tiếp theo của Phụ lục III, "
        "nhóm I"
    ]


def test_appendix_titles_as_offices_write_them():
    assert appendix_in(["PHỤ LỤC II:", "DANH MỤC CÁC NHIỆM VỤ", "(Kèm theo …)"]) == TaskAppendix(
        "II", "DANH MỤC CÁC NHIỆM VỤ"
    )
    assert appendix_in(["Phụ lục III – Danh mục nhiệm vụ"]) == TaskAppendix(
        "III", "Danh mục nhiệm vụ"
    )
    assert appendix_in(["PHU LUC II", "DANH MUC"]) == TaskAppendix("II", "DANH MUC")
    assert appendix_in(["DANH MỤC CÁC NHIỆM VỤ"]) is None
    assert appendix_in(["Phụ lục kèm theo kế hoạch"]) is None


def test_a_two_appendix_table_without_title_is_an_error(tmp_path):
    document = docx.Document()
    head = ["TT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Thời gian hoàn thành"]
    _word_table(document, [head, ["1", "Nhiệm vụ không rõ phụ lục", "Văn phòng", "Năm 2026"]])
    for code in ("II", "III"):
        document.add_paragraph(f"PHỤ LỤC {code}")
        _word_table(
            document, [head, ["1", f"Nhiệm vụ của phụ lục {code}", "Văn phòng", "Năm 2026"]]
        )
    document.save(str(tmp_path / "kh.docx"))
    preview = read_plan_document(tmp_path / "kh.docx")
    assert [p.text() for p in preview.errors] == [
        "Bảng 1, dòng 1: bảng nhiệm vụ này không có tiêu đề 'PHỤ LỤC …' trong khi tệp có nhiều "
        "phụ lục nhiệm vụ; hãy ghi tiêu đề phụ lục (ví dụ 'PHỤ LỤC II') phía trên bảng"
    ]
    assert not preview.importable


def test_the_store_keeps_appendices_and_period_values_take_their_keys(bim_son_store):
    store = bim_son_store
    plan = store.plan.load()
    _check_bim_son(plan)
    assert plan_to_json(plan)["task_appendices"] == plan_to_json(load_sample("bim-son"))[
        "task_appendices"]  # fmt: skip
    period = period_of(store, "2026-Q1", date(2026, 4, 1))
    outcome = apply_values(store, period, {"tasks": {
        "PL II – 4": {"status": "Đang thực hiện", "percent": 30},
        "III/II.4": {"status": "done"},  # typed by hand: the same task as "PL III – II.4"
        "II.4": {"status": "done"},  # the key of a plan of one appendix: no such task here
    }})  # fmt: skip
    assert outcome.result.problems == [
        "Nhiệm vụ 'II.4' (phụ lục – nhóm.mã, ví dụ 'PL III – IV.4' hoặc 'PL II – 4') không có "
        "trong kế hoạch."
    ]
    outcome = apply_values(store, period, {"tasks": {
        "PL II – 4": {"status": "Đang thực hiện", "percent": 30},
        "pl iii - ii.4": {"status": "done"},
    }})  # fmt: skip
    assert outcome.result.written and outcome.result.problems == []
    lookup = TaskLookup(plan)
    progress = store.entries.task_progress(period.id)
    pl2_4, pl3_4 = lookup.get("PL II – 4"), lookup.get("PL III – II.4")
    assert pl2_4 is not None and pl3_4 is not None and pl2_4.id != pl3_4.id
    assert (progress[pl2_4.id].percent, progress[pl3_4.id].status.value) == (30.0, "done")


def _pdftotext(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"],
                         capture_output=True, check=True).stdout  # fmt: skip
    return unicodedata.normalize("NFC", out.decode("utf-8"))


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_the_report_prints_tasks_by_appendix(bim_son_store, tmp_path):
    store = bim_son_store
    fill_demo(store, date(2026, 4, 10))
    report = build_report(store, "2026-Q1", date(2026, 4, 10),
                          generated_at=datetime(2026, 4, 10, 9, 30).astimezone())  # fmt: skip
    assert [g.label for g in report.task_groups][:3] == [
        "PL II. Danh mục các nhiệm vụ triển khai",
        "PL III – I. Công tác lãnh đạo, chỉ đạo",
        "PL III – II. Nâng cao nhận thức và quyết tâm chính trị, thông tin, truyền thông tạo sự "
        "đồng thuận và phát huy tính sáng tạo của toàn xã hội",
    ]
    assert len(report.tasks) == 104
    late = [t.label for t in report.overdue]
    assert late and all(x.startswith(("PL II – ", "PL III – ")) for x in late)
    path = tmp_path / "bc.pdf"
    path.write_bytes(render_pdf(report))
    text = " ".join(_pdftotext(path).split())
    # the appendix heading rows of the task table, then each group of Phụ lục III
    assert (
        "PHỤ LỤC II CỦA KẾ HOẠCH. DANH MỤC CÁC NHIỆM VỤ TRIỂN KHAI 1 Kiện toàn Ban Chỉ đạo" in text
    )
    assert (
        "PHỤ LỤC III CỦA KẾ HOẠCH. DANH MỤC CÁC NHIỆM VỤ GIAO CÁC CHI BỘ, UBND THỊ XÃ LÃNH ĐẠO"
        in text
    )
    assert "PL II. Danh mục các nhiệm vụ triển khai 21" in text  # the summary per group
    first_late = report.overdue[0]
    assert f"(nhiệm vụ số {first_late.label})" in text


def test_agency_forms_are_keyed_by_appendix(bim_son_store, tmp_path):
    store = bim_son_store
    agency_ops.build_agencies(store, merge=True)
    period = period_of(store, "2026-Q3", date(2026, 9, 1))
    agency_ops.write_forms(store, period, tmp_path / "forms", "Ban Tổ chức Thị ủy")
    (path,) = (tmp_path / "forms").iterdir()
    wb = openpyxl.load_workbook(path)
    ws = wb["Nhiệm vụ"]
    codes = [ws.cell(r, 1).value for r in range(5, ws.max_row + 1) if ws.cell(r, 1).value]
    assert codes == ["PL II – 1", "PL II – 5"]
    header = {c.value: c.column for c in ws[4]}
    ws.cell(5, header["Tình trạng"], "Đã hoàn thành")
    wb.save(tmp_path / "back.xlsx")
    results = agency_ops.collect_forms(store, period, [tmp_path / "back.xlsx"],
                                       received_on=date(2026, 9, 18)).result  # fmt: skip
    assert results[0].problems == []
    task = TaskLookup(store.plan.load()).get("PL II – 1")
    assert task is not None
    assert store.entries.task_progress(period.id)[task.id].status.value == "done"


def test_a_package_of_two_appendices_verifies_and_consolidates(tmp_path):
    keys = tmp_path / "keys"
    keys.mkdir()
    paths = []
    for i in (0, 1):
        store, key = make_office(keys, i)
        with store:
            assert len(store.plan.load().task_appendices) == 2
            paths.append(export(store, key, tmp_path / "inbox"))
    check = verify_package(paths[0], [(keys / "office-00.pub.pem").read_bytes()])
    assert check.ok, check.message
    data = check.data
    assert [a["code"] for a in data["task_appendices"]] == ["II", "III"]
    plan = plan_from_json(data)
    keys_of = [task_key(plan, g, t) for g in plan.task_groups for t in g.tasks]
    assert len(keys_of) == len(set(keys_of)) == 104
    db = tmp_path / "province.sqlite"
    with Receiving.create(db, Office("Ban Thường vụ Tỉnh ủy", level="tỉnh")) as receiving:
        receiving.trust_files([office_key_file(keys, 0), office_key_file(keys, 1)])
        report = ingest(receiving, [tmp_path / "inbox"])
        assert [line.outcome for line in report.lines] == [PackageStatus.ACCEPTED.value] * 2
        result = consolidate(receiving, PERIOD)
    assert len(result.reported) == 2
    overdue = {(t.office.name, t.code) for t in result.overdue}
    codes = {code for _, code in overdue}
    assert codes and all(c.startswith(("PL II – ", "PL III – ")) for c in codes)


def test_plan_show_prints_each_appendix_and_its_labels(bim_son_store, capsys):
    from app.cli import main

    assert main(["plan", "show", "--db", str(bim_son_store.path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    start = lines.index("PHỤ LỤC II. Danh mục các nhiệm vụ triển khai")
    assert lines[start + 4].startswith("   PL II – 4. Cụ thể hóa nhiệm vụ chuyển đổi số")
    assert lines[start + 4].endswith(" — Tháng 5/2025 và hằng năm")
    assert lines[start + 22] == (
        "PHỤ LỤC III. Danh mục các nhiệm vụ giao các Chi bộ, UBND Thị xã lãnh đạo, chỉ đạo, "
        "thực hiện"
    )
    assert lines[start + 23] == "I. Công tác lãnh đạo, chỉ đạo"
    assert lines[start + 24].startswith("   PL III – I.1. Xây dựng Kế hoạch hành động")
    assert not any(line.startswith(". ") for line in lines)  # no group without a code


def test_a_file_of_one_appendix_takes_the_second_by_import_and_keeps_its_entries(tmp_path):
    """An office's data file made before Phụ lục II was transcribed imports the new template:
    Phụ lục II's body and 21 tasks are added, Phụ lục III's groups and tasks stay as they are
    (with their entries), and importing the old one-appendix template goes back."""
    from app.importers.apply import apply_import

    full = load_sample("bim-son")
    old = copy.deepcopy(full)
    old.task_appendices, old.task_groups = [], old.task_groups[1:]
    for group in old.task_groups:
        group.appendix = ""
    with Store.create(tmp_path / "cu.sqlite", old.office, old) as store:
        first = store.plan.load().tasks()[0]
        store.entries.set_task_progress("2026-Q1", first.id, status="done")
        new = read_plan_workbook(write_plan_template(tmp_path / "moi.xlsx", full))
        changes = apply_import(store, new)
        assert (len(changes.added), changes.changed, changes.removed) == (1 + 21, [], [])
        assert changes.added[:2] == [
            "Phụ lục II. Danh mục các nhiệm vụ triển khai",
            "Nhiệm vụ PL II – 1. Kiện toàn Ban Chỉ đạo Thị xã về đột phá phát triển khoa học, "
            "công nghệ, đổi mới sáng tạo và chuyển đổi số",
        ]
        plan = store.plan.load()
        _check_bim_son(plan)

        def shape(p):  # noqa: ANN001, ANN202
            return [(g.appendix, g.code, g.title, [(t.code, t.name) for t in g.tasks])
                    for g in p.task_groups]  # fmt: skip

        assert shape(plan) == shape(full)
        assert store.entries.task_progress("2026-Q1")[first.id].status.value == "done"
        apply_import(store, read_plan_workbook(write_plan_template(tmp_path / "cu.xlsx", old)))
        back = store.plan.load()
        assert back.task_appendices == [] and {g.appendix for g in back.task_groups} == {""}
        assert len(back.tasks()) == 83 and plan_from_json(plan_to_json(back)) is not None
