"""Plan import from the offices' Excel appendices (Phụ lục I: chỉ tiêu, Phụ lục II: nhiệm vụ). No Qt.

`read_plan_workbook(path)` is the dry run: it checks the file, reads every
sheet and returns an `ImportPreview` (groups, items, each row's parsed values
and every problem with its sheet, row and column) without writing anything.
`apply_import(store, preview)` writes it in one transaction; `plan_changes`
says what that would add, change and remove.
"""

from .apply import ImportChanges, apply_import, plan_changes
from .preview import ImportPreview, Problem, Severity
from .workbook import read_plan_workbook

__all__ = [
    "ImportChanges",
    "ImportPreview",
    "Problem",
    "Severity",
    "apply_import",
    "plan_changes",
    "read_plan_workbook",
]
