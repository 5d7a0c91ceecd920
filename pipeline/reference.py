"""Reference data: read once from ``inputs/reference/``, checked, and asked every question about it.

No other module reads a reference file. Every vocabulary the pipeline knows — units
and their kinds per year, levels and their other names, topics and their aliases,
table headers, unit-name prefixes, plan lines and prices — comes from here, so a
data officer changes what the pipeline understands by editing a CSV file.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

import schemas
from schemas import persons as models
from schemas.campaign import Deadline
from pipeline.text import AliasKeys, fold_key, strip_prefixes, text_key


class ReferenceDataError(Exception):
    """The reference data cannot be used; the run cannot proceed."""


_FILES = {
    "levels": ("levels.csv", schemas.Level),
    "topics": ("topics.csv", schemas.Topic),
    "aliases": ("aliases.csv", schemas.Alias),
    "units": ("units.csv", schemas.Unit),
    "appendices": ("appendices.csv", schemas.AppendixSpec),
    "appendix_columns": ("appendix_columns.csv", schemas.AppendixColumn),
    "plan": ("plan.csv", schemas.PlanRow),
    "plan_appendices": ("plan_appendices.csv", schemas.PlanAppendix),
    "plan_printed": ("plan_printed.csv", schemas.PrintedFigure),
    "deadlines": ("deadlines.csv", Deadline),
    "limits": ("limits.csv", schemas.Limit),
}
_OPTIONAL = {"deadlines"}  # a missing file: an empty table


@dataclass(frozen=True, eq=False)
class Reference:
    """Every reference table, each checked against its schema and all against each other."""

    levels: pd.DataFrame
    topics: pd.DataFrame
    aliases: pd.DataFrame
    units: pd.DataFrame
    appendices: pd.DataFrame
    appendix_columns: pd.DataFrame
    plan: pd.DataFrame
    plan_appendices: pd.DataFrame
    plan_printed: pd.DataFrame
    deadlines: pd.DataFrame  # per registration year, the last day files count as on time
    limits: pd.DataFrame  # the most a registration may hold (``largest_headcount``)
    persons: "PersonReference | None" = None  # the rules for rosters: retirement, the degree standard, programmes
    digest: str = ""  # of the folder's files: keys every cache

    @property
    def level_codes(self) -> list[str]:
        """The levels in the order of ``levels.csv``."""
        return self.levels["code"].tolist()

    @property
    def plan_levels(self) -> list[str]:
        """The levels of school, in order: those that stand for no others (not "PT")."""
        return [code for code, covers in zip(self.levels["code"], self.levels["covers"]) if not isinstance(covers, str)]

    @property
    def level_headers(self) -> dict[str, str]:
        """Level of school -> its column heading in the appendices and forms ("Mầm non", "THCS")."""
        return {code: header for code, header in zip(self.levels["code"], self.levels["header"]) if code in self.plan_levels}

    @property
    def level_names(self) -> dict[str, str]:
        """Level code -> the name a reader sees ("Mầm non")."""
        return dict(zip(self.levels["code"], self.levels["name"]))

    def units_of_year(self, year: int) -> pd.DataFrame:
        """The units valid on some day of ``year``, one row per name, in reference order."""
        return units_of_year(self.units, year)

    @property
    def largest_headcount(self) -> int:
        """The most people one cell (a unit, a topic, a level) may count (limits.csv)."""
        return int(self.limits.loc[self.limits["key"] == "largest_headcount", "value"].iloc[0])

    @functools.cached_property
    def vocabulary(self) -> "Vocabulary":
        """The reference data arranged for reading and resolving labels (built once)."""
        return Vocabulary.build(self)


def read_reference(folder: Path) -> Reference:
    """Read and check every reference table under ``folder``.

    Raises:
        ReferenceDataError: a file is missing, unreadable, breaks its schema, or
            names a code another table does not know.
    """
    tables = {}
    for name, (filename, model) in _FILES.items():
        path = folder / filename
        if name in _OPTIONAL and not path.exists():
            tables[name] = model.validate(pd.DataFrame({column: [] for column in model.to_schema().columns}))
            continue
        tables[name] = _read_table(path, model)
    reference = Reference(**tables, persons=read_person_reference(folder), digest=folder_digest(folder))
    problems = _disagreements(reference)
    if problems:
        raise ReferenceDataError("Dữ liệu tham chiếu không thống nhất:\n" + "\n".join(problems))
    return reference


def schema_problems(path: Path, cases: pd.DataFrame, frame: pd.DataFrame, shown: int = 20) -> str:
    """What a reference table's schema found wrong, one line per cell, as a data officer
    reads it: the CSV's line (the header is line 1), the column, the value, what is expected.

    ``cases``: pandera's ``failure_cases``; ``frame``: the table as read. A check that could
    not even run because of a value already named (a text where a number belongs) is not
    repeated; a value of the wrong kind that pandera could not place is found in ``frame``.
    """
    columns = set(frame.columns)
    lines, seen = [], set()
    rows_named = {index for column, index in zip(cases["column"], cases["index"]) if not str(column).startswith("^")}
    columns_per_row_check = cases.groupby(["index", "check"], dropna=True)["column"].nunique()
    for column, check, value, index in cases[["column", "check", "failure_case", "index"]].itertuples(index=False):
        row = None if index is None or pd.isna(index) else int(index) + 2
        if row is not None and columns_per_row_check.get((index, check), 0) > 1:
            if (row, check) not in seen:  # a check of the whole row: said once, of the row
                seen.add((row, check))
                lines.append(f"  dòng {row}: không qua kiểm tra \"{check}\"")
            continue
        if row is None and str(check).startswith(("coerce_dtype", "dtype")) and column in columns:
            misplaced = _values_not_of_kind(frame[column], str(check))
            for index_found, found in misplaced.items():
                if (int(index_found) + 2, column) not in seen:
                    seen.add((int(index_found) + 2, column))
                    lines.append(f"  dòng {int(index_found) + 2}, cột {column}: {_expected(str(check), found)}")
            if misplaced:
                continue
        key = (row, column) if row is not None else (column, check, str(value))
        if key in seen or (str(value).startswith(("TypeError(", "ValueError(")) and len(cases) > 1):
            continue
        if str(column).startswith("^") and index in rows_named:
            continue  # a check over columns named by a pattern, said again of the column itself
        seen.add(key)
        if row is not None:
            where = f"dòng {row}, cột {column}"
        elif check in ("column_in_dataframe", "column_in_schema"):
            where = "dòng 1 (tên cột)"
        elif column in columns:
            where = f"cột {column}"
        else:  # a check of the whole table
            lines.append(f"  cả bảng: không qua kiểm tra \"{check}\"")
            continue
        lines.append(f"  {where}: {_expected(str(check), value)}")
    more = f"\n  … và {len(lines) - shown} vấn đề khác" if len(lines) > shown else ""
    return f"Tệp dữ liệu tham chiếu {path} không hợp lệ:\n" + "\n".join(lines[:shown]) + more


def _values_not_of_kind(column: pd.Series, check: str) -> dict:
    """The cells of a column that are not of the kind a dtype check wants, by row: a date
    written as YYYY-MM-DD, a number, a whole number; empty when the kind is another."""
    typed = column.dropna()
    if "datetime" in check:
        wrong = pd.to_datetime(typed.astype(str), format="%Y-%m-%d", errors="coerce").isna()
    elif "int" in check.lower() or "float" in check:
        number = pd.to_numeric(typed.astype(str), errors="coerce")
        wrong = number.isna() | ((number % 1 != 0) if "int" in check.lower() else False)
    else:
        return {}
    return typed[wrong].to_dict()


def _expected(check: str, value: object) -> str:
    """One of pandera's checks on a value, in words."""
    found = f"\"{value}\"" if value is not None and not pd.isna(value) else "ô trống"
    argument = check[check.find("(") + 1 : check.rfind(")")].strip("'\"") if "(" in check else ""
    if check.startswith(("coerce_dtype", "dtype")):
        kind = {"int": "một số nguyên", "float": "một số", "bool": "true hoặc false", "datetime": "một ngày (YYYY-MM-DD)", "date": "một ngày (YYYY-MM-DD)"}
        wanted = next((words for prefix, words in kind.items() if argument.lower().startswith(prefix)), "chữ")
        return f"{found} không phải {wanted}"
    if check == "column_in_dataframe":
        return f"thiếu cột {value}"
    if check == "column_in_schema":
        return f"cột {value} không có trong mẫu của tệp này"
    if check == "not_nullable":
        return "không được để trống"
    if "uniqueness" in check or check == "unique":
        return f"{found} bị trùng"
    words = {
        "greater_than_or_equal_to": f"phải từ {argument} trở lên",
        "greater_than": f"phải lớn hơn {argument}",
        "less_than_or_equal_to": f"không được quá {argument}",
        "less_than": f"phải nhỏ hơn {argument}",
        "in_range": f"phải trong khoảng {argument}",
        "isin": f"phải là một trong {argument}",
        "str_matches": "không đúng dạng",
        "str_length": f"độ dài phải trong khoảng {argument}",
        "not_equal_to": f"không được là {argument or 'ô trống'}",
        "equal_to": f"phải là {argument}",
    }
    name = check.split("(", 1)[0]
    return f"{found}: {words[name]}" if name in words else f"{found} không qua kiểm tra \"{check}\""


