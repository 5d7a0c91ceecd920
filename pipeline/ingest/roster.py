"""Ingest of rosters: lists of people, one row per person, read from a sheet's cells.

Grain of the output: one row per person row of a sheet (``schemas.persons.RosterPerson``),
each label as typed beside the code it names, and the row number the spreadsheet shows.

A roster's header is the first row naming a "Họ và tên" column and a birth date
("Ngày sinh") or the "Nam" / "Nữ" columns many Vietnamese forms use, where the birth
date is typed under one of them and the column gives the sex. Headers are recognised
with or without Vietnamese marks, on one or two rows, merged or not; a numbering row
("(1) (2) (3)...") under them is skipped. The topics registered are read from a text
column (codes or names, several separated by ";" or a line break) or from one column
per topic marked "x". The title block above the header names the year ("NĂM 2026")
and the unit ("Đơn vị: Phường Lê Chân"); the table ends at its footer (signatures,
"ngày ... tháng ... năm").

Reading only: a person whose fields are missing or unknown is still returned, with the
labels as typed, for ``pipeline.persons.check_persons`` to name. The problems given here
are the sheet's own (no header, a missing column, no year or unit): each holds back the
sheet. Resolving a topic, level or unit needs the catalogue, so the caller passes
resolvers; the roster's own vocabulary comes from ``read_person_reference``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import pandas as pd

from pipeline.ingest.layout import expand_merged, find_year, is_numbering_row, title_rows
from pipeline.reference import PersonReference, person_spellings
from pipeline.text import AliasKeys, cell_address, find_codes, fold_key, text_key
from schemas import Issue
from schemas import persons as models

_HEADER_SEARCH_ROWS = 60
_REQUIRED = {"name": "Họ và tên", "degree": "Trình độ đào tạo", "title": "Chức vụ"}
_DATE_LINE = re.compile(r"ng[àa]y\s*[\d.…/ _-]*\s*th[áa]ng")
_UNIT_LINE = re.compile(
    r"^\s*(?:(?:tên\s+)?(?:đơn\s+vị|don\s+vi)(?!\s+t[íi]nh)(?:\s+(?:báo\s+cáo|đăng\s+ký|gửi))?"
    r"|(?:ubnd\s+)?(?:xã|phường|đặc\s+khu)(?:\s*/\s*(?:xã|phường|đặc\s+khu))*)"
    r"\s*[:\-–]\s*(.+?)\s*$",
    re.IGNORECASE,
)
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]*)?$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_WORDED_DATE = re.compile(r"^ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})$")
_TOPIC_SEPARATORS = re.compile(r"\s*(?:;|\n|\r|\+)\s*")
_REMEMBERED = 1 << 16  # labels whose answer the vocabulary keeps
_IDENTIFIER_DIGITS = 12  # a citizen identity number (CCCD); read as a number it loses its leading zeros


Resolver = Callable[[str], "str | None"]
UnitResolver = Callable[..., "str | None"]  # (label, year, exact=False) -> unit name; exact: the label names the unit itself


def _label_key(text: str) -> str:
    """A comparison key; a label of symbols only ("✓", "-") is its own key."""
    return text_key(text) or text.strip()


@dataclass(frozen=True)
class _Words:
    """The spellings of one kind of label: exact keys, keys without marks (unique ones),
    and the same for finding a spelling inside a longer label."""

    keys: dict[str, str]
    folded: dict[str, str]

    @classmethod
    def build(cls, pairs: Sequence[tuple[str, str]]) -> "_Words":
        keys = AliasKeys({_label_key(alias): code for alias, code in pairs})
        by_fold: dict[str, set[str]] = {}
        for key, code in keys.items():
            by_fold.setdefault(fold_key(key), set()).add(code)
        return cls(keys, AliasKeys({key: codes.pop() for key, codes in by_fold.items() if len(codes) == 1}))

    def exact(self, text: str) -> str | None:
        key = _label_key(text)
        return self.keys.get(key) or self.folded.get(fold_key(key))

    def find(self, text: str) -> str | None:
        """The code named by ``text`` exactly, else the one code named inside it."""
        found = self.exact(text)
        if found is not None:
            return found
        key = _label_key(text)
        codes = find_codes(key, self.keys) or find_codes(fold_key(key), self.folded)
        return codes[0] if len(set(codes)) == 1 else None


@dataclass(frozen=True)
class RosterVocabulary:
    """The roster's vocabulary, arranged for reading: build once with ``roster_vocabulary``."""

    words: dict[str, _Words]
    headers: _Words
    header_prefixes: list[tuple[str, str]]  # (key, role), longest first, for "Họ và tên giáo viên"
    # Answers remembered per label: the same few labels fill every row of every list.
    _answers: dict[tuple[str, str], str | None] = field(default_factory=dict, repr=False)

    def resolve(self, kind: str, text: object) -> str | None:
        """The code of a label of ``kind`` ("degree", "title", "sex", "answer"), or None."""
        if text is None:
            return None
        key = (kind, str(text))
        if key not in self._answers:
            self._remember(key, self.words[kind].find(str(text)))
        return self._answers[key]

    def _remember(self, key: tuple[str, str], answer: str | None) -> None:
        if len(self._answers) >= _REMEMBERED:
            self._answers.clear()
        self._answers[key] = answer

    def is_teacher_training(self, text: object) -> bool:
        """Whether a major (or a degree label such as "CĐSP") names a teacher-training field."""
        return text is not None and self.resolve("teacher_training", text) is not None

    def header_role(self, text: object) -> str | None:
        """The role of a header cell ("name", "birth_date", "male"...), or None."""
        if not isinstance(text, str):
            return None
        key = ("header", text)
        if key not in self._answers:
            self._remember(key, self._header_role(text))
        return self._answers[key]

    def _header_role(self, text: str) -> str | None:
        bare = re.sub(r"\([^)]*\)", " ", text).strip() or text
        role = self.headers.exact(bare)
        if role is not None:
            return role
        key = _label_key(bare)
        for prefix, prefix_role in self.header_prefixes:
            if key.startswith(prefix + " "):
                return prefix_role
        return None


