"""Validate: resolve each table's labels against the reference data, decide what every
number cell is, and check every rule.

Grain of the output: one row per year, unit, topic and level (``schemas.Registration``),
plus one row per problem (``schemas.Issue``) and one row per input file.

Every non-empty cell of a table's number area ends in exactly one place of its file's
ledger: **booked** (a registration, with its source cell), **checked** (a total, a
group row's subtotal, an "of which" part, or a group checked against its level's
total: verified against the booked cells) or **set aside** with a reason in the report.
Rejection is per file: one error holds back every number of that file, because a
half-read file would corrupt the totals.
"""

from __future__ import annotations

import array
import datetime as dt
import functools
import itertools
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pandera.pandas as pa

import schemas
from pipeline import csv_text, names
from pipeline import persons as person_rules
from pipeline.ingest import ReadFile, folder_year, roster
from pipeline.ingest.roster import RosterVocabulary
from pipeline.ingest.reading import CellError
from pipeline.ingest.layout import COUNT, GROUP, PART, TOTAL, Column, Row, Table, column_years, find_unit_line, find_year, is_date_line, name_year, years_named
from pipeline.reference import Vocabulary
from pipeline.text import column_letters, find_codes, fold_key, parse_headcount, text_key
from schemas.rules import ERROR, RULES, WARNING

ACCEPTED, REJECTED = "chấp nhận", "bị từ chối"
BOOKED, CHECKED, SET_ASIDE = "booked", "checked", "set_aside"
_DASHES = frozenset({"-", "–", "—", "--"})
_ISSUE_COLUMNS = list(schemas.Issue.to_schema().columns)
_CANDIDATE_COLUMNS = list(schemas.Candidate.to_schema().columns)
REGISTRATION_COLUMNS = list(schemas.Registration.to_schema().columns)
_NAN = float("nan")
_CELLS_NAMED = 5  # a message names this many cells, then how many in all


@dataclass
class Bookings:
    """A file's registrations as read, before the checks across files: one entry per year,
    unit, topic and level, with the sheet, cell and row it was read from.

    Kept column by column: a file's hundreds of entries are cached, sent back from a
    worker and joined with every other file's as a few lists, not as hundreds of objects;
    the numbers as arrays of machine numbers (a run may book over a million cells).
    """

    year: array.array = field(default_factory=lambda: array.array("q"))
    unit: list[str] = field(default_factory=list)
    topic: list[str] = field(default_factory=list)
    level: list[str] = field(default_factory=list)
    headcount: array.array = field(default_factory=lambda: array.array("d"))
    value: list[object] = field(default_factory=list)
    source_sheet: list[str] = field(default_factory=list)
    source_cell: list[str] = field(default_factory=list)
    source_row: array.array = field(default_factory=lambda: array.array("q"))  # the row number the spreadsheet shows

    @classmethod
    def of(cls, entries: list[tuple]) -> "Bookings":
        """From entries (year, unit, topic, level, headcount, value, sheet, cell, row), in order."""
        if not entries:
            return cls()
        year, unit, topic, level, headcount, value, sheet, cell, row = zip(*entries)
        return cls(array.array("q", year), list(unit), list(topic), list(level), array.array("d", headcount), list(value), list(sheet), list(cell), array.array("q", row))

    def extend(self, other: "Bookings") -> None:
        for column in BOOKING_COLUMNS:
            getattr(self, column).extend(getattr(other, column))

    def __len__(self) -> int:
        return len(self.year)


BOOKING_COLUMNS = ("year", "unit", "topic", "level", "headcount", "value", "source_sheet", "source_cell", "source_row")


def bookings_table(results: Iterable["FileResult"]) -> pd.DataFrame:
    """Every file's bookings in one table, with ``source_file``.

    Each column is made with its type (a run may book over a million cells: inferring
    the types cell by cell costs more than the rest); ``value`` is as typed, numbers or text."""
    results = list(results)
    columns = {}
    for column in (*BOOKING_COLUMNS, "source_file"):
        if column in _NUMBER_COLUMNS:
            numbers = array.array(_NUMBER_COLUMNS[column])
            for result in results:
                numbers.extend(getattr(result.bookings, column))
            columns[column] = pd.Series(np.frombuffer(numbers, dtype=numbers.typecode).copy())
            continue
        if column == "source_file":
            values = list(itertools.chain.from_iterable(itertools.repeat(result.file, len(result.bookings)) for result in results))
        else:
            values = list(itertools.chain.from_iterable(getattr(result.bookings, column) for result in results))
        if column == "value":
            columns[column] = pd.Series(values, dtype=object if not values else None)
        else:
            columns[column] = pd.Series(np.array(values, dtype=object), dtype=str if values else object)
    return pd.DataFrame(columns)


_NUMBER_COLUMNS = {"year": "q", "headcount": "d", "source_row": "q"}


@dataclass(frozen=True)
class Ledger:
    """Where a file's non-empty number cells went; ``sum_booked``: the people booked."""

    booked: int = 0
    checked: int = 0
    set_aside: int = 0
    sum_booked: int = 0


@dataclass(frozen=True)
class FileResult:
    """One file read and checked on its own: what it books, its problems, its ledger."""

    file: str
    sheets: str
    bookings: Bookings = field(default_factory=Bookings)
    issues: list[dict] = field(default_factory=list)
    ledger: Ledger = Ledger()
    rows: int = 0
    named: list[tuple[str, int, int | None, str | None]] = field(default_factory=list)  # per data row: sheet, row number, year, unit (None: not found)
    persons: list[dict] = field(default_factory=list)  # the people of its roster sheets (``schemas.persons.RosterPerson``)
    is_sample: bool = False  # its title says it holds illustrative data, not real registrations
    booked_rows: list[tuple] = field(default_factory=list)  # ``booked_per_row``: what it books per sheet row and unit
    units: tuple[tuple[int, str], ...] = ()  # (year, unit) of every unit it books, in order
    repeats: bool = False  # it books a year, unit, topic and level twice itself
    registration_lines: bytes | None = None  # its rows of ``data/registrations.csv`` should it be accepted (``registration_lines``)


def may_repeat(results: Iterable[FileResult]) -> set[str]:
    """The files that may book a year, unit, topic and level some other booking books too:
    those booking a unit another file books in the same year, those booking a key twice
    themselves, and those listing people (counted into the registrations across files).
    Only their bookings can hold the same figure sent twice; the others' are not searched."""
    files_of: dict[tuple[int, str], set[str]] = defaultdict(set)
    suspects = set()
    for result in results:
        for pair in result.units:
            files_of[pair].add(result.file)
        if result.repeats or result.persons:
            suspects.add(result.file)
    return suspects.union(*(files for files in files_of.values() if len(files) > 1))


def booked_per_row(bookings: Bookings, named: list[tuple[str, int, int | None, str | None]]) -> list[tuple]:
    """What a file books, accepted or not, per sheet row, year and unit: (sheet, row, year,
    unit, headcount), the whole non-negative numbers counted, in the order first booked;
    then each data row that books nothing, with the unit it names (None: not found), at 0:
    a row whose topic is unknown still tells whose file it is."""
    counted: dict[tuple, float] = {}
    for sheet, row, year, unit, headcount in zip(bookings.source_sheet, bookings.source_row, bookings.year, bookings.unit, bookings.headcount):
        headcount = float(headcount)
        whole = headcount >= 0 and (headcount.is_integer() or headcount == math.inf)
        counted[(sheet, row, year, unit)] = counted.get((sheet, row, year, unit), 0.0) + (headcount if whole else 0.0)
    for sheet, row, year, unit in named:
        counted.setdefault((sheet, row, year, unit), 0.0)
    return [(*key, headcount) for key, headcount in counted.items()]


# ---------------------------------------------------------------- one batch of files


def check_files(read_files: Iterable[ReadFile], vocabulary: Vocabulary, roster_vocabulary: RosterVocabulary | None = None) -> list[FileResult]:
    """Every rule that looks at one file alone, for a batch of files read by ingest.

    Files are independent here: they can be checked in batches, in parallel, and the
    result of an unchanged file reused. The per-cell rules are checked on the batch's
    cells together (``schemas.Candidate``); the rest table by table.
    """
    read_files = list(read_files)
    resolver = _Resolver(vocabulary)
    plans = [_TablePlan.build(table, read.file, read.delimiters.get(table.sheet), resolver) for read in read_files for table in read.tables]
    # Only cells that some rule could fail are checked against the contract: a whole number
    # from 0 under a unit, topic and level found exactly passes every rule (``_is_plain``).
    checked = [(plan_index, cell_index) for plan_index, plan in enumerate(plans) for cell_index, cell in enumerate(plan.cells) if cell.candidate]
    candidates = pd.DataFrame.from_records([plans[p].cells[c].candidate for p, c in checked], columns=_CANDIDATE_COLUMNS)
    failed_by_plan: dict[int, dict[int, list[str]]] = defaultdict(dict)
    for row, rules in _failed_rules(candidates).items():
        plan_index, cell_index = checked[row]
        failed_by_plan[plan_index][cell_index] = rules
    plan_numbers = {id(plan): index for index, plan in enumerate(plans)}
    by_file: dict[str, list[_TablePlan]] = defaultdict(list)
    for plan in plans:
        by_file[plan.file].append(plan)
    results = []
    for read in read_files:
        issues = list(read.problems)
        bookings = Bookings()
        ledger = defaultdict(int)
        rows = 0
        named, people = [], []
        for grid in read.rosters:
            sheet = roster.read_roster(grid.rows, grid.merged, grid.sheet, read.file, roster_vocabulary, *roster_resolvers(vocabulary))
            people += sheet.persons
            issues += sheet.problems
            issues += _year_disagreements(sheet.year, grid.sheet, read.file, " (trang tính ẩn)" if grid.is_hidden else "")
            issues += _hidden_people(sheet, grid, read.file)
        for plan in by_file.get(read.file, []):
            plan_failed = failed_by_plan.get(plan_numbers[id(plan)], {})
            plan_issues = plan.issues(plan_failed)
            issues += plan_issues
            bookings.extend(plan.bookings())
            for bucket, count in plan.ledger(plan_failed, plan_issues).items():
                ledger[bucket] += count
            rows += plan.data_row_count
            named += plan.named_rows()
        ledger_row = Ledger(ledger[BOOKED], ledger[CHECKED], ledger[SET_ASIDE], ledger["people"])
        units = set(bookings.unit)
        if len(units) == 1:  # one unit's file: its problems are that unit's
            issues = [issue if issue["unit"] else issue | {"unit": next(iter(units))} for issue in issues]
        is_sample = any(marker in text_key(table.title) for table in read.tables for marker in vocabulary.sample_markers)
        booked_units = tuple(dict.fromkeys(zip(bookings.year, bookings.unit)))
        repeats = len(set(zip(bookings.year, bookings.unit, bookings.topic, bookings.level))) < len(bookings)
        results.append(
            FileResult(
                read.file, ", ".join(read.sheets), bookings, _unique(issues), ledger_row, rows + len(people), named, people, is_sample,
                booked_per_row(bookings, named), booked_units, repeats, registration_lines(bookings, read.file),
            )
        )
    return results


