"""Pandera models for rosters (lists of people): their reference data and the tables
made from them, and the Vietnamese wording of every check on a person.

Reference data (``inputs/reference/``, sources in its README):

- ``retirement_ages.csv``: retirement age per schedule, sex and year (Nghị định
  135/2020, Điều 4 khoản 1 and Phụ lục I; the ages before 2021);
- ``person_settings.csv``: which schedule serves which purpose, the day months are
  counted from under Nghị định 71/2020, the plausible ages;
- ``nd71_thresholds.csv``: per level and highest degree, the standard degree and the
  months of service left that put a teacher in scope (Nghị định 71/2020, Điều 2);
- ``programmes.csv``: each degree-upgrade programme, the degree it starts from, the
  degree it leads to and how many plan years it takes;
- ``person_codes.csv``, ``person_aliases.csv``: the roster's vocabulary (degrees and
  their order, titles, sexes, yes/no answers, teacher-training majors, column headers).
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

SCHEDULES_KEY = ("retirement_schedule", "nd71_schedule")
SETTING_KEYS = (*SCHEDULES_KEY, "nd71_count_from", "youngest_age", "oldest_age")
CODE_KINDS = ("degree", "title", "sex", "answer")
ALIAS_KINDS = (*CODE_KINDS, "teacher_training", "header")
HEADER_ROLES = (
    "stt", "name", "given_name", "birth_date", "male", "female", "sex", "school", "unit", "level",
    "title", "degree", "major", "certificate", "topic", "identifier", "note", "total", "footer",
)
BIRTH_PRECISIONS = ("day", "month", "year")


# ---------------------------------------------------------------- reference data


class RetirementAge(pa.DataFrameModel):
    """One row per schedule, sex and first year an age applies (retirement_ages.csv).

    An age applies from ``from_year`` until the next row of the same schedule and sex;
    the row without ``from_year`` applies to every year before the first one listed.
    Ages never fall from one year to the next.
    """

    schedule: Series[str] = pa.Field(str_matches=r"^[A-Z0-9_]+$")
    sex: Series[str] = pa.Field(str_length={"min_value": 1})
    from_year: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1900, le=2100)
    age_years: Series[int] = pa.Field(ge=40, le=80)
    age_months: Series[int] = pa.Field(ge=0, le=11)
    source: Series[str] = pa.Field(str_length={"min_value": 1})

    @pa.dataframe_check(name="one_open_row", ignore_na=False)
    def _one_open_row(cls, df: pd.DataFrame) -> Series[bool]:
        """Exactly one row without a year per schedule and sex, and no year twice."""
        keys = df["schedule"] + "|" + df["sex"] + "|" + df["from_year"].astype("string").fillna("")
        open_rows = df[df["from_year"].isna()].groupby(["schedule", "sex"]).size()
        every = df.set_index(["schedule", "sex"]).index
        has_open = every.isin(open_rows[open_rows == 1].index)
        return pd.Series(has_open, index=df.index) & ~keys.duplicated(keep=False)

    @pa.dataframe_check(name="ages_never_fall", ignore_na=False)
    def _ages_never_fall(cls, df: pd.DataFrame) -> Series[bool]:
        # A row with a year or an age that is no number is reported by that cell's own check
        # and left out here: its place in the order is unknown.
        year, years, extra = (pd.to_numeric(df[column], errors="coerce") for column in ("from_year", "age_years", "age_months"))
        readable = (year.notna() | df["from_year"].isna()) & years.notna() & extra.notna()
        order = df.assign(months=years * 12 + extra, year=year.fillna(0))[readable].sort_values(["schedule", "sex", "year"], kind="stable")
        previous = order.groupby(["schedule", "sex"])["months"].shift()
        return (previous.isna() | (order["months"] >= previous)).reindex(df.index, fill_value=True)

    class Config:
        strict = True
        coerce = True


class PersonSetting(pa.DataFrameModel):
    """One row per setting of the person checks (person_settings.csv)."""

    key: Series[str] = pa.Field(isin=list(SETTING_KEYS), unique=True)
    value: Series[str] = pa.Field(str_length={"min_value": 1})
    source: Series[str] = pa.Field(str_length={"min_value": 1})

    @pa.dataframe_check(name="every_setting", ignore_na=False)
    def _every_setting(cls, df: pd.DataFrame) -> bool:
        return set(df["key"]) == set(SETTING_KEYS)

    class Config:
        strict = True
        coerce = True


class UpgradeThreshold(pa.DataFrameModel):
    """One row per level and highest degree that Nghị định 71/2020 puts on a roadmap
    (nd71_thresholds.csv): the standard degree of the level, whether a pedagogy
    certificate with a degree in another field meets it, and the months of service
    that must be left from the count date to retirement."""

    level: Series[str] = pa.Field(str_matches=r"^[A-Z]+$")
    degree: Series[str] = pa.Field(str_length={"min_value": 1})
    standard_degree: Series[str] = pa.Field(str_length={"min_value": 1})
    certificate_counts: Series[bool]
    months_required: Series[int] = pa.Field(gt=0, le=600)
    source: Series[str] = pa.Field(str_length={"min_value": 1})

    @pa.dataframe_check(name="one_standard_per_level", ignore_na=False)
    def _one_standard_per_level(cls, df: pd.DataFrame) -> Series[bool]:
        return df.groupby("level")[["standard_degree", "certificate_counts"]].transform("nunique").max(axis=1) == 1

    class Config:
        strict = True
        coerce = True
        unique = ["level", "degree"]


class Programme(pa.DataFrameModel):
    """One row per degree-upgrade programme (programmes.csv): the topic code, the degree
    it starts from and leads to, and how many plan years it takes."""

    topic: Series[str] = pa.Field(unique=True, str_matches=r"^[A-Z0-9_]+$")
    from_degree: Series[str] = pa.Field(str_length={"min_value": 1})
    to_degree: Series[str] = pa.Field(str_length={"min_value": 1})
    years: Series[int] = pa.Field(ge=1, le=10)
    source: Series[str] = pa.Field(str_length={"min_value": 1})

    class Config:
        strict = True
        coerce = True


class PersonCode(pa.DataFrameModel):
    """One row per code of the roster's vocabulary (person_codes.csv); ``rank`` orders degrees."""

    kind: Series[str] = pa.Field(isin=list(CODE_KINDS))
    code: Series[str] = pa.Field(str_length={"min_value": 1})
    name: Series[str] = pa.Field(str_length={"min_value": 1})
    rank: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1)

    @pa.dataframe_check(name="degrees_ranked", ignore_na=False)
    def _degrees_ranked(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["kind"] != "degree") | df["rank"].notna()

    @pa.dataframe_check(name="both_answers", ignore_na=False)
    def _both_answers(cls, df: pd.DataFrame) -> bool:
        return set(df.loc[df["kind"] == "answer", "code"]) == {"có", "không"}

    class Config:
        strict = True
        coerce = True
        unique = ["kind", "code"]


