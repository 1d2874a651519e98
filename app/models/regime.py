"""The plan's reporting regime: which reports it owes, their data windows and their order.

One place answers, for the grid, the dashboard, the checks and every output:

- which periods the plan has (`plan_periods`): none whose data window ended
  before the plan started, none that begins after the plan's end, the
  shorter report merged into a longer one falling due with it (Q2 into the
  6-month report, Q4 into the yearly one), plus the ad-hoc and review
  reports the secretary added, all in the order they fall due;
- whether an id is one of them (`valid_period`, with the list when not);
- the previous report ("Kỳ trước", `previous_report`): the report just
  before in that order, e.g. H1 2026 → Năm 2025, Q3 2026 → H1 2026;
- the current, owed and unsent reports; the "as of" date of the figures.

Data windows (thời gian chốt số liệu). Nghị định 09/2019/NĐ-CP gives a
window ending on the 14th of the period's last month; it binds state bodies
only and plans set their own due dates, sometimes before that 14th (Bỉm
Sơn's yearly report is due before 25/11). The rule chosen here:

- a state plan uses the Decree's window whenever it ends before the last
  on-time day;
- otherwise (a Party plan, or a Decree cut-off on or after the last on-time
  day) the window ends `cutoff_lead_days` (default 5) days before the last
  on-time day, and never after the period's own last day. Five days is the
  margin the Decree's calendar itself leaves a report due "trước ngày 20"
  (cut-off on the 14th, last on-time day the 19th: Bỉm Sơn's quarterly
  regime): time for the agencies' figures to reach the secretary and for
  the report to be compiled and signed. The day before the due date would
  leave no time; Nghị định 09 wants at least a working day.

A window starts the day after the window of the report before it in the
same chain ends (the previous quarter; for the first half, the previous
yearly report when the plan reports yearly), so consecutive windows tile
with no day lost or counted twice. Every period carries the reason of its
window in Vietnamese (`Period.cutoff_reason`).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import replace
from datetime import date, timedelta

from .errors import UserError
from .periods import (
    DECREE_09_REASON,
    Period,
    ad_hoc_period,
    calendar_span,
    count_in_year,
    decree_09_window,
    default_rule,
    due_dates,
    due_wording,
    split_period_id,
)
from .plan import (
    AdHocReport,
    CutoffPolicy,
    DocumentStyle,
    Frequency,
    PeriodKind,
    PlanInfo,
    ReportingRule,
)
from .text import clean, nfc

_PARTY_NUMBER = re.compile(r"^\s*\d+\s*-\s*[A-ZĐ]+\s*/", re.IGNORECASE)  # 261-KH/TU
_LIST_AT_MOST = 24  # ids listed in a refusal; older ones are elided
_CURRENT_HORIZON = timedelta(days=800)  # the next report is due within two years


# -- the plan's settings -------------------------------------------------------------


def is_party_plan(info: PlanInfo) -> bool:
    """A Party document (Hướng dẫn 36): `info.style`, else the number's form.

    Party numbers put a hyphen before the type code ("261-KH/TU", "05-KH/BCĐ");
    state ones a slash ("4888/KH-UBND"). An unknown form counts as state.
    """
    if info.style is not None:
        return DocumentStyle(info.style) is DocumentStyle.PARTY
    return bool(_PARTY_NUMBER.match(info.number or ""))


def effective_policy(info: PlanInfo) -> CutoffPolicy:
    """AUTO resolved: DECREE_09 for a state plan, BEFORE_DUE for a Party plan."""
    policy = CutoffPolicy(info.cutoff_policy)
    if policy is CutoffPolicy.AUTO:
        return CutoffPolicy.BEFORE_DUE if is_party_plan(info) else CutoffPolicy.DECREE_09
    return policy


def first_day(info: PlanInfo) -> date | None:
    """The plan's start: `info.start`, else the plan's date."""
    return info.start or info.date


def rule_for(info: PlanInfo, frequency: Frequency) -> ReportingRule | None:
    return next((r for r in info.reporting if r.frequency is frequency), None)


def _frequencies(info: PlanInfo) -> list[Frequency]:
    return sorted({r.frequency for r in info.reporting}, key=lambda f: f.months)


def _has_yearly(info: PlanInfo) -> bool:
    return rule_for(info, Frequency.YEAR) is not None


# -- one period ----------------------------------------------------------------------


def _previous_in_chain(info: PlanInfo, f: Frequency, year: int, index: int) -> tuple:
    """The period whose window ends the day before this one's starts."""
    if f is Frequency.HALF and index == 1 and _has_yearly(info):
        return Frequency.YEAR, year - 1, 1  # the second half is the yearly report
    if index > 1:
        return f, year, index - 1
    return f, year - 1, count_in_year(f)


