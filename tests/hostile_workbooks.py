"""The hostile workbook corpus: every way a .xlsx can try to cost time, memory or trust.

`build(folder, large=False)` writes the cases into `folder` and returns them
as `Case(name, kind, path, code, message)` (the same shape as
tests/data/hostile/make_hostile.py, so tests/reliability/hostile_runner.py
can open them in forked children and measure each one's time and memory).
`message` is the exact Vietnamese message expected.

Families:
- dtd: a DTD (internal with entities, external, hidden behind 8 KB of
  comment, or in a UTF-16 part) in every XML part of a real workbook;
- macro: a macro workbook renamed .xlsx, by content type or by its VBA part;
- limits: rows, columns, merged area and ranges, cell length (inline and
  shared), total cells, XML elements — counted while reading, whatever the
  sheet's declared dimension says (always "A1" here);
- large (only with large=True, for `make reliability`): the sizes of the
  issue — 1,048,576 rows, 16,384 columns, whole-sheet and 100,000-row merged
  ranges, a 90 MB cell, a million empty cells.
"""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET = "xl/worksheets/sheet1.xml"
LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)
EXTERNAL = '<!DOCTYPE x SYSTEM "http://example.invalid/x.dtd">'
MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
VBA = "application/vnd.ms-office.vbaProject"


@dataclass(frozen=True)
class Case:
    name: str
    kind: str
    path: str
    code: str
    message: str
    family: str = ""


def base_parts() -> dict[str, bytes]:
    """A real, small plan workbook (openpyxl) as part name -> bytes."""
    wb = Workbook()
    ws = wb.active
    ws.append(["STT", "Nội dung chỉ tiêu", "Đơn vị tính", "Năm 2030"])
    ws.append(["1", "Tỷ lệ phủ sóng 5G", "%", "100%"])
    buffer = io.BytesIO()
    wb.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def write_parts(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def _with_doctype(data: bytes, doctype: str, padding: int = 0, utf16: bool = False) -> bytes:
    text = data.decode("utf-8")
    if text.startswith("<?xml"):
        decl, body = text.split("?>", 1)
        decl += "?>"
    else:
        decl, body = '<?xml version="1.0" encoding="UTF-8"?>', text
    pad = f"<!--{'x' * padding}-->" if padding else ""
    out = f"{decl}\n{pad}{doctype}\n{body.lstrip()}"
    if utf16:
        out = out.replace('encoding="UTF-8"', 'encoding="UTF-16"').replace(
            "encoding='UTF-8'", "encoding='UTF-16'"
        )
        if "encoding=" not in out.split("?>", 1)[0]:
            out = out.replace('<?xml version="1.0"', '<?xml version="1.0" encoding="UTF-16"', 1)
        return out.encode("utf-16")
    return out.encode("utf-8")


def unsafe_message(book: str, part: str) -> str:
    return (
        f"Tệp '{book}' chứa khai báo XML không được phép (DTD hoặc thực thể trong {part}) — "
        "có thể là tệp độc hại, không mở."
    )


def macro_message(book: str, detail: str) -> str:
    return (
        f"Tệp '{book}' là sổ làm việc có macro (VBA hoặc điều khiển ActiveX ({detail})). "
        "Ứng dụng không mở tệp có macro; hãy lưu lại dạng Excel Workbook (.xlsx) không macro."
    )


def sheet_xml(rows: str, merges: list[str] = (), dimension: str = "A1") -> bytes:  # type: ignore[assignment]
    """A worksheet part by hand: the plan header row, then `rows` (raw <row> XML)."""
    header = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>STT</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>Nội dung chỉ tiêu</t></is></c>'
        '<c r="C1" t="inlineStr"><is><t>Đơn vị tính</t></is></c>'
        '<c r="D1" t="inlineStr"><is><t>Năm 2030</t></is></c></row>'
        '<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="inlineStr"><is><t>Tỷ lệ phủ sóng 5G</t>'
        '</is></c><c r="C2" t="inlineStr"><is><t>%</t></is></c><c r="D2"><v>1</v></c></row>'
    )
    merge = ""
    if merges:
        merge = (
            f'<mergeCells count="{len(merges)}">'
            + "".join(f'<mergeCell ref="{m}"/>' for m in merges)
            + "</mergeCells>"
        )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{NS}">'
        f'<dimension ref="{dimension}"/><sheetData>{header}{rows}</sheetData>{merge}</worksheet>'
    ).encode()


