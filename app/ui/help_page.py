"""Trợ giúp → Hướng dẫn sử dụng: the Vietnamese user guide shipped in resources/help/,
shown offline in the window (no browser, no network)."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from ..paths import resources_dir
from .messages import translate_buttons

GUIDE = "huong-dan.html"


class HelpDialog(QDialog):
    """The guide in a text browser; links inside it jump to its sections."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Hướng dẫn sử dụng")
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        path = resources_dir() / "help" / GUIDE
        self.browser.setSource(QUrl.fromLocalFile(str(path)))
        buttons = translate_buttons(QDialogButtonBox(QDialogButtonBox.StandardButton.Close))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        screen = self.screen().availableGeometry()
        self.resize(min(900, screen.width() - 40), min(700, screen.height() - 60))