def units_of_year(units: pd.DataFrame, year: int) -> pd.DataFrame:
    """The units valid on some day of ``year``, one row per name, in reference order."""
    return units[_valid_in(units, year)].drop_duplicates("name", keep="last")


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def folder_digest(folder: Path) -> str:
    """sha256 over the names and bytes of the files directly in ``folder``."""
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*")):
        if path.is_file():
            digest.update(path.name.encode("utf-8") + b"\0" + file_digest(path).encode("ascii"))
    return digest.hexdigest()


def _valid_in(units: pd.DataFrame, year: int) -> pd.Series:
    start, end = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
    return (units["valid_from"].isna() | (units["valid_from"] <= end)) & (units["valid_to"].isna() | (units["valid_to"] >= start))


@dataclass(frozen=True)
class PersonReference:
    """The reference tables of the person checks, each checked against its schema."""

    retirement_ages: pd.DataFrame
    settings: pd.DataFrame
    thresholds: pd.DataFrame
    programmes: pd.DataFrame
    codes: pd.DataFrame
    aliases: pd.DataFrame


_PERSON_FILES = {
    "retirement_ages": ("retirement_ages.csv", models.RetirementAge),
    "settings": ("person_settings.csv", models.PersonSetting),
    "thresholds": ("nd71_thresholds.csv", models.UpgradeThreshold),
    "programmes": ("programmes.csv", models.Programme),
    "codes": ("person_codes.csv", models.PersonCode),
    "aliases": ("person_aliases.csv", models.PersonAlias),
}


