"""Ingest: find the tables in the units' spreadsheets and read every number cell.

Grain of the output: one row per number cell of a table (``schemas.RawCell``),
with the labels exactly as typed. Ingest finds, normalises and casts; it does
not decide whether a label is a known unit or topic (that is ``validate``).

Two shapes are read the same way: a compiled table with a row per unit (the
2024 appendices) and one unit's file with a row per topic and a column per
level. A table's header is the first row with a unit or topic column header
("Quận/huyện", "Đơn vị", "Nội dung"...); a second header row below it
("MN TH THCS..." under a merged "Số lượng dự kiến") is folded into the labels.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import python_calamine

import schemas
from pipeline.text import cell_address, text_key

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
_HEADER_SEARCH_ROWS = 40
_YEAR_IN_TITLE = re.compile(r"năm\s+(\d{4})(?!\d)")
_YEAR_IN_NAME = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
_UNIT_LINE = re.compile(r"^\s*(?:tên\s+)?đơn\s+vị(?!\s+tính)(?:\s+báo\s+cáo)?\s*[:\-–]\s*(.+?)\s*$", re.IGNORECASE)
_NUMBERING_CELL = re.compile(r"^\(?\d{1,2}\)?$")


class ReferenceDataError(Exception):
    """The reference data cannot be used; the run cannot proceed."""


@dataclass(frozen=True)
class Reference:
    """All reference data, each table checked against its schema."""

    levels: pd.DataFrame
    topics: pd.DataFrame
    aliases: pd.DataFrame
    units: pd.DataFrame
    appendices: pd.DataFrame
    appendix_columns: pd.DataFrame
    plan: pd.DataFrame
    plan_appendices: pd.DataFrame
    plan_printed: pd.DataFrame


@dataclass(frozen=True)
class _Grid:
    sheet: str
    rows: list[list[object]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]]


_REFERENCE_FILES = {
    "levels": ("levels.csv", schemas.Level),
    "topics": ("topics.csv", schemas.Topic),
    "aliases": ("aliases.csv", schemas.Alias),
    "units": ("units.csv", schemas.Unit),
    "appendices": ("appendices.csv", schemas.AppendixSpec),
    "appendix_columns": ("appendix_columns.csv", schemas.AppendixColumn),
    "plan": ("plan.csv", schemas.PlanRow),
    "plan_appendices": ("plan_appendices.csv", schemas.PlanAppendix),
    "plan_printed": ("plan_printed.csv", schemas.PrintedFigure),
}


def read_reference(folder: Path) -> Reference:
    """Read and check every reference table under ``folder``.

    Raises:
        ReferenceDataError: a file is missing, unreadable or breaks its schema.
    """
    tables = {}
    for name, (filename, model) in _REFERENCE_FILES.items():
        path = folder / filename
        try:
            frame = pd.read_csv(path, keep_default_na=False, na_values=[""], encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError, pd.errors.ParserError) as error:
            raise ReferenceDataError(f"Không đọc được tệp dữ liệu tham chiếu {path}: {error}") from error
        try:
            tables[name] = model.validate(frame, lazy=True)
        except pa.errors.SchemaErrors as error:
            cases = error.failure_cases[["column", "check", "failure_case", "index"]]
            raise ReferenceDataError(
                f"Tệp dữ liệu tham chiếu {path} không hợp lệ:\n{cases.to_string(index=False)}"
            ) from error
    return Reference(**tables)


def list_input_files(folder: Path) -> list[Path]:
    """Every file under ``folder``, in a stable order (hidden and lock files left out)."""
    if not folder.exists():
        return []
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file() and not path.name.startswith((".", "~$"))
    )


def read_registrations(
    folder: Path, reference: Reference
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Read every spreadsheet under ``folder``.

    Returns:
        cells: one row per number cell (``schemas.RawCell``);
        files: one row per input file: ``file``, ``sheets`` (tables found);
        issues: problems found while reading (``schemas.Issue``).
    """
    vocabulary = _header_vocabulary(reference.aliases)
    cell_frames, file_rows, issue_rows = [], [], []
    for path in list_input_files(folder):
        name = path.relative_to(folder).as_posix()
        cells, sheets, problems = _read_file(path, name, vocabulary)
        cell_frames.extend(cells)
        file_rows.append({"file": name, "sheets": ", ".join(sheets)})
        issue_rows.extend(problems)
    cells = pd.concat(cell_frames, ignore_index=True) if cell_frames else _empty_cells()
    files = pd.DataFrame(file_rows, columns=["file", "sheets"])
    issues = pd.DataFrame(issue_rows, columns=list(schemas.Issue.to_schema().columns))
    return schemas.RawCell.validate(cells), files, issues


# ---------------------------------------------------------------- files and sheets


