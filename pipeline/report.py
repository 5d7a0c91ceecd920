"""Report: write the workbooks and CSV exports. Formatting lives here and only here.

Workbooks look like the official appendices: Times New Roman, bold centred
merged titles, a bordered table, whole numbers, A4 landscape fitted to the page
width, header rows repeated on every printed page. Totals are live ``SUM``
formulas whose cached values are the pipeline's own totals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from pipeline.aggregate import AppendixTable

FONT = {"font_name": "Times New Roman", "font_size": 12}
# Formatting is data: every cell style used in the workbooks, defined once.
STYLES = {
    "heading": {"bold": True, "font_size": 13, "align": "center", "valign": "vcenter", "text_wrap": True},
    "attachment": {"italic": True, "align": "center", "valign": "vcenter", "text_wrap": True},
    "header": {"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True, "border": 1},
    "text": {"valign": "vcenter", "text_wrap": True, "border": 1},
    "centre": {"align": "center", "valign": "vcenter", "border": 1},
    "count": {"num_format": "#,##0;-#,##0;\"\"", "align": "center", "valign": "vcenter", "border": 1},
    "total_label": {"bold": True, "align": "center", "valign": "vcenter", "border": 1},
    "total_count": {"bold": True, "num_format": "#,##0", "align": "center", "valign": "vcenter", "border": 1},
    "plain": {"valign": "top", "text_wrap": True},
    "column_header": {"bold": True, "text_wrap": True, "valign": "vcenter", "border": 1, "bg_color": "#D9E1F2"},
}
# A fixed creation date keeps the workbooks byte-identical from run to run.
_FIXED_CREATED = dt.datetime(2000, 1, 1)
_A4 = 9


def write_appendices(path: Path, tables: Sequence[AppendixTable]) -> None:
    """Write one sheet per appendix ("PL1", "PL2"...) to a new workbook at ``path``."""
    with _workbook(path) as (workbook, styles):
        for table in tables:
            _write_appendix(workbook.add_worksheet(f"PL{table.number}"), table, styles)


def write_issue_report(path: Path, issues: pd.DataFrame, files: pd.DataFrame) -> None:
    """The validation report: one row per problem, then one row per input file."""
    problems = issues.rename(columns=ISSUE_HEADERS)[list(ISSUE_HEADERS.values())]
    file_rows = files.rename(columns=FILE_HEADERS)[list(FILE_HEADERS.values())]
    with _workbook(path) as (workbook, styles):
        _write_list(workbook.add_worksheet("Vấn đề"), problems, [28, 14, 8, 24, 60, 50, 10], styles)
        _write_list(workbook.add_worksheet("Tệp"), file_rows, [40, 24, 14, 10, 12], styles)


def write_csv(path: Path, frame: pd.DataFrame) -> None:
    """UTF-8 CSV with a stable row order as given."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


ISSUE_HEADERS = {
    "file": "Tệp",
    "sheet": "Trang tính",
    "cell": "Ô",
    "value": "Giá trị",
    "problem": "Vấn đề",
    "fix": "Cách sửa",
    "severity": "Mức độ",
}
FILE_HEADERS = {
    "file": "Tệp",
    "sheets": "Trang tính có số liệu",
    "status": "Kết quả",
    "rows": "Số dòng",
    "headcount": "Tổng số người",
}


# ---------------------------------------------------------------- helpers


class _workbook:
    """Context manager: a workbook with the house font, fixed properties and styles."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.workbook = xlsxwriter.Workbook(
            str(path), {"default_format_properties": dict(FONT), "strings_to_formulas": False}
        )
        self.workbook.set_properties({"created": _FIXED_CREATED, "author": "Sở GDĐT Hải Phòng"})

    def __enter__(self):
        styles = {name: self.workbook.add_format(FONT | style) for name, style in STYLES.items()}
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
            sheet.write_number(row, column, int(value), styles["count"])
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
    _print_setup(sheet, header_row)


def _widen(widths: list[float], headings: Sequence[str], first_stretched: int) -> list[float]:
    """Stretch the columns from ``first_stretched`` on until the longest heading fits on one line."""
    needed = max(len(text) for text in headings) * 1.35
    missing = needed - sum(widths)
    if missing <= 0:
        return widths
    share = missing / (len(widths) - first_stretched)
    return widths[:first_stretched] + [width + share for width in widths[first_stretched:]]


def _write_list(sheet, frame: pd.DataFrame, widths: list[int], styles) -> None:
    """A plain list: bold header, frozen, filterable, values always written as text or numbers."""
    sheet.write_row(0, 0, list(frame.columns), styles["column_header"])
    for row, record in enumerate(frame.itertuples(index=False), start=1):
        # Spreadsheet programs do not grow rows for wrapped text on opening; size them here.
        lines = max(len(str(value)) // max(int(width * 1.1), 1) + 1 for value, width in zip(record, widths))
        sheet.set_row(row, 16 * lines)
        for column, value in enumerate(record):
            if isinstance(value, (int, float)) and not isinstance(value, bool) and not pd.isna(value):
                sheet.write_number(row, column, value, styles["plain"])
            else:
                # write_string: text such as "=SUM(...)" from an input stays text, never a formula.
                sheet.write_string(row, column, "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value), styles["plain"])
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(frame), 1), len(frame.columns) - 1)
    _print_setup(sheet, 0)


def _print_setup(sheet, header_row: int) -> None:
    sheet.set_landscape()
    sheet.set_paper(_A4)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(header_row)
    sheet.center_horizontally()
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
