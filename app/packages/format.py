"""Package format v1: names, tag files and data.json, shared by the exporter and verifier.

docs/package-format.md is the reference for another system; this module is
the same rules in code. A package is a BagIt 1.0 bag (RFC 8493) zipped in
canonical form (see package_zip), with two tag files of our own:
`package.json` (who, which period, which key) and `signature.ed25519` (the
raw 64-byte Ed25519 signature of `tagmanifest-sha256.txt`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..models.text import slug
from ..paths import resources_dir

if TYPE_CHECKING:  # the verifier reads packages without any data file
    from ..models.periods import Period
    from ..models.store import Store

FORMAT = "theodoi57/package"
VERSION = 1
DATA_FORMAT = "theodoi57/report-data"
BAGIT_TXT = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
BAGIT, BAG_INFO, MANIFEST = "bagit.txt", "bag-info.txt", "manifest-sha256.txt"
PACKAGE_JSON, TAGMANIFEST, SIGNATURE = "package.json", "tagmanifest-sha256.txt", "signature.ed25519"
TAG_FILES = (BAGIT, BAG_INFO, MANIFEST, PACKAGE_JSON)  # what the tag manifest covers
ALL_TAG_FILES = frozenset((*TAG_FILES, TAGMANIFEST, SIGNATURE))
REPORT_PDF, REPORT_XLSX, DATA_JSON = "data/report.pdf", "data/report.xlsx", "data/data.json"
_PACKAGE_NAME = re.compile(
    r"^BC_[a-z0-9-]+_[0-9]{4}-(M[0-9]{2}|Q[1-4]|H[12]|Y|A[0-9]{2,3})_[0-9]+$"
)


def package_name(office_name: str, period_id: str, sequence: int) -> str:
    """`BC_<office-slug>_<period>_<seq>`: the zip's stem and its single top folder."""
    return f"BC_{slug(office_name)[:60].strip('-') or 'don-vi'}_{period_id}_{sequence}"


def valid_package_name(name: str) -> bool:
    return bool(_PACKAGE_NAME.match(name))


def attachment_path(task_code: str, index: int, file_name: str, taken: set[str]) -> str:
    """An ASCII, collision-free payload path for an evidence file: data/attachments/…"""
    stem, dot, ext = file_name.rpartition(".")
    if not dot:
        stem, ext = ext, ""
    ext = re.sub(r"[^a-z0-9]", "", ext.lower())[:10]
    base = f"nv{slug(task_code)}-{index:02d}-{slug(stem)[:60].strip('-')}"
    path = f"data/attachments/{base}{'.' + ext if ext else ''}"
    n = 2
    while path.casefold() in taken:
        path = f"data/attachments/{base}-{n}{'.' + ext if ext else ''}"
        n += 1
    taken.add(path.casefold())
    return path


def sha256_hex(data: bytes | memoryview) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest_text(files: Mapping[str, bytes | memoryview]) -> bytes:
    """`<sha256>  <path>` lines, sorted by path, LF endings (RFC 8493 §2.1.3)."""
    lines = [f"{sha256_hex(files[p])}  {p}\n" for p in sorted(files)]
    return "".join(lines).encode("utf-8")


def parse_manifest(text: bytes) -> dict[str, str] | None:
    """path -> lower-case hex digest, or None when a line is malformed or repeated."""
    out: dict[str, str] = {}
    try:
        decoded = text.decode("utf-8")
    except UnicodeDecodeError:
        return None
    for line in decoded.splitlines():
        m = re.fullmatch(r"([0-9a-fA-F]{64})[ \t]+(\S.*)", line)
        if not m or m[2] in out:
            return None
        out[m[2]] = m[1].lower()
    return out


def bag_info_text(fields: list[tuple[str, str]]) -> bytes:
    return "".join(f"{k}: {' '.join(v.split())}\n" for k, v in fields).encode("utf-8")


def parse_bag_info(text: bytes) -> dict[str, str] | None:
    """bag-info.txt labels and values (continuation lines joined); None when unreadable."""
    out: dict[str, str] = {}
    last = None
    try:
        decoded = text.decode("utf-8")
    except UnicodeDecodeError:
        return None
    for line in decoded.splitlines():
        if line[:1] in (" ", "\t") and last:
            out[last] += " " + line.strip()
            continue
        label, sep, value = line.partition(":")
        if not sep:
            return None
        last = label.strip()
        out[last] = value.strip()
    return out


