"""Time and sequence rules at the receiving office, judged on a verified package.

A signature proves who made a package, not that what it says about time is
sensible: a clock set to 2031 or 1999, a period that has not ended, a period
the sender's own plan does not have, or a correction of a sequence that is
not lower than its own would all be recorded and judged "on time" or "late"
from the package's word alone. These rules refuse them, each with its reason:

- the period must be open for reporting by the receiver's date: no earlier
  than EARLY_WINDOW before its due day, or its end when that comes first (a
  plan may ask for a quarter's report before the quarter ends, "trước ngày
  20" of its last month, so "ended" alone would refuse honest reports); and belong to the sender's plan: its frequency among the
  plan's reporting rules, its dates inside the plan's start and end;
- `created_at` may not be before the period's first day, nor later than the
  receiver's clock plus CLOCK_TOLERANCE (clocks of commune PCs drift, and
  time zones differ; a day covers both);
- a correction names the original it corrects with a lower sequence, and an
  original names none. A correction whose original never arrived is accepted
  but flagged "thiếu bản gốc" (rules.decide), so the officer asks for it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from ..models.errors import UserError
from ..models.periods import split_period_id
from .store import Arrival

CLOCK_TOLERANCE = timedelta(days=1)
# How long before its due day (or its end, when that comes first) a period's report may come.
EARLY_WINDOW = timedelta(days=15)


def _day(text: Any) -> date | None:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def time_problem(arrival: Arrival, now: datetime) -> tuple[str, str] | None:
    """(reason code, Vietnamese reason) when the package's dates cannot be right, else None."""
    period = (arrival.data or {}).get("period") or {}
    pid = arrival.period_id or ""
    start, end = _day(period.get("start")), _day(period.get("end"))
    if start is None or end is None or start > end:
        return "bad_period", f"Kỳ {pid} trong gói có ngày bắt đầu, kết thúc không hợp lệ."
    today = now.date()
    due = _day(period.get("due"))
    if due is None or due < start:
        return "bad_period", f"Hạn nộp báo cáo kỳ {pid} trong gói không hợp lệ."
    opens = max(start, min(end, due) - EARLY_WINDOW)
    if today < opens:
        return "period_not_ended", (
            f"Kỳ {pid} ({start:%d/%m/%Y}–{end:%d/%m/%Y}, hạn nộp {due:%d/%m/%Y}) chưa đến lúc "
            f"báo cáo (hôm nay {today:%d/%m/%Y}): chưa nhận báo cáo của kỳ chưa kết thúc."
        )
    if problem := _outside_plan(arrival.data or {}, pid, start, end):
        return "outside_plan", problem
    try:
        created = datetime.fromisoformat(arrival.created_at or "")
    except ValueError:
        return "bad_created_at", "Thời điểm lập gói (created_at) không đọc được."
    if created.tzinfo is None:
        created = created.astimezone()
    if created.date() < start:
        return "created_before_period", (
            f"Gói ghi lập lúc {created:%d/%m/%Y %H:%M}, trước ngày bắt đầu kỳ {pid} "
            f"({start:%d/%m/%Y}): đồng hồ máy của đơn vị sai hoặc gói bị làm giả."
        )
    if created > now.astimezone() + CLOCK_TOLERANCE:
        hours = int(CLOCK_TOLERANCE.total_seconds() // 3600)
        return "created_in_future", (
            f"Gói ghi lập lúc {created:%d/%m/%Y %H:%M}, muộn hơn giờ của máy tiếp nhận "
            f"({now:%d/%m/%Y %H:%M}) quá {hours} giờ cho phép: đồng hồ máy của đơn vị sai."
        )
    return None


def _outside_plan(data: dict[str, Any], pid: str, start: date, end: date) -> str | None:
    found = data.get("plan")
    plan: dict[str, Any] = found if isinstance(found, dict) else {}
    listed = plan.get("reporting")
    rules: list[Any] = listed if isinstance(listed, list) else []
    frequencies = {r.get("frequency") for r in rules if isinstance(r, dict)}
    try:
        frequency = split_period_id(pid)[0]
    except UserError:
        return f"Mã kỳ {pid} không hợp lệ."
    if frequencies and frequency is not None and frequency.value not in frequencies:
        return f"Kế hoạch của đơn vị không có kỳ báo cáo loại của kỳ {pid}."
    if frequency is None:  # an ad-hoc or review report: one the sender's plan created
        created = plan.get("ad_hoc")
        reports = [r for r in (created if isinstance(created, list) else [])
                   if isinstance(r, dict) and r.get("id") == pid]  # fmt: skip
        if not reports:
            return (
                f"Kế hoạch của đơn vị không có báo cáo đột xuất, sơ kết {pid} (chưa được "
                "yêu cầu hoặc chưa tạo trong kế hoạch của đơn vị)."
            )
    plan_start, plan_end = _day(plan.get("start")), _day(plan.get("end"))
    if plan_start is not None and end < plan_start or plan_end is not None and start > plan_end:
        return f"Kỳ {pid} nằm ngoài thời gian của kế hoạch của đơn vị."
    return None


def sequence_problem(arrival: Arrival) -> tuple[str, str] | None:
    """(code, reason) when `kind`, `corrects` and `sequence` do not agree, else None."""
    seq = arrival.sequence or 0
    if arrival.kind == "correction":
        if arrival.corrects is None:
            return "bad_correction", "Gói bổ sung, điều chỉnh không ghi nó điều chỉnh lần gửi nào."
        if not 1 <= arrival.corrects < seq:
            return "bad_correction", (
                f"Gói lần gửi {seq} ghi là điều chỉnh lần gửi {arrival.corrects}: bản được điều "
                "chỉnh phải có số lần gửi nhỏ hơn."
            )
    elif arrival.corrects is not None:
        return "bad_correction", (
            f"Gói lần gửi {seq} là báo cáo lần đầu nhưng lại ghi điều chỉnh lần gửi "
            f"{arrival.corrects}."
        )
    return None
