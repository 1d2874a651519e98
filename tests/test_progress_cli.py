"""`progress` and `period values`: the path assessment and the all-or-nothing entry, as a
script or a test drives them."""

from __future__ import annotations

import json
from datetime import date

import pytest

from app.cli import main
from app.models.samples import load_sample
from app.models.store import Store

PERIOD = "2026-Q3"


@pytest.fixture
def db(tmp_path):  # noqa: ANN001, ANN201
    path = tmp_path / "bim-son.sqlite"
    plan = load_sample("bim-son")
    with Store.create(path, plan.office, plan):
        pass
    return path


def _values(tmp_path, data) -> str:  # noqa: ANN001
    source = tmp_path / "so-lieu.json"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(source)


def _progress(db, capsys) -> dict:  # noqa: ANN001
    assert main(["progress", "--db", str(db), "--period", PERIOD, "--today", "2026-10-05",
                 "--json"]) == 0  # fmt: skip
    return json.loads(capsys.readouterr().out)


def test_the_5g_example_on_and_off_the_path(db, tmp_path, capsys):  # noqa: ANN001
    """5G: 65 % in 2025, 100 % in 2030. At the end of Q3/2026's data window (14/09/2026) the
    path is at 65 + 35 × 622/1826 days; 72 % is ahead of it, 60 % behind."""
    source = _values(tmp_path, {"indicators": {"1": "72%"}})
    assert main(["period", "values", "--db", str(db), "--period", PERIOD, "--from", source]) == 0
    assert "Đã ghi 1 mục số liệu kỳ Quý III/2026." in capsys.readouterr().out
    shown = _progress(db, capsys)
    assert shown["period"] == PERIOD and shown["as_of"] == "2026-09-14"
    assert shown["data_window"] == {"start": "2026-06-15", "end": "2026-09-14"}
    five_g = next(i for i in shown["indicators"] if i["code"] == "1")
    expected = 65 + 35 * (date(2026, 9, 14) - date(2025, 12, 31)).days / 1826
    assert five_g["expected"] == pytest.approx(expected, abs=1e-4)
    assert five_g["milestone"]["year"] == 2030 and five_g["milestone"]["target"]["value"] == 100
    assert five_g["assessment"] == "ahead"
    source = _values(tmp_path, {"indicators": {"1": "60"}})
    assert main(["period", "values", "--db", str(db), "--period", PERIOD, "--from", source]) == 0
    capsys.readouterr()
    five_g = next(i for i in _progress(db, capsys)["indicators"] if i["code"] == "1")
    assert (five_g["value"], five_g["assessment"]) == (60.0, "behind")


def test_values_are_checked_like_the_grid_and_written_all_or_nothing(db, tmp_path, capsys):  # noqa: ANN001
    data = {
        "indicators": {"1": "70", "3": "120%", "999": "5"},
        "tasks": {"PL III – I.1": {"status": "Đã hoàn thành", "result": "Đã ban hành kế hoạch"},
                  "PL III – II.4": {"status": "xong rồi"}},
    }  # fmt: skip
    source = _values(tmp_path, data)
    assert main(["period", "values", "--db", str(db), "--period", PERIOD, "--from", source]) == 1
    out = capsys.readouterr().out
    assert "120% nằm ngoài khoảng 0–100%" in out
    assert "- Chỉ tiêu mã '999' không có trong kế hoạch." in out
    assert "- Nhiệm vụ PL III – II.4: " in out and "tình trạng 'xong rồi' không hợp lệ" in out
    assert "Không ghi gì: 3 mục bị từ chối (2 mục hợp lệ)." in out
    with Store.open(db) as store:  # nothing at all was written, not even the valid entries
        assert store.entries.indicator_values(PERIOD) == {}
        assert store.entries.task_progress(PERIOD) == {}

    # typed without accents, as on a PC without Unikey: accepted
    good = _values(
        tmp_path, {"indicators": {"1": "70"}, "tasks": {"III/I.1": {"status": "da hoan thanh"}}}
    )
    assert main(["period", "values", "--db", str(db), "--period", PERIOD, "--from", good,
                 "--dry-run"]) == 0  # fmt: skip
    assert "Chạy thử: 2 mục hợp lệ; chưa ghi gì." in capsys.readouterr().out
    with Store.open(db) as store:
        assert store.entries.indicator_values(PERIOD) == {}