def read_person_reference(folder: Path) -> PersonReference:
    """Read and check the person reference tables under ``folder`` (``inputs/reference``).

    Raises:
        ReferenceDataError: a file is missing, unreadable or breaks its schema.
    """
    tables = {}
    for name, (filename, model) in _PERSON_FILES.items():
        tables[name] = _read_table(folder / filename, model)
    return PersonReference(**tables)


def _read_table(path: Path, model: type[pa.DataFrameModel]) -> pd.DataFrame:
    """One reference CSV, read and checked against its schema.

    A value the schema's coercion would change without a word is refused first: pandas
    reads true/false as booleans, and any other text in a yes/no column would become True;
    a whole-number column read with a fraction ("60.5") would be cut to 60.
    """
    try:
        frame = pd.read_csv(path, keep_default_na=False, na_values=[""], encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as error:
        raise ReferenceDataError(f"Không đọc được tệp dữ liệu tham chiếu {path}: {error}") from error
    lossy = []
    for column, spec in model.to_schema().columns.items():
        if column not in frame.columns:
            continue
        if str(spec.dtype) == "bool" and frame[column].dtype != bool:
            raise ReferenceDataError(f"Tệp dữ liệu tham chiếu {path}: cột {column} chỉ nhận true hoặc false")
        if str(spec.dtype).lower().startswith("int") and pd.api.types.is_float_dtype(frame[column]):
            values = frame[column]
            for index, value in values[values.notna() & (values % 1 != 0)].items():
                lossy.append(f"  dòng {index + 2}, cột {column}: {_expected('coerce_dtype(int64)', value)}")
    if lossy:
        raise ReferenceDataError(f"Tệp dữ liệu tham chiếu {path} không hợp lệ:\n" + "\n".join(lossy))
    try:
        return model.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as error:
        raise ReferenceDataError(schema_problems(path, error.failure_cases, frame)) from error


# ---------------------------------------------------------------- vocabulary


# ---------------------------------------------------------------- cross-checks


def _disagreements(reference: Reference) -> list[str]:
    """Codes used in one table that another does not know."""
    levels = set(reference.levels["code"])
    topics = set(reference.topics["code"])
    problems = []
    for code, covers in zip(reference.levels["code"], reference.levels["covers"]):
        if isinstance(covers, str):
            problems += [f"levels.csv: {code} gồm cấp học {level} không có trong levels.csv" for level in covers.split() if level not in levels]
    for code, topic_levels in zip(reference.topics["code"], reference.topics["levels"]):
        problems += [f"topics.csv: {code} dùng cấp học {level} không có trong levels.csv" for level in topic_levels.split() if level not in levels]
    known = {"topic": topics, "unit": set(reference.units["name"])}
    for kind, code in zip(reference.aliases["kind"], reference.aliases["code"]):
        if kind in known and code not in known[kind]:
            problems.append(f"aliases.csv: mã {code} ({kind}) không có trong danh mục")
    for topic, level in zip(reference.appendix_columns["topic"], reference.appendix_columns["level"]):
        if topic not in topics or level not in levels:
            problems.append(f"appendix_columns.csv: {topic}/{level} không có trong danh mục")
    problems += _plan_disagreements(reference, topics)
    problems += _limit_disagreements(reference)
    problems += _spellings_of_two(reference)
    problems += _units_of_one_name(reference)
    if reference.persons is not None:
        problems += person_disagreements(reference.persons, reference.topics, reference.levels, reference.plan)
    return problems


def _spellings_of_two(reference: Reference) -> list[str]:
    """Names that would read as two things: a topic's name, code, alias or plan wording, a
    level's code, name, alias or part, a header's wording, each compared as labels are
    (case, marks' placement, spacing and punctuation aside). The tables would otherwise
    settle it silently, the last one read winning: a programme never guessed."""
    aliases = reference.aliases
    topic_spellings = [("topics.csv", code, text) for code, name in zip(reference.topics["code"], reference.topics["name"]) for text in (code, name)]
    topic_spellings += [("aliases.csv", code, alias) for kind, code, alias in zip(aliases["kind"], aliases["code"], aliases["alias"]) if kind == "topic"]
    topic_spellings += [
        ("plan.csv", code, label)
        for column in ("label", "task_label", "cost_label") if column in reference.plan
        for label, code in zip(reference.plan[column], reference.plan["topic"]) if isinstance(label, str)
    ]
    level_spellings = [
        ("levels.csv", code, text)
        for code, name, others, pieces in zip(*(reference.levels[column] for column in ("code", "name", "aliases", "parts")))
        for text in (code, name, *_listed(others), *_listed(pieces))
    ]
    header_spellings = [("aliases.csv", code, alias) for kind, code, alias in zip(aliases["kind"], aliases["code"], aliases["alias"]) if kind == "header"]
    problems = []
    for kind, spellings in (("nội dung", topic_spellings), ("cấp học", level_spellings), ("tiêu đề cột", header_spellings)):
        for shown, by_code in _named_twice(spellings, text_key):
            named = " và ".join(f"{code} ({source})" for code, source in by_code.items())
            problems.append(f"\"{shown}\" là tên gọi của hai {kind} khác nhau: {named}; mỗi tên chỉ được chỉ một {kind}")
    # A column heading is read as a role (unit, topic, total, note...) or as a level: never both.
    levels = {text_key(text): (code, text) for _, code, text in level_spellings}
    for _, role, text in header_spellings:
        if text_key(text) in levels:
            code, spelled = levels[text_key(text)]
            problems.append(f"\"{unicodedata.normalize('NFC', str(text).strip())}\" vừa là tiêu đề cột {role} (aliases.csv) vừa là tên gọi của cấp học {code} (levels.csv: \"{spelled}\"); mỗi tên chỉ được chỉ một thứ")
    return problems


def _units_of_one_name(reference: Reference) -> list[str]:
    """Two units of one year that a file could not tell apart: a unit's alias that reads as
    another unit's name (or alias) that year, the unit-type words ("xã", "phường") aside.
    Otherwise the alias would win silently, and a file naming the other unit book to it."""
    units, aliases = reference.units, reference.aliases
    prefixes = [text_key(prefix) for prefix in aliases.loc[aliases["kind"] == "unit_prefix", "alias"]]
    unit_aliases = [(alias, name) for kind, name, alias in zip(aliases["kind"], aliases["code"], aliases["alias"]) if kind == "unit"]
    dates = pd.concat([units["valid_from"], units["valid_to"]]).dropna()
    years = set(reference.plan["year"]) | {date.year for date in dates} | {date.year + 1 for date in dates}
    spelled_as: dict[str, list[tuple[str, str]]] = {}
    for text, name in [(name, name) for name in sorted(set(units["name"]))] + unit_aliases:
        spelled_as.setdefault(strip_prefixes(text_key(text), prefixes), []).append((text, name))
    aliased = {(text, name) for text, name in unit_aliases}
    # Only a key that names two units in some period can clash: each is then looked at year by year.
    suspects = [spellings for spellings in spelled_as.values() if len({name for _, name in spellings}) > 1]
    clashes: dict[tuple, list[int]] = {}
    for year in sorted(years) if suspects else []:
        valid = set(units.loc[_valid_in(units, year), "name"])
        for spellings in suspects:
            names: dict[str, str | None] = {}
            for text, name in spellings:
                if name in valid:
                    names.setdefault(name, unicodedata.normalize("NFC", str(text)) if (text, name) in aliased else None)
            if len(names) > 1:
                clashes.setdefault(tuple(names.items()), []).append(year)
    problems = []
    for spelled, found in clashes.items():
        told = " và ".join(f"tên của đơn vị {name} (units.csv)" if alias is None else f"tên gọi khác \"{alias}\" của {name} (aliases.csv)" for name, alias in spelled)
        span = f"{found[0]}–{found[-1]}" if found == list(range(found[0], found[-1] + 1)) and len(found) > 1 else ", ".join(map(str, found))
        problems.append(f"\"{spelled[0][1] or spelled[0][0]}\" là {told} trong cùng năm ({span}); một tên chỉ được chỉ một đơn vị")
    return problems


def person_disagreements(reference: PersonReference, topics: pd.DataFrame, levels: pd.DataFrame, plan: pd.DataFrame) -> list[str]:
    """What makes the person reference data disagree with itself or the catalogue (empty: nothing).

    Schedules named in the settings exist for both sexes; degrees and levels are known;
    each programme is a topic of the catalogue, leads to a higher degree, and, where the
    plan teaches it credit by credit, takes as many years as the plan needs to teach
    its ``credits_total``.
    """
    problems = []
    settings = dict(zip(reference.settings["key"], reference.settings["value"]))
    ages = reference.retirement_ages
    sexes = set(reference.codes.loc[reference.codes["kind"] == "sex", "code"])
    for key in models.SCHEDULES_KEY:
        found = set(ages.loc[ages["schedule"] == settings[key], "sex"])
        if found != sexes:
            problems.append(f"person_settings.csv: {key} = {settings[key]}, retirement_ages.csv có lộ trình này cho {sorted(found) or 'không giới nào'}, cần cho {sorted(sexes)}")
    problems += [f"retirement_ages.csv: giới tính {sex} không có trong person_codes.csv" for sex in sorted(set(ages["sex"]) - sexes)]
    try:
        dt.date.fromisoformat(settings["nd71_count_from"])
    except ValueError:
        problems.append(f"person_settings.csv: nd71_count_from = {settings['nd71_count_from']} không phải ngày dạng YYYY-MM-DD")
    for key in ("youngest_age", "oldest_age"):
        if not settings[key].isdigit():
            problems.append(f"person_settings.csv: {key} = {settings[key]} không phải số nguyên")
    degrees = dict(zip(reference.codes.loc[reference.codes["kind"] == "degree", "code"], reference.codes.loc[reference.codes["kind"] == "degree", "rank"]))
    level_codes = set(levels["code"])
    for row in reference.thresholds.itertuples(index=False):
        where = f"nd71_thresholds.csv: {row.level}/{row.degree}"
        if row.level not in level_codes:
            problems.append(f"{where}: cấp học {row.level} không có trong levels.csv")
        for degree in (row.degree, row.standard_degree):
            if degree not in degrees:
                problems.append(f"{where}: trình độ {degree} không có trong person_codes.csv")
        if row.degree in degrees and row.standard_degree in degrees and degrees[row.degree] >= degrees[row.standard_degree]:
            problems.append(f"{where}: trình độ {row.degree} không thấp hơn chuẩn {row.standard_degree}")
    credits = dict(zip(topics["code"], topics["credits_total"]))
    for row in reference.programmes.itertuples(index=False):
        where = f"programmes.csv: {row.topic}"
        if row.topic not in credits:
            problems.append(f"{where}: nội dung không có trong topics.csv")
            continue
        if row.from_degree not in degrees or row.to_degree not in degrees:
            problems.append(f"{where}: trình độ {row.from_degree}/{row.to_degree} không có trong person_codes.csv")
        elif degrees[row.from_degree] >= degrees[row.to_degree]:
            problems.append(f"{where}: {row.from_degree} → {row.to_degree} không nâng trình độ")
        taught = plan[plan["topic"] == row.topic].sort_values("year")
        total = credits[row.topic]
        if pd.notna(total) and taught["credits_taught"].notna().any():
            running, years = 0, 0
            for credit in taught["credits_taught"].dropna():
                running += int(credit)
                years += 1
                if running >= int(total):
                    break
            if running != int(total) or years != int(row.years):
                problems.append(f"{where}: {int(row.years)} năm, nhưng plan.csv dạy {running}/{int(total)} tín chỉ trong {years} năm")
    for kind, spellings in person_spellings(reference).items():
        for shown, by_code in _named_twice([(source, code, text) for text, code, source in spellings], lambda text: text_key(text) or text.strip()):
            named = " và ".join(f"{code} ({source})" for code, source in by_code.items())
            problems.append(f"person_aliases.csv: \"{shown}\" ({kind}) chỉ cả {named}; mỗi cách viết chỉ được chỉ một mã")
    return problems


def _named_twice(spellings: list[tuple[str, str, str]], key: Callable[[str], str]) -> list[tuple[str, dict[str, str]]]:
    """Of (file, code, spelling) triples, each key two codes share: the spelling as first
    written (NFC), and each code with the file it was first given in, in the order read."""
    codes: dict[str, dict[str, str]] = {}
    shown: dict[str, str] = {}
    for source, code, text in spellings:
        found = key(text)
        codes.setdefault(found, {}).setdefault(code, source)
        shown.setdefault(found, unicodedata.normalize("NFC", str(text).strip()))
    return [(shown[found], by_code) for found, by_code in codes.items() if len(by_code) > 1]


def person_spellings(reference: PersonReference) -> dict[str, list[tuple[str, str, str]]]:
    """Per kind of label of the lists of people (degree, title, sex, answer, teacher
    training, column heading): each (spelling, code, file): the aliases, and the codes and
    their names, which are spellings too."""
    codes, aliases = reference.codes, reference.aliases
    found = {}
    for kind in models.ALIAS_KINDS:
        part = aliases[aliases["kind"] == kind]
        spellings = [(alias, code, "person_aliases.csv") for alias, code in zip(part["alias"], part["code"])]
        if kind != "header":
            listed = codes[codes["kind"] == kind]
            spellings += [(code, code, "person_codes.csv") for code in listed["code"]]
            spellings += [(name, code, "person_codes.csv") for name, code in zip(listed["name"], listed["code"])]
        found[kind] = spellings
    return found


def _plan_disagreements(reference: Reference, topics: set[str]) -> list[str]:
    """The plan's lines name known topics, at levels they apply to, under a parent of the same year."""
    plan, problems = reference.plan, []
    topic_levels = dict(zip(reference.topics["code"], reference.topics["levels"]))
    for record in plan.itertuples(index=False):
        where = f"plan.csv: năm {record.year}, dòng {record.position}"
        if record.topic not in topics:
            problems.append(f"{where}: nội dung {record.topic} không có trong topics.csv")
            continue
        if isinstance(record.parent, str) and not ((plan["year"] == record.year) & (plan["topic"] == record.parent)).any():
            problems.append(f"{where}: dòng cha {record.parent} không có trong kế hoạch năm {record.year}")
        for level in schemas.plan_levels(plan):
            count = getattr(record, level)
            if pd.notna(count) and count > 0 and level not in topic_levels[record.topic].split():
                problems.append(f"{where}: nội dung {record.topic} không áp dụng cho cấp học {level} (topics.csv)")
    school_levels = reference.plan_levels
    if schemas.plan_levels(plan) != school_levels:
        problems.append(f"plan.csv: các cột cấp học {', '.join(schemas.plan_levels(plan))} phải là các cấp học của levels.csv theo thứ tự: {', '.join(school_levels)}")
    kinds = set(zip(reference.plan_appendices["year"], reference.plan_appendices["kind"]))
    for year in sorted(set(plan["year"])):
        problems += [f"plan_appendices.csv: thiếu phụ lục {kind} năm {year}" for kind in ("nhiệm vụ", "kinh phí") if (year, kind) not in kinds]
    printed = reference.plan_printed
    problems += [f"plan_printed.csv: nội dung {topic} không có trong topics.csv" for topic in set(printed["topic"].dropna()) - topics]
    return problems


def _limit_disagreements(reference: Reference) -> list[str]:
    """A cell may count a whole city's people of a topic and level ("Các trường THPT"): the
    largest headcount is no smaller than any figure of the plan."""
    largest = reference.largest_headcount
    problems = []
    for record in reference.plan.itertuples(index=False):
        for level in schemas.plan_levels(reference.plan):
            count = getattr(record, level)
            if pd.notna(count) and count > largest:
                problems.append(
                    f"limits.csv: largest_headcount = {largest} nhỏ hơn số {count:g} của kế hoạch (plan.csv: năm {record.year}, dòng {record.position}, cấp {level}); "
                    "một ô số liệu có thể là số của cả thành phố, giới hạn phải lớn hơn"
                )
    return problems


# ---------------------------------------------------------------- the vocabulary


@dataclass(frozen=True)
class UnitIndex:
    """A year's units arranged for finding them in text.

    ``keys``: every spelling of a name or alias, without its prefix, as a text key;
    ``folded``: the same without marks, only where one unit has it; ``kinds``: the
    display name of each unit's kind that year ("phường"); ``neighbour_kinds``: the
    kind a unit had the year before or after, where its territory stayed the same
    (a huyện that became a quận on 01/01/2025).
    """

    year: int
    keys: AliasKeys
    folded: AliasKeys
    kinds: dict[str, set[str]]
    neighbour_kinds: dict[str, dict[str, int]]
    prefixes: list[str]
    prefix_kinds: dict[str, str]
    former_markers: dict[str, str] = field(default_factory=dict)  # key -> the word as written ("cũ"): a name followed by it is the unit before the reform
    school_markers: dict[str, str] = field(default_factory=dict)  # key -> the word as written ("THPT"): a name right after it is a school's


@dataclass(frozen=True)
class Vocabulary:
    """What the pipeline can recognise in a spreadsheet, all from the reference data.

    Keys are ``text_key``s (case, Unicode form, tone placement and punctuation do not
    matter); every value a reader sees is a display name from the reference data.
    """

    header_roles: dict[str, str]              # header text key -> role ("unit", "topic", "total", "part", "group"...)
    folded_header_roles: dict[str, str]       # the same without marks, where unique
    levels: AliasKeys                         # level name or alias key -> level code
    folded_levels: AliasKeys
    level_parts: AliasKeys                    # name of a part a level may be split into ("Nhà trẻ") -> level code
    folded_level_parts: AliasKeys
    level_names: dict[str, str]
    level_covers: dict[str, str]              # an aggregate level -> the levels it stands for ("PT" -> "TH THCS THPT")
    topics: AliasKeys                         # topic name, alias or code key -> topic code
    folded_topics: AliasKeys                  # the same without marks, where unique
    topic_names: dict[str, str]               # topic code -> catalogue name
    topic_levels: dict[str, str]              # topic code -> "MN TH" (levels it applies to)
    topic_codes: dict[str, str]               # code key -> code
    topic_spellings: list[tuple[str, str]]    # (name or alias key, code), for matching typos
    unit_aliases: dict[str, str]
    prefixes: list[str]
    prefix_kinds: dict[str, str]
    units: pd.DataFrame
    largest_headcount: int                    # the most people one cell (a unit, a topic, a level) may count (limits.csv)
    sample_markers: list[str] = field(default_factory=list)  # title words marking illustrative data ("Số liệu minh họa")
    example_markers: list[str] = field(default_factory=list)  # words opening a form's example row ("Ví dụ: ..."), never a registration
    not_registration_markers: dict[str, str] = field(default_factory=dict)  # key -> words of a table's title saying its figures are no registrations ("đã được bồi dưỡng")
    sample_mark: str = ""  # how outputs built from such files say so
    former_markers: dict[str, str] = field(default_factory=dict)  # a word after a unit's name making it the former unit ("cũ")
    school_markers: dict[str, str] = field(default_factory=dict)  # a word before a name making it a school's ("Trường THPT Ngô Quyền")
    unit_indexes: dict[int, UnitIndex] = field(default_factory=dict)  # built on first use, per year

    @classmethod
    def build(cls, reference: Reference) -> "Vocabulary":
        aliases = reference.aliases

        def keys(kind: str) -> dict[str, str]:
            part = aliases[aliases["kind"] == kind]
            return {text_key(alias): code for alias, code in zip(part["alias"], part["code"])}

        def markers(code: str) -> dict[str, str]:
            part = aliases[(aliases["kind"] == "marker") & (aliases["code"] == code)]
            return {text_key(alias): alias for alias in part["alias"]}

        levels, parts = {}, {}
        for code, name, others, pieces in zip(*(reference.levels[column] for column in ("code", "name", "aliases", "parts"))):
            parts |= {text_key(part): code for part in _listed(pieces)}
            levels |= {text_key(spelling): code for spelling in (code, name, *_listed(others), *_listed(pieces))}
        topic_names = {text_key(name): code for code, name in zip(reference.topics["code"], reference.topics["name"])}
        topic_codes = {text_key(code): code for code in reference.topics["code"]}
        topics = _plan_wordings(reference.plan) | topic_names | keys("topic") | topic_codes
        headers = keys("header")
        prefixes = [text_key(prefix) for prefix in aliases.loc[aliases["kind"] == "unit_prefix", "alias"]]
        unit_kinds = dict.fromkeys(reference.units["type"])
        return cls(
            header_roles=headers,
            folded_header_roles=_unique_folded(headers),
            levels=AliasKeys(levels),
            folded_levels=AliasKeys(_unique_folded(levels)),
            level_parts=AliasKeys(parts),
            folded_level_parts=AliasKeys(_unique_folded(parts)),
            level_names=reference.level_names,
            level_covers={code: covers for code, covers in zip(reference.levels["code"], reference.levels["covers"]) if isinstance(covers, str)},
            topics=AliasKeys(topics),
            folded_topics=AliasKeys(_unique_folded(topics)),
            topic_names=dict(zip(reference.topics["code"], reference.topics["name"])),
            topic_levels=dict(zip(reference.topics["code"], reference.topics["levels"])),
            topic_codes=topic_codes,
            topic_spellings=[(key, code) for key, code in (_plan_wordings(reference.plan) | topic_names | keys("topic")).items()],
            unit_aliases=keys("unit"),
            prefixes=prefixes,
            prefix_kinds=_prefix_kinds(prefixes, list(unit_kinds)),
            units=reference.units,
            sample_markers=list(markers("sample")),
            example_markers=list(markers("example")),
            not_registration_markers=markers("not_registrations"),
            sample_mark=next((alias.upper() for alias in markers("sample").values()), ""),
            former_markers=markers("former"),
            school_markers=markers("school"),
            largest_headcount=reference.largest_headcount,
        )

    def unit_index(self, year: int) -> UnitIndex:
        """The year's units, indexed once per year and kept (thousands of units cost
        more to index than a batch of files to check)."""
        if year not in self.unit_indexes:
            self.unit_indexes[year] = self._build_unit_index(year)
        return self.unit_indexes[year]

    def _build_unit_index(self, year: int) -> UnitIndex:
        units = self.units
        valid = units[_valid_in(units, year)]
        names = valid["name"].tolist()
        keys = {strip_prefixes(text_key(name), self.prefixes): name for name in names}
        keys |= {strip_prefixes(key, self.prefixes): name for key, name in self.unit_aliases.items() if name in set(names)}
        kinds: dict[str, set[str]] = {}
        for name, kind in zip(names, valid["type"]):
            kinds.setdefault(name, set()).add(kind)
        return UnitIndex(
            year=year,
            keys=AliasKeys(keys),
            folded=AliasKeys(_unique_folded(keys)),
            kinds=kinds,
            neighbour_kinds=_neighbour_kinds(units, year, set(names)),
            prefixes=self.prefixes,
            prefix_kinds=self.prefix_kinds,
            former_markers=self.former_markers,
            school_markers=self.school_markers,
        )


def _plan_wordings(plan: pd.DataFrame) -> dict[str, str]:
    """Each way the plan's appendices word a topic (its forms print them), as a key -> topic code."""
    found = {}
    for column in ("label", "task_label", "cost_label"):
        if column in plan:
            found |= {text_key(label): code for label, code in zip(plan[column], plan["topic"]) if isinstance(label, str)}
    return found


def _listed(cell: object) -> list[str]:
    """The items of a "a; b; c" cell."""
    return [item.strip() for item in cell.split(";") if item.strip()] if isinstance(cell, str) else []


def _unique_folded(keys: dict[str, str]) -> dict[str, str]:
    """Keys without marks, kept only where they name one thing ("Cẩm Giàng" and
    "Cẩm Giang" fold alike: neither is kept)."""
    folded: dict[str, set[str]] = {}
    for key, code in keys.items():
        folded.setdefault(fold_key(key), set()).add(code)
    return {key: codes.pop() for key, codes in folded.items() if len(codes) == 1}


def _prefix_kinds(prefixes: list[str], kinds: list[str]) -> dict[str, str]:
    """The kind of unit a prefix names, as displayed: "huyện" and "h" -> "huyện", "tp" -> "thành phố".

    Read from the reference data: a prefix is a kind's name or its initials.
    """
    found = {}
    for prefix in prefixes:
        for kind in kinds:
            key = text_key(kind)
            initials = fold_key("".join(word[0] for word in key.split()))
            if prefix in (key, initials):
                found[prefix] = kind
    return found


def _neighbour_kinds(units: pd.DataFrame, year: int, names: set[str]) -> dict[str, dict[str, int]]:
    """For each unit of ``year``, the kinds it had in the year before or after, with that year,
    where the territory is the same: the same name in an adjacent period that was not formed
    from other units (an empty ``former_area``), like a huyện that became a quận."""
    found: dict[str, dict[str, int]] = {}
    this_year = units[_valid_in(units, year)]
    same_land = {name for name, area in zip(this_year["name"], this_year["former_area"]) if not isinstance(area, str)}
    for other in (year - 1, year + 1):
        rows = units[_valid_in(units, other)]
        for name, kind, area in zip(rows["name"], rows["type"], rows["former_area"]):
            if name in names and name in same_land and not isinstance(area, str):
                found.setdefault(name, {}).setdefault(kind, other)
    return found
