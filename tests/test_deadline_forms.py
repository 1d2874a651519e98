"""The deadline wordings of the seed plans, the on-time rule, cycles and compound deadlines."""

import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.models.deadline import (
    Deadline,
    DeadlineKind,
    DueRule,
    last_day_on_time,
    parse_deadline,
    parse_due_phrase,
)
from app.models.errors import UserError
from app.models.plan import Task
from app.models.rows import task_from_row, task_row

K = DeadlineKind
BEFORE, BY = DueRule.BEFORE, DueRule.BY


def facts(d: Deadline) -> tuple:
    return (d.kind, d.start, d.end, d.recurrence, d.due_rule, d.anchors, d.first_product_end)


# text, kind, start, end, recurrence, due_rule, anchors, first_product_end
FORMS = [
    ("Định kỳ 6 tháng", K.RECURRING, None, None, "half_yearly", None, (), None),
    ("6 tháng/lần", K.RECURRING, None, None, "half_yearly", None, (), None),
    ("Định kỳ 06 tháng/lần", K.RECURRING, None, None, "half_yearly", None, (), None),
    ("Định kỳ hằng tháng", K.RECURRING, None, None, "monthly", None, (), None),
    ("Định kỳ 01 tháng/lần", K.RECURRING, None, None, "monthly", None, (), None),
    ("1 tháng/lần", K.RECURRING, None, None, "monthly", None, (), None),
    ("Hàng tháng", K.RECURRING, None, None, "monthly", None, (), None),
    ("hằng quý", K.RECURRING, None, None, "quarterly", None, (), None),
    ("quý/lần", K.RECURRING, None, None, "quarterly", None, (), None),
    ("3 tháng/lần", K.RECURRING, None, None, "quarterly", None, (), None),
    ("năm/lần", K.RECURRING, None, None, "yearly", None, (), None),
    ("Hằng năm", K.RECURRING, None, None, "yearly", None, (), None),
    ("Thường xuyên", K.RECURRING, None, None, "continuous", None, (), None),
    ("Đột xuất", K.AD_HOC, None, None, None, None, (), None),
    ("Theo yêu cầu", K.AD_HOC, None, None, None, None, (), None),
    ("Đột xuất khi có yêu cầu", K.AD_HOC, None, None, None, None, (), None),
    ("Trước ngày 20/12", K.RECURRING, None, None, "yearly", BEFORE, ((20, 12),), None),
    ("Hằng năm, trước ngày 20/12", K.RECURRING, None, None, "yearly", BEFORE, ((20, 12),), None),
    ("Chậm nhất ngày 15/12", K.RECURRING, None, None, "yearly", BY, ((15, 12),), None),
    (
        "Trước 30/6 và 25/12",
        K.RECURRING,
        None,
        None,
        "half_yearly",
        BEFORE,
        ((30, 6), (25, 12)),
        None,
    ),
    (
        "Định kỳ hằng năm trước ngày 20/12 (hoặc đột xuất khi có yêu cầu)",
        K.RECURRING,
        None,
        None,
        "yearly",
        BEFORE,
        ((20, 12),),
        None,
    ),
    ("Hằng quý hoặc đột xuất", K.RECURRING, None, None, "quarterly", None, (), None),
    ("Đến năm 2030", K.BEFORE, None, date(2030, 12, 31), None, BY, (), None),
    ("Đến hết năm 2025", K.BEFORE, None, date(2025, 12, 31), None, BY, (), None),
    ("Cuối năm 2025", K.BEFORE, None, date(2025, 12, 31), None, BY, (), None),
    ("Trước năm 2027", K.BEFORE, None, date(2026, 12, 31), None, BEFORE, (), None),
    ("Chậm nhất ngày 15/12/2025", K.BEFORE, None, date(2025, 12, 15), None, BY, (), None),
    ("Chậm nhất vào ngày 15/12/2025", K.BEFORE, None, date(2025, 12, 15), None, BY, (), None),
    ("Trước ngày 20/12/2025", K.BEFORE, None, date(2025, 12, 19), None, BEFORE, (), None),
    ("Tháng 10-12/2025", K.RANGE, date(2025, 10, 1), date(2025, 12, 31), None, None, (), None),
    ("Tháng 5, 6/2025", K.RANGE, date(2025, 5, 1), date(2025, 6, 30), None, None, (), None),
    ("Tháng 5, 6 và 7/2025", K.RANGE, date(2025, 5, 1), date(2025, 7, 31), None, None, (), None),
    ("Tháng 1-2 năm 2024", K.RANGE, date(2024, 1, 1), date(2024, 2, 29), None, None, (), None),
    ("Quý I, II/2026", K.RANGE, date(2026, 1, 1), date(2026, 6, 30), None, None, (), None),
    ("Quý II và III/2026", K.RANGE, date(2026, 4, 1), date(2026, 9, 30), None, None, (), None),
    ("Quý III - IV năm 2025", K.RANGE, date(2025, 7, 1), date(2025, 12, 31), None, None, (), None),
    (
        "Tháng 6/2025 và thường xuyên",
        K.ONGOING,
        date(2025, 6, 1),
        None,
        "continuous",
        None,
        (),
        date(2025, 6, 30),
    ),
    (
        "Tháng 8/2025 - Thường xuyên",
        K.ONGOING,
        date(2025, 8, 1),
        None,
        "continuous",
        None,
        (),
        date(2025, 8, 31),
    ),
    (
        "Quý III/2025, sau đó thường xuyên",
        K.ONGOING,
        date(2025, 7, 1),
        None,
        "continuous",
        None,
        (),
        date(2025, 9, 30),
    ),
    (
        "Tháng 6/2025; thường xuyên",
        K.ONGOING,
        date(2025, 6, 1),
        None,
        "continuous",
        None,
        (),
        date(2025, 6, 30),
    ),
    (
        "Trước ngày 30/6/2025 và thường xuyên",
        K.ONGOING,
        None,
        None,
        "continuous",
        BEFORE,
        (),
        date(2025, 6, 29),
    ),
]