def registration_lines(bookings: Bookings, file: str) -> bytes | None:
    """A file's bookings as its rows of ``data/registrations.csv`` (``csv_text.lines``, the
    columns of ``schemas.Registration``), packed, made once with its result: a run writes the table by
    joining the accepted files' rows. None when a figure is no whole number from 0: such a
    file is never accepted."""
    if not all(headcount >= 0 and headcount.is_integer() for headcount in bookings.headcount):
        return None
    columns = {column: getattr(bookings, column, None) for column in REGISTRATION_COLUMNS}
    columns.update(headcount=[int(headcount) for headcount in bookings.headcount], source_file=[file] * len(bookings))
    return csv_text.pack(csv_text.lines([columns[column] for column in REGISTRATION_COLUMNS]))


def registrations_csv(results: list[FileResult], files: pd.DataFrame, registrations: pd.DataFrame) -> list[bytes]:
    """The lines of ``data/registrations.csv`` (no header), packed (``csv_text.pack``), in the
    order of ``registrations`` (``check_across``): each accepted file's own, made when it was
    checked, then those of the people the lists count."""
    accepted = [result for result, status in zip(results, files["status"], strict=True) if status == ACCEPTED and len(result.bookings)]
    if any(result.registration_lines is None for result in accepted):
        raise ValueError("an accepted file books a figure that is no whole number from 0")
    counted = registrations.iloc[sum(len(result.bookings) for result in accepted) :]
    return [result.registration_lines for result in accepted] + [csv_text.pack(csv_text.lines([counted[column].tolist() for column in REGISTRATION_COLUMNS]))]


def check_across(results: list[FileResult], rules: person_rules.PersonRules | None = None, bookings: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame | None]:
    """What only all files together show (the same figure sent twice, the same person in two
    lists, a unit's count form and roster that disagree), then the verdict per file.

    A person's problem holds back that person, not the list: the people of a roster are
    checked here, all lists together, against the law (``pipeline.persons``), and each
    accepted person counted once per topic into the registrations.

    Returns:
        registrations: the accepted rows (``schemas.Registration``);
        issues: every problem, sorted by file (``schemas.Issue``);
        files: one row per file: ``file, sheets, status, rows, headcount``, and the ledger's
            ``cells_booked, cells_checked, cells_set_aside, sum_booked``;
        persons: one row per person of every roster with the verdict on them
            (``schemas.persons.PersonCheck``), or None when no file lists people.

    ``bookings``: ``bookings_table(results)``, when the caller has it already.
    """
    bookings = bookings_table(results) if bookings is None else bookings
    file_issues = [issue for result in results for issue in result.issues]
    checks, person_issues = None, []
    people = [person for result in results for person in result.persons]
    if people and rules is not None:
        table, _ = roster.roster_tables([roster.RosterSheet(people, [], None, None)])
        checks, found = person_rules.check_persons(table, rules)
        person_issues = found.to_dict("records")
        counted = person_rules.count_registrations(checks)
        file_issues += person_rules.compare_with_counts(counted, bookings).to_dict("records")
        # Where a unit sent both shapes and they agree, its count form books the figures.
        both = set(zip(bookings["year"], bookings["unit"]))
        counted = counted[np.array([pair not in both for pair in zip(counted["year"], counted["unit"])], dtype=bool)]
        counted = counted.assign(value=counted["headcount"], source_row=[int(re.sub(r"\D", "", cell) or 0) for cell in counted["source_cell"]])
        bookings = pd.concat([bookings, counted[list(bookings.columns)].astype({"headcount": float})], ignore_index=True)
    file_issues += _duplicate_issues(bookings[bookings["source_file"].isin(may_repeat(results))])
    file_issues += _unit_in_several_files(results)
    issues = pd.DataFrame(file_issues + person_issues, columns=_ISSUE_COLUMNS)
    issues = issues.drop_duplicates().sort_values(["file", "sheet", "cell", "severity"], kind="stable", key=_sort_key)
    rejected = {issue["file"] for issue in file_issues if issue["severity"] == ERROR}  # a person's error holds back that person only
    registrations = schemas.Registration.validate(
        bookings[~bookings["source_file"].isin(rejected)][REGISTRATION_COLUMNS].reset_index(drop=True)
    )
    booked_per_file = registrations.groupby("source_file")["headcount"].sum().to_dict()
    files = pd.DataFrame(
        [
            {
                "file": result.file, "sheets": result.sheets, "status": REJECTED if result.file in rejected else ACCEPTED,
                "rows": result.rows, "headcount": int(booked_per_file.get(result.file, 0)) if result.persons else result.ledger.sum_booked,
                "cells_booked": result.ledger.booked, "cells_checked": result.ledger.checked,
                "cells_set_aside": result.ledger.set_aside, "sum_booked": result.ledger.sum_booked,
            }
            for result in results
        ],
        columns=FILE_COLUMNS,
    )
    return registrations, schemas.Issue.validate(issues.reset_index(drop=True)), files, checks


FILE_COLUMNS = ["file", "sheets", "status", "rows", "headcount", "cells_booked", "cells_checked", "cells_set_aside", "sum_booked"]


# ---------------------------------------------------------------- resolving labels


class _Resolver:
    """Labels resolved once per distinct text: the same units, topics and headers recur
    on every row and in every file."""

    def __init__(self, vocabulary: Vocabulary):
        self.vocabulary = vocabulary
        self._units: dict[tuple, names.Match] = {}
        self._topics: dict[tuple, names.Match] = {}
        self._levels: dict[tuple, tuple[str | None, bool]] = {}
        self._parts: dict[str | None, str | None] = {}
        self._groups: dict[str | None, str | None] = {}

    def unit(self, year: int | None, label: str | None, fallbacks: tuple) -> names.Match:
        key = (year, label, fallbacks if label is None else ())
        if key not in self._units:
            self._units[key] = names.NOT_FOUND if year is None else names.resolve_unit(label, fallbacks, self.vocabulary.unit_index(year))
        return self._units[key]

    def topic(self, label: str | None, fallbacks: tuple, code: str | None = None) -> names.Match:
        key = (label, fallbacks, code)
        if key not in self._topics:
            self._topics[key] = names.resolve_topic(label, fallbacks, self.vocabulary, code)
        return self._topics[key]

    def level(self, label: str | None, title: str | None, topic: str | None) -> tuple[str | None, bool]:
        allowed = self.vocabulary.topic_levels.get(topic, "")
        key = (label, title, allowed)
        if key not in self._levels:
            found = names.resolve_level(label, None, allowed, self.vocabulary)
            self._levels[key] = found if found[1] else names.resolve_level(label, title, allowed, self.vocabulary)
        return self._levels[key]

    def level_part(self, label: str | None) -> str | None:
        if label not in self._parts:
            self._parts[label] = names.level_part(label, self.vocabulary)
        return self._parts[label]

    def level_group(self, label: str | None) -> str | None:
        if label not in self._groups:
            self._groups[label] = names.level_group(label, self.vocabulary)
        return self._groups[label]


def roster_resolvers(vocabulary: Vocabulary):
    """What reading a roster needs from the catalogue: (topic, level, unit) resolvers, each a
    label (and, for a unit, the year) -> code or None."""
    resolver = _Resolver(vocabulary)

    def topic(label: str) -> str | None:
        return resolver.topic(label, ()).code

    def level(label: str) -> str | None:
        return resolver.level(label, None, None)[0] if label else None

    def unit(label: str, year: int | None, exact: bool = False) -> str | None:
        """``exact``: only a label naming the unit itself, not one holding its name among other
        words ("Trường THPT chuyên Trần Phú" names a school, not the ward)."""
        match = resolver.unit(year, label, ()) if year is not None and label else names.NOT_FOUND
        return match.code if not exact or match.how == names.EXACT else None

    return topic, level, unit


# ---------------------------------------------------------------- one table


@dataclass(slots=True)
class _Cell:
    """A cell of a table's number area, as validate sees it (``position``: its column's, in the table)."""

    row: Row
    column: Column
    position: int
    role: str
    key: tuple | None  # (topic, level) the cell counts towards
    value: object
    address: str
    headcount: float
    is_number: bool
    stated: bool
    candidate: tuple = ()


@dataclass
class _ColumnPlan:
    column: Column
    topic: names.Match
    level: str | None
    level_in_label: bool
    role: str  # COUNT / TOTAL / PART / GROUP, a level's part becoming a GROUP
    key: tuple | None


