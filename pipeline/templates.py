"""Templates: the fill-in workbooks sent to the units, one per unit and year.

Grain of the form's table (``template_lines``): one row per line of the form — a
topic, or a group heading over sub-items — in the plan's order for a plan year,
else every topic of the catalogue. The workbook is laid out the way ingest reads
one unit's file: a title block naming the year ("NĂM 2026") and the unit
("Đơn vị: Phường Lê Chân"), a header "TT | Mã | Nội dung đào tạo, bồi dưỡng"
with "Số lượng đăng ký" merged over the six level columns, a row per topic and a
live "Tổng số" row. Only the white cells take input, each restricted to whole
numbers from 0; a level a topic does not apply to is grey and locked; the sheets
are protected without a password, against slips rather than people.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz, process
from xlsxwriter.utility import xl_rowcol_to_cell

from pipeline import report
from pipeline.aggregate import TASKS, plan_labels
from pipeline.reference import Reference, units_of_year
from pipeline.text import fold_key, strip_prefixes, text_key

SHEET_NAME = "Đăng ký"
INSTRUCTIONS_SHEET = "Hướng dẫn"
DEFAULT_SEND_TO = "Sở Giáo dục và Đào tạo Hải Phòng, theo địa chỉ thư điện tử và thời hạn ghi trong công văn đề nghị đăng ký"

# Formatting is data: the form's own styles, on top of report.STYLES.
TEMPLATE_STYLES = {
    "unit_line": {"bold": True, "align": "center", "valign": "vcenter"},
    "hint": {"italic": True, "align": "center", "valign": "vcenter", "text_wrap": True},
    "code": {"align": "center", "valign": "vcenter", "border": 1},
    "sub_number": {"align": "center", "valign": "vcenter", "border": 1},
    "sub_text": {"valign": "vcenter", "text_wrap": True, "border": 1, "indent": 1},
    "input": {"num_format": report.COUNT_FORMAT, "align": "center", "valign": "vcenter", "border": 1, "locked": False},
    "closed": {"align": "center", "valign": "vcenter", "border": 1, "bg_color": "#BFBFBF", "pattern": 1},
    "note_input": {"valign": "vcenter", "text_wrap": True, "border": 1, "locked": False},
    "signature": {"bold": True, "align": "center"},
    "signature_hint": {"italic": True, "align": "center"},
    "date_line": {"italic": True, "align": "center"},
    "step": {"valign": "top", "text_wrap": True, "border": 1},
    "step_number": {"align": "center", "valign": "top", "border": 1},
}
# Data validation of every input cell; Excel caps titles at 32 characters, messages at 255.
INPUT_RULE = {
    "validate": "integer",
    "criteria": ">=",
    "value": 0,
    "ignore_blank": True,
    "input_title": "Số người đăng ký",
    "input_message": "Nhập số người đăng ký: số nguyên từ 0 trở lên. Để trống nếu đơn vị không đăng ký.",
    "error_type": "stop",
    "error_title": "Số lượng không hợp lệ",
    "error_message": "Chỉ nhập số nguyên từ 0 trở lên, ví dụ 12. Không nhập chữ, số âm hay số thập phân. Để trống nếu không đăng ký.",
}
# Protection without a password: formatting rows and columns stays allowed, editing locked cells does not.
PROTECTION = {"format_columns": True, "format_rows": True, "select_locked_cells": True, "select_unlocked_cells": True}

_FIRST_LEVEL_COLUMN = 3  # TT, Mã, Nội dung, then the levels (levels.csv), then Ghi chú
_HEADER_ROW = 4
_FIRST_LINE_ROW = _HEADER_ROW + 2


class TemplateError(Exception):
    """The templates cannot be made as asked (no unit of that name, no unit that year)."""


def template_lines(reference: Reference, year: int) -> pd.DataFrame:
    """The lines of the year's form, one row per line, in order.

    A plan year (``plan.csv``) lists its plan's lines, named as that year's tasks
    appendix names them (``aggregate.plan_labels``): a group line over sub-items
    (BD19 over NVSP and KNTHN) is a heading that takes no number. Any other year
    lists every topic of ``topics.csv`` by its official name. Columns: ``number``
    ("1", "8.1"), ``code``, ``name``, ``is_group``, ``is_sub_item``, and one boolean
    per level: whether the line takes a number there.
    """
    topics = reference.topics.set_index("code")
    plan = reference.plan[reference.plan["year"] == year].sort_values("position")
    if plan.empty:
        codes, parents, names = list(topics.index), [None] * len(topics), list(topics["name"])
    else:
        codes, parents = list(plan["topic"]), [None if pd.isna(p) else p for p in plan["parent"]]
        names = list(plan_labels(plan, reference.topics, TASKS))
    groups = {parent for parent in parents if parent is not None}
    rows, top, sub = [], 0, 0
    for code, parent, name in zip(codes, parents, names):
        if parent is None:
            top, sub = top + 1, 0
            number = str(top)
        else:
            sub += 1
            number = f"{top}.{sub}"
        is_group = code in groups
        applies = set(topics.at[code, "levels"].split()) if not is_group else set()
        rows.append(
            {"number": number, "code": code, "name": name, "is_group": is_group, "is_sub_item": parent is not None}
            | {level: level in applies for level in reference.plan_levels}
        )
    return pd.DataFrame(rows, columns=["number", "code", "name", "is_group", "is_sub_item", *reference.plan_levels])


def template_units(reference: Reference, year: int, unit: str | None = None, prefix: str = "mau_dang_ky") -> pd.DataFrame:
    """The units that get a form: the year's list, or the one unit named.

    Columns: ``name`` (as in ``units.csv``), ``title`` (as written on the form:
    "Phường Lê Chân", "Các trường THPT"), ``file_name`` (ASCII, one per unit:
    "mau_dang_ky_2026_phuong_le_chan.xlsx"; ``prefix`` is its first part).

    Raises:
        TemplateError: no unit is valid in ``year``, or none is called ``unit``.
    """
    units = unit_list(reference, year)
    if units.empty:
        raise TemplateError(f"Không có đơn vị nào trong danh sách đơn vị năm {year} (inputs/reference/units.csv)")
    table = units[["name", "title"]].assign(file_name=[f"{prefix}_{year}_{slug}.xlsx" for slug in units["slug"]])
    if unit is None:
        return table
    return table[table["name"] == _find_unit(unit, list(table["name"]), _prefixes(reference), year)].reset_index(drop=True)


def unit_list(reference: Reference, year: int) -> pd.DataFrame:
    """The year's units in the list's order (``units.csv`` rows valid that year), with
    ``title``, the name as written to the unit ("Phường Lê Chân"), and ``slug``, the
    ASCII stem of the unit's own files ("phuong_le_chan"; names equal without marks
    get "_2", "_3"...). Empty when no unit is valid that year."""
    units = units_of_year(reference.units, year).reset_index(drop=True)
    prefixes = _prefixes(reference)
    titles = [_unit_title(name, kind, prefixes) for name, kind in zip(units["name"], units["type"])]
    return units.assign(title=titles, slug=_slugs(titles))


def _prefixes(reference: Reference) -> list[str]:
    return [text_key(alias) for alias in reference.aliases.loc[reference.aliases["kind"] == "unit_prefix", "alias"]]


def write_templates(folder: Path, reference: Reference, year: int, unit: str | None = None, send_to: str = DEFAULT_SEND_TO) -> list[Path]:
    """Write one fill-in workbook per unit of ``year`` (or only ``unit``) into ``folder``.

    Returns:
        the paths written, in the order of the units list.

    Raises:
        TemplateError: see ``template_units``.
    """
    units = template_units(reference, year, unit)
    lines = template_lines(reference, year)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for record in units.itertuples(index=False):
        path = folder / record.file_name
        _write_template(path, record.title, year, lines, reference.level_headers, send_to)
        paths.append(path)
    return paths


# ---------------------------------------------------------------- units and file names


def _unit_title(name: str, kind: str, prefixes: Sequence[str]) -> str:
    """"Phường Lê Chân": the name after its kind when the kind is a prefix people write."""
    if text_key(kind) not in prefixes or text_key(name).startswith(text_key(kind) + " "):
        return name
    return f"{kind[:1].upper()}{kind[1:]} {name}"


def _slugs(titles: list[str]) -> list[str]:
    """ASCII file-name stems; names equal without marks ("Cẩm Giang", "Cẩm Giàng") get "_2", "_3"..."""
    names, seen = [], {}
    for title in titles:
        slug = fold_key(text_key(title)).encode("ascii", "ignore").decode().replace(" ", "_")
        seen[slug] = seen.get(slug, 0) + 1
        names.append(f"{slug}{'' if seen[slug] == 1 else '_' + str(seen[slug])}")
    return names


def _find_unit(typed: str, names: list[str], prefixes: Sequence[str], year: int) -> str:
    """The unit a person typed: any spelling of the name, with or without its kind, or without marks if unique."""
    key = strip_prefixes(text_key(typed), prefixes)
    keys = {strip_prefixes(text_key(name), prefixes): name for name in names}
    if key in keys:
        return keys[key]
    plain = [fold_key(prefix) for prefix in prefixes]
    typed_plain = strip_prefixes(fold_key(text_key(typed)), plain)
    folded = [name for unit_key, name in keys.items() if strip_prefixes(fold_key(unit_key), plain) == typed_plain]
    if len(folded) == 1:
        return folded[0]
    if folded:
        raise TemplateError(f"\"{typed}\" có thể là nhiều đơn vị năm {year}: {', '.join(folded)}; ghi tên có đủ dấu")
    close = process.extract(key, list(keys), scorer=fuzz.WRatio, limit=3, score_cutoff=60)
    hint = f" (gần giống: {', '.join(keys[match] for match, _, _ in close)})" if close else ""
    raise TemplateError(f"Không có đơn vị \"{typed}\" trong danh sách đơn vị năm {year}{hint}")


# ---------------------------------------------------------------- the workbook


def _write_template(path: Path, unit_title: str, year: int, lines: pd.DataFrame, levels: dict[str, str], send_to: str) -> None:
    with report.open_workbook(path) as (workbook, styles):
        styles = styles | {name: workbook.add_format(report.FONT | style) for name, style in TEMPLATE_STYLES.items()}
        sheet = workbook.add_worksheet(SHEET_NAME)
        _write_form(sheet, unit_title, year, lines, levels, styles)
        sheet.activate()
        _write_instructions(workbook.add_worksheet(INSTRUCTIONS_SHEET), unit_title, year, send_to, styles)


def _write_form(sheet, unit_title: str, year: int, lines: pd.DataFrame, levels: dict[str, str], styles) -> None:
    """The form: a column per level (``levels``: code -> heading), then "Ghi chú"."""
    note_column = _FIRST_LEVEL_COLUMN + len(levels)
    widths = [5, 8, 50, *[9] * len(levels), 18]
    last = note_column
    sheet.merge_range(0, 0, 0, last, f"ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG CÁN BỘ QUẢN LÝ, GIÁO VIÊN NĂM {year}", styles["heading"])
    sheet.merge_range(1, 0, 1, last, f"Đơn vị: {unit_title}", styles["unit_line"])
    sheet.merge_range(2, 0, 2, last, f"(Chỉ nhập số người vào các ô trắng; ô xám là cấp học không áp dụng. Xem trang tính \"{INSTRUCTIONS_SHEET}\")", styles["hint"])
    sheet.merge_range(3, _FIRST_LEVEL_COLUMN, 3, last, "Đơn vị tính: người", styles["unit_note"])
    sheet.set_row(0, 22)
    sheet.set_row(1, 20)

    top = _HEADER_ROW
    for column, text in [(0, "TT"), (1, "Mã"), (2, "Nội dung đào tạo, bồi dưỡng"), (last, "Ghi chú")]:
        sheet.merge_range(top, column, top + 1, column, text, styles["header"])
    sheet.merge_range(top, _FIRST_LEVEL_COLUMN, top, note_column - 1, "Số lượng đăng ký", styles["header"])
    sheet.write_row(top + 1, _FIRST_LEVEL_COLUMN, list(levels.values()), styles["header"])
    sheet.set_row(top, 20)
    sheet.set_row(top + 1, 20)

    inputs = []
    for offset, line in enumerate(lines.itertuples(index=False)):
        row = _FIRST_LINE_ROW + offset
        if line.is_sub_item:
            sheet.write_string(row, 0, line.number, styles["sub_number"])
        else:
            sheet.write_number(row, 0, int(line.number), styles["centre"])
        sheet.write_string(row, 1, line.code, styles["code"])
        sheet.write_string(row, 2, line.name, styles["group" if line.is_group else "sub_text" if line.is_sub_item else "text"])
        for column, level in enumerate(levels, start=_FIRST_LEVEL_COLUMN):
            if getattr(line, level):
                sheet.write_blank(row, column, None, styles["input"])
                inputs.append((row, column))
            else:
                sheet.write_blank(row, column, None, styles["closed"])
        sheet.write_blank(row, note_column, None, styles["note_input"])
        sheet.set_row(row, _height(line.name, widths[2], minimum=24))

    total_row = _FIRST_LINE_ROW + len(lines)
    sheet.merge_range(total_row, 0, total_row, 2, "Tổng số", styles["total_label"])
    for column in range(_FIRST_LEVEL_COLUMN, note_column):
        first, final = xl_rowcol_to_cell(_FIRST_LINE_ROW, column), xl_rowcol_to_cell(total_row - 1, column)
        sheet.write_formula(total_row, column, f"=SUM({first}:{final})", styles["total_count"], 0)
    sheet.write_blank(total_row, note_column, None, styles["total_label"])
    sheet.set_row(total_row, 20)

    if inputs:
        ranges = _ranges(inputs)
        row, column = inputs[0]
        sheet.data_validation(row, column, row, column, INPUT_RULE | {"multi_range": " ".join(ranges)})
        sheet.set_selection(row, column, row, column)
    _write_signatures(sheet, total_row + 2, note_column, styles)
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width)
    sheet.freeze_panes(_FIRST_LINE_ROW, 0)
    sheet.protect("", PROTECTION)
    report.print_setup(sheet, top + 1, first_header_row=top)


def _write_signatures(sheet, row: int, last_column: int, styles) -> None:
    """The footer of an official form: place and date, who prepared it, who signs for the unit."""
    left, right = (0, 2), (_FIRST_LEVEL_COLUMN + 2, last_column)
    sheet.merge_range(row, right[0], row, right[1], "…………, ngày …… tháng …… năm ……", styles["date_line"])
    for (first, last), lines in ((left, ["NGƯỜI LẬP BIỂU", "(Ký, ghi rõ họ tên, số điện thoại)"]), (right, ["THỦ TRƯỞNG ĐƠN VỊ", "(Ký tên, đóng dấu)"])):
        sheet.merge_range(row + 1, first, row + 1, last, lines[0], styles["signature"])
        sheet.merge_range(row + 2, first, row + 2, last, lines[1], styles["signature_hint"])


def _write_steps(sheet, header_row: int, texts: list[str], widths: list[float], styles) -> None:
    """The instructions sheet's numbered steps under "TT | Nội dung", protected, print-ready."""
    sheet.write_row(header_row, 0, ["TT", "Nội dung"], styles["header"])
    for offset, text in enumerate(texts, start=1):
        row = header_row + offset
        sheet.write_number(row, 0, offset, styles["step_number"])
        sheet.write_string(row, 1, text, styles["step"])
        sheet.set_row(row, _height(text, widths[1], minimum=20))
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width)
    sheet.protect("", PROTECTION)
    report.print_setup(sheet, header_row)


