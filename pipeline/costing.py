"""Costing: money, and only here. Unit prices per year and topic, amounts per line.

Grain: one row per year, topic and level (``schemas.PricedHeadcount``), amounts in
million VND, unrounded; the workbooks round them for display only.
"""

from __future__ import annotations

import pandas as pd

import schemas
from schemas import plan_levels


def plan_targets(plan: pd.DataFrame) -> pd.DataFrame:
    """The plan's headcounts: one row per year, topic and level that has a figure."""
    long = plan.melt(id_vars=["year", "topic"], value_vars=plan_levels(plan), var_name="level", value_name="headcount")
    long = long.dropna(subset=["headcount"]).astype({"headcount": int})
    return long.groupby(["year", "topic", "level"], as_index=False, sort=False)["headcount"].sum()


def unit_prices(plan: pd.DataFrame) -> pd.DataFrame:
    """Price per person, per year and topic: given directly, or per credit × credits taught that year."""
    per_credit = plan["price_per_credit_million"].astype(float) * plan["credits_taught"].astype(float)
    prices = plan.assign(unit_price_million=plan["unit_price_million"].fillna(per_credit).astype(float))
    return prices.dropna(subset=["unit_price_million"])[["year", "topic", "unit_price_million"]]


def price(headcounts: pd.DataFrame, prices: pd.DataFrame) -> pd.DataFrame:
    """Add ``unit_price_million`` and ``amount_million`` (headcount × price) to headcounts.

    Headcounts with no price that year keep empty price and amount.
    """
    priced = headcounts[["year", "topic", "level", "headcount"]].merge(prices, on=["year", "topic"], how="left")
    priced = priced.assign(amount_million=priced["headcount"] * priced["unit_price_million"])
    return schemas.PricedHeadcount.validate(priced.reset_index(drop=True))


def price_lines(lines: pd.DataFrame, prices: pd.DataFrame) -> pd.DataFrame:
    """Price the lines of an appendix (from ``aggregate.plan_lines``).

    Adds ``unit_price_million``, ``amount_million`` (people on the line × price,
    unrounded) and ``note``: the quota note, or for degree upgrades the price per
    credit and credits taught, as the document writes it.
    """
    year_prices = prices.set_index(["year", "topic"])["unit_price_million"]
    keys = pd.MultiIndex.from_arrays([lines["year"], lines["topic"]])
    price_of_line = pd.Series(year_prices.reindex(keys).to_numpy(), index=lines.index).where(~lines["is_group"])
    amount = lines[plan_levels(lines)].sum(axis=1, min_count=1) * price_of_line
    per_credit_note = pd.Series(
        [
            f"{_vnd(per_credit)}/tín chỉ x {int(credits)} tín chỉ" if pd.notna(per_credit) else None
            for per_credit, credits in zip(lines["price_per_credit_million"], lines["credits_taught"])
        ],
        index=lines.index,
        dtype=object,
    )
    note = per_credit_note.fillna(lines["quota_note"])
    note = note.where(price_of_line.notna() | lines["is_group"], "Chưa có đơn giá năm này")
    return lines.assign(unit_price_million=price_of_line, amount_million=amount, note=note.fillna(""))


def _vnd(million: float) -> str:
    """0.442 million -> "442.000đ", the document's way of writing a price per credit."""
    return f"{round(million * 1_000_000):,}đ".replace(",", ".")
