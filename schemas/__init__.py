"""The contract between stages: pandera models for reference data and every table.

Validation rules for the units' spreadsheets live here too, as named checks on
``Candidate``; ``RULE_MESSAGES`` turns each failed check into the Vietnamese
problem and fix shown in the validation report.
"""

from __future__ import annotations

import re
from typing import Optional

import numpy as np
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

    @pa.dataframe_check(name="header_role_known", ignore_na=False)
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
    source_cell: Series[str]
    row_number: Series[int] = pa.Field(ge=1)
    column_key: Series[str]
    year: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    unit_label: Series[str] = pa.Field(nullable=True)
    unit_cell: Series[str] = pa.Field(nullable=True)
    topic_label: Series[str] = pa.Field(nullable=True)
    topic_cell: Series[str] = pa.Field(nullable=True)
    topic_in_column: Series[bool]
    topic_code: Series[str] = pa.Field(nullable=True)
    level_label: Series[str] = pa.Field(nullable=True)
    header_cell: Series[str] = pa.Field(nullable=True)
    title: Series[str] = pa.Field(nullable=True)
    value: Series[object] = pa.Field(nullable=True)
    is_total: Series[bool]
    is_formula_without_value: Series[bool]

    @pa.check("source_cell", name="cell_address", ignore_na=False)
    def _cell_address(cls, column: Series[str]) -> Series[bool]:
        return is_cell_address(column)

    class Config:
        strict = True
        coerce = True