@pytest.mark.parametrize(
    ("text", "kind", "start", "end", "recurrence", "rule", "anchors", "first_end"), FORMS
)
def test_seed_forms(text, kind, start, end, recurrence, rule, anchors, first_end):
    d = parse_deadline(text)
    assert facts(d) == (kind, start, end, recurrence, rule, anchors, first_end)
    assert d.text == text
    # The canonical label reads back to the same facts.
    assert facts(parse_deadline(d.label())) == facts(d)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("6 tháng/lần", "Định kỳ 6 tháng"),
        ("Định kỳ 01 tháng/lần", "Hằng tháng"),
        ("quý/lần", "Hằng quý"),
        ("Theo yêu cầu", "Theo yêu cầu"),
        ("Đột xuất khi có yêu cầu", "Đột xuất"),
        ("Trước ngày 20/12", "Hằng năm, trước ngày 20/12"),
        ("Chậm nhất ngày 15/12", "Hằng năm, chậm nhất ngày 15/12"),
        ("Trước 30/6 và 25/12", "Hằng năm, trước ngày 30/6 và 25/12"),
        ("Cuối năm 2025", "Đến hết năm 2025"),
        ("Trước năm 2027", "Trước năm 2027"),
        ("Chậm nhất vào ngày 15/12/2025", "Chậm nhất ngày 15/12/2025"),
        ("Tháng 10-12/2025", "Tháng 10 - 12/2025"),
        ("Quý I, II/2026", "Quý I - II/2026"),
        ("Quý III/2025, sau đó thường xuyên", "Quý III/2025 và thường xuyên"),
        ("Tháng 8/2025 - Thường xuyên", "Tháng 8/2025 và thường xuyên"),
    ],
)
def test_canonical_labels(text, label):
    assert parse_deadline(text).label() == label


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("truoc ngay 20/12", "Trước ngày 20/12"),
        ("TRƯỚC NGÀY 20/12", "Trước ngày 20/12"),
        ("Trước ngày 20/12 hằng năm", "Trước ngày 20/12"),
        ("HẰNG NĂM", "Hằng năm"),
        ("hang quy", "Hằng quý"),
        ("Hàng quý", "Hằng quý"),
        ("dinh ky 6 thang", "Định kỳ 6 tháng"),
        ("6 THÁNG/LẦN", "6 tháng/lần"),
        ("Định kỳ 6 tháng một lần", "6 tháng/lần"),
        ("dinh ky hang thang", "Định kỳ hằng tháng"),
        ("dot xuat", "Đột xuất"),
        ("THEO YÊU CẦU", "Theo yêu cầu"),
        ("cham nhat ngay 15/12/2025", "Chậm nhất ngày 15/12/2025"),
        ("den het nam 2025", "Đến hết năm 2025"),
        ("CUỐI NĂM 2025", "Cuối năm 2025"),
        ("thang 10 - 12/2025", "Tháng 10-12/2025"),
        ("quy i, ii/2026", "Quý I, II/2026"),
        ("thang 6/2025 va thuong xuyen", "Tháng 6/2025 và thường xuyên"),
        (unicodedata.normalize("NFD", "Quý III/2025, sau đó thường xuyên"), "Quý III/2025, sau đó thường xuyên"),
    ],
)  # fmt: skip
def test_accent_free_and_case_variants(variant, canonical):
    assert facts(parse_deadline(variant)) == facts(parse_deadline(canonical))


