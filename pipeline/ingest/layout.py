"""The layout of a table: which rows are data and totals, which columns name units,
topics and levels, and which count columns are a level's total, an "of which" part or
one of the disjoint groups (CBQL | GV) a level is split into.

A table's header is the first row naming a unit or topic column ("Quận/huyện",
"Đơn vị", "Nội dung"...); up to two header rows below it ("MN TH THCS..." under a
merged "Số lượng dự kiến", then "Tổng số | Trong đó: Nữ") are folded into each
column's header path. The title block above the header names the year, the unit
and the programme. The table ends at its footer (signatures, date, notes) or at
the next table's header. Nothing here knows the reference data's units, topics or
levels: those are resolved by ``validate``; the header words (roles) come from the
reference data's header aliases.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass, replace

from pipeline.ingest.reading import CellError, Grid
from pipeline.text import cell_address, fold_key, parse_headcount, text_key

COUNT, TOTAL, PART, GROUP = "count", "total", "part", "group"
_LABEL_ROLES = ("stt", "unit", "topic", "code", "note")
_NAMING_ROLES = frozenset(("unit", "topic"))  # a header row names one of these columns
_NOT_COUNT_ROLES = frozenset(("stt", "unit", "topic", "code", "note", "ignore"))
_HEADER_SEARCH_ROWS = 60
_MAX_HEADER_ROWS = 3
_YEAR_IN_TITLE = re.compile(r"(?:năm|nam)(?:\s+(?:kế|ke)\s+(?:hoạch|hoach))?\s*:?\s*(\d{4})(?!\d)")
_YEAR_IN_NAME = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
_DATE_LINE = re.compile(r"(?:ngày|ngay)\s*[\d.…/ _-]*\s*(?:tháng|thang)")
_UNIT_LINE = re.compile(
    r"^\s*(?:(?:tên\s+|ten\s+)?(?:đơn\s+vị|don\s+vi)(?!\s+(?:tính|tinh))(?:\s+(?:báo\s+cáo|đăng\s+ký|gửi|bao\s+cao|dang\s+ky|gui))?"
    r"|(?:ubnd\s+)?(?:xã|phường|đặc\s+khu|quận|huyện|xa|phuong|dac\s+khu|quan|huyen)(?:\s*/\s*(?:xã|phường|đặc\s+khu|quận|huyện|xa|phuong|dac\s+khu|quan|huyen))*)"
    r"\s*[:\-–]\s*(.+?)\s*$",
    re.IGNORECASE,
)
_NUMBERING_CELL = re.compile(r"^\(?(\d{1,2}|[A-Za-z])\)?(?:\s*[=+\-*x]\s*\(?\d{1,2}\)?)*$")
_FOOTER = re.compile(
    r"^(?:kt\.?|tm\.?|t/m|q\.)?\s*(?:người\s+lập(?:\s+biểu)?|lập\s+biểu|thủ\s+trưởng(?:\s+đơn\s+vị)?|(?:phó\s+)?trưởng\s+phòng"
    r"|(?:phó\s+)?giám\s+đốc|(?:phó\s+)?chủ\s+tịch|(?:phó\s+)?hiệu\s+trưởng|kế\s+toán|nơi\s+nhận|xác\s+nhận(?:\s+của.*)?)\s*:?$"
    r"|\(ký[,\s]*(?:tên|ghi|và|đóng|\))|ký\s+tên|ký,?\s+(?:và\s+)?ghi\s+rõ|^ghi\s+chú\s*:|^lưu\s*:|ngày\s*[\d.…/ _-]*\s*tháng",
    re.IGNORECASE,
)
_DASHES = frozenset({"-", "–", "—", "--"})


@dataclass(frozen=True)
class Column:
    """A count column: where numbers are typed.

    ``label``: its header texts joined, top to bottom, without the word that gives its
    role ("Số lượng dự kiến MN"); None when it has no header. ``role``: COUNT (a level
    or a topic), TOTAL (the total of its label's level, or of the row when the label
    names no level), PART (an "of which" part: "Trong đó: Nữ") or GROUP (one of the
    disjoint groups a level is split into: "CBQL", "GV", "Nhà trẻ").
    """

    index: int
    label: str | None
    role: str
    role_text: str | None
    header_cell: str
    is_hidden: bool = False

    @property
    def shown(self) -> str:
        """The header as the reader sees it."""
        return " ".join(text for text in (self.label, self.role_text) if text) or "(cột không có tiêu đề)"


@dataclass(frozen=True)
class Row:
    """A body row of a table: its labels, where they were read, and its count cells' values."""

    index: int
    is_total: bool
    unit_label: str | None
    unit_cell: str | None
    topic_label: str | None
    topic_cell: str | None
    topic_code: str | None
    numbering: str | None
    values: tuple[object, ...]
    formulas: frozenset[int] = frozenset()  # positions of values that are formulas saved without a value
    is_hidden: bool = False
    part_of_above: tuple[str, str] | None = None  # (cell, text) of an "of which" label ("Trong đó: nữ"): a part of the row above

    @property
    def number(self) -> int:
        """The row number the spreadsheet shows."""
        return self.index + 1


