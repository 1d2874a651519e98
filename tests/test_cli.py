"""The command line as a receiving office's script would use it: real processes."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*args, ok=True):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("THEODOI57_DEBUG", None)
    proc = subprocess.run(
        [sys.executable, "-m", "app", *args], capture_output=True, text=True, env=env, cwd=ROOT
    )
    if ok:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_init_status_show_backup_restore(tmp_path):
    db = tmp_path / "bs.sqlite"
    out = run("init", "--db", str(db), "--sample", "bim-son").stdout
    assert "52 chỉ tiêu, 104 nhiệm vụ" in out  # Phụ lục II: 21, Phụ lục III: 83

    status = run("status", "--db", str(db), "--today", "2026-03-01").stdout
    assert "Đơn vị: Thị ủy Bỉm Sơn" in status
    # "trước ngày 20 tháng cuối của quý": the last on-time day is the 19th.
    assert "Kỳ báo cáo hiện tại: Quý I/2026 (2026-Q1), hạn nộp 19/03/2026 (còn 18 ngày)" in status
    assert "chốt số liệu 15/12/2025 – 14/03/2026" in status
    # Tasks due by Feb 2026 with no progress recorded are overdue; recurring ones never.
    overdue_line = next(line for line in status.splitlines() if line.startswith("Nhiệm vụ quá hạn"))
    assert int(overdue_line.split(":")[1]) > 0
    overdue = status.split("Nhiệm vụ quá hạn")[1].split("Chỉ tiêu chậm so với lộ trình")[0]
    assert "(hạn: Thường xuyên;" not in overdue  # ongoing work is never overdue, but
    # its first product is; nothing was ever reported for it: "Chưa cập nhật", not "Chưa triển khai"
    assert "(hạn: Tháng 8/2025 - Thường xuyên; Chưa cập nhật)" in overdue

    shown = json.loads(run("plan", "show", "--db", str(db), "--json").stdout)
    assert shown["format"] == "theodoi57/plan"
    assert sum(len(g["indicators"]) for g in shown["indicator_groups"]) == 52
    assert shown["indicator_groups"][0]["indicators"][0]["targets"]["2025"] == {
        "comparator": None, "value": 65.0, "text": None,
        "high": None, "approximate": False, "required": True,
    }  # fmt: skip

    backup = tmp_path / "usb" / "bs-backup.sqlite"
    assert "Đã sao lưu" in run("backup", "--db", str(db), "--to", str(backup)).stdout
    restored = run("restore", "--db", str(db), "--from", str(backup)).stdout
    assert "Đã khôi phục" in restored and "được giữ lại" in restored


def test_demo_fills_past_periods(tmp_path):
    db = tmp_path / "demo.sqlite"
    out = run("demo", "--db", str(db), "--today", "2026-11-23").stdout
    # the plan's reports already past (Q2 merged into H1, from the plan's date 13/5/2025)
    assert "2025-H1, 2025-Q3, 2025-Y, 2026-Q1, 2026-H1, 2026-Q3)" in out
    status = run("status", "--db", str(db), "--today", "2026-11-23").stdout
    assert "Kỳ báo cáo hiện tại: Năm 2026 (2026-Y), hạn nộp 24/11/2026 (còn 1 ngày)" in status
    assert (
        "Tiến độ theo kỳ Quý III/2026 (2026-Q3; số liệu tính từ ngày 15/06/2026 đến ngày 14/09/2026"
        in status
    )
    assert "Chỉ tiêu chậm so với lộ trình: " in status and "Mốc đã qua chưa đạt: " in status
    assert "Tệp dữ liệu mẫu đã có" in run("demo", "--db", str(db)).stdout


def test_errors_are_one_vietnamese_line_never_a_traceback(tmp_path):
    cases = [
        ("status", "--db", str(tmp_path / "missing.sqlite")),
        ("init", "--db", str(tmp_path / "x.sqlite"), "--sample", "khong-co"),
        ("restore", "--db", str(tmp_path / "x.sqlite"), "--from", str(tmp_path / "none")),
        ("status", "--db", str(tmp_path / "x.sqlite"), "--today", "hôm nay"),
    ]
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database" * 50)
    cases.append(("plan", "show", "--db", str(junk)))
    for args in cases:
        proc = run(*args, ok=False)
        assert proc.returncode == 1, args
        assert "Traceback" not in proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Lỗi: "), proc.stderr
    usage = run("init", ok=False)
    assert usage.returncode == 2 and "Traceback" not in usage.stderr


def test_an_unexpected_error_is_one_line_and_its_traceback_goes_to_the_log(tmp_path):
    from app import __version__

    script = (
        "import sys, app.cli as cli\n"
        "def broken(args):\n"
        "    raise RuntimeError('hỏng ở lệnh samples')\n"
        "import app.commands.data_file as data_file\n"
        "data_file.cmd_samples = broken\n"
        "sys.exit(cli.main(['samples']))\n"
    )
    home = tmp_path / "home"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "THEODOI57_HOME": str(home)}
    env.pop("THEODOI57_DEBUG", None)

    def provoke() -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=ROOT
        )

    proc = provoke()
    log = home / "logs" / "theodoi57.log"
    message = "Lỗi không mong đợi (RuntimeError): hỏng ở lệnh samples. Hãy báo cho bộ phận hỗ trợ."
    assert proc.returncode == 3
    assert proc.stderr.splitlines() == [f"{message} Chi tiết: {log}"]
    text = log.read_text(encoding="utf-8")
    assert "Lỗi không mong đợi (RuntimeError) — lệnh samples" in text
    assert f"Theo dõi NQ57 {__version__}" in text
    assert "Traceback (most recent call last):" in text and "in broken" in text
    assert "RuntimeError: hỏng ở lệnh samples" in text

    log.unlink()
    log.mkdir()  # the log cannot be written: the same line, without the path
    proc = provoke()
    assert proc.returncode == 3 and proc.stderr.splitlines() == [message]