def _height(text: str, width: float, minimum: float) -> float:
    """A row tall enough for wrapped text, with room around it: programs do not grow rows on opening."""
    per_line = width * 1.38 - 12  # characters of 12 pt Times New Roman that fit in a column this wide
    lines = math.ceil(len(text) / per_line)
    return max(minimum, 15 * lines + 8)


def _ranges(cells: list[tuple[int, int]]) -> list[str]:
    """Cells as ranges, one per run of neighbouring cells in a row: ["D7:I7", "D8:E8"]."""
    ranges, start, previous = [], None, None
    for cell in sorted(cells) + [(-1, -1)]:
        if start is not None and (cell[0] != previous[0] or cell[1] != previous[1] + 1):
            first, last = xl_rowcol_to_cell(*start), xl_rowcol_to_cell(*previous)
            ranges.append(first if first == last else f"{first}:{last}")
            start = None
        if start is None:
            start = cell
        previous = cell
    return ranges


def _instructions(unit_title: str, year: int, send_to: str) -> list[str]:
    return [
        f"Mẫu này dành cho {unit_title} đăng ký số cán bộ quản lý, giáo viên tham gia đào tạo, bồi dưỡng năm {year}, "
        f"theo từng nội dung và từng cấp học. Số liệu trong tệp được Sở tổng hợp tự động, nên cần giữ đúng mẫu.",
        f"Trên trang tính \"{SHEET_NAME}\", nhập số người đăng ký vào các ô trắng trong cột \"Số lượng đăng ký\": "
        "mỗi ô là một số nguyên từ 0 trở lên (ví dụ 12). Ô để trống được hiểu là 0 (không đăng ký).",
        "Ô màu xám là cấp học mà nội dung đó không áp dụng: không nhập được và không cần nhập.",
        "Dòng \"Tổng số\" tự cộng theo từng cột khi nhập số; không cần nhập hay sửa dòng này.",
        "Cột \"Ghi chú\" có thể ghi thêm thông tin cần thiết (ví dụ số trường, đối tượng đăng ký).",
        "Không sửa tên đơn vị, năm, mã và tên nội dung; không thêm, xóa hay đổi chỗ dòng, cột; không đổi tên trang tính. "
        "Các trang tính được khóa để tránh sửa nhầm (không có mật khẩu); chỉ các ô trắng và cột \"Ghi chú\" nhập được. "
        "Nếu cần đăng ký nội dung chưa có trong mẫu, ghi vào cột \"Ghi chú\" hoặc liên hệ Sở.",
        "Nếu máy báo \"Số lượng không hợp lệ\", nhập lại số nguyên từ 0 trở lên. Nếu nhập nhầm, bấm Ctrl+Z để hoàn tác.",
        "Lưu tệp dạng Excel Workbook (.xlsx), giữ nguyên tên tệp, không đặt mật khẩu cho tệp.",
        f"Gửi tệp .xlsx đã nhập về: {send_to}. Bản in (nếu Sở yêu cầu) có chữ ký của người lập biểu và thủ trưởng đơn vị.",
    ]


