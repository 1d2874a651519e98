import copy
import json

import jsonschema
import pytest

from app.models.errors import UserError
from app.models.plan_json import plan_from_json, plan_to_json
from app.models.samples import load_sample
from app.paths import resources_dir


@pytest.fixture(scope="module")
def doc():
    return plan_to_json(load_sample("thong-nhat"))


def test_documented_keys(doc):
    assert doc["format"] == "theodoi57/plan" and doc["version"] == 1
    assert set(doc["plan"]) >= {"number", "title", "date", "issuer", "milestones"}
    ind = doc["indicator_groups"][0]["indicators"][0]
    assert set(ind) >= {
        "code",
        "name",
        "unit",
        "kind",
        "direction",
        "baseline",
        "targets",
        "lead_agency",
        "note",
    }
    assert set(ind["baseline"]) >= {"value", "text", "as_of"}
    task = doc["task_groups"][0]["tasks"][0]
    assert set(task) >= {"code", "name", "lead_agency", "partners", "output", "deadline"}
    assert set(task["deadline"]) == {"text", "kind", "start", "end"}


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(format="x"), "format phải là"),
        (lambda d: d.update(version=9), "Phiên bản"),
        (lambda d: d["indicator_groups"][0]["indicators"][2].update(kind="big"), "indicator_groups[0].indicators[2].kind: 'big' không hợp lệ"),
        (lambda d: d["indicator_groups"][1]["indicators"][0].update(name=""), "indicator_groups[1].indicators[0].name: thiếu"),
        (lambda d: d["indicator_groups"][0]["indicators"][0].update(targets={"20x": {}}), "năm '20x'"),
        (lambda d: d["indicator_groups"][0]["indicators"][0]["targets"].update({"2030": {"value": "nhiều"}}), "mục tiêu phải là số"),
        (lambda d: d["task_groups"][2]["tasks"][1].update(deadline={"text": "mai"}), "task_groups[2].tasks[1].deadline: Không hiểu thời hạn 'mai'"),
        (lambda d: d["task_groups"][0].update(tasks="x"), "phải là một danh sách"),
        (lambda d: d["plan"].update(date="18/11/2025"), "plan.date"),
        (lambda d: d["plan"].update(reporting=[{"frequency": "weekly"}]), "Chế độ báo cáo"),
        (lambda d: d.update(office=[]), "office: phải là một đối tượng"),
    ],
)  # fmt: skip
def test_bad_json_names_the_place(doc, mutate, message):
    bad = copy.deepcopy(doc)
    mutate(bad)
    with pytest.raises(UserError) as err:
        plan_from_json(bad)
    assert message in err.value.message


def test_output_matches_the_published_schema(doc):
    """`plan show --json` validates against resources/schema/plan.schema.json."""

    schema = json.loads(
        (resources_dir() / "schema" / "plan.schema.json").read_text(encoding="utf-8")
    )
    for name in ("bim-son", "thong-nhat", "phuoc-long", "gia-phuc", "nga-nam"):
        jsonschema.validate(plan_to_json(load_sample(name)), schema)
    bad = copy.deepcopy(doc)
    bad["indicator_groups"][0]["indicators"][0]["kind"] = "big"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