def roster_vocabulary(reference: PersonReference) -> RosterVocabulary:
    """The vocabulary of ``person_codes.csv`` and ``person_aliases.csv`` (codes and their
    names are spellings too)."""
    spellings = {kind: [(text, code) for text, code, _ in found] for kind, found in person_spellings(reference).items()}
    words = {kind: _Words.build(pairs) for kind, pairs in spellings.items() if kind != "header"}
    headers = _Words.build(spellings["header"])
    # A longer header beginning with a known one ("Họ và tên giáo viên"): only headers of
    # two words or more, so that "Nam" never claims "Năm sinh" typed without marks.
    prefixes = sorted(((key, role) for key, role in headers.keys.items() if " " in key), key=lambda item: len(item[0]), reverse=True)
    return RosterVocabulary(words, headers, prefixes)


# ---------------------------------------------------------------- reading


class RosterSheet(NamedTuple):
    """A roster sheet read: its people (records with the ``RosterPerson`` columns), its problems
    (``schemas.Issue`` records; an error holds back the sheet), and the year and unit its title
    block names. Plain records, cheap to cache and to send between processes; ``roster_tables``
    makes the tables of many sheets at once."""

    persons: list[dict]
    problems: list[dict]
    year: int | None
    unit: str | None


def roster_tables(sheets: Sequence[RosterSheet]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The people (``RosterPerson``) and the problems (``schemas.Issue``) of many sheets, each
    table checked once (a check per sheet would cost more than reading it)."""
    records = [record for sheet in sheets for record in sheet.persons]
    problems = [problem for sheet in sheets for problem in sheet.problems]
    frame = pd.DataFrame(records, columns=_PERSON_COLUMNS) if records else pd.DataFrame({column: [] for column in _PERSON_COLUMNS})
    return _typed_persons(frame), _issues(problems)


def roster_header(rows: list[list[object]], vocabulary: RosterVocabulary) -> int | None:
    """Where a sheet's roster starts: its header row naming "Họ và tên" and "Ngày sinh",
    "Nam" or "Nữ" within the first rows; None when the sheet lists no people.

    A header row naming a birth date or an identity number among other columns, but no
    column "Họ và tên" ("Họ đệm" | "Tên", or names typed under "Nội dung"), starts a list
    of people all the same: ``read_roster`` holds it back for its header, where read as a count form its
    messages would quote the people's names and dates.
    """
    first_rows = rows[:_HEADER_SEARCH_ROWS]
    role_of = _header_roles(first_rows, vocabulary)
    found = _name_header(first_rows, role_of)
    if found is not None or not {"birth_date", "identifier"} & set(role_of.values()):
        return found
    for index, row in enumerate(first_rows):
        roles = {role_of[value] for value in row if isinstance(value, str)}
        if roles & {"birth_date", "identifier"} and sum(isinstance(value, str) for value in row) >= 3:
            return index  # no count form has a column of birth dates or identity numbers
    return None


def read_roster(
    rows: list[list[object]],
    merged: Sequence[tuple[tuple[int, int], tuple[int, int]]],
    sheet: str,
    file_name: str,
    vocabulary: RosterVocabulary,
    resolve_topic: Resolver,
    resolve_level: Resolver,
    resolve_unit: UnitResolver | None = None,
    row_numbers: Sequence[int] | None = None,
) -> RosterSheet:
    """Read the people of a roster sheet.

    Args:
        rows: the sheet's cells, row by row, values cleaned (text stripped, empty as
            None, whole numbers as int; dates as ``date``/``datetime``).
        merged: merged ranges, ``((top, left), (bottom, right))``, zero-based.
        sheet, file_name: shown in problems and kept with each person.
        vocabulary: ``roster_vocabulary(reference.persons)``.
        resolve_topic: a topic label (code or name) -> topic code, or None.
        resolve_level: a level label, or a school's name ("Trường Mầm non Hoa Sen"),
            -> level code, or None.
        resolve_unit: a unit label and the year -> unit name, or None; tried on the
            unit column, the "Đơn vị:" line, every title line, the sheet name and the
            file name, in this order. Without it the unit is the label as typed.
        row_numbers: the number the spreadsheet shows for each row (a CSV's line
            numbers); by default the row's position, counting from 1.

    Returns:
        the people, the sheet's problems, the year and the unit of the sheet.
    """
    numbers = list(row_numbers) if row_numbers is not None else list(range(1, len(rows) + 1))
    found = _find_header(rows, vocabulary)
    if found is None:
        named = roster_header(rows, vocabulary)  # a header of people without "Họ và tên"
        where = f" (dòng {numbers[named]} là tiêu đề của một danh sách người nhưng không có cột \"Họ và tên\")" if named is not None else ""
        problem = _issue(file_name, sheet, _address(named, 0, numbers) if named is not None else "", "", f"Không tìm thấy dòng tiêu đề của danh sách (cột \"Họ và tên\" và \"Ngày sinh\"){where}", "Dùng mẫu danh sách của Sở, giữ nguyên dòng tiêu đề; họ và tên ghi trong một cột \"Họ và tên\"")
        return RosterSheet([], [problem], None, None)
    header_row = found
    resolve_topic, resolve_level = _cached(resolve_topic), _cached(resolve_level)
    layout = _layout(rows, header_row, merged, vocabulary, resolve_topic, resolve_level)
    title_lines = title_rows(rows, 0, header_row)
    year = find_year([text for _, _, text in title_lines], [], sheet, file_name.rsplit("/", 1)[-1])
    unit_label, unit_cell = _find_unit_line(title_lines, numbers)
    problems = _layout_problems(layout, header_row, numbers, file_name, sheet)
    if year is None:
        problems.append(_issue(file_name, sheet, "", "", f"Không xác định được năm của danh sách trong trang tính \"{sheet}\"", "Ghi năm vào dòng tiêu đề, ví dụ \"DANH SÁCH ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM 2026\""))
    sheet_unit = None
    if resolve_unit is not None:
        unit_cache: dict[str, str | None] = {}

        def unit_of(label: str) -> str | None:
            if label not in unit_cache:
                unit_cache[label] = resolve_unit(label, year)
            return unit_cache[label]

        stem = file_name.rsplit("/", 1)[-1].rsplit(".", 1)[0].replace("_", " ")
        for text in (unit_label, *(text for _, _, text in title_lines), sheet, stem):
            if text and (sheet_unit := unit_of(text)) is not None:
                break
    else:
        unit_of = None
        sheet_unit = unit_label

    records, row_problems = _read_people(_merged_filled(rows, merged, layout.first_row), layout, numbers, vocabulary, resolve_topic, resolve_level, unit_of, file_name, sheet)
    problems += row_problems
    for record in records:
        record.update(source_file=file_name, source_sheet=sheet, year=year)
        if record["unit_label"] is None:
            record.update(unit_label=unit_label, unit=sheet_unit)
    if resolve_unit is not None and year is not None:  # without a year, no list of units to look in
        problems += _unit_problems(records, unit_label, unit_cell, year, file_name, sheet)
        problems += _schools_naming_units(records, lambda label: resolve_unit(label, year, True), file_name, sheet)
    problems += _date_order_problems(records, file_name, sheet)
    for record in records:
        del record["unit_cell"], record["school_cell"], record["birth_is_text"]
    return RosterSheet(records, problems, year, sheet_unit)


def _merged_filled(rows, merged, first_row: int):
    """The rows with a cell merged over several people's rows read in each of them: a name and
    birth date merged over a person's two rows (one per topic) name the person of both."""
    spans = [((top, left), (bottom, right)) for (top, left), (bottom, right) in merged if bottom > top and top >= first_row and top < len(rows)]
    if not spans:
        return rows
    rows = [list(row) for row in rows]
    for (top, left), (bottom, right) in spans:
        value = _at(rows[top], left)
        for index in range(top + 1, min(bottom, len(rows) - 1) + 1):
            for column in range(left, right + 1):
                if column < len(rows[index]) and rows[index][column] is None:
                    rows[index][column] = value
    return rows


