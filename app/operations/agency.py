"""Operations on the agencies that report to the office: the list, forms, collection, status.

The round trip: `build_agencies` proposes the list from the plan's wordings
(near-duplicates merged only when confirmed), `write_forms` writes one
fill-in workbook per agency, `collect_forms` reads the returned files (a dry
run writes nothing), `agency_status` says who still owes what. The secretary
takes the same round trip for the whole period with `write_period_sheet` and
`period_values_from_sheet`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..agencies.apply import FileResult, FormApplier, check_identity
from ..agencies.collect import Filled, read_returned
from ..agencies.content import PeriodForms
from ..agencies.forms import write_form
from ..agencies.naming import AgencyProposal, propose
from ..agencies.status import PackageArrival, PeriodAgencies, period_agencies, write_status_sheet
from ..models.agency import Agency, AgencyKind, name_key
from ..models.change import NO_CHANGE, Change, Outcome, Subject
from ..models.errors import UserError
from ..models.long_work import Cancel, Progress, checkpoint, no_progress
from ..models.periods import Period
from ..models.plan import Frequency, ReportingRule
from ..models.store import Store
from .period import ValuesResult, apply_values

MAX_FILES = 500


def propose_agencies(store: Store) -> AgencyProposal:
    """The agencies the plan's wordings name that the list does not have yet (a read)."""
    known = [w for a in store.agencies.all() for w in (a.name, a.short_name, *a.aliases)]
    return propose(store.plan.load(), known)


def build_agencies(store: Store, merge: Sequence[int] | bool = False) -> Outcome[list[Agency]]:
    """Create the proposed agencies; the near-duplicate groups numbered in `merge`
    (1-based, in `proposal.merges()` order; True: all) become one agency each, the
    others one agency per wording. Items are then linked to them."""
    proposal = propose_agencies(store)
    confirmed = set(range(1, len(proposal.merges()) + 1)) if merge is True else set(merge or ())
    made: list[Agency] = []
    with store.transaction():
        number = 0
        for group in proposal.agencies:
            if group.merged:
                number += 1
            if group.merged and number in confirmed:
                aliases = [w for w in group.wordings if w not in (group.name, group.short_name)]
                made.append(Agency(group.short_name, group.name, aliases=aliases))
            else:  # spellings that differ only in case, "&"/"và" or punctuation stay one
                same: dict[str, list[str]] = {}
                for w in group.wordings:
                    same.setdefault(name_key(w), []).append(w)
                made += [Agency(ws[0], ws[0], aliases=ws[1:]) for ws in same.values()]
        for agency in made:
            store.agencies.add(agency)
        store.agencies.relink(store.plan.load())
    return Outcome(made, Change(Subject.AGENCY, None, fields=frozenset({"list", "links"})))


def merge_agencies(store: Store, into: str, others: Sequence[str]) -> Outcome[Agency]:
    """Apply a merge the secretary confirmed: `others` become wordings of `into`."""
    with store.transaction():
        target = store.agencies.find(into)
        ids = [store.agencies.find(o).id for o in others]
        if target.id in ids or not ids:
            raise UserError("Chọn ít nhất một cơ quan, đơn vị khác để gộp vào.")
        assert target.id is not None
        change = store.agencies.merge(target.id, [i for i in ids if i is not None])
        store.agencies.relink(store.plan.load())
    return Outcome(store.agencies.get(target.id), change)


def add_agency(store: Store, agency: Agency) -> Outcome[Agency]:
    with store.transaction():
        change = store.agencies.add(agency)
        store.agencies.relink(store.plan.load())
    return Outcome(agency, change)


def update_agency(store: Store, name: str, **changes: object) -> Outcome[Agency]:
    """Short name, full name, contact, phone, email, kind ("form" or "package")."""
    if "kind" in changes and changes["kind"] is not None:
        try:
            changes["kind"] = AgencyKind(str(changes["kind"]))
        except ValueError:
            raise UserError(
                f"Hình thức '{changes['kind']}' không hợp lệ (form hoặc package)."
            ) from None
    agency = store.agencies.find(name)
    assert agency.id is not None
    change = store.agencies.update(agency.id, **changes)
    return Outcome(store.agencies.get(agency.id), change)


def set_agency_due(store: Store, period: Period, due: date | None) -> Outcome[None]:
    """The agencies' due date for one period, apart from the office's (None: the rule)."""
    return Outcome(None, store.agencies.set_period_due(period.id, due))


def set_agency_due_rule(store: Store, frequency: Frequency, day: int | None,
                        month_offset: int = 0, strict: bool = True) -> Outcome[None]:  # fmt: skip
    """The agencies' date of every period of a frequency ("trước ngày 10 tháng cuối quý")."""
    rule = ReportingRule(frequency, day, month_offset, strict) if day else None
    return Outcome(None, store.agencies.set_due_rule(rule, frequency))


# -- forms ----------------------------------------------------------------------------


