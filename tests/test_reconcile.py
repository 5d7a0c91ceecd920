"""reconcile on a two-line plan whose printed figures are wrong on purpose: every difference,
flag and sentence worked out here, by hand.

The plan of 2026: "Chuyển đổi số" 10 MN + 5 TH at 2 million (30), and the degree upgrade
TC→ĐH 4 MN at 0.442 million per credit × 30 credits = 13.26 per person (53.04). The lines
add up to 83.04 million and 14 MN, 5 TH. The document prints a year's total of 30 (the
upgrade left out), an MN total of 10 (the upgrade's 4 left out), 6 TH in its tasks appendix
where the costs appendix prices 5, and no task figures for the upgrade at all.
"""

from __future__ import annotations

import pandas as pd
import pytest

import schemas
from frames import frame, plan_frame, without_mutation
from pipeline import reconcile

TYPO = "\"ưng dụng\", đúng là \"ứng dụng\""
UPGRADE = "Đào tạo nâng chuẩn TC lên ĐH"

PLAN = plan_frame([
    dict(year=2026, position=1, topic="BD01", MN=10, TH=5, unit_price_million=2.0, task_number="1", cost_number="1",
         task_label="Chuyển đổi số và ưng dụng AI", cost_label="Chuyển đổi số và ưng dụng AI", cost_typo=TYPO),
    dict(year=2026, position=2, topic="TC_DH", MN=4, price_per_credit_million=0.442, credits_taught=30, task_number="i.", cost_number="2",
         task_label="Nâng chuẩn TC lên ĐH", cost_label=UPGRADE),
])
# the plan priced, written out by hand (not by costing)
PRICED = frame("year topic level headcount unit_price_million amount_million", [
    (2026, "BD01", "MN", 10, 2.0, 20.0),
    (2026, "BD01", "TH", 5, 2.0, 10.0),
    (2026, "TC_DH", "MN", 4, 13.26, 53.04),
])
PLAN_APPENDICES = pd.DataFrame({
    "year": [2026, 2026], "kind": ["nhiệm vụ", "kinh phí"], "appendix": [1, 6],
    "title": ["NHIỆM VỤ NĂM 2026", "KINH PHÍ NĂM 2026"], "attachment": [None, None], "topic_header": [None, None], "total_label": [None, None],
})
TOPICS = pd.DataFrame({
    "code": ["BD01", "TC_DH"], "name": ["Chuyển đổi số (danh mục)", "Nâng chuẩn (danh mục)"], "kind": ["bồi dưỡng", "đào tạo"],
    "levels": ["MN TH THCS THPT GDTX GDNN", "MN TH"], "credits_total": [None, 85],
})


def _printed(year_total: float = 30, five_year_total: float = 30) -> pd.DataFrame:
    rows = [
        ("task_headcount", 2026, "BD01", "MN", 10, "Phụ lục 1"),
        ("task_headcount", 2026, "BD01", "TH", 6, "Phụ lục 1"),
        ("amount", 2026, "BD01", None, 30, "Phụ lục 6"),
        ("amount", 2026, "TC_DH", None, 53, "Phụ lục 6"),
        ("level_total", 2026, None, "MN", 10, "Phụ lục 6"),
        ("level_total", 2026, None, "TH", 5, "Phụ lục 6"),
        ("amount_total", 2026, None, None, year_total, "Phụ lục 6"),
        ("five_year_total", None, None, None, five_year_total, "Quyết định"),
    ]
    return schemas.PrintedFigure.validate(frame("kind year topic level value source", rows))


def _rows(reconciliation: pd.DataFrame, check: str) -> list[tuple]:
    part = reconciliation[reconciliation["check"] == check]
    return [
        (None if pd.isna(r.topic) else r.topic, None if pd.isna(r.level) else r.level, None if pd.isna(r.printed) else r.printed,
         None if pd.isna(r.computed) else r.computed, None if pd.isna(r.difference) else r.difference, r.agrees, r.explanation,
         None if pd.isna(r.appendix) else int(r.appendix))
        for r in part.itertuples(index=False)
    ]


@pytest.fixture(scope="module")
def reconciliation() -> pd.DataFrame:
    return without_mutation(reconcile.reconcile, PRICED, _printed(), PLAN_APPENDICES, TOPICS, PLAN)


def test_a_printed_year_total_that_leaves_a_line_out_names_that_line(reconciliation):
    assert _rows(reconciliation, "amount_total") == [
        (None, None, 30.0, pytest.approx(83.04), pytest.approx(83.04 - 30), False,
         f"Tổng số của tài liệu bỏ sót dòng 2 \"{UPGRADE}\" (53.04 triệu đồng)", 6),
    ]


def test_the_five_year_total_carries_the_wrong_year(reconciliation):
    assert _rows(reconciliation, "five_year_total") == [
        (None, None, 30.0, pytest.approx(83.04), pytest.approx(53.04), False,
         "Bằng tổng các số tổng năm in trong tài liệu, nên mang theo sai lệch của năm 2026", None),
    ]


def test_level_totals_left_short_by_the_degree_upgrade(reconciliation):
    assert _rows(reconciliation, "level_total") == [
        (None, "MN", 10.0, 14.0, 4.0, False, f"Dòng Tổng số của tài liệu không cộng dòng 2 \"{UPGRADE}\" (4 người)", 6),
        (None, "TH", 5.0, 5.0, 0.0, True, "Khớp", 6),
    ]


def test_line_amounts_agree_when_they_round_to_the_printed_whole_million(reconciliation):
    assert _rows(reconciliation, "amount") == [
        ("BD01", None, 30.0, 30.0, 0.0, True, "Khớp", 6),
        ("TC_DH", None, 53.0, pytest.approx(53.04), pytest.approx(0.04), True, "Khớp", 6),  # 53.04 prints as 53
    ]


