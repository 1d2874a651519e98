"""Find files under a folder without recursion, with limits on depth and entries.

`Path.rglob` recurses once per folder level: a folder nested 1,100 levels
deep (easy to make on a USB stick, impossible to see in a file manager) ends
in RecursionError. This walk keeps its own stack, never follows symbolic
links to folders (no loops, nothing outside the chosen folder), and stops
with a Vietnamese message naming the limit when a folder is nested deeper
than MAX_DEPTH or holds more than MAX_ENTRIES entries in all, so a hostile
folder costs bounded time. Sizes come from the directory entries (no file is
opened here).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from .errors import UserError

MAX_DEPTH = 32  # folder levels below the chosen folder
MAX_ENTRIES = 200_000  # files and folders looked at, in all


def find_files(
    root: Path,
    accept: Callable[[str], bool] = lambda name: True,
    max_depth: int = MAX_DEPTH,
    max_entries: int = MAX_ENTRIES,
) -> list[Path]:
    """Regular files under `root` (any depth up to `max_depth`) whose name `accept`s.

    Sorted by path. UserError when a folder is deeper than `max_depth`, when more
    than `max_entries` entries are met, or when a folder cannot be read.
    """
    root = Path(root)
    found: list[Path] = []
    stack: list[tuple[Path, int]] = [(root, 0)]
    seen = 0
    while stack:
        folder, depth = stack.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    seen += 1
                    if seen > max_entries:
                        raise UserError(
                            f"Thư mục '{root}' có quá nhiều tệp và thư mục con (hơn "
                            f"{max_entries:,} mục); hãy chọn thư mục chỉ chứa các gói cần nhận.".replace(
                                ",", "."
                            ),
                            "too_many",
                        )
                    if entry.is_dir(follow_symlinks=False):
                        if depth + 1 > max_depth:
                            raise UserError(
                                f"Thư mục '{root}' lồng nhau quá {max_depth} cấp (tại "
                                f"'{Path(entry.path).relative_to(root).parts[0]}/…'); ứng dụng "
                                "không tìm sâu hơn. Hãy chép các gói ra một thư mục nông hơn.",
                                "too_deep",
                            )
                        stack.append((Path(entry.path), depth + 1))
                    elif entry.is_file(follow_symlinks=False) and accept(entry.name):
                        found.append(Path(entry.path))
        except OSError as exc:
            raise UserError(
                f"Không đọc được thư mục '{folder}': {exc.strerror or exc}.", "folder"
            ) from None
    return sorted(found)