def _read_file(path: Path, name: str, vocabulary: dict[str, str]):
    if path.suffix.lower() not in SPREADSHEET_SUFFIXES:
        return [], [], [_problem(name, "", "", path.suffix, "Tệp không phải bảng tính", "Gửi tệp .xlsx, .xls, .ods hoặc .csv")]
    try:
        grids = _read_grids(path)
    except Exception as error:  # noqa: BLE001 - any reader failure means an unreadable file
        return [], [], [_problem(name, "", "", "", f"Không đọc được tệp ({type(error).__name__})", "Mở tệp bằng Excel, kiểm tra và lưu lại dạng .xlsx")]
    cells, sheets, problems = [], [], []
    for grid in grids:
        table = _read_table(grid, name, path.stem, vocabulary)
        if table is None:
            if any(str(value).strip() for row in grid.rows for value in row):
                problems.append(_problem(name, grid.sheet, "", "", "Trang tính không có bảng số liệu, đã bỏ qua", "Không cần sửa nếu trang này không chứa số liệu đăng ký", "cảnh báo"))
            continue
        cells.append(table)
        sheets.append(grid.sheet)
    if not sheets:
        problems.append(_problem(name, "", "", "", "Không tìm thấy bảng số liệu (dòng tiêu đề có cột \"Quận/huyện\", \"Đơn vị\" hoặc \"Nội dung\")", "Dùng mẫu biểu của Sở, giữ nguyên dòng tiêu đề của bảng"))
    return cells, sheets, problems


def _read_grids(path: Path) -> list[_Grid]:
    if path.suffix.lower() == ".csv":
        return [_read_csv(path)]
    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    grids = []
    for metadata in workbook.sheets_metadata:
        if metadata.typ != python_calamine.SheetTypeEnum.WorkSheet:
            continue
        sheet = workbook.get_sheet_by_name(metadata.name)
        grids.append(_Grid(metadata.name, sheet.to_python(skip_empty_area=False), sheet.merged_cell_ranges or []))
    workbook.close()
    return grids


def _read_csv(path: Path) -> _Grid:
    text = path.read_bytes().decode("utf-8-sig")
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    return _Grid(path.stem, rows, [])


# ---------------------------------------------------------------- tables


def _header_vocabulary(aliases: pd.DataFrame) -> dict[str, str]:
    headers = aliases[aliases["kind"] == "header"]
    return {text_key(alias): role for alias, role in zip(headers["alias"], headers["code"])}


def _read_table(grid: _Grid, file_name: str, file_stem: str, vocabulary: dict[str, str]) -> pd.DataFrame | None:
    rows = [[_clean(value) for value in row] for row in grid.rows]
    header_row, roles = _find_header(rows, vocabulary)
    if header_row is None:
        return None
    labels, first_data_row = _column_labels(rows, header_row, roles, grid.merged)
    title_lines = [" ".join(str(v) for v in row if isinstance(v, str)) for row in rows[:header_row]]
    title_lines = [line for line in title_lines if line]
    title = " | ".join(title_lines)
    year = _find_year(title_lines, grid.sheet, file_stem)
    title_unit = _find_unit_line(title_lines)

    unit_column = roles.get("unit")
    topic_column = roles.get("topic")
    label_columns = [c for c in (roles.get("stt"), unit_column, topic_column, roles.get("code")) if c is not None]
    count_columns = [
        column
        for column, label in labels.items()
        if column not in roles.values() and _role(label, vocabulary) is None
    ]
    records = []
    seen_total = False
    for index in range(first_data_row, len(rows)):
        row = rows[index]
        values = {column: _at(row, column) for column in count_columns}
        has_numbers = any(value is not None for value in values.values())
        label_texts = [str(_at(row, c)) for c in label_columns if _at(row, c) is not None]
        if not label_texts and not has_numbers:
            continue
        is_total = any(_role(text, vocabulary) == "total" for text in label_texts)
        if seen_total and not has_numbers:
            break  # the footer below the table (signatures, notes)
        if _is_numbering_row(row) and index == first_data_row:
            continue
        seen_total = seen_total or is_total
        unit_label = _at(row, unit_column) if unit_column is not None else title_unit
        unit_cell = cell_address(index, unit_column) if unit_column is not None else None
        topic_cell = cell_address(index, topic_column) if topic_column is not None else None
        for column in count_columns:
            if labels[column] is None and values[column] is None:
                continue
            column_label = labels[column] or "(cột không có tiêu đề)"
            records.append(
                {
                    "source_file": file_name,
                    "source_sheet": grid.sheet,
                    "source_cell": cell_address(index, column),
                    "row_number": index + 1,
                    "column_key": f"{grid.sheet}!{column}",
                    "year": year,
                    "unit_label": _text(unit_label),
                    "unit_cell": unit_cell,
                    "topic_label": column_label if topic_column is None else _text(_at(row, topic_column)),
                    "topic_cell": cell_address(header_row, column) if topic_column is None else topic_cell,
                    "topic_in_column": topic_column is None,
                    "level_label": column_label,
                    "header_cell": cell_address(header_row, column),
                    "title": title,
                    "value": values[column],
                    "is_total": is_total,
                }
            )
    frame = pd.DataFrame.from_records(records, columns=list(schemas.RawCell.to_schema().columns))
    return frame.astype({"year": "Int64", "value": object, "is_total": bool, "topic_in_column": bool})