# The on-time rule: "trước ngày D" is strict, every other wording includes D.
@pytest.mark.parametrize(
    ("text", "end"),
    [
        ("Trước ngày 20/12/2025", date(2025, 12, 19)),
        ("Trước 01/3/2024", date(2024, 2, 29)),
        ("Chậm nhất ngày 15/12/2025", date(2025, 12, 15)),
        ("Chậm nhất vào ngày 15/12/2025", date(2025, 12, 15)),
        ("Đến ngày 15/12/2025", date(2025, 12, 15)),
        ("Hạn 15/12/2025", date(2025, 12, 15)),
        ("Hạn chót: 15/12/2025", date(2025, 12, 15)),
        ("Trong ngày 15/12/2025", date(2025, 12, 15)),
        ("15/12/2025", date(2025, 12, 15)),
        ("ngày 15 tháng 12 năm 2025", date(2025, 12, 15)),
        ("Trước tháng 6/2026", date(2026, 5, 31)),
        ("Trước tháng 3/2024", date(2024, 2, 29)),
        ("Trước năm 2027", date(2026, 12, 31)),
        ("Trước quý III/2026", date(2026, 6, 30)),
        ("Đến tháng 6/2026", date(2026, 6, 30)),
        ("Đến hết tháng 2/2025", date(2025, 2, 28)),
        ("Đến năm 2030", date(2030, 12, 31)),
        ("Đến hết năm 2025", date(2025, 12, 31)),
        ("Cuối năm 2025", date(2025, 12, 31)),
        ("Năm 2025", date(2025, 12, 31)),
    ],
)
def test_last_on_time_day(text, end):
    d = parse_deadline(text)
    assert d.end == end
    assert not d.is_past(end)
    assert d.is_past(date.fromordinal(end.toordinal() + 1))
    assert parse_due_phrase(text) == end


def test_last_day_on_time_helper():
    assert last_day_on_time(DueRule.BEFORE, date(2025, 12, 20)) == date(2025, 12, 19)
    assert last_day_on_time("before", date(2025, 1, 1)) == date(2024, 12, 31)
    assert last_day_on_time(DueRule.BY, date(2025, 12, 15)) == date(2025, 12, 15)
    assert last_day_on_time("by", date(2024, 2, 29)) == date(2024, 2, 29)


