"""Operations on the data file itself: create, demo, create from an import, backup, restore."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..models.backup import backup, restore
from ..models.change import Change, Outcome, Subject
from ..models.errors import UserError
from ..models.long_work import Progress, checkpoint, no_progress
from ..models.plan import Office, Plan
from ..models.store import Store
from ..models.summary import Summary, summarize

if TYPE_CHECKING:
    from ..importers.preview import ImportPreview


def create_data_file(path: Path, office: Office, plan: Plan | None = None) -> Outcome[Path]:
    """A new data file for `office`, optionally holding `plan`, in one transaction."""
    with Store.create(path, office, plan):
        pass
    return Outcome(Path(path), Change(Subject.DATA_FILE))


def create_from_sample(path: Path, sample: str, office_name: str | None = None) -> Outcome[Path]:
    """A new data file holding a bundled sample plan (renamed to `office_name` if given)."""
    from ..models.samples import load_sample  # the resources folder: not for `status`

    plan = load_sample(sample)
    if office_name:
        plan.office.name = office_name
    return create_data_file(path, plan.office, plan)


def create_from_import(path: Path, preview: ImportPreview, office_name: str) -> Outcome[Path]:
    """A new data file holding exactly what an import preview read."""
    if not preview.importable:
        first = preview.errors[0].text() if preview.errors else "tệp không có bảng nào"
        raise UserError(f"Không nhập được kế hoạch: {first}")
    from ..importers.apply import plan_from_preview  # the workbook stack, when importing

    plan = plan_from_preview(preview, Office(name=office_name))
    return create_data_file(path, plan.office, plan)


def create_demo(path: Path, today: date, sample: str = "bim-son") -> Outcome[list[str]]:
    """The demo data file: a sample with the periods already past filled in."""
    from ..models.samples import fill_demo, load_sample

    plan = load_sample(sample)
    with Store.create(path, plan.office, plan) as store:
        filled = fill_demo(store, today)
    return Outcome(filled, Change(Subject.DATA_FILE))


def status(db_path: Path, today: date) -> Summary:
    """Counts, the current period, overdue tasks, indicators off track (a read)."""
    with Store.open(db_path) as store:
        return summarize(store, today)


def backup_data_file(
    db_path: Path,
    target: Path,
    progress: Progress = no_progress,
    cancel: threading.Event | None = None,
) -> Outcome[Path]:
    """An online, checked, atomic copy of the data file (nothing in it changes)."""
    progress(0, 1, f"Đang sao lưu vào {target}…")
    checkpoint(cancel, "Đã hủy sao lưu; không có tệp nào được ghi.")
    written = backup(Path(db_path), Path(target))
    progress(1, 1, "Đã sao lưu")
    return Outcome(written)


def restore_data_file(
    db_path: Path,
    source: Path,
    progress: Progress = no_progress,
    cancel: threading.Event | None = None,
) -> Outcome[Path | None]:
    """Check the backup, keep the current file aside (its path is the result), replace.

    The caller must have closed its connection to `db_path` first."""
    progress(0, 1, f"Đang khôi phục từ {source}…")
    checkpoint(cancel, "Đã hủy khôi phục; tệp dữ liệu không thay đổi.")
    kept = restore(Path(db_path), Path(source))
    progress(1, 1, "Đã khôi phục")
    return Outcome(kept, Change(Subject.DATA_FILE, fields=frozenset({"*"})))
