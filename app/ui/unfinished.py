"""Nothing unfinished goes out: after the refusal, the window takes the secretary there.

A missing signer name or title opens Cài đặt at that field; an empty report
section opens the period's "Nội dung báo cáo" tab at the first empty one. The
cursor is in the field, so she types straight away. The refusal itself is the
core's (packages.export.DocumentUnfinished), the same the command line prints.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ..packages.export import DocumentUnfinished


def take_to_unfinished(
    window: QWidget | None, problem: DocumentUnfinished, period_id: str
) -> QWidget | None:
    """Show the first field the refusal names; the field, or None outside the main window
    (a page shown alone has nowhere to go)."""
    show_page = getattr(window, "show_page", None)
    if show_page is None:
        return None
    if problem.signer_fields:
        return show_page("settings").focus_office_field(problem.signer_fields[0])
    if problem.sections:
        entry = show_page("periods").open_period(period_id)
        return entry.focus_narrative(problem.sections[0])
    return None
