"""The contract between stages: pandera models for reference data and every table.

The rules checked cell by cell are named checks on ``Candidate``; each has its
record in ``schemas.rules.RULES`` (severity, the cell it points at, the Vietnamese
problem and fix), from which the validation report is worded.
"""

from __future__ import annotations

import re
from typing import Optional

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas.rules import CELL_RULES, RULES, SEVERITIES  # noqa: F401  (the rules, re-exported with the contract)

ALIAS_KINDS = ("topic", "unit", "header", "unit_prefix", "marker")
MARKERS = ("sample", "example", "not_registrations", "former", "school")  # a title marking a file as illustrative; a form's example row ("Ví dụ: ..."); a table's title saying its figures are no registrations ("đã được bồi dưỡng", "để tham khảo"); a word after a unit's name marking the unit before the reform ("cũ"); a word before a name making it a school's ("THPT")
HEADER_ROLES = ("stt", "unit", "topic", "code", "note", "total", "part", "group", "ignore")


# ---------------------------------------------------------------- reference data


# A name as outputs show it: words with one space between them, none at either end (a
# stray space is invisible in a printout, and a unit named twice that way would be two units).
DISPLAY_NAME = r"^\S+( \S+)*$"


class Level(pa.DataFrameModel):
    """One row per school level (levels.csv), in the order tables show them.

    ``covers``: the levels an aggregate level stands for; ``aliases``: other names of the
    level ("a; b"); ``parts``: names of the disjoint parts a form may split the level
    into ("Nhà trẻ; Mẫu giáo"), each of which alone also names the level.
    """

    code: Series[str] = pa.Field(unique=True, str_matches=r"^[A-Z]+$")
    name: Series[str] = pa.Field(str_matches=DISPLAY_NAME)
    header: Series[str] = pa.Field(str_matches=DISPLAY_NAME)  # the level's column heading in appendices and forms
    covers: Series[str] = pa.Field(nullable=True, str_matches=r"^[A-Z]+( [A-Z]+)*$")
    aliases: Series[str] = pa.Field(nullable=True)
    parts: Series[str] = pa.Field(nullable=True)
    source: Series[str] = pa.Field(str_length={"min_value": 1})

    class Config:
        strict = True
        coerce = True


class Topic(pa.DataFrameModel):
    """One row per training programme or topic (topics.csv)."""

    code: Series[str] = pa.Field(unique=True, str_matches=r"^[A-Z0-9_]+$")
    name: Series[str] = pa.Field(str_matches=DISPLAY_NAME)
    kind: Series[str] = pa.Field(isin=["đào tạo", "bồi dưỡng"])
    levels: Series[str] = pa.Field(str_matches=r"^[A-Z]+( [A-Z]+)*$")
    credits_total: Series[pd.Int64Dtype] = pa.Field(nullable=True, gt=0)

    class Config:
        strict = True
        coerce = True


class Alias(pa.DataFrameModel):
    """One row per other spelling of a level, topic, unit, header or prefix (aliases.csv)."""

    kind: Series[str] = pa.Field(isin=list(ALIAS_KINDS))
    code: Series[str] = pa.Field(str_length={"min_value": 1})
    alias: Series[str] = pa.Field(str_length={"min_value": 1})

    @pa.dataframe_check(name="marker_known", ignore_na=False)
    def _marker_known(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["kind"] != "marker") | df["code"].isin(MARKERS)

    @pa.dataframe_check(name="header_role_known", ignore_na=False)
    def _header_role_known(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["kind"] != "header") | df["code"].isin(HEADER_ROLES)

    class Config:
        strict = True
        coerce = True
        unique = ["kind", "alias"]


class Unit(pa.DataFrameModel):
    """One row per reporting unit and validity period (units.csv)."""

    name: Series[str] = pa.Field(str_matches=DISPLAY_NAME)
    type: Series[str] = pa.Field(str_length={"min_value": 1})
    valid_from: Series[pd.Timestamp] = pa.Field(nullable=True)
    valid_to: Series[pd.Timestamp] = pa.Field(nullable=True)
    former_area: Series[str] = pa.Field(nullable=True)
    source: Series[str] = pa.Field(str_length={"min_value": 1})
    email: Optional[Series[str]] = pa.Field(nullable=True)  # where the unit's feedback letters go (phan_hoi/<year>/gui_thu.csv)

    @pa.dataframe_check(name="period_ordered", ignore_na=False)
    def _period_ordered(cls, df: pd.DataFrame) -> Series[bool]:
        return df["valid_from"].isna() | df["valid_to"].isna() | (df["valid_from"] <= df["valid_to"])

    class Config:
        strict = True
        coerce = True


