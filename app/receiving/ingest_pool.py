"""Worker processes that check package files while the ingest records them, in file order.

Checking a package (SHA-256 of every member, Ed25519, data.json parsed and
schema-checked, compressed) is four fifths of an ingest's work and needs no
data file, so a large batch is spread over a process pool
(ingest_check.check_files on chunks of files) while the calling process
records each result in file order — order decides which sequence supersedes
which. At most a few chunks are in flight, so results never pile up in
memory ahead of the recorder, and stopping (cancel, an error) drops the
chunks not started.

A pool costs its start (tens of milliseconds forked, about 0.6 s spawned), so
a small batch is checked in the calling process (`pool_size` says 0). Where the process
may hold other threads (the window runs ingest on a worker thread) workers
are spawned, never forked from it; a frozen program calls
multiprocessing.freeze_support() first (app/frozen_entry.py).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Iterator, Mapping, Set
from concurrent.futures import BrokenExecutor, Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from ..packages import format as fmt
from .ingest_check import Checked, check_file, check_files, start_worker

# Below these a pool's start costs more than it saves: forked workers start in tens of
# milliseconds; spawned ones import the verifier afresh (about 0.6 s on two busy cores,
# measured against in-process ingest from a worker thread: even at 300 files).
POOL_MIN_FILES = 48
POOL_MIN_FILES_SPAWNED = 600
CHUNK_MAX = 16


def pool_size(files: int) -> int:
    """Worker processes for a batch of `files` (0: check them in this process)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    cores = cores or 1
    least = POOL_MIN_FILES if _forkable() else POOL_MIN_FILES_SPAWNED
    if cores < 2 or files < least:
        return 0
    return min(cores, 8)


def _forkable() -> bool:
    """fork is safe and cheap here: a platform that has it and no other thread running."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _context() -> Any:
    return multiprocessing.get_context("fork" if _forkable() else "spawn")


class CheckPool:
    """`with CheckPool(files, …) as checks:` — an iterator of Checked, one per file, in order."""

    def __init__(
        self,
        files: list[Path],
        known: Mapping[str, str | None],
        trusted: Set[bytes],
        workers: int,
    ) -> None:
        self.files = files
        self.workers = max(1, workers)
        size = len(files) // (self.workers * 8) or 1
        self.chunk = min(CHUNK_MAX, size)
        self.known, self.trusted = known, trusted
        self.pool: ProcessPoolExecutor | None = None
        self._chunk_of: dict[int, list[Path]] = {}

    def __enter__(self) -> Iterator[Checked]:
        fmt.fast_data_check()  # compiled before forking, so no worker compiles it again
        fmt.package_validator()
        self.pool = ProcessPoolExecutor(
            self.workers, mp_context=_context(), initializer=start_worker,
            initargs=(self.known, self.trusted),
        )  # fmt: skip
        return self._results()

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def _submit(self, chunk: list[Path]) -> Future[list[Checked]]:
        assert self.pool is not None
        future = self.pool.submit(check_files, chunk)
        self._chunk_of[id(future)] = chunk
        return future

    def _results(self) -> Iterator[Checked]:
        assert self.pool is not None
        chunks = [self.files[i : i + self.chunk] for i in range(0, len(self.files), self.chunk)]
        pending: deque[Future[list[Checked]]] = deque()
        ahead = 2 * self.workers + 1
        following = iter(chunks)
        for chunk in following:
            pending.append(self._submit(chunk))
            if len(pending) >= ahead:
                break
        while pending:
            future = pending.popleft()
            try:
                done = future.result()
                nxt = next(following, None)
                if nxt is not None:
                    pending.append(self._submit(nxt))
            except (BrokenExecutor, OSError):
                # a worker died (killed, out of memory): the rest is checked here, in order
                rest = [p for f in [future, *pending] for p in self._chunk_of[id(f)]]
                rest += [p for chunk in following for p in chunk]
                yield from (check_file(path, self.known, self.trusted) for path in rest)
                return
            yield from done