def dumps(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def period_data(store: Store, period: Period, attachments: list[dict]) -> dict[str, Any]:
    """data.json: the plan (plan JSON shape) plus the period's values, progress, narrative."""
    from ..models.plan_json import plan_to_json

    plan = store.plan.load()
    plan.info = store.regime.regime_info()  # with the ad-hoc and review reports created
    out = plan_to_json(plan)
    indicators = {i.id: i for i in plan.indicators()}
    tasks = {t.id: t for t in plan.tasks()}
    out["data_format"] = DATA_FORMAT
    out["data_version"] = VERSION
    out["period"] = {
        "id": period.id,
        "label": period.label,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "due": period.due.isoformat(),
    }
    out["values"] = [
        {
            "indicator_id": iid,
            "code": indicators[iid].code,
            "value": v.value,
            "note": v.note,
            "source": v.source,
        }
        for iid, v in sorted(store.entries.indicator_values(period.id).items())
        if iid in indicators
    ]
    out["progress"] = [
        {
            "task_id": tid,
            "code": tasks[tid].code,
            "status": p.status.value,
            "percent": p.percent,
            "result": p.result,
            "evidence_number": p.evidence_number,
            "evidence_date": p.evidence_date.isoformat() if p.evidence_date else None,
        }
        for tid, p in sorted(store.entries.task_progress(period.id).items())
        if tid in tasks
    ]
    out["narrative"] = {s.value: text for s, text in store.entries.narrative(period.id).items()}
    out["attachments"] = attachments
    return out


@lru_cache(maxsize=1)
def data_validator() -> Callable[[Any], Any]:
    """data.json's schema compiled to Python (fastjsonschema): the reference, with messages."""
    import fastjsonschema

    return fastjsonschema.compile(combined_schema())


@lru_cache(maxsize=1)
def fast_data_check() -> Callable[[Any], bool] | None:
    """The same schema as a yes/no check about 4× faster (schema_check); None if it cannot."""
    from .schema_check import Unsupported, compile_schema

    try:
        return compile_schema(combined_schema())
    except Unsupported:
        return None


def combined_schema() -> dict[str, Any]:
    """data.schema.json with plan.schema.json inlined, as one draft-07 document.

    The plan schema is inlined where data.schema.json refers to it, its
    `$defs` moved to the top so its `#/$defs/…` references still resolve.
    The keywords both files use mean the same in draft 7 and 2020-12.
    """
    folder = resources_dir() / "schema"
    plan = json.loads((folder / "plan.schema.json").read_text(encoding="utf-8"))
    data = json.loads((folder / "data.schema.json").read_text(encoding="utf-8"))
    defs = {**plan.pop("$defs", {}), **data.pop("$defs", {})}
    for schema in (plan, data):
        schema.pop("$id", None)
        schema.pop("$schema", None)
    data["allOf"] = [plan]
    data["$defs"] = defs
    data["$schema"] = "http://json-schema.org/draft-07/schema#"
    return data


def schema_problem(data: Any) -> str | None:
    """Where data.json breaks its schema (first problem found), or None.

    The fast check answers for valid documents; the reference validator is
    asked only for a refusal, to say where the problem is.
    """
    import fastjsonschema

    fast = fast_data_check()
    if fast is not None and fast(data):
        return None
    try:
        data_validator()(data)
    except fastjsonschema.JsonSchemaValueException as exc:
        return schema_words(exc)
    return None


_RULE_WORDS = {
    "type": "sai kiểu dữ liệu",
    "pattern": "sai dạng",
    "format": "sai dạng",
    "minimum": "nhỏ hơn giới hạn cho phép",
    "exclusiveMinimum": "nhỏ hơn giới hạn cho phép",
    "maximum": "lớn hơn giới hạn cho phép",
    "exclusiveMaximum": "lớn hơn giới hạn cho phép",
    "enum": "giá trị không được phép",
    "const": "giá trị không được phép",
    "minLength": "quá ngắn",
    "additionalProperties": "có trường không được phép",
    "propertyNames": "có trường không được phép",
}


def schema_words(exc: Any) -> str:
    """A schema refusal in Vietnamese: the field (JSON path) and what is wrong with it."""
    where = str(exc.name).removeprefix("data").lstrip(".") or "(toàn tệp)"
    if exc.rule == "required" and isinstance(exc.value, dict):
        missing = [k for k in exc.rule_definition or () if k not in exc.value]
        return f"{where}: thiếu trường {', '.join(missing)}"
    return f"{where}: {_RULE_WORDS.get(exc.rule, 'không hợp lệ')}"


def schema_path() -> Path:
    return resources_dir() / "schema" / "data.schema.json"


# -- member names -----------------------------------------------------------------------
# What a payload member may be called: the three report files, or an evidence file as the
# exporter names it (attachment_path): lower-case ASCII letters, digits, '-', one dot.
_ATTACHMENT_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,119}(\.[a-z0-9]{1,10})?$")
ATTACHMENTS_DIR = "data/attachments/"
# Names Windows gives to devices: "CON", "con.txt" and "nul.pdf" cannot be files there.
WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"com{i}" for i in range(10)] + [f"lpt{i}" for i in range(10)]
)
_BIDI = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c")


