"""`make run` on a machine with no display: the demo's main job, headless, as the README
promises — the status, then the last report the demo filled exported, signed and verified.

Runs the Makefile's own `demo-headless` target (its shell and `sed` included) with the
test's Python and a private demo folder; skipped where `make` is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _make(tmp_path: Path, target: str, demo: Path) -> subprocess.CompletedProcess[str]:
    """The Makefile's own `target` run as a user runs it on a machine with no display, over
    the test's environment (already installed) and a demo folder of the test's."""
    venv = tmp_path / "venv"
    venv.mkdir()
    (venv / ".installed").touch()  # the test's environment is installed already
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["THEODOI57_HOME"] = str(tmp_path / "home")
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), target, f"VENV={venv}",
         f"PY={sys.executable}", f"DEMO_DIR={demo}"],
        env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_without_a_display_exports_and_verifies_the_demo(tmp_path: Path) -> None:
    demo = tmp_path / "demo"
    out = _make(tmp_path, "run", demo)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    assert (
        "Không có màn hình (DISPLAY/WAYLAND_DISPLAY trống): chạy bản không giao diện." in out.stdout
    )
    import re

    filled = re.search(r"^Tiến độ theo kỳ .* \(([0-9A-Z-]+); ", out.stdout, re.M)
    assert filled is not None, out.stdout[-2000:]
    (package,) = (demo / "packages").glob("*.zip")
    assert package.name == f"BC_thi-uy-bim-son_{filled.group(1)}_1.zip"
    assert "Gói báo cáo hợp lệ: Thị ủy Bỉm Sơn, kỳ " in out.stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_receiving_without_a_display_shows_the_matrix_and_consolidates(
    tmp_path: Path,
) -> None:
    """`make run-receiving`: the nga-nam sample receiving file made (`receive demo`), then,
    with no display, the matrix of the two communes and the latest year's consolidation."""
    demo = tmp_path / "demo"
    out = _make(tmp_path, "run-receiving", demo)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    lines = out.stdout.splitlines()
    assert (
        f"Đã tạo tệp tiếp nhận mẫu {demo / 'nga-nam-tiep-nhan.sqlite'} của Phòng Văn hóa, "
        "Khoa học và Thông tin thị xã Ngã Năm (kế hoạch mẫu nga-nam)."
    ) in lines
    assert "  Xã Long Bình: Đúng hạn" in lines
    import re

    late = [line for line in lines if re.fullmatch(r"  Xã Tân Long: (Đúng|Trễ) hạn", line)]
    assert late[-1] == "  Xã Tân Long: Trễ hạn"  # late in the latest year
    (xlsx,) = demo.glob("tong-hop-*.xlsx")
    assert f"Đã ghi bảng tổng hợp {xlsx} (2/2 đơn vị)." in lines
    assert xlsx.with_suffix(".pdf").read_bytes().startswith(b"%PDF")
