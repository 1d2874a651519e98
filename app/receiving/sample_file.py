"""A sample receiving data file, made through the real path: offices, keys, signed packages.

For a sample plan with a receiving body (models/receiving_samples.py: Ngã Năm's
culture office and two communes) the receiving officer gets a file to try the
receiving window and the `receive` commands on, with nothing staged by hand:
each commune gets its own data file holding its copy of the sample plan (with
its own starting point for each numeric indicator, which the town's plan does
not give), the demo values of every yearly report already past (`fill_demo`,
each commune its own seed; qualitative indicators its own judgement), its own
signing key and office key file, and exports a signed
package per report; the receiving file registers both communes, trusts their
office key files and ingests the packages. The commune marked `late_last`
sends its latest report four days after the due date, the other two days
before: the matrix shows "đúng hạn" and "trễ hạn".

The file is made on demand rather than shipped, so it always has the current
schema and package format. Given the same `today` the values, states and
consolidation are the same every time; the keys (and so fingerprints and
signatures) are fresh ones.

Beside the receiving file, in `<name>-cac-don-vi/`, stay what the communes
hold — their data files, their keys (passphrase DEMO_PASSPHRASE) — and the
packages, which the receiving window opens to show a commune's PDF. Nothing
is half-written: the receiving file is built under a hidden name and renamed
into place once whole; the folder carries a marker file (UNFINISHED) until
then, and a folder still marked is removed on failure or on the next try.
"""

from __future__ import annotations

import contextlib
import random
import shutil
import threading
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

from ..models.atomic_file import disk_error_message, fsync_dir
from ..models.errors import UserError
from ..models.long_work import Progress, checkpoint, no_progress
from ..models.plan import IndicatorKind, Plan
from ..models.receiving_samples import (
    DEMO_PASSPHRASE,
    ReceivingSample,
    SampleOffice,
    receiving_sample,
)
from ..models.samples import fill_demo, load_sample
from ..models.store import Store
from ..models.text import slug
from ..packages.export import export_package
from ..packages.key_binding import office_key_name, write_office_key
from ..packages.pdf_signing import VIETNAM
from ..packages.signing_keys import OfficeKey, generate_key
from .ingest import IngestReport, ingest
from .store import Receiving

UNFINISHED = ".dang-tao"
CANCELLED = "Đã hủy tạo tệp tiếp nhận mẫu; không có tệp nào được giữ lại."
ON_TIME = (-2, time(9, 30))  # days from the due day, time of day: 09:30 two days before
LATE = (4, time(14, 0))  # 14:00 four days after the due day
BASELINE_AS_OF = "Năm 2024"
BASELINE_DIGITS = {IndicatorKind.PERCENT: 1, IndicatorKind.INDEX: 2, IndicatorKind.RATIO: 2,
                   IndicatorKind.COUNT: 0}  # fmt: skip
SELF_JUDGEMENTS = ("Đạt", "Đang thực hiện", "Đang thực hiện", "Chưa đạt")
SELF_NOTE = "Số liệu minh họa: đơn vị tự đánh giá theo kết quả triển khai trong kỳ."


@dataclass(frozen=True)
class SampleReceiving:
    """What was made: the receiving file, the folder beside it, the reports received."""

    path: Path
    folder: Path
    receiver: str
    offices: tuple[str, ...]
    periods: tuple[str, ...]
    ingest: IngestReport


def companion_folder(path: Path) -> Path:
    """The folder beside the receiving file holding the communes' files and packages."""
    return path.with_name(f"{path.stem}-cac-don-vi")


def build_sample_receiving(
    path: Path,
    sample: str,
    today: date,
    progress: Progress = no_progress,
    cancel: threading.Event | None = None,
) -> SampleReceiving:
    """Make the sample receiving file of `sample` at `path`; see the module docstring.

    `today` is the day the receiving officer looks: every report of the plan's
    regime whose period ended before it is filled, sent and received (none yet:
    a UserError).
    """
    spec = receiving_sample(sample)
    path = Path(path)
    folder = companion_folder(path)
    _check_free(path, folder)
    plan = load_sample(spec.sample)  # the town's own plan: the reference for consolidation
    plan.office = replace(spec.receiver, recipients=list(spec.receiver.recipients))
    building = path.with_name(f".{path.name}.sample.tmp")
    _remove_file(building)
    steps = len(spec.offices) + 1
    try:
        _start_folder(folder)
        periods: list[str] = []
        keys: list[Path] = []
        for i, office in enumerate(spec.offices):
            checkpoint(cancel, CANCELLED)
            progress(i, steps, f"Đang lập tệp dữ liệu và gửi báo cáo của {office.name}")
            periods, key_file = _send_reports(spec, office, folder, today)
            keys.append(key_file)
        checkpoint(cancel, CANCELLED)
        progress(steps - 1, steps, f"Đang nhận các gói báo cáo vào tệp của {plan.office.name}")
        report = _receive(building, spec, plan, keys, folder / "goi", today)
        checkpoint(cancel, CANCELLED)
        try:
            building.replace(path)
            fsync_dir(path.parent)
        except OSError as exc:
            raise UserError(disk_error_message(exc, path), "disk") from None
    except BaseException:
        _remove_file(building)
        if (folder / UNFINISHED).exists():
            shutil.rmtree(folder, ignore_errors=True)
        raise
    # the file is in place and owns the folder now: a marker that cannot go stays harmless
    # (with the file there, the folder is never removed)
    with contextlib.suppress(OSError):
        (folder / UNFINISHED).unlink(missing_ok=True)
    progress(steps, steps, "Đã tạo tệp tiếp nhận mẫu")
    names = tuple(o.name for o in spec.offices)
    return SampleReceiving(path, folder, plan.office.name, names, tuple(periods), report)