def _write_instructions(sheet, unit_title: str, year: int, send_to: str, styles) -> None:
    # A two-column table "TT | Nội dung", so that the pipeline sees a table with no number
    # in it here, rather than a sheet without a table to warn about.
    widths = [5, 110]
    sheet.merge_range(0, 0, 0, 1, f"HƯỚNG DẪN ĐIỀN MẪU ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM {year}", styles["heading"])
    sheet.merge_range(1, 0, 1, 1, f"Đơn vị: {unit_title}", styles["unit_line"])
    header_row = 3
    _write_steps(sheet, header_row, _instructions(unit_title, year, send_to), widths, styles)


# ---------------------------------------------------------------- the roster form

ROSTER_SHEET_NAME = "Danh sách"
ROSTER_ROWS = 500  # input rows of a roster form: a commune's registrations for a year fit
ROSTER_PREFIX = "mau_danh_sach"
# (header, width, role): the roster's columns before the topic columns, in order; the headers
# are spellings ``pipeline.ingest.roster`` knows (person_aliases.csv).
ROSTER_COLUMNS = [
    ("TT", 5, "stt"),
    ("Họ và tên", 24, "name"),
    ("Ngày sinh (ngày/tháng/năm)", 14, "birth_date"),
    ("Giới tính", 8, "sex"),
    ("Trường", 24, "school"),
    ("Cấp học", 12, "level"),
    ("Chức vụ", 14, "title"),
    ("Trình độ đào tạo", 12, "degree"),
    ("Chuyên ngành đào tạo", 18, "major"),
    ("Chứng chỉ NVSP", 10, "certificate"),
    ("Số định danh cá nhân", 15, "identifier"),
]
_ROSTER_TOPIC_WIDTH = 7
_ROSTER_HEADER_ROW = 4
_ROSTER_FIRST_ROW = _ROSTER_HEADER_ROW + 2
ROSTER_STYLES = {
    "date_input": {"num_format": "dd/mm/yyyy", "align": "center", "valign": "vcenter", "border": 1, "locked": False},
    "text_input": {"valign": "vcenter", "border": 1, "locked": False, "num_format": "@"},
    "mark_input": {"align": "center", "valign": "vcenter", "border": 1, "locked": False},
    "topic_code": {"bold": True, "align": "center", "valign": "vcenter", "border": 1, "rotation": 90},
}
_ROSTER_RULES = {
    "sex": ("Giới tính", "Chọn Nam hoặc Nữ."),
    "level": ("Cấp học", "Chọn cấp học nơi người này đang dạy hoặc quản lý."),
    "title": ("Chức vụ", "Chọn Giáo viên, hoặc Cán bộ quản lý (hiệu trưởng, phó hiệu trưởng, giám đốc, phó giám đốc)."),
    "degree": ("Trình độ đào tạo", "Chọn trình độ đào tạo cao nhất đã có bằng."),
    "certificate": ("Chứng chỉ NVSP", "Có chứng chỉ bồi dưỡng nghiệp vụ sư phạm hay không (chỉ cần khi chuyên ngành không phải sư phạm)."),
}


