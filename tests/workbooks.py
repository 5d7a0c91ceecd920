"""Writers of input spreadsheets laid out the way units send them (test helpers)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font

from plan_2024 import APPENDICES, ATTACHMENT

LEVELS = ["MN", "TH", "THCS", "THPT", "GDTX", "GDNN"]


def write_compiled_appendix(path: Path, number: int, appendix: dict | None = None, total_as_formula: bool = False) -> Path:
    """A compiled table like the 2024 appendix ``number``: title block, header on row 7, a row per unit, "Tổng số:"."""
    appendix = appendix or APPENDICES[number]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = f"PL{number}"
    width = 3 + len(appendix["headers"])
    lines = [f"PHỤ LỤC {number}", *appendix["title"], *ATTACHMENT]
    for row, line in enumerate(lines, start=1):
        sheet.cell(row, 1, line).font = Font(bold=row <= 3)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    header_row = len(lines) + 2
    for column, text in enumerate(["STT", appendix["unit_header"], *appendix["headers"], "Ghi chú"], start=1):
        cell = sheet.cell(header_row, column, text)
        cell.alignment = Alignment(wrap_text=True)
    for offset, (unit, *counts) in enumerate(appendix["rows"], start=1):
        row = header_row + offset
        sheet.cell(row, 1, offset)
        sheet.cell(row, 2, unit)
        for column, count in enumerate(counts, start=3):
            if count is not None:
                sheet.cell(row, column, count)
    total_row = header_row + len(appendix["rows"]) + 1
    sheet.cell(total_row, 1, "Tổng số:")
    sheet.merge_cells(start_row=total_row, start_column=1, end_row=total_row, end_column=2)
    for column, total in enumerate(appendix["totals"], start=3):
        letter = openpyxl.utils.get_column_letter(column)
        sheet.cell(total_row, column, f"=SUM({letter}{header_row + 1}:{letter}{total_row - 1})" if total_as_formula else total)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def write_unit_file(
    path: Path,
    unit: str,
    year: int,
    rows: list[tuple[str, dict[str, int]]],
    title: str = "ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG CBQL, GV",
    levels: list[str] = LEVELS,
) -> Path:
    """One unit's file: title block naming unit and year, a row per topic, a column per level,
    "Số lượng dự kiến" merged over the level columns (two-row header), and a "Tổng số" row."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Đăng ký"
    sheet["A1"] = f"{title} NĂM {year}"
    sheet["A2"] = f"Đơn vị: {unit}"
    header_row = 4
    sheet.cell(header_row, 1, "TT")
    sheet.cell(header_row, 2, "Nội dung")
    sheet.cell(header_row, 3, "Số lượng dự kiến")
    note_column = 3 + len(levels)
    sheet.merge_cells(start_row=header_row, start_column=3, end_row=header_row, end_column=note_column - 1)
    sheet.cell(header_row, note_column, "Ghi chú")
    for column in (1, 2, note_column):
        sheet.merge_cells(start_row=header_row, start_column=column, end_row=header_row + 1, end_column=column)
    for column, level in enumerate(levels, start=3):
        sheet.cell(header_row + 1, column, level)
    row = header_row + 2
    for number, (topic, counts) in enumerate(rows, start=1):
        sheet.cell(row, 1, number)
        sheet.cell(row, 2, topic)
        for column, level in enumerate(levels, start=3):
            if level in counts:
                sheet.cell(row, column, counts[level])
        row += 1
    sheet.cell(row, 2, "Tổng số")
    for column, level in enumerate(levels, start=3):
        sheet.cell(row, column, sum(counts.get(level, 0) for _, counts in rows))
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path
