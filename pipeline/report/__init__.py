"""Report: write the workbooks and CSV exports. Formatting lives here and only here.

Workbooks look like the official appendices: Times New Roman, bold centred
merged titles, a bordered table, whole numbers, A4 landscape fitted to the page
width, header rows repeated on every printed page. Totals are live ``SUM``
formulas whose cached values are the pipeline's own totals.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
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
    "plain_nowrap": {"italic": True},
    "group": {"bold": True, "valign": "vcenter", "text_wrap": True, "border": 1},
    "unit_note": {"italic": True, "align": "right"},
    "price": {"num_format": "General", "align": "center", "valign": "vcenter", "border": 1},
    "money": {"num_format": "#,##0", "align": "right", "valign": "vcenter", "border": 1},
    "total_money": {"bold": True, "num_format": "#,##0", "align": "right", "valign": "vcenter", "border": 1},
    "column_header": {"bold": True, "text_wrap": True, "valign": "vcenter", "border": 1, "bg_color": "#D9E1F2"},
}
# A fixed creation date keeps the workbooks byte-identical from run to run.
_FIXED_CREATED = dt.datetime(2000, 1, 1)
_A4 = 9
_NUMBER = re.compile(r"^[-+]?[\d.,\s]+$")


def write_appendices(path: Path, tables: Sequence[AppendixTable]) -> None:
    """Write one sheet per appendix ("PL1", "PL2"...) to a new workbook at ``path``."""
    with open_workbook(path) as (workbook, styles):
        for table in tables:
            _write_appendix(workbook.add_worksheet(f"PL{table.number}"), table, styles)


def write_issue_report(path: Path, issues: pd.DataFrame, files: pd.DataFrame) -> None:
    """The validation report: one row per problem, then one row per input file."""
    problems = issues.rename(columns=ISSUE_HEADERS)[list(ISSUE_HEADERS.values())]
    file_rows = files.rename(columns=FILE_HEADERS)[list(FILE_HEADERS.values())]
    with open_workbook(path) as (workbook, styles):
        write_list(workbook.add_worksheet("Vấn đề"), problems, [28, 14, 8, 24, 60, 50, 10], styles)
        write_list(workbook.add_worksheet("Tệp"), file_rows, [40, 24, 14, 10, 12], styles)


def write_manifest(path: Path, manifest: dict, folder: Path) -> None:
    """``manifest.json``: the run's record, with the sha256 of every output in ``folder``."""
    outputs = {
        item.relative_to(folder).as_posix(): hashlib.sha256(item.read_bytes()).hexdigest()
        for item in sorted(folder.rglob("*"))
        if item.is_file() and item != path
    }
    path.write_text(json.dumps(manifest | {"outputs": outputs}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_csv(path: Path, frame: pd.DataFrame) -> None:
    """UTF-8 CSV with a stable row order as given, the same bytes ``DataFrame.to_csv`` writes.

    Text that starts like a formula ("=HYPERLINK(…)", "@cmd") is written with a
    leading apostrophe, so a spreadsheet program opening the CSV shows it as text.
    Each distinct value of a column is formatted once (a table of a million rows
    holds a few thousand), then the lines are joined.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = [_csv_fields(frame[name]) for name in frame.columns]
    if any(column is None for column in columns):  # dates and the like: pandas' own formats
        frame.assign(**{name: _guarded(frame[name]) for name in frame.columns}).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
        return
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(_csv_field(name) for name in frame.columns) + "\n")
        for start in range(0, len(frame), _CSV_CHUNK):  # in pieces: the text of a million lines at once is large
            lines = zip(*(column[start : start + _CSV_CHUNK] for column in columns))
            handle.write("\n".join(map(",".join, lines)) + "\n")


_CSV_CHUNK = 100_000


def _csv_fields(column: pd.Series) -> list[str] | None:
    """Every value of ``column`` as CSV text, as pandas writes it; None for a kind of
    column this does not format (dates...)."""
    kind = column.dtype.kind if isinstance(column.dtype, np.dtype) else None
    text_like = column.dtype == object or pd.api.types.is_string_dtype(column)
    if not (text_like or pd.api.types.is_integer_dtype(column) or pd.api.types.is_bool_dtype(column) or kind == "f"):
        return None
    codes, distinct = pd.factorize(_guarded(column) if text_like else column, use_na_sentinel=True)
    texts = np.array([_csv_field(value) for value in distinct] + [""], dtype=object)  # code -1 (blank) -> ""
    return texts[codes].tolist()


def _csv_field(value: object) -> str:
    if isinstance(value, float):
        return "" if value != value else repr(value)
    text = str(value)
    return '"' + text.replace('"', '""') + '"' if any(mark in text for mark in ',"\n\r') else text


def _guarded(column: pd.Series) -> pd.Series:
    """Text that a spreadsheet would run as a formula, prefixed with an apostrophe."""
    if not (column.dtype == object or pd.api.types.is_string_dtype(column)):
        return column
    # Checked on the distinct values: a column of 100 000 cells holds a few hundred.
    risky = [v for v in pd.unique(column) if isinstance(v, str) and v.startswith(("=", "+", "-", "@")) and not _NUMBER.match(v)]
    return column.replace({value: "'" + value for value in risky}) if risky else column


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


class open_workbook:
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
    print_setup(sheet, header_row)


def _widen(widths: list[float], headings: Sequence[str], first_stretched: int) -> list[float]:
    """Stretch the columns from ``first_stretched`` on until the longest heading fits on one line."""
    needed = max(len(text) for text in headings) * 1.35
    missing = needed - sum(widths)
    if missing <= 0:
        return widths
    share = missing / (len(widths) - first_stretched)
    return widths[:first_stretched] + [width + share for width in widths[first_stretched:]]


def write_list(sheet, frame: pd.DataFrame, widths: list[int], styles) -> None:
    """A plain list: bold header, frozen, filterable, values always written as text or numbers."""
    sheet.write_row(0, 0, list(frame.columns), styles["column_header"])
    fit_row(sheet, 0, list(frame.columns), widths)
    for row, record in enumerate(frame.itertuples(index=False), start=1):
        fit_row(sheet, row, record, widths)
        for column, value in enumerate(record):
            if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
                sheet.write_blank(row, column, None, styles["plain"])
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                sheet.write_number(row, column, value, styles["plain"])
            else:
                # write_string: text such as "=SUM(...)" from an input stays text, never a formula.
                sheet.write_string(row, column, str(value), styles["plain"])
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(frame), 1), len(frame.columns) - 1)
    print_setup(sheet, 0)


def fit_row(sheet, row: int, values, widths) -> None:
    """Spreadsheet programs do not grow rows for wrapped text on opening; size the row here."""
    lines = max(
        (math.ceil(len(str(value)) / max(width * 1.05, 1)) for value, width in zip(values, widths) if isinstance(value, str)),
        default=1,
    )
    sheet.set_row(row, 16 * max(lines, 1))


def print_setup(sheet, header_row: int, first_header_row: int | None = None) -> None:
    sheet.set_landscape()
    sheet.set_paper(_A4)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(header_row if first_header_row is None else first_header_row, header_row)
    sheet.center_horizontally()
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)


# ---------------------------------------------------------------- the five-year plan

LEVEL_NAMES = {"MN": "Mầm non", "TH": "Tiểu học", "THCS": "THCS", "THPT": "THPT", "GDTX": "GDTX", "GDNN": "GDNN"}
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
COMPARISON_HEADERS = {
    "topic": "Mã nội dung",
    "name": "Nội dung",
    "level": "Cấp học",
    "planned": "Kế hoạch (người)",
    "registered": "Đăng ký (người)",
    "percent": "Tỷ lệ so với kế hoạch (%)",
}


def write_plan_tasks(path: Path, lines: pd.DataFrame, appendix: int, title: str, attachment: str) -> None:
    """Appendix 1–5 layout: TT | Nội dung | "Số lượng dự kiến" over the six levels | form | lead | partners."""
    with open_workbook(path) as (workbook, styles):
        sheet = workbook.add_worksheet(f"PL{appendix}")
        levels = list(LEVEL_NAMES)
        last = 2 + len(levels) + 2
        widths = [5, 46, *[7] * len(levels), 22, 11, 34]
        write_headings(sheet, [f"PHỤ LỤC {appendix}", title], attachment, last, styles)
        top = 4
        for column, text in [(0, "TT"), (1, "Nội dung"), (last - 2, "Hình thức thực hiện"), (last - 1, "Đơn vị chủ trì"), (last, "Đơn vị phối hợp")]:
            sheet.merge_range(top, column, top + 1, column, text, styles["header"])
        sheet.merge_range(top, 2, top, 1 + len(levels), "Số lượng dự kiến", styles["header"])
        sheet.write_row(top + 1, 2, levels, styles["header"])
        for offset, line in enumerate(lines.itertuples(index=False)):
            row = top + 2 + offset
            _write_line_start(sheet, row, line, styles)
            _write_counts(sheet, row, 2, [getattr(line, level) for level in levels], styles)
            texts = ["" if pd.isna(text) else str(text) for text in (line.delivery_form, line.lead_unit, line.partner_units)]
            for column, text in zip(range(last - 2, last + 1), texts):
                sheet.write_string(row, column, text, styles["text"])
            fit_row(sheet, row, [line.label, *texts], [widths[1], *widths[-3:]])
        for column, width in enumerate(widths):
            sheet.set_column(column, column, width)
        print_setup(sheet, top + 1, first_header_row=top)


def write_cost_workbook(
    path: Path, sheets: Sequence[tuple[str, list[str], str, pd.DataFrame]], comparison: pd.DataFrame | None = None, coverage: str | None = None
) -> None:
    """Cost appendices (6–10 layout), one sheet per (sheet name, headings, attachment, priced lines).

    Each line's "Thành tiền" is ``=SUM(levels)*price``; the "Tổng số" row sums every
    column. A finance officer can change a price and watch the totals follow.
    With ``comparison``, a sheet of registered against planned headcount follows;
    ``coverage`` says under it how many units the registered figures cover.
    """
    with open_workbook(path) as (workbook, styles):
        for name, headings, attachment, lines in sheets:
            _write_cost_sheet(workbook.add_worksheet(name), headings, attachment, lines, styles)
        if comparison is not None:
            table = comparison.assign(level=comparison["level"], percent=comparison["percent"].round(1))
            sheet = workbook.add_worksheet("So với kế hoạch")
            write_list(sheet, table.rename(columns=COMPARISON_HEADERS)[list(COMPARISON_HEADERS.values())], [12, 60, 9, 15, 15, 18], styles)
            if coverage:
                sheet.write_string(len(table) + 2, 0, f"Số đơn vị: {coverage}", styles["plain_nowrap"])
                sheet.set_header(f"&L{coverage[: coverage.index(' ')]} đơn vị đã nộp")


def write_summary(
    path: Path,
    yearly: pd.DataFrame,
    per_level: pd.DataFrame,
    reconciliation: pd.DataFrame,
    title: str,
    changes: pd.DataFrame | None = None,
    previous_period: str | None = None,
) -> None:
    """Summary of the plan: one row per year with headcount and amount, the five-year total,
    native charts (amount per year; headcount per level), the reconciliation with the
    document, and what changed in the registrations since the previous period."""
    with open_workbook(path) as (workbook, styles):
        sheet = workbook.add_worksheet("Tổng hợp")
        write_headings(sheet, [title], "", 3, styles)
        sheet.merge_range(2, 0, 2, 3, "Đơn vị tính: triệu đồng", styles["unit_note"])
        header_row = 3
        sheet.write_row(header_row, 0, ["Năm", "Số lượt người", "Kinh phí (triệu đồng)", "Ghi chú"], styles["header"])
        first = header_row + 1
        for offset, record in enumerate(yearly.itertuples(index=False)):
            row = first + offset
            sheet.write_number(row, 0, int(record.year), styles["centre"])
            sheet.write_number(row, 1, int(record.headcount), styles["count"])
            sheet.write_number(row, 2, float(record.amount_million), styles["money"])
            sheet.write_string(row, 3, str(record.note), styles["text"])
        total = first + len(yearly)
        sheet.write_string(total, 0, "Tổng 5 năm", styles["total_label"])
        for column, value in [(1, int(yearly["headcount"].sum())), (2, float(yearly["amount_million"].sum()))]:
            top, bottom = xl_rowcol_to_cell(first, column), xl_rowcol_to_cell(total - 1, column)
            sheet.write_formula(total, column, f"=SUM({top}:{bottom})", styles["total_money"] if column == 2 else styles["total_count"], value)
        sheet.write_blank(total, 3, None, styles["total_label"])
        sheet.write_string(total + 1, 0, "Số lượt người: một người học nhiều nội dung, hoặc một khóa đào tạo nâng chuẩn kéo dài nhiều năm, được tính nhiều lượt.", styles["plain_nowrap"])
        for column, width in enumerate([12, 16, 22, 60]):
            sheet.set_column(column, column, width)
        chart = workbook.add_chart({"type": "column"})
        chart.add_series({
            "name": "Kinh phí (triệu đồng)",
            "categories": ["Tổng hợp", first, 0, total - 1, 0],
            "values": ["Tổng hợp", first, 2, total - 1, 2],
            "data_labels": {"value": True, "num_format": "#,##0"},
        })
        chart.set_title({"name": "Kinh phí theo năm (triệu đồng)"})
        chart.set_legend({"none": True})
        chart.set_y_axis({"num_format": "#,##0"})
        sheet.insert_chart(total + 3, 0, chart, {"x_scale": 1.4, "y_scale": 1.1})
        print_setup(sheet, header_row)

        levels_sheet = workbook.add_worksheet("Theo cấp học")
        levels = list(LEVEL_NAMES)
        write_headings(levels_sheet, ["SỐ LƯỢT NGƯỜI THEO CẤP HỌC VÀ NĂM"], "", len(levels) + 1, styles)
        levels_sheet.write_row(3, 0, ["Năm", *[LEVEL_NAMES[l] for l in levels], "Cộng"], styles["header"])
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
        level_chart.set_title({"name": "Số lượt người theo cấp học"})
        level_chart.set_y_axis({"num_format": "#,##0"})
        levels_sheet.insert_chart(last_row + 2, 0, level_chart, {"x_scale": 1.4, "y_scale": 1.1})
        levels_sheet.set_column(0, len(levels) + 1, 11)
        print_setup(levels_sheet, 3)

        table = reconciliation.assign(status=reconciliation["agrees"].map({True: "Khớp", False: "LỆCH"}))
        table = table.sort_values(["agrees"], kind="stable").rename(columns=RECONCILIATION_HEADERS)[list(RECONCILIATION_HEADERS.values())]
        write_list(workbook.add_worksheet("Đối chiếu"), table, [7, 26, 60, 14, 14, 14, 9, 70], styles)

        changes_sheet = workbook.add_worksheet("Thay đổi")
        if changes is None:
            changes_sheet.write_string(0, 0, "Chưa có kỳ trước để so sánh: đây là lần chạy đầu tiên.", styles["plain_nowrap"])
            changes_sheet.set_column(0, 0, 80)
        else:
            table = changes.rename(columns=CHANGE_HEADERS)[list(CHANGE_HEADERS.values())]
            write_list(changes_sheet, table, [7, 24, 12, 9, 14, 14, 12], styles)
            changes_sheet.set_header(f"&LSo với kỳ {previous_period}")


def write_headings(sheet, headings: Sequence[str], attachment: str, last_column: int, styles) -> None:
    for row, text in enumerate(headings):
        sheet.merge_range(row, 0, row, last_column, text, styles["heading"])
    if isinstance(attachment, str) and attachment:
        sheet.merge_range(len(headings), 0, len(headings), last_column, attachment, styles["attachment"])


def _write_line_start(sheet, row: int, line, styles) -> None:
    sheet.write_string(row, 0, line.number, styles["centre"])
    sheet.write_string(row, 1, line.label, styles["group" if line.is_group else "text"])


def _write_counts(sheet, row: int, first_column: int, counts, styles) -> None:
    for column, value in enumerate(counts, start=first_column):
        if value is None or pd.isna(value):
            sheet.write_blank(row, column, None, styles["count"])
        else:
            sheet.write_number(row, column, int(value), styles["count"])


def _write_cost_sheet(sheet, headings: list[str], attachment: str, lines: pd.DataFrame, styles) -> None:
    levels = list(LEVEL_NAMES)
    price_column, amount_column, note_column = 2 + len(levels), 3 + len(levels), 4 + len(levels)
    widths = [5, 46, *[8] * len(levels), 9, 11, 26]
    write_headings(sheet, headings, attachment, note_column, styles)
    sheet.merge_range(len(headings) + 1, price_column, len(headings) + 1, note_column, "Đơn vị tính: triệu đồng", styles["unit_note"])
    header_row = len(headings) + 2
    sheet.write_row(header_row, 0, ["TT", "Nội dung đào tạo, bồi dưỡng", *LEVEL_NAMES.values(), "Đơn giá/người", "Thành tiền", "Ghi chú"], styles["header"])
    sheet.set_row(header_row, 32)
    first = header_row + 1
    for offset, line in enumerate(lines.itertuples(index=False)):
        row = first + offset
        _write_line_start(sheet, row, line, styles)
        _write_counts(sheet, row, 2, [getattr(line, level) for level in levels], styles)
        if line.is_group or pd.isna(line.unit_price_million):
            sheet.write_blank(row, price_column, None, styles["price"])
            sheet.write_blank(row, amount_column, None, styles["money"])
        else:
            if pd.notna(line.price_per_credit_million):
                # Price per credit × credits taught, kept visible so it can be changed.
                formula = f"={_plain(line.price_per_credit_million)}*{int(line.credits_taught)}"
                sheet.write_formula(row, price_column, formula, styles["price"], float(line.unit_price_million))
            else:
                sheet.write_number(row, price_column, float(line.unit_price_million), styles["price"])
            left, right = xl_rowcol_to_cell(row, 2), xl_rowcol_to_cell(row, 1 + len(levels))
            price_cell = xl_rowcol_to_cell(row, price_column)
            sheet.write_formula(row, amount_column, f"=SUM({left}:{right})*{price_cell}", styles["money"], float(line.amount_million))
        sheet.write_string(row, note_column, str(line.note), styles["text"])
        fit_row(sheet, row, [line.label, str(line.note)], [widths[1], widths[-1]])
    total = first + len(lines)
    sheet.merge_range(total, 0, total, 1, "Tổng số", styles["total_label"])
    for column in [*range(2, 2 + len(levels)), amount_column]:
        top, bottom = xl_rowcol_to_cell(first, column), xl_rowcol_to_cell(total - 1, column)
        if column == amount_column:
            value = float(lines["amount_million"].sum())
            style = styles["total_money"]
        else:
            value = int(lines[levels[column - 2]].fillna(0).sum())
            style = styles["total_count"]
        sheet.write_formula(total, column, f"=SUM({top}:{bottom})", style, value)
    sheet.write_blank(total, price_column, None, styles["total_label"])
    sheet.write_blank(total, note_column, None, styles["total_label"])
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width)
    print_setup(sheet, header_row)


def _plain(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")
