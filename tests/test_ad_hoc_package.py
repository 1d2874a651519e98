"""A report a công văn asked for (2026-A01) travels like any period: exported, received,
consolidated."""

from __future__ import annotations

from datetime import date

from app.models.plan import AdHocReport, PeriodKind
from app.operations import plan as plan_ops
from app.packages.export import export_package
from app.packages.key_binding import write_office_key
from app.receiving.consolidation import consolidate
from app.receiving.ingest import ingest
from app.receiving.store import Receiving

from .test_package_fixtures import make_key, make_store, write_narrative


def test_an_ad_hoc_report_is_exported_received_and_consolidated(tmp_path):
    store = make_store(tmp_path, attachments=0)
    report = AdHocReport(PeriodKind.AD_HOC, "Báo cáo kết quả chuyển đổi số theo Công văn 123",
                         date(2026, 1, 1), date(2026, 11, 15), date(2026, 11, 28))  # fmt: skip
    period_id = plan_ops.add_ad_hoc_report(store, report).result
    assert period_id == "2026-A01"
    five_g = store.plan.load().indicators()[0]
    store.entries.set_indicator_value(period_id, five_g.id, "71")
    write_narrative(store, (period_id,))
    key = make_key(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    package = export_package(store, period_id, out, key, today=date(2026, 11, 20),
                             attachments=False, allow_incomplete=True)  # fmt: skip
    assert package.path.name.endswith("_2026-A01_1.zip")
    office_key = write_office_key(key, store.packages.office_uid(), store.plan.office().name,
                                  tmp_path / "office.office-key.json")  # fmt: skip
    store.close()
    with Receiving.create(tmp_path / "tinh.sqlite", "Sở Khoa học và Công nghệ") as receiving:
        receiving.trust_files([office_key])
        (line,) = ingest(receiving, [package.path]).lines
        assert line.outcome == "accepted", line.reason
        assert line.package.period_id == "2026-A01"
        data = consolidate(receiving, "2026-A01")
        (summary,) = [s for s in data.indicators if s.ref.code == five_g.code]
        (value,) = summary.values.values()
        assert value.value == 71.0
        assert data.period.id == "2026-A01"


def test_an_ad_hoc_report_the_plan_does_not_have_is_refused(tmp_path):
    """A package for 2026-A02, which the sender's plan never created (never requested):
    refused with its reason; the genuine 2026-A01 is accepted."""
    from .hostile_packages import forge

    store = make_store(tmp_path, attachments=0)
    report = AdHocReport(PeriodKind.REVIEW, "Báo cáo sơ kết 1 năm", date(2025, 12, 1),
                         date(2026, 11, 15), date(2026, 11, 28))  # fmt: skip
    period_id = plan_ops.add_ad_hoc_report(store, report).result
    write_narrative(store, (period_id,))
    key = make_key(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    genuine = export_package(store, period_id, out, key, today=date(2026, 11, 20),
                             attachments=False, allow_incomplete=True).path  # fmt: skip
    office_key = write_office_key(key, store.packages.office_uid(), store.plan.office().name,
                                  tmp_path / "office.office-key.json")  # fmt: skip
    store.close()
    forged = tmp_path / "forged" / genuine.name.replace("2026-A01", "2026-A02")
    forged.parent.mkdir()
    forged.write_bytes(forge(genuine, key, package={"period_id": "2026-A02"}))
    with Receiving.create(tmp_path / "tinh.sqlite", "Sở Khoa học và Công nghệ") as receiving:
        receiving.trust_files([office_key])
        (line,) = ingest(receiving, [forged]).lines
        assert (line.outcome, line.package.reason_code) == ("rejected", "outside_plan")
        assert line.reason == (
            "Kế hoạch của đơn vị không có báo cáo đột xuất, sơ kết 2026-A02 (chưa được yêu cầu "
            "hoặc chưa tạo trong kế hoạch của đơn vị)."
        )
        (line,) = ingest(receiving, [genuine]).lines
        assert line.outcome == "accepted", line.reason
