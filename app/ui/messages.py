"""Vietnamese message boxes and file pickers, in one place.

Qt ships no Vietnamese translation of its own buttons, so every box sets its
button texts itself. Pages call these functions through the module
(`messages.confirm(...)`), which lets tests replace them and never block on a
modal dialog.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QMessageBox,
    QWidget,
    QWizard,
)

from ..paths import resources_dir
from .focus import exec_dialog

BUTTON_TEXTS = {
    QDialogButtonBox.StandardButton.Ok: "Đồng ý",
    QDialogButtonBox.StandardButton.Cancel: "Hủy",
    QDialogButtonBox.StandardButton.Yes: "Có",
    QDialogButtonBox.StandardButton.No: "Không",
    QDialogButtonBox.StandardButton.Close: "Đóng",
    QDialogButtonBox.StandardButton.Save: "Lưu",
    QDialogButtonBox.StandardButton.Open: "Mở",
    QDialogButtonBox.StandardButton.Apply: "Áp dụng",
    QDialogButtonBox.StandardButton.Discard: "Bỏ qua",
}
_BOX_TEXTS = {
    QMessageBox.StandardButton.Ok: "Đồng ý",
    QMessageBox.StandardButton.Cancel: "Hủy",
    QMessageBox.StandardButton.Yes: "Có",
    QMessageBox.StandardButton.No: "Không",
    QMessageBox.StandardButton.Close: "Đóng",
}
WIZARD_TEXTS = {
    QWizard.WizardButton.BackButton: "< Quay lại",
    QWizard.WizardButton.NextButton: "Tiếp theo >",
    QWizard.WizardButton.FinishButton: "Hoàn tất",
    QWizard.WizardButton.CancelButton: "Hủy",
    QWizard.WizardButton.HelpButton: "Trợ giúp",
}
ALL_FILES = "Mọi tệp (*)"
_translators: list[QTranslator] = []


def install_translations(app: QApplication) -> bool:
    """Load Vietnamese for Qt's own strings (text-box context menus, button boxes, file
    dialogs, message boxes): our resources/qtbase_vi.qm, since Qt ships none for
    Vietnamese, then Qt's own should a later Qt have one. Once per application."""
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    if _translators:
        return True
    folders = [str(resources_dir()), QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)]
    loaded = False
    for folder in folders:
        for name in ("qtbase_vi", "qt_vi"):
            translator = QTranslator(app)
            if translator.load(name, folder):
                app.installTranslator(translator)
                _translators.append(translator)
                loaded = True
    return loaded


def translate_buttons(box: QDialogButtonBox) -> QDialogButtonBox:
    for which, text in BUTTON_TEXTS.items():
        button = box.button(which)
        if button is not None:
            button.setText(text)
    return box


def translate_wizard(wizard: QWizard) -> None:
    for which, text in WIZARD_TEXTS.items():
        wizard.setButtonText(which, text)


def _box(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    buttons: QMessageBox.StandardButton,
    default: QMessageBox.StandardButton,
) -> QMessageBox.StandardButton:
    box = QMessageBox(icon, title, text, buttons, parent)
    for which, label in _BOX_TEXTS.items():
        button = box.button(which)
        if button is not None:
            button.setText(label)
    box.setDefaultButton(default)
    return QMessageBox.StandardButton(exec_dialog(box))


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    """Ask a yes/no question; "Không" is the default so Enter never destroys data."""
    Btn = QMessageBox.StandardButton
    answer = _box(parent, QMessageBox.Icon.Question, title, text, Btn.Yes | Btn.No, Btn.No)
    return answer == Btn.Yes


def show_error(parent: QWidget | None, text: str, title: str = "Có lỗi") -> None:
    Btn = QMessageBox.StandardButton
    _box(parent, QMessageBox.Icon.Warning, title, text, Btn.Ok, Btn.Ok)


