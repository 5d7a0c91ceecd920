"""Ingest: read each input file safely and find the tables in it.

- ``reading``: the file to cell grids, with the checks made before and while a
  file is opened (links out of the inputs, size, archive expansion, password,
  content that is no spreadsheet, error cells, hidden rows and sheets);
- ``layout``: each grid's tables: title block, header, which columns are units,
  topics, levels, totals, parts and groups, which rows are data and totals.

Ingest finds, normalises and casts; whether a label is a known unit, topic or
level is for ``validate``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.reference import Vocabulary
from pipeline.text import cell_address
from schemas.rules import RULES
from pipeline.ingest.reading import SPREADSHEET_SUFFIXES, Grid, Limits, Unreadable, read_grids
from pipeline.ingest.layout import Table, find_tables, has_content, numbers_outside_tables
from pipeline.ingest.roster import RosterVocabulary, roster_header

__all__ = ["SPREADSHEET_SUFFIXES", "Limits", "ReadFile", "folder_year", "list_input_files", "read_file"]


@dataclass(frozen=True)
class ReadFile:
    """One input file as read: its tables, the sheets they are in, and what stopped or
    surprised the reader (``schemas.Issue`` records)."""

    file: str
    tables: list[Table] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    delimiters: dict[str, str] = field(default_factory=dict)  # sheet -> a CSV's field separator
    rosters: list[Grid] = field(default_factory=list)  # sheets that list people, one row each (``ingest.roster``)


def list_input_files(folder: Path) -> list[Path]:
    """Every entry under ``folder`` that may be an input, in a stable order: files and links
    (a link is refused by ``read_file`` unless it stays inside the folder; a linked folder
    is not entered). Hidden files, Office lock files ("~$...") and the files Windows
    Explorer leaves in folders ("Thumbs.db", "desktop.ini") are left out."""
    return sorted(input_files(folder))


def folder_year(name: str) -> int | None:
    """The year of the folder a file was put in ("2026/phuong_le_chan.xlsx" -> 2026), None
    for a file in no year's folder. ``name``: the file's path under the inputs folder."""
    match = _YEAR_FOLDER.match(name)
    return int(match.group(1)) if match else None


_YEAR_FOLDER = re.compile(r"^(\d{4})/")


def input_files(folder: Path) -> Iterator[Path]:
    """The entries of ``list_input_files``, as they are found (in no set order)."""
    if not folder.is_dir():
        return
    for top, folders, files in os.walk(folder, followlinks=False):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        links = [name for name in folders if os.path.islink(os.path.join(top, name))]
        yield from (Path(top) / name for name in (*files, *links) if not name.startswith((".", "~$")) and name.lower() not in _SYSTEM_FILES)


# Files Windows writes into any folder opened in Explorer: no one's registrations.
_SYSTEM_FILES = frozenset({"thumbs.db", "ehthumbs.db", "desktop.ini"})


def read_file(path: Path, name: str, inputs_root: Path, vocabulary: Vocabulary, roster_vocabulary: RosterVocabulary | None = None, limits: Limits = Limits()) -> ReadFile:
    """Read one input file: every table of every sheet, or the reason it cannot be read.

    ``name``: the file's path under ``inputs_root``, as the report names it. A sheet
    listing people (a roster: "Họ và tên", "Ngày sinh"...) is kept apart, for
    ``ingest.roster`` to read.
    """
    try:
        grids = read_grids(path, inputs_root, limits)
    except Unreadable as error:
        return ReadFile(name, problems=[RULES["file_readable"].issue(name, "", value=error.value, problem=error.problem, fix=error.fix)])
    stem = Path(name).stem
    tables, sheets, problems, rosters = [], [], [], []
    for grid in grids:
        header = roster_header(grid.rows, roster_vocabulary) if roster_vocabulary is not None else None
        if header is not None:
            rosters.append(grid)
            sheets.append(grid.sheet)
            # A count table above the list ("DANH SÁCH KÈM THEO" under the form) is read too.
            tables += find_tables(replace(grid, rows=grid.rows[:header]), stem, vocabulary.header_roles, vocabulary.folded_header_roles)
            continue
        found = find_tables(grid, stem, vocabulary.header_roles, vocabulary.folded_header_roles)
        if found:
            tables += found
            sheets.append(grid.sheet)
        elif numbers := numbers_outside_tables(grid):
            (row, column), value = numbers[0]
            cells = f"{cell_address(row, column)}" + (f" và {len(numbers) - 1} ô khác" if len(numbers) > 1 else "")
            problems.append(RULES["sheet_numbers_unread"].issue(name, grid.sheet, cell_address(row, column), str(value), cells=cells, where=_hidden_sheet(grid)))
        elif has_content(grid):
            problems.append(RULES["sheet_without_table"].issue(name, grid.sheet, where=_hidden_sheet(grid)))
    if not sheets:
        problems.append(RULES["file_has_table" if problems else "file_not_empty"].issue(name, ""))
    return ReadFile(name, tables, sheets, problems, {grid.sheet: grid.delimiter for grid in grids if grid.delimiter}, rosters)


def _hidden_sheet(grid: Grid) -> str:
    return " (trang tính ẩn)" if grid.is_hidden else ""