class PersonAlias(pa.DataFrameModel):
    """One row per other spelling in a roster (person_aliases.csv): of a code of
    ``person_codes.csv``, of a teacher-training major, or of a column header (``code``
    is then the column's role)."""

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


# ---------------------------------------------------------------- tables


class RosterPerson(pa.DataFrameModel):
    """Roster reading: one row per person row of a roster sheet.

    Labels as typed (``*_label``) beside the codes they resolve to (empty when they
    do not); ``*_cell`` are the cells they were read from. ``source_row`` is the
    row number the spreadsheet shows (a CSV's line number). ``birth_date`` is the day
    the law counts from: 01/01 of the year when only the year was typed, the 1st of
    the month when only month and year (``birth_precision``). ``topics`` are the
    resolved topic codes, space-separated; ``unknown_topics`` the labels that named
    none, " | "-separated.
    """

    source_file: Series[str]
    source_sheet: Series[str]
    source_row: Series[int] = pa.Field(ge=1)
    name_cell: Series[str]
    year: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    unit_label: Series[str] = pa.Field(nullable=True)
    unit: Series[str] = pa.Field(nullable=True)
    name: Series[str] = pa.Field(str_length={"min_value": 1})
    identifier: Series[str] = pa.Field(nullable=True)
    birth_date: Series[pd.Timestamp] = pa.Field(nullable=True)
    birth_precision: Series[str] = pa.Field(nullable=True, isin=list(BIRTH_PRECISIONS))
    birth_label: Series[str] = pa.Field(nullable=True)
    birth_cell: Series[str] = pa.Field(nullable=True)
    sex: Series[str] = pa.Field(nullable=True)
    sex_label: Series[str] = pa.Field(nullable=True)
    sex_cell: Series[str] = pa.Field(nullable=True)
    school: Series[str] = pa.Field(nullable=True)
    level: Series[str] = pa.Field(nullable=True)
    level_label: Series[str] = pa.Field(nullable=True)
    level_cell: Series[str] = pa.Field(nullable=True)
    title: Series[str] = pa.Field(nullable=True)
    title_label: Series[str] = pa.Field(nullable=True)
    title_cell: Series[str] = pa.Field(nullable=True)
    degree: Series[str] = pa.Field(nullable=True)
    degree_label: Series[str] = pa.Field(nullable=True)
    degree_cell: Series[str] = pa.Field(nullable=True)
    major: Series[str] = pa.Field(nullable=True)
    is_teacher_training: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    has_certificate: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    certificate_label: Series[str] = pa.Field(nullable=True)
    topics: Series[str]
    topic_labels: Series[str] = pa.Field(nullable=True)
    unknown_topics: Series[str] = pa.Field(nullable=True)
    topic_cell: Series[str] = pa.Field(nullable=True)

    class Config:
        strict = True
        coerce = True


