"""Text from data stays text in every workbook the application writes.

openpyxl stores any string beginning with "=" as a formula, and Excel and
LibreOffice treat a text cell beginning with "=", "+", "-" or "@" (or a tab or
line break before one) as a formula again the moment someone edits it. A
name imported from a hostile plan, an office name from a package or a
narrative line must never run as a formula at the province. So, right before
a workbook is saved, `keep_texts_as_text` turns every string cell back into a
plain text cell and gives those that begin like a formula Excel's
quote-prefix (the invisible apostrophe), which keeps them text even when
edited. The writers put no formulas into cells on purpose (conditional
formats and drop-down lists are not cells), so nothing legitimate is lost.

Duck-typed on openpyxl's Workbook so the core needs no openpyxl import.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet could read `text` as a formula (leading spaces ignored)."""
    return text.lstrip(" ").startswith(FORMULA_STARTS)


def keep_texts_as_text(workbook: Any) -> int:
    """Make every string cell of `workbook` a text cell; returns how many needed the
    quote prefix. Call right before `workbook.save`."""
    guarded = 0
    for ws in workbook.worksheets:
        # `_cells` holds only the cells written: iter_rows would create every empty one.
        for cell in list(getattr(ws, "_cells", {}).values()):
            value = cell.value
            if not isinstance(value, str):
                continue
            if cell.data_type != "s":
                cell.data_type = "s"
            if looks_like_formula(value):
                cell.quotePrefix = True
                guarded += 1
    return guarded