def _with_sheet(base: dict[str, bytes], sheet: bytes, **more: bytes) -> dict[str, bytes]:
    return {**base, SHEET: sheet, **more}


def dtd_cases(folder: Path, base: dict[str, bytes]) -> list[Case]:
    cases = []
    for part in sorted(p for p in base if p.endswith((".xml", ".rels"))):
        stem = part.replace("/", "_").replace("[", "").replace("]", "")
        variants = {
            "laughs": _with_doctype(base[part], LAUGHS),
            "external": _with_doctype(base[part], EXTERNAL),
            "padded": _with_doctype(base[part], LAUGHS, padding=8192),
            "utf16": _with_doctype(base[part], EXTERNAL, utf16=True),
        }
        for variant, data in variants.items():
            name = f"dtd-{variant}-{stem}.xlsx"
            path = write_parts(folder / name, {**base, part: data})
            cases.append(
                Case(name, "workbook", str(path), "unsafe", unsafe_message(name, part), "dtd")
            )
    return cases


def macro_cases(folder: Path, base: dict[str, bytes]) -> list[Case]:
    types = base["[Content_Types].xml"].decode()
    main = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    as_xlsm = types.replace(main, MACRO_MAIN).encode()
    vba_default = types.replace(
        "<Default ", f'<Default Extension="bin" ContentType="{VBA}"/><Default ', 1
    ).encode()
    specs = {
        "macro-xlsm-renamed.xlsx": (
            {"[Content_Types].xml": as_xlsm, "xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + bytes(508)},
            "VBA, xl/vbaProject.bin",
        ),
        "macro-content-type-only.xlsx": ({"[Content_Types].xml": as_xlsm}, "/xl/workbook.xml"),
        "macro-vba-default-type.xlsx": ({"[Content_Types].xml": vba_default}, "bin"),
        "macro-vba-part-only.xlsx": (
            {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + bytes(508)},
            "VBA, xl/vbaProject.bin",
        ),
    }
    cases = []
    for name, (parts, detail) in specs.items():
        path = write_parts(folder / name, {**base, **parts})
        if detail.startswith("VBA, "):
            message = (
                f"Tệp '{name}' là sổ làm việc có macro ({detail}). Ứng dụng không mở tệp có "
                "macro; hãy lưu lại dạng Excel Workbook (.xlsx) không macro."
            )
        else:
            message = (
                f"Tệp '{name}' là sổ làm việc có macro (VBA) hoặc điều khiển ActiveX ({detail}). "
                "Ứng dụng không mở tệp có macro; hãy lưu lại dạng Excel Workbook (.xlsx) không "
                "macro."
            )
        cases.append(Case(name, "workbook", str(path), "macro", message, "macro"))
    return cases


def _value_rows(first: int, last: int, cols: int = 1) -> str:
    letters = [_letters(c) for c in range(1, cols + 1)]
    return "".join(
        f'<row r="{r}">' + "".join(f'<c r="{col}{r}"><v>{r}</v></c>' for col in letters) + "</row>"
        for r in range(first, last + 1)
    )


def _letters(col: int) -> str:
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def limit_cases(folder: Path, base: dict[str, bytes]) -> list[Case]:
    long_text = "dài " * 10_000  # 40,000 characters
    shared_long = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="{NS}" count="1" uniqueCount="1">'
        f"<si><t>{long_text}</t></si></sst>"
    )
    specs = [
        (
            "rows-10001-tiny-dimension.xlsx",
            sheet_xml(_value_rows(3, 10_001)),
            {},
            "dữ liệu ở dòng 10.001 của xl/worksheets/sheet1.xml, vượt giới hạn 10.000 dòng cho "
            "một phụ lục kế hoạch — không mở.",
        ),
        (
            "row-1048576.xlsx",
            sheet_xml('<row r="1048576"><c r="A1048576"><v>1</v></c></row>'),
            {},
            "dữ liệu ở dòng 1.048.576 của xl/worksheets/sheet1.xml, vượt giới hạn 10.000 dòng "
            "cho một phụ lục kế hoạch — không mở.",
        ),
        (
            "column-xfd.xlsx",
            sheet_xml('<row r="3"><c r="XFD3"><v>1</v></c></row>'),
            {},
            "dữ liệu ở cột XFD3 của xl/worksheets/sheet1.xml, vượt giới hạn 200 cột cho một phụ "
            "lục kế hoạch — không mở.",
        ),
        (
            "columns-without-refs.xlsx",
            sheet_xml('<row r="3">' + "<c><v>1</v></c>" * 201 + "</row>"),
            {},
            "dữ liệu ở cột GS3 của xl/worksheets/sheet1.xml, vượt giới hạn 200 cột cho một phụ "
            "lục kế hoạch — không mở.",
        ),
        (
            "merge-whole-sheet.xlsx",
            sheet_xml("", ["A1:XFD1048576"]),
            {},
            "vùng gộp ô quá lớn trong xl/worksheets/sheet1.xml (A1:XFD1048576; giới hạn 200.000 "
            "ô được gộp trong một trang) — không mở.",
        ),
        (
            "merge-100000-rows.xlsx",
            sheet_xml("", ["E3:G100002"]),
            {},
            "vùng gộp ô quá lớn trong xl/worksheets/sheet1.xml (E3:G100002; giới hạn 200.000 ô "
            "được gộp trong một trang) — không mở.",
        ),
        (
            "merge-10001-ranges.xlsx",
            sheet_xml("", [f"F{r}:G{r}" for r in range(3, 10_004)]),
            {},
            "quá nhiều vùng gộp ô trong xl/worksheets/sheet1.xml (giới hạn 10.000 vùng) — "
            "không mở.",
        ),
        (
            "cell-40000-chars-inline.xlsx",
            sheet_xml(f'<row r="3"><c r="B3" t="inlineStr"><is><t>{long_text}</t></is></c></row>'),
            {},
            "một ô dài hơn giới hạn 32.767 ký tự (ô B3 trong xl/worksheets/sheet1.xml) — không mở.",
        ),
        (
            "cell-40000-chars-shared.xlsx",
            None,
            {"xl/sharedStrings.xml": shared_long.encode()},
            "một ô dài hơn giới hạn 32.767 ký tự (xl/sharedStrings.xml) — không mở.",
        ),
    ]
    cases = []
    for name, sheet, more, tail in specs:
        parts = {**base, **more} if sheet is None else _with_sheet(base, sheet, **more)
        path = write_parts(folder / name, parts)
        cases.append(
            Case(name, "workbook", str(path), "too_large", f"Tệp '{name}' có {tail}", "limits")
        )
    return cases