def show_info(parent: QWidget | None, text: str, title: str = "Thông báo") -> None:
    Btn = QMessageBox.StandardButton
    _box(parent, QMessageBox.Icon.Information, title, text, Btn.Ok, Btn.Ok)


def _dialog(parent: QWidget | None, title: str, mode: QFileDialog.FileMode) -> QFileDialog:
    dialog = QFileDialog(parent, title)
    dialog.setFileMode(mode)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, False)
    dialog.setLabelText(QFileDialog.DialogLabel.Accept, "Chọn")
    dialog.setLabelText(QFileDialog.DialogLabel.Reject, "Hủy")
    dialog.setLabelText(QFileDialog.DialogLabel.FileName, "Tên tệp:")
    dialog.setLabelText(QFileDialog.DialogLabel.FileType, "Loại tệp:")
    dialog.setLabelText(QFileDialog.DialogLabel.LookIn, "Thư mục:")
    return dialog


def choose_open_file(
    parent: QWidget | None, title: str, file_filter: str = "", start: str = ""
) -> Path | None:
    paths = choose_open_files(parent, title, file_filter, start, many=False)
    return paths[0] if paths else None


def choose_open_files(
    parent: QWidget | None, title: str, file_filter: str = "", start: str = "", many: bool = True
) -> list[Path]:
    mode = QFileDialog.FileMode.ExistingFiles if many else QFileDialog.FileMode.ExistingFile
    dialog = _dialog(parent, title, mode)
    dialog.setNameFilter(file_filter or ALL_FILES)
    dialog.setDirectory(start or str(Path.home()))  # never the program's own folder
    if not exec_dialog(dialog):
        return []
    return [Path(p) for p in dialog.selectedFiles()]


def choose_save_file(
    parent: QWidget | None, title: str, suggested: str, file_filter: str = ""
) -> Path | None:
    dialog = _dialog(parent, title, QFileDialog.FileMode.AnyFile)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setLabelText(QFileDialog.DialogLabel.Accept, "Lưu")
    dialog.setNameFilter(file_filter or ALL_FILES)
    if not Path(suggested).is_absolute():
        dialog.setDirectory(str(Path.home()))
    dialog.selectFile(suggested)
    if not exec_dialog(dialog):
        return None
    files = dialog.selectedFiles()
    return Path(files[0]) if files else None


def choose_folder(parent: QWidget | None, title: str, start: str = "") -> Path | None:
    dialog = _dialog(parent, title, QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    dialog.setDirectory(start or str(Path.home()))
    if not exec_dialog(dialog):
        return None
    files = dialog.selectedFiles()
    return Path(files[0]) if files else None


def ask_text(parent: QWidget | None, title: str, prompt: str, hidden: bool = False) -> str | None:
    """One line of text with Vietnamese buttons; None when the user cancels."""
    from PySide6.QtWidgets import QInputDialog, QLineEdit

    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(prompt)
    if hidden:
        dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
    dialog.setOkButtonText("Đồng ý")
    dialog.setCancelButtonText("Hủy")
    if not exec_dialog(dialog):
        return None
    return dialog.textValue()


def ask_passphrase(
    parent: QWidget | None, prompt: str, title: str = "Mật khẩu khóa ký"
) -> str | None:
    """The signing key's passphrase, typed hidden; None when the user cancels. Never stored."""
    return ask_text(parent, title, prompt, hidden=True)


def ask_new_passphrase(parent: QWidget | None) -> str | None:
    """A new passphrase typed twice; None when cancelled or the two differ."""
    first = ask_passphrase(
        parent, "Đặt mật khẩu cho khóa ký mới (ít nhất 10 ký tự; nên ghép ba từ dễ nhớ):"
    )
    if first is None:
        return None
    second = ask_passphrase(parent, "Nhập lại mật khẩu:")
    if second is None:
        return None
    if first != second:
        show_error(parent, "Hai lần nhập mật khẩu không khớp nhau.")
        return None
    return first
