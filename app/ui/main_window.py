"""The main window: navigation on the left, one page at a time, status bar, menus.

Pages are built the first time they are shown, so start-up only pays for the
dashboard. Every edit is saved at once by the store; the menu offers undo of
the last edit (read from the audit history), search and export.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QByteArray, QRect, QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from ..models.errors import UserError
from ..models.plan import OfficeMode
from ..settings import Settings
from . import messages
from .edit_menu import clipboard_action
from .focus import wheel_needs_focus
from .icons import icon
from .session import Session

if TYPE_CHECKING:
    from .packages_page import PackagesPage
    from .periods_page import PeriodsPage
    from .receiving_page import ReceivingPage


SCROLLED_PAGES = frozenset({"dashboard", "settings"})  # forms; the grids scroll themselves


class MainWindow(QMainWindow):
    def __init__(self, session: Session, settings: Settings) -> None:
        super().__init__()
        self.session = session
        self.settings = settings
        self.setWindowTitle("Theo dõi NQ57")
        self._fit_to_screen()
        self.pages: dict[str, QWidget] = {}
        self._shown: dict[str, QWidget] = {}  # what the stack holds: the page or its scroller
        self._factories: dict[str, Callable[[], QWidget]] = {}
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setIconSize(QSize(26, 26))
        self.nav.setMinimumWidth(190)
        self.nav.setMaximumWidth(240)
        self.stack = QStackedWidget()
        self._add_pages()
        self.nav.currentRowChanged.connect(self._show_row)
        splitter = QSplitter()
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        self.setCentralWidget(splitter)
        self._status_bar()
        self._menus()
        session.officeChanged.connect(self._update_status)
        session.storeReplaced.connect(self._store_replaced)
        session.undoChanged.connect(self._update_undo)
        self.nav.setCurrentRow(0)

    # -- pages --------------------------------------------------------------------------
    def _add_pages(self) -> None:
        """Page modules are imported when the page is first shown (fast start-up)."""

        def dashboard() -> QWidget:
            from .dashboard_page import DashboardPage

            return DashboardPage(self.session, self)

        def plan() -> QWidget:
            from .plan_page import PlanPage

            return PlanPage(self.session)

        def periods() -> QWidget:
            from .periods_page import PeriodsPage

            return PeriodsPage(self.session)

        def agencies() -> QWidget:
            from .agencies_page import AgenciesPage

            return AgenciesPage(self.session)

        def packages() -> QWidget:
            from .packages_page import PackagesPage

            return PackagesPage(self.session, self.settings)

        def settings() -> QWidget:
            from .settings_page import SettingsPage

            return SettingsPage(self.session, self.settings, self)

        def receiving() -> QWidget:
            from ..receiving.store import Receiving
            from .receiving_page import ReceivingPage

            # Shares the window's connection; ingest workers open their own.
            return ReceivingPage(Receiving(self.session.store), self)

        entries: list[tuple[str, str, str, Callable[[], QWidget]]] = []
        if self.session.store.plan.office().mode is OfficeMode.RECEIVING:
            # The receiving office has its own pages only: it enters no plan or periods.
            entries.append(("receiving", "Nhận & tổng hợp", "packages", receiving))
        else:
            entries += [
                ("dashboard", "Tổng quan", "dashboard", dashboard),
                ("plan", "Kế hoạch", "plan", plan),
                ("periods", "Kỳ báo cáo", "periods", periods),
                ("agencies", "Cơ quan, đơn vị", "plan", agencies),
            ]
        if self.session.store.plan.office().mode is OfficeMode.REPORTING:
            entries.append(("packages", "Gói báo cáo", "packages", packages))
        entries.append(("settings", "Cài đặt", "settings", settings))
        for key, label, icon_name, factory in entries:
            item = QListWidgetItem(icon(icon_name), label)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setSizeHint(QSize(180, 44))
            self.nav.addItem(item)
            self._factories[key] = factory
            placeholder = QWidget()
            placeholder.setObjectName(f"pending-{key}")
            self.stack.addWidget(placeholder)

    def page(self, key: str) -> QWidget:
        """The page for `key`, built on first use."""
        if key not in self.pages:
            row = list(self._factories).index(key)
            widget = self._factories[key]()
            shown: QWidget = widget
            if key in SCROLLED_PAGES:  # a form taller than a 768 px screen scrolls
                scroller = QScrollArea()
                scroller.setWidgetResizable(True)
                scroller.setFrameShape(QFrame.Shape.NoFrame)
                scroller.setWidget(widget)
                shown = scroller
                wheel_needs_focus(widget)
            old = self.stack.widget(row)
            assert old is not None  # the placeholder added with the page
            self.stack.insertWidget(row, shown)
            self.stack.removeWidget(old)
            old.deleteLater()
            self.pages[key] = widget
            self._shown[key] = shown
        return self.pages[key]

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        key = self.nav.item(row).data(Qt.ItemDataRole.UserRole)
        self.page(key)
        self.stack.setCurrentWidget(self._shown[key])

    # -- the window on the screen --------------------------------------------------------
    def _available(self) -> QRect:
        screen = self.screen() or QGuiApplication.primaryScreen()
        return screen.availableGeometry()

    def _fit_to_screen(self) -> None:
        """At most 1280×800, never more than the screen's free area (taskbar kept)."""
        area = self._available()
        self.resize(min(1280, area.width()), min(800, area.height()))

    def show_fitted(self) -> None:
        """Show where the window was last time, else maximized on a small screen (1366×768
        and below) or centred on a large one; always inside the screen's free area."""
        saved = self.settings.window_geometry
        if saved and self.restoreGeometry(QByteArray.fromBase64(saved.encode("ascii"))):
            area = self._available()
            if not self.isMaximized() and not area.contains(self.frameGeometry()):
                self._fit_to_screen()
                self.move(area.topLeft())
            self.show()
            return
        area = self._available()
        if area.width() < 1440 or area.height() < 900:
            self.showMaximized()
            return
        self._fit_to_screen()
        self.move(area.center() - self.rect().center())
        self.show()

    def remember_geometry(self) -> None:
        data = bytes(self.saveGeometry().toBase64().data()).decode("ascii")
        self.settings.set("window_geometry", data)
        self.settings.save()

    def show_page(self, key: str) -> QWidget:
        row = list(self._factories).index(key)
        self.nav.setCurrentRow(row)
        return self.page(key)

    def current_key(self) -> str:
        return self.nav.currentItem().data(Qt.ItemDataRole.UserRole)

    # -- status bar and menus -------------------------------------------------------------
    def _status_bar(self) -> None:
        self.file_label = QLabel()
        self.office_label = QLabel()
        self.period_label = QLabel()
        self.message_label = QLabel()  # the one message line: seen, and cleared by the next edit
        self.message_label.setObjectName("statusMessage")
        bar = self.statusBar()
        bar.addWidget(self.message_label, 1)
        bar.addPermanentWidget(self.office_label)
        bar.addPermanentWidget(self.period_label)
        bar.addPermanentWidget(self.file_label)
        self.file_label.setMaximumWidth(360)
        self.session.changed.connect(lambda _change: self.show_message(""))
        self._update_status()

    def show_message(self, text: str, error: bool = False) -> None:
        """The status line: success in the normal colour, errors red; the next edit clears it."""
        self.message_label.setText(text)
        self.message_label.setStyleSheet("color: #a8231a;" if error else "")

    def _update_status(self) -> None:
        shown = self.file_label.fontMetrics().elidedText(
            f"Tệp dữ liệu: {self.session.path}", Qt.TextElideMode.ElideMiddle, 340
        )
        self.file_label.setText(shown)
        self.file_label.setToolTip(str(self.session.path))
        self.office_label.setText(f"Đơn vị: {self.session.plan().office.name}")
        period = self.session.current_period()
        if period is None:
            self.period_label.setText("Chưa có chế độ báo cáo")
        else:
            self.period_label.setText(f"Kỳ hiện tại: {period.label} (hạn {period.due:%d/%m/%Y})")

    def _action(self, menu, text: str, slot: Callable[[], object], shortcut=None) -> QAction:  # noqa: ANN001
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def _menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&Tệp")
        self.export_action = self._action(
            file_menu,
            "Ký và xuất gói báo cáo…"
            if "packages" in self._factories
            else "Xuất tổng hợp…"
            if "receiving" in self._factories
            else "Lưu báo cáo PDF kỳ hiện tại…",
            self.export_current,
            "Ctrl+E",
        )
        file_menu.addSeparator()
        self._action(file_menu, "Sao lưu dữ liệu…", lambda: self._settings_call("backup_to_file"))
        self._action(
            file_menu, "Khôi phục từ bản sao lưu…", lambda: self._settings_call("restore_from_file")
        )
        file_menu.addSeparator()
        self._action(file_menu, "Thoát", self.close, QKeySequence.StandardKey.Quit)
        edit_menu = bar.addMenu("&Sửa")
        self.undo_action = self._action(
            edit_menu, "Hoàn tác", self.undo, QKeySequence.StandardKey.Undo
        )
        self.undo_action.setEnabled(False)
        self.redo_action = self._action(edit_menu, "Làm lại", self.redo, "Ctrl+Y")
        self.redo_action.setEnabled(False)
        edit_menu.addSeparator()
        for text, name, key in (
            ("Cắt", "cut", QKeySequence.StandardKey.Cut),
            ("Sao chép", "copy", QKeySequence.StandardKey.Copy),
            ("Dán", "paste", QKeySequence.StandardKey.Paste),
        ):
            action = self._action(edit_menu, text, partial(clipboard_action, name), key)
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # keys stay the widget's
        edit_menu.addSeparator()
        self._action(edit_menu, "Tìm kiếm", self.focus_search, QKeySequence.StandardKey.Find)
        view_menu = bar.addMenu("&Xem")
        for row in range(self.nav.count()):
            item = self.nav.item(row)
            self._action(
                view_menu, item.text(), partial(self.nav.setCurrentRow, row), f"Ctrl+{row + 1}"
            )
        help_menu = bar.addMenu("Trợ &giúp")
        self._action(
            help_menu, "Hướng dẫn sử dụng", self.show_help, QKeySequence.StandardKey.HelpContents
        )
        self._action(help_menu, "Giới thiệu", self._about)

    def _update_undo(self, label: str) -> None:
        self.undo_action.setEnabled(bool(label))
        self.undo_action.setText(label or "Hoàn tác")
        redo = self.session.redo_label()
        self.redo_action.setEnabled(bool(redo))
        self.redo_action.setText(redo or "Làm lại")

    def undo(self) -> None:
        try:
            change = self.session.undo()
        except UserError as exc:
            self.show_message(exc.message, error=True)
            return
        self.show_message("Đã hoàn tác." if change else "Không còn thay đổi nào để hoàn tác.")

    def redo(self) -> None:
        try:
            change = self.session.redo()
        except UserError as exc:
            self.show_message(exc.message, error=True)
            return
        self.show_message("Đã làm lại." if change else "Không còn thao tác nào để làm lại.")

    def focus_search(self) -> None:
        key = self.current_key()
        page: Any = self.page(key)  # the plan page or the periods page
        if not hasattr(page, "focus_search"):
            if "plan" not in self._factories:  # a receiving file has no plan page
                return
            page = self.show_page("plan")
        page.focus_search()

    def export_current(self) -> None:
        if "packages" in self._factories:
            cast("PackagesPage", self.show_page("packages")).export_current()
        elif "receiving" in self._factories:
            cast("ReceivingPage", self.show_page("receiving")).export()
        else:
            periods = cast("PeriodsPage", self.show_page("periods"))
            period = self.session.current_period()
            if period is not None:
                periods.open_period(period.id).save_report("pdf")

    def _settings_call(self, name: str) -> None:
        page = self.show_page("settings")
        getattr(page, name)()

    def show_help(self) -> None:
        """The Vietnamese user guide (resources/help), non-modal beside the window."""
        from .help_page import HelpDialog

        self.help_dialog = HelpDialog(self)
        self.help_dialog.show()

    def _about(self) -> None:
        from .. import __version__

        messages.show_info(
            self,
            f"Theo dõi NQ57, phiên bản {__version__}.\nTheo dõi, báo cáo kết quả thực hiện "
            "Nghị quyết số 57-NQ/TW của Bộ Chính trị. Dữ liệu lưu trên máy, không cần mạng.",
            "Giới thiệu",
        )

    def _store_replaced(self) -> None:
        self._update_status()

    def closeEvent(self, event: QCloseEvent) -> None:
        periods = cast("PeriodsPage | None", self.pages.get("periods"))
        if periods is not None and periods.entry is not None:
            periods.entry.save_narrative()
        self.remember_geometry()
        event.accept()