def _date_order_problems(records: list[dict], file_name: str, sheet: str) -> list[dict]:
    """Dates typed as text that read two ways ("3/4/1981"), in a list where some date can only
    be month first ("6/15/1982"): which way each was typed cannot be told, so none is guessed."""
    typed = [(record, _DAY_MONTH_YEAR.match(" ".join(record["birth_label"].split()))) for record in records if record["birth_is_text"] and record["birth_label"]]
    typed = [(record, int(match.group(1)), int(match.group(2))) for record, match in typed if match]
    month_first = next((record for record, first, second in typed if first <= 12 < second), None)
    if month_first is None:
        return []
    return [
        _issue(  # the date itself stays out of the report: personal data
            file_name, sheet, record["birth_cell"], "",
            f"Dòng {record['source_row']}: ngày sinh đọc được hai cách (ngày {first} tháng {second}, hoặc ngày {second} tháng {first}): "
            f"danh sách có ngày sinh ghi tháng trước ngày (ô {month_first['birth_cell']})",
            "Ghi mọi ngày sinh của danh sách theo kiểu ngày/tháng/năm, ví dụ 05/03/1970",
        )
        for record, first, second in typed
        if first <= 12 and second <= 12 and first != second
    ]


def _schools_naming_units(records: list[dict], unit_of, file_name: str, sheet: str) -> list[dict]:
    """A workplace column ("Đơn vị", "Nơi công tác") naming, by itself, another unit than the
    list's ("Xã An Thành" in a list of Xã Lai Khê): whose person it is cannot be told. A
    school named after a place ("Trường THPT chuyên Trần Phú") is a school."""
    problems = []
    for record in records:
        school = record["school"]
        named = unit_of(school) if school is not None and record["unit"] is not None else None
        if named is not None and named != record["unit"]:
            problems.append(_issue(
                file_name, sheet, record["school_cell"], school,
                f"Dòng {record['source_row']}: cột nơi công tác ghi \"{school}\", là tên đơn vị {named}, khác đơn vị {record['unit']} của danh sách; không rõ người này thuộc đơn vị nào",
                f"Nếu người này thuộc {named}, gửi trong danh sách của đơn vị đó; nếu không, ghi tên trường hoặc nơi công tác của người đó vào ô này",
            ))
    return problems


def _unit_problems(records: list[dict], unit_label, unit_cell, year, file_name: str, sheet: str) -> list[dict]:
    """A unit named in a row's own column that is not that year's, or a sheet naming no unit."""
    problems = []
    unresolved = [record for record in records if record["unit"] is None]
    for record in unresolved:
        if record["unit_cell"] is not None:
            problems.append(_issue(file_name, sheet, record["unit_cell"], record["unit_label"], f"Đơn vị \"{record['unit_label']}\" không có trong danh sách đơn vị năm {year}", "Sửa tên đơn vị theo danh sách đơn vị của năm"))
    if any(record["unit_cell"] is None for record in unresolved):
        found = f" (dòng \"{unit_label}\" không phải tên đơn vị năm {year})" if unit_label else ""
        problems.append(_issue(file_name, sheet, unit_cell or "", unit_label or "", f"Không xác định được đơn vị gửi danh sách trong trang tính \"{sheet}\"{found}", "Ghi \"Đơn vị: <tên xã, phường, đặc khu>\" vào khối tiêu đề, đúng tên trong danh sách đơn vị của năm"))
    return problems


# ---------------------------------------------------------------- header and layout


def _find_header(rows: list[list[object]], vocabulary: RosterVocabulary) -> int | None:
    first_rows = rows[:_HEADER_SEARCH_ROWS]
    return _name_header(first_rows, _header_roles(first_rows, vocabulary))


def _header_roles(rows: list[list[object]], vocabulary: RosterVocabulary) -> dict[str, str | None]:
    """Each text of ``rows`` -> its role as a header cell (None: no header's)."""
    return {value: vocabulary.header_role(value) for value in set(itertools.chain.from_iterable(rows)) if isinstance(value, str)}