@dataclass(frozen=True)
class WrittenForm:
    agency: str
    path: Path
    indicators: int
    tasks: int
    partner_tasks: int


def write_forms(
    store: Store, period: Period, folder: Path, agency: str | None = None,
    progress: Progress = no_progress, cancel: Cancel | None = None,
) -> Outcome[list[WrittenForm]]:  # fmt: skip
    """One fill-in workbook per agency that fills forms (or for the one named)."""
    agencies = (
        [store.agencies.find(agency)]
        if agency
        else [a for a in store.agencies.all() if a.kind is AgencyKind.FORM]
    )
    if not agencies:
        raise UserError("Chưa có danh sách cơ quan, đơn vị: lập danh sách trước (agency build).")
    store.agencies.relink(store.plan.load())
    forms = PeriodForms(store, period)
    out: list[WrittenForm] = []
    for i, a in enumerate(agencies):
        checkpoint(cancel, "Đã dừng lập biểu mẫu.", out)
        progress(i, len(agencies), a.short_name)
        content = forms.content(a)
        if not (content.indicators or content.tasks or content.partner_tasks) and not agency:
            continue  # no item of the plan is this agency's
        path = write_form(content, Path(folder) / content.file_name())
        out.append(WrittenForm(a.short_name, path, len(content.indicators), len(content.tasks),
                               len(content.partner_tasks)))  # fmt: skip
    progress(len(agencies), len(agencies), "")
    return Outcome(out)


def write_period_sheet(store: Store, period: Period, path: Path) -> Outcome[Path]:
    """The whole period's entry grid as a fill-in workbook for the secretary."""
    content = PeriodForms(store, period).whole_period()
    return Outcome(write_form(content, Path(path)))


# -- collecting -----------------------------------------------------------------------


def returned_files(sources: Sequence[Path | str]) -> list[Path]:
    """The .xlsx files named, and those in the folders named (not their sub-folders)."""
    out: list[Path] = []
    for source in sources:
        path = Path(source)
        if path.is_dir():
            out += sorted(p for p in path.iterdir() if p.suffix.lower() == ".xlsx"
                          and not p.name.startswith(("~$", ".~lock")))  # fmt: skip
        elif path.exists():
            out.append(path)
        else:
            raise UserError(f"Không tìm thấy tệp hoặc thư mục '{source}'.", "missing")
    if len(out) > MAX_FILES:
        raise UserError(f"Có {len(out)} tệp: mỗi lần nhận tối đa {MAX_FILES} tệp.")
    return out


def collect_forms(
    store: Store, period: Period, sources: Sequence[Path | str], *, dry_run: bool = False,
    replace: bool | Collection[tuple[str, str]] = False, received_on: date | None = None,
    progress: Progress = no_progress, cancel: Cancel | None = None,
) -> Outcome[list[FileResult]]:  # fmt: skip
    """Read returned forms; each file is applied in its own transaction (none in a dry run)."""
    received = received_on or date.today()
    files = returned_files(sources)
    store.agencies.relink(store.plan.load())
    applier = FormApplier(store, period, replace)
    results: list[FileResult] = []
    seen: dict[str, str] = {}
    forms: PeriodForms | None = None
    wrote = False
    for i, path in enumerate(files):
        checkpoint(cancel, "Đã dừng nhận biểu mẫu.", results)
        progress(i, len(files), path.name)
        result = FileResult(path.name)
        results.append(result)
        try:
            form = read_returned(path)
            agency = check_identity(store, form, period)
        except UserError as exc:
            result.refused = exc.message
            continue
        result.agency = agency.short_name if agency else "toàn kỳ"
        if form.sha256 in seen:
            result.refused = f"Tệp trùng nội dung với tệp '{seen[form.sha256]}' đã đọc: bỏ qua."
            continue
        seen[form.sha256] = path.name
        if form.identity.get("structure") and agency is not None:
            forms = forms or PeriodForms(store, period)
            if forms.content(agency).structure() != form.identity["structure"]:
                result.notices.append("Kế hoạch đã thay đổi sau khi lập biểu mẫu này; các mục "
                                      "được đọc theo mã.")  # fmt: skip
        source = (f"{agency.short_name if agency else 'Bảng số liệu của kỳ'}, tệp {path.name}, "
                  f"nhận ngày {received:%d/%m/%Y}")  # fmt: skip
        try:
            with store.transaction(), store.audit.sourced(source):
                applier.apply(form, agency, result)
                applier.append_contributions(result)
                if dry_run:
                    raise _DryRun
                if agency is not None:
                    assert agency.id is not None
                    store.agencies.record_return(period.id, agency.id, path.name, form.sha256,
                                                 received, len(result.written),
                                                 len(result.problems))  # fmt: skip
            result.applied = True
            wrote = wrote or bool(result.written)
        except _DryRun:
            pass
    progress(len(files), len(files), "")
    change = Change(Subject.VALUE, None, period.id, frozenset({"value", "status"})) if wrote \
        else NO_CHANGE  # fmt: skip
    return Outcome(results, change)


