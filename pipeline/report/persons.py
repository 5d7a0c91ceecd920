"""Report of rosters: the department's list of people who must upgrade their degree, and
``ca_nhan/persons.csv``. Personal data (names, birth dates, identifiers) is written here
and nowhere else: both files go under ``outputs/<period>/ca_nhan/``.

The list workbook ``danh_sach_nang_chuan_<year>.xlsx``:

- "Danh sách ưu tiên": per level and programme, the people in scope (Nghị định
  71/2020/NĐ-CP) in priority order, the order rule written above the table;
- "Không thuộc diện": people registered for a degree upgrade but not in scope, with why;
- "Tổng hợp": per level, people below the standard, in scope, registered, and the
  plan's line for the year;
- one sheet per unit with its own people and what was found about each.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from xlsxwriter.utility import xl_rowcol_to_cell

from pipeline.persons import PersonRules
from pipeline.report import FONT, fit_row, open_workbook, print_setup, write_csv, write_headings

# Formatting is data: this workbook's own styles, on top of report.STYLES.
PERSON_STYLES = {
    "date": {"num_format": "dd/mm/yyyy", "align": "center", "valign": "vcenter", "border": 1},
    "rule": {"italic": True, "valign": "top", "text_wrap": True},
    "empty_note": {"italic": True, "valign": "vcenter", "border": 1},
    "wrap": {"valign": "vcenter", "text_wrap": True, "border": 1},
}
ORDER_RULE = (
    "Thứ tự ưu tiên trong từng cấp học và chương trình: người thuộc diện phải nâng trình độ chuẩn "
    "(Nghị định 71/2020/NĐ-CP, Điều 2) và còn kịp hoàn thành chương trình trước khi nghỉ hưu xếp trước; "
    "trong cùng nhóm, người có ngày nghỉ hưu sớm hơn xếp trước (thời gian còn lại để đào tạo hết sớm hơn). "
    "Ngày nghỉ hưu là ngày cuối cùng của tháng đủ tuổi nghỉ hưu theo lộ trình của Nghị định 135/2020/NĐ-CP "
    "(chỉ có năm sinh thì tính từ ngày 01/01). Số tháng còn lại tính theo tháng dương lịch, kể cả tháng nghỉ hưu. "
    "Chương trình kết thúc vào cuối năm ghi ở cột \"Năm kết thúc chương trình\"."
)
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def write_person_list(path: Path, year: int, ordered: pd.DataFrame, checks: pd.DataFrame, summary: pd.DataFrame, rules: PersonRules) -> None:
    """Write ``ca_nhan/danh_sach_nang_chuan_<year>.xlsx``.

    Args:
        ordered: ``pipeline.persons.order_by_priority`` of the year's people.
        checks: ``pipeline.persons.check_persons`` of the year's people (``PersonCheck``).
        summary: ``pipeline.persons.level_summary`` of the year.
    """
    with open_workbook(path) as (workbook, styles):
        styles = styles | {name: workbook.add_format(FONT | style) for name, style in PERSON_STYLES.items()}
        _write_priority(workbook.add_worksheet("Danh sách ưu tiên"), year, ordered, rules, styles)
        _write_not_in_scope(workbook.add_worksheet("Không thuộc diện"), year, checks, rules, styles)
        _write_summary(workbook.add_worksheet("Tổng hợp"), year, summary, rules, styles)
        names: set[str] = {"Danh sách ưu tiên", "Không thuộc diện", "Tổng hợp"}
        units = checks.assign(shown=checks["unit"].fillna(checks["unit_label"]).fillna("(chưa rõ đơn vị)"))
        for unit, people in units.groupby("shown", sort=True):
            sheet = workbook.add_worksheet(_sheet_name(str(unit), names))
            _write_unit(sheet, year, str(unit), people, rules, styles)


def write_persons_csv(path: Path, rows: pd.DataFrame) -> None:
    """Write ``ca_nhan/persons.csv`` from ``pipeline.persons.person_topics``."""
    write_csv(path, rows)


# ---------------------------------------------------------------- sheets

_PRIORITY_HEADERS = [
    ("TT", 5), ("Họ và tên", 22), ("Ngày sinh", 11), ("Giới tính", 7), ("Đơn vị", 16), ("Trường", 22),
    ("Trình độ", 10), ("Ngày nghỉ hưu", 11), ("Số tháng còn lại từ 01/07/2020", 11),
    ("Số tháng còn lại từ 01/01/{year}", 11), ("Năm kết thúc chương trình", 10), ("Đã đăng ký", 9), ("Ghi chú", 28),
]


def _write_priority(sheet, year: int, ordered: pd.DataFrame, rules: PersonRules, styles) -> None:
    headers = [text.format(year=year) for text, _ in _PRIORITY_HEADERS]
    widths = [width for _, width in _PRIORITY_HEADERS]
    last = len(headers) - 1
    write_headings(sheet, [f"DANH SÁCH CÁN BỘ QUẢN LÝ, GIÁO VIÊN THUỘC DIỆN ĐÀO TẠO NÂNG TRÌNH ĐỘ CHUẨN NĂM {year}"], "(theo Nghị định 71/2020/NĐ-CP; xếp theo thứ tự ưu tiên)", last, styles)
    sheet.merge_range(2, 0, 2, last, ORDER_RULE, styles["rule"])
    sheet.set_row(2, 64)
    header_row = 4
    sheet.write_row(header_row, 0, headers, styles["header"])
    sheet.set_row(header_row, 64)
    row = header_row + 1
    if ordered.empty:
        sheet.merge_range(row, 0, row, last, "Các danh sách không có người thuộc diện phải nâng trình độ chuẩn.", styles["empty_note"])
    for (level, programme), people in ordered.groupby(["level", "list_programme"], sort=False, dropna=False):
        sheet.merge_range(row, 0, row, last, f"{_level_name(level, rules)} — {_programme_name(programme, rules)} ({len(people)} người)", styles["group"])
        row += 1
        for record in people.to_dict("records"):
            values = [
                int(record["priority"]), record["name"], _birth(record), _text(record["sex"]), _unit(record), _text(record["school"]),
                _degree(record, rules), record["retirement_date"], _int(record["months_left_2020_07"]), _int(record["months_left_year_start"]),
                _int(record["programme_last_year"]), "Có" if record["is_registered"] else "Chưa", _strip_who(record["note"] or "", record),
            ]
            _write_values(sheet, row, values, widths, styles, centred=(2, 3))
            row += 1
    _finish(sheet, widths, header_row)


_NOT_IN_SCOPE_HEADERS = [
    ("TT", 5), ("Họ và tên", 22), ("Ngày sinh", 11), ("Đơn vị", 16), ("Trường", 22), ("Cấp học", 14), ("Trình độ", 10),
    ("Chương trình đăng ký", 12), ("Số tháng còn lại từ 01/07/2020", 11), ("Lý do không thuộc diện", 60),
]


def _write_not_in_scope(sheet, year: int, checks: pd.DataFrame, rules: PersonRules, styles) -> None:
    people = checks[checks["is_registered"] & ~checks["in_scope"]].drop_duplicates("person_id")
    people = people.sort_values(["level", "programme", "unit", "source_file", "source_sheet", "source_row"], kind="stable", na_position="last")
    headers = [text for text, _ in _NOT_IN_SCOPE_HEADERS]
    widths = [width for _, width in _NOT_IN_SCOPE_HEADERS]
    last = len(headers) - 1
    write_headings(sheet, [f"NGƯỜI ĐĂNG KÝ ĐÀO TẠO NÂNG TRÌNH ĐỘ CHUẨN NĂM {year} NHƯNG KHÔNG THUỘC DIỆN"], "(không thuộc diện phải nâng chuẩn theo Nghị định 71/2020/NĐ-CP; lý do ghi ở cột cuối)", last, styles)
    header_row = 3
    sheet.write_row(header_row, 0, headers, styles["header"])
    sheet.set_row(header_row, 48)
    row = header_row + 1
    if people.empty:
        sheet.merge_range(row, 0, row, last, "Không có người đăng ký đào tạo nâng chuẩn mà không thuộc diện.", styles["empty_note"])
    for number, record in enumerate(people.to_dict("records"), start=1):
        values = [
            number, record["name"], _birth(record), _unit(record), _text(record["school"]), _level_name(record["level"], rules),
            _degree(record, rules), _text(record["programme"]), _int(record["months_left_2020_07"]), _reason(record),
        ]
        _write_values(sheet, row, values, widths, styles, centred=(2,))
        row += 1
    _finish(sheet, widths, header_row)


_SUMMARY_HEADERS = [
    ("Cấp học", 18), ("Dưới chuẩn trình độ (người)", 14), ("Thuộc diện phải nâng chuẩn (người)", 16),
    ("Đăng ký đào tạo nâng chuẩn (người)", 16), ("Trong đó: được tính (người)", 14),
    ("Kế hoạch năm {year} (người)", 14), ("Dòng kế hoạch", 26),
]


def _write_summary(sheet, year: int, summary: pd.DataFrame, rules: PersonRules, styles) -> None:
    headers = [text.format(year=year) for text, _ in _SUMMARY_HEADERS]
    widths = [width for _, width in _SUMMARY_HEADERS]
    last = len(headers) - 1
    write_headings(sheet, [f"TỔNG HỢP ĐÀO TẠO NÂNG TRÌNH ĐỘ CHUẨN NĂM {year} THEO CẤP HỌC"], "(mỗi người tính một lần; kế hoạch: các dòng đào tạo nâng chuẩn của kế hoạch năm)", last, styles)
    header_row = 3
    sheet.write_row(header_row, 0, headers, styles["header"])
    sheet.set_row(header_row, 64)
    first = header_row + 1
    for offset, record in enumerate(summary.to_dict("records")):
        row = first + offset
        sheet.write_string(row, 0, _level_name(record["level"], rules), styles["text"])
        for column, key in enumerate(["below_standard", "in_scope", "registered", "registered_accepted", "planned"], start=1):
            sheet.write_number(row, column, int(record[key]), styles["count"])
        sheet.write_string(row, last, record["plan_lines"], styles["text"])
    total = first + len(summary)
    sheet.write_string(total, 0, "Cộng", styles["total_label"])
    for column, key in enumerate(["below_standard", "in_scope", "registered", "registered_accepted", "planned"], start=1):
        top, bottom = xl_rowcol_to_cell(first, column), xl_rowcol_to_cell(max(total - 1, first), column)
        sheet.write_formula(total, column, f"=SUM({top}:{bottom})", styles["total_count"], int(summary[key].sum()) if len(summary) else 0)
    sheet.write_blank(total, last, None, styles["total_label"])
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width)
    print_setup(sheet, header_row)


_UNIT_HEADERS = [
    ("TT", 5), ("Họ và tên", 22), ("Ngày sinh", 11), ("Giới tính", 7), ("Trường", 22), ("Cấp học", 14), ("Chức vụ", 9),
    ("Trình độ", 10), ("Nội dung đăng ký", 16), ("Ngày nghỉ hưu", 11), ("Thuộc diện nâng chuẩn", 10), ("Kết quả kiểm tra", 48),
]


def _write_unit(sheet, year: int, unit: str, people: pd.DataFrame, rules: PersonRules, styles) -> None:
    people = people.sort_values(["source_file", "source_sheet", "source_row"], kind="stable")
    headers = [text for text, _ in _UNIT_HEADERS]
    widths = [width for _, width in _UNIT_HEADERS]
    last = len(headers) - 1
    write_headings(sheet, [f"DANH SÁCH ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM {year}: {unit.upper()}"], f"({len(people)} người trong danh sách của đơn vị; đối chiếu quy định về tuổi nghỉ hưu và chuẩn trình độ)", last, styles)
    header_row = 3
    sheet.write_row(header_row, 0, headers, styles["header"])
    sheet.set_row(header_row, 36)
    for offset, record in enumerate(people.to_dict("records")):
        row = header_row + 1 + offset
        result = "Được tính" if record["accepted"] else f"Không được tính: {_strip_who(record['problems'], record)}"
        if record["warnings"]:
            result += f" (lưu ý: {_strip_who(record['warnings'], record)})"
        values = [
            offset + 1, record["name"], _birth(record), _text(record["sex"]), _text(record["school"]), _level_name(record["level"], rules),
            _text(record["title"]), _degree(record, rules), ", ".join(record["topics"].split()), record["retirement_date"],
            "Có" if record["in_scope"] else "Không", result,
        ]
        _write_values(sheet, row, values, widths, styles, centred=(2, 3, 10))
    _finish(sheet, widths, header_row)


# ---------------------------------------------------------------- helpers


def _write_values(sheet, row: int, values: Sequence[object], widths: Sequence[int], styles, centred: Sequence[int] = ()) -> None:
    """One row of a list: dates as dates, whole numbers as numbers, text wrapped (centred
    in the ``centred`` columns), the row sized for its longest text."""
    for column, value in enumerate(values):
        if value is None or value is pd.NaT or (isinstance(value, float) and value != value) or value is pd.NA:
            sheet.write_blank(row, column, None, styles["centre"])
        elif isinstance(value, (pd.Timestamp, dt.date)):
            sheet.write_datetime(row, column, pd.Timestamp(value).to_pydatetime(), styles["date"])
        elif isinstance(value, int):
            sheet.write_number(row, column, value, styles["centre"])
        else:
            sheet.write_string(row, column, str(value), styles["centre" if column in centred else "wrap"])
    fit_row(sheet, row, values, widths)


def _finish(sheet, widths: list[int], header_row: int) -> None:
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width)
    sheet.freeze_panes(header_row + 1, 0)
    print_setup(sheet, header_row)


def _birth(record: dict) -> object:
    """The birth date as known: a date, "03/1970" for a month, "1970" for a year alone."""
    birth = record["birth_date"]
    if birth is None or birth is pd.NaT or pd.isna(birth):
        return record["birth_label"] if isinstance(record["birth_label"], str) else None
    precision = record["birth_precision"]
    if precision == "year":
        return str(birth.year)
    if precision == "month":
        return f"{birth.month:02d}/{birth.year}"
    return birth


def _int(value: object) -> int | None:
    return None if value is None or value is pd.NA or pd.isna(value) else int(value)


def _text(value: object) -> str:
    return "" if value is None or value is pd.NA or (isinstance(value, float) and value != value) else str(value)


def _unit(record: dict) -> str:
    return _text(record["unit"]) or _text(record["unit_label"])


def _degree(record: dict, rules: PersonRules) -> str:
    degree = record["degree"]
    return rules.degree_names.get(degree, degree) if isinstance(degree, str) else _text(record["degree_label"])


def _level_name(level: object, rules: PersonRules) -> str:
    return rules.level_names.get(level, level) if isinstance(level, str) else "(chưa rõ cấp học)"


def _programme_name(programme: object, rules: PersonRules) -> str:
    if not isinstance(programme, str):
        return "Chưa có chương trình phù hợp trong danh mục"
    return f"{rules.topic_names.get(programme, programme)} ({programme})"


def _reason(record: dict) -> str:
    reason = record["scope_reason"]
    return reason[:1].upper() + reason[1:]


def _strip_who(text: str, record: dict) -> str:
    """Problems as the unit sheet shows them: the person is on the row already."""
    return text.replace(f"Người ở dòng {record['source_row']}: ", "")


def _sheet_name(name: str, taken: set[str]) -> str:
    """A sheet name Excel accepts (31 characters, none of []:*?/\\), unique in the workbook."""
    base = _SHEET_NAME_FORBIDDEN.sub("-", name).strip("'")[:31] or "Đơn vị"
    candidate, number = base, 2
    while candidate.casefold() in {taken_name.casefold() for taken_name in taken}:
        suffix = f" ({number})"
        candidate = base[: 31 - len(suffix)] + suffix
        number += 1
    taken.add(candidate)
    return candidate
