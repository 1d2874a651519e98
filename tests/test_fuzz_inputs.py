"""Fuzzing: whatever comes in, the readers answer or refuse cleanly, never crash.

Property: the value, target, number and deadline parsers, the plan importer
(mutated workbook bytes), plan_from_json, the data.json schema check and the
package verifier (byte flips, truncation, member reordering, re-zipping,
re-signed hostile data.json) either return a result or raise UserError
(the verifier: a VerifyResult with a known reason code). Also: the fast
data.json check (app/exporters/schema_check.py) gives fastjsonschema's
verdict on every mutated document, so it never accepts what the schema
refuses.

Examples per property: 40 in `make test`, 2,000 under `make reliability`
(THEODOI57_RELIABILITY=1).
"""

from __future__ import annotations

import copy
import io
import json
import os
import zipfile
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import fastjsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.importers.workbook import read_plan_workbook
from app.models.deadline import parse_deadline
from app.models.errors import UserError
from app.models.plan import IndicatorKind
from app.models.plan_json import plan_from_json, plan_to_json
from app.models.samples import load_sample
from app.models.values import parse_number, parse_target, parse_value
from app.packages import format as fmt
from app.packages.canonical_zip import read_members
from app.packages.verify import MESSAGES, verify_package

FULL = os.environ.get("THEODOI57_RELIABILITY", "") not in ("", "0")
FUZZ = settings(
    max_examples=2000 if FULL else 40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
pytestmark = pytest.mark.reliability

# Text that looks like what offices type, plus anything at all.
NUMBERISH = st.text(alphabet="0123456789,.-+%≥≤<>= eE∞IVXLQuýnămthángđến/", max_size=30)
TEXT = st.one_of(NUMBERISH, st.text(max_size=60))
JSON_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20),
)  # fmt: skip
JSON = st.recursive(
    JSON_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)


@FUZZ
@given(kind=st.sampled_from(list(IndicatorKind)), raw=TEXT)
def test_value_and_target_parsers_answer_or_refuse(kind: IndicatorKind, raw: str) -> None:
    for parse in (parse_value, parse_target):
        try:
            parse(kind, raw)
        except UserError as exc:
            assert exc.message
    try:
        number = parse_number(raw)
    except UserError as exc:
        assert exc.message
    else:
        assert number is None or isinstance(number, float | int)


@FUZZ
@given(raw=st.one_of(TEXT, st.from_regex(r"(Quý|Tháng|Năm|trước|Từ) [IVX0-9/. -]{0,15}")))
def test_deadline_parser_answers_or_refuses(raw: str) -> None:
    try:
        deadline = parse_deadline(raw)
    except UserError as exc:
        assert exc.message
    else:
        if deadline is not None and deadline.start and deadline.end:
            assert deadline.start <= deadline.end


def _mutate(tree: Any, data: st.DataObject) -> Any:
    """Replace or delete one node somewhere in a copy of `tree` (hypothesis-driven walk)."""
    tree = copy.deepcopy(tree)
    parent, key, node = None, None, tree
    while isinstance(node, dict | list) and node and data.draw(st.booleans()):
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        parent, key = node, data.draw(st.sampled_from(keys))
        node = node[key]
    if parent is None:
        return data.draw(JSON)
    if isinstance(parent, dict) and data.draw(st.integers(0, 4)) == 0:
        del parent[key]
    else:
        parent[key] = data.draw(JSON)
    return tree


@lru_cache(maxsize=1)
def _plan_json() -> dict[str, Any]:
    return plan_to_json(load_sample("bim-son"))


@FUZZ
@given(data=st.data())
def test_plan_from_json_loads_or_names_the_problem(data: st.DataObject) -> None:
    doc = _mutate(_plan_json(), data)
    try:
        plan_from_json(doc)
    except UserError as exc:
        assert exc.message


@lru_cache(maxsize=1)
def _package() -> tuple[bytes, dict[str, bytes], Any, Path]:
    """A real signed package of the Bỉm Sơn sample (built once per session)."""
    import tempfile

    from app.models.samples import fill_demo
    from app.models.store import Store
    from app.packages.export import export_package
    from app.packages.signing_keys import generate_key

    folder = Path(tempfile.mkdtemp(prefix="theodoi57-fuzz-"))
    key = generate_key(folder / "key.pem", "mật khẩu kiểm thử")
    plan = load_sample("bim-son")
    with Store.create(folder / "office.sqlite", plan.office, plan) as store:
        fill_demo(store, date(2026, 4, 10))
        result = export_package(store, "2026-Q1", folder, key, today=date(2026, 4, 10))
    blob = result.path.read_bytes()
    members = {m.name: bytes(m.data) for m in read_members(blob)}
    return blob, members, key, folder


@lru_cache(maxsize=1)
def _data_json() -> dict[str, Any]:
    _, members, _, _ = _package()
    name = next(n for n in members if n.endswith("/data/data.json"))
    return json.loads(members[name])


def _verify_blob(blob: bytes, name: str = "goi.zip") -> Any:
    _, _, key, folder = _package()
    path = folder / "fuzz" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(blob)
    result = verify_package(path, [key])
    assert result.code in MESSAGES, result.code
    assert result.message
    return result


