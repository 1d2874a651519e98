"""Who still owes what for a period: per agency, items assigned and filled, form returned.

An indicator counts as filled when the period has its value, a task when its
status was reported for the period — whoever entered it (the agency's form,
the secretary typing what came by phone). A form is on time when it was
received by the agencies' last on-time day; an agency that returned nothing
is late once that day has passed. Each agency that still owes gets a ready
reminder in Vietnamese (what is missing, by when, whom to send it to) to copy
into Zalo or an email.

Agencies that send a signed package (the phường and xã under a Thị ủy that run
the application) are read from the receiving data file the office linked
(`store.agencies.receiving_file()`): the operation layer turns its accepted
packages of the period into `PackageArrival`s, and an agency of that kind owes
until one of them is its own (by the office id its packages carry, else by
name). Without a linked file they count like the others, by their items.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..models.agency import Agency, AgencyKind, Role, name_key
from ..models.atomic_file import atomic_write
from ..models.periods import Period
from ..models.progress import TaskStatus
from ..models.store import Store
from ..models.task_labels import task_keys
from ..models.xlsx_text import keep_texts_as_text
from .schedule import AgencyDue, agency_due

MAX_CODES_IN_REMINDER = 15
SHOWN_IN_SUMMARY = 3  # late agencies named on Tổng quan's line
SHOWN_ON_ENTRY = 4  # agencies still owing named on a period's entry screen


@dataclass
class AgencyStatus:
    agency: Agency
    indicators: list[str] = field(default_factory=list)  # codes assigned (as lead)
    tasks: list[str] = field(default_factory=list)  # "<group>.<code>" assigned (as lead)
    missing_indicators: list[str] = field(default_factory=list)
    missing_tasks: list[str] = field(default_factory=list)
    returned_on: date | None = None  # the first form (or accepted package) received
    returns: int = 0
    expects_package: bool = False  # sends a signed package, and a receiving file is linked
    package_detail: str = ""  # the package's own completeness ("Đã cập nhật 50/52 chỉ tiêu…")

    @property
    def assigned(self) -> int:
        return len(self.indicators) + len(self.tasks)

    @property
    def filled(self) -> int:
        return self.assigned - len(self.missing_indicators) - len(self.missing_tasks)

    @property
    def owes(self) -> bool:
        if self.expects_package:
            return self.returned_on is None
        return self.assigned > 0 and self.filled < self.assigned

    @property
    def expected(self) -> bool:
        """Something is owed by this agency for the period (items, or a package)."""
        return self.assigned > 0 or self.expects_package


@dataclass(frozen=True)
class PackageArrival:
    """An accepted package of the period in the linked receiving file (plain values)."""

    office_name: str
    office_uid: str | None
    received_on: date
    completeness: str = ""


def _bare(key: str) -> str:
    return key.removeprefix("ubnd ").strip()


def arrival_of(agency: Agency, arrivals: list[PackageArrival]) -> PackageArrival | None:
    """The agency's first package: by the office id it carries, else by name ("UBND" aside)."""
    if agency.office_uid:
        return next((a for a in arrivals if a.office_uid == agency.office_uid), None)
    names = {_bare(w) for w in agency.wordings()}
    return next((a for a in arrivals if _bare(name_key(a.office_name)) in names), None)