def _start_folder(folder: Path) -> None:
    """The companion folder, marked unfinished before anything else is written in it."""
    try:
        folder.mkdir(parents=True)
        (folder / UNFINISHED).write_text(
            "Thư mục đang được tạo (receive demo); còn tệp này là chưa xong và sẽ bị xóa.\n",
            encoding="utf-8",
        )
        (folder / "goi").mkdir()
    except OSError as exc:
        raise UserError(disk_error_message(exc, folder / UNFINISHED), "disk") from None


def _check_free(path: Path, folder: Path) -> None:
    """Refuse to overwrite; a folder left by an interrupted run (still marked) is removed."""
    if path.exists():
        raise UserError(f"Tệp '{path}' đã có; chọn tên khác để tạo tệp tiếp nhận mẫu.", "exists")
    if folder.exists() and (folder / UNFINISHED).is_file():
        shutil.rmtree(folder, ignore_errors=True)
    if folder.exists():
        raise UserError(
            f"Thư mục '{folder}' đã có (của một tệp tiếp nhận mẫu khác?); hãy xóa hoặc đổi "
            "tên thư mục đó, hoặc chọn tên khác cho tệp tiếp nhận.",
            "exists",
        )


def _send_reports(
    spec: ReceivingSample,
    office: SampleOffice,
    folder: Path,
    today: date,
) -> tuple[list[str], Path]:
    """One commune: its data file with demo values, its key, a signed package per report.

    Returns the periods sent and the office key file the receiving office trusts.
    """
    plan = _office_plan(spec, office)
    name = slug(office.name)
    with Store.create(folder / f"{name}.sqlite", plan.office, plan) as store:
        periods = fill_demo(store, today, seed=office.seed)
        _self_assess(store, periods, office.seed)
        if not periods:
            raise UserError(
                f"Chưa có kỳ báo cáo nào của kế hoạch mẫu '{spec.sample}' kết thúc trước ngày "
                f"{today:%d/%m/%Y}: tệp tiếp nhận mẫu cần ít nhất một kỳ đã kết thúc.",
                "no_period",
            )
        key = generate_key(folder / "khoa" / f"{name}.pem", DEMO_PASSPHRASE)
        office_uid = store.packages.office_uid()
        assert office_uid is not None  # made on first use
        key_file = write_office_key(key, office_uid, office.name,
                                    folder / "khoa" / office_key_name(office.name))  # fmt: skip
        for pid in periods:
            late = office.late_last and pid == periods[-1]
            _export(store, pid, folder / "goi", key, late)
    return periods, key_file


def _office_plan(spec: ReceivingSample, office: SampleOffice) -> Plan:
    """The office's copy of the sample plan: its own letterhead and signer, and its own
    starting point (hiện trạng, năm 2024) for each numeric indicator, which the town's
    plan does not give — 45–75 % of the first milestone's target, from the office's
    seed — so its reports judge each value on a path to the milestone."""
    plan = load_sample(spec.sample)
    plan.office = office.office(plan.office.province)
    rng = random.Random(office.seed)
    for ind in plan.indicators():
        if ind.kind not in BASELINE_DIGITS or ind.baseline.value is not None:
            continue
        goal = next((t.value for _, t in sorted(ind.targets.items())
                     if isinstance(t.value, float | int) and not isinstance(t.value, bool)),
                    None)  # fmt: skip
        if goal:
            start = round(goal * rng.uniform(0.45, 0.75), BASELINE_DIGITS[ind.kind])
            ind.baseline = replace(ind.baseline, value=float(start), as_of=BASELINE_AS_OF)
    return plan


def _self_assess(store: Store, periods: list[str], seed: int) -> None:
    """The office's own judgement of each qualitative indicator (fill_demo leaves them
    empty), with the note a self-assessment needs: a consolidation of words, not blanks."""
    rng = random.Random(seed)
    plan = store.plan.load()
    with store.transaction():
        for period_id in periods:
            for ind in plan.indicators():
                if ind.kind is IndicatorKind.QUALITATIVE:
                    assert ind.id is not None  # a plan loaded from the store has its ids
                    judgement = rng.choice(SELF_JUDGEMENTS)
                    store.entries.set_indicator_value(period_id, ind.id, judgement, SELF_NOTE)


def _export(store: Store, period_id: str, out: Path, key: OfficeKey, late: bool) -> None:
    days, hour = LATE if late else ON_TIME
    moment = datetime.combine(store.period(period_id).due + timedelta(days=days), hour, VIETNAM)
    export_package(
        store, period_id, out, key, today=moment.date(), attachments=False, created_at=moment
    )


def _receive(
    building: Path,
    spec: ReceivingSample,
    plan: Plan,
    keys: list[Path],
    inbox: Path,
    today: date,
) -> IngestReport:
    """The receiving file under its hidden name: the communes, their keys, their packages.

    The receiver's clock for the time rules is `today` (the day looked at), so a
    file made for a day to come still receives what was sent before it.
    """
    with Receiving.create(building, plan.office, plan) as receiving:
        for office, key_file in zip(spec.offices, keys, strict=True):
            reporting = receiving.add_office(office.name, office.level)
            receiving.trust_files([key_file], reporting.id)
        now = datetime.combine(today, time(8), VIETNAM)
        report = ingest(receiving, [inbox], now=now)
        refused = [line for line in report.lines if line.outcome != "accepted"]
        if refused:  # the sample is made by this application: a refusal is a fault in it
            raise UserError(f"Gói mẫu không được nhận: {refused[0].text()}", "sample")
        receiving.store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return report


def _remove_file(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)
