"""One hostile case in its own forked child, bounded in time, and the bounds every
reliability test holds a case's outcome to.

The runners (hostile_runner, receiver_runner) fork a child per case so each case's
time and peak memory (ru_maxrss) are its own; the tests read their JSON lines and
check them with `bound_failures`.
"""

from __future__ import annotations

import json
import os
import resource
import select
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

LIMIT_SECONDS = 30  # a child still running after this is killed and reported as a hang


def run_forked(sandbox: Path, work: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """`work()` run in a forked child whose working directory is `sandbox`, with the
    seconds it took and its peak memory; a hang is killed after LIMIT_SECONDS and a
    child that died without answering is "crashed"."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_fd)
        os.chdir(sandbox)
        start = time.perf_counter()
        out = work()
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
    return out


def bound_failures(
    name: str, got: dict[str, Any], max_seconds: float, max_rss_mb: float
) -> list[str]:
    """What a case's child did beyond its bounds: too slow, too large, or wrote files."""
    failures = []
    if got["seconds"] > max_seconds:
        failures.append(f"{name}: {got['seconds']:.1f} s")
    if got["rss_mb"] > max_rss_mb:
        failures.append(f"{name}: {got['rss_mb']:.0f} MB")
    if got["sandbox"]:
        failures.append(f"{name}: wrote {got['sandbox']}")
    return failures
