"""Pandera models of the five-year plan: its reference tables and the priced outputs."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

_LEVEL_COLUMN = r"^[A-Z]+$"  # a level code (levels.csv): plan.csv has one column per level of school


def plan_levels(frame: pd.DataFrame) -> list[str]:
    """The level columns of a plan table (plan.csv, plan lines), in their order."""
    return [column for column in frame.columns if isinstance(column, str) and column.isupper() and column.isalpha()]

PRINTED_KINDS = ("task_headcount", "amount", "level_total", "amount_total", "five_year_total")


class PlanRow(pa.DataFrameModel):
    """One row per year and line of the plan's appendices (plan.csv).

    Headcounts are the planned targets per level; a line is priced either per
    person (``unit_price_million``) or, for degree upgrades, per credit
    (``price_per_credit_million`` × ``credits_taught`` that year). A line with a
    ``parent`` is a sub-item ("- Bồi dưỡng nghiệp vụ sư phạm") of that topic's line.
    """

    year: Series[int] = pa.Field(ge=2000, le=2100)
    position: Series[int] = pa.Field(ge=1)
    topic: Series[str]
    parent: Series[str] = pa.Field(nullable=True)
    label: Series[str] = pa.Field(nullable=True)
    headcounts: Series[pd.Int64Dtype] = pa.Field(alias=_LEVEL_COLUMN, regex=True, nullable=True, ge=0)  # one column per level
    unit_price_million: Series[float] = pa.Field(nullable=True, ge=0)
    price_per_credit_million: Series[float] = pa.Field(nullable=True, ge=0)
    credits_taught: Series[pd.Int64Dtype] = pa.Field(nullable=True, gt=0)
    delivery_form: Series[str] = pa.Field(nullable=True)
    lead_unit: Series[str] = pa.Field(nullable=True)
    partner_units: Series[str] = pa.Field(nullable=True)
    quota_note: Series[str] = pa.Field(nullable=True)
    task_number: Series[str] = pa.Field(nullable=True)
    task_label: Series[str] = pa.Field(nullable=True)
    cost_number: Series[str] = pa.Field(nullable=True)
    cost_label: Series[str] = pa.Field(nullable=True)
    task_typo: Series[str] = pa.Field(nullable=True)
    cost_typo: Series[str] = pa.Field(nullable=True)

    @pa.parser("task_number", "cost_number")
    def _numbers_as_printed(cls, series: pd.Series) -> pd.Series:
        """A column of numbers alone is read as floats (1.0): back to the text printed ("1")."""
        return series.map(lambda value: f"{value:g}" if isinstance(value, float) and value == value else value)

    @pa.dataframe_check(name="priced_one_way", ignore_na=False)
    def _priced_one_way(cls, df: pd.DataFrame) -> Series[bool]:
        """Per person or per credit, never both; a per-credit price needs its credits."""
        per_person = df["unit_price_million"].notna()
        per_credit = df["price_per_credit_million"].notna()
        return ~(per_person & per_credit) & (per_credit == df["credits_taught"].notna())

    @pa.dataframe_check(name="headcount_is_priced", ignore_na=False)
    def _headcount_is_priced(cls, df: pd.DataFrame) -> Series[bool]:
        # A level cell that failed its own check (text where a number belongs) is reported
        # there; here it counts as no headcount.
        levels = df[plan_levels(df)].apply(pd.to_numeric, errors="coerce")
        has_headcount = levels.fillna(0).sum(axis=1) > 0
        return ~has_headcount | df["unit_price_million"].notna() | df["price_per_credit_million"].notna()

    class Config:
        strict = True
        coerce = True
        unique = ["year", "position"]


class PlanAppendix(pa.DataFrameModel):
    """One row per appendix of the five-year plan (plan_appendices.csv).

    ``topic_header`` is the header of the topic column and ``total_label`` the label of
    the "Tổng số" row, as that appendix prints them (empty: the house wording).
    """

    year: Series[int] = pa.Field(ge=2000, le=2100)
    kind: Series[str] = pa.Field(isin=["nhiệm vụ", "kinh phí"])
    appendix: Series[int] = pa.Field(ge=1)
    title: Series[str]
    attachment: Series[str] = pa.Field(nullable=True)
    topic_header: Series[str] = pa.Field(nullable=True)
    total_label: Series[str] = pa.Field(nullable=True)

    class Config:
        strict = True
        coerce = True
        unique = ["year", "kind"]


class PrintedFigure(pa.DataFrameModel):
    """One row per figure printed in the plan document (plan_printed.csv): evidence to check, never an input."""

    kind: Series[str] = pa.Field(isin=list(PRINTED_KINDS))
    year: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    topic: Series[str] = pa.Field(nullable=True)
    level: Series[str] = pa.Field(nullable=True)
    value: Series[float]
    source: Series[str]

    class Config:
        strict = True
        coerce = True


class PricedHeadcount(pa.DataFrameModel):
    """plan.csv and costs.csv: one row per year, topic and level, priced, amounts unrounded."""

    year: Series[int] = pa.Field(ge=2000, le=2100)
    topic: Series[str]
    level: Series[str]
    headcount: Series[int] = pa.Field(ge=0)
    unit_price_million: Series[float] = pa.Field(nullable=True, ge=0)
    amount_million: Series[float] = pa.Field(nullable=True, ge=0)

    @pa.dataframe_check(name="amount_is_headcount_times_price", ignore_na=False)
    def _amount(cls, df: pd.DataFrame) -> Series[bool]:
        expected = df["headcount"] * df["unit_price_million"]
        return (df["amount_million"].isna() & df["unit_price_million"].isna()) | ((df["amount_million"] - expected).abs() < 1e-6)

    class Config:
        strict = "filter"
        coerce = True
        unique = ["year", "topic", "level"]


class Reconciliation(pa.DataFrameModel):
    """One row per figure printed in the document, set against the pipeline's own, and one
    per typo of the document that the appendices keep.

    ``check`` says what was compared (a kind of ``PRINTED_KINDS``, or ``wording``);
    ``appendix``, ``topic`` and ``level`` place the row on its appendix page (the line
    and column of the cell; no topic: the "Tổng số" row), empty where no appendix holds it.
    """

    year: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    source: Series[str]
    item: Series[str]
    printed: Series[float] = pa.Field(nullable=True)
    computed: Series[float] = pa.Field(nullable=True)
    difference: Series[float] = pa.Field(nullable=True)
    agrees: Series[bool]
    explanation: Series[str]
    check: Series[str] = pa.Field(isin=[*PRINTED_KINDS, "wording"])
    appendix: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    topic: Series[str] = pa.Field(nullable=True)
    level: Series[str] = pa.Field(nullable=True)

    class Config:
        strict = True
        coerce = True