def _window_end(info: PlanInfo, f: Frequency, year: int, index: int) -> tuple[date, str]:
    """End of the data window and the reason for it (Vietnamese)."""
    rule = rule_for(info, f) or default_rule(f)
    written, due = due_dates(rule, year, index)
    decree_end = decree_09_window(f, year, index)[1]
    policy = effective_policy(info)
    if policy is CutoffPolicy.DECREE_09 and decree_end < due:
        return decree_end, DECREE_09_REASON
    lead = info.cutoff_lead_days
    period_end = calendar_span(f, year, index)[1]
    end = min(due - timedelta(days=lead), period_end)
    deadline = f"hạn nộp: {due_wording(written, rule.strict)}"
    if due - timedelta(days=lead) > period_end:
        how = f"chốt số liệu đến hết kỳ báo cáo {period_end:%d/%m/%Y} ({deadline})"
    else:
        how = (
            f"chốt số liệu {lead} ngày trước ngày cuối cùng của hạn nộp {due:%d/%m/%Y} ({deadline})"
        )
    decree = f"mốc chốt {decree_end:%d/%m/%Y} của Nghị định 09/2019/NĐ-CP"
    if policy is CutoffPolicy.DECREE_09:
        why = (
            f"hạn nộp sớm hơn {decree}"
            if decree_end > due
            else f"{decree} trùng ngày cuối cùng của hạn nộp"
        )
        return end, f"Kết thúc trước hạn nộp báo cáo vì {why}: {how}"
    if CutoffPolicy(info.cutoff_policy) is CutoffPolicy.AUTO:
        reason = f"Văn bản của Đảng, không áp dụng Nghị định 09/2019/NĐ-CP: {how}"
    else:
        reason = f"Theo kế hoạch: {how}"
    if decree_end > due:
        reason += f"; {decree} muộn hơn hạn nộp"
    elif decree_end == due:
        reason += f"; {decree} trùng ngày cuối cùng của hạn nộp"
    return end, reason


def regime_period(info: PlanInfo, frequency: Frequency, year: int, index: int) -> Period:
    """The period with its due date, wording and data window under the plan's policy.

    Whether the plan owes it is `plan_periods`' question, not this one's.
    """
    rule = rule_for(info, frequency) or default_rule(frequency)
    written, due = due_dates(rule, year, index)
    start, end = calendar_span(frequency, year, index)
    cutoff_end, reason = _window_end(info, frequency, year, index)
    before = _window_end(info, *_previous_in_chain(info, frequency, year, index))[0]
    return Period(
        end=end,
        start=start,
        frequency=frequency,
        year=year,
        index=index,
        cutoff_start=before + timedelta(days=1),
        cutoff_end=cutoff_end,
        due=due,
        cutoff_reason=reason,
        due_text=due_wording(written, rule.strict),
    )


def period_of(info: PlanInfo, period_id: str) -> Period:
    """Any id as the plan's regime would compute it (no check that the plan owes it).

    For reading what is already there (an old file's 2026-H2, a received
    package); entries and exports go through `valid_period`.
    """
    frequency, year, index = split_period_id(period_id)
    if frequency is None:
        return _ad_hoc(info, period_id)
    return regime_period(info, frequency, year, index)


def _ad_hoc(info: PlanInfo, period_id: str, upto: date | None = None) -> Period:
    wanted = period_id.strip().upper()
    for report in info.ad_hoc:
        if (report.id or "").upper() == wanted:
            return ad_hoc_period(report)
    raise UserError(
        f"Không có báo cáo đột xuất, sơ kết mã '{wanted}' trong kế hoạch."
        + _valid_list(info, upto),
        "missing",
    )


# -- merging -------------------------------------------------------------------------


def _neighbour_due(info: PlanInfo, f: Frequency, year: int, index: int, step: int) -> date:
    index += step
    if index < 1:
        year, index = year - 1, count_in_year(f)
    elif index > count_in_year(f):
        year, index = year + 1, 1
    rule = rule_for(info, f) or default_rule(f)
    return due_dates(rule, year, index)[1]