def _name_header(rows: list[list[object]], role_of: dict[str, str | None]) -> int | None:
    """The first of ``rows`` naming "Họ và tên" with a birth date or a sex."""
    if "name" not in role_of.values():
        return None  # no column of names: a count form, not a list of people
    for index, row in enumerate(rows):
        roles = {role_of[value] for value in row if isinstance(value, str)}
        if "name" in roles and roles & {"birth_date", "male", "female"}:
            return index
    return None


@dataclass
class _Layout:
    roles: dict[str, int]  # role -> first column
    topic_columns: list[int]  # columns of topic labels as text
    mark_columns: dict[int, str]  # column -> topic code, marked "x"
    first_row: int
    repeated: list[tuple[str, int]]  # a role named by two columns: (role, second column)
    labels: dict[int, str]
    level_columns: dict[int, str] = field(default_factory=dict)  # column -> level code, marked "x" under a merged "Cấp học"


def _layout(rows, header_row: int, merged, vocabulary: RosterVocabulary, resolve_topic, resolve_level=None) -> _Layout:
    """Which column holds what, with a second header row folded in, and where the people start."""
    top = expand_merged(rows, header_row, merged)
    name_column = next(column for column, value in enumerate(rows[header_row]) if vocabulary.header_role(value) == "name")
    first = header_row + 1
    sub = None
    if first < len(rows) and _is_sub_header(rows[first], name_column, vocabulary) and not is_numbering_row(rows[first]):
        sub = expand_merged(rows, first, merged)
        first += 1
    if first < len(rows) and is_numbering_row(rows[first]):
        first += 1
    width = max(len(top), len(sub or []))
    roles: dict[str, int] = {}
    topic_columns, mark_columns, repeated, labels, level_columns = [], {}, [], {}, {}
    for column in range(width):
        upper = _at(top, column)
        lower = _at(sub, column) if sub is not None else None
        upper_role = vocabulary.header_role(upper)
        lower_role = vocabulary.header_role(lower) if lower is not None and lower != upper else None
        labels[column] = " ".join(str(part) for part in dict.fromkeys(p for p in (upper, lower) if p is not None))
        role, topic = None, None
        if upper_role == "level" and lower_role is None and isinstance(lower, str) and resolve_level is not None and (level := resolve_level(lower)):
            level_columns[column] = level  # "Cấp học" merged over "Mầm non" | "Tiểu học": a person's level marked "x"
            continue
        if lower_role in ("male", "female") or (lower_role is not None and upper_role != "topic"):
            role = lower_role
        elif lower is not None and lower != upper and isinstance(lower, str) and (upper_role in ("topic", None)) and (code := resolve_topic(lower)):
            topic = code
        elif upper_role is not None:
            role = upper_role
        elif isinstance(upper, str) and (code := resolve_topic(upper)):
            topic = code
        if topic is not None:
            mark_columns[column] = topic
        elif role == "topic":
            topic_columns.append(column)
        elif role is not None:
            if role in roles:
                repeated.append((role, column))
            else:
                roles[role] = column
    return _Layout(roles, topic_columns, mark_columns, first, repeated, labels, level_columns)


def _is_sub_header(row: list[object], name_column: int, vocabulary: RosterVocabulary) -> bool:
    """A second header row: nothing under "Họ và tên" (merged down) or its parts ("Họ đệm" |
    "Tên"), text only."""
    values = [value for value in row if value is not None]
    under_name = _at(row, name_column)
    return bool(values) and (under_name is None or vocabulary.header_role(under_name) == "name") and all(isinstance(value, str) for value in values)


def _marked_level(row, index: int, layout: _Layout, numbers, vocabulary: RosterVocabulary) -> tuple[str | None, str | None, str | None]:
    """(level, label, cell) of a person whose level is marked ("x") in one of the level
    columns; two marked, or a value no mark, is no level (the person is held back, that cell named)."""
    filled = [(column, _at(row, column)) for column in layout.level_columns if _at(row, column) is not None]
    if not filled:
        return None, None, _address(index, min(layout.level_columns), numbers)
    marked = [column for column, value in filled if vocabulary.resolve("answer", value) == "có"]
    if len(marked) == 1 and len(filled) == 1:
        return layout.level_columns[marked[0]], layout.labels.get(marked[0]), _address(index, marked[0], numbers)
    label = ", ".join(f"\"{value}\" ở cột {layout.labels.get(column, _letters(column))}" for column, value in filled)
    return None, label, _address(index, filled[0][0], numbers)


def _full_name(name: object, given_name: object) -> str:
    """A person's name, from "Họ và tên", or from "Họ đệm" and "Tên" typed apart (a given name
    the name already ends with is not added twice)."""
    full = " ".join(str(name).split())
    given = " ".join(str(given_name).split()) if given_name is not None else ""
    return f"{full} {given}" if given and not full.endswith(given) else full


def _layout_problems(layout: _Layout, header_row: int, numbers, file_name: str, sheet: str) -> list[dict]:
    problems = []
    header_cell = _address(header_row, layout.roles["name"], numbers)
    missing = [label for role, label in _REQUIRED.items() if role not in layout.roles]
    if not ({"sex", "male", "female"} & set(layout.roles)):
        missing.append("Giới tính (hoặc hai cột Nam, Nữ)")
    if not ({"level", "school"} & set(layout.roles)) and not layout.level_columns:
        missing.append("Cấp học")
    if not layout.topic_columns and not layout.mark_columns:
        missing.append("Nội dung đăng ký")
    if missing:
        problems.append(_issue(file_name, sheet, header_cell, "", f"Danh sách thiếu cột: {', '.join(missing)}", "Dùng mẫu danh sách của Sở, giữ đủ các cột"))
    for role, column in layout.repeated:
        if role in ("name", "birth_date", "sex", "level", "degree", "title", "identifier", "male", "female"):
            first = layout.roles[role]
            problems.append(_issue(file_name, sheet, _address(header_row, column, numbers), layout.labels.get(column, ""), f"Hai cột cùng là \"{layout.labels.get(first, '')}\" (cột {_letters(first)} và cột {_letters(column)}); chỉ đọc cột {_letters(first)}", "Xóa hoặc đổi tên cột thừa", "cảnh báo"))
    return problems