@dataclass
class PeriodAgencies:
    period: Period
    due: AgencyDue
    today: date
    office: str
    agencies: list[AgencyStatus]
    receiving_note: str = ""  # why the linked receiving file could not be read ("" when fine)

    def state(self, s: AgencyStatus) -> str:
        """The form's state: "Đúng hạn", "Trễ hạn 3 ngày", "Đã có đủ số liệu" (entered another
        way: a signed package, a phone call), "Chưa gửi, quá hạn 2 ngày", "Chưa gửi, chưa
        đến hạn", "Không có mục nào"."""
        if not s.expected:
            return "Không có mục nào"
        if s.returned_on is not None:
            late = (s.returned_on - self.due.due).days
            return "Đúng hạn" if late <= 0 else f"Trễ hạn {late} ngày"
        if not s.owes:
            return "Đã có đủ số liệu"
        if self.today > self.due.due:
            return f"Chưa gửi, quá hạn {(self.today - self.due.due).days} ngày"
        return "Chưa gửi, chưa đến hạn"

    def late(self, s: AgencyStatus) -> bool:
        if not s.expected:
            return False
        if s.returned_on is not None:
            return s.returned_on > self.due.due
        return self.today > self.due.due and s.owes

    def owing(self) -> list[AgencyStatus]:
        return [s for s in self.agencies if s.owes]

    def received_text(self, s: AgencyStatus) -> str:
        """ "nhận biểu mẫu ngày 22/09/2026", "nhận gói báo cáo ngày …", "chưa nhận …"."""
        what = "gói báo cáo" if s.expects_package else "biểu mẫu"
        return f"nhận {what} ngày {s.returned_on:%d/%m/%Y}" if s.returned_on \
            else f"chưa nhận {what}"  # fmt: skip

    def summary_text(self) -> str:
        """The one line of Tổng quan: "Cơ quan, đơn vị kỳ Quý III/2026 (hạn …): 8/10 đã gửi
        hoặc đã đủ số liệu; 2 trễ hạn: A (trễ hạn 3 ngày), B (chưa gửi, quá hạn 6 ngày)."
        At most SHOWN_IN_SUMMARY names; the page lists them all."""
        expected = [s for s in self.agencies if s.expected]
        if not expected:
            return ""
        done = [s for s in expected if s.returned_on is not None or not s.owes]
        late = [s for s in expected if self.late(s)]
        short = [s for s in expected if s.owes and s.returned_on is not None and not self.late(s)]
        waiting = [s for s in expected if s.owes and s.returned_on is None and not self.late(s)]
        text = (f"Cơ quan, đơn vị kỳ {self.period.label} (hạn {self.due.text}): "
                f"{len(done)}/{len(expected)} đã gửi hoặc đã đủ số liệu")  # fmt: skip
        if late:
            names = ", ".join(f"{s.agency.short_name} ({self.state(s).lower()})"
                              for s in late[:SHOWN_IN_SUMMARY])  # fmt: skip
            more = len(late) - SHOWN_IN_SUMMARY
            text += f"; {len(late)} trễ hạn: {names}" + (f" và {more} đơn vị khác" if more > 0
                                                          else "")  # fmt: skip
        if short:
            text += f"; {len(short)} đã gửi nhưng còn thiếu mục"
        if waiting:
            text += f"; {len(waiting)} chưa gửi, chưa đến hạn"
        return text + "."

    def owing_text(self) -> str:
        """The period entry screen's line: who still owes, by when ("" with no agency due)."""
        if not any(s.expected for s in self.agencies):
            return ""
        lines = self.owing_lines()
        if not lines:
            return f"Các cơ quan, đơn vị đã gửi đủ số liệu kỳ {self.period.label}."
        more = len(lines) - SHOWN_ON_ENTRY
        return (f"Cơ quan, đơn vị còn thiếu ({len(lines)}; hạn {self.due.text}): "
                + " · ".join(lines[:SHOWN_ON_ENTRY])
                + (f" · và {more} đơn vị khác (xem trang Cơ quan, đơn vị)" if more > 0 else "")
                + ".")  # fmt: skip

    def owing_lines(self) -> list[str]:
        """Per agency still owing: "Phòng Nội vụ: thiếu 9/9 mục; chưa gửi, quá hạn 6 ngày"."""
        out = []
        for s in self.owing():
            if s.expects_package and not (s.missing_indicators or s.missing_tasks):
                what = "chưa có gói báo cáo có ký số"
            else:
                what = f"thiếu {s.assigned - s.filled}/{s.assigned} mục"
            sent = "đã gửi, " if s.returned_on is not None else ""
            out.append(f"{s.agency.short_name}: {what}; {sent}{self.state(s).lower()}")
        return out

    def reminder(self, s: AgencyStatus) -> str:
        """The text to send an agency that still owes items of the period."""
        period = self.period
        parts = []
        if s.missing_indicators:
            parts.append(f"{len(s.missing_indicators)} chỉ tiêu ({_codes(s.missing_indicators)})")
        if s.missing_tasks:
            parts.append(f"{len(s.missing_tasks)} nhiệm vụ ({_codes(s.missing_tasks)})")
        missing = " và ".join(parts) or "gói báo cáo có ký số của kỳ"
        how = ("điền biểu mẫu đã gửi" if s.agency.kind is AgencyKind.FORM
               else "gửi gói báo cáo có ký số")  # fmt: skip
        late = (self.today - self.due.due).days
        what = "gói báo cáo" if s.expects_package else "biểu mẫu"
        sent = f" Đơn vị đã gửi {what} ngày {s.returned_on:%d/%m/%Y}," if s.returned_on else ""
        verb = "bổ sung" if s.returned_on else "gửi"
        if late > 0:
            when = f"Hạn gửi là {self.due.text}, đã quá {late} ngày; đề nghị đơn vị {verb} ngay"
        else:
            when = f"Đề nghị đơn vị {verb} {self.due.text}"
        greeting = f"Kính gửi {s.agency.name}"
        if s.agency.contact:
            greeting += f" (đồng chí {s.agency.contact})"
        missing_text = f" còn thiếu {missing}." if sent else f" Còn thiếu {missing}."
        return (
            f"{greeting}: {self.office} đề nghị đơn vị báo cáo kết quả thực hiện Nghị quyết "
            f"số 57-NQ/TW kỳ {period.label}.{sent}{missing_text} {when}, bằng cách {how} "
            f"và gửi lại cho {self.office}. Trân trọng cảm ơn."
        )


