"""Ingest each hostile package in its own forked child, with its time and peak memory:
`python -m tests.reliability.receiver_runner CASES.json TEMPLATE.sqlite SANDBOXES NOW`.

Each child copies the receiving file TEMPLATE into its empty sandbox, ingests
the one case there at the receiver clock NOW (ISO 8601) and reports the
outcome; the parent (which imported the receiving code before forking, and
stays small) prints one JSON line per case, with what the sandbox holds after.
"""

from __future__ import annotations

import json
import shutil
import sys
from datetime import datetime
from pathlib import Path

from .forked_case import run_forked


def run_case(case: dict, template: Path, now: datetime) -> dict:
    from app.receiving.ingest import ingest
    from app.receiving.store import Receiving

    shutil.copy(template, "r.sqlite")
    try:
        with Receiving.open(Path("r.sqlite")) as receiving:
            line = ingest(receiving, [Path(case["path"])], now=now).lines[0]
    except BaseException as exc:  # noqa: BLE001 - the test reports any escape as a defect
        return {"code": "uncaught", "message": f"{type(exc).__name__}: {exc}"[:300]}
    code = line.package.reason_code if line.package is not None else line.outcome
    return {"code": code, "outcome": line.outcome, "message": line.reason}


def main() -> None:
    import app.receiving.ingest  # noqa: F401 - warm imports before forking

    cases = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    template, sandbox_root = Path(sys.argv[2]).resolve(), Path(sys.argv[3])
    now = datetime.fromisoformat(sys.argv[4])
    for case in cases:
        sandbox = sandbox_root / case["name"]
        sandbox.mkdir(parents=True)
        out = run_forked(sandbox, lambda case=case: run_case(case, template, now))
        out["name"] = case["name"]
        out["sandbox"] = sorted(
            p.name for p in sandbox.iterdir() if not p.name.startswith("r.sqlite")
        )
        print(json.dumps(out, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