@dataclass(frozen=True)
class LongLine:
    """A CSV line of a table with more fields than the table's header line: a figure typed
    with its thousands separator unquoted ("1,192" in a comma CSV) is split in two, and
    every figure after it moves one column right, into the next level or the notes."""

    index: int  # the row
    cell: str  # its first field past the header's
    fields: int
    header_fields: int
    text: str  # the line's fields from the first count column, as typed


@dataclass(frozen=True)
class RepeatedLabel:
    """A header cell naming again the unit or topic column named at ``first_cell``."""

    cell: str
    text: str
    role: str  # "unit" or "topic"
    first_cell: str
    first_text: str
    beside: bool  # right of the count columns: a second table beside the first


@dataclass(frozen=True)
class Table:
    """One table of a sheet: its title block, its columns and its body rows."""

    sheet: str
    is_sheet_hidden: bool
    header_row: int
    title: str
    year: int | None
    unit_label: str | None
    unit_cell: str | None
    topic_in_column: bool
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    merged_numbers: tuple[tuple[int, int, str], ...] = ()  # (row index, column position, "D5:E5") of a number merged over several cells of the number area
    note_numbers: tuple[tuple[int, str, object], ...] = ()  # (row index, cell, value) of a number typed in the notes column ("Ghi chú")
    repeated_labels: tuple["RepeatedLabel", ...] = ()  # a unit or topic column named again in the header
    unit_in_column: bool = False  # each row names its unit in a column (else the title block names it)
    long_lines: tuple["LongLine", ...] = ()  # CSV lines of the table split into more fields than its header
    inner_lines: tuple[tuple[int, str, str], ...] = ()  # (row index, first cell, text) of each line with text and no figure among the rows
    title_lines: tuple[tuple[str, str], ...] = ()  # (first cell, text) of each line of the table's own title block
    unit_header: str | None = None  # the unit column's header as typed ("Quận/huyện", "Xã/phường")
    label_numbers: tuple[tuple[int, str, object, str], ...] = ()  # (row index, cell, value, header) of a number under a label's header that is no label column ("Nội dung" merged over two columns)
    numbers_above: tuple[tuple[str, object], ...] = ()  # (cell, value) of each number typed above the header, in a count column


def find_tables(grid: Grid, file_stem: str, header_roles: dict[str, str], folded_roles: dict[str, str]) -> list[Table]:
    """Every table of a sheet, top to bottom; the first table's title block also serves those below."""
    known = _known_roles(header_roles, folded_roles)
    naming = _naming_texts(grid.rows, known)
    tables: list[Table] = []
    start, sheet_title = 0, []
    while start < len(grid.rows):
        header_row, roles = _find_header(grid.rows, start, known, naming)
        if header_row is None:
            break
        titles = title_rows(grid.rows, start, header_row)
        table, end = _read_table(grid, header_row, roles, titles, sheet_title, file_stem, known, naming)
        tables.append(replace(table, numbers_above=_numbers_above(grid.rows, start, header_row, table.columns)))
        sheet_title = sheet_title or titles
        start = max(end, header_row + 1)
    return tables


def has_content(grid: Grid) -> bool:
    return any(value is not None for row in grid.rows for value in row)


def numbers_outside_tables(grid: Grid) -> list[tuple[tuple[int, int], object]]:
    """The figures of a sheet in which no table was found: ((row, column), value) of each number
    typed (as a number, or as text that is only a number), but the cells of a column numbering
    its lines 1, 2, 3... and a year typed after "năm". Such a sheet's figures cannot be placed."""
    found = []
    for row_index, row in enumerate(grid.rows):
        for column, value in enumerate(row):
            if _typed_number(value) and not (value.__class__ is int and 1900 <= value <= 2100 and _names_year(row, column)):
                found.append(((row_index, column), value))
    by_column: dict[int, list[object]] = {}
    for (_, column), value in found:
        by_column.setdefault(column, []).append(value)
    numbering = {column for column, values in by_column.items() if values == list(range(1, len(values) + 1))}
    return [(cell, value) for cell, value in found if cell[1] not in numbering]


def _names_year(row: list[object], column: int) -> bool:
    """Whether the text just left of ``column`` says a year ("Năm", "Năm học") comes next."""
    before = next((value for value in reversed(row[:column]) if value is not None), None)
    return isinstance(before, str) and "năm" in unicodedata.normalize("NFC", before).casefold()


# ---------------------------------------------------------------- header and title