def test_task_headcounts_against_the_headcounts_priced(reconciliation):
    assert sorted(_rows(reconciliation, "task_headcount")) == [
        ("BD01", "MN", 10.0, 10.0, 0.0, True, "Khớp", 1),
        ("BD01", "TH", 6.0, 5.0, -1.0, False, "Số lượng ở phụ lục 1 khác số lượng được tính kinh phí ở phụ lục 6 (5 người)", 1),
        ("TC_DH", "MN", None, 4.0, None, False, "Phụ lục 1 của tài liệu không ghi số lượng này; phụ lục 6 tính kinh phí cho 4 người", 1),
    ]


def test_typos_and_numbers_out_of_sequence_are_listed_as_kept(reconciliation):
    wording = reconciliation[reconciliation["check"] == reconcile.WORDING]
    assert sorted(zip(wording["appendix"].astype(int), wording["item"], wording["explanation"])) == [
        (1, "Số thứ tự dòng thứ 2: Nâng chuẩn TC lên ĐH", "Tài liệu in số thứ tự \"i.\" cho dòng thứ 2; phụ lục giữ nguyên như tài liệu"),
        (6, "Cách viết dòng 1: Chuyển đổi số và ưng dụng AI", f"Tài liệu in {TYPO}; phụ lục giữ nguyên như tài liệu"),
    ]
    assert not wording["agrees"].any()


def test_every_printed_figure_has_one_row():
    result = reconcile.reconcile(PRICED, _printed(), PLAN_APPENDICES, TOPICS, PLAN)
    printed = _printed()
    # one row per printed figure, plus the task figure the document does not print (TC_DH MN), plus 2 typos
    assert len(result) == len(printed) + 1 + 2
    assert result["check"].value_counts().to_dict() == {"task_headcount": 3, "amount": 2, "level_total": 2, "amount_total": 1, "five_year_total": 1, "wording": 2}


@pytest.mark.parametrize(
    ("year_total", "agrees", "explanation"),
    [
        (83, True, "Khớp"),  # 83.04 rounds to 83
        (90, False, "Tổng số của tài liệu khác tổng thành tiền các dòng"),  # no single line explains 90
    ],
)
def test_a_year_total_that_agrees_or_differs_without_a_missing_line(year_total, agrees, explanation):
    result = reconcile.reconcile(PRICED, _printed(year_total, year_total), PLAN_APPENDICES, TOPICS, PLAN)
    rows = _rows(result, "amount_total")
    assert rows == [(None, None, float(year_total), pytest.approx(83.04), pytest.approx(83.04 - year_total), agrees, explanation, 6)]
    five = _rows(result, "five_year_total")[0]
    assert five[5] is agrees  # the five-year total is this one year's


def test_page_notes_of_the_costs_appendix(reconciliation):
    notes = without_mutation(reconcile.page_notes, reconciliation, 6)
    assert list(notes.columns) == ["topic", "level", "added", "note"]
    assert [(None if pd.isna(t) else t, None if pd.isna(lv) else lv, a, n) for t, lv, a, n in notes.values.tolist()] == [
        (None, None, False, f"Tài liệu in 30. Tổng số của tài liệu bỏ sót dòng 2 \"{UPGRADE}\" (53.04 triệu đồng)."),
        (None, "MN", False, f"Tài liệu in 10. Dòng Tổng số của tài liệu không cộng dòng 2 \"{UPGRADE}\" (4 người)."),
    ]


def test_page_notes_of_the_tasks_appendix_mark_the_added_line_once(reconciliation):
    notes = reconcile.page_notes(reconciliation, 1)
    assert [(t, None if pd.isna(lv) else lv, a, n) for t, lv, a, n in notes.values.tolist()] == [
        ("BD01", "TH", False, "Tài liệu in 6. Số lượng ở phụ lục 1 khác số lượng được tính kinh phí ở phụ lục 6 (5 người)."),
        ("TC_DH", None, True, "Dòng thêm: phụ lục 1 của tài liệu không có dòng này, nhưng phụ lục 6 tính kinh phí cho 4 người MN."),
    ]


def test_a_page_without_differences_has_no_notes(reconciliation):
    notes = reconcile.page_notes(reconciliation, 7)
    assert notes.empty and list(notes.columns) == ["topic", "level", "added", "note"]


def test_summarise_years_with_the_printed_total_and_the_appendices():
    priced = pd.concat([PRICED, frame("year topic level headcount unit_price_million amount_million", [(2027, "BD01", "MN", 7, 2.5, 17.5)])], ignore_index=True)
    summary = without_mutation(reconcile.summarise_years, priced, _printed(), PLAN_APPENDICES)
    rows = [(r.year, r.headcount, r.amount_million, None if pd.isna(r.printed_million) else r.printed_million, r.note) for r in summary.itertuples(index=False)]
    assert rows == [
        (2026, 10 + 5 + 4, pytest.approx(20.0 + 10.0 + 53.04), 30.0, "Phụ lục 1 và 6"),
        (2027, 7, pytest.approx(17.5), None, ""),  # nothing printed, no appendix
    ]


@pytest.mark.parametrize(("value", "whole"), [(2551.5, 2552), (2551.49, 2551), (53.04, 53), (0.5, 1), (83.0, 83), (1093.9999999, 1094)])
def test_round_half_up_as_the_document_rounds(value, whole):
    assert reconcile.round_half_up(value) == whole


@pytest.mark.parametrize(("value", "text"), [(1093.95, "1 093.95"), (30.0, "30"), (53.04, "53.04"), (13008.0, "13 008"), (0.5, "0.5")])
def test_number_text_groups_thousands_and_drops_trailing_zeros(value, text):
    assert reconcile.number_text(value) == text