@dataclass
class _TablePlan:
    """What every cell of one table is, and the problems the table shows as a whole."""

    file: str
    table: Table
    columns: list[_ColumnPlan]
    booked: dict[tuple, list[int]]            # key -> positions (in table.columns) of the booked columns (several: groups added)
    checked: dict[int, tuple]                 # position -> key it is checked against (parts, groups beside a total; None: the row)
    unclear: list[tuple[str, tuple, list[int]]]  # (rule, key, positions) of split columns not understood
    skipped_columns: set[int]
    units: dict[int, names.Match]
    topics: dict[int, names.Match]
    skipped_rows: set[int]
    subtotal_rows: dict[int, tuple[list[int], str]]   # row index -> (member rows, "heads"/"closes")
    unclear_rows: set[int]
    cells: list[_Cell]
    structure_issues: list[dict]
    data_row_count: int
    vocabulary: Vocabulary
    group_of: dict[int, int] = field(default_factory=dict)  # a row naming a group of people ("- CBQL") -> the row above it belongs to
    groups_agree: set[int] = field(default_factory=set)  # rows of ``group_of`` whose figures their groups add up to

    # ------------------------------------------------ building

    @classmethod
    def build(cls, table: Table, file: str, delimiter: str | None, resolver: _Resolver) -> "_TablePlan":
        stem = _file_stem(file)
        fallbacks = (table.title, table.sheet, stem)
        column_plans = [_plan_column(column, table, fallbacks, resolver) for column in table.columns]
        parsed = _parse_table(table, _number_style(table, delimiter))
        skipped_columns = _skipped_columns(column_plans, parsed)
        other_years = _other_year_columns(table)
        booked, checked, unclear = _booking_scheme(column_plans, skipped_columns | set(other_years))
        units, topics = {}, {}
        former_header = _former_kinds_header(table, resolver.vocabulary)
        for row in table.rows:
            if row.is_total:
                continue
            # A row without a unit column and without a "Đơn vị:" line: the title, sheet or file name.
            label = row.unit_label
            if former_header and row.unit_cell is not None and label and not _names_kind(label, resolver.vocabulary):
                label = f"{table.unit_header} {label}"  # under "Quận/huyện" in 2026: "An Lão" is the former district, not today's commune
            units[row.index] = resolver.unit(table.year, label, fallbacks if row.unit_cell is None else ())
            if not table.topic_in_column:
                topics[row.index] = resolver.topic(row.topic_label, (), row.topic_code)
        group_of = _group_rows(table, resolver.vocabulary)
        for row_index, parent in group_of.items():  # "- CBQL" under a topic: that topic's (and unit's) managers
            units[row_index] = units[parent]
            if not table.topic_in_column:
                topics[row_index] = topics[parent]
        plan = cls(file, table, column_plans, booked, checked, unclear, skipped_columns, units, topics, set(), {}, set(), [], [], 0, resolver.vocabulary, group_of)
        plan.structure_issues += _units_against_title(table, units, file, resolver)
        plan.structure_issues += _unit_named_twice(table, units, file, resolver)
        plan.structure_issues += _context_lines(table, column_plans, units, topics, file, resolver)
        for position in sorted(skipped_columns):
            column = table.columns[position]
            if any(row.values[position] is not None for row in table.rows):  # text: a count column typed as words is never dropped unseen
                plan.structure_issues.append(RULES["column_skipped"].issue(file, table.sheet, column.header_cell, column.shown, level_label=column.shown, level_list=_level_list(resolver.vocabulary), where=_where(table, None)))
        for row_index, position, cells in table.merged_numbers:
            row = next(row for row in table.rows if row.index == row_index)
            address = column_letters(table.columns[position].index) + str(row.number)
            plan.structure_issues.append(RULES["number_not_merged"].issue(file, table.sheet, address, _shown_value(row.values[position]) or "", source_cell=address, cells=cells, where=_where(table, row)))
        for position, years in other_years.items():
            column = table.columns[position]
            plan.structure_issues.append(RULES["column_year"].issue(file, table.sheet, column.header_cell, column.shown, level_label=column.shown, column_year=years, year=table.year, where=_where(table, None)))
        plan.structure_issues += _year_disagreements(table.year, table.sheet, file, _where(table, None))
        for cell, line, marker in _not_registrations(table, resolver.vocabulary):
            plan.structure_issues.append(RULES["table_not_registrations"].issue(file, table.sheet, cell, line, title_line=line, marker=marker, where=_where(table, None)))
        if (several := _title_years(table)) is not None:
            cell, line, years = several
            plan.structure_issues.append(RULES["title_years"].issue(file, table.sheet, cell, line, title_line=line, years=years, year=table.year, where=_where(table, None)))
        for repeated in table.repeated_labels:
            if repeated.beside:
                plan.structure_issues.append(RULES["tables_side_by_side"].issue(file, table.sheet, repeated.cell, repeated.text, level_label=repeated.text, header_cell=repeated.cell, row_number=table.header_row + 1, where=_where(table, None)))
            else:
                kind = "đơn vị" if repeated.role == "unit" else "nội dung"
                plan.structure_issues.append(RULES["label_column_unclear"].issue(
                    file, table.sheet, repeated.cell, repeated.text, level_label=repeated.text, header_cell=repeated.cell,
                    first_label=repeated.first_text, first_cell=repeated.first_cell, kind=kind, year=table.year or "", where=_where(table, None),
                ))
        for line in table.long_lines:
            row = next(row for row in table.rows if row.index == line.index)
            plan.structure_issues.append(RULES["line_longer_than_header"].issue(file, table.sheet, line.cell, line.text, source_cell=line.cell, row_number=row.number, fields=line.fields, header_fields=line.header_fields, where=_where(table, row)))
        for row_index, address, value, header in table.label_numbers:
            row = next(row for row in table.rows if row.index == row_index)
            plan.structure_issues.append(RULES["number_under_label"].issue(file, table.sheet, address, _shown_value(value) or "", source_cell=address, row_number=row.number, header=header, where=_where(table, row)))
        for address, value in table.numbers_above:
            plan.structure_issues.append(RULES["number_above_header"].issue(file, table.sheet, address, _shown_value(value) or "", source_cell=address, row_number=table.header_row + 1, where=_where(table, None)))
        for row_index, address, value in table.note_numbers:
            row = next(row for row in table.rows if row.index == row_index)
            plan.structure_issues.append(RULES["note_not_counted"].issue(file, table.sheet, address, _shown_value(value) or "", source_cell=address, row_number=row.number, where=_where(table, row)))
        plan.skipped_columns |= set(other_years)  # another year's figures: set aside, never booked to this one
        plan.skipped_rows = plan._skipped_rows(parsed)
        openings = tuple(marker + " " for marker in resolver.vocabulary.example_markers)
        for row in table.rows:
            example = _example_label(row, openings)
            if example is not None and row.index not in plan.skipped_rows:  # a form's example: never a registration
                plan.skipped_rows.add(row.index)
                cell = row.unit_cell if example == row.unit_label else row.topic_cell if example == row.topic_label else _row_name(table, row)[0]
                plan.structure_issues.append(RULES["example_row"].issue(file, table.sheet, cell or "", example, row_number=row.number, row_label=example, where=_where(table, row)))
                continue
            if row.part_of_above is not None and row.index not in plan.skipped_rows:  # its figures are counted in a row above
                plan.skipped_rows.add(row.index)
                cell, text = row.part_of_above
                plan.structure_issues.append(RULES["part_row"].issue(file, table.sheet, cell, text, row_number=row.number, row_label=text, where=_where(table, row)))
        plan._check_group_rows(parsed)
        plan._find_subtotals(parsed)
        plan._make_cells(parsed)
        plan.data_row_count = sum(1 for row in table.rows if not row.is_total and row.index not in plan.skipped_rows and row.index not in plan.subtotal_rows)
        return plan

    def _skipped_rows(self, parsed) -> set[int]:
        """Rows with no number whose unit or topic is unknown or blank (group headings,
        spacer rows with a number in "STT"): set aside, with a warning when a name was typed."""
        skipped = set()
        for row in self.table.rows:
            cells = [parsed[(row.index, position)] for position in range(len(self.columns))]
            if row.is_total or any(stated and (headcount != 0 or not ok) for headcount, ok, stated, _ in cells):
                continue  # a row of blanks and zeros registers nobody: under an unknown name it is a heading
            unit_missing = self.table.year is not None and self.units[row.index].code is None
            topic_missing = not self.table.topic_in_column and self.topics[row.index].code is None
            if unit_missing or topic_missing:
                skipped.add(row.index)
                label_cell, label = (row.unit_cell, row.unit_label) if unit_missing and row.unit_label is not None else (row.topic_cell, row.topic_label)
                if label is not None:
                    self.structure_issues.append(RULES["row_skipped"].issue(self.file, self.table.sheet, label_cell or "", label, row_number=row.number, row_label=label, where=_where(self.table, row)))
        return skipped

    def _check_group_rows(self, parsed) -> None:
        """A row whose groups of people are typed under it ("- CBQL", "- GV"): blank, a heading
        (the groups are booked, added); with figures, their total, checked against the groups
        and never booked, each figure that does not add up holding the file back."""
        members: dict[int, list[int]] = defaultdict(list)
        for row_index, parent in self.group_of.items():
            members[parent].append(row_index)
        positions = sorted({position for positions in self.booked.values() for position in positions})
        rows = {row.index: row for row in self.table.rows}
        for parent, groups in members.items():
            if not any(parsed[(parent, position)][2] for position in range(len(self.columns))):
                self.skipped_rows.add(parent)  # a heading: nothing typed on it
                continue
            self.subtotal_rows[parent] = (groups, "")
            self.groups_agree.add(parent)
            row = rows[parent]
            for position in positions:
                stated, added = parsed[(parent, position)], [_number(parsed[(group, position)]) for group in groups]
                if stated[1] and stated[0] != sum(added) and all(value == value for value in added):
                    self.groups_agree.discard(parent)
                    cell, label = _row_name(self.table, row)
                    address = column_letters(self.table.columns[position].index) + str(row.number)
                    self.structure_issues.append(RULES["group_rows_add_up"].issue(
                        self.file, self.table.sheet, address, _format_number(stated[0]), source_cell=address, row_number=row.number, row_label=label,
                        level_label=self.table.columns[position].shown, members=_rows_text([group + 1 for group in groups]), expected=_format_number(sum(added)), where=_where(self.table, row),
                    ))

    def _find_subtotals(self, parsed) -> None:
        """Group rows whose figures are the sum of the rows they head or close: checked, never booked."""
        positions = sorted({position for positions in self.booked.values() for position in positions})
        if not positions:
            return
        segment: list[Row] = []
        segments = []
        for row in self.table.rows:
            if row.is_total:
                segments.append((segment, row))
                segment = []
            elif row.index not in self.skipped_rows and row.index not in self.subtotal_rows and row.index not in self.group_of:
                segment.append(row)
        segments.append((segment, None))
        for rows, closing_total in segments:
            if len(rows) < 2:
                continue
            values = np.array([[_number(parsed[(row.index, position)]) for position in positions] for row in rows])
            if np.isnan(values).any():
                continue  # a bad cell is reported on its own; sums would only mislead
            total = None
            if closing_total is not None:
                total = np.array([_number(parsed[(closing_total.index, position)]) for position in positions])
            if not values.any():
                continue  # rows of zeros: nothing to count twice
            group_like = np.array([self._looks_like_group(row) for row in rows])
            found = [found for found in (_partition(values, total, heading=True), _partition(values, total, heading=False)) if found]
            if len(found) == 2 and {head for head, _ in found[0][0]} != {head for head, _ in found[1][0]}:
                # Both readings add up: the one whose group rows look like groups wins, else none can be told.
                marked = [all(group_like[head] for head, _ in groups) for groups, _ in found]
                found = [found[marked.index(True)]] if marked.count(True) == 1 else [(found[0][0] + found[1][0], False)]
            if not found:
                continue
            groups, confirmed = found[0]
            for head, members in groups:
                row = rows[head]
                if group_like[head] or (confirmed and len(found) == 1):
                    self.subtotal_rows[row.index] = ([rows[m].index for m in members], "")
                else:
                    self.unclear_rows.add(row.index)

    def _looks_like_group(self, row: Row) -> bool:
        """A row a reader takes for a group's: its name is no unit or topic of that year (or only
        inside longer text, or with another kind), or its number is a letter or Roman numeral."""
        match = self.topics[row.index] if not self.table.topic_in_column and self.units[row.index].how == names.EXACT and row.unit_label is None else self.units[row.index]
        if match.code is None or match.how in (names.FUZZY, names.FORMER_KIND):
            return True
        numbering = (row.numbering or "").strip().rstrip(".")
        return bool(numbering) and not numbering.replace(".", "").isdigit()  # "8.1" numbers an item, as "8" does

    def _make_cells(self, parsed) -> None:
        table = self.table
        column_roles = self._column_roles()
        topic_levels, largest = self.vocabulary.topic_levels, self.vocabulary.largest_headcount
        # What is the same for every cell of a column, worked out once per column.
        columns = [
            (position, plan, role, plan.column.label if table.topic_in_column else None, column_letters(plan.column.index))
            for position, (plan, role) in enumerate(zip(self.columns, column_roles))
            if role is not None
        ]
        for row in table.rows:
            if row.index in self.skipped_rows:
                continue
            row_role = "total" if row.is_total else "subtotal" if row.index in self.subtotal_rows else None
            unit = self.units.get(row.index, names.NOT_FOUND)
            topic_row = self.topics.get(row.index, names.NOT_FOUND)
            row_found = table.year is not None and (row_role is not None or (unit.how == names.EXACT and (table.topic_in_column or topic_row.how == names.EXACT)))
            number = str(row.number)
            for position, plan, column_role, column_topic_label, letters in columns:
                value = row.values[position]
                headcount, is_number, stated, kind = parsed[(row.index, position)]
                role = row_role or column_role
                topic = plan.topic if table.topic_in_column else topic_row
                address = letters + number
                cell = _Cell(row, plan.column, position, role, plan.key, value, address, headcount, is_number, stated)
                self.cells.append(cell)
                if row_found and _is_plain(value, kind, role, plan, topic, headcount, topic_levels, largest):
                    continue
                cell.candidate = (
                    self.file, table.sheet, address, row.number, role, _shown_value(value), table.year,
                    row.unit_label, row.unit_cell, unit.code, unit.how,
                    row.topic_label if column_topic_label is None else column_topic_label,
                    table.topic_in_column, topic.code, topic.how, plan.level,
                    headcount, is_number, kind == "error", kind == "date", kind == "ambiguous", kind == "formula",
                    topic_levels.get(topic.code) if topic.code else None, largest,
                )

    def _column_roles(self) -> list[str | None]:
        """What each column's cells are in a data row: booked data, a group being added or checked,
        a checked part, a row's total; None for a column set aside."""
        booked = {position for positions in self.booked.values() for position in positions}
        roles = []
        for position, plan in enumerate(self.columns):
            if position in self.skipped_columns:
                roles.append(None)
            elif position in self.checked:
                roles.append("row_total" if plan.role == TOTAL and self.checked[position] is None else "part" if plan.role == PART else "group")
            elif position in booked and plan.role == GROUP:
                roles.append("group")
            else:
                roles.append("data")  # booked, or an unclear split or a column of unknown level: its rules name it
        return roles

    # ------------------------------------------------ results

    def bookings(self) -> Bookings:
        """One registration per data row and booked key (the groups of a split level added)."""
        table, topic_levels = self.table, self.vocabulary.topic_levels
        if table.year is None:
            return Bookings()
        key_of = {position: key for key, positions in self.booked.items() for position in positions}
        by_row: dict[tuple[int, tuple], list[_Cell]] = {}
        for cell in self.cells:
            key = key_of.get(cell.position)
            if key is not None and cell.role in ("data", "group"):
                by_row.setdefault((self.group_of.get(cell.row.index, cell.row.index), key), []).append(cell)  # a topic's groups added
        entries = []
        year, sheet = table.year, table.sheet
        for (row_index, (column_topic, level)), cells in by_row.items():
            unit = self.units[row_index].code
            topic = column_topic if table.topic_in_column else self.topics[row_index].code
            if unit is None or topic is None or level is None or level not in _level_set(topic_levels.get(topic, "")):
                continue  # zeros typed at a level the topic does not apply to are not registrations
            if len(cells) == 1:
                cell = cells[0]
                entries.append((year, unit, topic, level, cell.headcount, cell.value, sheet, cell.address, cell.row.number))
            else:
                value = "+".join(_shown_value(cell.value) or "" for cell in cells)
                entries.append((year, unit, topic, level, sum(cell.headcount for cell in cells), value, sheet, "+".join(cell.address for cell in cells), cells[0].row.number))
        return Bookings.of(entries)

    def named_rows(self) -> list[tuple[str, int, int | None, str | None]]:
        """(sheet, row number, year, unit or None) of each data row: who the table speaks for."""
        return [
            (self.table.sheet, row.number, self.table.year, self.units[row.index].code)
            for row in self.table.rows
            if not row.is_total and row.index not in self.skipped_rows and row.index not in self.subtotal_rows
        ]

    def _position(self, cell: _Cell) -> int:
        return cell.position

    def issues(self, failed: dict[int, list[str]]) -> list[dict]:
        """The table's problems: the cell rules that failed (``failed``: a cell's position in
        ``cells`` -> the rules), and what the table shows as a whole."""
        found = list(self.structure_issues)
        for index, rules in sorted(failed.items()):
            for rule in rules:
                found.append(self._rule_issue(rule, self.cells[index]))
        found += self._split_issues()
        found += self._subtotal_issues()
        found += self._total_issues()
        found += self._row_checks()
        found += self._hidden_issues()
        return found

    def _hidden_issues(self) -> list[dict]:
        """Numbers booked from a hidden sheet, row or column: counted, and said, for whoever
        reads the printout does not see them."""
        table = self.table
        booked = {position for positions in self.booked.values() for position in positions}
        hidden = [
            cell for cell in self.cells
            if cell.position in booked and cell.role in ("data", "group") and cell.stated and cell.headcount != 0 and _is_count(cell)
            and (table.is_sheet_hidden or cell.row.is_hidden or cell.column.is_hidden)
        ]
        if hidden:  # only what is booked: a row of an unknown unit is reported as such
            booked_cells = {address for cell in self.bookings().source_cell for address in cell.split("+")}
            hidden = [cell for cell in hidden if cell.address in booked_cells]
        if not hidden:
            return []
        if table.is_sheet_hidden:
            places = f"trang tính ẩn \"{table.sheet}\""
        else:
            rows = sorted({cell.row.number for cell in hidden if cell.row.is_hidden})
            columns = sorted({cell.column.index for cell in hidden if cell.column.is_hidden})
            places = " và ".join(
                part for part in (
                    f"dòng ẩn {_rows_text(rows)}" if rows else "",
                    "cột ẩn " + ", ".join(column_letters(column) for column in columns) if columns else "",
                ) if part
            )
        cells = ", ".join(cell.address for cell in hidden[:_CELLS_NAMED]) + (f"… ({len(hidden)} ô)" if len(hidden) > _CELLS_NAMED else "")
        units = {self.units[cell.row.index].code for cell in hidden if cell.row.index in self.units}
        first = hidden[0]
        return [RULES["hidden_counted"].issue(self.file, table.sheet, first.address, _shown_value(first.value) or "", for_unit=next(iter(units)) if len(units) == 1 and None not in units else "", hidden=places, cells=cells)]

    def _rule_issue(self, name: str, cell: _Cell) -> dict:
        rule = RULES[name]
        table, row, column = self.table, cell.row, cell.column
        unit = self.units.get(row.index, names.NOT_FOUND)
        topic = self.columns[self._position(cell)].topic if table.topic_in_column else self.topics.get(row.index, names.NOT_FOUND)
        fields = {
            "source_file": self.file, "source_sheet": table.sheet, "source_cell": cell.address, "row_number": row.number,
            "value": _shown_value(cell.value) or "", "year": "" if table.year is None else table.year,
            "unit_label": row.unit_label or "", "unit_cell": row.unit_cell or "", "unit": unit.code or "",
            "unit_note": unit.note, "topic_label": (row.topic_label if not table.topic_in_column else column.label) or "",
            "topic_cell": row.topic_cell or "", "topic": topic.code or "", "topic_name": self.vocabulary.topic_names.get(topic.code, ""),
            "topic_score": topic.score, "topic_code": row.topic_code or "", "topic_note": topic.note,
            "topic_levels": self.vocabulary.topic_levels.get(topic.code, ""), "level": self.columns[self._position(cell)].level or "",
            "level_label": column.shown, "header_cell": column.header_cell, "level_list": _level_list(self.vocabulary),
            "largest_headcount": self.vocabulary.largest_headcount,
            "where": _where(table, row if rule.cell not in ("", "header_cell") else None),
        }
        if name in ("unit_found", "year_found"):
            fields["where"] = _where(table, None)
        if name == "unit_found" and not unit.note:
            fields["unit_note"] = ""
        if rule.cell in ("", "header_cell"):
            unit = names.NOT_FOUND  # a problem of the sheet or a column, not of a unit's row
        cell_pointed = fields.get(rule.cell, "") if rule.cell else ""
        if rule.cell == "unit_cell" and not row.unit_cell:
            cell_pointed = table.unit_cell or ""
            fields["unit_label"] = fields["unit_label"] or (table.unit_label or "")
        shown = str(fields.get(rule.value, "")) if rule.value else ""
        if name == "unit_known" and not row.unit_label:
            shown = table.unit_label or ""
        return rule.issue(self.file, table.sheet, cell_pointed, shown, for_unit=unit.code or "", **{k: v for k, v in fields.items() if k not in ("source_file", "source_sheet", "value")})

    def _split_issues(self) -> list[dict]:
        found = []
        for rule, key, positions in self.unclear:
            columns = [self.table.columns[position] for position in positions]
            shown = ", ".join(f"\"{column.shown}\" ({column.header_cell})" for column in columns)
            found.append(RULES[rule].issue(self.file, self.table.sheet, columns[0].header_cell, columns[0].shown, level=key[1] or "", columns=shown, where=_where(self.table, None)))
        return found

    def _subtotal_issues(self) -> list[dict]:
        found = []
        parents = set(self.group_of.values())
        for row in self.table.rows:
            if row.index in self.subtotal_rows and (row.index not in parents or row.index in self.groups_agree):
                members, _ = self.subtotal_rows[row.index]
                cell, label = _row_name(self.table, row)
                label = label or row.numbering or ""
                shown = _rows_text([member + 1 for member in members])
                found.append(RULES["subtotal_checked"].issue(self.file, self.table.sheet, cell, label, row_number=row.number, row_label=label, members=shown, where=_where(self.table, row)))
            elif row.index in self.unclear_rows:
                cell, label = _row_name(self.table, row)
                unit = self.units.get(row.index, names.NOT_FOUND).code or ""
                found.append(RULES["subtotal_unclear"].issue(self.file, self.table.sheet, cell, label, for_unit=unit, row_number=row.number, row_label=label, where=_where(self.table, row)))
        return found

    def _total_issues(self) -> list[dict]:
        """A "Tổng số" row equals the rows it closes (those since the total above it, or all
        rows above it); a total above every row (or right under another) equals the rows
        below it or the whole column. A blank total cell states nothing."""
        found = []
        with_totals = {cell.position for cell in self.cells if cell.role == "total" and (cell.stated or cell.position in cell.row.formulas)}
        if not with_totals:
            return found
        by_column: dict[int, list[_Cell]] = defaultdict(list)
        for cell in self.cells:
            if cell.position in with_totals:
                by_column[cell.position].append(cell)
        for position, cells in by_column.items():
            data = [cell for cell in cells if cell.role not in ("total", "subtotal")]
            if any(not _is_count(cell) for cell in data):
                continue  # a bad cell is reported on its own; sums would only mislead
            totals = [cell for cell in cells if cell.role == "total"]
            if not totals:
                continue
            whole = sum(cell.headcount for cell in data)
            marks = len(totals)
            starts = [-1, *(closing.row.index for closing in totals[:-1])]  # totals in row order: each closes the rows since the one above it
            closed = {closing.row.number: [cell.row.number for cell in data if start < cell.row.index < closing.row.index] for start, closing in zip(starts, totals)}
            for previous, total in zip(starts, totals):
                above = [cell for cell in data if cell.row.index < total.row.index]
                since = [cell for cell in above if cell.row.index > previous]
                following = min((other.row.index for other in totals if other.row.index > total.row.index), default=1 << 30)
                below = [cell for cell in data if total.row.index < cell.row.index < following]
                if total.position in total.row.formulas:  # a formula saved without its result: the rows it adds are checked
                    found += self._total_formula_issues(total, cells, since, above, data, below, closed)
                    continue
                if not total.stated or not total.is_number or total.headcount != total.headcount:
                    continue
                stated = total.headcount
                sum_above, sum_since, sum_below = (sum(cell.headcount for cell in part) for part in (above, since, below))
                if _total_matches(stated, since, above, sum_since, sum_above, whole, sum_below):
                    continue
                # A spreadsheet's SUM leaves out numbers typed as text: a total it computed is right too.
                typed_above, typed_since, typed_below, typed_whole = (sum(cell.headcount for cell in part if not isinstance(cell.value, str)) for part in (above, since, below, data))
                if _total_matches(stated, since, above, typed_since, typed_above, typed_whole, typed_below):
                    continue
                expected = _format_number(sum_since if since else whole)
                if marks > 1:
                    expected = f"{_format_number(whole)} (cả bảng), {_format_number(sum_since)} (từ dòng tổng trước đến dòng này)"
                hidden = sorted({cell.row.number for cell in (since or data) if cell.row.is_hidden and cell.stated})
                if hidden:  # a SUBTOTAL that leaves hidden rows out differs by them: say where they are
                    expected += f", kể cả dòng ẩn {_rows_text(hidden)}"
                found.append(RULES["total_adds_up"].issue(self.file, self.table.sheet, total.address, _format_number(stated), expected=expected, where=_where(self.table, total.row)))
        return found

    def _total_formula_issues(self, total: _Cell, column: list[_Cell], since: list, above: list, whole: list, below: list, closed: dict[int, list[int]]) -> list[dict]:
        """A total row's formula saved without its result ("=SUM(C5:C9)", as programs other than
        a spreadsheet write it) adds the rows the total closes, as the figures would be checked
        (those since the total above it or all above it; else the whole column, those under it,
        or those above it); a formula adding other rows, or one that cannot be read, is an error."""
        added = _rows_added(str(total.value), column_letters(total.column.index))
        table_rows = {cell.row.number for cell in column}
        closes = {number: sorted(rows) for number, rows in closed.items() if number != total.row.number}
        rows = None
        if added is not None:  # a total above counts as the rows it closes ("=C6+C9", two subtotals)
            rows = sorted(row for number in added if number in table_rows for row in closes.get(number, [number]))
        readings = [since, above] if since else [whole, below, *([above] if above else [])]
        if rows is not None and any(rows == sorted(cell.row.number for cell in part) for part in readings):
            return []
        expected = _rows_text(sorted(cell.row.number for cell in (since or whole)))
        rule = RULES["total_formula_adds_rows"] if rows is not None else RULES["total_formula_unread"]
        return [rule.issue(self.file, self.table.sheet, total.address, str(total.value), source_cell=total.address, rows=f"các dòng {_rows_text(sorted(rows))}" if rows else "không dòng nào của bảng", expected=expected, where=_where(self.table, total.row))]

    def _row_checks(self) -> list[dict]:
        """Per row: each part not above its level's figure, groups beside a total adding up to
        it, a row's total column equal to its booked figures."""
        found = []
        if not self.checked:
            return found  # no part, group beside a total, or row total: the usual table
        by_row: dict[int, list[_Cell]] = defaultdict(list)
        for cell in self.cells:
            by_row[cell.row.index].append(cell)
        for row_index, cells in by_row.items():
            row = cells[0].row
            if any(not _is_count(cell) for cell in cells):
                continue
            booked_value: dict[tuple, float] = {}
            for key, positions in self.booked.items():
                booked_value[key] = sum(cell.headcount for cell in cells if self._position(cell) in positions)
            row_sum = sum(booked_value.values())
            unit = self.units.get(row_index, names.NOT_FOUND).code or ""
            for cell in cells:
                position = self._position(cell)
                if position not in self.checked or not cell.stated:
                    continue
                key = self.checked[position]
                plan = self.columns[position]
                reference = row_sum if key is None else booked_value.get(key, 0.0)
                where = _where(self.table, row)
                if plan.role == PART and cell.headcount > reference:
                    found.append(RULES["part_within_total"].issue(self.file, self.table.sheet, cell.address, _format_number(cell.headcount), for_unit=unit, level=(key or (None, "?"))[1] or "", level_label=cell.column.shown, expected=_format_number(reference), row_number=row.number, where=where))
                elif plan.role == TOTAL and key is None and cell.headcount != reference and not row.is_total:
                    found.append(RULES["row_total_adds_up"].issue(self.file, self.table.sheet, cell.address, _format_number(cell.headcount), for_unit=unit, level_label=cell.column.shown, expected=_format_number(reference), row_number=row.number, where=where))
            for key, positions in self.booked.items():
                groups = [position for position, checked_key in self.checked.items() if checked_key == key and self.columns[position].role == GROUP]
                if not groups or row.is_total:
                    continue
                total = booked_value[key]
                parts = sum(cell.headcount for cell in cells if self._position(cell) in groups)
                if parts != total and any(cell.stated for cell in cells if self._position(cell) in groups):
                    total_cell = next(cell for cell in cells if self._position(cell) in positions)
                    shown = ", ".join(f"\"{self.table.columns[p].shown}\"" for p in groups)
                    found.append(RULES["groups_add_up"].issue(self.file, self.table.sheet, total_cell.address, _format_number(total), for_unit=unit, level=key[1] or "", columns=shown, expected=_format_number(parts), row_number=row.number, where=_where(self.table, row)))
        return found

    def ledger(self, failed: dict[int, list[str]], issues: list[dict]) -> dict[str, int]:
        """Each non-empty number cell of the table in exactly one bucket: set aside when an error
        names it (a rule of its own, or a total, part or group that does not add up), booked
        when it is a registration, checked when it is a total, part or group verified."""
        counts = {BOOKED: 0, CHECKED: 0, SET_ASIDE: 0, "people": 0}
        booked_positions = {position for positions in self.booked.values() for position in positions}
        unclear_positions = {position for _, _, positions in self.unclear for position in positions}
        named_by_errors = {issue["cell"] for issue in issues if issue["severity"] == ERROR}
        topic_levels = self.vocabulary.topic_levels
        placed = 0
        for index, cell in enumerate(self.cells):
            if cell.value is None:
                continue
            placed += 1
            position = cell.position
            rules = failed.get(index, ())
            if (rules and any(RULES[rule].severity == ERROR for rule in rules)) or position in unclear_positions or cell.row.index in self.unclear_rows or cell.address in named_by_errors:
                counts[SET_ASIDE] += 1
            elif cell.role in ("total", "subtotal", "part", "row_total") or (cell.role == "group" and position not in booked_positions):
                counts[CHECKED] += 1
            elif position in booked_positions:
                level = cell.key[1]
                topic = cell.key[0] if self.table.topic_in_column else self.topics[cell.row.index].code
                applies = level in _level_set(topic_levels.get(topic, ""))
                counts[BOOKED if applies else CHECKED] += 1  # a 0 at a level the topic does not apply to says nothing
                counts["people"] += int(cell.headcount) if applies else 0
            else:
                counts[SET_ASIDE] += 1
        filled = sum(1 for row in self.table.rows for value in row.values if value is not None)
        counts[SET_ASIDE] += filled - placed  # skipped rows and columns: each with its warning
        return counts