def _find_header(rows, start: int, known: "_KnownRoles", naming: frozenset[str]):
    for index in range(start, min(len(rows), start + _HEADER_SEARCH_ROWS)):
        if _is_header_row(rows[index], naming):
            return index, _header_roles(rows[index], known)
    return None, {}


def _naming_texts(rows, known: "_KnownRoles") -> frozenset[str]:
    """The texts of a sheet that name a unit or topic column ("Đơn vị", "Nội dung"...),
    not a form line's label ("Đơn vị:")."""
    distinct = set(itertools.chain.from_iterable(rows))
    return frozenset(text for text in distinct if isinstance(text, str) and known[text] in _NAMING_ROLES and not text.rstrip().endswith(":"))


def _is_header_row(row: list[object], naming: frozenset[str]) -> bool:
    """A row naming a unit or topic column, not a form line such as "Đơn vị: | Xã An Lão"."""
    return any(isinstance(value, str) and value in naming for value in row) and len(row) - row.count(None) >= 2


def _header_roles(row: list[object], known: "_KnownRoles") -> dict[str, int]:
    roles: dict[str, int] = {}
    for column, value in enumerate(row):
        if not isinstance(value, str) or value.rstrip().endswith(":"):
            continue
        role = known[value]
        if role in _LABEL_ROLES and role not in roles:
            roles[role] = column
    return roles


def _numbers_above(rows, start: int, header_row: int, columns: tuple["Column", ...]) -> tuple[tuple[str, object], ...]:
    """(cell, value) of each number typed in a count column above a table's header (a row of
    figures inserted over it): no row of the table, so never booked; but a year after "Năm"."""
    return tuple(
        (cell_address(index, column.index), value)
        for index in range(start, header_row)
        for column in columns
        if _typed_number(value := _at(rows[index], column.index)) and not (value.__class__ is int and 1900 <= value <= 2100 and _names_year(rows[index], column.index))
    )


def title_rows(rows, start: int, header_row: int) -> list[tuple[int, int, str]]:
    """(row, first column, text) of every title line above a header."""
    found = []
    for index in range(start, header_row):
        texts = [(column, str(value)) for column, value in enumerate(rows[index]) if isinstance(value, str)]
        if texts:
            found.append((index, texts[0][0], " ".join(text for _, text in texts)))
    return found


def find_year(lines: list[str], sheet_lines: list[str], sheet: str, file_stem: str) -> int | None:
    """The plan's year: "NĂM 2026" in the title block, else the sheet name, else the file name.

    Date lines ("Hải Phòng, ngày 5 tháng 12 năm 2025") give the day a file was
    signed, not the plan's year. "(Kèm theo ... năm 2024)" lines come after the others.
    """
    for group in (lines, sheet_lines):
        ordered = [line for line in group if not line.lstrip().startswith("(")]
        ordered += [line for line in group if line.lstrip().startswith("(")]
        for line in ordered:
            for part in line.split(" | "):
                text = unicodedata.normalize("NFC", part).casefold()
                if _DATE_LINE.search(text) and not part.lstrip().startswith("("):
                    continue
                match = _YEAR_IN_TITLE.search(text)
                if match and 2000 <= int(match.group(1)) <= 2100:
                    return int(match.group(1))
    for name in (sheet, file_stem):
        if (year := name_year(name)) is not None:
            return year
    return None


def column_years(label: str | None) -> list[int]:
    """The years a column's header names ("Năm 2027 MN" -> [2027], "Giai đoạn 2027-2030" -> [2027, 2030]; a date "5/12/2025" names none)."""
    return sorted(years_named(label or ""))


def years_named(text: str) -> set[int]:
    """The years a line names: alone ("2027") or as a range's ends ("2027-2030", "2027 – 2030");
    a date's ("5/12/2025") and a school year's ("năm học 2025-2026") none."""
    text = _SCHOOL_YEAR.sub(" ", unicodedata.normalize("NFC", text).casefold())
    found = {int(year) for year in _YEAR_WORD.findall(text)}
    found.update(int(year) for pair in _YEAR_RANGE.findall(text) for year in pair)
    return {year for year in found if 2000 <= year <= 2100}


def is_date_line(text: str) -> bool:
    """A line giving the day a page was signed ("Hải Phòng, ngày 5 tháng 12 năm 2025")."""
    return _DATE_LINE.search(unicodedata.normalize("NFC", text).casefold()) is not None
    own_year = find_year([text for _, _, text in titles], [], "", "")
    for row, column, text in titles:
        folded = unicodedata.normalize("NFC", text).casefold()
        if _DATE_LINE.search(folded) and not text.lstrip().startswith("("):
            continue
        listed = _YEARS_AFTER_YEAR.search(folded)
        if listed:
            return cell_address(row, column), text, f"{listed.group(1)}, {listed.group(2)}"
        named = years_named(folded)
        if own_year is None and named - {year}:
            return cell_address(row, column), text, ", ".join(map(str, sorted(named)))
    return None