class PersonCheck(RosterPerson):
    """Person checks: every column of ``RosterPerson``, one row per person, and what the law says.

    ``retirement_date``: the last day of the month the retirement age is reached
    (the retirement schedule); ``months_left_2020_07``: whole calendar months from
    07/2020 up to and including the retirement month under the Nghị định 71 schedule;
    ``months_left_year_start``: the same from January of the roster's year.
    ``below_standard``: the degree (or its field) is below the standard of the level;
    ``in_scope``: below the standard with enough months left, so must upgrade under
    Nghị định 71, whatever was registered; ``scope_reason`` says why or why not.
    ``programme``: the degree-upgrade programme registered, else, for a person in
    scope, the one that fits (``is_registered`` tells which); ``programme_last_year``
    and ``can_finish`` (still working when that year ends) refer to it. ``accepted``:
    no error on this person; ``problems``/``warnings``: the reasons, "; "-separated.
    ``person_id``: the same number for the rows of one person (found twice), else unique.
    """

    person_id: Series[int] = pa.Field(ge=1)
    retirement_date: Series[pd.Timestamp] = pa.Field(nullable=True)
    months_left_2020_07: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    months_left_year_start: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    below_standard: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    months_required: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    in_scope: Series[bool]
    scope_reason: Series[str]
    programme: Series[str] = pa.Field(nullable=True)
    is_registered: Series[bool]
    programme_last_year: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    can_finish: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    accepted: Series[bool]
    problems: Series[str]
    warnings: Series[str]

    class Config:
        strict = True
        coerce = True