def write_roster_templates(
    folder: Path, reference: Reference, person_codes: pd.DataFrame, year: int, unit: str | None = None, send_to: str = DEFAULT_SEND_TO
) -> list[Path]:
    """Write one roster form (a list of people, one row each) per unit of ``year`` (or only ``unit``).

    Each form names the unit and the year, has a column per topic of the year (marked
    "x"), lists to choose sex, level, title, degree and the pedagogy certificate from
    (``person_codes``: ``person_codes.csv``; levels from ``levels.csv``), a date check on
    the birth date and a twelve-digit check on the identifier; the sheets are protected
    without a password like the count forms. Files: "mau_danh_sach_<year>_<unit>.xlsx".

    Raises:
        TemplateError: see ``template_units``.
    """
    units = template_units(reference, year, unit, prefix=ROSTER_PREFIX)
    lines = template_lines(reference, year)
    topics = lines[~lines["is_group"]][["code", "name"]]
    levels = reference.levels[reference.levels["covers"].isna()]
    choices = {
        "sex": list(person_codes.loc[person_codes["kind"] == "sex", "name"]),
        "level": list(levels["name"]),
        "title": list(person_codes.loc[person_codes["kind"] == "title", "name"]),
        "degree": list(person_codes.loc[person_codes["kind"] == "degree"].sort_values("rank")["name"]),
        "certificate": list(person_codes.loc[person_codes["kind"] == "answer", "name"]),
    }
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for record in units.itertuples(index=False):
        path = folder / record.file_name
        with report.open_workbook(path) as (workbook, styles):
            styles = styles | {name: workbook.add_format(report.FONT | style) for name, style in (TEMPLATE_STYLES | ROSTER_STYLES).items()}
            sheet = workbook.add_worksheet(ROSTER_SHEET_NAME)
            _write_roster_form(sheet, record.title, year, topics, choices, styles)
            sheet.activate()
            _write_roster_instructions(workbook.add_worksheet(INSTRUCTIONS_SHEET), record.title, year, topics, send_to, styles)
        paths.append(path)
    return paths