def header_year(columns: list[Column]) -> int | None:
    """The one year the count columns' headers name, if they name exactly one."""
    named = {year for column in columns for year in column_years(column.label)}
    return named.pop() if len(named) == 1 else None


_YEAR_WORD = re.compile(r"(?<![\d/.-])(20\d\d)(?![\d/.-])")
_SCHOOL_YEAR = re.compile(r"(?:năm|nam)\s+(?:học|hoc)\s*:?\s*20\d\d\s*[-–—/]\s*20\d\d")
_YEAR_RANGE = re.compile(r"(?<![\d/.])(20\d\d)\s*[-–—]\s*(20\d\d)(?![\d/.])")


def name_year(name: str) -> int | None:
    """The one year a sheet's or a file's name holds ("Năm 2026" -> 2026); None for none or several ("2026-2030")."""
    years = set(_YEAR_IN_NAME.findall(name))
    return int(years.pop()) if len(years) == 1 else None


def find_unit_line(lines: list[tuple[int, int, str]]) -> tuple[str | None, str | None]:
    """The unit named in a title line such as "Đơn vị: UBND xã An Lão" (or "Don vi: ..."
    typed without marks), and that line's cell."""
    for row, column, line in lines:
        line = unicodedata.normalize("NFC", line)
        match = _UNIT_LINE.match(line) or _UNIT_LINE.match(_fold_letters(line))
        if match:
            return line[match.start(1) : match.end(1)], cell_address(row, column)
    return None, None


@functools.lru_cache(maxsize=4096)  # the same title lines recur in every file of a template
def _fold_letters(text: str) -> str:
    """The text with each letter's marks removed, letter for letter (same length, same positions)."""
    return "".join(unicodedata.normalize("NFD", letter)[0] if letter not in "đĐ" else "d" for letter in text)


# ---------------------------------------------------------------- columns


def _header_rows(rows, header_row: int, label_columns: set[int]) -> int:
    """How many rows the header spans: the header row and the text-only rows under it."""
    count = 1
    while count < _MAX_HEADER_ROWS and header_row + count < len(rows):
        typed = rows[header_row + count]  # as typed: a label column merged down from the header is empty here
        texts = [value for column, value in enumerate(typed) if value is not None and column not in label_columns]
        if not texts or any(not isinstance(value, str) or _looks_numeric(value) for value in texts):
            break
        if any(_at(typed, column) is not None for column in label_columns) or is_numbering_row(typed):
            break
        count += 1
    return count


def _columns(grid: Grid, header_row: int, roles: dict[str, int], known: "_KnownRoles") -> tuple[list[Column], int, list[tuple[int, str]]]:
    """The count columns right of the row labels, the first data row, and the other columns
    under a label's header ("Nội dung" merged over two columns), with that header.

    Each column's header path is read top to bottom through merged cells; a parent
    typed once over several columns without a merge ("Số lượng dự kiến") carries over
    to the columns after it that have a child. Columns whose header names a note, a
    label or another non-count column are left out.
    """
    rows = grid.rows
    label_columns = set(roles.values())
    depth = _header_rows(rows, header_row, label_columns)
    levels = [expand_merged(rows, header_row + offset, grid.merged) for offset in range(depth)]
    width = max(len(row) for row in rows[header_row : header_row + depth])
    columns, under_labels = [], []
    carry: list[object] = [None] * depth
    for column in range(width):
        if column in label_columns:
            carry = [None] * depth
            continue
        path = [_at(level, column) for level in levels]
        for depth_index in range(depth - 1):
            below = any(value is not None for value in path[depth_index + 1 :])
            if path[depth_index] is None and below and carry[depth_index] is not None:
                path[depth_index] = carry[depth_index]
            carry[depth_index] = path[depth_index] if below else None
        texts = [str(value) for value in dict.fromkeys(value for value in path if value is not None)]
        if any(known[text] in _NOT_COUNT_ROLES for text in texts):
            under_labels += [(column, text) for text in texts[:1] if known[text] in (*_NAMING_ROLES, "code", "note")]  # numbering says what it is
            continue
        label, role, role_text = _column_role(texts, known)
        header_cell = cell_address(header_row + max((i for i, value in enumerate(path) if value is not None), default=0), column)
        columns.append(Column(column, label, role, role_text, header_cell, column in grid.hidden_columns))
    first_data_row = header_row + depth
    if first_data_row < len(rows) and is_numbering_row(rows[first_data_row]):
        first_data_row += 1
    return columns, first_data_row, under_labels