def _generated(info: PlanInfo, f: Frequency, index: int) -> bool:
    """The rule's period exists at all (a 6-month rule with a yearly one: first half only)."""
    return not (f is Frequency.HALF and index == 2 and _has_yearly(info))


def merged_into(info: PlanInfo, period: Period) -> Period | None:
    """The longer report that takes this one in, or None.

    With `merge_shorter`, a report is merged into a longer one of the regime
    that ends on the same day (Q2 and H1 end on 30/6, Q4 and the year on
    31/12) and falls due between the previous and the next report of the
    shorter frequency: Bỉm Sơn's H1 (before 15/6) takes Q2 (before 20/6),
    its yearly report (before 25/11) takes Q4 (before 20/12). Only a report
    the plan owes takes another in: a Q2 owed after an H1 from before the
    plan's start stays.
    """
    f = period.frequency
    if not info.merge_shorter or f is None or rule_for(info, f) is None:
        return None
    low = _neighbour_due(info, f, period.year, period.index, -1)
    high = _neighbour_due(info, f, period.year, period.index, +1)
    best = None
    for longer in _frequencies(info):
        if longer.months <= f.months or period.end.month % longer.months:
            continue
        index = period.end.month // longer.months
        if not _generated(info, longer, index):
            continue
        candidate = regime_period(info, longer, period.year, index)
        if candidate.end == period.end and low < candidate.due < high and _owed(info, candidate):
            best = candidate
    return best


# -- the plan's periods ----------------------------------------------------------------


def _owed(info: PlanInfo, p: Period) -> bool:
    start, end = first_day(info), info.end
    if start is not None and p.cutoff_end < start:
        return False  # the data window closed before the plan existed
    return end is None or p.start <= end


def plan_periods(info: PlanInfo, upto: date, since: date | None = None) -> list[Period]:
    """The reports of the plan that have begun by `upto`, in the order they fall due.

    Regular periods: from the plan's start (a period whose data window ends
    before it is not owed) to its end (a period beginning after it is not
    owed), merged shorter reports left out, those whose calendar span has
    begun on or before `upto`. Ad-hoc and review reports are all listed
    (they exist because the secretary added them). `since` drops reports
    whose span ends before it.
    """
    start = first_day(info)
    first_year = start.year - 1 if start else upto.year
    last_year = upto.year if info.end is None else min(upto.year, info.end.year)
    out = []
    for f in _frequencies(info):
        for year in range(first_year, last_year + 1):
            for index in range(1, count_in_year(f) + 1):
                if not _generated(info, f, index):
                    continue
                p = regime_period(info, f, year, index)
                if p.start > upto or not _owed(info, p):
                    continue
                if merged_into(info, p) is None:
                    out.append(p)
    out.extend(ad_hoc_period(r) for r in info.ad_hoc if r.id)
    if since is not None:
        out = [p for p in out if p.end >= since]
    return sorted(out)


def valid_period(info: PlanInfo, period_id: str, upto: date) -> Period:
    """The period `period_id` if the plan owes it by `upto`; else UserError saying why,
    with the valid ids ("Kỳ 2026-M05 không thuộc chế độ báo cáo của kế hoạch. Các kỳ
    hợp lệ: 2025-H1, 2025-Q3, …")."""
    frequency, year, index = split_period_id(period_id)
    if frequency is None:
        return _ad_hoc(info, period_id, upto)
    pid = period_id.strip().upper()
    for p in plan_periods(info, upto):
        if p.id == pid:
            return p
    p = regime_period(info, frequency, year, index)
    start = first_day(info)
    if rule_for(info, frequency) is None:
        why = f"Kỳ {pid} không thuộc chế độ báo cáo của kế hoạch."
    elif not _generated(info, frequency, index):
        why = f"Kỳ {pid}: báo cáo 6 tháng cuối năm là báo cáo năm ({year}-Y)."
    elif start is not None and p.cutoff_end < start:
        why = (
            f"Kỳ {pid} ({p.label}) chốt số liệu ngày {p.cutoff_end:%d/%m/%Y}, "
            f"trước khi kế hoạch bắt đầu ({start:%d/%m/%Y})."
        )
    elif info.end is not None and p.start > info.end:
        why = f"Kỳ {pid} ({p.label}) ở sau khi kế hoạch kết thúc ({info.end:%d/%m/%Y})."
    elif (into := merged_into(info, p)) is not None:
        why = (
            f"Kỳ {pid} ({p.label}) được gộp vào báo cáo {into.title_label} ({into.id}) "
            "theo chế độ báo cáo của kế hoạch."
        )
    else:
        why = f"Kỳ {pid} ({p.label}) chưa bắt đầu (từ ngày {p.start:%d/%m/%Y})."
    raise UserError(why + _valid_list(info, upto), "invalid_period")