# ---------------------------------------------------------------- columns


def _plan_column(column: Column, table: Table, fallbacks: tuple, resolver: _Resolver) -> _ColumnPlan:
    topic = names.NOT_FOUND
    if table.topic_in_column and not (column.role == TOTAL and column.label is None):
        topic = resolver.topic(column.label, fallbacks)
    if column.role == TOTAL and column.label is None:
        return _ColumnPlan(column, topic, None, False, TOTAL, None)
    level, in_label = resolver.level(column.label, table.title, topic.code if table.topic_in_column else None)
    role = column.role
    if role == COUNT and resolver.level_part(column.label) is not None:
        role = GROUP
        level, in_label = resolver.level_part(column.label), True
    elif role == COUNT and resolver.level_group(column.label) is not None:  # "CBQL MN" beside "GV MN"
        role = GROUP
        level, in_label = resolver.level_group(column.label), True
    if role == GROUP and column.label is None:
        level, in_label = resolver.level(column.role_text, table.title, None)
    if role == TOTAL and not in_label:
        return _ColumnPlan(column, topic, None, False, TOTAL, None)  # a total over the row's levels
    key = ((topic.code if table.topic_in_column else None), level) if level is not None else None
    return _ColumnPlan(column, topic, level, in_label, role, key)


def _context_lines(table: Table, columns: list[_ColumnPlan], units: dict[int, names.Match], topics: dict[int, names.Match], file: str, resolver: _Resolver) -> list[dict]:
    """Lines among a table's rows, with no figure, naming another year, unit, topic or level
    than the table's ("Năm 2027", "Đơn vị: Xã B", a second title, "Cấp học: Tiểu học") with no
    header of their own under them: the rows below would be booked to the table's in silence.
    Only what the table takes from its title block can be changed by such a line."""
    if table.year is None:
        return []
    vocabulary = resolver.vocabulary
    own_units = set() if table.unit_in_column else {match.code for match in units.values() if match.code is not None}
    own_topics = {plan.topic.code for plan in columns if plan.topic.code is not None} if table.topic_in_column else set()
    own_levels = {plan.level for plan in columns if plan.level is not None and not plan.level_in_label}
    found = []
    for index, cell, text in table.inner_lines:
        if (units if table.unit_in_column else topics).get(index, names.NOT_FOUND).code is not None:
            continue  # a unit's or a topic's own row, left blank: no heading
        if _MONTH_AND_YEAR.search(text.casefold()):
            continue  # "Hải Phòng, tháng 12 năm 2025": the day a file was signed
        parts = text.split(" | ")
        named = []
        year = find_year([text], [], "", "")
        years = {year} if year is not None else years_named(text)  # "Giai đoạn 2027 - 2030", "2027"
        if years and years != {table.year}:
            named.append(("năm", ", ".join(map(str, sorted(years))), str(table.year)))
        if len(own_units) == 1:
            label, _ = find_unit_line([(index, 0, part) for part in parts])
            matches = [resolver.unit(table.year, label, ())] if label is not None else [resolver.unit(table.year, part, ()) for part in parts]
            other = next((match.code for match in matches if match.code is not None and match.code not in own_units and (label is not None or match.how == names.EXACT)), None)
            if other is not None:
                named.append(("đơn vị", other, next(iter(own_units))))
        if len(own_topics) == 1:
            other = next((code for code in (_topic_named(part, vocabulary) for part in [*parts, text]) if code is not None and code not in own_topics), None)
            if other is not None:
                named.append(("nội dung", vocabulary.topic_names.get(other, other), vocabulary.topic_names.get(next(iter(own_topics)), "")))
        if len(own_levels) == 1:
            levels = {code for part in parts for code in find_codes(text_key(part), vocabulary.levels)}
            if len(levels) == 1 and levels != own_levels:
                named.append(("cấp học", vocabulary.level_names.get(next(iter(levels)), ""), vocabulary.level_names.get(next(iter(own_levels)), "")))
        for kind, other, own in named:
            found.append(RULES["context_line"].issue(file, table.sheet, cell, text, row_number=index + 1, row_label=text, kind=kind, other=other, own=own))
    return found