def _find_header(rows: list[list[object]], vocabulary: dict[str, str]):
    for index, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        roles: dict[str, int] = {}
        for column, value in enumerate(row):
            role = _role(value, vocabulary)
            if role in ("stt", "unit", "topic", "code", "note") and role not in roles:
                roles[role] = column
        if "unit" in roles or "topic" in roles:
            return index, roles
    return None, {}


def _column_labels(rows, header_row, roles, merged):
    """Label of every column right of the row labels; a second header row is folded in."""
    header = _expand_merged(rows, header_row, merged)
    width = max(len(row) for row in rows[header_row : header_row + 2])
    label_columns = set(roles.values())
    first_data_row = header_row + 1
    sub = None
    if header_row + 1 < len(rows):
        typed = rows[header_row + 1]  # as typed: a label column merged down from the header is empty here
        texts = [v for c, v in enumerate(typed) if v is not None and c not in label_columns]
        row_labels = [_at(typed, c) for c in label_columns]
        if texts and all(isinstance(v, str) and not _looks_numeric(v) for v in texts) and all(v is None for v in row_labels):
            sub = _expand_merged(rows, header_row + 1, merged)
            first_data_row = header_row + 2
    labels: dict[int, str | None] = {}
    parent_carry = None
    for column in range(width):
        if column in label_columns:
            parent_carry = None
            continue
        parent = _at(header, column)
        child = _at(sub, column) if sub is not None else None
        if parent is None and child is not None and parent_carry is not None:
            parent = parent_carry  # an unmerged "Số lượng dự kiến" spanning level columns
        parent_carry = parent if child is not None else None
        parts = [str(p) for p in (parent, child) if p is not None]
        labels[column] = " ".join(parts) if parts else None
    return labels, first_data_row


def _expand_merged(rows, row_index, merged):
    row = list(rows[row_index]) if row_index < len(rows) else []
    for (top, left), (bottom, right) in merged:
        if top <= row_index <= bottom:
            value = _at(rows[top], left) if top < len(rows) else None
            while len(row) <= right:
                row.append(None)
            for column in range(left, right + 1):
                row[column] = value
    return row


def _find_year(title_lines: list[str], sheet: str, file_stem: str) -> int | None:
    ordered = [line for line in title_lines if not line.lstrip().startswith("(")]
    ordered += [line for line in title_lines if line.lstrip().startswith("(")]
    for line in ordered:
        match = _YEAR_IN_TITLE.search(unicodedata.normalize("NFC", line).casefold())
        if match:
            return int(match.group(1))
    for name in (sheet, file_stem):
        match = _YEAR_IN_NAME.search(name)
        if match:
            return int(match.group(1))
    return None


def _find_unit_line(title_lines: list[str]) -> str | None:
    for line in title_lines:
        match = _UNIT_LINE.match(unicodedata.normalize("NFC", line))
        if match:
            return match.group(1)
    return None


# ---------------------------------------------------------------- cells


def _clean(value: object) -> object:
    """Empty strings and whitespace become None, text is stripped, whole floats become ints."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float) and value.is_integer():
        return int(value)  # the readers give every number as a float
    return value


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _at(row, column):
    if row is None or column is None or column >= len(row):
        return None
    return row[column]


def _role(value: object, vocabulary: dict[str, str]) -> str | None:
    if not isinstance(value, str):
        return None
    return vocabulary.get(text_key(value))


def _looks_numeric(text: str) -> bool:
    return bool(re.fullmatch(r"[-+]?[\d.,\s]+", text))


def _is_numbering_row(row) -> bool:
    """A row "(1) (2) (3)..." or "1 2 3..." that numbers the columns under a header."""
    values = [v for v in row if v is not None]
    numbers = []
    for value in values:
        text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
        if not _NUMBERING_CELL.match(text):
            return False
        numbers.append(int(text.strip("()")))
    return len(numbers) >= 3 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _problem(file, sheet, cell, value, problem, fix, severity="lỗi") -> dict:
    return {"file": file, "sheet": sheet, "cell": cell, "value": str(value), "problem": problem, "fix": fix, "severity": severity}


def _empty_cells() -> pd.DataFrame:
    frame = pd.DataFrame({column: [] for column in schemas.RawCell.to_schema().columns})
    return frame.astype({"year": "Int64", "value": object, "is_total": bool, "topic_in_column": bool, "row_number": int})