def large_cases(folder: Path, base: dict[str, bytes]) -> list[Case]:
    """The sizes of the issue (tens of MB each): for `make reliability` only."""
    cases = []

    def add(name: str, sheet: bytes | None, tail: str, **more: bytes) -> None:
        parts = {**base, **more} if sheet is None else _with_sheet(base, sheet, **more)
        path = write_parts(folder / name, parts)
        cases.append(
            Case(name, "workbook", str(path), "too_large", f"Tệp '{name}' có {tail}", "large")
        )

    add(
        "large-1048576-rows.xlsx",
        sheet_xml(_value_rows(3, 1_048_576)),
        "dữ liệu ở dòng 10.001 của xl/worksheets/sheet1.xml, vượt giới hạn 10.000 dòng cho "
        "một phụ lục kế hoạch — không mở.",
    )
    add(
        "large-16384-columns.xlsx",
        sheet_xml(_value_rows(3, 60, cols=16_384)),
        "dữ liệu ở cột GS3 của xl/worksheets/sheet1.xml, vượt giới hạn 200 cột cho một phụ "
        "lục kế hoạch — không mở.",
    )
    add(
        "large-200001-cells.xlsx",
        sheet_xml(_value_rows(3, 2_004, cols=100)),
        "hơn 200.000 ô có dữ liệu (giới hạn cho một phụ lục kế hoạch) — không mở.",
    )
    add(
        "large-1m-empty-cells.xlsx",
        sheet_xml(
            "".join(
                f'<row r="{r}">'
                + "".join(f'<c r="{_letters(c)}{r}" s="0"/>' for c in range(1, 31))
                + "</row>"
                for r in range(3, 33_003)
            )
        ),
        "quá nhiều thành phần XML (giới hạn 1.000.000) — bất thường đối với một phụ lục kế "
        "hoạch, không mở.",
    )
    add(
        "large-merges-100000-rows.xlsx",
        sheet_xml("", [f"A{r}:D{r}" for r in range(3, 100_003)]),
        "quá nhiều vùng gộp ô trong xl/worksheets/sheet1.xml (giới hạn 10.000 vùng) — không mở.",
    )
    # A 90 MB cell of two letters: ~7:1 compression, under every zip-level limit.
    table = bytes(ord("a") if b & 1 else ord("b") for b in range(256))
    big = os.urandom(90 * 1024 * 1024).translate(table).decode()
    add(
        "large-90mb-cell.xlsx",
        sheet_xml(f'<row r="3"><c r="B3" t="inlineStr"><is><t>{big}</t></is></c></row>'),
        "một ô dài hơn giới hạn 32.767 ký tự (ô B3 trong xl/worksheets/sheet1.xml) — không mở.",
    )
    return cases