_MONTH_AND_YEAR = re.compile(r"(?:tháng|thang)\s*[\d.…/ _-]*\s*(?:năm|nam)\s*\d{4}")


def _not_registrations(table: Table, vocabulary: Vocabulary) -> list[tuple[str, str, str]]:
    """(cell, line, words) of each line of a table's own title block saying its figures are no
    registrations ("KẾT QUẢ ĐÃ BỒI DƯỠNG NĂM 2025 (để tham khảo)"; words in ``aliases.csv``,
    kind ``marker``, code ``not_registrations``)."""
    found = []
    for cell, text in table.title_lines:
        key = f" {text_key(text)} "
        marker = next((words for marker_key, words in vocabulary.not_registration_markers.items() if f" {marker_key} " in key), None)
        if marker is not None:
            found.append((cell, text, marker))
    return found


def _title_years(table: Table) -> tuple[str, str, str] | None:
    """(cell, line, years) of the first line of a table's own title block naming years that do
    not give the table one year: several after "năm" ("NĂM 2027, 2028", "năm 2026 - 2027"), or,
    where no line of its own says "năm <year>" (the year came from the table above, the sheet
    or the file), any other year ("DỰ KIẾN GIAI ĐOẠN 2027 - 2030"). A date line says nothing."""
    if table.year is None:
        return None
    own_year = find_year([text for _, text in table.title_lines], [], "", "")
    for cell, text in table.title_lines:
        if is_date_line(text) and not text.lstrip().startswith("("):
            continue
        listed = _YEARS_AFTER_YEAR.search(unicodedata.normalize("NFC", text).casefold())
        if listed:
            return cell, text, f"{listed.group(1)}, {listed.group(2)}"
        named = years_named(text)
        if own_year is None and named - {table.year}:
            return cell, text, ", ".join(map(str, sorted(named)))
    return None