def _column_role(texts: list[str], known: "_KnownRoles") -> tuple[str | None, str, str | None]:
    """(label, role, the text giving the role) of a header path.

    The first "of which" word anywhere below the top makes a part ("MN | Trong đó | Nữ");
    else the last text decides: a group ("CBQL"), a total ("Tổng số"), or a count, unless a
    group names the levels under it ("Cán bộ quản lý | MN").
    """
    for position, text in enumerate(texts):
        if known[text] == PART and (position > 0 or len(texts) == 1):
            return _joined(texts[:position]), PART, " ".join(texts[position:])
        start = known.part_inside(text)
        if start is not None:  # "MN trong đó nữ": the level, then its part
            return _joined([*texts[:position], text[:start].strip()]), PART, " ".join([text[start:], *texts[position + 1 :]])
    if texts:
        role = known[texts[-1]]
        if role in (GROUP, TOTAL):
            return _joined(texts[:-1]), role, texts[-1]
    for position, text in enumerate(texts[:-1]):  # "Cán bộ quản lý" over "MN | TH": the group, above its levels
        if known[text] == GROUP:
            return _joined([*texts[:position], *texts[position + 1 :]]), GROUP, text
    return _joined(texts), COUNT, None


def _joined(texts: list[str]) -> str | None:
    return " ".join(texts) if texts else None


def expand_merged(rows, row_index: int, merged) -> list[object]:
    row = list(rows[row_index]) if row_index < len(rows) else []
    for (top, left), (bottom, right) in merged:
        if top <= row_index <= bottom:
            value = _at(rows[top], left) if top < len(rows) else None
            while len(row) <= right:
                row.append(None)
            for column in range(left, right + 1):
                row[column] = value
    return row


# ---------------------------------------------------------------- rows


def _read_table(grid: Grid, header_row: int, roles: dict[str, int], titles, sheet_title, file_stem: str, known: "_KnownRoles", naming: frozenset[str]) -> tuple[Table, int]:
    """One table and the row where reading stopped."""
    rows = grid.rows
    if (numbering := _unheaded_numbering(grid, header_row, roles, known)) is not None:
        roles = {**roles, "stt": numbering}
    columns, first_data_row, under_labels = _columns(grid, header_row, roles, known)
    lines = [text for _, _, text in titles]
    title = " | ".join(lines + [text for _, _, text in sheet_title])
    # A year over the count columns ("Năm 2026" merged over the levels) when nothing else names one.
    year = find_year(lines, [text for _, _, text in sheet_title], grid.sheet, file_stem) or header_year(columns)
    unit_label, unit_cell = find_unit_line(titles or sheet_title)
    unit_column, topic_column, code_column, stt_column = (roles.get(role) for role in ("unit", "topic", "code", "stt"))
    note_column = roles.get("note")
    label_columns = [column for column in (stt_column, unit_column, topic_column, code_column) if column is not None]
    count_columns = [column.index for column in columns]
    merged_labels = _merged_labels(grid, label_columns, first_data_row)
    uncached = grid.uncached

    body: list[Row] = []
    running: dict[int, float] = {}  # per count column, the figures of the data rows so far
    unsummed: list[tuple[list[object], list[int]]] = []  # data rows not yet in ``running``: added when a row without labels asks
    has_data = after_total = table_over = False
    end = len(rows)
    last_row = first_data_row - 1
    for index in range(first_data_row, len(rows)):
        row = rows[index]
        if index > first_data_row and _is_header_row(row, naming):
            end = last_row + 1  # the next table: its title block starts after this table's last number
            body = [entry for entry in body if entry.index <= last_row]
            break
        width = len(row)
        values = tuple(row[column] if column < width else None for column in count_columns)
        filled = any(value is not None for value in values)
        counts = [column for column, value in zip(count_columns, values) if _is_count(value, (index, column) in uncached)]
        typed = [(column, row[column] if column < width else None) for column in label_columns]
        labels = {column: value if value is not None else merged_labels.get((index, column)) for column, value in typed}
        typed_labels = [str(value) for _, value in typed if value is not None]
        if not count_columns or (not typed_labels and not filled):
            continue
        if not counts and (table_over or _is_footer(row, note_column)):
            table_over = True  # signatures, date and notes under the table: never numbers
            continue
        if not counts and (not typed_labels or (after_total and not filled)):
            continue  # stray text beside the table, or a name under the total: no number to lose
        is_total = any(known[text] == TOTAL for text in typed_labels)
        if not typed_labels and has_data and _equals_running_sums(row, counts, _add_figures(running, unsummed)):
            is_total = True  # a total row typed without its label
        if counts:
            last_row = index
        if is_total:
            after_total = after_total or has_data
        else:
            has_data = True
            unsummed.append((row, counts))
        body.append(
            Row(
                index=index,
                is_total=is_total,
                # No unit column: the title block's "Đơn vị: ..." line names the unit of every row.
                unit_label=_text(labels.get(unit_column)) if unit_column is not None else unit_label,
                unit_cell=cell_address(index, unit_column) if unit_column is not None else unit_cell,
                topic_label=_text(labels.get(topic_column)),
                topic_cell=cell_address(index, topic_column) if topic_column is not None else None,
                topic_code=_text(labels.get(code_column)),
                numbering=_text(_at(row, stt_column)),
                values=values,
                formulas=frozenset(position for position, column in enumerate(count_columns) if (index, column) in uncached) if uncached else frozenset(),
                is_hidden=index in grid.hidden_rows,
                part_of_above=None if is_total else next(((cell_address(index, column), str(value)) for column, value in typed if value is not None and known[str(value)] == PART), None),
            )
        )
    long_lines = _long_lines(grid, body, range(header_row, first_data_row), min(count_columns, default=0))
    table = Table(
        sheet=grid.sheet,
        is_sheet_hidden=grid.is_hidden,
        header_row=header_row,
        title=title,
        year=year,
        unit_label=unit_label,
        unit_cell=unit_cell,
        topic_in_column=topic_column is None,
        columns=tuple(columns),
        rows=tuple(body),
        merged_numbers=_merged_numbers(grid, body, count_columns),
        note_numbers=_note_numbers(rows, body, [note_column, *(column for column, header in under_labels if known[header] == "note")]),
        repeated_labels=_repeated_labels(rows[header_row], roles, known, header_row, count_columns),
        unit_in_column=unit_column is not None,
        unit_header=_text(_at(rows[header_row], unit_column)) if unit_column is not None else None,
        long_lines=tuple(long_lines.values()),
        inner_lines=_inner_lines(rows, first_data_row, last_row, count_columns, uncached, note_column),
        title_lines=tuple((cell_address(row, column), text) for row, column, text in titles),
        label_numbers=tuple(
            (row.index, cell_address(row.index, column), _at(rows[row.index], column), header)
            for row in body for column, header in under_labels if known[header] != "note" and _typed_number(_at(rows[row.index], column))
        ),
    )
    return table, end


