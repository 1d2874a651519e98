"""Open each hostile file in its own forked child and report what happened, how fast,
and the child's peak memory (ru_maxrss): `python -m tests.reliability.hostile_runner CASES.json`.

The parent imports the readers once (so a child's time is the case's own)
and stays small; each child starts in an empty sandbox folder as its
working directory. One JSON line per case on stdout.
"""

from __future__ import annotations

import json
import os
import resource
import select
import signal
import sys
import time
from pathlib import Path

LIMIT_SECONDS = 30  # a child still running after this is killed and reported as a hang


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
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # child
            os.close(read_fd)
            os.chdir(sandbox)
            start = time.perf_counter()
            out = run_case(case)
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
        out["sandbox"] = sorted(p.name for p in sandbox.iterdir())
        print(json.dumps(out, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