def test_tasks_report_their_cycle_and_the_not_reported_state(db, tmp_path, capsys):  # noqa: ANN001
    shown = _progress(db, capsys)
    # Phụ lục II's 21 tasks come first; Phụ lục III's first task is "PL III – I.1"
    assert [t["key"] for t in shown["tasks"][:2]] == ["PL II – 1", "PL II – 2"]
    first = shown["tasks"][21]
    assert (first["group"], first["code"], first["status"]) == ("I", "1", "not_reported")
    assert first["key"] == "PL III – I.1"
    assert first["overdue"] is True and first["reported_this_period"] is False  # "Tháng 5/2025"
    ongoing = next(
        t for t in shown["tasks"][21:] if t["code"] == "5"
    )  # "Tháng 8/2025 - Thường xuyên"
    assert ongoing["group"] == "II"
    assert ongoing["overdue"] is True  # its first product is due by 31/08/2025


def test_only_the_plans_periods_are_accepted(db, capsys):  # noqa: ANN001
    assert main(["progress", "--db", str(db), "--period", "2026-M05"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        "Lỗi: Kỳ 2026-M05 không thuộc chế độ báo cáo của kế hoạch. Các kỳ hợp lệ: "
    )
    assert "2025-H1, 2025-Q3, 2025-Y, 2026-Q1, 2026-H1, 2026-Q3, 2026-Y" in err
    assert main(["progress", "--db", str(db), "--period", "2026-Q2"]) == 1
    assert "được gộp vào báo cáo 6 tháng đầu năm 2026 (2026-H1)" in capsys.readouterr().err


def test_an_ad_hoc_review_report_is_created_filled_checked_and_assessed(db, tmp_path, capsys):  # noqa: ANN001
    args = ["period", "add", "--db", str(db), "--kind", "review",
            "--title", "Báo cáo sơ kết 01 năm thực hiện Kế hoạch 261-KH/TU",
            "--from", "13/05/2025", "--to", "30/04/2026", "--due", "15/05/2026"]  # fmt: skip
    assert main(args) == 0
    assert capsys.readouterr().out == (
        "Đã thêm Báo cáo sơ kết 01 năm thực hiện Kế hoạch 261-KH/TU (2026-A01): số liệu từ "
        "ngày 13/05/2025 đến ngày 30/04/2026; hạn nộp: trước ngày 15/05/2026.\n"
    )
    source = _values(tmp_path, {"indicators": {"1": "66"}})
    assert (
        main(["period", "values", "--db", str(db), "--period", "2026-A01", "--from", source]) == 0
    )
    assert main(["period", "check", "--db", str(db), "--period", "2026-A01"]) == 0
    out = capsys.readouterr().out
    assert "Kỳ Báo cáo sơ kết 01 năm thực hiện Kế hoạch 261-KH/TU (2026-A01): đang nhập" in out
    assert main(["progress", "--db", str(db), "--period", "2026-A01", "--today", "2026-05-10",
                 "--json"]) == 0  # fmt: skip
    shown = json.loads(capsys.readouterr().out)
    assert shown["data_window"] == {"start": "2025-05-13", "end": "2026-04-30"}
    five_g = next(i for i in shown["indicators"] if i["code"] == "1")
    # on 30/04/2026 the path stands at 65 + 35 × 120/1826 ≈ 67.3; 66 is within the tolerance
    assert (five_g["value"], five_g["assessment"]) == (66.0, "on_track")
    assert five_g["expected"] == pytest.approx(65 + 35 * 120 / 1826, abs=1e-4)
    with Store.open(db) as store:  # stored and audited
        assert [r.title for r in store.regime.ad_hoc_reports()] == [
            "Báo cáo sơ kết 01 năm thực hiện Kế hoạch 261-KH/TU"
        ]
        assert any(h.table == "ad_hoc_period" for h in store.history(limit=50))
