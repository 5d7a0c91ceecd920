"""costing as functions on small frames: every amount multiplied out here, by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from frames import frame, plan_frame, without_mutation
from pipeline import costing

PLAN = plan_frame([
    dict(year=2026, position=1, topic="BD01", MN=10, TH=0, unit_price_million=2.0, quota_note="4 GV/trường"),
    dict(year=2026, position=2, topic="TC_DH", MN=4, TH=1, price_per_credit_million=0.442, credits_taught=30),
    dict(year=2026, position=3, topic="BD19"),  # a group line: no figure, no price
    dict(year=2026, position=4, topic="NVSP", parent="BD19", GDNN=3, unit_price_million=3.0),
    dict(year=2027, position=1, topic="BD01", MN=7, unit_price_million=2.5),
])


def test_plan_targets_are_one_row_per_figure_the_plan_gives():
    targets = without_mutation(costing.plan_targets, PLAN)
    assert list(targets.columns) == ["year", "topic", "level", "headcount"]
    found = {(year, topic, level): headcount for year, topic, level, headcount in targets.values.tolist()}
    assert found == {
        (2026, "BD01", "MN"): 10,
        (2026, "BD01", "TH"): 0,  # a 0 printed is a figure; a blank is none
        (2026, "TC_DH", "MN"): 4,
        (2026, "TC_DH", "TH"): 1,
        (2026, "NVSP", "GDNN"): 3,
        (2027, "BD01", "MN"): 7,
    }
    assert all(isinstance(value, int) for value in targets["headcount"].tolist())


def test_unit_prices_per_person_or_per_credit_times_credits():
    prices = without_mutation(costing.unit_prices, PLAN)
    found = {(year, topic): price for year, topic, price in prices.values.tolist()}
    assert found == {
        (2026, "BD01"): 2.0,
        (2026, "TC_DH"): pytest.approx(0.442 * 30),  # 13.26 per person
        (2026, "NVSP"): 3.0,
        (2027, "BD01"): 2.5,
    }  # BD19 has no price: no row


def test_price_multiplies_headcount_by_that_years_price_and_leaves_unpriced_rows_empty():
    headcounts = frame("year topic level headcount", [
        (2026, "BD01", "MN", 5),
        (2026, "TC_DH", "MN", 2),
        (2026, "BD06", "TH", 6),   # no price for this topic
        (2028, "BD01", "MN", 1),   # no price that year
    ])
    prices = frame("year topic unit_price_million", [(2026, "BD01", 2.0), (2026, "TC_DH", 13.26), (2027, "BD01", 2.5)])
    priced = without_mutation(costing.price, headcounts, prices)
    assert priced[["year", "topic", "level", "headcount"]].values.tolist() == headcounts.values.tolist()
    assert priced["unit_price_million"].tolist()[:2] == [2.0, 13.26]
    assert priced["amount_million"].tolist()[:2] == [pytest.approx(5 * 2.0), pytest.approx(2 * 13.26)]
    assert priced[["unit_price_million", "amount_million"]].iloc[2:].isna().all().all()


def test_price_keeps_only_the_contract_columns():
    headcounts = frame("year topic level headcount source_file", [(2026, "BD01", "MN", 5, "x.xlsx")])
    prices = frame("year topic unit_price_million", [(2026, "BD01", 2.0)])
    assert list(costing.price(headcounts, prices).columns) == ["year", "topic", "level", "headcount", "unit_price_million", "amount_million"]


def _lines() -> pd.DataFrame:
    """Lines as ``aggregate.plan_lines`` gives them, written out by hand."""
    levels = {"MN": [5, 2, None, None, None], "TH": [3, 1, None, 6, None], "THCS": [None] * 5, "THPT": [None] * 5, "GDTX": [None] * 5,
              "GDNN": [None, None, None, None, None]}
    return pd.DataFrame({
        "year": [2026] * 5,
        "topic": ["BD01", "TC_DH", "BD19", "BD06", "NVSP"],
        "parent": [None, None, None, None, "BD19"],
        "is_group": [False, False, True, False, False],
        **{level: pd.array(values, dtype="Int64") for level, values in levels.items()},
        "price_per_credit_million": [None, 0.442, None, None, None],
        "credits_taught": pd.array([None, 30, None, None, None], dtype="Int64"),
        "quota_note": ["4 GV/trường", None, "nhóm", None, None],
        "label": ["Chuyển đổi số", "Nâng chuẩn", "Khác", "Toàn diện", "- NVSP"],
    })


def test_price_lines_amount_is_the_levels_added_times_the_price_and_group_lines_are_not_priced():
    prices = frame("year topic unit_price_million", [(2026, "BD01", 2.0), (2026, "TC_DH", 0.442 * 30), (2026, "BD19", 5.0), (2026, "NVSP", 3.0)])
    lines = _lines()
    priced = without_mutation(costing.price_lines, lines, prices)
    assert priced["topic"].tolist() == lines["topic"].tolist() and priced["label"].tolist() == lines["label"].tolist()
    price = [None if pd.isna(value) else value for value in priced["unit_price_million"]]
    amount = [None if pd.isna(value) else value for value in priced["amount_million"]]
    assert price == [2.0, pytest.approx(13.26), None, None, 3.0]  # BD19 is a group: its price is not used
    assert amount == [pytest.approx((5 + 3) * 2.0), pytest.approx((2 + 1) * 13.26), None, None, None]  # NVSP has nobody: no amount, not 0
    assert priced["note"].tolist() == [
        "4 GV/trường",
        "442.000đ/tín chỉ x 30 tín chỉ",  # a degree upgrade: priced per credit, as the document writes it
        "nhóm",
        "Chưa có đơn giá năm này",         # BD06 has people and no price
        "",
    ]


def test_priced_plan_adds_up_to_the_sum_of_its_lines():
    # The chain the outputs use, on the small plan: 10×2 + 0×2 + (4+1)×13.26 + 3×3 = 95.3 for 2026, 7×2.5 for 2027
    priced = costing.price(costing.plan_targets(PLAN), costing.unit_prices(PLAN))
    totals = priced.groupby("year")["amount_million"].sum().to_dict()
    assert totals == {2026: pytest.approx(10 * 2.0 + 0 * 2.0 + (4 + 1) * 0.442 * 30 + 3 * 3.0), 2027: pytest.approx(7 * 2.5)}