def member_name_problem(name: str) -> str | None:
    """Why `name` (inside the bag's top folder) is no member of a v1 package, or None.

    Checked before anything else is read, so a hostile name is a refusal in
    words and never reaches code that assumes the canonical alphabet.
    """
    if name in ALL_TAG_FILES or name in (REPORT_PDF, REPORT_XLSX, DATA_JSON):
        return None
    shown = "".join(
        ch if ch.isprintable() and ch not in _BIDI else f"\\u{ord(ch):04x}" for ch in name
    )
    if any(ch in _BIDI for ch in name):
        return f"'{shown}': tên có ký tự đảo chiều chữ (có thể che giấu đuôi tệp thật)"
    if ":" in name:
        return f"'{shown}': tên có dấu hai chấm (luồng dữ liệu ẩn của Windows)"
    if not name.isascii():
        return f"'{shown}': tên có chữ có dấu hoặc ký tự ngoài bảng chữ ASCII"
    if any(ch.isspace() for ch in name):
        return f"'{shown}': tên có khoảng trắng"
    last = name.rsplit("/", 1)[-1]
    if last.split(".", 1)[0].lower() in WINDOWS_RESERVED:
        return f"'{shown}': tên dành riêng cho thiết bị trên Windows ({last.split('.')[0]})"
    allowed = _ATTACHMENT_NAME if name.startswith(ATTACHMENTS_DIR) else _OTHER_NAME
    base = name[len(ATTACHMENTS_DIR) :] if name.startswith(ATTACHMENTS_DIR) else name
    if not allowed.match(base):
        ok = _ATTACHMENT_CHARS if allowed is _ATTACHMENT_NAME else _OTHER_CHARS
        bad = sorted({ch for ch in base if ch not in ok})
        which = f" (ký tự không được phép: {' '.join(bad)})" if bad else ""
        return f"'{shown}': tên tệp không đúng quy ước đặt tên của gói{which}"
    return None


_ATTACHMENT_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-.")
_OTHER_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._/")
_OTHER_NAME = re.compile(r"^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$")


# -- strict JSON ------------------------------------------------------------------------
# Numbers a package may carry: finite, and integers small enough for SQLite and for exact
# sums in floating point (2^53). NaN, Infinity and 1e400 are refusals, not values.
MAX_INTEGER = 2**53


class JsonProblem(ValueError):
    """A JSON document that is not strict JSON with finite numbers; the message is Vietnamese."""


def _no_constant(name: str) -> Any:
    raise JsonProblem(f"giá trị {name} không phải là số hữu hạn")


def _finite_float(text: str) -> float:
    import math

    value = float(text)
    if not math.isfinite(value) or abs(value) >= MAX_INTEGER:
        raise JsonProblem(f"số {text[:40]} vượt giới hạn")
    return value


def _bounded_int(text: str) -> int:
    if len(text) > 17 or abs(int(text)) > MAX_INTEGER:
        shown = text if len(text) <= 40 else text[:40] + "…"
        raise JsonProblem(f"số nguyên {shown} vượt giới hạn")
    return int(text)


def strict_loads(raw: bytes) -> Any:
    """json.loads of UTF-8 bytes, finite numbers only (JsonProblem otherwise)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise JsonProblem("không phải JSON UTF-8") from None
    try:
        return json.loads(text, parse_constant=_no_constant, parse_float=_finite_float,
                          parse_int=_bounded_int)  # fmt: skip
    except JsonProblem:
        raise
    except RecursionError:
        raise JsonProblem("JSON lồng nhau quá sâu") from None
    except ValueError:
        raise JsonProblem("không phải JSON hợp lệ") from None


@lru_cache(maxsize=1)
def package_validator() -> Callable[[Any], Any]:
    """package.json's schema (resources/schema/package.schema.json), compiled."""
    import fastjsonschema

    folder = resources_dir() / "schema"
    schema = json.loads((folder / "package.schema.json").read_text(encoding="utf-8"))
    schema.pop("$id", None)
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    return fastjsonschema.compile(schema)


def package_schema_problem(package: Any) -> str | None:
    """Where package.json breaks its schema (first problem found), or None."""
    import fastjsonschema

    try:
        package_validator()(package)
    except fastjsonschema.JsonSchemaValueException as exc:
        return schema_words(exc)
    return None
