"""The report's page 1 measured as a văn thư would with a ruler: word boxes and rules.

Word boxes come from poppler (`pdftotext -bbox`); the rules are the stroked
horizontal lines of the page's content stream (read with pypdf, in page
coordinates). Nghị định 30: the title block is centred on the text width; the
rules under the issuing body and under the trích yếu are 1/3–1/2 of their
line; the motto's rule is as long as the motto.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date, datetime
from html import unescape
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.models.plan import DocumentStyle
from app.models.samples import fill_demo, load_sample
from app.models.store import Store
from app.reports.content import build_report
from app.reports.pdf import MARGINS, render_pdf

MM = 72 / 25.4
A4_WIDTH = 595.2756
TEXT_CENTRE = (MARGINS["left"] + A4_WIDTH - MARGINS["right"]) / 2
pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float  # from the top of the page (poppler's coordinates)
    x1: float
    y1: float


def words(pdf: Path, page: int = 1) -> list[Word]:
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
    return [
        Word(unescape(t), float(a), float(b), float(c), float(d))
        for a, b, c, d, t in re.findall(pattern, html)
    ]


def line_of(all_words: list[Word], text: str) -> tuple[float, float, float]:
    """(x0, x1, bottom) of the printed line whose words are `text`, in order."""
    wanted = text.split()
    for i in range(len(all_words) - len(wanted) + 1):
        run = all_words[i : i + len(wanted)]
        if [w.text for w in run] == wanted and len({round(w.y1) for w in run}) == 1:
            return run[0].x0, run[-1].x1, run[0].y1
    raise AssertionError(f"line {text!r} not found")


def rules(pdf: Path, page: int = 0) -> list[tuple[float, float, float]]:
    """Horizontal stroked lines of the page: (x0, x1, y from the top), in page coordinates."""
    reader = PdfReader(pdf)
    height = float(reader.pages[page].mediabox.height)
    found: list[tuple[float, float, float]] = []
    start: list[tuple[float, float]] = []

    def visit(op: bytes, args: list, cm: list, tm: list) -> None:  # noqa: ANN001
        def place(x: float, y: float) -> tuple[float, float]:
            return cm[0] * x + cm[2] * y + cm[4], cm[1] * x + cm[3] * y + cm[5]

        if op == b"m":
            start[:] = [place(float(args[0]), float(args[1]))]
        elif op == b"l" and start:
            (xa, ya), (xb, yb) = start[0], place(float(args[0]), float(args[1]))
            if abs(ya - yb) < 0.01 and abs(xb - xa) > 5:
                found.append((min(xa, xb), max(xa, xb), height - ya))

    reader.pages[page].extract_text(visitor_operand_before=visit)
    return found


def rule_under(
    all_rules: list[tuple[float, float, float]], line: tuple[float, float, float]
) -> tuple[float, float]:
    """The rule closest below `line` (x0, x1, bottom), within 8 pt, under its span."""
    x0, x1, bottom = line
    below = [r for r in all_rules if 0 <= r[2] - bottom <= 8 and x0 <= (r[0] + r[1]) / 2 <= x1]
    assert below, f"no rule under the line at {bottom:.1f}"
    x0, x1, _y = min(below, key=lambda r: r[2] - bottom)
    return x0, x1


@pytest.fixture(scope="module", params=["state", "party"])
def page_one(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"layout-{request.param}")
    sample = "thong-nhat" if request.param == "state" else "bim-son"
    plan = load_sample(sample)
    with Store.create(folder / f"{sample}.sqlite", plan.office, plan) as store:
        fill_demo(store, date(2026, 7, 10))
        period = "2026-H1" if sample == "thong-nhat" else "2026-Q1"
        report = build_report(store, period, date(2026, 4, 10),
                              generated_at=datetime(2026, 4, 10, 9, 30).astimezone())  # fmt: skip
    pdf = folder / "report.pdf"
    pdf.write_bytes(render_pdf(report))
    return report, pdf, words(pdf), rules(pdf)


def test_the_title_block_is_centred_on_the_text_width(page_one):
    report, _pdf, all_words, _rules = page_one
    for text in (report.kind_title.upper(), report.summary):
        x0, x1, _bottom = line_of(all_words, text)
        assert (x0 + x1) / 2 == pytest.approx(TEXT_CENTRE, abs=1 * MM), text


def test_rules_under_issuing_body_and_summary_are_a_third_to_a_half_of_their_line(page_one):
    report, _pdf, all_words, all_rules = page_one
    checked = 0
    if report.style is DocumentStyle.STATE:
        for text in (report.issuing_lines[-1], report.summary):
            x0, x1, _bottom = line = line_of(all_words, text)
            r0, r1 = rule_under(all_rules, line)
            ratio = (r1 - r0) / (x1 - x0)
            assert 1 / 3 <= ratio <= 1 / 2, f"{text}: rule {ratio:.0%} of its line"
            assert (r0 + r1) / 2 == pytest.approx((x0 + x1) / 2, abs=1), text  # centred
            checked += 1
        x0, x1, _bottom = line = line_of(all_words, "Độc lập - Tự do - Hạnh phúc")
        r0, r1 = rule_under(all_rules, line)
        assert (r1 - r0) == pytest.approx(x1 - x0, abs=1.5)  # as long as the motto
    else:  # HD 36: a rule under the header as long as it; "*" under the body, no rule
        x0, x1, _bottom = line = line_of(all_words, "ĐẢNG CỘNG SẢN VIỆT NAM")
        r0, r1 = rule_under(all_rules, line)
        assert (r1 - r0) == pytest.approx(x1 - x0, abs=1.5)
        checked += 1
    assert checked


def test_the_issuing_body_keeps_its_size_and_wraps(page_one):
    """HD 36 asks 14 pt for the issuing body: a long one wraps rather than shrinks."""
    report, _pdf, all_words, _rules = page_one
    first = report.issuing_lines[0].split()[0]
    word = next(w for w in all_words if w.text == first)
    size = 14 if report.style is DocumentStyle.PARTY else 13
    assert (word.y1 - word.y0) / 0.893 == pytest.approx(size, abs=0.25)  # Liberation Serif box


def test_a_word_or_number_is_never_broken_inside_its_cell(page_one):
    """A unit like "Số doanh nghiệp/1.000 dân" in the narrow unit column: the long token is
    set smaller to fit, not split as "nghiệp/1." / "000 dân" across lines."""
    report, pdf, _words, _rules = page_one
    if report.style is not DocumentStyle.PARTY:
        pytest.skip("the Bỉm Sơn sample has the unit")
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    assert "nghiệp/1.000" in text
    assert "nghiệp/1.\n" not in text