class Candidate(pa.DataFrameModel):
    """Validate's working table: one row per cell read, labels resolved to codes.

    Every named check below is a rule of the data contract; a failed row becomes
    a problem in the validation report, worded by ``RULE_MESSAGES``, an error
    unless ``RULE_SEVERITIES`` says it is a warning. Total rows ("Tổng số") are
    checked for their numbers only; whether they add up is checked apart.
    ``unit_match``/``topic_match`` say how a label was matched: "exact" (name,
    alias, other spelling) or "fuzzy" (a typo, accepted for the officer to confirm).

    Every check handles blanks itself (``ignore_na=False``): with pandera's default,
    each check would first scan the whole table for rows of blanks, which costs more
    than the rules themselves.
    """

    source_file: Series[str]
    source_sheet: Series[str]
    source_cell: Series[str]
    value: Series[object] = pa.Field(nullable=True)
    year: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    unit_label: Series[str] = pa.Field(nullable=True)
    unit_cell: Series[str] = pa.Field(nullable=True)
    unit: Series[str] = pa.Field(nullable=True)
    unit_match: Series[str] = pa.Field(isin=["exact", "fuzzy", ""])
    topic_label: Series[str] = pa.Field(nullable=True)
    topic_in_column: Series[bool]
    topic: Series[str] = pa.Field(nullable=True)
    topic_match: Series[str] = pa.Field(isin=["exact", "fuzzy", "code", ""])
    level: Series[str] = pa.Field(nullable=True)
    headcount: Series[float] = pa.Field(nullable=True)
    is_number: Series[bool]
    is_total: Series[bool]
    is_formula_without_value: Series[bool]
    topic_levels: Series[str] = pa.Field(nullable=True)

    @pa.dataframe_check(name="year_found", ignore_na=False)
    def _year_found(cls, df: pd.DataFrame) -> Series[bool]:
        return df["year"].notna()

    @pa.dataframe_check(name="unit_found", ignore_na=False)
    def _unit_found(cls, df: pd.DataFrame) -> Series[bool]:
        return df["is_total"] | df["year"].isna() | df["unit"].notna() | df["unit_cell"].notna()

    @pa.dataframe_check(name="unit_named", ignore_na=False)
    def _unit_named(cls, df: pd.DataFrame) -> Series[bool]:
        return df["is_total"] | df["unit_cell"].isna() | df["unit_label"].notna()

    @pa.dataframe_check(name="unit_known", ignore_na=False)
    def _unit_known(cls, df: pd.DataFrame) -> Series[bool]:
        return df["is_total"] | df["year"].isna() | df["unit_label"].isna() | df["unit"].notna()

    @pa.dataframe_check(name="unit_confirmed", ignore_na=False)
    def _unit_confirmed(cls, df: pd.DataFrame) -> Series[bool]:
        return df["is_total"] | (df["unit_match"] != "fuzzy")

    @pa.dataframe_check(name="topic_found", ignore_na=False)
    def _topic_found(cls, df: pd.DataFrame) -> Series[bool]:
        return df["is_total"] | ~df["topic_in_column"] | df["topic"].notna()

    @pa.dataframe_check(name="topic_named", ignore_na=False)
    def _topic_named(cls, df: pd.DataFrame) -> Series[bool]:
        return df["is_total"] | df["topic_in_column"] | df["topic_label"].notna() | (df["topic_match"] == "code")

    @pa.dataframe_check(name="topic_known", ignore_na=False)
    def _topic_known(cls, df: pd.DataFrame) -> Series[bool]:
        return df["is_total"] | df["topic_in_column"] | df["topic_label"].isna() | df["topic"].notna()

    @pa.dataframe_check(name="topic_confirmed", ignore_na=False)
    def _topic_confirmed(cls, df: pd.DataFrame) -> Series[bool]:
        return df["is_total"] | (df["topic_match"] != "fuzzy")

    @pa.dataframe_check(name="topic_by_code", ignore_na=False)
    def _topic_by_code(cls, df: pd.DataFrame) -> Series[bool]:
        return df["is_total"] | (df["topic_match"] != "code")

    @pa.dataframe_check(name="level_known", ignore_na=False)
    def _level_known(cls, df: pd.DataFrame) -> Series[bool]:
        return df["is_total"] | df["topic"].isna() | df["level"].notna()

    @pa.dataframe_check(name="formula_has_value", ignore_na=False)
    def _formula_has_value(cls, df: pd.DataFrame) -> Series[bool]:
        # A number saved as a formula with no value is unknown: the file cannot be read.
        # A "Tổng số" formula states nothing the rows do not (the pipeline re-adds them),
        # so one saved without its value (openpyxl, scripts) is simply not checked.
        return ~df["is_formula_without_value"] | df["is_total"]

    @pa.dataframe_check(name="headcount_is_number", ignore_na=False)
    def _headcount_is_number(cls, df: pd.DataFrame) -> Series[bool]:
        return df["is_number"]

    @pa.dataframe_check(name="headcount_not_negative", ignore_na=False)
    def _headcount_not_negative(cls, df: pd.DataFrame) -> Series[bool]:
        return ~(df["headcount"] < 0)

    @pa.dataframe_check(name="headcount_whole", ignore_na=False)
    def _headcount_whole(cls, df: pd.DataFrame) -> Series[bool]:
        return df["headcount"].isna() | (df["headcount"] == df["headcount"].round())

    @pa.dataframe_check(name="level_applies", ignore_na=False)
    def _level_applies(cls, df: pd.DataFrame) -> Series[bool]:
        return level_in_topic(df["level"], df["topic_levels"]) | ~(df["headcount"] > 0) | df["is_total"]

    class Config:
        strict = True
        coerce = True


def level_in_topic(level: pd.Series, topic_levels: pd.Series) -> pd.Series:
    """True where ``level`` is one of ``topic_levels`` ("TH THCS"), or either is unknown."""
    # A few distinct values each, however many rows: decide each pair once.
    level_codes, levels = pd.factorize(level.fillna(""))
    set_codes, sets = pd.factorize(topic_levels.fillna(""))
    verdicts = np.array([[_level_in(one, many) for many in sets] for one in levels], dtype=bool).reshape(len(levels), len(sets))
    return pd.Series(verdicts[level_codes, set_codes], index=level.index)