def _unheaded_numbering(grid: Grid, header_row: int, roles: dict[str, int], known: "_KnownRoles") -> int | None:
    """The column just left of the row labels when its header is blank and its cells number
    the rows ("1", "2", "1.1", "II", "a)"), as an "STT" column typed without its header does;
    None when there is no such column (a column of figures left of the labels stays a count
    column, and an unknown one)."""
    labels = [column for role, column in roles.items() if role in ("unit", "topic", "code")]
    if "stt" in roles or not labels or min(labels) == 0:
        return None
    column = min(labels) - 1
    if _at(expand_merged(grid.rows, header_row, grid.merged), column) is not None:
        return None
    numbers, last, may_restart = 0, 0, False
    for row in grid.rows[header_row + 1 :]:
        value = _at(row, column)
        if value is None or all(_at(row, label) is None for label in labels):
            continue  # a line with no label (a header's second row, a note, the signing) numbers nothing
        text = str(value).strip() if value.__class__ in (int, str) else ""
        if (whole := _WHOLE_NUMBER.match(text)) is not None:
            number = int(whole.group(1))
            if number != last + 1 and not (number == 1 and may_restart):
                return None  # figures, not a count of the rows
            numbers, last, may_restart = numbers + 1, number, False
        elif _GROUP_NUMBER.match(text) or known[text] == TOTAL:
            may_restart = True  # under a group's own number ("II", "a)") the count may start again
        else:
            return None
    return column if numbers >= 2 else None


_WHOLE_NUMBER = re.compile(r"^\(?(\d{1,4})[.)]?$")
_GROUP_NUMBER = re.compile(r"^\(?(?:[IVXLC]+|[A-Za-zĐđ]|\d{1,3}(?:\.\d{1,3})+)[.)]?$")


def _repeated_labels(header: list[object], roles: dict[str, int], known: "_KnownRoles", header_row: int, count_columns: list[int]) -> tuple[RepeatedLabel, ...]:
    """The header cells naming a unit or topic column a second time. Right of the count
    columns ("STT | Đơn vị | MN | STT | Đơn vị | MN"): a second table beside the first,
    whose columns would be read as more of the first's. Before them ("Quận/huyện |
    Xã/phường | MN"): two columns either of which may name the row's unit (or topic)."""
    first_count = min(count_columns, default=len(header))
    found = []
    for column, value in enumerate(header):
        role = known[value] if isinstance(value, str) and not value.rstrip().endswith(":") else None
        if role in _NAMING_ROLES and roles.get(role) != column:
            first = roles[role]
            found.append(RepeatedLabel(cell_address(header_row, column), value, role, cell_address(header_row, first), str(header[first]), column > first_count))
    return tuple(found)


