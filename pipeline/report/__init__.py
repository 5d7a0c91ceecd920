"""Report: write the workbooks and CSV exports. Formatting lives here and only here.

Workbooks look like the official appendices: Times New Roman, bold centred
merged titles, a bordered table, A4 landscape fitted to the page width, header
rows repeated on every printed page, "Trang 1/3" in every footer. Totals are live
``SUM`` formulas whose cached values are the pipeline's own totals.

Numbers group thousands with a space written into the number format itself
(``number_format``), as the documents print them ("13 008"): never with the
computer's own separator, which would print 2 384 as "2,384" on an English-locale
PC. Only the decimal mark follows the computer's settings.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from pipeline import csv_text
from pipeline.aggregate import AppendixTable
from pipeline.reconcile import number_text
from schemas import plan_levels

FONT = {"font_name": "Times New Roman", "font_size": 12}
CHART_FONT = {"name": "Times New Roman"}
FOOTER = '&C&"Times New Roman,Regular"&11Trang &P/&N'


def number_format(decimals: int = 0, mark: str = "", signed: bool = False, blank_zero: bool = False, pad: bool = False) -> str:
    """An Excel number format grouping thousands with a literal space: 2384 -> "2 384".

    Conditional sections pick the grouping by size (``[>=1000]#" "##0``), so the
    space is text of the format and never the locale's separator. ``decimals``
    digits after the decimal mark (the locale's); ``mark`` (a footnote mark such as
    "(1)") is printed after the number. ``signed``: for figures that may be negative
    (differences): Excel and LibreOffice both print the last section of a
    conditional format without the sign, so it is written there, and a negative
    figure is shown ungrouped ("-1093.45", unambiguous all the same).
    ``blank_zero``: zero shows as an empty cell. ``pad``: room after the number, the
    width of a ")", so a right-aligned amount never touches the text beside it.
    """
    fraction = "." + "0" * decimals if decimals else ""
    suffix = (f'" {mark}"' if mark else "") + ("_)" if pad else "")
    units, thousands, millions = f"0{fraction}{suffix}", f'#" "##0{fraction}{suffix}', f'#" "###" "##0{fraction}{suffix}'
    if signed:
        return f"[>=1000]{thousands};[>=0]{units};-{units}"
    if blank_zero:
        return f"[>=1000]{thousands};[>0]{units};"
    return f"[>=1000000]{millions};[>=1000]{thousands};{units}"


def decimals_of(value: float, most: int = 3) -> int:
    """How many decimals ``value`` really has (1312.74 -> 2, 13008.0 -> 0), up to ``most``."""
    for decimals in range(most + 1):
        if abs(round(value, decimals) - value) < 1e-7:
            return decimals
    return most


COUNT_FORMAT = number_format()
# Formatting is data: every cell style used in the workbooks, defined once.
STYLES = {
    "heading": {"bold": True, "font_size": 13, "align": "center", "valign": "vcenter", "text_wrap": True},
    "attachment": {"italic": True, "align": "center", "valign": "vcenter", "text_wrap": True},
    "header": {"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True, "border": 1},
    "text": {"valign": "vcenter", "text_wrap": True, "border": 1},
    "note_text": {"valign": "vcenter", "text_wrap": True, "border": 1, "indent": 1},
    "centre": {"align": "center", "valign": "vcenter", "border": 1},
    "count": {"num_format": COUNT_FORMAT, "align": "center", "valign": "vcenter", "border": 1},
    "count_blank_zero": {"num_format": number_format(blank_zero=True), "align": "center", "valign": "vcenter", "border": 1},
    "total_label": {"bold": True, "align": "center", "valign": "vcenter", "border": 1},
    "total_count": {"bold": True, "num_format": COUNT_FORMAT, "align": "center", "valign": "vcenter", "border": 1},
    "plain": {"valign": "top", "text_wrap": True},
    "plain_nowrap": {"italic": True},
    "group": {"bold": True, "valign": "vcenter", "text_wrap": True, "border": 1},
    "unit_note": {"italic": True, "align": "right"},
    "price": {"num_format": COUNT_FORMAT, "align": "center", "valign": "vcenter", "border": 1},
    # Amounts right-aligned, padded on the right (_PADDED), so a long one never touches the note beside it.
    "money": {"num_format": number_format(pad=True), "align": "right", "valign": "vcenter", "border": 1},
    "total_money": {"bold": True, "num_format": number_format(pad=True), "align": "right", "valign": "vcenter", "border": 1},
    "column_header": {"bold": True, "text_wrap": True, "valign": "vcenter", "border": 1, "bg_color": "#D9E1F2"},
    "list_text": {"valign": "top", "text_wrap": True, "border": 1},
    "list_number": {"valign": "top", "border": 1},
    "list_empty": {"italic": True, "valign": "top", "border": 1},
    "note_heading": {"bold": True, "italic": True},
    "footnote": {"italic": True, "valign": "top", "text_wrap": True},
    "run": {},
}
_PADDED = {"money", "total_money"}
# A fixed creation date keeps the workbooks byte-identical from run to run.
_FIXED_CREATED = dt.datetime(2000, 1, 1)
_A4 = 9
_LINE_HEIGHT = 16


@dataclass(frozen=True)
class CostSheet:
    """One sheet of a cost workbook (the appendix 6–10 layout).

    ``lines`` are priced lines (``costing.price_lines``); ``topic_header`` and
    ``total_label`` as the appendix prints them (empty: "Nội dung đào tạo, bồi dưỡng",
    "Tổng số"); ``notes`` the corrections to mark on the page (``reconcile.page_notes``).
    ``zeros``: a zero count prints as 0, where the plan has a 0 (the document prints
    it); else as an empty cell (registrations, where an empty cell was read as 0).
    """

    name: str
    headings: list[str]
    attachment: str
    lines: pd.DataFrame
    topic_header: str | None = None
    total_label: str | None = None
    notes: pd.DataFrame | None = None
    zeros: bool = False
    level_headers: Mapping[str, str] = dataclasses.field(default_factory=dict)  # level -> its column heading (levels.csv)


def write_appendices(path: Path, tables: Sequence[AppendixTable], mark: str = "") -> None:
    """Write one sheet per appendix ("PL1", "PL2"...) to a new workbook at ``path``;
    ``mark`` ("SỐ LIỆU MINH HỌA") after each title and at the top of every page."""
    with open_workbook(path) as (workbook, styles):
        for table in tables:
            sheet = workbook.add_worksheet(f"PL{table.number}")
            _write_appendix(sheet, dataclasses.replace(table, title=f"{table.title} ({mark})") if mark else table, styles)
            if mark:
                sheet.set_header(f"&C&\"Times New Roman,Bold\"{mark}")


def write_issue_report(path: Path, issues: pd.DataFrame, files: pd.DataFrame) -> None:
    """The validation report: one row per problem, then one row per input file."""
    problems = issues.rename(columns=ISSUE_HEADERS)[list(ISSUE_HEADERS.values())]
    file_rows = files.rename(columns=FILE_HEADERS)[list(FILE_HEADERS.values())]
    with open_workbook(path) as (workbook, styles):
        write_list(workbook.add_worksheet("Vấn đề"), problems, [28, 12, 8, 20, 50, 44, 10, 16], styles, empty="Không có vấn đề nào")
        write_list(
            workbook.add_worksheet("Tệp"), file_rows, [40, 22, 14, 10, 14, 12, 16, 14, 12], styles,
            formats={FILE_HEADERS[name]: "count" for name in ("rows", "headcount", "cells_booked", "cells_checked", "cells_set_aside", "sum_booked")},
        )


def write_manifest(path: Path, manifest: dict, folder: Path) -> None:
    """``manifest.json``: the run's record, with the sha256 of every output in ``folder``."""
    outputs = {
        item.relative_to(folder).as_posix(): hashlib.sha256(item.read_bytes()).hexdigest()
        for item in sorted(folder.rglob("*"))
        if item.is_file() and item != path
    }
    path.write_text(json.dumps(manifest | {"outputs": outputs}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_csv(path: Path, frame: pd.DataFrame) -> None:
    """UTF-8 CSV, rows in the order given, text as ``csv_text.shown_as_typed`` shows it
    (what a spreadsheet would run as a formula with a leading apostrophe)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.assign(**{name: _guarded(frame[name]) for name in frame.columns}).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def read_registrations(path: Path) -> pd.DataFrame | None:
    """The tidy table an earlier run published, or None when there is none to read."""
    wanted = {"year", "unit", "topic", "level", "headcount"}  # what the comparison reads: the source columns are left
    try:
        frame = pd.read_csv(path, encoding="utf-8", dtype={"unit": str, "topic": str, "level": str}, usecols=lambda column: column in wanted)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError):
        return None
    return frame if wanted <= set(frame.columns) else None


def read_submissions(path: Path) -> pd.DataFrame | None:
    """The submission status an earlier run published (``data/submissions.csv``), or None."""
    try:
        frame = pd.read_csv(path, encoding="utf-8", keep_default_na=False, na_values=[""], dtype={"unit": str, "status": str})
    except (OSError, UnicodeDecodeError, pd.errors.ParserError):
        return None
    # Only what the comparison needs: an older run's file may have fewer columns.
    return frame if {"year", "unit", "status"} <= set(frame.columns) else None


def _guarded(column: pd.Series) -> pd.Series:
    """Each text as ``csv_text.shown_as_typed`` shows it."""
    if not (column.dtype == object or pd.api.types.is_string_dtype(column)):
        return column
    # Checked on the distinct values: a column of 100 000 cells holds a few hundred.
    replaced = {}
    for value in pd.unique(column):
        if isinstance(value, str) and (text := csv_text.shown_as_typed(value)) != value:
            replaced[value] = text
    return column.replace(replaced) if replaced else column


ISSUE_HEADERS = {
    "file": "Tệp",
    "sheet": "Trang tính",
    "cell": "Ô",
    "value": "Giá trị",
    "problem": "Vấn đề",
    "fix": "Cách sửa",
    "severity": "Mức độ",
    "unit": "Đơn vị",
}
FILE_HEADERS = {
    "file": "Tệp",
    "sheets": "Trang tính có số liệu",
    "status": "Kết quả",
    "rows": "Số dòng",
    "headcount": "Tổng số người",
    "cells_booked": "Ô đã ghi nhận",
    "cells_checked": "Ô đã đối chiếu (tổng, dòng cộng, \"trong đó\")",
    "cells_set_aside": "Ô để riêng (xem Vấn đề)",
    "sum_booked": "Tổng số ghi nhận",
}


# ---------------------------------------------------------------- helpers


class Styles(dict):
    """The workbook's cell styles by name, and number styles made on demand (``number``)."""

    def __init__(self, workbook, styles: dict):
        super().__init__(styles)
        self._workbook = workbook
        self._numbers: dict = {}

    def number(self, name: str, decimals: int = 0, mark: str = "", signed: bool = False):
        """Style ``name`` with ``number_format(decimals, mark, signed)``."""
        key = (name, decimals, mark, signed)
        if key not in self._numbers:
            number = number_format(decimals, mark, signed, pad=name in _PADDED)
            self._numbers[key] = self._workbook.add_format(FONT | STYLES[name] | {"num_format": number})
        return self._numbers[key]

    def __or__(self, other: dict) -> "Styles":
        merged = Styles(self._workbook, {**self, **other})
        merged._numbers = self._numbers
        return merged


class open_workbook:
    """Context manager: a workbook with the house font, fixed properties and styles."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.workbook = xlsxwriter.Workbook(
            str(path), {"default_format_properties": dict(FONT), "strings_to_formulas": False}
        )
        self.workbook.set_properties({"created": _FIXED_CREATED, "author": "Sở GDĐT Hải Phòng"})

    def __enter__(self):
        styles = Styles(self.workbook, {name: self.workbook.add_format(FONT | style) for name, style in STYLES.items()})
        return self.workbook, styles

    def __exit__(self, *exc_info):
        self.workbook.close()


def _write_appendix(sheet, table: AppendixTable, styles) -> None:
    last_column = len(table.column_headers) + 2  # STT, unit, counts..., Ghi chú
    headings = [f"PHỤ LỤC {table.number}", table.title, table.subtitle]
    for row, text in enumerate(headings):
        sheet.merge_range(row, 0, row, last_column, text, styles["heading"])
    # The document breaks "(Kèm theo Kế hoạch ... năm 2024 / của Uỷ ban nhân dân ...)" in two lines.
    sheet.merge_range(3, 0, 3, last_column, table.attachment.replace(" của ", "\ncủa ", 1), styles["attachment"])
    sheet.set_row(3, 34)

    header_row = 5
    headers = ["STT", table.unit_header, *table.column_headers, "Ghi chú"]
    sheet.write_row(header_row, 0, headers, styles["header"])
    sheet.set_row(header_row, 48)

    first = header_row + 1
    for offset, record in enumerate(table.body.itertuples(index=False)):
        row = first + offset
        sheet.write_number(row, 0, offset + 1, styles["centre"])
        sheet.write_string(row, 1, record[0], styles["text"])
        for column, value in enumerate(record[1:], start=2):
            sheet.write_number(row, column, int(value), styles["count_blank_zero"])
        sheet.write_blank(row, last_column, None, styles["text"])

    total_row = first + len(table.body)
    sheet.merge_range(total_row, 0, total_row, 1, "Tổng số", styles["total_label"])
    for column, total in enumerate(table.totals, start=2):
        top = xl_rowcol_to_cell(first, column)
        bottom = xl_rowcol_to_cell(total_row - 1, column)
        sheet.write_formula(total_row, column, f"=SUM({top}:{bottom})", styles["total_count"], total)
    sheet.write_blank(total_row, last_column, None, styles["total_label"])

    widths = _widen([6, 26, *[20] * len(table.column_headers), 16], headings, first_stretched=2)
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width)
    print_setup(sheet, header_row)


def _widen(widths: list[float], headings: Sequence[str], first_stretched: int) -> list[float]:
    """Stretch the columns from ``first_stretched`` on until the longest heading fits on one line."""
    needed = max(len(text) for text in headings) * 1.35
    missing = needed - sum(widths)
    if missing <= 0:
        return widths
    share = missing / (len(widths) - first_stretched)
    return widths[:first_stretched] + [width + share for width in widths[first_stretched:]]


def write_list(sheet, frame: pd.DataFrame, widths: list[int], styles, formats: dict[str, str] | None = None, empty: str | None = None) -> None:
    """A plain list: bold header, frozen, filterable, bordered, every row tall enough for its text.

    Values are always written as text or numbers (never formulas). ``formats`` gives
    a column's numbers a house format: ``count`` (whole numbers grouped), ``amount``
    (grouped, with the decimals each value has), ``signed`` (the same, for figures that
    may be negative); other numbers (years) are written plain. With ``empty``, a list
    without rows says so in a line under its header.
    """
    formats = formats or {}
    columns = list(frame.columns)
    kinds = [formats.get(name) for name in columns]
    sheet.write_row(0, 0, columns, styles["column_header"])
    fit_row(sheet, 0, columns, widths)
    for row, record in enumerate(frame.itertuples(index=False), start=1):
        fit_row(sheet, row, record, widths)
        for column, (kind, value) in enumerate(zip(kinds, record)):
            if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
                sheet.write_blank(row, column, None, styles["list_text"])
            elif isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_)):
                decimals = 0 if kind == "count" else decimals_of(float(value))
                style = styles.number("list_number", decimals, signed=kind == "signed") if kind else styles["list_number"]
                sheet.write_number(row, column, value, style)
            else:
                # as text: "=SUM(...)" from an input stays text, never a formula
                write_text(sheet, row, column, str(value), styles["list_text"], styles)
    if frame.empty and empty:
        sheet.merge_range(1, 0, 1, len(columns) - 1, empty, styles["list_empty"])
        sheet.set_row(1, _LINE_HEIGHT + 4)
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(frame), 1), len(columns) - 1)
    print_setup(sheet, 0)


_ESCAPE_LIKE = re.compile(r"_(?=x[0-9A-Fa-f]{1,4}_)")


def write_text(sheet, row: int, column: int, text: str, style, styles) -> None:
    """Write ``text`` as it is. LibreOffice reads "_xa_" inside a cell's text (a file named
    "minh_hoa_xa_an_lao.xlsx") as an escaped character, a line break, and cuts the name;
    such text is written in pieces cut after the underscore, which every program reads whole."""
    cuts = [match.start() + 1 for match in _ESCAPE_LIKE.finditer(text)]
    if not cuts:
        sheet.write_string(row, column, text, style)
        return
    pieces = [text[start:end] for start, end in zip([0, *cuts], [*cuts, len(text)])]
    sheet.write_rich_string(row, column, *[part for piece in pieces for part in (styles["run"], piece)], style)


def line_count(text: str, width: float) -> int:
    """Lines ``text`` takes wrapped in a column ``width`` characters wide: broken between
    words, a word longer than the line broken anywhere, line breaks kept."""
    capacity = max(width * 1.05, 1.0)
    count = 0
    for paragraph in str(text).split("\n"):
        count, used = count + 1, 0.0
        for word in paragraph.split(" "):
            if used and used + 1 + len(word) > capacity:
                count, used = count + 1, 0.0
            elif used:
                used += 1
            length = float(len(word))
            while used + length > capacity:
                length -= capacity - used
                count, used = count + 1, 0.0
            used += length
    return max(count, 1)


def fit_row(sheet, row: int, values, widths) -> None:
    """Spreadsheet programs do not grow rows for wrapped text on opening; size the row here."""
    lines = max((line_count(value, width) for value, width in zip(values, widths) if isinstance(value, str)), default=1)
    sheet.set_row(row, _LINE_HEIGHT * lines)


def print_setup(sheet, header_row: int | None, first_header_row: int | None = None) -> None:
    """A4 landscape, one page wide, header rows repeated on every page, "Trang 1/3" in the footer."""
    sheet.set_landscape()
    sheet.set_paper(_A4)
    sheet.fit_to_pages(1, 0)
    if header_row is not None:
        sheet.repeat_rows(header_row if first_header_row is None else first_header_row, header_row)
    sheet.center_horizontally()
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
    sheet.set_footer(FOOTER)


def _write_notes(sheet, row: int, last_column: int, notes: Sequence[str], width: float, styles) -> int:
    """"Ghi chú:" and one line per note under a table, from ``row``; returns the next free row."""
    if not notes:
        return row
    sheet.merge_range(row, 0, row, last_column, "Ghi chú:", styles["note_heading"])
    for note in notes:
        row += 1
        sheet.merge_range(row, 0, row, last_column, note, styles["footnote"])
        sheet.set_row(row, _LINE_HEIGHT * line_count(note, width))
    return row + 1


def _marks(notes: pd.DataFrame | None, lines: pd.DataFrame) -> tuple[dict[tuple, str], list[str]]:
    """Footnote marks "(1)", "(2)"... in the order a reader meets the cells on the page, by
    (topic, level) of the cell (no topic: the total row; no level: the amount, or the
    label of an added line), and the notes they mark."""
    if notes is None or notes.empty:
        return {}, []
    rows = {topic: index for index, topic in enumerate(lines["topic"])}
    columns = {level: index for index, level in enumerate(plan_levels(lines))}

    def place(record) -> tuple[int, int]:
        row = len(rows) if pd.isna(record.topic) else rows.get(record.topic, len(rows))
        column = -1 if record.added else len(columns) if pd.isna(record.level) else columns.get(record.level, len(columns))
        return row, column

    marks, texts = {}, []
    ordered = sorted(notes.itertuples(index=False), key=place)
    for number, record in enumerate(ordered, start=1):
        mark = f"({number})"
        marks[(None if pd.isna(record.topic) else record.topic, None if pd.isna(record.level) else record.level)] = mark
        texts.append(f"{mark} {record.note}")
    return marks, texts


# ---------------------------------------------------------------- the five-year plan

RECONCILIATION_HEADERS = {
    "year": "Năm",
    "source": "Nguồn trong tài liệu",
    "item": "Nội dung đối chiếu",
    "printed": "Số in trong tài liệu",
    "computed": "Số tính lại",
    "difference": "Chênh lệch (tính lại - in)",
    "status": "Kết quả",
    "explanation": "Giải thích",
}
CHANGE_HEADERS = {
    "year": "Năm",
    "unit": "Đơn vị",
    "topic": "Mã nội dung",
    "level": "Cấp học",
    "previous": "Kỳ trước",
    "current": "Kỳ này",
    "change": "Thay đổi",
}
SUBMISSION_CHANGE_HEADERS = {"year": "Năm", "title": "Đơn vị", "change": "Thay đổi tình hình nộp"}
COMPARISON_HEADERS = {
    "topic": "Mã nội dung",
    "name": "Nội dung",
    "level": "Cấp học",
    "planned": "Kế hoạch (người)",
    "registered": "Đăng ký (người)",
    "percent": "Tỷ lệ so với kế hoạch (%)",
}
ROUNDING_NOTE = (
    "Thành tiền ghi đủ phần thập phân của số lượng × đơn giá, không làm tròn, để các dòng cộng lại đúng bằng "
    "dòng tổng; tài liệu in các số này làm tròn đến triệu đồng."
)


def write_plan_tasks(
    path: Path, lines: pd.DataFrame, appendix: int, title: str, attachment: str,
    topic_header: str | None = None, notes: pd.DataFrame | None = None,
) -> None:
    """Appendix 1–5 layout: TT | Nội dung | "Số lượng dự kiến" over the levels (by code, as
    the document prints them) | form | lead | partners.

    ``notes`` (``reconcile.page_notes``): each cell that differs from the printed
    appendix carries a mark "(1)", and the note under the table says what the
    document prints and why; a line the document does not have is marked on its label.
    """
    marks, footnotes = _marks(notes, lines)
    with open_workbook(path) as (workbook, styles):
        sheet = workbook.add_worksheet(f"PL{appendix}")
        levels = plan_levels(lines)
        last = 2 + len(levels) + 2
        level_widths = [10.5 if any(key[1] == level for key in marks) else 7.5 for level in levels]
        widths = [5, 44, *level_widths, 22, 10, 32]
        write_headings(sheet, [f"PHỤ LỤC {appendix}", title], attachment, last, styles)
        top = 4
        # The document breaks "Đơn vị / chủ trì" and "Đơn vị / phối hợp" between their words.
        for column, text in [(0, "TT"), (1, _text_or(topic_header, "Nội dung")), (last - 2, "Hình thức thực hiện"), (last - 1, "Đơn vị\nchủ trì"), (last, "Đơn vị\nphối hợp")]:
            sheet.merge_range(top, column, top + 1, column, text, styles["header"])
        sheet.merge_range(top, 2, top, 1 + len(levels), "Số lượng dự kiến", styles["header"])
        sheet.write_row(top + 1, 2, levels, styles["header"])
        sheet.set_row(top, 20)
        sheet.set_row(top + 1, 20)
        for offset, line in enumerate(lines.itertuples(index=False)):
            row = top + 2 + offset
            label = line.label if (line.topic, None) not in marks else f"{line.label} {marks[(line.topic, None)]}"
            _write_line_start(sheet, row, line.number, label, line.is_group, styles)
            _write_counts(sheet, row, 2, [getattr(line, level) for level in levels], styles, [marks.get((line.topic, level), "") for level in levels])
            texts = ["" if pd.isna(text) else str(text) for text in (line.delivery_form, line.lead_unit, line.partner_units)]
            for column, text in zip(range(last - 2, last + 1), texts):
                sheet.write_string(row, column, text, styles["text"])
            fit_row(sheet, row, [label, *texts], [widths[1], *widths[-3:]])
        _write_notes(sheet, top + 3 + len(lines), last, footnotes, sum(widths), styles)
        for column, width in enumerate(widths):
            sheet.set_column(column, column, width)
        print_setup(sheet, top + 1, first_header_row=top)


def write_cost_workbook(path: Path, sheets: Sequence[CostSheet], comparison: pd.DataFrame | None = None, coverage: str | None = None, mark: str = "") -> None:
    """Cost appendices (6–10 layout), one sheet per ``CostSheet``.

    Each line's "Thành tiền" is ``=SUM(levels)*price``; the total row sums every
    column. A finance officer can change a price and watch the totals follow.
    Amounts show the decimals they have, so the lines add up to the total as printed
    (a note under the table says so). With ``comparison``, a sheet of registered
    against planned headcount follows; ``coverage`` says under it how many units the
    registered figures cover (a unit that has not answered is not counted as 0).
    ``mark`` ("SỐ LIỆU MINH HỌA"): printed after the title and at the top of every page.
    """
    with open_workbook(path) as (workbook, styles):
        for cost_sheet in sheets:
            if mark:
                cost_sheet = dataclasses.replace(cost_sheet, headings=[f"{cost_sheet.headings[0]} ({mark})", *cost_sheet.headings[1:]])
            _write_cost_sheet(workbook.add_worksheet(cost_sheet.name), cost_sheet, styles)
        if comparison is not None:
            table = comparison.assign(level=comparison["level"], percent=comparison["percent"].round(1))
            sheet = workbook.add_worksheet("So với kế hoạch")
            write_list(
                sheet,
                table.rename(columns=COMPARISON_HEADERS)[list(COMPARISON_HEADERS.values())],
                [12, 56, 9, 14, 14, 16],
                styles,
                formats={COMPARISON_HEADERS["planned"]: "count", COMPARISON_HEADERS["registered"]: "count", COMPARISON_HEADERS["percent"]: "amount"},
            )
            if coverage:
                sheet.write_string(len(table) + 2, 0, f"Số đơn vị: {coverage}", styles["plain_nowrap"])
            sheet.set_header((f"&L{coverage[: coverage.index(' ')]} đơn vị đã nộp" if coverage else "") + (f"&C&\"Times New Roman,Bold\"{mark}" if mark else ""))
        if mark:
            for sheet in workbook.worksheets()[: len(sheets)]:
                sheet.set_header(f"&C&\"Times New Roman,Bold\"{mark}")


def write_summary(
    path: Path,
    yearly: pd.DataFrame,
    per_level: pd.DataFrame,
    reconciliation: pd.DataFrame,
    title: str,
    level_headers: Mapping[str, str],
    changes: pd.DataFrame | None = None,
    previous_period: str | None = None,
    submission_changes: pd.DataFrame | None = None,
) -> None:
    """Summary of the plan: one row per year with headcount, the amount recomputed and the
    amount the document prints, the five-year total (recomputed, and as section VII
    prints it), native charts (amount per year; headcount per level), the
    reconciliation with the document, and what changed in the registrations since the
    previous period. Each recomputed amount that differs from the document carries a
    footnote mark; the note under the table gives the printed figure and the reason."""
    totals = reconciliation[reconciliation["check"].isin(["amount_total", "five_year_total"]) & ~reconciliation["agrees"]]
    totals = totals.sort_values("year", na_position="last", kind="stable")  # the years, then the five-year total
    five_year = reconciliation[reconciliation["check"] == "five_year_total"]
    marks, footnotes = {}, []
    for number, record in enumerate(totals.itertuples(index=False), start=1):
        marks[None if pd.isna(record.year) else int(record.year)] = f"({number})"
        footnotes.append(f"({number}) {record.source}: tài liệu in {number_text(record.printed)}. {record.explanation}.")
    with open_workbook(path) as (workbook, styles):
        sheet = workbook.add_worksheet("Tổng hợp")
        widths = [12, 14, 20, 20, 40]
        last = len(widths) - 1
        write_headings(sheet, [title], "", last, styles)
        sheet.merge_range(2, 0, 2, last, "Đơn vị tính: triệu đồng", styles["unit_note"])
        header_row = 3
        sheet.write_row(header_row, 0, ["Năm", "Số lượt người", "Kinh phí tính lại", "Kinh phí in trong tài liệu", "Ghi chú"], styles["header"])
        sheet.set_row(header_row, 34)
        first = header_row + 1
        for offset, record in enumerate(yearly.itertuples(index=False)):
            row = first + offset
            amount = float(record.amount_million)
            sheet.write_number(row, 0, int(record.year), styles["centre"])
            sheet.write_number(row, 1, int(record.headcount), styles["count"])
            sheet.write_number(row, 2, amount, styles.number("money", decimals_of(amount), marks.get(int(record.year), "")))
            _write_amount_or_blank(sheet, row, 3, record.printed_million, styles, "money")
            sheet.write_string(row, 4, str(record.note), styles["note_text"])
        total = first + len(yearly)
        amount = float(yearly["amount_million"].sum())
        sheet.write_string(total, 0, "Tổng 5 năm", styles["total_label"])
        for column, value, style in [
            (1, int(yearly["headcount"].sum()), styles["total_count"]),
            (2, amount, styles.number("total_money", decimals_of(amount), marks.get(None, ""))),
        ]:
            top, bottom = xl_rowcol_to_cell(first, column), xl_rowcol_to_cell(total - 1, column)
            sheet.write_formula(total, column, f"=SUM({top}:{bottom})", style, value)
        _write_amount_or_blank(sheet, total, 3, five_year["printed"].iloc[0] if len(five_year) else None, styles, "total_money")
        sheet.write_string(total, 4, five_year["source"].iloc[0] if len(five_year) else "", styles["note_text"])
        row = total + 1
        explained = "Số lượt người: một người học nhiều nội dung, hoặc một khóa đào tạo nâng chuẩn kéo dài nhiều năm, được tính nhiều lượt."
        sheet.merge_range(row, 0, row, last, explained, styles["footnote"])
        sheet.set_row(row, _LINE_HEIGHT * line_count(explained, sum(widths)))
        row = _write_notes(sheet, row + 1, last, footnotes, sum(widths), styles)
        for column, width in enumerate(widths):
            sheet.set_column(column, column, width)
        chart = workbook.add_chart({"type": "column"})
        chart.add_series({
            "name": "Kinh phí (triệu đồng)",
            "categories": ["Tổng hợp", first, 0, total - 1, 0],
            "values": ["Tổng hợp", first, 2, total - 1, 2],
            "data_labels": {"value": True, "num_format": COUNT_FORMAT, "font": CHART_FONT},
        })
        _chart_style(chart, "Kinh phí theo năm (triệu đồng)")
        chart.set_legend({"none": True})
        sheet.insert_chart(row + 1, 0, chart, {"x_scale": 1.4, "y_scale": 1.1})
        print_setup(sheet, None)
        sheet.fit_to_pages(1, 1)  # the table and its chart on one page, never a chart cut in two

        levels_sheet = workbook.add_worksheet("Theo cấp học")
        levels = list(level_headers)
        write_headings(levels_sheet, ["SỐ LƯỢT NGƯỜI THEO CẤP HỌC VÀ NĂM"], "", len(levels) + 1, styles)
        levels_sheet.write_row(3, 0, ["Năm", *level_headers.values(), "Cộng"], styles["header"])
        for offset, (year, counts) in enumerate(per_level.iterrows()):
            row = 4 + offset
            levels_sheet.write_number(row, 0, int(year), styles["centre"])
            _write_counts(levels_sheet, row, 1, [counts.get(level, 0) for level in levels], styles)
            left, right = xl_rowcol_to_cell(row, 1), xl_rowcol_to_cell(row, len(levels))
            levels_sheet.write_formula(row, len(levels) + 1, f"=SUM({left}:{right})", styles["total_count"], int(sum(counts.get(level, 0) for level in levels)))
        last_row = 3 + len(per_level)
        level_chart = workbook.add_chart({"type": "column", "subtype": "stacked"})
        for column in range(1, len(levels) + 1):
            level_chart.add_series({
                "name": ["Theo cấp học", 3, column],
                "categories": ["Theo cấp học", 4, 0, last_row, 0],
                "values": ["Theo cấp học", 4, column, last_row, column],
            })
        _chart_style(level_chart, "Số lượt người theo cấp học")
        level_chart.set_legend({"font": CHART_FONT})
        levels_sheet.insert_chart(last_row + 2, 0, level_chart, {"x_scale": 1.4, "y_scale": 1.1})
        levels_sheet.set_column(0, len(levels) + 1, 11)
        print_setup(levels_sheet, None)
        levels_sheet.fit_to_pages(1, 1)

        order = np.select([~reconciliation["agrees"] & (reconciliation["check"] != "wording"), reconciliation["check"] == "wording"], [0, 1], 2)
        status = np.select([reconciliation["check"] == "wording", reconciliation["agrees"]], ["Lỗi in, giữ nguyên", "Khớp"], "LỆCH")
        table = reconciliation.assign(status=status, order=order).sort_values("order", kind="stable")
        table = table.rename(columns=RECONCILIATION_HEADERS)[list(RECONCILIATION_HEADERS.values())]
        write_list(
            workbook.add_worksheet("Đối chiếu"), table, [6, 16, 40, 12, 12, 12, 12, 50], styles,
            formats={RECONCILIATION_HEADERS["printed"]: "amount", RECONCILIATION_HEADERS["computed"]: "amount", RECONCILIATION_HEADERS["difference"]: "signed"},
        )

        changes_sheet = workbook.add_worksheet("Thay đổi")
        if changes is None:
            changes_sheet.write_string(0, 0, "Chưa có kỳ trước để so sánh: đây là lần chạy đầu tiên.", styles["plain_nowrap"])
            changes_sheet.set_column(0, 0, 80)
            print_setup(changes_sheet, None)
        else:
            table = changes.rename(columns=CHANGE_HEADERS)[list(CHANGE_HEADERS.values())]
            write_list(changes_sheet, table, [7, 24, 12, 9, 14, 14, 12], styles, formats={CHANGE_HEADERS["previous"]: "count", CHANGE_HEADERS["current"]: "count"})
            changes_sheet.set_header(f'&L&"Times New Roman,Regular"&11So với kỳ {previous_period}')

        answered = workbook.add_worksheet("Thay đổi nộp")  # the campaign: who answered, who was fixed, since then
        if submission_changes is None or submission_changes.empty:
            text = "Chưa có kỳ trước để so sánh." if submission_changes is None else "Không đơn vị nào thay đổi tình hình nộp so với kỳ trước."
            answered.write_string(0, 0, text, styles["plain_nowrap"])
            answered.set_column(0, 0, 80)
            print_setup(answered, None)
        else:
            table = submission_changes.rename(columns=SUBMISSION_CHANGE_HEADERS)[list(SUBMISSION_CHANGE_HEADERS.values())]
            write_list(answered, table, [7, 30, 44], styles)
            answered.set_header(f'&L&"Times New Roman,Regular"&11So với kỳ {previous_period}')


def write_headings(sheet, headings: Sequence[str], attachment: str, last_column: int, styles) -> None:
    for row, text in enumerate(headings):
        sheet.merge_range(row, 0, row, last_column, text, styles["heading"])
    if isinstance(attachment, str) and attachment:
        sheet.merge_range(len(headings), 0, len(headings), last_column, attachment, styles["attachment"])


def _chart_style(chart, title: str) -> None:
    """Times New Roman everywhere in a chart, and the house number format on its value axis."""
    chart.set_title({"name": title, "name_font": CHART_FONT | {"size": 13, "bold": True}})
    chart.set_x_axis({"num_font": CHART_FONT})
    chart.set_y_axis({"num_format": COUNT_FORMAT, "num_font": CHART_FONT})


def _write_amount_or_blank(sheet, row: int, column: int, value, styles, name: str) -> None:
    if value is None or pd.isna(value):
        sheet.write_blank(row, column, None, styles[name])
    else:
        sheet.write_number(row, column, float(value), styles.number(name, decimals_of(float(value))))


def _write_line_start(sheet, row: int, number: str, label: str, is_group: bool, styles) -> None:
    sheet.write_string(row, 0, number, styles["centre"])
    sheet.write_string(row, 1, label, styles["group" if is_group else "text"])


def _write_counts(sheet, row: int, first_column: int, counts, styles, marks: Sequence[str] | None = None, zeros: bool = True) -> None:
    for offset, value in enumerate(counts):
        mark = marks[offset] if marks else ""
        style = styles.number("count", mark=mark) if mark else styles["count" if zeros else "count_blank_zero"]
        if value is None or pd.isna(value):
            sheet.write_blank(row, first_column + offset, None, style)
        else:
            sheet.write_number(row, first_column + offset, int(value), style)


def _write_cost_sheet(sheet, spec: CostSheet, styles) -> None:
    lines, headings = spec.lines, spec.headings
    marks, footnotes = _marks(spec.notes, lines)
    levels = plan_levels(lines)
    price_column, amount_column, note_column = 2 + len(levels), 3 + len(levels), 4 + len(levels)
    level_widths = [10.5 if any(key[1] == level for key in marks) else 8 for level in levels]
    widths = [5, 44, *level_widths, 9, 14, 25]
    write_headings(sheet, headings, spec.attachment, note_column, styles)
    sheet.merge_range(len(headings) + 1, price_column, len(headings) + 1, note_column, "Đơn vị tính: triệu đồng", styles["unit_note"])
    header_row = len(headings) + 2
    sheet.write_row(header_row, 0, ["TT", _text_or(spec.topic_header, "Nội dung đào tạo, bồi dưỡng"), *(spec.level_headers.get(level, level) for level in levels), "Đơn giá/người", "Thành tiền", "Ghi chú"], styles["header"])
    sheet.set_row(header_row, 34)
    first = header_row + 1
    for offset, line in enumerate(lines.itertuples(index=False)):
        row = first + offset
        _write_line_start(sheet, row, line.number, line.label, line.is_group, styles)
        _write_counts(sheet, row, 2, [getattr(line, level) for level in levels], styles, [marks.get((line.topic, level), "") for level in levels], spec.zeros)
        if line.is_group or pd.isna(line.unit_price_million):
            sheet.write_blank(row, price_column, None, styles["price"])
            sheet.write_blank(row, amount_column, None, styles["money"])
        else:
            price = float(line.unit_price_million)
            if pd.notna(line.price_per_credit_million):
                # Price per credit × credits taught, kept visible so it can be changed.
                formula = f"={_plain(line.price_per_credit_million)}*{int(line.credits_taught)}"
                sheet.write_formula(row, price_column, formula, styles.number("price", decimals_of(price)), price)
            else:
                sheet.write_number(row, price_column, price, styles.number("price", decimals_of(price)))
            left, right = xl_rowcol_to_cell(row, 2), xl_rowcol_to_cell(row, 1 + len(levels))
            price_cell = xl_rowcol_to_cell(row, price_column)
            amount = float(line.amount_million)
            style = styles.number("money", decimals_of(amount), marks.get((line.topic, None), ""))
            sheet.write_formula(row, amount_column, f"=SUM({left}:{right})*{price_cell}", style, amount)
        sheet.write_string(row, note_column, str(line.note), styles["note_text"])
        fit_row(sheet, row, [line.label, str(line.note)], [widths[1], widths[-1] - 2])
    total = first + len(lines)
    sheet.merge_range(total, 0, total, 1, _text_or(spec.total_label, "Tổng số"), styles["total_label"])
    for column in [*range(2, 2 + len(levels)), amount_column]:
        top, bottom = xl_rowcol_to_cell(first, column), xl_rowcol_to_cell(total - 1, column)
        if column == amount_column:
            value = float(lines["amount_million"].sum())
            style = styles.number("total_money", decimals_of(value), marks.get((None, None), ""))
        else:
            value = int(lines[levels[column - 2]].fillna(0).sum())
            mark = marks.get((None, levels[column - 2]), "")
            style = styles.number("total_count", mark=mark) if mark else styles["total_count"]
        sheet.write_formula(total, column, f"=SUM({top}:{bottom})", style, value)
    sheet.write_blank(total, price_column, None, styles["total_label"])
    sheet.write_blank(total, note_column, None, styles["total_label"])
    _write_notes(sheet, total + 2, note_column, [*footnotes, ROUNDING_NOTE], sum(widths), styles)
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width)
    print_setup(sheet, header_row)


def _text_or(value, default: str) -> str:
    return value if isinstance(value, str) and value else default


def _plain(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")


def write_csv_lines(path: Path, columns: Sequence[str], packed: Iterable[bytes]) -> None:
    """A CSV of ``columns`` whose lines were made already (``csv_text.lines``) and packed
    (``csv_text.pack``), piece after piece."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(csv_text.lines([[column] for column in columns]))
        handle.writelines(csv_text.unpack(packed))