_YEARS_AFTER_YEAR = re.compile(r"(?:năm|nam)\s*:?\s*(20\d\d)\s*(?:[,;&\-–—]|và|va|đến|den|tới|toi)\s*(?:(?:năm|nam)\s*)?(20\d\d)(?!\d)")


def _example_label(row: Row, openings: tuple[str, ...]) -> str | None:
    """The label of a row opening with an example word ("Ví dụ: Bồi dưỡng STEM"), or None.
    ``openings``: each marker's key followed by a space ("ví dụ "), which the label's key
    with a space added starts with when it is the marker alone or the marker and more words."""
    for label in (row.numbering, row.unit_label, row.topic_label):
        if ((text_key(label) if label else "") + " ").startswith(openings):
            return label
    return None


def _topic_named(text: str, vocabulary: Vocabulary) -> str | None:
    """The one topic a line names, by its name, an alias or its code, alone or among other words."""
    key = text_key(text)
    if key in vocabulary.topics:
        return vocabulary.topics[key]
    found = find_codes(key, vocabulary.topics)
    return found[0] if len(found) == 1 else None


def _former_kinds_header(table: Table, vocabulary: Vocabulary) -> bool:
    """The unit column's header names kinds of unit and none of them a kind any unit has in the
    table's year ("Quận/huyện" in 2026, after the districts were abolished)."""
    if table.unit_header is None or table.year is None:
        return False
    header = f" {text_key(table.unit_header)} "
    named = {kind for prefix, kind in vocabulary.prefix_kinds.items() if f" {prefix} " in header}
    this_year = set().union(*vocabulary.unit_index(table.year).kinds.values())
    return bool(named) and not named & this_year


def _names_kind(label: str, vocabulary: Vocabulary) -> bool:
    key = f" {text_key(label)} "
    return any(f" {prefix} " in key for prefix in vocabulary.prefix_kinds)


