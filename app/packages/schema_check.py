"""A fast yes/no JSON Schema check for data.json, compiled from the same schema files.

Receiving 300 packages spent about two thirds of its time in the data.json
schema check: fastjsonschema's generated code formats an error path with
`locals()` for every `$ref` it follows and copies every object's key set, so
a 120 KB data.json costs ≈2.5 ms. The province only needs a verdict on the
hot path; the message matters only when the answer is no.

`compile_schema` turns the schema into the source of one Python function
per `$defs` entry plus one for the document, straight-line `isinstance`
tests that return False at the first failure and do nothing else (closures
or a generic interpreter are no faster than fastjsonschema). It understands exactly the keywords our schemas
use (type, const, enum, required, properties, additionalProperties,
propertyNames, items, allOf, $ref to `#/$defs/…`, pattern, format "date",
minimum, maximum, exclusiveMinimum, exclusiveMaximum, minLength) with
fastjsonschema's draft-07 meaning, and refuses to compile a schema with any
other keyword (`Unsupported`), so a later schema change can never be checked
loosely: the caller then uses fastjsonschema alone. The caller also asks
fastjsonschema again whenever this check says no, for the message; the
tests compare both verdicts on thousands of mutated documents.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

Check = Callable[[Any], bool]
_ANNOTATIONS = frozenset(
    ("title", "description", "$comment", "default", "examples", "$id", "$schema", "$defs")
)
_NUMBER = (int, float, Decimal)


class Unsupported(Exception):
    """The schema uses a keyword this checker does not implement."""


_DOLLAR = re.compile(r"(?<!\\)\$")  # an unescaped "$" (fastjsonschema's DOLLAR_FINDER)


def _date_regex() -> re.Pattern[str]:
    from fastjsonschema.draft07 import CodeGeneratorDraft07

    return re.compile(CodeGeneratorDraft07.FORMAT_REGEXS["date"])


_TYPES = {
    "object": "isinstance({v}, dict)",
    "array": "isinstance({v}, (list, tuple))",
    "string": "isinstance({v}, str)",
    "null": "{v} is None",
    "boolean": "isinstance({v}, bool)",
    "integer": "(isinstance({v}, int) and not isinstance({v}, bool)"
    " or isinstance({v}, float) and {v}.is_integer())",
    "number": "(isinstance({v}, _NUMBER) and not isinstance({v}, bool))",
}
_GUARD = {"object": "isinstance({v}, dict)", "array": "isinstance({v}, (list, tuple))",
          "string": "isinstance({v}, str)", "number": "isinstance({v}, _NUMBER)"}  # fmt: skip
# A value fails a bound the way fastjsonschema tests it (NaN passes every bound).
_BOUNDS = {"minimum": "<", "maximum": ">", "exclusiveMinimum": "<=", "exclusiveMaximum": ">="}
_HANDLED = frozenset(("$ref", "type", "const", "enum", "allOf", "required", "properties", "items",
                      "additionalProperties", "propertyNames", "pattern", "format", "minLength",
                      *_BOUNDS))  # fmt: skip


class _Generator:
    """Writes the checking functions' source; constants go into a namespace dict."""

    def __init__(self, defs: dict[str, Any]) -> None:
        self.defs = defs
        self.names: dict[str, str] = {}
        self.pending: list[str] = []
        self.namespace: dict[str, Any] = {"_NUMBER": _NUMBER, "_MISSING": object()}
        self.counter = 0
        self.expanding: set[str] = set()

    def const(self, value: Any) -> str:
        self.counter += 1
        name = f"_C{self.counter}"
        self.namespace[name] = value
        return name

    def var(self) -> str:
        self.counter += 1
        return f"v{self.counter}"

    def ref(self, ref: str) -> str:
        if not ref.startswith("#/$defs/") or ref[8:] not in self.defs:
            raise Unsupported(ref)
        name = ref[8:]
        if name not in self.names:
            self.names[name] = f"_d_{len(self.names)}"
            self.pending.append(name)
        return self.names[name]

    def function(self, fname: str, schema: Any, ref: str | None = None) -> list[str]:
        self.expanding = {ref} if ref else set()
        return [f"def {fname}(v0):", *self.check(schema, "v0", 1), "    return True", ""]

    def check(self, schema: Any, v: str, depth: int) -> list[str]:  # noqa: C901
        pad = "    " * depth
        if schema is True or schema == {}:
            return []
        if schema is False:
            return [f"{pad}return False"]
        if not isinstance(schema, dict):
            raise Unsupported(repr(schema))
        keys = set(schema) - _ANNOTATIONS
        if keys - _HANDLED:
            raise Unsupported(", ".join(sorted(keys - _HANDLED)))
        out: list[str] = []
        if "$ref" in keys:
            ref = schema["$ref"]
            if ref in self.expanding:  # a recursive definition: call its function
                out.append(f"{pad}if not {self.ref(ref)}({v}): return False")
            else:  # inline it: no call per value
                self.ref(ref)
                self.expanding.add(ref)
                out.extend(self.check(self.defs[ref[8:]], v, depth))
                self.expanding.discard(ref)
        known = None  # the one type the value is known to have after the type test
        if "type" in keys:
            names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            if not names or any(n not in _TYPES for n in names):
                raise Unsupported(str(names))
            test = " or ".join(_TYPES[n].format(v=v) for n in names)
            out.append(f"{pad}if not ({test}): return False")
            known = names[0] if len(names) == 1 else None
        if "const" in keys:
            value = schema["const"]
            if isinstance(value, str):
                out.append(f"{pad}if not (isinstance({v}, str) and {v} == {value!r}): return False")
            elif isinstance(value, int) and not isinstance(value, bool):
                num = _TYPES["number"].format(v=v)
                out.append(f"{pad}if not ({num} and {v} == {value!r}): return False")
            else:
                raise Unsupported("const")
        if "enum" in keys:
            values = schema["enum"]
            if not all(x is None or isinstance(x, str) for x in values):
                raise Unsupported("enum")
            strings = self.const(frozenset(x for x in values if x is not None))
            test = f"isinstance({v}, str) and {v} in {strings}"
            if None in values:
                test = f"{v} is None or {test}"
            out.append(f"{pad}if not ({test}): return False")
        for sub in schema.get("allOf", ()):
            out.extend(self.check(sub, v, depth))
        out.extend(self._guarded("object", known, v, depth, self._object(schema, keys, v)))
        if "items" in keys:
            if not isinstance(schema["items"], dict):
                raise Unsupported("items")
            w = self.var()
            body = self.check(schema["items"], w, 1)
            if body:
                loop = [f"for {w} in {v}:", *body]
                out.extend(self._guarded("array", known, v, depth, loop))
        text: list[str] = []
        if "pattern" in keys:
            # "$" means the very end, as fastjsonschema reads it (not "before a final newline")
            pattern = _DOLLAR.sub(r"\\Z", schema["pattern"])
            search = self.const(re.compile(pattern).search)
            text.append(f"if {search}({v}) is None: return False")
        if "format" in keys:
            if schema["format"] != "date":
                raise Unsupported(schema["format"])
            text.append(f"if {self.const(_date_regex().match)}({v}) is None: return False")
        if "minLength" in keys:
            text.append(f"if len({v}) < {int(schema['minLength'])}: return False")
        out.extend(self._guarded("string", known, v, depth, text))
        bounds = []
        for key, op in _BOUNDS.items():
            if key in keys:
                bound = schema[key]
                if not isinstance(bound, int | float) or isinstance(bound, bool):
                    raise Unsupported(key)
                bounds.append(f"if {v} {op} {bound!r}: return False")
        out.extend(self._guarded("number", known, v, depth, bounds))
        return out

    def _guarded(
        self, kind: str, known: str | None, v: str, depth: int, body: list[str]
    ) -> list[str]:
        """`body` (at indent 0) run only when the value is of `kind`, re-indented."""
        if not body:
            return []
        pad = "    " * depth
        if known == kind or (kind == "number" and known == "integer"):
            return [pad + line for line in body]
        return [f"{pad}if {_GUARD[kind].format(v=v)}:", *("    " + pad + line for line in body)]

    def _object(self, schema: dict[str, Any], keys: set[str], v: str) -> list[str]:
        out: list[str] = []
        for key in schema.get("required", ()):
            out.append(f"if {key!r} not in {v}: return False")
        props = schema.get("properties", {})
        for key, sub in props.items():
            w = self.var()
            body = self.check(sub, w, 1)
            if body:
                out.append(f"{w} = {v}.get({key!r}, _MISSING)")
                out.append(f"if {w} is not _MISSING:")
                out.extend(body)
        if "propertyNames" in keys:
            k = self.var()
            body = self.check(schema["propertyNames"], k, 1)
            if body:
                out.extend([f"for {k} in {v}:", *body])
        extra = schema.get("additionalProperties", True)
        if extra is not True:
            k, w = self.var(), self.var()
            names = self.const(frozenset(props))
            body = self.check(extra, w, 2)
            if body:
                out.extend([f"for {k}, {w} in {v}.items():", f"    if {k} not in {names}:", *body])
        return out


def compile_schema(schema: dict[str, Any]) -> Check:
    """A function telling whether a document is valid under `schema` (see module docstring)."""
    gen = _Generator(schema.get("$defs", {}))
    lines = gen.function("_document", schema)
    done: set[str] = set()
    while gen.pending:
        name = gen.pending.pop()
        if name not in done:
            done.add(name)
            lines += gen.function(gen.names[name], gen.defs[name], "#/$defs/" + name)
    namespace = dict(gen.namespace)
    exec(compile("\n".join(lines), "<data.json schema check>", "exec"), namespace)  # noqa: S102
    return namespace["_document"]