def _level_in(level: str, levels: str) -> bool:
    return not level or not levels or level in levels.split()


_CELL_ADDRESS = re.compile(r"^[A-Z]+[0-9]+$")


def is_cell_address(column: pd.Series) -> pd.Series:
    """True where a value is a cell address such as "C12".

    Each distinct value is tested once: a run repeats the same few hundred
    addresses over every file.
    """
    wrong = [value for value in column.unique() if not (isinstance(value, str) and _CELL_ADDRESS.match(value))]
    return ~column.isin(wrong)


class Registration(pa.DataFrameModel):
    """The data contract: one row per year, unit, topic and level.

    ``headcount`` is a non-negative whole number; the source columns say which
    file, sheet and cell it was read from.
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
# RULE_CELLS names the column holding the cell a problem points at ("": the
# whole sheet), RULE_VALUES the column shown as the value found; both default
# to the number's own cell and value. RULE_SEVERITIES: rules that only warn.
RULE_CELLS: dict[str, str] = {
    "year_found": "",
    "unit_found": "",
    "unit_named": "unit_cell",
    "unit_known": "unit_cell",
    "unit_confirmed": "unit_cell",
    "topic_found": "header_cell",
    "topic_named": "topic_cell",
    "topic_known": "topic_cell",
    "topic_confirmed": "topic_cell",
    "topic_by_code": "topic_cell",
    "level_known": "header_cell",
    "column_skipped": "header_cell",
    "row_skipped": "label_cell",
}
RULE_VALUES: dict[str, str] = {
    "year_found": "",
    "unit_found": "",
    "unit_named": "unit_label",
    "unit_known": "unit_label",
    "unit_confirmed": "unit_label",
    "topic_found": "level_label",
    "topic_named": "topic_label",
    "topic_known": "topic_label",
    "topic_confirmed": "topic_label",
    "topic_by_code": "topic_label",
    "level_known": "level_label",
    "column_skipped": "level_label",
    "row_skipped": "row_label",
}
RULE_SEVERITIES: dict[str, str] = {
    "unit_confirmed": SEVERITIES[1],
    "topic_confirmed": SEVERITIES[1],
    "topic_by_code": SEVERITIES[1],
    "column_skipped": SEVERITIES[1],
    "row_skipped": SEVERITIES[1],
}
_WHERE_LOOKED = "khối tiêu đề phía trên bảng, tên trang tính \"{source_sheet}\" và tên tệp \"{source_file}\""
RULE_MESSAGES: dict[str, tuple[str, str]] = {
    "year_found": (
        "Không xác định được năm của số liệu trong trang tính \"{source_sheet}\"",
        "Đã tìm năm (ví dụ \"NĂM 2026\") lần lượt ở " + _WHERE_LOOKED + " nhưng không thấy; "
        "ghi năm vào dòng tiêu đề, ví dụ \"ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM 2026\"",
    ),
    "unit_found": (
        "Không xác định được đơn vị gửi số liệu trong trang tính \"{source_sheet}\"",
        "Đã tìm tên đơn vị (dòng \"Đơn vị: ...\") lần lượt ở " + _WHERE_LOOKED + " nhưng không thấy tên nào "
        "trong danh sách đơn vị năm {year}; ghi \"Đơn vị: <tên đơn vị>\" vào khối tiêu đề{suggestions}",
    ),
    "unit_named": (
        "Dòng {row_number} có số liệu nhưng ô tên đơn vị để trống",
        "Ghi tên đơn vị vào ô {unit_cell}",
    ),
    "unit_known": (
        "Đơn vị \"{unit_label}\" không có trong danh sách đơn vị năm {year}",
        "Sửa tên đơn vị theo danh sách đơn vị của năm {year}{suggestions}",
    ),
    "unit_confirmed": (
        "Tên đơn vị \"{unit_label}\" không đúng như trong danh sách; đã hiểu là \"{unit}\"",
        "Kiểm tra lại: nếu đúng là {unit} thì không cần sửa (nên ghi đúng tên \"{unit}\"), nếu không thì sửa tên đơn vị",
    ),
    "topic_found": (
        "Không xác định được nội dung đào tạo, bồi dưỡng của cột \"{level_label}\"",
        "Đã tìm tên nội dung lần lượt ở tiêu đề cột, " + _WHERE_LOOKED + " nhưng không thấy; "
        "ghi tên nội dung theo danh mục vào tiêu đề cột hoặc dòng tiêu đề{suggestions}",
    ),
    "topic_named": (
        "Dòng {row_number} có số liệu nhưng ô tên nội dung để trống",
        "Ghi tên nội dung đào tạo, bồi dưỡng theo danh mục vào ô {topic_cell}",
    ),
    "topic_known": (
        "Nội dung \"{topic_label}\" không có trong danh mục chương trình đào tạo, bồi dưỡng",
        "Ghi đúng tên nội dung theo danh mục{suggestions}",
    ),
    "topic_confirmed": (
        "Nội dung \"{topic_label}\" không khớp đúng tên trong danh mục; đã hiểu là {topic} \"{topic_name}\" (giống {topic_score}%)",
        "Kiểm tra lại: nếu đúng thì không cần sửa (nên ghi đúng tên theo danh mục), nếu sai thì sửa tên nội dung",
    ),
    "topic_by_code": (
        "Tên nội dung \"{topic_label}\" không có trong danh mục; đã đọc theo mã {topic_code}: \"{topic_name}\"",
        "Kiểm tra lại: nếu đúng thì không cần sửa (nên giữ nguyên tên nội dung theo mẫu), nếu sai thì sửa mã hoặc tên",
    ),
    "level_known": (
        "Không xác định được cấp học của cột \"{level_label}\"",
        "Ghi cấp học ở tiêu đề cột: MN, TH, THCS, THPT, GDTX hoặc GDNN",
    ),
    "formula_has_value": (
        "Ô có công thức \"{value}\" nhưng tệp không lưu giá trị đã tính của công thức",
        "Mở tệp bằng Excel hoặc LibreOffice để công thức được tính, lưu lại rồi gửi; hoặc nhập số trực tiếp",
    ),
    "headcount_is_number": (
        "Số lượng \"{value}\" không phải là số",
        "Nhập số nguyên không âm (để trống nếu không có)",
    ),
    "headcount_not_negative": (
        "Số lượng {value} là số âm",
        "Nhập số người đăng ký: số nguyên từ 0 trở lên",
    ),
    "headcount_whole": (
        "Số lượng {value} không phải là số nguyên",
        "Nhập số người là số nguyên, ví dụ 12",
    ),
    "level_applies": (
        "Nội dung {topic} không áp dụng cho cấp học {level}",
        "Xóa số liệu ở ô này; nội dung {topic} chỉ dành cho cấp học: {topic_levels}",
    ),
    "column_skipped": (
        "Cột \"{level_label}\" không ghi cấp học và không có số liệu, đã bỏ qua",
        "Không cần sửa nếu đây là cột ghi chú; nếu là cột số lượng thì ghi cấp học (MN, TH, THCS...) ở tiêu đề cột",
    ),
    "row_skipped": (
        "Dòng {row_number} không có số liệu và tên \"{row_label}\" không có trong danh mục, đã bỏ qua",
        "Không cần sửa nếu đây là dòng tiêu đề nhóm; nếu là đơn vị hay nội dung thì sửa tên cho đúng",
    ),
}

from schemas.plan import (  # noqa: E402, F401  (the plan's models, re-exported)
    LEVEL_COLUMNS,
    PlanAppendix,
    PlanRow,
    PricedHeadcount,
    PrintedFigure,
    Reconciliation,
)
