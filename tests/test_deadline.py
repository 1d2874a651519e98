from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.models.deadline import DeadlineKind, parse_deadline
from app.models.errors import UserError


@pytest.mark.parametrize(
    ("text", "kind", "start", "end", "label"),
    [
        (
            "Tháng 10/2025",
            DeadlineKind.MONTH,
            date(2025, 10, 1),
            date(2025, 10, 31),
            "Tháng 10/2025",
        ),
        ("tháng 2/2024", DeadlineKind.MONTH, date(2024, 2, 1), date(2024, 2, 29), "Tháng 2/2024"),
        ("Quý III/2026", DeadlineKind.QUARTER, date(2026, 7, 1), date(2026, 9, 30), "Quý III/2026"),
        ("Quý 4/2025", DeadlineKind.QUARTER, date(2025, 10, 1), date(2025, 12, 31), "Quý IV/2025"),
        ("Quý I năm 2026", DeadlineKind.QUARTER, date(2026, 1, 1), date(2026, 3, 31), "Quý I/2026"),
        ("Năm 2025", DeadlineKind.YEAR, date(2025, 1, 1), date(2025, 12, 31), "Năm 2025"),
        ("2027", DeadlineKind.YEAR, date(2027, 1, 1), date(2027, 12, 31), "Năm 2027"),
        (
            "Trước ngày 20/5/2025",
            DeadlineKind.BEFORE,
            None,
            date(2025, 5, 19),
            "Trước ngày 20/5/2025",
        ),
        ("Trước tháng 6/2026", DeadlineKind.BEFORE, None, date(2026, 5, 31), "Trước ngày 1/6/2026"),
        ("20/5/2025", DeadlineKind.DATE, date(2025, 5, 20), date(2025, 5, 20), "20/5/2025"),
        ("05/02/2026", DeadlineKind.DATE, date(2026, 2, 5), date(2026, 2, 5), "5/2/2026"),
        ("Thường xuyên", DeadlineKind.RECURRING, None, None, "Thường xuyên"),
        ("Hằng năm", DeadlineKind.RECURRING, None, None, "Hằng năm"),
        ("Hàng năm", DeadlineKind.RECURRING, None, None, "Hằng năm"),
        ("Hằng quý", DeadlineKind.RECURRING, None, None, "Hằng quý"),
        (
            "Năm 2025 và những năm tiếp theo",
            DeadlineKind.ONGOING,
            date(2025, 1, 1),
            None,
            "Năm 2025 và những năm tiếp theo",
        ),
        ("2025 - 2030", DeadlineKind.RANGE, date(2025, 1, 1), date(2030, 12, 31), "2025 - 2030"),
        (
            "Giai đoạn 2026-2030",
            DeadlineKind.RANGE,
            date(2026, 1, 1),
            date(2030, 12, 31),
            "2026 - 2030",
        ),
        (
            "6 tháng đầu năm 2026",
            DeadlineKind.HALF,
            date(2026, 1, 1),
            date(2026, 6, 30),
            "6 tháng đầu năm 2026",
        ),
        ("Đã hoàn thành", DeadlineKind.COMPLETED, None, None, "Đã hoàn thành"),
    ],
)
def test_parse_every_form(text, kind, start, end, label):
    d = parse_deadline(text)
    assert (d.kind, d.start, d.end) == (kind, start, end)
    assert d.text == text
    assert d.label() == label
    # The canonical label parses back to the same window.
    again = parse_deadline(label)
    assert (again.start, again.end) == (d.start, d.end)


def test_decomposed_input_is_read_like_composed():
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Quý III/2026")
    d = parse_deadline(nfd)
    assert d.kind is DeadlineKind.QUARTER and d.text == "Quý III/2026"


@pytest.mark.parametrize("text", [None, "", "  ", "-"])
def test_empty_is_no_deadline(text):
    assert parse_deadline(text) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sớm nhất có thể", "Không hiểu thời hạn 'sớm nhất có thể'"),
        ("Quý V/2026", "quý phải là I, II, III hoặc IV"),
        ("Tháng 13/2025", "tháng 13 không hợp lệ"),
        ("31/2/2025", "không có thật"),
        ("2030 - 2025", "mốc cuối đứng trước mốc đầu"),
    ],
)
def test_nonsense_is_rejected_with_a_clear_message(text, message):
    with pytest.raises(UserError) as err:
        parse_deadline(text)
    assert message in err.value.message


def test_due_and_overdue():
    q3 = parse_deadline("Quý III/2026")
    assert not q3.is_due(date(2026, 6, 30))
    assert q3.is_due(date(2026, 7, 1)) and q3.is_due(date(2026, 9, 30))
    assert not q3.is_past(date(2026, 9, 30))
    assert q3.is_past(date(2026, 10, 1))
    before = parse_deadline("Trước ngày 20/5/2025")
    assert before.is_due(date(2025, 1, 1)) and before.is_past(date(2025, 5, 20))
    for text in ("Thường xuyên", "Hằng năm", "Năm 2025 và những năm tiếp theo", "Đã hoàn thành"):
        assert not parse_deadline(text).is_past(date(2099, 1, 1))
    ongoing = parse_deadline("Năm 2025 và những năm tiếp theo")
    assert not ongoing.is_due(date(2024, 12, 31)) and ongoing.is_due(date(2030, 1, 1))


@given(st.text(max_size=40))
def test_parser_never_fails_with_anything_but_a_user_error(text):
    try:
        d = parse_deadline(text)
    except UserError as exc:
        assert exc.message
    else:
        assert d is None or d.text