def _write_roster_form(sheet, unit_title: str, year: int, topics: pd.DataFrame, choices: dict[str, list[str]], styles) -> None:
    first_topic = len(ROSTER_COLUMNS)
    note_column = first_topic + len(topics)
    widths = [width for _, width, _ in ROSTER_COLUMNS] + [_ROSTER_TOPIC_WIDTH] * len(topics) + [16]
    sheet.merge_range(0, 0, 0, note_column, f"DANH SÁCH CÁN BỘ QUẢN LÝ, GIÁO VIÊN ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM {year}", styles["heading"])
    sheet.merge_range(1, 0, 1, note_column, f"Đơn vị: {unit_title}", styles["unit_line"])
    sheet.merge_range(2, 0, 2, note_column, f"(Mỗi người một dòng; đánh dấu x vào nội dung đăng ký; ô trắng mới nhập được. Xem trang tính \"{INSTRUCTIONS_SHEET}\")", styles["hint"])
    sheet.set_row(0, 22)
    top = _ROSTER_HEADER_ROW
    for column, (header, _, _) in enumerate(ROSTER_COLUMNS):
        sheet.merge_range(top, column, top + 1, column, header, styles["header"])
    sheet.merge_range(top, note_column, top + 1, note_column, "Ghi chú", styles["header"])
    if len(topics) > 1:
        sheet.merge_range(top, first_topic, top, note_column - 1, "Nội dung đăng ký (đánh dấu x)", styles["header"])
    elif len(topics) == 1:
        sheet.write_string(top, first_topic, "Nội dung đăng ký (đánh dấu x)", styles["header"])
    sheet.write_row(top + 1, first_topic, list(topics["code"]), styles["topic_code"])
    sheet.set_row(top, 30)
    sheet.set_row(top + 1, 48)

    first, last = _ROSTER_FIRST_ROW, _ROSTER_FIRST_ROW + ROSTER_ROWS - 1
    roles = [role for _, _, role in ROSTER_COLUMNS]
    for offset in range(ROSTER_ROWS):
        row = first + offset
        sheet.write_number(row, 0, offset + 1, styles["centre"])
        for column, role in enumerate(roles[1:], start=1):
            sheet.write_blank(row, column, None, styles["date_input" if role == "birth_date" else "text_input"])
        for column in range(first_topic, note_column):
            sheet.write_blank(row, column, None, styles["mark_input"])
        sheet.write_blank(row, note_column, None, styles["note_input"])
    birth = roles.index("birth_date")
    sheet.data_validation(first, birth, last, birth, {
        "validate": "date", "criteria": "between",
        "minimum": dt.date(year - 70, 1, 1), "maximum": dt.date(year - 18, 12, 31),
        "input_title": "Ngày sinh", "input_message": "Nhập ngày/tháng/năm, ví dụ 05/03/1970. Chỉ biết năm sinh thì nhập 01/01/<năm sinh>.",
        "error_type": "stop", "error_title": "Ngày sinh không hợp lệ",
        "error_message": f"Nhập ngày sinh dạng ngày/tháng/năm, từ năm {year - 70} đến năm {year - 18}, ví dụ 05/03/1970.",
    })
    for role, (title, message) in _ROSTER_RULES.items():
        column = roles.index(role)
        sheet.data_validation(first, column, last, column, {
            "validate": "list", "source": choices[role], "input_title": title, "input_message": message,
            "error_type": "stop", "error_title": f"{title} không hợp lệ", "error_message": "Chọn một giá trị trong danh sách: " + ", ".join(choices[role]) + ".",
        })
    identifier = roles.index("identifier")
    sheet.data_validation(first, identifier, last, identifier, {
        "validate": "length", "criteria": "==", "value": 12, "ignore_blank": True,
        "input_title": "Số định danh cá nhân", "input_message": "Số định danh cá nhân (số căn cước công dân), 12 chữ số. Có thể để trống.",
        "error_type": "stop", "error_title": "Số định danh không hợp lệ", "error_message": "Số định danh cá nhân gồm đúng 12 chữ số, ví dụ 031170001234.",
    })
    for column, (code, name) in enumerate(zip(topics["code"], topics["name"]), start=first_topic):
        sheet.data_validation(first, column, last, column, {
            "validate": "list", "source": ["x"], "input_title": f"Nội dung {code}"[:32], "input_message": name[:255],
            "error_type": "stop", "error_title": "Chỉ đánh dấu x", "error_message": f"Đánh dấu x nếu người này đăng ký nội dung {code}; để trống nếu không.",
        })
    sheet.set_selection(first, 1, first, 1)
    footer = last + 2
    sheet.merge_range(footer, note_column - 3 if note_column >= 6 else 0, footer, note_column, "…………, ngày …… tháng …… năm ……", styles["date_line"])
    for (left, right), texts in (((0, 2), ["NGƯỜI LẬP BIỂU", "(Ký, ghi rõ họ tên, số điện thoại)"]), ((max(note_column - 3, 3), note_column), ["THỦ TRƯỞNG ĐƠN VỊ", "(Ký tên, đóng dấu)"])):
        sheet.merge_range(footer + 1, left, footer + 1, right, texts[0], styles["signature"])
        sheet.merge_range(footer + 2, left, footer + 2, right, texts[1], styles["signature_hint"])
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width)
    sheet.freeze_panes(_ROSTER_FIRST_ROW, 2)
    sheet.protect("", PROTECTION)
    report.print_setup(sheet, top + 1, first_header_row=top)