@pytest.mark.parametrize(
    ("phrase", "year", "due"),
    [
        ("trước ngày 20/12", 2025, date(2025, 12, 19)),
        ("Trước ngày 05/12", 2026, date(2026, 12, 4)),
        ("chậm nhất ngày 15/6", 2025, date(2025, 6, 15)),
        ("chậm nhất vào ngày 15/6", 2025, date(2025, 6, 15)),
        ("đến ngày 30/6", 2025, date(2025, 6, 30)),
        ("20/12", 2025, date(2025, 12, 20)),
        ("trước ngày 01/3", 2024, date(2024, 2, 29)),
        ("trước ngày 01/3", 2025, date(2025, 2, 28)),
        ("trước tháng 6", 2025, date(2025, 5, 31)),
        ("trước ngày 20 tháng 12", 2025, date(2025, 12, 19)),
        # A year in the phrase wins over the one given.
        ("trước ngày 20/12/2025", 2030, date(2025, 12, 19)),
        ("trước năm 2027", None, date(2026, 12, 31)),
    ],
)
def test_parse_due_phrase(phrase, year, due):
    assert parse_due_phrase(phrase, year) == due


@pytest.mark.parametrize(
    ("phrase", "year", "message"),
    [
        ("trước ngày 20/12", None, "không có năm"),
        ("Thường xuyên", 2025, "Không hiểu hạn 'Thường xuyên'"),
        ("trước 30/6 và 25/12", 2025, "Không hiểu hạn"),
        ("Đột xuất", 2025, "Không hiểu hạn"),
        ("", 2025, "Thiếu hạn"),
    ],
)
def test_parse_due_phrase_refuses(phrase, year, message):
    with pytest.raises(UserError) as err:
        parse_due_phrase(phrase, year)
    assert message in err.value.message


# text, a day, the cycle containing it, the last on-time day of that cycle's product
CYCLES = [
    ("Hằng năm", date(2026, 5, 5), (date(2026, 1, 1), date(2026, 12, 31)), date(2026, 12, 31)),
    ("năm/lần", date(2025, 12, 31), (date(2025, 1, 1), date(2025, 12, 31)), date(2025, 12, 31)),
    ("Định kỳ 6 tháng", date(2026, 3, 10), (date(2026, 1, 1), date(2026, 6, 30)), date(2026, 6, 30)),
    ("6 tháng/lần", date(2026, 7, 1), (date(2026, 7, 1), date(2026, 12, 31)), date(2026, 12, 31)),
    ("Hằng quý", date(2025, 11, 15), (date(2025, 10, 1), date(2025, 12, 31)), date(2025, 12, 31)),
    ("quý/lần", date(2026, 3, 31), (date(2026, 1, 1), date(2026, 3, 31)), date(2026, 3, 31)),
    ("quý/lần", date(2026, 4, 1), (date(2026, 4, 1), date(2026, 6, 30)), date(2026, 6, 30)),
    ("Định kỳ 01 tháng/lần", date(2024, 2, 10), (date(2024, 2, 1), date(2024, 2, 29)), date(2024, 2, 29)),
    ("Định kỳ hằng tháng", date(2025, 12, 1), (date(2025, 12, 1), date(2025, 12, 31)), date(2025, 12, 31)),
    ("Trước ngày 20/12", date(2026, 3, 1), (date(2026, 1, 1), date(2026, 12, 31)), date(2026, 12, 19)),
    ("Trước ngày 20/12", date(2025, 12, 25), (date(2025, 1, 1), date(2025, 12, 31)), date(2025, 12, 19)),
    ("Chậm nhất ngày 15/12", date(2026, 1, 2), (date(2026, 1, 1), date(2026, 12, 31)), date(2026, 12, 15)),
    ("Trước ngày 01/3", date(2024, 6, 1), (date(2024, 1, 1), date(2024, 12, 31)), date(2024, 2, 29)),
    ("Trước ngày 01/3", date(2025, 6, 1), (date(2025, 1, 1), date(2025, 12, 31)), date(2025, 2, 28)),
    ("Trước ngày 1/1", date(2025, 6, 1), (date(2025, 1, 1), date(2025, 12, 31)), date(2025, 12, 31)),
    ("Trước 30/6 và 25/12", date(2026, 2, 10), (date(2026, 1, 1), date(2026, 6, 30)), date(2026, 6, 29)),
    ("Trước 30/6 và 25/12", date(2026, 9, 1), (date(2026, 7, 1), date(2026, 12, 31)), date(2026, 12, 24)),
]  # fmt: skip


