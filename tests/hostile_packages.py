"""Builder of the receiver's hostile corpus: signed packages that lie about who, when or what.

Plain helpers (no tests here), used by tests/test_receiver_trust.py. Every
case starts from a genuine package of office 0 or 1 (test_receiving_fixtures)
and changes package.json, data.json or the member names, then rebuilds the
manifests, bag-info and top folder so that every check before the one under
test passes, and signs it again with the key the attacker holds. A case is
(name, family, file bytes, expected reason code, expected message).
"""

from __future__ import annotations

import base64
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.packages import format as fmt
from app.packages.signing_keys import OfficeKey

from .test_package_fixtures import bag_files, resign, rezip

DELETE = object()  # a value meaning "remove this member"


@dataclass(frozen=True)
class Case:
    name: str
    family: str
    blob: bytes
    code: str
    message: str  # the whole reason, or its start when it ends with "…"


def _merge(target: dict[str, Any], changes: dict[str, Any]) -> None:
    for key, value in changes.items():
        if value is DELETE:
            target.pop(key, None)
        elif isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = value


def forge(
    genuine: Path,
    key: OfficeKey,
    *,
    package: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
    package_raw: Callable[[bytes], bytes] | None = None,
    data_raw: Callable[[bytes], bytes] | None = None,
    extra_members: dict[str, bytes] | None = None,
) -> bytes:
    """A re-signed package: `genuine` with the changes, consistent everywhere else."""
    _top, files = bag_files(genuine)
    pkg = json.loads(files[fmt.PACKAGE_JSON])
    pkg["public_key"] = base64.b64encode(key.public_raw).decode("ascii")
    pkg["key_fingerprint"] = key.fingerprint
    _merge(pkg, package or {})
    content = json.loads(files[fmt.DATA_JSON])
    if isinstance(pkg.get("period_id"), str):
        content["period"]["id"] = pkg["period_id"]
    _merge(content, data or {})
    files[fmt.DATA_JSON] = fmt.dumps(content)
    if data_raw is not None:
        files[fmt.DATA_JSON] = data_raw(files[fmt.DATA_JSON])
    files[fmt.PACKAGE_JSON] = fmt.dumps(pkg)
    if package_raw is not None:
        files[fmt.PACKAGE_JSON] = package_raw(files[fmt.PACKAGE_JSON])
    files.update(extra_members or {})
    payload = {p: d for p, d in files.items() if p.startswith("data/")}
    info = fmt.parse_bag_info(files[fmt.BAG_INFO]) or {}
    ident = f"{pkg.get('office_id')}/{pkg.get('period_id')}/{pkg.get('sequence')}"
    info.update({
        "External-Identifier": ident,
        "Payload-Oxum": f"{sum(len(d) for d in payload.values())}.{len(payload)}",
        "Theodoi57-Office-Id": str(pkg.get("office_id")),
        "Theodoi57-Period": str(pkg.get("period_id")),
        "Theodoi57-Sequence": str(pkg.get("sequence")),
        "Theodoi57-Key-Fingerprint": key.fingerprint,
    })  # fmt: skip
    files[fmt.BAG_INFO] = fmt.bag_info_text(list(info.items()))
    resign(files, key)
    try:
        top = fmt.package_name(str(pkg["office_name"]), str(pkg["period_id"]), pkg["sequence"])
    except (KeyError, TypeError):
        top = _top
    if all(fmt.member_name_problem(p) is None for p in files):
        return rezip(top, files)
    return stored_zip({f"{top}/{p}": d for p, d in files.items()})


def stored_zip(members: dict[str, bytes]) -> bytes:
    """An ordinary zip, members stored (what a tool writes for names the canonical form forbids)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as zf:
        for name in sorted(members):
            zf.writestr(name, members[name])
    return buffer.getvalue()
