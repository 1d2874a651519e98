"""The wizard's import preview shows its problems at any size: in the summary, then first in
the table (issue 22: "3 lỗi" with none of them visible)."""

from __future__ import annotations

from pathlib import Path

from app.importers.preview import ImportPreview, ParsedRow, Problem, Severity
from app.models.plan import Task
from app.ui.import_preview import PreviewView


def test_problems_are_listed_in_the_summary_and_first_in_the_table(qtbot) -> None:  # noqa: ANN001
    rows = [ParsedRow("Phụ lục II", 8 + n, "task", Task(code=str(n), name=f"Nhiệm vụ {n}"))
            for n in range(1, 30)]  # fmt: skip
    problems = [
        Problem("Phụ lục II", 30 + n, "Thời hạn", f"thời hạn 'sớm' {n} không đọc được")
        for n in range(6)
    ] + [Problem("Phụ lục II", 9, None, "tên rất ngắn", Severity.WARNING)]
    preview = ImportPreview(source=Path("ke-hoach.xlsx"), problems=problems, rows=rows,
                            has_tasks=True)  # fmt: skip
    view = PreviewView()
    qtbot.addWidget(view)
    view.show_preview(preview)
    summary = view.summary.text()
    assert "Vấn đề: 6 lỗi, 1 lưu ý" in summary
    assert "[Lỗi] Trang 'Phụ lục II', dòng 30, cột 'Thời hạn': thời hạn 'sớm' 0" in summary
    assert "… và 2 vấn đề khác (đầu bảng dưới đây)." in summary
    model = view.model
    first = [model.index(r, 1).data() for r in range(7)]
    assert first == ["30", "31", "32", "33", "34", "35", "9"]  # errors, then the warning
    assert model.index(7, 5).data() == ""  # then the rows read cleanly