@pytest.mark.parametrize(("text", "on", "window", "due"), CYCLES)
def test_cycles(text, on, window, due):
    d = parse_deadline(text)
    assert d.cycle(on) == window
    assert d.cycle_due(on) == due
    # Recurring work is judged per cycle, never past as a whole.
    assert d.is_due(on) and not d.is_past(date(2099, 1, 1))


@pytest.mark.parametrize(
    "text",
    [
        "Thường xuyên",
        "Định kỳ",
        "Đột xuất",
        "Theo yêu cầu",
        "Năm 2025 và những năm tiếp theo",
        "Tháng 6/2025 và thường xuyên",
        "Quý III/2026",
        "Tháng 10-12/2025",
        "Trước ngày 20/12/2025",
        "Đến hết năm 2025",
        "Đã hoàn thành",
    ],
)
def test_no_cycle_outside_periodic_deadlines(text):
    d = parse_deadline(text)
    assert d.cycle(date(2025, 12, 1)) is None
    assert d.cycle_due(date(2025, 12, 1)) is None


@pytest.mark.parametrize(
    ("text", "start", "first_end"),
    [
        ("Tháng 6/2025 và thường xuyên", date(2025, 6, 1), date(2025, 6, 30)),
        ("Tháng 8/2025 - Thường xuyên", date(2025, 8, 1), date(2025, 8, 31)),
        ("Quý III/2025, sau đó thường xuyên", date(2025, 7, 1), date(2025, 9, 30)),
    ],
)
def test_compound_first_product_is_past_then_work_stays_due(text, start, first_end):
    d = parse_deadline(text)
    before_start = date.fromordinal(start.toordinal() - 1)
    after = date.fromordinal(first_end.toordinal() + 1)
    assert not d.is_due(before_start) and not d.is_past(before_start)
    assert d.is_due(start) and not d.is_past(start)
    assert d.is_due(first_end) and not d.is_past(first_end)
    assert d.is_due(after) and d.is_past(after)
    assert d.is_due(date(2030, 1, 1)) and d.is_past(date(2030, 1, 1))
    assert not d.has_end and d.end is None


def test_compound_with_an_end_only_first_product():
    d = parse_deadline("Trước ngày 30/6/2025 và thường xuyên")
    assert d.is_due(date(2020, 1, 1)) and not d.is_past(date(2025, 6, 29))
    assert d.is_past(date(2025, 6, 30)) and d.is_due(date(2025, 6, 30))


@pytest.mark.parametrize("text", ["Đột xuất", "Theo yêu cầu", "dot xuat", "Khi có yêu cầu"])
def test_ad_hoc_is_never_due_by_the_calendar_nor_past(text):
    d = parse_deadline(text)
    assert d.kind is DeadlineKind.AD_HOC and not d.has_end
    for on in (date(2000, 1, 1), date(2025, 12, 31), date(2099, 12, 31)):
        assert not d.is_due(on) and not d.is_past(on)


def test_to_json_carries_the_new_facts():
    assert parse_deadline("Trước ngày 20/12").to_json() == {
        "text": "Trước ngày 20/12",
        "kind": "recurring",
        "start": None,
        "end": None,
        "recurrence": "yearly",
        "due_rule": "before",
        "anchors": [{"day": 20, "month": 12}],
    }
    assert parse_deadline("Tháng 6/2025 và thường xuyên").to_json() == {
        "text": "Tháng 6/2025 và thường xuyên",
        "kind": "ongoing",
        "start": "2025-06-01",
        "end": None,
        "recurrence": "continuous",
        "first_product_end": "2025-06-30",
    }
    assert parse_deadline("Chậm nhất ngày 15/12/2025").to_json() == {
        "text": "Chậm nhất ngày 15/12/2025",
        "kind": "before",
        "start": None,
        "end": "2025-12-15",
        "due_rule": "by",
    }
    assert parse_deadline("6 tháng/lần").to_json()["recurrence"] == "half_yearly"
    assert parse_deadline("Đột xuất").to_json()["kind"] == "ad_hoc"
    # The plain forms keep the four documented keys.
    for text in ("Thường xuyên", "Tháng 10/2025", "Năm 2025 và những năm tiếp theo"):
        assert set(parse_deadline(text).to_json()) == {"text", "kind", "start", "end"}