def _find_unit_line(lines: list[tuple[int, int, str]], numbers) -> tuple[str | None, str | None]:
    for row, column, line in lines:
        match = _UNIT_LINE.match(unicodedata.normalize("NFC", line))
        if match:
            return match.group(1), _address(row, column, numbers)
    return None, None


# ---------------------------------------------------------------- people


def _read_people(rows, layout: _Layout, numbers, vocabulary: RosterVocabulary, resolve_topic, resolve_level, unit_of, file_name, sheet):
    roles = layout.roles
    name_column = roles["name"]
    birth_column = roles.get("birth_date")
    sex_columns = [(roles[role], code) for role, code in (("male", "Nam"), ("female", "Nữ")) if role in roles]
    data_columns = [column for role, column in roles.items() if role not in ("stt", "name", "note", "school")]
    data_columns += layout.topic_columns + list(layout.mark_columns) + list(layout.level_columns)
    records, problems = [], []
    group_start = layout.first_row  # where the people a subtotal ("Cộng" under each school) counts begin
    for index in range(layout.first_row, len(rows)):
        row = rows[index]
        name = _at(row, name_column)
        has_data = any(_at(row, column) is not None for column in data_columns)
        held = _registration_or_person_column(row, layout, vocabulary, resolve_topic) if name is None else None
        # A person's row, even a headmaster's ("Hiệu trưởng"), has a name that is no footer line.
        if (name is None or vocabulary.header_role(name) == "footer") and held is None and _is_footer(row, vocabulary) and not _has_birth(row, birth_column, sex_columns):
            below = _next_person(rows, index + 1, layout, birth_column, sex_columns, vocabulary)
            if below is None:
                break  # the signing block: nobody is listed under it
            if _find_header(rows[index + 1 : below + 1], vocabulary) is not None:
                problems.append(_issue(
                    file_name, sheet, _address(index, name_column, numbers), "",
                    f"Dưới dòng ký tên, ngày tháng (dòng {numbers[index]}) còn một danh sách khác, có người từ dòng {numbers[below]}: không rõ người của danh sách đó thuộc đơn vị, trường nào",
                    "Gửi mỗi danh sách trong một trang tính riêng, mỗi trang có dòng tiêu đề và phần ký tên của nó",
                ))
                break
            # A group heading ("Hiệu trưởng") or a note with a date, with people under it: read on.
            problems.append(_issue(
                file_name, sheet, _address(index, name_column, numbers), "",
                f"Dòng {numbers[index]} giống dòng ký tên hoặc ngày tháng nhưng bên dưới vẫn còn người (từ dòng {numbers[below]}): đã coi là dòng tiêu đề nhóm hoặc ghi chú và đọc tiếp",
                "Không cần sửa nếu đúng vậy; nếu danh sách kết thúc ở dòng này thì xóa các dòng người bên dưới", "cảnh báo",
            ))
            if not has_data:
                continue
        if name is None or vocabulary.header_role(name) == "total":
            if has_data and vocabulary.header_role(_first_text(row)) == "total":
                # A group's total has people or another total under it; the list's is the last.
                following = next((later for later in rows[index + 1 :] if any(value is not None for value in later)), None)
                is_group = _next_person(rows, index + 1, layout, birth_column, sex_columns, vocabulary) is not None or (following is not None and vocabulary.header_role(_first_text(following)) == "total")
                problems += _total_row_problems(rows, index, group_start if is_group else layout.first_row, {record["source_row"] for record in records}, layout, sex_columns, numbers, vocabulary, file_name, sheet)
                group_start = index + 1
            if held is not None and vocabulary.header_role(_first_text(row)) != "total":
                # A registration nobody's: a row shifted right ("Họ và tên" blank, the name under
                # "Ngày sinh"), or a person's second row typed without the name. Never dropped.
                problems.append(_issue(
                    file_name, sheet, _address(index, name_column, numbers), "",
                    f"Dòng {numbers[index]} không có họ tên nhưng có nội dung đăng ký hoặc thông tin của một người (ô {_address(index, held, numbers)}): không biết là của ai, không tính được",
                    f"Ghi họ và tên vào ô {_address(index, name_column, numbers)}; nếu cả dòng bị lệch cột thì chuyển các ô về đúng cột; nếu là dòng tổng thì ghi \"Tổng cộng\" ở đầu dòng; xóa dòng nếu thừa",
                ))
            elif has_data and vocabulary.header_role(_first_text(row)) != "total":
                problems.append(_issue(file_name, sheet, _address(index, name_column, numbers), "", f"Dòng {numbers[index]} có thông tin nhưng không có họ tên, đã bỏ qua", "Ghi họ và tên vào ô này, hoặc xóa dòng nếu thừa", "cảnh báo"))
            continue
        if not has_data:
            problems.append(_issue(file_name, sheet, _address(index, name_column, numbers), "", f"Dòng {numbers[index]} chỉ có chữ ở cột họ tên, không có ngày sinh hay thông tin nào khác, đã bỏ qua", "Không cần sửa nếu đây là dòng tiêu đề nhóm; nếu là một người thì ghi đủ thông tin", "cảnh báo"))
            continue
        records.append(_person(row, index, layout, numbers, vocabulary, resolve_topic, resolve_level, unit_of))
        problems += _unread_cells(row, index, layout, numbers, vocabulary, resolve_topic, file_name, sheet)
    return records, problems