RENAMED = "xl/worksheets/sheet1.dat"


def renamed_sheet(base: dict[str, bytes], sheet: bytes) -> dict[str, bytes]:
    """The workbook with its sheet stored as `xl/worksheets/sheet1.dat` (rels and content
    types follow), so a scan by file name alone would miss it."""
    parts = {k: v for k, v in base.items() if k != SHEET}
    for name in ("xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
        parts[name] = parts[name].replace(b"/xl/worksheets/sheet1.xml", b"/" + RENAMED.encode())
    parts[RENAMED] = sheet
    return parts


def renamed_cases(folder: Path, base: dict[str, bytes]) -> list[Case]:
    """A sheet under another name is still a sheet (by its content type) and XML (by its bytes)."""
    dtd = folder / "dtd-renamed-sheet-part.xlsx"
    write_parts(dtd, renamed_sheet(base, _with_doctype(base[SHEET], LAUGHS)))
    rows = folder / "rows-renamed-sheet-part.xlsx"
    write_parts(rows, renamed_sheet(base, sheet_xml(_value_rows(3, 10_001))))
    return [
        Case(dtd.name, "workbook", str(dtd), "unsafe", unsafe_message(dtd.name, RENAMED), "dtd"),
        Case(
            rows.name, "workbook", str(rows), "too_large",
            f"Tệp '{rows.name}' có dữ liệu ở dòng 10.001 của {RENAMED}, vượt giới hạn 10.000 dòng "
            "cho một phụ lục kế hoạch — không mở.",
            "limits",
        ),
    ]  # fmt: skip


def build(folder: Path, large: bool = False) -> list[Case]:
    folder.mkdir(parents=True, exist_ok=True)
    base = base_parts()
    cases = dtd_cases(folder, base) + macro_cases(folder, base) + limit_cases(folder, base)
    cases += renamed_cases(folder, base)
    if large:
        cases += large_cases(folder, base)
    return cases