@pytest.mark.parametrize("text", [row[0] for row in FORMS])
def test_json_and_database_rows_keep_every_fact(text):
    d = parse_deadline(text)
    assert Deadline.from_json(d.to_json()) == d
    assert Deadline.from_json(text) == d
    row = task_row(Task(code="1", name="Nhiệm vụ", deadline=d)) | {"id": 7}
    assert task_from_row(row).deadline == d


def test_from_json_of_nothing_and_of_a_bad_text():
    assert Deadline.from_json(None) is None
    assert Deadline.from_json({"text": None}) is None
    with pytest.raises(UserError):
        Deadline.from_json({"text": 5})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sớm nhất có thể", "Không hiểu thời hạn 'sớm nhất có thể'"),
        ("20/12", "Không hiểu thời hạn '20/12'"),
        ("2 tháng/lần", "chu kỳ 2 tháng chưa được hỗ trợ"),
        ("Định kỳ 5 năm", "chu kỳ 5 năm chưa được hỗ trợ"),
        ("Trước ngày 31/4", "ngày 31/4 không có thật"),
        ("Trước 30/6 và 25/13", "ngày 25/13 không có thật"),
        ("Tháng 12, 5/2025", "mốc cuối đứng trước mốc đầu"),
        ("Tháng 10-13/2025", "tháng 13 không hợp lệ"),
        ("Quý IV, V/2026", "quý phải là I, II, III hoặc IV"),
        ("Tháng 6/2025 và khi nào xong", "Không hiểu thời hạn"),
    ],
)
def test_nonsense_is_refused(text, message):
    with pytest.raises(UserError) as err:
        parse_deadline(text)
    assert message in err.value.message


def test_refusal_lists_the_new_forms():
    with pytest.raises(UserError) as err:
        parse_deadline("lúc nào rảnh")
    for example in (
        "Định kỳ 6 tháng",
        "1 tháng/lần",
        "Đột xuất",
        "Theo yêu cầu",
        "Trước ngày 20/12",
        "Chậm nhất ngày 15/12/2025",
        "Đến hết năm 2025",
        "Tháng 10-12/2025",
        "Quý I, II/2026",
        "Tháng 6/2025 và thường xuyên",
    ):
        assert example in err.value.message
    assert unicodedata.is_normalized("NFC", err.value.message)


@given(st.text(max_size=40), st.one_of(st.none(), st.integers(1900, 2100)))
def test_due_phrase_never_fails_with_anything_but_a_user_error(text, year):
    try:
        due = parse_due_phrase(text, year)
    except UserError as exc:
        assert exc.message
    else:
        assert isinstance(due, date)


@given(
    st.from_regex(
        r"(Trước|Chậm nhất|Đến|Hằng|Định kỳ|Tháng|Quý|Cuối|Đột) [IVX0-9/,. -]{0,12}( và thường xuyên)?",
        fullmatch=True,
    ),
    st.dates(date(1990, 1, 1), date(2090, 12, 31)),
)
def test_new_forms_answer_or_refuse_and_cycles_hold_the_day(text, on):
    try:
        d = parse_deadline(text)
    except UserError as exc:
        assert exc.message
        return
    if d is None:
        return
    if d.start and d.end:
        assert d.start <= d.end
    window = d.cycle(on)
    if window is not None:
        assert window[0] <= on <= window[1]
        due = d.cycle_due(on)
        assert due is not None and window[0] <= due <= window[1]