def _valid_list(info: PlanInfo, upto: date | None) -> str:
    if upto is None:
        ids = [r.id for r in info.ad_hoc if r.id]
    else:
        ids = [p.id for p in plan_periods(info, upto)]
    if not ids:
        return " Kế hoạch chưa có kỳ báo cáo nào."
    if len(ids) > _LIST_AT_MOST:
        ids = ["…", *ids[-_LIST_AT_MOST:]]
    return " Các kỳ hợp lệ: " + ", ".join(ids) + "."


def previous_report(info: PlanInfo, period: Period) -> Period | None:
    """The previous report ("Kỳ trước"): the regular one just before `period` in order.

    H1 2026 of a 6-month and yearly plan → Năm 2025; Q3 2026 → H1 2026 when
    Q2 is merged into H1; the plan's first report → None. Ad-hoc and review
    reports are never anyone's previous report (their windows are arbitrary);
    theirs is the last regular report due before them.
    """
    upto = max(period.due, period.end, period.start)
    earlier = [p for p in plan_periods(info, upto) if p.regular and p < period]
    return earlier[-1] if earlier else None


def current_period(info: PlanInfo, today: date) -> Period | None:
    """The regular report due next (on or after `today`); None after the plan's last one.

    Among reports due the same day the longest wins (it takes in the others).
    """
    due = [p for p in plan_periods(info, today + _CURRENT_HORIZON) if p.regular and p.due >= today]
    if not due:
        return None
    return min(due, key=lambda p: (p.due, -p.months))


def owed_periods(info: PlanInfo, today: date, sent: Collection[str] = ()) -> list[Period]:
    """Reports of the plan past their due date (last on-time day before `today`),
    ad-hoc ones included, leaving out the ids in `sent`."""
    return [p for p in plan_periods(info, today) if p.due < today and p.id not in sent]


def as_of(period: Period, report_date: date) -> date:
    """The date the figures speak of: the report's date, or the end of the data
    window when the report is made after it."""
    return min(report_date, period.cutoff_end)


# -- ad-hoc and review reports ----------------------------------------------------------------


def check_ad_hoc(report: AdHocReport, where: str = "") -> AdHocReport:
    """The report with its title cleaned (NFC) and enums converted, or UserError."""
    prefix = f"{where}: " if where else ""
    try:
        kind = PeriodKind(report.kind)
    except ValueError:
        kind = None
    if kind not in (PeriodKind.AD_HOC, PeriodKind.REVIEW):
        raise UserError(f"{prefix}loại báo cáo phải là 'ad_hoc' (đột xuất) hoặc 'review' (sơ kết).")
    title = clean(nfc(report.title or ""))
    if not title:
        raise UserError(f"{prefix}chưa có tên báo cáo (ví dụ: Báo cáo sơ kết 6 tháng).")
    if len(title) > 300:
        raise UserError(f"{prefix}tên báo cáo dài quá 300 ký tự.")
    for name, value in (
        ("start", report.start),
        ("end", report.end),
        ("deadline", report.deadline),
    ):
        if not isinstance(value, date) or not 1900 < value.year < 2200:
            raise UserError(f"{prefix}ngày '{name}' không hợp lệ.")
    if report.start > report.end:
        raise UserError(
            f"{prefix}ngày bắt đầu chốt số liệu ({report.start:%d/%m/%Y}) sau ngày kết thúc "
            f"({report.end:%d/%m/%Y})."
        )
    due = report.deadline - timedelta(days=1) if report.strict else report.deadline
    if report.end > due:
        raise UserError(
            f"{prefix}số liệu chốt đến ngày {report.end:%d/%m/%Y}, sau hạn nộp "
            f"({due_wording(report.deadline, bool(report.strict))})."
        )
    if report.id is not None:
        f, _, _ = split_period_id(report.id)
        if f is not None:
            raise UserError(f"{prefix}mã '{report.id}' không phải mã báo cáo đột xuất (2026-A01).")
    return replace(report, kind=kind, title=title, strict=bool(report.strict),
                   id=report.id.strip().upper() if report.id else None)  # fmt: skip
