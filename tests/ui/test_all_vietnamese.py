"""Issue 22, point 8: no English word from Qt or from us anywhere the secretary looks.

Qt has no Vietnamese of its own; resources/qtbase_vi.qm (compiled from
qtbase_vi.ts) is loaded at start. This walks every page, every menu, the text
boxes' context menus, and the standard dialogs, and fails on any word of a small
English list.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

ENGLISH = re.compile(
    r"\b(OK|Cancel|Undo|Redo|Cut|Copy|Paste|Delete|Select All|Files?|Open|Save|Close|Yes|No|"
    r"Apply|Help|Back|Next|Finish|Look in|Name|Size|Type|Date Modified|Directory|Folder|"
    r"Step up|Step down|Details|Scroll|Discard|Reset|Retry|Ignore|Abort)\b"
)


def english(texts: list[str]) -> list[str]:
    return sorted({t for t in texts if ENGLISH.search(t.replace("&", ""))})


def menu_texts(menu: QMenu) -> list[str]:
    out = []
    for action in menu.actions():
        out.append(action.text())
        if action.menu() is not None:
            out += menu_texts(action.menu())
    return out


def widget_texts(root: QWidget) -> list[str]:
    out = [root.windowTitle()]
    for w in root.findChildren(QLabel):
        out.append(w.text())
    for w in root.findChildren(QAbstractButton):
        out.append(w.text())
    for w in root.findChildren(QGroupBox):
        out.append(w.title())
    for w in root.findChildren(QTabWidget):
        out += [w.tabText(i) for i in range(w.count())]
    for w in root.findChildren(QComboBox):
        out += [w.itemText(i) for i in range(w.count())]
    for w in root.findChildren(QLineEdit):
        out.append(w.placeholderText())
    for view in root.findChildren(QAbstractItemView):
        model = view.model()
        if model is not None and not isinstance(view, QListView):
            out += [
                str(model.headerData(c, Qt.Orientation.Horizontal) or "")
                for c in range(model.columnCount())
            ]
    return [t for t in out if t]


def context_menus(root: QWidget) -> list[str]:
    out = []
    for kind in (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox):
        for w in root.findChildren(kind):
            menu = (
                w.createStandardContextMenu() if hasattr(w, "createStandardContextMenu") else None
            )
            if menu is None and isinstance(w, QAbstractSpinBox):
                menu = w.lineEdit().createStandardContextMenu()
            if menu is not None:
                out += menu_texts(menu)
                menu.deleteLater()
    return out


def test_every_page_menu_and_context_menu_is_vietnamese(qtbot, window):  # noqa: ANN001
    texts = []
    for action in window.menuBar().actions():
        texts.append(action.text())
        texts += menu_texts(action.menu())
    for key in list(window._factories):
        page = window.show_page(key)
        texts += widget_texts(page)
        texts += context_menus(page)
    entry = window.show_page("periods").open_period("2026-Q3")
    texts += widget_texts(entry) + context_menus(entry)
    assert len(texts) > 200
    assert english(texts) == []


def test_qt_standard_texts_come_translated(qtbot, window):  # noqa: ANN001
    # The same words Qt would show in English, asked through Qt's own translation.
    assert QCoreApplication.translate("QLineEdit", "&Paste") == "&Dán"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Hủy"
    edit = QLineEdit()
    qtbot.addWidget(edit)
    menu = edit.createStandardContextMenu()
    labels = [a.text().split("\t")[0] for a in menu.actions() if not a.isSeparator()]
    assert labels[:7] == [
        "&Hoàn tác",
        "&Làm lại",
        "&Cắt",
        "&Sao chép",
        "&Dán",
        "Xóa",
        "Chọn tất cả",
    ]

    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )  # no translate_buttons(): Qt's own text, translated
    qtbot.addWidget(box)
    assert sorted(b.text() for b in box.buttons()) == ["Hủy", "Đồng ý"]
    message = QMessageBox(QMessageBox.Icon.Question, "Hỏi", "Có không?",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)  # fmt: skip
    qtbot.addWidget(message)
    assert sorted(b.text().replace("&", "") for b in message.buttons()) == ["Có", "Không"]


def test_dialogs_are_vietnamese(qtbot, window):  # noqa: ANN001
    dialog = QFileDialog(window, "Chọn tệp")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)  # Qt's own, as on Linux
    qtbot.addWidget(dialog)
    from app.ui import messages

    dialog.setNameFilter(messages.ALL_FILES)  # what every picker shows without a filter
    texts = widget_texts(dialog) + context_menus(dialog)
    assert english(texts) == [], english(texts)

    ask = QInputDialog(window)
    ask.setOkButtonText("Đồng ý")
    ask.setCancelButtonText("Hủy")
    qtbot.addWidget(ask)
    assert english(widget_texts(ask) + context_menus(ask)) == []


def test_help_guide_opens_from_tro_giup(qtbot, window):  # noqa: ANN001
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "Trợ &giúp")
    guide = next(a for a in help_menu.actions() if a.text() == "Hướng dẫn sử dụng")
    assert guide.shortcut().toString() == "F1"
    guide.trigger()
    dialog = window.help_dialog
    qtbot.addWidget(dialog)
    text = dialog.browser.toPlainText()
    assert text.startswith("Hướng dẫn sử dụng Theo dõi NQ57")
    for heading in ("Nhập số liệu một kỳ báo cáo", "Ký và xuất gói báo cáo", "Chuyển sang máy mới"):
        assert heading in text
    assert english(widget_texts(dialog)) == []
    dialog.close()
