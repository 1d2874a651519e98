import json
import unicodedata

import pytest

from app.models.deadline import DeadlineKind
from app.models.plan import Comparator, Direction, IndicatorKind, Target
from app.models.plan_json import plan_from_json, plan_to_json
from app.models.samples import list_samples, load_sample, samples_dir


def _strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield k
            yield from _strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _strings(v)


def test_bundled_samples():
    assert [s.name for s in list_samples()] == [
        "bim-son",
        "gia-phuc",
        "nga-nam",
        "phuoc-long",
        "thong-nhat",
    ]


@pytest.mark.parametrize("name", ["bim-son", "thong-nhat", "phuoc-long", "gia-phuc", "nga-nam"])
def test_sample_files_are_nfc_and_load(name):
    raw = json.loads((samples_dir() / f"{name}.json").read_text(encoding="utf-8"))
    assert all(unicodedata.is_normalized("NFC", s) for s in _strings(raw))
    plan = load_sample(name)
    assert plan.indicators() and plan.tasks() and plan.info.reporting
    # Every task's deadline was understood (none fell back to free text).
    assert all(t.deadline is not None for t in plan.tasks())
    # Loading is lossless: JSON → plan → JSON → plan gives the same plan.
    assert plan_from_json(plan_to_json(plan)) == plan


def test_bim_son_counts_and_values():
    plan = load_sample("bim-son")
    assert [len(g.indicators) for g in plan.indicator_groups] == [3, 5, 6, 9, 29]
    assert len(plan.indicators()) == 52
    assert [i.code for i in plan.indicators()] == [str(n) for n in range(1, 53)]
    # Two task appendices. Phụ lục II: 21 tasks numbered 1–21, no groups (one body group).
    # Phụ lục III lists tasks numbered 1–89 in 10 groups; the scanned source lost
    # the page with rows 19–24, so 83 are transcribed (see the sample's notes).
    assert [a.code for a in plan.task_appendices] == ["II", "III"]
    body, *groups = plan.task_groups
    assert (body.appendix, body.code, [t.code for t in body.tasks]) == (
        "II", "", [str(n) for n in range(1, 22)])  # fmt: skip
    assert len(groups) == 10 and {g.appendix for g in groups} == {"III"}
    assert len(plan.tasks()) == 21 + 83
    codes = {int(t.code) for g in groups for t in g.tasks}
    assert codes == set(range(1, 90)) - set(range(19, 25))
    notes = json.loads((samples_dir() / "bim-son.json").read_text(encoding="utf-8"))
    assert any("19" in n and "24" in n for n in notes["transcription_notes"])
    assert plan.info.milestones == [2025, 2030, 2035, 2040, 2045]
    first = plan.indicators()[0]
    assert first.name == "Tỷ lệ phủ sóng 5G trên địa bàn"
    assert first.targets[2025] == Target(None, 65.0, None)
    assert first.targets[2030] == Target(None, 100.0, None)
    fourth = plan.indicators()[3]
    assert fourth.baseline.value == 0.61
    assert fourth.targets[2025] == Target(Comparator.GT, 1.0, None)
    assert fourth.targets[2045] == Target(Comparator.GT, 3.0, None)
    rank = next(i for i in plan.indicators() if i.kind is IndicatorKind.RANK)
    assert rank.direction is Direction.LOWER_BETTER
    assert sum(i.baseline.not_assessed for i in plan.indicators()) == 7
    assert plan.tasks()[0].deadline.kind is DeadlineKind.COMPLETED  # PL II – 1: "Đã hoàn thành"
    assert plan.task_groups[1].tasks[0].deadline.kind is DeadlineKind.MONTH  # PL III – I.1
    assert plan.office.style.value == "party" and plan.info.number == "261-KH/TU"


def test_other_samples():
    tn = load_sample("thong-nhat")
    assert tn.info.number == "4888/KH-UBND" and tn.office.style.value == "state"
    assert len(tn.indicators()) == 23 and len(tn.tasks()) == 51
    assert [g.code for g in tn.task_groups] == ["I", "II", "III", "IV", "V", "VI"]
    assert tn.info.milestones == [2030, 2045]
    pl = load_sample("phuoc-long")
    assert pl.info.milestones == [2026]
    assert len(pl.indicators()) == 16
    assert any(i.kind is IndicatorKind.INDEX for i in pl.indicators())
