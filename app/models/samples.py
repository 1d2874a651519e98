"""The bundled sample plans (transcribed from real plans) and the demo data file."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..paths import resources_dir
from .assessment import assess_path
from .errors import UserError
from .periods import Period
from .plan import Direction, Indicator, IndicatorKind, Plan
from .plan_json import plan_from_json
from .progress import ENTERABLE_STATUSES, NarrativeSection, TaskStatus
from .regime import plan_periods
from .store import Store


@dataclass(frozen=True)
class SampleInfo:
    name: str
    title: str
    path: Path


def samples_dir() -> Path:
    return resources_dir() / "samples"


def list_samples() -> list[SampleInfo]:
    out = []
    for path in sorted(samples_dir().glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        out.append(SampleInfo(path.stem, data.get("sample_title") or data["plan"]["title"], path))
    return out


def load_sample(name: str) -> Plan:
    path = samples_dir() / f"{name}.json"
    if not path.is_file():
        names = ", ".join(s.name for s in list_samples())
        raise UserError(f"Không có kế hoạch mẫu '{name}'. Các mẫu có sẵn: {names}.", "missing")
    return plan_from_json(json.loads(path.read_text(encoding="utf-8")))


def demo_periods(plan: Plan, today: date) -> list[Period]:
    """The plan's regular reports whose period ended before `today`: what a demo file has."""
    return [p for p in plan_periods(plan.info, today) if p.frequency is not None and p.end < today]


# A demo period is a finished report: every narrative section written.
DEMO_NARRATIVE = {
    NarrativeSection.LEADERSHIP: (
        "Ban Chỉ đạo đã ban hành kế hoạch kiểm tra, đôn đốc các cơ quan, đơn vị triển "
        "khai các nhiệm vụ trọng tâm về khoa học, công nghệ, đổi mới sáng tạo và chuyển "
        "đổi số; tổ chức tuyên truyền, phổ biến Nghị quyết số 57-NQ/TW đến cán bộ, đảng viên "
        "và Nhân dân."
    ),
    NarrativeSection.SHORTCOMINGS: (
        "Một số cơ quan, đơn vị cập nhật số liệu chưa kịp thời; nguyên nhân chủ yếu do thiếu "
        "cán bộ chuyên trách về chuyển đổi số."
    ),
    NarrativeSection.DIRECTIONS: (
        "Tiếp tục đôn đốc các cơ quan, đơn vị hoàn thành các nhiệm vụ đúng thời hạn; tập trung "
        "các chỉ tiêu còn chậm so với lộ trình."
    ),
    NarrativeSection.PROPOSALS: "Không.",
}


def fill_demo(store: Store, today: date, seed: int = 57) -> list[str]:
    """Enter plausible values and progress for the periods already past, as a secretary would.

    Most values lie on the path from the baseline to the next milestone (a few
    per cent of noise); one indicator in six lags behind and one in eight runs
    ahead, so the demo shows every assessment. Returns the ids of the periods filled.

    The tasks of a plan's last task appendix draw from the same sequence as the values;
    those of the other appendices (Bỉm Sơn's Phụ lục II, transcribed after the demo was
    made) from a sequence of their own, so adding one changes no other item's demo entry.
    """
    rng = random.Random(seed)
    side = random.Random(seed + 1)
    plan = store.plan.load()
    last = plan.task_appendices[-1].code if plan.task_appendices else ""
    own = {t.id for g in plan.task_groups if g.appendix == last for t in g.tasks}
    periods = demo_periods(plan, today)
    statuses = list(ENTERABLE_STATUSES)
    pace = {ind.id: rng.choice([0.82, 1.0, 1.0, 1.0, 1.0, 1.08]) for ind in plan.indicators()}
    with store.transaction():
        for step, period in enumerate(periods, start=1):
            share = step / (len(periods) + 1)
            for ind in plan.indicators():
                assert ind.id is not None  # a plan loaded from the store has its ids
                value = _demo_value(ind, plan, period, share, pace[ind.id], rng)
                if value is not None:
                    store.entries.set_indicator_value(period.id, ind.id, value)
            for task in plan.tasks():
                assert task.id is not None
                draw = rng if task.id in own else side
                status = draw.choices(statuses, weights=[2, 5, 3 + step, 1, 0.3])[0]
                percent = {TaskStatus.DONE: 100, TaskStatus.NOT_STARTED: 0}.get(
                    status, draw.randrange(10, 95, 5)
                )
                store.entries.set_task_progress(period.id, task.id, status=status, percent=percent)
            for section, text in DEMO_NARRATIVE.items():
                store.entries.set_narrative(period.id, section, text)
    return [p.id for p in periods]


def _demo_value(
    ind: Indicator, plan: Plan, period: Period, share: float, pace: float, rng: random.Random
) -> float | bool | None:
    """A value near the indicator's path at the end of the period's data window."""
    if ind.kind is IndicatorKind.YES_NO:
        return rng.random() < 0.3 + share / 2
    if ind.kind is IndicatorKind.QUALITATIVE:
        return None
    yearly = period.months == 12
    on = period.end if yearly else period.cutoff_end  # the yearly report gives the year's figure
    expected = assess_path(
        ind, 0.0, on, plan_date=plan.info.date, yearly=yearly, tolerance_share=plan.path_tolerance
    ).expected
    if expected is None:  # no path (a target in words): from the baseline towards any number
        goal = next(
            (t.value for _, t in sorted(ind.targets.items()) if isinstance(t.value, float)), None
        )
        start = ind.baseline.value
        start = start if isinstance(start, float) and not isinstance(start, bool) else None
        if goal is None and start is None:
            return None
        start = start if start is not None else (goal or 0) * 0.3
        goal = goal if goal is not None else start * 1.5
        expected = start + (goal - start) * share
    noise = rng.uniform(1.0, 1.03) if yearly else rng.uniform(0.985, 1.015)
    value = expected * pace * noise
    if ind.direction is Direction.LOWER_BETTER:
        value = expected / pace / noise
    if ind.kind is IndicatorKind.PERCENT:
        return round(min(max(value, 0.0), 100.0), 1)
    if ind.kind is IndicatorKind.INDEX:
        return round(min(max(value, 0.0), 1.0), 2)
    if ind.kind in (IndicatorKind.COUNT, IndicatorKind.RANK):
        return float(max(round(value), 1 if ind.kind is IndicatorKind.RANK else 0))
    return round(value, 2)
