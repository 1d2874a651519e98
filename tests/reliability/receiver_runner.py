"""Ingest each hostile package in its own forked child, with its time and peak memory:
`python -m tests.reliability.receiver_runner CASES.json TEMPLATE.sqlite SANDBOXES NOW`.

Each child copies the receiving file TEMPLATE into its empty sandbox, ingests
the one case there at the receiver clock NOW (ISO 8601) and reports the
outcome; the parent (which imported the receiving code before forking, and
stays small) prints one JSON line per case, with what the sandbox holds after.
"""

from __future__ import annotations

import json
import os
import resource
import select
import shutil
import signal
import sys
import time
from datetime import datetime
from pathlib import Path

LIMIT_SECONDS = 30  # a child still running after this is killed and reported as a hang


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
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # child
            os.close(read_fd)
            os.chdir(sandbox)
            start = time.perf_counter()
            out = run_case(case, template, now)
            out["seconds"] = time.perf_counter() - start
            out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            os.write(write_fd, json.dumps(out, ensure_ascii=False).encode("utf-8"))
            os._exit(0)
        os.close(write_fd)
        ready, _, _ = select.select([read_fd], [], [], LIMIT_SECONDS)
        if not ready:
            os.kill(pid, signal.SIGKILL)
            out = {"code": "hang", "message": "", "seconds": LIMIT_SECONDS, "rss_mb": 0}
        else:
            chunks = []
            while chunk := os.read(read_fd, 1 << 16):
                chunks.append(chunk)
            out = json.loads(b"".join(chunks) or b'{"code": "crashed", "message": ""}')
        os.close(read_fd)
        os.waitpid(pid, 0)
        out["name"] = case["name"]
        out["sandbox"] = sorted(
            p.name for p in sandbox.iterdir() if not p.name.startswith("r.sqlite")
        )
        print(json.dumps(out, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