class PersonRegistration(pa.DataFrameModel):
    """A roster counted: one row per year, unit, topic and level, with the headcount of
    accepted people and where they were read. ``source_file``/``source_sheet``/
    ``source_cell`` name the first person counted (their name's cell);
    ``source_rows`` every one: "file › sheet: rows 7–9, 12", "; " between sheets."""

    year: Series[int] = pa.Field(ge=2000, le=2100)
    unit: Series[str] = pa.Field(ne="")
    topic: Series[str] = pa.Field(ne="")
    level: Series[str] = pa.Field(ne="")
    headcount: Series[int] = pa.Field(gt=0)
    source_file: Series[str]
    source_sheet: Series[str]
    source_cell: Series[str] = pa.Field(str_matches=r"^[A-Z]+[0-9]+$")
    source_rows: Series[str]

    class Config:
        strict = True
        coerce = True
        unique = ["year", "unit", "topic", "level"]


PERSON_CSV_COLUMNS = (
    "year", "unit", "source_file", "source_sheet", "source_row", "name", "identifier",
    "birth_date", "sex", "level", "school", "title", "degree", "major", "has_certificate",
    "topic", "retirement_date", "months_left_2020_07", "months_left_year_start",
    "below_standard", "in_scope", "programme_last_year", "accepted", "reason",
)


class PersonTopic(pa.DataFrameModel):
    """``ca_nhan/persons.csv``: one row per person and topic registered (a person with
    none: one row, topic empty). Dates are ISO text; the identifier is masked but for
    its last four characters. ``reason``: why the person is or is not in scope, then
    why held back, if so."""

    year: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    unit: Series[str] = pa.Field(nullable=True)
    source_file: Series[str]
    source_sheet: Series[str]
    source_row: Series[int] = pa.Field(ge=1)
    name: Series[str]
    identifier: Series[str] = pa.Field(nullable=True)
    birth_date: Series[str] = pa.Field(nullable=True, str_matches=r"^\d{4}-\d{2}-\d{2}$")
    sex: Series[str] = pa.Field(nullable=True)
    level: Series[str] = pa.Field(nullable=True)
    school: Series[str] = pa.Field(nullable=True)
    title: Series[str] = pa.Field(nullable=True)
    degree: Series[str] = pa.Field(nullable=True)
    major: Series[str] = pa.Field(nullable=True)
    has_certificate: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    topic: Series[str] = pa.Field(nullable=True)
    retirement_date: Series[str] = pa.Field(nullable=True, str_matches=r"^\d{4}-\d{2}-\d{2}$")
    months_left_2020_07: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    months_left_year_start: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    below_standard: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    in_scope: Series[bool]
    programme_last_year: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    accepted: Series[bool]
    reason: Series[str]

    @pa.check("identifier", name="identifier_masked", ignore_na=False)
    def _identifier_masked(cls, column: Series[str]) -> Series[bool]:
        return column.isna() | column.str.fullmatch(r"\*+.{0,4}")

    class Config:
        strict = True
        coerce = True