class AppendixSpec(pa.DataFrameModel):
    """One row per appendix of a year's registration plan (appendices.csv)."""

    year: Series[int] = pa.Field(ge=2000, le=2100)
    appendix: Series[int] = pa.Field(ge=1)
    title: Series[str]
    subtitle: Series[str]
    unit_header: Series[str]
    attachment: Series[str] = pa.Field(nullable=True)

    class Config:
        strict = True
        coerce = True
        unique = ["year", "appendix"]


class AppendixColumn(pa.DataFrameModel):
    """One row per count column of an appendix (appendix_columns.csv)."""

    year: Series[int] = pa.Field(ge=2000, le=2100)
    appendix: Series[int] = pa.Field(ge=1)
    position: Series[int] = pa.Field(ge=1)
    topic: Series[str]
    level: Series[str]
    header: Series[str]

    class Config:
        strict = True
        coerce = True
        unique = ["year", "appendix", "position"]


LIMIT_KEYS = ("largest_headcount",)
# A bound no larger than this keeps a million cells' sum a whole number in floating point
# (2^53) and far below the largest machine integer (2^63).
_LARGEST_LIMIT = 2**53 // 2**20


class Limit(pa.DataFrameModel):
    """One row per limit of what a registration may hold (limits.csv): ``largest_headcount``,
    the most people one cell (a unit, a topic, a level) may count."""

    key: Series[str] = pa.Field(isin=list(LIMIT_KEYS), unique=True)
    value: Series[int] = pa.Field(ge=1, le=_LARGEST_LIMIT)
    source: Series[str] = pa.Field(str_length={"min_value": 1})

    @pa.dataframe_check(name="every_limit", ignore_na=False)
    def _every_limit(cls, df: pd.DataFrame) -> bool:
        return set(df["key"]) == set(LIMIT_KEYS)

    class Config:
        strict = True
        coerce = True


# ---------------------------------------------------------------- stage tables


