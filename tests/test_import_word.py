"""`plan import FILE.docx`: a Word document's appendix tables read like a workbook's."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from app.cli import main
from app.importers import read_plan_workbook
from app.importers.word import read_plan_document
from app.models.errors import UserError
from app.models.samples import load_sample

from .word_documents import write_document
from .workbooks import write_workbook

pytest.importorskip("docx")


def _without_source(preview):  # noqa: ANN001, ANN202
    return preview.indicator_groups, preview.task_groups, preview.milestones


@pytest.mark.parametrize("encoding", ["unicode", "tcvn3", "vni"])
def test_word_tables_import_as_the_same_plan_as_the_workbook(tmp_path, encoding):
    plan = load_sample("bim-son")
    doc = read_plan_document(write_document(tmp_path / "ke-hoach.docx", plan, encoding))
    book = read_plan_workbook(write_workbook(tmp_path / "ke-hoach.xlsx", plan, encoding))
    assert [p.text() for p in doc.problems if p.severity == "error"] == []
    assert _without_source(doc) == _without_source(book)
    assert [s.title for s in doc.sheets] == ["Bảng 1", "Bảng 2", "Bảng 3"]  # PL I, II, III
    assert (doc.indicator_count(), doc.task_count()) == (52, 21 + 83)
    five_g = doc.indicator_groups[0].indicators[0]
    assert (five_g.name, five_g.unit, five_g.targets[2030].value) == (
        "Tỷ lệ phủ sóng 5G trên địa bàn",
        "%",
        100.0,
    )
    assert five_g.lead_agency == plan.indicators()[0].lead_agency
    assert (doc.plan_number, doc.plan_date) == (plan.info.number, plan.info.date)
    if encoding != "unicode":
        assert {s.encoding for s in doc.sheets} == {encoding}


def test_problems_name_the_table_row_and_column(tmp_path):
    plan = load_sample("bim-son")
    plan.indicators()[0].targets[2030].value = 150.0  # an impossible percentage
    doc = read_plan_document(write_document(tmp_path / "sai.docx", plan))
    (problem,) = [p for p in doc.problems if p.severity == "error"]
    assert problem.text().startswith("Bảng 1, dòng 8, cột 'Năm 2030': ")
    assert "150%" in problem.message


def test_command_line_dry_run_of_a_docx(tmp_path, capsys):  # noqa: ANN001
    path = write_document(tmp_path / "ke-hoach.docx", load_sample("thong-nhat"))
    db = tmp_path / "x.sqlite"
    assert main(["plan", "import", str(path), "--db", str(db), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Bảng 1: Phụ lục I – chỉ tiêu, tiêu đề ở dòng 4–5" in out
    assert "Chỉ tiêu: 23 trong 2 nhóm (mốc năm: 2030, 2045)" in out
    assert "Nhiệm vụ: 51 trong 6 nhóm" in out
    assert "Chạy thử: sẽ tạo tệp dữ liệu mới" in out
    assert not db.exists()


def _docx_with(tmp_path: Path, name: str, extra: dict[str, bytes]) -> Path:
    path = write_document(tmp_path / "base.docx", load_sample("phuoc-long"))
    out = tmp_path / name
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = extra.pop(info.filename, None)
            dst.writestr(info, data if data is not None else src.read(info))
        for member, data in extra.items():
            dst.writestr(member, data)
    return out


def test_refusals(tmp_path):
    old = tmp_path / "ke-hoach.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    with pytest.raises(UserError) as refused:
        read_plan_document(old)
    assert refused.value.message == (
        "Tệp 'ke-hoach.doc' là văn bản Word 97–2003 (.doc). Hãy mở bằng Word và lưu lại dạng "
        "Word Document (.docx), rồi nhập tệp .docx."
    )
    renamed = tmp_path / "bang.docx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    renamed.write_bytes(buffer.getvalue())
    with pytest.raises(UserError, match="là bảng tính Excel được đặt đuôi .docx"):
        read_plan_document(renamed)
    dtd = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
    evil = _docx_with(tmp_path, "evil.docx", {"word/styles.xml": dtd})
    with pytest.raises(UserError) as refused:
        read_plan_document(evil)
    assert refused.value.message == (
        "Tệp 'evil.docx' chứa khai báo XML không được phép (word/styles.xml) — có thể là tệp "
        "độc hại, không mở."
    )
    empty = tmp_path / "trong.docx"
    import docx

    docx.Document().save(str(empty))
    preview = read_plan_document(empty)
    assert not preview.importable
    assert (
        preview.problems[0]
        .text()
        .startswith("Bảng 1, dòng 1: không tìm thấy bảng Phụ lục I (danh mục các chỉ tiêu)")
    )
