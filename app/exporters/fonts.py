"""The serif font family that reports are set in, embedded in every PDF.

Nghị định 30/2020 asks for Times New Roman. Where the system has it (Windows,
macOS, Linux with the Microsoft core fonts) it is used; otherwise the bundled
Liberation Serif, which has the same metrics, so line breaks and page breaks
come out the same on every machine. Vietnamese needs the full Latin Extended
Additional block, so a font without it is refused, not silently used.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ..models.errors import UserError
from ..paths import resources_dir

STYLES = ("regular", "bold", "italic", "bold_italic")

# Characters every report needs: the Vietnamese letters plus the signs the
# plans print ("≥ 80%", "–", quotes). A font missing any of them is unusable.
VIETNAMESE_SAMPLE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxy"
    "áàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
    "AĂÂĐÊÔƠƯÁÀẢÃẠẮẰẲẴẶẤẦẨẪẬÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ"
    "≥≤–—“”‘’…•"
)


@dataclass(frozen=True)
class FontFiles:
    """Paths of the four faces of one family."""

    family: str
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path

    def paths(self) -> dict[str, Path]:
        return {s: getattr(self, s) for s in STYLES}


@dataclass(frozen=True)
class FontSet:
    """Registered reportlab font names of the family, and the characters it can draw."""

    family: str
    regular: str
    bold: str
    italic: str
    bold_italic: str
    coverage: frozenset[int]

    def covers(self, text: str) -> bool:
        return set(text) <= self.chars or all(
            ord(ch) in self.coverage for ch in text if not ch.isspace()
        )

    @property
    def chars(self) -> frozenset[str]:
        return _chars(self.coverage)

    def missing(self, text: str) -> set[str]:
        return {ch for ch in text if not ch.isspace() and ord(ch) not in self.coverage}


@lru_cache(maxsize=8)
def _chars(coverage: frozenset[int]) -> frozenset[str]:
    return frozenset(chr(c) for c in coverage) | {" ", "\n", "\t", "\u00a0"}


def bundled_fonts() -> FontFiles:
    folder = resources_dir() / "fonts"
    return FontFiles(
        "Liberation Serif",
        folder / "LiberationSerif-Regular.ttf",
        folder / "LiberationSerif-Bold.ttf",
        folder / "LiberationSerif-Italic.ttf",
        folder / "LiberationSerif-BoldItalic.ttf",
    )


def _times_candidates() -> list[Path]:
    folders = []
    windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot")
    if windir:
        folders.append(Path(windir) / "Fonts")
    folders += [
        Path("C:/Windows/Fonts"),
        Path("/usr/share/fonts/truetype/msttcorefonts"),
        Path("/Library/Fonts"),
        Path("/System/Library/Fonts/Supplemental"),
    ]
    return folders


def system_times() -> FontFiles | None:
    """Times New Roman from the system, when all four faces are there."""
    names = [
        ("times.ttf", "timesbd.ttf", "timesi.ttf", "timesbi.ttf"),
        (
            "Times_New_Roman.ttf",
            "Times_New_Roman_Bold.ttf",
            "Times_New_Roman_Italic.ttf",
            "Times_New_Roman_Bold_Italic.ttf",
        ),
        (
            "Times New Roman.ttf",
            "Times New Roman Bold.ttf",
            "Times New Roman Italic.ttf",
            "Times New Roman Bold Italic.ttf",
        ),
    ]
    for folder in _times_candidates():
        for files in names:
            paths = [folder / f for f in files]
            if all(p.is_file() for p in paths):
                return FontFiles("Times New Roman", *paths)
    return None


def default_fonts() -> FontFiles:
    """Times New Roman when the system has it, else the bundled Liberation Serif.

    THEODOI57_BUNDLED_FONTS=1 forces the bundled font (identical output everywhere).
    """
    if not os.environ.get("THEODOI57_BUNDLED_FONTS"):
        found = system_times()
        if found is not None:
            return found
    return bundled_fonts()


def load_fonts(files: FontFiles | None = None) -> FontSet:
    """Register the family with reportlab (once per process) and return its names.

    Raises UserError naming the file when a face is missing, unreadable or
    lacks Vietnamese letters.
    """
    return _load(files or default_fonts())


@lru_cache(maxsize=8)
def _load(files: FontFiles) -> FontSet:
    key = files.family.replace(" ", "")
    suffix = {"regular": "", "bold": "-Bold", "italic": "-Italic", "bold_italic": "-BoldItalic"}
    names = {s: key + suffix[s] for s in STYLES}
    coverage: frozenset[int] | None = None
    for style, path in files.paths().items():
        if not path.is_file():
            raise UserError(
                f"Không tìm thấy tệp phông chữ '{path}' ({files.family}, kiểu {style}). "
                "Hãy cài lại ứng dụng để có đủ phông chữ cho báo cáo.",
                "font",
            )
        try:
            font = TTFont(names[style], str(path))
        except Exception as exc:  # reportlab raises TTFError, struct.error, OSError …
            raise UserError(
                f"Tệp phông chữ '{path}' bị hỏng hoặc không phải phông TrueType ({exc}). "
                "Hãy cài lại ứng dụng.",
                "font",
            ) from None
        cmap = frozenset(font.face.charToGlyph)
        missing = sorted({ch for ch in VIETNAMESE_SAMPLE if ord(ch) not in cmap})
        if missing:
            raise UserError(
                f"Phông chữ '{path}' thiếu chữ tiếng Việt ({''.join(missing[:10])}…); "
                "không dùng được cho báo cáo.",
                "font",
            )
        coverage = cmap if coverage is None else coverage & cmap
        pdfmetrics.registerFont(font)
    # Family named after the regular face, so <b>/<i> in a Paragraph find the others.
    pdfmetrics.registerFontFamily(
        names["regular"],
        normal=names["regular"],
        bold=names["bold"],
        italic=names["italic"],
        boldItalic=names["bold_italic"],
    )
    assert coverage is not None
    return FontSet(
        files.family,
        names["regular"],
        names["bold"],
        names["italic"],
        names["bold_italic"],
        coverage,
    )