def _roster_instructions(unit_title: str, year: int, send_to: str) -> list[str]:
    return [
        f"Mẫu này dành cho {unit_title} lập danh sách cán bộ quản lý, giáo viên đăng ký đào tạo, bồi dưỡng năm {year}: "
        "mỗi người một dòng. Sở dùng danh sách để đối chiếu tuổi nghỉ hưu (Nghị định 135/2020/NĐ-CP) và đối tượng phải "
        "nâng trình độ chuẩn (Nghị định 71/2020/NĐ-CP), rồi tổng hợp số lượng tự động, nên cần giữ đúng mẫu.",
        f"Trên trang tính \"{ROSTER_SHEET_NAME}\", ghi họ và tên, ngày sinh (ngày/tháng/năm; chỉ biết năm sinh thì ghi 01/01/<năm>), "
        "chọn giới tính, cấp học, chức vụ, trình độ đào tạo cao nhất và chứng chỉ nghiệp vụ sư phạm trong danh sách của từng ô.",
        "Ghi trường đang công tác, chuyên ngành đào tạo (ví dụ: Sư phạm Mầm non, Giáo dục Tiểu học, Kế toán) và số định danh cá nhân (12 chữ số, nếu có).",
        "Đánh dấu x vào cột của từng nội dung người đó đăng ký (có thể nhiều nội dung); tên đầy đủ của mỗi mã nội dung ở bảng bên dưới.",
        "Mỗi người chỉ ghi một dòng, ở đơn vị đang công tác; người đã nghỉ hưu hoặc nghỉ hưu trước khi khóa đào tạo kết thúc không đăng ký đào tạo nâng chuẩn.",
        "Không sửa tên đơn vị, năm, tiêu đề cột; không thêm, xóa cột; không đổi tên trang tính. Các trang tính được khóa để tránh sửa nhầm (không có mật khẩu); "
        "chỉ các ô trắng nhập được. Nếu nhập nhầm, bấm Ctrl+Z để hoàn tác.",
        "Lưu tệp dạng Excel Workbook (.xlsx), giữ nguyên tên tệp, không đặt mật khẩu cho tệp.",
        f"Gửi tệp .xlsx đã nhập về: {send_to}. Danh sách có thông tin cá nhân: chỉ gửi theo đường công vụ.",
    ]


def _write_roster_instructions(sheet, unit_title: str, year: int, topics: pd.DataFrame, send_to: str, styles) -> None:
    # "TT | Nội dung" as in the count form's instructions; the topics follow, code first.
    widths = [5, 110]
    sheet.merge_range(0, 0, 0, 1, f"HƯỚNG DẪN LẬP DANH SÁCH ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM {year}", styles["heading"])
    sheet.merge_range(1, 0, 1, 1, f"Đơn vị: {unit_title}", styles["unit_line"])
    header_row = 3
    texts = _roster_instructions(unit_title, year, send_to)
    texts += [f"{code}: {name}" for code, name in zip(topics["code"], topics["name"])]
    _write_steps(sheet, header_row, texts, widths, styles)