def _units_against_title(table: Table, units: dict[int, names.Match], file: str, resolver: _Resolver) -> list[dict]:
    """Rows whose unit column names another unit than the title block does ("Đơn vị: Xã Vĩnh
    Am" above a row "Vĩnh Bảo", or a title "… CỦA XÃ TÂN MINH" above rows "Tiên Lãng"):
    whose figures they are cannot be told. A title naming no unit, or the rows' own, says nothing."""
    if not table.unit_in_column or table.year is None:
        return []
    if table.unit_label is not None:
        named, place = resolver.unit(table.year, table.unit_label, ()), f"dòng \"Đơn vị: {table.unit_label}\" ({table.unit_cell})"
    else:
        named, place = resolver.unit(table.year, None, (table.title, None, None)), "tiêu đề bảng"
    if named.code is None:
        return []
    return [
        RULES["unit_agrees_with_title"].issue(
            file, table.sheet, row.unit_cell or "", row.unit_label or "", for_unit=units[row.index].code,
            row_number=row.number, unit_label=row.unit_label or "", unit=units[row.index].code, title_unit=named.code, title_place=place, where=_where(table, row),
        )
        for row in table.rows
        if not row.is_total and units.get(row.index) is not None and units[row.index].code not in (None, named.code)
    ]


def _unit_named_twice(table: Table, units: dict[int, names.Match], file: str, resolver: _Resolver) -> list[dict]:
    """A unit's form (its unit named above the table, not in a column) whose title lines, sheet
    name or file name name another unit as well ("UBND XÃ AN LÃO" over "Đơn vị: Xã An Trường",
    a sheet "Xã An Trường" under a title copied from An Lão's): whose figures they are cannot be told."""
    if table.unit_in_column or table.year is None:
        return []
    booked = {match.code for match in units.values() if match.code is not None}
    if len(booked) != 1:
        return []
    unit = booked.pop()
    index = resolver.vocabulary.unit_index(table.year)
    name = file.rsplit("/", 1)[-1]
    places = [(cell, line, f"dòng \"{line}\" ({cell})") for cell, line in table.title_lines]
    places += [("", table.sheet, f"tên trang tính \"{table.sheet}\""), ("", _file_stem(file), f"tên tệp \"{name}\"")]
    found = []
    for cell, text, place in places:
        for other in names.units_named_as_such(text, index):
            if other != unit:
                found.append(RULES["unit_named_twice"].issue(file, table.sheet, cell or table.unit_cell or "", text, for_unit=unit, unit=unit, other=other, other_place=place, where=_where(table, None)))
    return found


def _year_disagreements(year: int | None, sheet: str, file: str, where: str = "") -> list[dict]:
    """A table's or a list's year against the year of the folder the file is in, of the
    sheet's name and of the file's name: each that names another year is said (the year
    of its title, the one counted)."""
    if year is None:
        return []
    name = file.rsplit("/", 1)[-1]
    places = (
        (folder_year(file), f"thư mục \"{file.split('/', 1)[0]}\" chứa tệp", f"chuyển tệp vào thư mục {year}"),
        (name_year(sheet), f"tên trang tính \"{sheet}\"", "đổi tên trang tính cho khớp"),
        (name_year(name.rsplit(".", 1)[0]), f"tên tệp \"{name}\"", "đổi tên tệp cho khớp"),
    )
    return [
        RULES["year_agrees"].issue(file, sheet, "", str(year), year=year, other_year=other, other_place=place, other_fix=fix, where=where)
        for other, place, fix in places
        if other is not None and other != year
    ]


def _hidden_people(sheet: roster.RosterSheet, grid, file: str) -> list[dict]:
    """People listed in a hidden sheet or row: counted, and said, as hidden figures are."""
    hidden = [person for person in sheet.persons if grid.is_hidden or person["source_row"] - 1 in grid.hidden_rows]
    if not hidden or grid.delimiter is not None:
        return []
    places = f"trang tính ẩn \"{grid.sheet}\"" if grid.is_hidden else f"dòng ẩn {_rows_text(sorted(person['source_row'] for person in hidden))}"
    cells = ", ".join(person["name_cell"] for person in hidden[:_CELLS_NAMED]) + (f"… ({len(hidden)} ô)" if len(hidden) > _CELLS_NAMED else "")
    return [RULES["hidden_counted"].issue(file, grid.sheet, hidden[0]["name_cell"], "", for_unit=hidden[0]["unit"] or "", hidden=places, cells=cells)]


def _other_year_columns(table: Table) -> dict[int, str]:
    """Columns whose header names another year than the table's ("Năm 2027" over a level in a
    2026 table): position -> the years named."""
    if table.year is None:
        return {}
    found = {}
    for position, column in enumerate(table.columns):
        years = column_years(column.label)
        if years and years != [table.year]:
            found[position] = ", ".join(map(str, years))
    return found


def _skipped_columns(columns: list[_ColumnPlan], parsed) -> set[int]:
    """Columns naming no level and holding no number (notes, "Hình thức thực hiện"...)."""
    skipped = set()
    for position, plan in enumerate(columns):
        if plan.level_in_label or plan.role != COUNT:
            continue
        if not any(stated for (row, column), (_, _, stated, _) in parsed.items() if column == position):
            skipped.add(position)
    return skipped