def _registration_or_person_column(row, layout: _Layout, vocabulary: RosterVocabulary, resolve_topic) -> int | None:
    """The first column of a row where a person would be: a topic registered (a topic's code
    or name, a mark under a topic's column, a topic under no header), a birth date or a sex
    (under "Ngày sinh", "Giới tính", "Nam" or "Nữ": where a shifted birth date lands) or an
    identifier. None for a group heading, a note or a signing line, which hold none of these."""
    roles = layout.roles
    for column in layout.topic_columns:
        value = _at(row, column)
        if value is not None and any(resolve_topic(part) for part in _TOPIC_SEPARATORS.split(str(value)) if part):
            return column
    for column in layout.mark_columns:
        if vocabulary.resolve("answer", _at(row, column)) == "có":
            return column
    for role in ("birth_date", "male", "female", "sex"):
        value = _at(row, roles[role]) if role in roles else None
        if value is None or (isinstance(value, str) and _DATE_LINE.search(unicodedata.normalize("NFC", value).casefold())):
            continue  # a signing date ("ngày 10 tháng 12 năm 2025") is nobody's birth date
        if parse_birth_date(value)[0] is not None or vocabulary.resolve("sex", value) is not None or (role != "sex" and vocabulary.resolve("answer", value) == "có"):
            return roles[role]
    if "identifier" in roles and len(re.sub(r"\D", "", str(_at(row, roles["identifier"]) or ""))) >= _IDENTIFIER_DIGITS - 3:
        return roles["identifier"]
    read = {*roles.values(), *(column for _, column in layout.repeated), *layout.topic_columns, *layout.mark_columns, *layout.level_columns}
    for column, value in enumerate(row):
        if column not in read and not layout.labels.get(column) and isinstance(value, str) and resolve_topic(value):
            return column
    return None


def _next_person(rows, start: int, layout: _Layout, birth_column, sex_columns, vocabulary: RosterVocabulary) -> int | None:
    """The first row from ``start`` that lists a person: a name with a birth date or a topic
    (a signer's name under "Hiệu trưởng" has neither)."""
    name_column = layout.roles["name"]
    topic_columns = layout.topic_columns + list(layout.mark_columns)
    for index in range(start, len(rows)):
        row = rows[index]
        name = _at(row, name_column)
        if name is None or vocabulary.header_role(name) is not None:
            continue
        if _has_birth(row, birth_column, sex_columns) or any(_at(row, column) is not None for column in topic_columns):
            return index
    return None


def _unread_cells(row, index: int, layout: _Layout, numbers, vocabulary: RosterVocabulary, resolve_topic, file_name: str, sheet: str) -> list[dict]:
    """A person's cells no column of the list accounts for: a value under no header (past the
    header, or a CSV line split by an unquoted "BD01, BD03"), or a mark ("x") under a header
    that names no topic of the catalogue, beside the topics' columns. What they say cannot be
    told, and a topic may be lost: the list is held back. Other text under a header of its own
    ("Số điện thoại") is the list's business."""
    read = {*layout.roles.values(), *(column for _, column in layout.repeated), *layout.topic_columns, *layout.mark_columns, *layout.level_columns}
    problems = []
    for column, value in enumerate(row):
        if value is None or column in read:
            continue
        header = layout.labels.get(column, "")
        mark = vocabulary.resolve("answer", value) == "có"
        topic = resolve_topic(value) if isinstance(value, str) else None
        shown = str(value) if topic is not None or mark else ""  # anything else may be personal data
        if not header:
            problems.append(_issue(
                file_name, sheet, _address(index, column, numbers), shown,
                f"Dòng {numbers[index]}: ô {_address(index, column, numbers)} có giá trị nhưng cột này không có tiêu đề, không biết là thông tin gì (một nội dung đăng ký bị tách sang ô bên cạnh?)",
                "Ghi mọi nội dung đăng ký của người này vào cùng một ô; trong tệp CSV đặt ô đó trong dấu ngoặc kép (\"BD01, BD03\"); xóa giá trị thừa",
            ))
        elif mark and layout.mark_columns:
            problems.append(_issue(
                file_name, sheet, _address(index, column, numbers), shown,
                f"Dòng {numbers[index]}: đánh dấu ở cột \"{header}\", nhưng cột này không phải nội dung đăng ký nào trong danh mục",
                "Ghi tên hoặc mã nội dung đúng như danh mục nội dung đào tạo, bồi dưỡng ở đầu cột này",
            ))
    return problems


def _total_row_problems(rows, index: int, since: int, people_rows: set[int], layout: _Layout, sex_columns, numbers, vocabulary: RosterVocabulary, file_name: str, sheet: str) -> list[dict]:
    """A total row counts the people above it from row ``since`` marked ("x") in a topic's
    column, or with a date or mark under "Nam" or "Nữ": the whole list's ("Tổng cộng"), or a
    group's since the total row before it ("Cộng" under each school). A count that differs
    holds the list back, for one of the two is wrong."""
    problems = []
    above = [row_index for row_index in range(since, index) if numbers[row_index] in people_rows]
    for column in [*layout.mark_columns, *(column for column, _ in sex_columns)]:
        stated = _at(rows[index], column)
        if stated is None or isinstance(stated, bool) or not isinstance(stated, (int, float)):
            continue
        counted = sum(1 for row_index in above if _marks(_at(rows[row_index], column), vocabulary))
        if stated != counted:
            header = layout.labels.get(column) or _letters(column)
            whose = f"nhóm bên trên (từ sau dòng tổng {numbers[since - 1]})" if since > layout.first_row else "danh sách bên trên"
            problems.append(_issue(
                file_name, sheet, _address(index, column, numbers), str(stated),
                f"Dòng tổng {numbers[index]} ghi {stated} ở cột \"{header}\", nhưng {whose} có {counted} người ghi ở cột này",
                "Sửa số ở dòng tổng cho khớp với danh sách, hoặc bổ sung người còn thiếu vào danh sách",
            ))
    return problems


def _marks(value: object, vocabulary: RosterVocabulary) -> bool:
    """A cell counting its person in a total: a mark ("x", "có") or a birth date."""
    return value is not None and (vocabulary.resolve("answer", value) == "có" or parse_birth_date(value)[0] is not None)


