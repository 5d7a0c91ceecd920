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


# ---------------------------------------------------------------- files typed the way offices type them


def write_rows(
    path: Path,
    rows: list[list[object]],
    sheet: str = "Sheet1",
    merged: tuple[str, ...] = (),
    hidden_rows: tuple[int, ...] = (),
    more_sheets: dict[str, list[list[object]]] | None = None,
) -> Path:
    """A workbook typed row by row (``None`` is a blank cell); ``merged`` ranges like "A1:F1",
    ``hidden_rows`` one-based; ``more_sheets`` after the first, in order."""
    workbook = openpyxl.Workbook()
    first = workbook.active
    first.title = sheet
    for name, sheet_rows in {sheet: rows, **(more_sheets or {})}.items():
        target = first if name == sheet else workbook.create_sheet(name)
        for row in sheet_rows:
            target.append(list(row))
    for cell_range in merged:
        first.merge_cells(cell_range)
    for row in hidden_rows:
        first.row_dimensions[row].hidden = True
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def write_csv_rows(path: Path, rows: list[list[object]], delimiter: str = ",", bom: bool = False, encoding: str = "utf-8") -> Path:
    """A CSV as Excel saves it: ``bom`` for "CSV UTF-8", ``delimiter`` ";" in Vietnamese locales."""
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows([["" if v is None else v for v in row] for row in rows])
    data = buffer.getvalue().encode(encoding)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def place_as(source: Path, suffix: str, folder: Path) -> None:
    """A workbook typed as .xlsx put into ``folder`` as it is, or saved as ``suffix`` (.xls,
    .ods) by LibreOffice; the test is skipped where LibreOffice is missing."""
    import shutil

    import pytest

    if suffix == ".xlsx":
        shutil.copy(source, folder / source.name)
    elif not shutil.which("soffice"):
        pytest.skip("needs LibreOffice")
    else:
        convert_with_libreoffice([source], suffix, folder)


def convert_with_libreoffice(sources: list[Path], suffix: str, folder: Path) -> list[Path]:
    """Save workbooks as .xls or .ods with LibreOffice, as an office using it would."""
    import subprocess
    import tempfile

    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:  # a private profile: no clash with another soffice
        subprocess.run(
            ["soffice", "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to", suffix.lstrip("."), "--outdir", str(folder), *map(str, sources)],
            check=True, capture_output=True, timeout=300,
        )
    return [folder / f"{source.stem}{suffix}" for source in sources]


def make_macro_workbook(source: Path, target: Path) -> Path:
    """An .xlsm: the workbook of ``source`` with a VBA project part, marked macro-enabled."""
    import zipfile

    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
                data = data.replace(b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
            if item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>')
            copy.writestr(item, data)
        # Not a real VBA project: bytes that would only do harm if something tried to run them.
        copy.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 Sub Auto_Open(): Kill \"C:\\*.*\": End Sub")
    return target


def encrypt_with_password(source: Path, target: Path, password: str = "matkhau") -> Path:
    """The workbook saved with "Protect workbook with password" (ECMA-376 encryption)."""
    import msoffcrypto

    with source.open("rb") as plain, target.open("wb") as encrypted:
        msoffcrypto.OfficeFile(plain).encrypt(password, encrypted)
    return target


def add_zip_member(source: Path, target: Path, name: str, size: int) -> Path:
    """``source`` with one more member of ``size`` zero bytes, deflated to almost nothing (a zip bomb)."""
    import zipfile

    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in original.infolist():
            copy.writestr(item, original.read(item.filename))
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        with copy.open(info, "w", force_zip64=True) as member:
            chunk = bytes(1024 * 1024)
            for _ in range(size // len(chunk)):
                member.write(chunk)
    return target
