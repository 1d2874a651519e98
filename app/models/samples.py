"""The bundled sample plans (transcribed from real plans) and the demo data file."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..paths import resources_dir
from .errors import UserError
from .periods import Period, periods_for
from .plan import IndicatorKind, Plan
from .plan_json import plan_from_json
from .progress import NarrativeSection, TaskStatus
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
    """The periods of this year that ended before `today`: what a demo file has filled in."""
    return [p for p in periods_for(plan.info.reporting, today.year, today.year) if p.end < today]


def fill_demo(store: Store, today: date, seed: int = 57) -> list[str]:
    """Enter plausible values and progress for the periods already past, as a secretary would.

    Values move from the baseline towards the next milestone's target with
    some noise, so the demo shows met, exceeded and lagging indicators.
    Returns the ids of the periods filled.
    """
    rng = random.Random(seed)
    plan = store.plan.load()
    periods = demo_periods(plan, today)
    statuses = list(TaskStatus)
    with store.transaction():
        for step, period in enumerate(periods, start=1):
            share = step / (len(periods) + 1)
            for ind in plan.indicators():
                assert ind.id is not None  # a plan loaded from the store has its ids
                value = _demo_value(ind.kind, ind.baseline.value, ind.targets, share, rng)
                if value is not None:
                    store.entries.set_indicator_value(period.id, ind.id, value)
            for task in plan.tasks():
                assert task.id is not None
                status = rng.choices(statuses, weights=[2, 5, 3 + step, 1, 0.3])[0]
                percent = {TaskStatus.DONE: 100, TaskStatus.NOT_STARTED: 0}.get(
                    status, rng.randrange(10, 95, 5)
                )
                store.entries.set_task_progress(period.id, task.id, status=status, percent=percent)
            store.entries.set_narrative(
                period.id,
                NarrativeSection.LEADERSHIP,
                "Ban Chỉ đạo đã ban hành kế hoạch kiểm tra, đôn đốc các cơ quan, đơn vị triển "
                "khai các nhiệm vụ trọng tâm về khoa học, công nghệ, đổi mới sáng tạo và chuyển "
                "đổi số; tổ chức tuyên truyền, phổ biến Nghị quyết số 57-NQ/TW đến cán bộ, đảng viên "
                "và Nhân dân.",
            )
    return [p.id for p in periods]


def _demo_value(
    kind: IndicatorKind, baseline: object, targets: dict, share: float, rng: random.Random
) -> float | bool | None:
    goal = next((t.value for _, t in sorted(targets.items()) if isinstance(t.value, float)), None)
    if kind is IndicatorKind.YES_NO:
        return rng.random() < 0.3 + share / 2
    if kind is IndicatorKind.QUALITATIVE:
        return None
    start = baseline if isinstance(baseline, float) and not isinstance(baseline, bool) else None
    if goal is None and start is None:
        return None
    start = start if start is not None else (goal or 0) * 0.3
    goal = goal if goal is not None else start * 1.5
    value = start + (goal - start) * share * rng.uniform(0.7, 1.3)
    if kind is IndicatorKind.PERCENT:
        return round(min(max(value, 0.0), 100.0), 1)
    if kind is IndicatorKind.INDEX:
        return round(min(max(value, 0.0), 1.0), 2)
    if kind in (IndicatorKind.COUNT, IndicatorKind.RANK):
        return float(max(round(value), 1 if kind is IndicatorKind.RANK else 0))
    return round(value, 2)