def _inner_lines(rows, first_data_row: int, last_row: int, count_columns: list[int], uncached, note_column: int | None) -> tuple[tuple[int, str, str], ...]:
    """(row, first cell, its texts joined by " | ") of each line among the table's rows, above
    its last figure, with text and no figure: headings, and lines that may name a year, a
    unit, a topic or a level for the rows under them ("Năm 2027", "Đơn vị: Xã B"). The notes
    column is left out: a note speaks of its own row."""
    found = []
    for index in range(first_data_row, last_row):
        row = rows[index]
        if any(_is_count(_at(row, column), (index, column) in uncached) for column in count_columns):
            continue
        texts = [(column, value) for column, value in enumerate(row) if isinstance(value, str) and column != note_column]
        if texts:
            found.append((index, cell_address(index, texts[0][0]), " | ".join(value for _, value in texts)))
    return tuple(found)


def _long_lines(grid: Grid, body: list[Row], header_rows: range, first_count: int) -> dict[int, LongLine]:
    """The CSV lines of the table with more fields than its header line and something past
    it, or two figures side by side that an unquoted "1,192" would make (1 | 192): whose
    figures are where cannot be told. A line merely ending with a separator more, with no
    such pair, is read (a program saving a CSV writes every line as long as the longest,
    the header line too; a hand-made one may end each data line with a comma)."""
    if grid.delimiter is None:
        return {}
    rows = grid.rows
    header_fields = max(len(rows[index]) for index in header_rows)
    return {
        row.index: LongLine(row.index, cell_address(row.index, header_fields), len(rows[row.index]), header_fields, grid.delimiter.join("" if value is None else str(value) for value in rows[row.index][first_count:]))
        for row in body
        if len(rows[row.index]) > header_fields and (
            any(value is not None for value in rows[row.index][header_fields:])
            or any(_THOUSANDS_HEAD.match(str(first)) and _THOUSANDS_TAIL.match(str(second)) for first, second in zip(rows[row.index][first_count:], rows[row.index][first_count + 1 :]) if first is not None and second is not None)
        )
    }


# The two fields an unquoted "1,192" becomes: a figure of one to three digits, then one of exactly three.
_THOUSANDS_HEAD, _THOUSANDS_TAIL = re.compile(r"^\d{1,3}$"), re.compile(r"^\d{3}$")


def _typed_number(value: object) -> bool:
    """A number other than 0, or text reading as one from its first character ("12",
    "1.192"): not a date, an error, a yes/no or words with a figure inside."""
    if value is None or isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return False
    if isinstance(value, str) and not value.strip()[:1].isdigit():
        return False
    number, ok = parse_headcount(value)
    return ok and number == number and number != 0


def _note_numbers(rows, body: list[Row], note_columns: list[int | None]) -> tuple[tuple[int, str, object], ...]:
    """Numbers other than 0 typed alone in the notes columns of the table's rows (the column
    headed "Ghi chú", and those under it when merged over several): a note, never a
    registration, but a count typed one column too far looks the same."""
    return tuple(
        (row.index, cell_address(row.index, column), _at(rows[row.index], column))
        for row in body
        for column in note_columns
        if column is not None and _typed_number(_at(rows[row.index], column))
    )


def _merged_numbers(grid: Grid, body: list[Row], count_columns: list[int]) -> tuple[tuple[int, int, str], ...]:
    """Numbers typed in a cell merged over several cells of the number area (two levels, two
    topics): a reader cannot tell which of them the number belongs to."""
    rows = {row.index for row in body}
    found = []
    for (top, left), (bottom, right) in grid.merged:
        covered = sum(1 for row in range(top, bottom + 1) if row in rows for column in range(left, right + 1) if column in count_columns)
        if covered > 1 and top in rows and left in count_columns and _at(grid.rows[top], left) is not None:
            found.append((top, count_columns.index(left), f"{cell_address(top, left)}:{cell_address(bottom, right)}"))
    return tuple(found)


def _merged_labels(grid: Grid, label_columns: list[int], first_data_row: int) -> dict[tuple[int, int], object]:
    """A label typed in a cell merged over several rows names every row of the merge."""
    found = {}
    for (top, left), (bottom, right) in grid.merged:
        if bottom > top and top >= first_data_row and left in label_columns and top < len(grid.rows):
            value = _at(grid.rows[top], left)
            for row in range(top + 1, bottom + 1):
                found[(row, left)] = value
    return found


def _is_count(value: object, is_uncached_formula: bool) -> bool:
    """A value in a count column that states a number, or tried to: a number, text typed as
    one, an Excel error, a date, a formula saved without its value. Blanks and dashes do not."""
    if value is None or isinstance(value, bool):
        return False
    if isinstance(value, (int, float, CellError, dt.date, dt.time)) or is_uncached_formula:
        return True
    number, ok = parse_headcount(value)
    return ok and not (isinstance(value, str) and value.strip() in _DASHES)