class _DryRun(Exception):
    """Leaves a file's transaction without writing anything."""


def agency_status(store: Store, period: Period, today: date) -> PeriodAgencies:
    """Per agency: items assigned and filled, form or package returned when, late, reminder
    (a read; the links are brought up to the plan's wording first, which writes only if
    they moved). Package agencies are read from the linked receiving file, if any."""
    store.agencies.relink(store.plan.load())
    arrivals, note = None, ""
    if store.agencies.receiving_file() and any(
        a.kind is AgencyKind.PACKAGE for a in store.agencies.all()
    ):
        try:
            arrivals = package_arrivals(store, period)
        except UserError as exc:
            note = (f"Không đọc được tệp tiếp nhận gói báo cáo: {exc.message} Các đơn vị gửi "
                    "gói báo cáo được tính theo số liệu đã có.")  # fmt: skip
    status = period_agencies(store, period, today, arrivals)
    status.receiving_note = note
    return status


def package_arrivals(store: Store, period: Period) -> list[PackageArrival]:
    """The first valid package of each office for `period` in the linked receiving file."""
    from ..receiving.store import Receiving

    path = store.agencies.receiving_file()
    if not path:
        return []
    if not Path(path).exists():
        raise UserError(f"Không tìm thấy tệp '{path}'.", "missing")
    with Receiving.open(path) as receiving:
        names = {o.id: o.name for o in receiving.offices()}
        out: dict[object, PackageArrival] = {}
        for p in receiving.packages(period_id=period.id):
            if not p.status.valid:
                continue
            key = p.office_id if p.office_id is not None else p.office_uid or p.office_name
            if key in out:
                continue
            name = names.get(p.office_id or -1) or p.office_name or ""
            out[key] = PackageArrival(name, p.office_uid, date.fromisoformat(p.received_at[:10]),
                                      p.completeness_text)  # fmt: skip
    return list(out.values())


def link_receiving_file(store: Store, path: Path | str | None) -> Outcome[str | None]:
    """The receiving data file in which the package agencies' packages are ingested (None:
    unlink). Refused unless it opens as a receiving file other than this one."""
    if path is None or not str(path).strip():
        return Outcome(None, store.agencies.set_receiving_file(None))
    from ..receiving.store import Receiving

    target = Path(path).expanduser().resolve()
    if target == Path(store.path).resolve():
        raise UserError("Tệp tiếp nhận phải là một tệp dữ liệu khác tệp đang mở.")
    if not target.exists():
        raise UserError(f"Không tìm thấy tệp '{path}'.", "missing")
    Receiving.open(target).close()  # not a receiving file: its own clear message
    return Outcome(str(target), store.agencies.set_receiving_file(str(target)))


def save_agency_due_rules(
    store: Store, rules: dict[Frequency, ReportingRule | None]
) -> Outcome[None]:
    """Cài đặt › the agencies' due date per frequency, all at once (None: the office's)."""
    with store.transaction():
        for frequency, rule in rules.items():
            store.agencies.set_due_rule(rule, frequency)
    return Outcome(None, Change(Subject.PLAN_INFO, None, fields=frozenset({"agency_due"})))


def write_agency_status(store: Store, period: Period, today: date, path: Path) -> Outcome[Path]:
    return Outcome(write_status_sheet(agency_status(store, period, today), Path(path)))


# -- the secretary's sheet ------------------------------------------------------------


def period_values_from_sheet(
    store: Store, period: Period, path: Path, dry_run: bool = False
) -> Outcome[ValuesResult]:
    """`period values --from FILE.xlsx`: the sheet read into the JSON shape, then the very
    same path as `--from FILE.json` (apply_values: all or nothing, the grid's checks)."""
    form = read_returned(Path(path))
    check_identity(store, form, period)
    data: dict[str, dict] = {"indicators": {}, "tasks": {}}
    notes: list[Filled] = []
    for f in form.filled:
        if f.sheet_kind == "indicator" and f.field == "value":
            data["indicators"][f.code] = f.raw.isoformat() if isinstance(f.raw, date) else f.raw
        elif f.sheet_kind == "task":
            raw = f.raw.strftime("%d/%m/%Y") if isinstance(f.raw, date) else f.raw
            data["tasks"].setdefault(f.code, {})[f.field] = raw
        else:
            notes.append(f)
    outcome = apply_values(store, period, data, dry_run=dry_run)
    if notes and outcome.result.written:
        plan = {i.code: i for i in store.plan.load().indicators()}
        with store.transaction():
            for f in notes:
                ind = plan.get(f.code)
                if f.field == "note" and ind is not None and ind.id is not None:
                    store.entries.set_indicator_value(period.id, ind.id, note=str(f.raw))
    return outcome
