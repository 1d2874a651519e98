"""`python -m app report pdf|xlsx` as a script would run it: real processes, real files."""

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader

from app.models.samples import fill_demo, load_sample
from app.models.store import Store

ROOT = Path(__file__).resolve().parents[1]


def run(*args):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("THEODOI57_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "app", *args], capture_output=True, text=True, env=env, cwd=ROOT
    )


def test_report_pdf_and_xlsx_commands(tmp_path):
    db = tmp_path / "bs.sqlite"
    plan = load_sample("bim-son")
    with Store.create(db, plan.office, plan) as store:
        fill_demo(store, date(2026, 4, 10))
    pdf, xlsx = tmp_path / "bc.pdf", tmp_path / "bc.xlsx"
    common = ["--db", str(db), "--period", "2026-Q1", "--today", "2026-04-10"]
    proc = run("report", "pdf", *common, "--out", str(pdf), "--style", "state")
    assert proc.returncode == 0, proc.stderr
    assert "Đã ghi báo cáo Quý I/2026" in proc.stdout
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in PdfReader(pdf).pages[0].extract_text()
    proc = run("report", "xlsx", *common, "--out", str(xlsx), "--package-id", "P-1")
    assert proc.returncode == 0, proc.stderr
    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["Thông tin", "Chỉ tiêu", "Nhiệm vụ"]
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []

    bad = run("report", "pdf", "--db", str(db), "--period", "2026-Q5", "--out", str(pdf))
    assert bad.returncode == 1 and bad.stderr.startswith("Lỗi: Mã kỳ báo cáo '2026-Q5'")
    wrong = run("report", "xlsx", *common, "--out", str(tmp_path / "x.pdf"))
    assert wrong.returncode == 1 and "phải có đuôi .xlsx" in wrong.stderr
    missing = run("report", "pdf", *common, "--out", str(tmp_path / "no" / "such" / "x.pdf"))
    assert missing.returncode == 1 and missing.stderr.startswith("Lỗi: ")