def _add_figures(running: dict[int, float], rows: list[tuple[list[object], list[int]]]) -> dict[int, float]:
    """``running`` with the figures of ``rows`` (a row, its count columns) added, in order; ``rows`` emptied."""
    for row, counts in rows:
        for column in counts:
            number, ok = parse_headcount(row[column]) if not isinstance(row[column], (CellError, dt.date, dt.time)) else (float("nan"), False)
            if ok and number == number:
                running[column] = running.get(column, 0.0) + number
    rows.clear()
    return running


def _equals_running_sums(row: list[object], counts: list[int], running: dict[int, float]) -> bool:
    if not counts:
        return False
    sums = []
    for column in counts:
        value = row[column]
        if isinstance(value, (CellError, dt.date, dt.time)):
            return False
        number, ok = parse_headcount(value)
        if not ok or number != running.get(column, 0.0):
            return False
        sums.append(number)
    return any(sums)


def _is_footer(row: list[object], note_column: int | None) -> bool:
    return any(
        isinstance(value, str) and column != note_column and _FOOTER.search(unicodedata.normalize("NFC", value).casefold())
        for column, value in enumerate(row)
    )


def is_numbering_row(row) -> bool:
    """A row "(1) (2) (3)...", "A B 1 2 3" or "1 2 3=1+2" that numbers the columns under a header."""
    filled = [column for column, value in enumerate(row) if value is not None]
    if not filled or len(filled) != filled[-1] - filled[0] + 1:
        return False  # a numbering row has no gap; "1 | (blank) | 2 | 3" is a data row
    numbers = []
    for value in (v for v in row if v is not None):
        match = _NUMBERING_CELL.match(str(value))
        if not match:
            return False
        if match.group(1).isdigit():
            numbers.append(int(match.group(1)))
    return len(numbers) >= 3 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


_NUMERIC_TEXT = re.compile(r"[-+]?[\d.,\s]+")


def _looks_numeric(text: str) -> bool:
    return bool(_NUMERIC_TEXT.fullmatch(text))


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _at(row, column):
    if row is None or column is None or column >= len(row):
        return None
    return row[column]


# ---------------------------------------------------------------- header words


_KNOWN: dict[int, tuple[dict, "_KnownRoles"]] = {}


def _known_roles(roles: dict[str, str], folded: dict[str, str]) -> "_KnownRoles":
    """The remembered roles for this vocabulary: the same headers recur in every file."""
    found = _KNOWN.get(id(roles))
    if found is None or found[0] is not roles:
        if len(_KNOWN) > 4:
            _KNOWN.clear()
        found = _KNOWN[id(roles)] = (roles, _KnownRoles(roles, folded))
    return found[1]


class _KnownRoles(dict):
    """Header text -> its role ("unit", "topic", "total", "part"...), worked out once per text.

    A header is known by its exact alias, the alias before a bracket, an "of which"
    word it starts with ("Trong đó: Nữ"), a total word followed by what it covers
    ("Tổng số toàn huyện"), or the same typed without Vietnamese marks when only one
    role fits.
    """

    def __init__(self, roles: dict[str, str], folded: dict[str, str]):
        super().__init__()
        self.roles, self.folded = roles, folded
        markers = sorted({fold_key(key) for key, role in roles.items() if role == PART and " " in key}, key=len, reverse=True)
        self._part_marker = re.compile(r"\s(" + "|".join(re.escape(marker) for marker in markers) + r")\b") if markers else None

    def part_inside(self, text: str) -> int | None:
        """Where an "of which" phrase starts after other words ("MN trong đó nữ"), or None."""
        if self._part_marker is None:
            return None
        match = self._part_marker.search(_fold_letters(text).lower())
        return match.start(1) if match else None

    def __missing__(self, text: object) -> str | None:
        role = self[text] = self._role(text) if isinstance(text, str) else None
        return role

    def _role(self, text: str) -> str | None:
        key = text_key(text)
        for candidate in (key, text_key(text.split("(", 1)[0]) if "(" in text else None):
            if candidate:
                role = self.roles.get(candidate) or self.folded.get(fold_key(candidate))
                if role is not None:
                    return role
        words = key.split()
        for size in (3, 2, 1):
            head = " ".join(words[:size])
            # A word typed with marks is that word: "Công lập" (public) is no "Cộng" (sum) typed without marks.
            role = self.roles.get(head) or (self.folded.get(head) if fold_key(head) == head else None)
            if len(words) > size and role in (PART, TOTAL):
                return role  # "Trong đó nữ", "Tổng số toàn huyện", "Cộng khối quận"
        return None
