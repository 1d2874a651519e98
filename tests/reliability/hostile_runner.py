"""Open each hostile file in its own forked child and report what happened, how fast,
and the child's peak memory (ru_maxrss): `python -m tests.reliability.hostile_runner CASES.json`.

The parent imports the readers once (so a child's time is the case's own)
and stays small; each child starts in an empty sandbox folder as its
working directory. One JSON line per case on stdout.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .forked_case import run_forked


def run_case(case: dict) -> dict:
    from app.importers.workbook import read_plan_workbook
    from app.models.errors import UserError
    from app.models.plan_json import plan_from_json
    from app.packages.signing_keys import read_rotation
    from app.packages.verify import verify_package

    path = Path(case["path"])
    key = path.parent / "test-key.pub.pem"
    try:
        if case["kind"] == "package":
            result = verify_package(path, [key])
            return {"code": "ok" if result.ok else result.code, "message": result.message}
        if case["kind"] == "workbook":
            preview = read_plan_workbook(path)
            warnings = [p.message for p in preview.problems]
            return {"code": "warning" if warnings else "ok", "message": " | ".join(warnings)}
        if case["kind"] == "plan_json":
            plan_from_json(json.loads(path.read_text(encoding="utf-8")))
            return {"code": "ok", "message": ""}
        if case["kind"] == "rotation":
            read_rotation(path)
            return {"code": "ok", "message": ""}
    except UserError as exc:
        return {"code": exc.code if case["kind"] != "plan_json" else "plan_json",
                "message": exc.message}  # fmt: skip
    except BaseException as exc:  # noqa: BLE001 - the test reports any escape as a defect
        return {"code": "uncaught", "message": f"{type(exc).__name__}: {exc}"[:300]}
    raise ValueError(case["kind"])


def main() -> None:
    import app.importers.workbook  # noqa: F401
    import app.models.plan_json  # noqa: F401
    import app.packages.signing_keys  # noqa: F401
    import app.packages.verify  # noqa: F401 - warm imports before forking

    cases = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    sandbox_root = Path(sys.argv[2])
    for case in cases:
        sandbox = sandbox_root / case["name"]
        sandbox.mkdir(parents=True)
        out = run_forked(sandbox, lambda case=case: run_case(case))
        out["name"] = case["name"]
        out["sandbox"] = sorted(p.name for p in sandbox.iterdir())
        print(json.dumps(out, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
