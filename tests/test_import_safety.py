"""Hostile and broken files are refused with a clear Vietnamese message before parsing."""

from __future__ import annotations

import zipfile
from pathlib import Path

import defusedxml
import defusedxml.ElementTree
import openpyxl
import pytest
from openpyxl import Workbook

from app.importers import safety
from app.importers.workbook import read_plan_workbook
from app.models.errors import UserError
from app.models.samples import load_sample

from .workbooks import write_workbook

BOMB = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
)


@pytest.fixture
def book(tmp_path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["STT", "Nội dung chỉ tiêu", "Đơn vị tính", "Năm 2030"])
    ws.append(["1", "Tỷ lệ phủ sóng 5G", "%", "100%"])
    path = tmp_path / "ok.xlsx"
    wb.save(path)
    return path


def _rewrite(source: Path, target: Path, change) -> Path:  # noqa: ANN001
    """Copy the zip at `source` to `target`, passing each part through `change`."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info))
            if data is not None:
                zout.writestr(info.filename, data)
        extra = change("__extra__", b"")
        if extra:
            for name, data in extra:
                zout.writestr(name, data)
    return target


def _refused(path: Path, fragment: str) -> None:
    with pytest.raises(UserError) as err:
        read_plan_workbook(path)
    assert fragment in err.value.message
    assert path.name in err.value.message


def test_openpyxl_parses_with_defusedxml():
    from openpyxl.xml import functions

    assert openpyxl.DEFUSEDXML is True
    assert functions.iterparse is defusedxml.ElementTree.iterparse


def _with_dtd(name: str, data: bytes) -> bytes | None:
    if name == "xl/worksheets/sheet1.xml":
        body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
        return BOMB + body
    return None if name == "__extra__" else data


def test_xml_entity_bomb_is_refused_before_parsing(book, tmp_path):
    bomb = _rewrite(book, tmp_path / "bomb.xlsx", _with_dtd)
    _refused(bomb, "khai báo XML không được phép")


def test_defusedxml_stops_the_bomb_even_without_our_check(book, tmp_path, monkeypatch):
    bomb = _rewrite(book, tmp_path / "bomb.xlsx", _with_dtd)
    with pytest.raises(ValueError) as err:
        openpyxl.load_workbook(bomb)
    cause = err.value.__cause__ or err.value.__context__
    assert isinstance(cause, defusedxml.DefusedXmlException)  # EntitiesForbidden
    # And if our pre-check ever missed one, the message still says why.
    from app.importers import workbook

    monkeypatch.setattr(workbook, "check_workbook_file", lambda p: safety.WorkbookCheck(0, 0))
    _refused(bomb, "khai báo XML không được phép")


def test_zip_bomb_is_refused(book, tmp_path):
    def add_bomb(name, data):
        if name == "__extra__":
            return [("xl/media/image1.png", b"\0" * (5 * 1024 * 1024))]
        return data

    _refused(_rewrite(book, tmp_path / "zipbomb.xlsx", add_bomb), "nén bất thường")


def test_absurd_sizes_are_refused(book, tmp_path, monkeypatch):
    def huge_dimension(name, data):
        if name == "xl/worksheets/sheet1.xml":
            return data.replace(b'<dimension ref="A1:D2"/>', b'<dimension ref="A1:XFD1048576"/>')
        return None if name == "__extra__" else data

    # The declared dimension is never trusted (nor feared): cells are counted while
    # reading (tests/test_hostile_files.py has the sheets that really are huge).
    assert read_plan_workbook(
        _rewrite(book, tmp_path / "cells.xlsx", huge_dimension)
    ).has_indicators
    monkeypatch.setattr(safety, "MAX_UNZIPPED_BYTES", 2000)
    _refused(book, "khi giải nén")
    monkeypatch.setattr(safety, "MAX_FILE_BYTES", 1000)
    _refused(book, "quá lớn")


def test_wrong_and_broken_files(book, tmp_path):
    cases = {
        "old.xlsx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "Excel 97–2003"),
        "scan.xlsx": (b"%PDF-1.7\n" + b"x" * 100, "là tệp PDF"),
        "page.xlsx": (b"<html><body>not a sheet</body></html>", "trang web"),
        "empty.xlsx": (b"", "rỗng"),
        "junk.xlsx": (b"PK\x03\x04garbage", "bị hỏng hoặc chưa tải về hết"),
        "half.xlsx": (
            book.read_bytes()[: book.stat().st_size // 2],
            "bị hỏng hoặc chưa tải về hết",
        ),
        "text.xlsx": ("Tên nhiệm vụ;Thời gian".encode(), "không phải là bảng tính Excel"),
    }
    for name, (data, fragment) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        _refused(path, fragment)
    docx = tmp_path / "report.xlsx"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<document/>")
    _refused(docx, "văn bản Word")
    with pytest.raises(UserError, match="Không tìm thấy tệp"):
        read_plan_workbook(tmp_path / "missing.xlsx")


def test_malformed_xml_inside_a_valid_zip(book, tmp_path):
    def break_sheet(name, data):
        if name == "xl/worksheets/sheet1.xml":
            return data[: len(data) // 2]
        return None if name == "__extra__" else data

    _refused(_rewrite(book, tmp_path / "cut.xlsx", break_sheet), "bị hỏng, không đọc được")


def test_external_links_are_ignored_not_followed(tmp_path):
    book = write_workbook(tmp_path / "bs.xlsx", load_sample("bim-son"), tasks=False)

    def add_link(name, data):
        if name == "__extra__":
            link = (
                b'<?xml version="1.0"?><externalLink xmlns="http://schemas.openxmlformats.org/'
                b'spreadsheetml/2006/main"><externalBook r:id="rId1" xmlns:r="http://schemas.'
                b'openxmlformats.org/officeDocument/2006/relationships"/></externalLink>'
            )
            return [("xl/externalLinks/externalLink1.xml", link)]
        return data

    linked = _rewrite(book, tmp_path / "linked.xlsx", add_link)
    preview = read_plan_workbook(linked)
    assert preview.importable and preview.indicator_count() == 52
    assert any("liên kết tới tệp khác" in p.message for p in preview.warnings)