@FUZZ
@given(data=st.data())
def test_verifier_refuses_every_mutation_cleanly(data: st.DataObject) -> None:
    blob, members, _, _ = _package()
    how = data.draw(st.sampled_from(["flip", "truncate", "insert", "reorder", "rezip", "drop"]))
    if how == "flip":
        at = data.draw(st.integers(0, len(blob) - 1))
        bit = data.draw(st.integers(0, 7))
        mutated = blob[:at] + bytes([blob[at] ^ (1 << bit)]) + blob[at + 1 :]
    elif how == "truncate":
        mutated = blob[: data.draw(st.integers(0, len(blob) - 1))]
    elif how == "insert":
        at = data.draw(st.integers(0, len(blob)))
        mutated = blob[:at] + data.draw(st.binary(min_size=1, max_size=64)) + blob[at:]
    else:
        names = list(members)
        if how == "reorder":
            names = data.draw(st.permutations(names))
        if how == "drop":
            names.remove(data.draw(st.sampled_from(names)))
        method = zipfile.ZIP_DEFLATED if how == "rezip" else zipfile.ZIP_STORED
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", method) as zf:
            for name in names:
                zf.writestr(name, members[name])
        mutated = buffer.getvalue()
    result = _verify_blob(mutated)
    if mutated != blob and how != "reorder":
        assert not result.ok
    if how == "reorder" and result.ok:  # only the canonical order is valid
        assert list(names) == sorted(members, key=lambda n: n.encode())


@FUZZ
@given(data=st.data())
def test_fast_schema_check_agrees_with_fastjsonschema(data: st.DataObject) -> None:
    doc = _mutate(_data_json(), data)
    fast = fmt.fast_data_check()
    assert fast is not None, "schema_check no longer covers the schema's keywords"
    try:
        fmt.data_validator()(doc)
        reference = True
    except fastjsonschema.JsonSchemaValueException:
        reference = False
    assert fast(doc) is reference
    assert (fmt.schema_problem(doc) is None) is reference


def test_fast_schema_check_agrees_on_edge_values() -> None:
    """Values where JSON Schema and Python disagree about types (1.0, True, NaN, 1e400)."""
    base = _data_json()
    fast, reference = fmt.fast_data_check(), fmt.data_validator()
    assert fast is not None and fast(base)
    edge = [True, False, 1.0, 1.5, float("nan"), float("inf"), -0.0, 10**30, "", "2026-02-30",
            "2024-02-29\n", "2026-Q1\n", None, [], {}]  # fmt: skip
    places = [("data_version",), ("version",), ("period", "id"), ("period", "start"),
              ("values", 0, "indicator_id"), ("values", 0, "value"), ("progress", 0, "percent"),
              ("indicator_groups", 0, "indicators", 0, "id"), ("plan", "milestones", 0),
              ("indicator_groups", 0, "indicators", 0, "targets"), ("narrative",)]  # fmt: skip
    for place in places:
        for value in edge:
            doc = copy.deepcopy(base)
            node = doc
            for step in place[:-1]:
                node = node[step]
            node[place[-1]] = value
            try:
                reference(doc)
                expected = True
            except fastjsonschema.JsonSchemaValueException:
                expected = False
            assert fast(doc) is expected, (place, value)


@FUZZ
@given(data=st.data())
def test_verifier_handles_hostile_data_json_in_a_signed_package(data: st.DataObject) -> None:
    from tests.data.hostile.make_hostile import resign

    _, members, key, _ = _package()
    if data.draw(st.booleans()):
        content = json.dumps(_mutate(_data_json(), data), allow_nan=True).encode()
    else:
        content = data.draw(st.binary(max_size=200))
    result = _verify_blob(resign(members, key, {"data/data.json": content}))
    if not result.ok:
        assert result.code == "schema_invalid", result.message


@lru_cache(maxsize=1)
def _workbook() -> bytes:
    import tempfile

    from tests.workbooks import write_workbook

    path = Path(tempfile.mkdtemp(prefix="theodoi57-fuzz-")) / "plan.xlsx"
    write_workbook(path, load_sample("bim-son"))
    return path.read_bytes()


@FUZZ
@given(data=st.data())
def test_importer_reads_or_refuses_mutated_workbooks(data: st.DataObject, tmp_path_factory) -> None:  # noqa: ANN001
    blob = _workbook()
    how = data.draw(st.sampled_from(["flip", "truncate", "part"]))
    if how == "flip":
        at = data.draw(st.integers(0, len(blob) - 1))
        blob = blob[:at] + bytes([blob[at] ^ 0xFF]) + blob[at + 1 :]
    elif how == "truncate":
        blob = blob[: data.draw(st.integers(0, len(blob) - 1))]
    else:  # one XML part replaced by random bytes, re-zipped
        with zipfile.ZipFile(io.BytesIO(blob)) as zf:
            parts = {i.filename: zf.read(i) for i in zf.infolist()}
        victim = data.draw(st.sampled_from(sorted(parts)))
        parts[victim] = data.draw(st.binary(max_size=300))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, content in parts.items():
                zf.writestr(name, content)
        blob = buffer.getvalue()
    path = tmp_path_factory.mktemp("wb") / "phu-luc.xlsx"
    path.write_bytes(blob)
    try:
        preview = read_plan_workbook(path)
    except UserError as exc:
        assert exc.message and exc.code
    else:
        assert preview.summary_lines()