def _person(row, index: int, layout: _Layout, numbers, vocabulary: RosterVocabulary, resolve_topic, resolve_level, unit_of) -> dict:
    roles = layout.roles

    def value(role: str) -> object:
        return _at(row, roles[role]) if role in roles else None

    def cell(role: str) -> str | None:
        return _address(index, roles[role], numbers) if role in roles else None

    birth, precision, birth_label, birth_cell, sex_by_column, sex_column_label = _birth_and_sex(row, index, layout, numbers, vocabulary)
    sex_label = _text(value("sex"))
    sex = vocabulary.resolve("sex", sex_label) if sex_label is not None else None
    if sex_label is None and sex_column_label is not None:
        sex_label, sex = sex_column_label, sex_by_column
    elif sex is not None and sex_by_column is not None and sex != sex_by_column:  # "Nữ" typed, the date under "Nam": which is it?
        sex, sex_label = None, f"{sex_label} ở cột giới tính, ngày sinh ở {sex_column_label}"
    school = _text(value("school"))
    level_label = _text(value("level"))
    level = resolve_level(level_label) if level_label is not None else None
    level_cell = cell("level")
    if layout.level_columns:
        level, level_label, level_cell = _marked_level(row, index, layout, numbers, vocabulary)
    if level_label is None and school is not None:  # "Trường Mầm non Hoa Sen" names its level
        level, level_label, level_cell = resolve_level(school), school, cell("school")
    elif level is not None and school is not None and resolve_level(school) not in (None, level):  # "Mầm non" typed, "Trường THCS Kim Đồng"
        level, level_label = None, f"{level_label} ở cột cấp học, trường {school}"
    degree_label, title_label, major = _text(value("degree")), _text(value("title")), _text(value("major"))
    certificate_label = _text(value("certificate"))
    certificate = vocabulary.resolve("answer", certificate_label)
    if major is not None:
        teacher_training = vocabulary.is_teacher_training(major)
    elif degree_label is not None and vocabulary.is_teacher_training(degree_label):
        teacher_training = True  # "CĐSP", "Đại học sư phạm"
    else:
        teacher_training = None
    topics, labels, unknown, topic_cell = _topics(row, index, layout, numbers, vocabulary, resolve_topic)
    unit_label = _text(value("unit"))
    return {
        "source_row": numbers[index],
        "name_cell": _address(index, roles["name"], numbers),
        "unit_label": unit_label,
        "unit": (unit_of(unit_label) if unit_of is not None else unit_label) if unit_label is not None else None,
        "unit_cell": cell("unit") if unit_label is not None else None,
        "school_cell": cell("school"),
        "name": _full_name(value("name"), value("given_name")),
        "identifier": _identifier(value("identifier")),
        "birth_date": birth,
        "birth_precision": precision,
        "birth_label": birth_label,
        "birth_cell": birth_cell,
        "birth_is_text": not any(isinstance(typed, dt.date) for typed in ([value("birth_date")] if "birth_date" in roles else [value("male"), value("female")])),
        "sex": sex,
        "sex_label": sex_label,
        "sex_cell": cell("sex") or birth_cell,
        "school": school,
        "level": level,
        "level_label": level_label,
        "level_cell": level_cell,
        "title": vocabulary.resolve("title", title_label),
        "title_label": title_label,
        "title_cell": cell("title"),
        "degree": vocabulary.resolve("degree", degree_label),
        "degree_label": degree_label,
        "degree_cell": cell("degree"),
        "major": major,
        "is_teacher_training": teacher_training,
        "has_certificate": None if certificate is None else certificate == "có",
        "certificate_label": certificate_label,
        "topics": " ".join(topics),
        "topic_labels": " | ".join(labels) if labels else None,
        "unknown_topics": " | ".join(unknown) if unknown else None,
        "topic_cell": topic_cell,
    }


def _birth_and_sex(row, index: int, layout: _Layout, numbers, vocabulary: RosterVocabulary):
    """(birth date, precision, label as typed, cell, sex given by a Nam/Nữ column, what that column held).

    Two layouts: a birth-date column, with "Nam"/"Nữ" columns (if any) marked "x"; or
    no birth-date column, the date typed under "Nam" or "Nữ".
    """
    roles = layout.roles
    birth_column = roles.get("birth_date")
    typed = []  # (column, value, sex) of every filled Nam/Nữ cell
    for role, sex in (("male", "Nam"), ("female", "Nữ")):
        if role in roles and (value := _at(row, roles[role])) is not None:
            typed.append((roles[role], value, sex))
    dated = [(column, value, sex) for column, value, sex in typed if parse_birth_date(value)[0] is not None or vocabulary.resolve("answer", value) is None]
    marked = [(column, value, sex) for column, value, sex in typed if (column, value, sex) not in dated and vocabulary.resolve("answer", value) == "có"]
    sex, sex_label = None, None
    if len(dated) + len(marked) == 1:
        sex = (dated or marked)[0][2]
        sex_label = f"cột {sex}"
    elif len(dated) + len(marked) > 1:
        sex_label = "cả hai cột Nam và Nữ"
    elif typed:
        sex_label = "; ".join(f"cột {s}: {v}" for _, v, s in typed)
    elif birth_column is not None and ("male" in roles) != ("female" in roles):
        # One column "Nữ" (or "Nam") marked "x" beside the birth date: blank is the other sex.
        sex = "Nam" if "female" in roles else "Nữ"
        sex_label = f"cột {'Nữ' if 'female' in roles else 'Nam'} để trống"
    elif "male" in roles or "female" in roles:
        sex_label = ""  # the layout gives the sex, and nothing was typed under either column
    if birth_column is not None and _at(row, birth_column) is not None:
        value = _at(row, birth_column)
        birth, precision = parse_birth_date(value)
        return birth, precision, _birth_text(value), _address(index, birth_column, numbers), sex, sex_label
    if len(dated) == 1:
        column, value, _ = dated[0]
        birth, precision = parse_birth_date(value)
        return birth, precision, _birth_text(value), _address(index, column, numbers), sex, sex_label
    if len(dated) > 1:
        values = {parse_birth_date(value) for _, value, _ in dated}
        label = "; ".join(f"{s}: {_birth_text(v)}" for _, v, s in dated)
        column = dated[0][0]
        if len(values) == 1 and None not in next(iter(values)):
            birth, precision = values.pop()
            return birth, precision, label, _address(index, column, numbers), None, sex_label
        return None, None, label, _address(index, column, numbers), None, sex_label
    column = birth_column if birth_column is not None else (roles.get("male", roles.get("female")))
    return None, None, None, _address(index, column, numbers) if column is not None else None, sex, sex_label


