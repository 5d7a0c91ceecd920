"""The contract between stages: pandera models for reference data and every table.

Validation rules for the units' spreadsheets live here too, as named checks on
``Candidate``; ``RULE_MESSAGES`` turns each failed check into the Vietnamese
problem and fix shown in the validation report.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

LEVELS_OF_SCHOOL = ("MN", "TH", "THCS", "THPT", "GDTX", "GDNN")
ALIAS_KINDS = ("level", "topic", "unit", "header", "unit_prefix")
HEADER_ROLES = ("stt", "unit", "topic", "code", "note", "total", "ignore")
SEVERITIES = ("lỗi", "cảnh báo")


# ---------------------------------------------------------------- reference data


class Level(pa.DataFrameModel):
    """One row per school level (levels.csv); ``covers`` lists the levels an aggregate level stands for."""

    code: Series[str] = pa.Field(unique=True, str_matches=r"^[A-Z]+$")
    name: Series[str] = pa.Field(str_length={"min_value": 1})
    covers: Series[str] = pa.Field(nullable=True, str_matches=r"^[A-Z]+( [A-Z]+)*$")

    class Config:
        strict = True
        coerce = True


class Topic(pa.DataFrameModel):
    """One row per training programme or topic (topics.csv)."""

    code: Series[str] = pa.Field(unique=True, str_matches=r"^[A-Z0-9_]+$")
    name: Series[str] = pa.Field(str_length={"min_value": 1})
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

    @pa.dataframe_check(name="header_role_known")
    def _header_role_known(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["kind"] != "header") | df["code"].isin(HEADER_ROLES)

    class Config:
        strict = True
        coerce = True
        unique = ["kind", "alias"]


class Unit(pa.DataFrameModel):
    """One row per reporting unit and validity period (units.csv)."""

    name: Series[str] = pa.Field(str_length={"min_value": 1})
    type: Series[str] = pa.Field(str_length={"min_value": 1})
    valid_from: Series[pd.Timestamp] = pa.Field(nullable=True)
    valid_to: Series[pd.Timestamp] = pa.Field(nullable=True)
    former_area: Series[str] = pa.Field(nullable=True)
    source: Series[str] = pa.Field(str_length={"min_value": 1})

    @pa.dataframe_check(name="period_ordered")
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


# ---------------------------------------------------------------- stage tables


class RawCell(pa.DataFrameModel):
    """Ingest output: one row per number cell found in a table, labels as typed.

    ``is_total`` marks the cells of a "Tổng số" row; ``column_key`` identifies the
    table column a cell belongs to, so totals can be checked against their rows.
    ``topic_in_column`` is true when the topic is named by the column header (or
    the title) rather than by the row. ``unit_cell``, ``topic_cell`` and
    ``header_cell`` say where each label was read (empty: from the title block,
    the sheet name or the file name).
    """

    source_file: Series[str]
    source_sheet: Series[str]
    source_cell: Series[str] = pa.Field(str_matches=r"^[A-Z]+[0-9]+$")
    row_number: Series[int] = pa.Field(ge=1)
    column_key: Series[str]
    year: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    unit_label: Series[str] = pa.Field(nullable=True)
    unit_cell: Series[str] = pa.Field(nullable=True)
    topic_label: Series[str] = pa.Field(nullable=True)
    topic_cell: Series[str] = pa.Field(nullable=True)
    topic_in_column: Series[bool]
    level_label: Series[str] = pa.Field(nullable=True)
    header_cell: Series[str] = pa.Field(nullable=True)
    title: Series[str] = pa.Field(nullable=True)
    value: Series[object] = pa.Field(nullable=True)
    is_total: Series[bool]

    class Config:
        strict = True
        coerce = True


class Candidate(pa.DataFrameModel):
    """Validate's working table: one row per data cell, labels resolved to codes.

    Every named check below is a rule of the data contract; a failed row becomes
    a problem in the validation report, worded by ``RULE_MESSAGES``.
    """

    source_file: Series[str]
    source_sheet: Series[str]
    source_cell: Series[str]
    value: Series[object] = pa.Field(nullable=True)
    year: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    unit: Series[str] = pa.Field(nullable=True)
    topic: Series[str] = pa.Field(nullable=True)
    level: Series[str] = pa.Field(nullable=True)
    headcount: Series[float] = pa.Field(nullable=True)
    is_number: Series[bool]
    topic_levels: Series[str] = pa.Field(nullable=True)

    @pa.dataframe_check(name="year_found")
    def _year_found(cls, df: pd.DataFrame) -> Series[bool]:
        return df["year"].notna()

    @pa.dataframe_check(name="unit_known")
    def _unit_known(cls, df: pd.DataFrame) -> Series[bool]:
        return df["year"].isna() | df["unit"].notna()

    @pa.dataframe_check(name="topic_known")
    def _topic_known(cls, df: pd.DataFrame) -> Series[bool]:
        return df["topic"].notna()

    @pa.dataframe_check(name="level_known")
    def _level_known(cls, df: pd.DataFrame) -> Series[bool]:
        return df["topic"].isna() | df["level"].notna()

    @pa.dataframe_check(name="headcount_is_number")
    def _headcount_is_number(cls, df: pd.DataFrame) -> Series[bool]:
        return df["is_number"]

    @pa.dataframe_check(name="headcount_not_negative")
    def _headcount_not_negative(cls, df: pd.DataFrame) -> Series[bool]:
        return ~(df["headcount"] < 0)

    @pa.dataframe_check(name="headcount_whole")
    def _headcount_whole(cls, df: pd.DataFrame) -> Series[bool]:
        return df["headcount"].isna() | (df["headcount"] == df["headcount"].round())

    @pa.dataframe_check(name="level_applies")
    def _level_applies(cls, df: pd.DataFrame) -> Series[bool]:
        applies = [
            pd.isna(levels) or pd.isna(level) or level in levels.split()
            for level, levels in zip(df["level"], df["topic_levels"])
        ]
        return pd.Series(applies, index=df.index) | ~(df["headcount"] > 0)

    class Config:
        strict = True
        coerce = True


class Registration(pa.DataFrameModel):
    """The data contract: one row per year, unit, topic and level.

    ``headcount`` is a non-negative whole number; the source columns say which
    file, sheet and cell it was read from.
    """

    year: Series[int] = pa.Field(ge=2000, le=2100)
    unit: Series[str] = pa.Field(str_length={"min_value": 1})
    topic: Series[str] = pa.Field(str_length={"min_value": 1})
    level: Series[str] = pa.Field(str_length={"min_value": 1})
    headcount: Series[int] = pa.Field(ge=0)
    source_file: Series[str]
    source_sheet: Series[str]
    source_cell: Series[str] = pa.Field(str_matches=r"^[A-Z]+[0-9]+$")

    class Config:
        strict = True
        coerce = True
        unique = ["year", "unit", "topic", "level"]


class Issue(pa.DataFrameModel):
    """One row per problem found in the inputs, as shown in the validation report."""

    file: Series[str]
    sheet: Series[str]
    cell: Series[str]
    value: Series[str]
    problem: Series[str]
    fix: Series[str]
    severity: Series[str] = pa.Field(isin=list(SEVERITIES))

    class Config:
        strict = True
        coerce = True


# Problem and fix for each rule; fields in braces come from the failing row.
# RULE_CELLS names the column holding the cell a problem points at.
RULE_CELLS: dict[str, str] = {
    "unit_known": "unit_cell",
    "topic_known": "topic_cell",
    "level_known": "header_cell",
}
RULE_MESSAGES: dict[str, tuple[str, str]] = {
    "year_found": (
        "Không xác định được năm của số liệu",
        "Ghi năm vào dòng tiêu đề (ví dụ \"NĂM 2024\"), hoặc vào tên trang tính hay tên tệp",
    ),
    "unit_known": (
        "Đơn vị \"{unit_label}\" không có trong danh sách đơn vị năm {year}",
        "Sửa tên đơn vị theo danh sách đơn vị của năm {year}{suggestions}",
    ),
    "topic_known": (
        "Nội dung \"{topic_label}\" không có trong danh mục chương trình đào tạo, bồi dưỡng",
        "Ghi đúng tên nội dung theo danh mục{suggestions}",
    ),
    "level_known": (
        "Không xác định được cấp học của cột \"{level_label}\"",
        "Ghi cấp học ở tiêu đề cột: MN, TH, THCS, THPT, GDTX hoặc GDNN",
    ),
    "headcount_is_number": (
        "Số lượng \"{value}\" không phải là số",
        "Nhập số nguyên không âm (để trống nếu không có)",
    ),
    "headcount_not_negative": (
        "Số lượng {value} là số âm",
        "Nhập số nguyên không âm",
    ),
    "headcount_whole": (
        "Số lượng {value} không phải là số nguyên",
        "Nhập số người là số nguyên",
    ),
    "level_applies": (
        "Nội dung {topic} không áp dụng cho cấp học {level}",
        "Xóa số liệu ở ô này; nội dung {topic} chỉ dành cho cấp học: {topic_levels}",
    ),
}

from schemas.plan import (  # noqa: E402  (the plan's models, re-exported)
    LEVEL_COLUMNS,
    PlanAppendix,
    PlanRow,
    PricedHeadcount,
    PrintedFigure,
    Reconciliation,
)