def _booking_scheme(columns: list[_ColumnPlan], skipped: set[int]):
    """Per key (topic, level): which columns are booked, which checked, which not understood.

    The level's total is booked; its "of which" parts and the groups beside it are checked.
    Without a total, the one column naming the level is booked, or else the disjoint groups
    it is split into, added. Two columns that could each be the level, or only parts,
    cannot be told apart: the file is held back.
    """
    by_key: dict[tuple, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    booked: dict[tuple, list[int]] = {}
    checked: dict[int, tuple | None] = {}
    unclear = []
    for position, plan in enumerate(columns):
        if position in skipped:
            continue
        if plan.key is None:
            if plan.role in (TOTAL, PART):
                checked[position] = None  # of the whole row
            continue
        by_key[plan.key][plan.role].append(position)
    for key, roles in by_key.items():
        counts, totals, groups, parts = roles[COUNT], roles[TOTAL], roles[GROUP], roles[PART]
        if len(totals) == 1 and not counts:
            booked[key] = totals
            checked |= dict.fromkeys(groups + parts, key)
        elif len(counts) == 1 and not totals and not groups:
            booked[key] = counts
            checked |= dict.fromkeys(parts, key)
        elif not counts and not totals and groups:
            booked[key] = groups
            checked |= dict.fromkeys(parts, key)
        elif not counts and not totals:
            unclear.append(("columns_part_only", key, parts))
        else:
            unclear.append(("columns_split_unclear", key, counts + totals + groups))
    return booked, checked, unclear


# ---------------------------------------------------------------- numbers


def _parse_table(table: Table, style: str | None) -> dict[tuple[int, int], tuple[float, bool, bool, str]]:
    """Per (row, column position): (headcount, is a number, states something, kind), where kind
    is "error", "date", "formula" (saved without its value), "ambiguous" or ""."""
    parsed = {}
    for row in table.rows:
        for position, value in enumerate(row.values):
            parsed[(row.index, position)] = (_NAN, True, True, "formula") if position in row.formulas else _parse(value, style)
    return parsed


def _parse(value: object, style: str | None) -> tuple[float, bool, bool, str]:
    if value is None:
        return 0.0, True, False, ""
    if value.__class__ is int:
        return float(value), True, True, ""
    if isinstance(value, CellError):
        return _NAN, False, True, "error"
    if isinstance(value, (dt.date, dt.time, dt.datetime, dt.timedelta)):
        return _NAN, False, True, "date"
    if isinstance(value, str) and style is not None and _SEPARATED.match(value.strip()):
        number = _parse_styled(value.strip(), style)
        if number is None:
            return _NAN, False, True, "ambiguous"
        return number, True, True, ""
    number, ok = parse_headcount(value)
    stated = ok and not (isinstance(value, str) and value.strip() in _DASHES)
    return number, ok, stated, ""


_SEPARATED = re.compile(r"^[+-]?\d[\d.,]*$")
_GROUPED = {"vi": re.compile(r"^[+-]?[1-9]\d{0,2}(\.\d{3})+(,\d+)?$|^[+-]?\d+(,\d+)?$"), "en": re.compile(r"^[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d+)?$|^[+-]?\d+(\.\d+)?$")}


def _parse_styled(text: str, style: str) -> float | None:
    """A number typed in a CSV whose style is known: "vi" (1.250,5) or "en" (1,250.5); "?": a
    value that reads differently in the two styles stays unread."""
    if style == "?":
        vi, en = _parse_styled(text, "vi"), _parse_styled(text, "en")
        return vi if vi == en else None
    pattern = _GROUPED[style]
    if not pattern.match(text):
        return None
    thousands, decimal = (".", ",") if style == "vi" else (",", ".")
    return float(text.replace(thousands, "").replace(decimal, "."))


def _number_style(table: Table, delimiter: str | None) -> str | None:
    """A CSV file's number style, from the file itself: numbers that can only be read one way
    decide ("2,5" and "1.250.000" are Vietnamese, "2.5" and "1,250,000" English); "?" when
    nothing decides, and a value then read two ways ("12.000": 12 or 12000) is held back. The
    field separator decides nothing: Google Sheets and LibreOffice write "," whatever the
    regional settings, and "12.000" typed by a Vietnamese office in such a file is 12000.
    Spreadsheets (no delimiter) store numbers as numbers: None."""
    if delimiter is None:
        return None
    votes = {"vi": 0, "en": 0}
    for row in table.rows:
        for value in row.values:
            if isinstance(value, str) and _SEPARATED.match(value.strip()):
                text = value.strip()
                readings = {style for style in ("vi", "en") if _GROUPED[style].match(text)}
                if len(readings) == 1:
                    votes[readings.pop()] += 1
    if votes["vi"] and not votes["en"]:
        return "vi"
    if votes["en"] and not votes["vi"]:
        return "en"
    return "?"


def _is_plain(value: object, kind: str, role: str, plan: _ColumnPlan, topic: names.Match, headcount: float, topic_levels: dict[str, str], largest: int) -> bool:
    """A cell no rule of ``schemas.Candidate`` can fail, in a row whose year, unit and topic
    were found exactly: a blank or a whole number from 0 up to ``largest``, in a column whose
    level (and topic) was found exactly, at a level its topic applies to (or 0)."""
    if kind or not (value is None or (value.__class__ is int and value >= 0)):
        return False
    if role not in ("data", "group"):
        return True
    if value is not None and value > largest:
        return False
    if plan.level is None or (plan.topic.how not in (names.EXACT, "") and topic is plan.topic):
        return False
    return headcount == 0 or plan.level in _level_set(topic_levels.get(topic.code, ""))


@functools.lru_cache(maxsize=256)
def _level_set(levels: str) -> frozenset[str]:
    """"MN TH" -> {"MN", "TH"}: the levels a topic applies to, split once per text."""
    return frozenset(levels.split())


def _rows_added(formula: str, letters: str) -> list[int] | None:
    """The row numbers of column ``letters`` a total's formula adds, each as often as it is
    added: "=SUM(C5:C9)", "=SUBTOTAL(9,C5:C9)", "=C5+C6+C7", "=SUM(C5:C6)+SUM(C8:C9)" and
    the like; None for any other formula."""
    text = formula.replace(" ", "").replace("$", "").upper()
    if not text.startswith("="):
        return None
    references = []
    for term in text[1:].split("+"):
        summed = _SUM_TERM.fullmatch(term)
        references += summed.group(1).split(",") if summed else [term]
    rows: list[int] = []
    for term in references:
        reference = _RANGE.fullmatch(term)
        if reference is None or reference.group(1) != letters or reference.group(3) not in (None, letters):
            return None
        first = int(reference.group(2))
        last = int(reference.group(4)) if reference.group(4) else first
        rows += range(min(first, last), max(first, last) + 1)
    return rows or None


_SUM_TERM = re.compile(r"(?:SUM\(|SUBTOTAL\((?:9|109),|AGGREGATE\(9,\d,)(.+?)\)")
_RANGE = re.compile(r"([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?")


def _total_matches(stated: float, since: list, above: list, sum_since: float, sum_above: float, whole: float, sum_below: float) -> bool:
    """A total row's figure is right: the rows since the total above it (or all rows above it)
    when it closes rows; else the whole column, the rows under it, or the rows above it."""
    if since:
        return stated in (sum_since, sum_above)
    return stated in (whole, sum_below) or (bool(above) and stated == sum_above)


def _is_count(cell: _Cell) -> bool:
    """A cell that can be added up: a whole number from 0 (or blank); infinity (a number of
    hundreds of digits typed as text) is none."""
    return cell.is_number and cell.headcount >= 0 and float(cell.headcount).is_integer()


def _number(parsed: tuple[float, bool, bool, str]) -> float:
    headcount, is_number, _, _ = parsed
    return headcount if is_number else _NAN


# ---------------------------------------------------------------- group rows


def _partition(values: np.ndarray, total: np.ndarray | None, heading: bool):
    """Group rows of a segment: each one equal, in every column, to the rows under it up to
    the next group row (``heading``), or to the rows above it since the previous one.

    Returns ([(group row, member rows)], confirmed) or None. Confirmed: the segment's
    total equals the group rows' sum and not every row's (a flat list would be added whole).
    """
    count = len(values)
    data = values if heading else values[::-1]
    groups = []
    position = 0
    while position < count:
        head = data[position]
        if not head.any():
            return None
        running = np.zeros_like(head)
        end = position + 1
        while end < count and (running + data[end] <= head).all():
            running = running + data[end]
            end += 1
            if (running == head).all() and (end == count or data[end].any()):
                break
        if end == position + 1 or not (running == head).all():
            return None
        groups.append((position, list(range(position + 1, end))))
        position = end
    if not heading:
        groups = [(count - 1 - head, sorted(count - 1 - member for member in members)) for head, members in groups]
    if total is not None and not np.isnan(total).any() and (total == values.sum(axis=0)).all():
        return None  # the total counts every row: no row is a group's sum
    heads_sum = sum(values[head] for head, _ in groups)
    confirmed = total is not None and not np.isnan(total).any() and bool((total == heads_sum).all())
    return groups, confirmed


# ---------------------------------------------------------------- rules, cell by cell


def _failed_rules(candidates: pd.DataFrame) -> dict[int, list[str]]:
    """The candidate rows that fail ``schemas.Candidate`` checks: row -> the checks' names."""
    failed: dict[int, list[str]] = {}
    if candidates.empty:
        return failed
    try:
        schemas.Candidate.validate(candidates, lazy=True)
    except pa.errors.SchemaErrors as error:
        cases = error.failure_cases
        broken = cases[~cases["check"].isin(RULES)]
        if len(broken):  # a column of the contract itself, not a rule on the inputs: a defect
            raise RuntimeError(f"Bảng kiểm tra sai cấu trúc: {broken[['column', 'check']].drop_duplicates().to_dict('records')}") from error
        cases = cases[cases["index"].notna()].drop_duplicates(["check", "index"])
        for check, index in zip(cases["check"], cases["index"]):
            failed.setdefault(int(index), []).append(check)
    return failed


# ---------------------------------------------------------------- across files


def _unit_in_several_files(results: list[FileResult]) -> list[dict]:
    """A unit's own form sent in several files for one year that share no figure (a revision
    "lan_2" with other programmes beside the first, or one file per programme): their figures
    are added, which a revision would count twice; said to each file, naming the others.
    Files sharing a figure are copies, held back as sent twice; files of several units are
    compilations."""
    files_of: dict[tuple[int, str], list[FileResult]] = defaultdict(list)
    for result in results:
        if len(result.units) == 1 and not result.persons:
            files_of[result.units[0]].append(result)
    found = []
    for (year, unit), sent in sorted(files_of.items()):
        keys = [set(zip(result.bookings.topic, result.bookings.level)) for result in sent]
        if len(sent) < 2 or len(set().union(*keys)) < sum(map(len, keys)):
            continue
        for result in sent:
            others = ", ".join(other.file for other in sent if other is not result)
            found.append(RULES["unit_in_several_files"].issue(result.file, "", "", result.file.rsplit("/", 1)[-1], for_unit=unit, unit=unit, year=year, count=len(sent), others=others))
    return found


def _duplicate_issues(bookings: pd.DataFrame) -> list[dict]:
    """The same year, unit, topic and level sent twice: every copy is named, none wins."""
    keys = ["year", "unit", "topic", "level"]
    duplicated = bookings[bookings.duplicated(keys, keep=False)]
    if duplicated.empty:
        return []
    found = []
    for key, group in duplicated.groupby(keys, sort=True):
        places = "; ".join(f"{f} (trang {s}, ô {c})" for f, s, c in zip(group["source_file"], group["source_sheet"], group["source_cell"]))
        for file, sheet, cell, value in zip(group["source_file"], group["source_sheet"], group["source_cell"], group["value"]):
            found.append(RULES["sent_once"].issue(file, sheet, cell, _shown_value(value) or "", for_unit=key[1], unit=key[1], year=key[0], topic=key[2], level=key[3], places=places))
    return found


# ---------------------------------------------------------------- small helpers


def _level_list(vocabulary: Vocabulary) -> str:
    """"MN, TH, THCS, THPT, GDTX hoặc GDNN": the levels a column may name, from levels.csv."""
    codes = [code for code in vocabulary.level_names if code not in vocabulary.level_covers]
    return ", ".join(codes[:-1]) + " hoặc " + codes[-1] if len(codes) > 1 else "".join(codes)


def _file_stem(file: str) -> str:
    """A file's name without folder and suffix, "_" read as a space: "2024/an_lao.xlsx" -> "an lao"."""
    name = file.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0].replace("_", " ")


def _group_rows(table: Table, vocabulary: Vocabulary) -> dict[int, int]:
    """Rows naming only a group of people ("- CBQL", "+ Giáo viên": a group word of
    ``aliases.csv``) under a row naming a topic or unit: row index -> the index of that row."""
    found: dict[int, int] = {}
    parent = None
    for row in table.rows:
        label = row.topic_label if not table.topic_in_column else row.unit_label if table.unit_in_column else None
        key = text_key(label)
        if row.is_total:
            parent = None
        elif key and (vocabulary.header_roles.get(key) or vocabulary.folded_header_roles.get(fold_key(key))) == "group":
            if parent is not None:
                found[row.index] = parent
        else:
            parent = row.index
    return found


def _row_name(table: Table, row: Row) -> tuple[str, str]:
    """The cell and the text naming a row: its unit's where each row names its unit, else
    its topic's (a unit's form names its unit once, above the table: not the row's name)."""
    if table.unit_in_column and row.unit_label is not None:
        return row.unit_cell or "", row.unit_label
    return row.topic_cell or (row.unit_cell if table.unit_in_column else None) or "", row.topic_label or ""


def _where(table: Table, row: Row | None) -> str:
    """Where a hidden cell is, so the clerk can find it."""
    if table.is_sheet_hidden:
        return " (trang tính ẩn)"
    if row is not None and row.is_hidden:
        return " (dòng ẩn)"
    return ""


def _shown_value(value: object) -> str | None:
    """A value as the officer typed it: 12 not 12.0; a blank (None, or NaN in a table of bookings) as None."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _rows_text(rows: list[int]) -> str:
    return f"{rows[0]}–{rows[-1]}" if len(rows) > 1 and rows == list(range(rows[0], rows[-1] + 1)) else ", ".join(map(str, rows))


def _unique(issues: list[dict]) -> list[dict]:
    seen, found = set(), []
    for issue in issues:
        key = tuple(issue.values())
        if key not in seen:
            seen.add(key)
            found.append(issue)
    return found


def _sort_key(column: pd.Series) -> pd.Series:
    """Cells sort row by row, as a reader scans the sheet (C9 before B10); errors before warnings."""
    if column.name == "severity":
        return column.map({ERROR: 0, WARNING: 1})
    if column.name != "cell":
        return column
    return column.map(lambda c: (int(re.sub(r"\D", "", c.split("+")[0]) or 0), len(c), c))