def _has_birth(row, birth_column, sex_columns) -> bool:
    columns = ([birth_column] if birth_column is not None else []) + [column for column, _ in sex_columns]
    return any(parse_birth_date(_at(row, column))[0] is not None for column in columns)


def parse_birth_date(value: object) -> tuple[dt.date | None, str | None]:
    """A birth date as typed: ``(date, precision)``, or ``(None, None)`` when unreadable.

    A date or datetime cell; text "05/03/1970" (day first, "." or "-" also), "1970-03-05",
    "ngày 5 tháng 3 năm 1970"; "03/1970" (the 1st of the month); a year, 1970 or "1970"
    (01/01 of that year, as Nghị định 135/2020, Điều 3 khoản 1 says). A two-digit year
    or a month past 12 is not guessed.
    """
    if isinstance(value, dt.datetime):
        return value.date(), "day"
    if isinstance(value, dt.date):
        return value, "day"
    if isinstance(value, bool):
        return None, None
    if isinstance(value, int):
        return (dt.date(value, 1, 1), "year") if 1000 <= value <= 2999 else (None, None)
    if not isinstance(value, str):
        return None, None
    text = unicodedata.normalize("NFC", " ".join(value.split())).casefold()
    try:
        if match := _DAY_MONTH_YEAR.match(text) or _WORDED_DATE.match(text):
            day, month, year = (int(part) for part in match.groups())
            return dt.date(year, month, day), "day"
        if match := _ISO_DATE.match(text):
            year, month, day = (int(part) for part in match.groups())
            return dt.date(year, month, day), "day"
        if match := _MONTH_YEAR.match(text):
            month, year = (int(part) for part in match.groups())
            return dt.date(year, month, 1), "month"
    except ValueError:
        return None, None
    if match := _YEAR.match(text):
        year = int(match.group(1))
        return (dt.date(year, 1, 1), "year") if 1000 <= year else (None, None)
    return None, None


def _birth_text(value: object) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _topics(row, index: int, layout: _Layout, numbers, vocabulary: RosterVocabulary, resolve_topic):
    """(codes, labels as typed, labels naming no topic, first cell) of a person's topics."""
    codes, labels, unknown, first_cell = [], [], [], None
    for column in layout.topic_columns:
        value = _at(row, column)
        if value is None:
            continue
        first_cell = first_cell or _address(index, column, numbers)
        text = str(value)
        labels.append(text)
        for part in (part for part in _TOPIC_SEPARATORS.split(text) if part):
            code = resolve_topic(part)
            if code is None and "," in part:
                pieces = [piece.strip() for piece in part.split(",") if piece.strip()]
                found = [resolve_topic(piece) for piece in pieces]
                if all(found):
                    codes += found
                    continue
            if code is None:
                unknown.append(part)
            else:
                codes.append(code)
    for column, code in layout.mark_columns.items():
        value = _at(row, column)
        if value is None:
            continue
        answer = vocabulary.resolve("answer", value)
        if answer == "không":
            continue
        first_cell = first_cell or _address(index, column, numbers)
        label = layout.labels.get(column, code)
        labels.append(f"{label}: {value}")
        if answer == "có":
            codes.append(code)
        else:
            unknown.append(f"cột {label} ghi \"{value}\" (chỉ đánh dấu x)")
    return list(dict.fromkeys(codes)), labels, unknown, first_cell


def _identifier(value: object) -> str | None:
    """A personal identifier as text; a 12-digit CCCD read as a number gets its leading zeros back."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
        return text.zfill(_IDENTIFIER_DIGITS) if len(text) in (_IDENTIFIER_DIGITS - 2, _IDENTIFIER_DIGITS - 1) else text
    text = "".join(str(value).split())
    return text or None


def _is_footer(row, vocabulary: RosterVocabulary) -> bool:
    for value in row:
        if not isinstance(value, str):
            continue
        if vocabulary.header_role(value) == "footer" or _DATE_LINE.search(unicodedata.normalize("NFC", value).casefold()):
            return True
    return False


def _first_text(row) -> str | None:
    return next((value for value in row if isinstance(value, str)), None)


# ---------------------------------------------------------------- helpers


def _cached(function: Resolver) -> Resolver:
    """A resolver that answers each distinct label once (labels repeat on every row)."""
    answers: dict[str, str | None] = {}

    def resolve(label: str) -> str | None:
        if label not in answers:
            answers[label] = function(label)
        return answers[label]

    return resolve


def _at(row, column):
    if row is None or column is None or column >= len(row):
        return None
    return row[column]


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%d/%m/%Y")
    return " ".join(str(value).split()) or None


def _address(row_index: int, column: int, numbers) -> str:
    """The cell's address as the spreadsheet shows it (a CSV: the column and line number)."""
    number = numbers[row_index] if row_index < len(numbers) else row_index + 1
    return f"{_letters(column)}{number}"


def _letters(column: int) -> str:
    return re.sub(r"\d+$", "", cell_address(0, column))


def _issue(file, sheet, cell, value, problem, fix, severity="lỗi", unit: str | None = None) -> dict:
    return {"file": file, "sheet": sheet, "cell": cell, "value": str(value), "problem": problem, "fix": fix, "severity": severity, "unit": unit or ""}


def _issues(problems: list[dict]) -> pd.DataFrame:
    return Issue.validate(pd.DataFrame(problems, columns=list(Issue.to_schema().columns)).astype(str))


_PERSON_COLUMNS = list(models.RosterPerson.to_schema().columns)


_TEXT_COLUMNS = [name for name, column in models.RosterPerson.to_schema().columns.items() if str(column.dtype) == "str"]


def _typed_persons(frame: pd.DataFrame) -> pd.DataFrame:
    """The table in its schema's types before the check: text as text (a blank stays blank),
    which pandera would otherwise coerce column by column at a cost."""
    frame = frame.astype({"source_row": int, "year": "Int64", "is_teacher_training": "boolean", "has_certificate": "boolean"} | dict.fromkeys(_TEXT_COLUMNS, "str"))
    frame = frame.assign(birth_date=pd.to_datetime(frame["birth_date"]))
    return models.RosterPerson.validate(frame)