class Candidate(pa.DataFrameModel):
    """Validate's working table: one row per cell of a table's number area, labels resolved.

    ``role``: "data" (a cell that would be booked as a registration), "group" (one of
    the disjoint groups a level is split into, added up to be booked, or checked
    against the level's total), "part" (an "of which" part, checked), "total" (a cell of
    a "Tổng số" row), "row_total" (a total over the levels of a row), "subtotal" (a
    group row's cell, checked against the rows it heads or closes).
    ``unit_match``/``topic_match`` say how a label was matched (``pipeline.names``).
    Every named check below is a rule (``schemas.rules.RULES``, same name); a failed
    row becomes a problem in the validation report. Every check handles blanks itself
    (``ignore_na=False``), which spares pandera a scan of the whole table per check.
    """

    source_file: Series[str]
    source_sheet: Series[str]
    source_cell: Series[str]
    row_number: Series[int] = pa.Field(ge=1)
    role: Series[str] = pa.Field(isin=["data", "group", "part", "total", "row_total", "subtotal"])
    value: Series[object] = pa.Field(nullable=True)
    year: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    unit_label: Series[str] = pa.Field(nullable=True)
    unit_cell: Series[str] = pa.Field(nullable=True)
    unit: Series[str] = pa.Field(nullable=True)
    unit_match: Series[str] = pa.Field(isin=["exact", "fuzzy", "former_kind", ""])
    topic_label: Series[str] = pa.Field(nullable=True)
    topic_in_column: Series[bool]
    topic: Series[str] = pa.Field(nullable=True)
    topic_match: Series[str] = pa.Field(isin=["exact", "fuzzy", "code", ""])
    level: Series[str] = pa.Field(nullable=True)
    headcount: Series[float] = pa.Field(nullable=True)
    is_number: Series[bool]
    is_error: Series[bool]
    is_date: Series[bool]
    is_ambiguous: Series[bool]
    is_formula_without_value: Series[bool]
    topic_levels: Series[str] = pa.Field(nullable=True)
    largest_headcount: Series[int] = pa.Field(ge=1)  # the most one cell may count (limits.csv)

    @pa.dataframe_check(name="year_found", ignore_na=False)
    def _year_found(cls, df: pd.DataFrame) -> Series[bool]:
        return df["year"].notna()

    @pa.dataframe_check(name="unit_found", ignore_na=False)
    def _unit_found(cls, df: pd.DataFrame) -> Series[bool]:
        return _not_data(df) | df["year"].isna() | df["unit"].notna() | df["unit_cell"].notna()

    @pa.dataframe_check(name="unit_named", ignore_na=False)
    def _unit_named(cls, df: pd.DataFrame) -> Series[bool]:
        return _not_data(df) | df["unit_cell"].isna() | df["unit_label"].notna()

    @pa.dataframe_check(name="unit_known", ignore_na=False)
    def _unit_known(cls, df: pd.DataFrame) -> Series[bool]:
        return _not_data(df) | df["year"].isna() | df["unit_label"].isna() | df["unit"].notna()

    @pa.dataframe_check(name="unit_confirmed", ignore_na=False)
    def _unit_confirmed(cls, df: pd.DataFrame) -> Series[bool]:
        return _not_data(df) | (df["unit_match"] != "fuzzy")

    @pa.dataframe_check(name="unit_former_kind", ignore_na=False)
    def _unit_former_kind(cls, df: pd.DataFrame) -> Series[bool]:
        return _not_data(df) | (df["unit_match"] != "former_kind")

    @pa.dataframe_check(name="topic_found", ignore_na=False)
    def _topic_found(cls, df: pd.DataFrame) -> Series[bool]:
        return _not_data(df) | ~df["topic_in_column"] | df["topic"].notna()

    @pa.dataframe_check(name="topic_named", ignore_na=False)
    def _topic_named(cls, df: pd.DataFrame) -> Series[bool]:
        return _not_data(df) | df["topic_in_column"] | df["topic_label"].notna() | (df["topic_match"] == "code")

    @pa.dataframe_check(name="topic_known", ignore_na=False)
    def _topic_known(cls, df: pd.DataFrame) -> Series[bool]:
        return _not_data(df) | df["topic_in_column"] | df["topic_label"].isna() | df["topic"].notna()

    @pa.dataframe_check(name="topic_confirmed", ignore_na=False)
    def _topic_confirmed(cls, df: pd.DataFrame) -> Series[bool]:
        return _not_data(df) | (df["topic_match"] != "fuzzy")

    @pa.dataframe_check(name="topic_by_code", ignore_na=False)
    def _topic_by_code(cls, df: pd.DataFrame) -> Series[bool]:
        return _not_data(df) | (df["topic_match"] != "code")

    @pa.dataframe_check(name="level_known", ignore_na=False)
    def _level_known(cls, df: pd.DataFrame) -> Series[bool]:
        return _not_data(df) | df["topic"].isna() | df["level"].notna()

    @pa.dataframe_check(name="cell_not_error", ignore_na=False)
    def _cell_not_error(cls, df: pd.DataFrame) -> Series[bool]:
        return ~df["is_error"]

    @pa.dataframe_check(name="headcount_not_date", ignore_na=False)
    def _headcount_not_date(cls, df: pd.DataFrame) -> Series[bool]:
        return ~df["is_date"]

    @pa.dataframe_check(name="formula_has_value", ignore_na=False)
    def _formula_has_value(cls, df: pd.DataFrame) -> Series[bool]:
        # A number saved as a formula with no value is unknown: the file cannot be read.
        # A "Tổng số" formula states nothing the rows do not (the pipeline re-adds them),
        # so one saved without its value (openpyxl, scripts) is simply not checked.
        return ~df["is_formula_without_value"] | df["role"].isin(["total", "row_total", "subtotal"])

    @pa.dataframe_check(name="headcount_is_number", ignore_na=False)
    def _headcount_is_number(cls, df: pd.DataFrame) -> Series[bool]:
        return df["is_number"] | df["is_error"] | df["is_date"] | df["is_ambiguous"]

    @pa.dataframe_check(name="number_style_clear", ignore_na=False)
    def _number_style_clear(cls, df: pd.DataFrame) -> Series[bool]:
        return ~df["is_ambiguous"]

    @pa.dataframe_check(name="headcount_not_negative", ignore_na=False)
    def _headcount_not_negative(cls, df: pd.DataFrame) -> Series[bool]:
        return ~(df["headcount"] < 0)

    @pa.dataframe_check(name="headcount_whole", ignore_na=False)
    def _headcount_whole(cls, df: pd.DataFrame) -> Series[bool]:
        return df["headcount"].isna() | (df["headcount"] == df["headcount"].round())

    @pa.dataframe_check(name="headcount_within_limit", ignore_na=False)
    def _headcount_within_limit(cls, df: pd.DataFrame) -> Series[bool]:
        # More than any unit's whole staff is a slip (a digit too many, another number pasted
        # in); bounded cells also keep every sum far below the largest machine integer.
        return _not_data(df) | ~(df["headcount"] > df["largest_headcount"])

    @pa.dataframe_check(name="level_applies", ignore_na=False)
    def _level_applies(cls, df: pd.DataFrame) -> Series[bool]:
        return level_in_topic(df["level"], df["topic_levels"]) | ~(df["headcount"] > 0) | _not_data(df)

    class Config:
        strict = True
        coerce = True