# Problem, fix and severity of each check on a person; fields in braces come from the
# person's row ("who" is "<name> (dòng <row>)"; a label is shown quoted, or "để trống").
# Errors hold back that person only.
PERSON_RULES: dict[str, tuple[str, str, str]] = {
    "birth_missing": (
        "{who}: không có ngày sinh",
        "Ghi ngày sinh dạng ngày/tháng/năm, ví dụ 05/03/1970 (chỉ biết năm sinh thì ghi năm, ví dụ 1970)",
        "lỗi",
    ),
    "birth_unreadable": (
        "{who}: ngày sinh không đọc được",
        "Ghi ngày sinh dạng ngày/tháng/năm với năm đủ 4 chữ số, ví dụ 05/03/1970 (chỉ biết năm sinh thì ghi năm, ví dụ 1970)",
        "lỗi",
    ),
    "birth_implausible": (
        "{who}: ngày sinh không hợp lý, vào đầu năm {year} người này {age} tuổi",
        "Kiểm tra lại ngày sinh: tuổi vào đầu năm đăng ký phải từ {youngest} đến {oldest}",
        "lỗi",
    ),
    "sex_unknown": (
        "{who}: không xác định được giới tính ({sex_label})",
        "Ghi giới tính Nam hoặc Nữ (mẫu có cột Nam, Nữ: ghi ngày sinh vào đúng một trong hai cột)",
        "lỗi",
    ),
    "level_unknown": (
        "{who}: không xác định được cấp học ({level_label})",
        "Ghi một cấp học: Mầm non, Tiểu học, THCS, THPT, GDTX hoặc GDNN",
        "lỗi",
    ),
    "degree_unknown": (
        "{who}: không xác định được trình độ đào tạo ({degree_label})",
        "Ghi trình độ đào tạo cao nhất: {degrees}",
        "lỗi",
    ),
    "title_unknown": (
        "{who}: không xác định được chức vụ ({title_label})",
        "Ghi chức vụ: Giáo viên, hoặc chức vụ quản lý (Hiệu trưởng, Phó hiệu trưởng...)",
        "lỗi",
    ),
    "topic_missing": (
        "{who}: không đăng ký nội dung nào",
        "Ghi mã hoặc tên nội dung đăng ký theo danh mục, hoặc xóa người này khỏi danh sách",
        "lỗi",
    ),
    "topic_unknown": (
        "{who}: nội dung đăng ký {unknown_topics} không có trong danh mục",
        "Ghi mã hoặc tên nội dung theo danh mục của năm (xem mẫu danh sách của Sở)",
        "lỗi",
    ),
    "topic_level": (
        "{who}: nội dung {topic} không áp dụng cho cấp học {level}",
        "Xóa nội dung này hoặc sửa cấp học; nội dung {topic} chỉ dành cho cấp học: {topic_levels}",
        "lỗi",
    ),
    "already_retired": (
        "{who}: đã nghỉ hưu từ {retirement} (kết thúc tháng đủ tuổi nghỉ hưu), trước năm {year}",
        "Xóa người này khỏi danh sách, hoặc sửa ngày sinh nếu ghi nhầm",
        "lỗi",
    ),
    "duplicate": (
        "{who}: cùng một người có tên {count} lần trong danh sách: {places}",
        "Mỗi người chỉ ghi một lần, ở đúng đơn vị đang công tác; các nội dung đăng ký ghi cùng một dòng",
        "lỗi",
    ),
    "duplicate_rows": (
        "{who}: cùng một người được ghi {count} dòng trong danh sách: {places}; đã tính mỗi nội dung một lần",
        "Không cần sửa; nên ghi mỗi người một dòng, các nội dung đăng ký ghi cùng dòng",
        "cảnh báo",
    ),
    "programmes_several": (
        "{who}: đăng ký nhiều chương trình đào tạo nâng chuẩn cùng lúc ({topics})",
        "Chỉ đăng ký một chương trình, phù hợp với trình độ hiện có",
        "lỗi",
    ),
    "programme_wrong_degree": (
        "{who}: trình độ {degree} nhưng đăng ký chương trình {programme} dành cho người có trình độ {from_degree}",
        "Đăng ký chương trình bắt đầu từ trình độ {degree}{fitting}",
        "lỗi",
    ),
    "programme_meets_standard": (
        "{who}: đã đạt chuẩn trình độ đào tạo của cấp học {level} ({degree}) nhưng đăng ký chương trình {programme}",
        "Xóa đăng ký chương trình đào tạo nâng chuẩn của người này",
        "lỗi",
    ),
    "programme_not_in_scope": (
        "{who}: đăng ký chương trình {programme} nhưng không thuộc diện nâng chuẩn theo Nghị định 71/2020/NĐ-CP: {scope_reason}",
        "Xóa đăng ký chương trình đào tạo nâng chuẩn của người này, hoặc sửa thông tin nếu ghi nhầm",
        "lỗi",
    ),
    "programme_after_retirement": (
        "{who}: nghỉ hưu {retirement}, trước khi chương trình {programme} kết thúc (hết năm {last_year})",
        "Không cử người này đi học chương trình {programme}; ưu tiên người còn đủ thời gian công tác",
        "lỗi",
    ),
}