def _codes(codes: list[str]) -> str:
    shown = ", ".join(codes[:MAX_CODES_IN_REMINDER])
    more = len(codes) - MAX_CODES_IN_REMINDER
    return shown + (f" và {more} mục khác" if more > 0 else "")


def period_agencies(
    store: Store, period: Period, today: date, arrivals: list[PackageArrival] | None = None
) -> PeriodAgencies:
    """Completeness per agency for `period` as of `today` (a read); `arrivals` are the
    period's accepted packages of the linked receiving file (None: no file linked)."""
    plan = store.plan.load()
    codes = {i.id: i.code for i in plan.indicators()}
    keys = task_keys(plan)
    values = {k for k, v in store.entries.indicator_values(period.id).items()
              if v.value is not None}  # fmt: skip
    reported = {k for k, v in store.entries.task_progress(period.id).items()
                if v.status is not TaskStatus.NOT_REPORTED}  # fmt: skip
    statuses = {a.id: AgencyStatus(a) for a in store.agencies.all()}
    for link in store.agencies.links("indicator"):
        s = statuses.get(link.agency_id)
        if s is not None and link.role is Role.LEAD:
            s.indicators.append(codes[link.item_id])
            if link.item_id not in values:
                s.missing_indicators.append(codes[link.item_id])
    for link in store.agencies.links("task"):
        s = statuses.get(link.agency_id)
        if s is not None and link.role is Role.LEAD:
            s.tasks.append(keys[link.item_id])
            if link.item_id not in reported:
                s.missing_tasks.append(keys[link.item_id])
    for agency_id, rows in store.agencies.returns(period.id).items():
        s = statuses.get(agency_id)
        if s is not None:
            s.returned_on = date.fromisoformat(rows[0]["received_on"])
            s.returns = len(rows)
    for s in statuses.values():
        if arrivals is not None and s.agency.kind is AgencyKind.PACKAGE:
            s.expects_package = True
            s.returned_on, s.returns = None, 0  # a package agency returns packages, not forms
            arrival = arrival_of(s.agency, arrivals)
            if arrival is not None:
                s.returned_on, s.returns = arrival.received_on, 1
                s.package_detail = arrival.completeness
    return PeriodAgencies(period, agency_due(store, period), today, plan.office.name,
                          list(statuses.values()))  # fmt: skip


def write_status_sheet(status: PeriodAgencies, path: Path) -> Path:
    """The printable list for the office's meeting: one row per agency (A4 landscape)."""
    import openpyxl
    from openpyxl.styles import Alignment, Font

    from .forms import put_text

    wb = openpyxl.Workbook()
    ws: Any = wb.active
    ws.title = "Tình hình gửi báo cáo"
    p = status.period
    put_text(ws, 1, 1, f"TÌNH HÌNH CÁC CƠ QUAN, ĐƠN VỊ GỬI BÁO CÁO KỲ {p.label.upper()}")
    ws["A1"].font = Font(name="Times New Roman", bold=True, size=13)
    put_text(ws, 2, 1, f"Hạn của cơ quan, đơn vị: {status.due.text}; tính đến ngày "
                       f"{status.today:%d/%m/%Y}.")  # fmt: skip
    headers = ["STT", "Cơ quan, đơn vị", "Hình thức", "Số mục được giao", "Đã có số liệu",
               "Ngày nhận biểu mẫu", "Tình trạng", "Còn thiếu"]  # fmt: skip
    widths = [6, 40, 18, 12, 12, 14, 24, 50]
    for col, (name, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = put_text(ws, 4, col, name)
        cell.font = Font(name="Times New Roman", bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        ws.column_dimensions[openpyxl.utils.get_column_letter(col)].width = width
    for i, s in enumerate(status.agencies, start=1):
        missing = ", ".join([*(f"CT {c}" for c in s.missing_indicators),
                             *(f"NV {c}" for c in s.missing_tasks)])  # fmt: skip
        row = [str(i), s.agency.name, s.agency.kind.label, None, None,
               f"{s.returned_on:%d/%m/%Y}" if s.returned_on else "", status.state(s), missing]  # fmt: skip
        for col, value in enumerate(row, start=1):
            cell = put_text(ws, 4 + i, col, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(4 + i, 4).value = s.assigned
        ws.cell(4 + i, 5).value = s.filled
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "4:4"
    path.parent.mkdir(parents=True, exist_ok=True)
    keep_texts_as_text(wb)
    with atomic_write(path, 0o644) as handle:
        wb.save(handle)
    return path