def _not_data(df: pd.DataFrame) -> pd.Series:
    """Rows whose labels are not checked: only cells that would be booked name a unit and topic."""
    return ~df["role"].isin(["data", "group"])


def level_in_topic(level: pd.Series, topic_levels: pd.Series) -> pd.Series:
    """True where ``level`` is one of ``topic_levels`` ("TH THCS"), or either is unknown."""
    # A few distinct values each, however many rows: decide each pair once.
    level_codes, levels = pd.factorize(level.fillna(""))
    set_codes, sets = pd.factorize(topic_levels.fillna(""))
    verdicts = np.array([[_level_in(one, many) for many in sets] for one in levels], dtype=bool).reshape(len(levels), len(sets))
    return pd.Series(verdicts[level_codes, set_codes], index=level.index)


def _level_in(level: str, levels: str) -> bool:
    return not level or not levels or level in levels.split()


_CELL_ADDRESS = re.compile(r"^[A-Z]+[0-9]+(\+[A-Z]+[0-9]+)*$")


def is_cell_address(column: pd.Series) -> pd.Series:
    """True where a value is a cell address such as "C12", or the cells of a level split into
    groups and added ("C12+D12").

    Each distinct value is tested once: a run repeats the same few hundred
    addresses over every file.
    """
    wrong = [value for value in column.unique() if not (isinstance(value, str) and _CELL_ADDRESS.match(value))]
    return ~column.isin(wrong)


class Registration(pa.DataFrameModel):
    """The data contract: one row per year, unit, topic and level.

    ``headcount`` is a non-negative whole number; the source columns say which
    file, sheet and cell it was read from ("C12+D12" for a level typed as the groups
    that make it up, CBQL + GV).
    """

    year: Series[int] = pa.Field(ge=2000, le=2100)
    unit: Series[str] = pa.Field(ne="")
    topic: Series[str] = pa.Field(ne="")
    level: Series[str] = pa.Field(ne="")
    headcount: Series[int] = pa.Field(ge=0)
    source_file: Series[str]
    source_sheet: Series[str]
    source_cell: Series[str]

    @pa.check("source_cell", name="cell_address", ignore_na=False)
    def _cell_address(cls, column: Series[str]) -> Series[bool]:
        return is_cell_address(column)

    class Config:
        strict = True
        coerce = True
        unique = ["year", "unit", "topic", "level"]


class Issue(pa.DataFrameModel):
    """One row per problem found in the inputs, as shown in the validation report.

    ``unit``: the unit the problem concerns, where known (a unit's row of a compiled
    table, or the unit a whole file is from); empty otherwise.
    """

    file: Series[str]
    sheet: Series[str]
    cell: Series[str]
    value: Series[str]
    problem: Series[str]
    fix: Series[str]
    severity: Series[str] = pa.Field(isin=list(SEVERITIES))
    unit: Series[str]

    class Config:
        strict = True
        coerce = True


from schemas.plan import (  # noqa: E402, F401  (the plan's models, re-exported)
    plan_levels,
    PlanAppendix,
    PlanRow,
    PricedHeadcount,
    PrintedFigure,
    Reconciliation,
)
