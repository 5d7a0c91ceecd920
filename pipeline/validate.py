"""Validate: resolve the labels read by ingest against the reference data and check every rule.

Grain of the output: one row per year, unit, topic and level (``schemas.Registration``),
plus one row per problem (``schemas.Issue``) and one row per input file.
Rejection is per file: one error holds back every number of that file, because a
half-read file would corrupt the totals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pandera.pandas as pa
from rapidfuzz import fuzz, process

import schemas
from pipeline.ingest import Reference, ReferenceDataError
from pipeline.text import AliasKeys, find_codes, fold_key, parse_headcount, strip_prefixes, text_key

ERROR, WARNING = schemas.SEVERITIES
ACCEPTED, REJECTED = "chấp nhận", "bị từ chối"
_DASHES = frozenset({"-", "–", "—", "--"})
_FORMULA_STARTS = ("=", "+", "-", "@")
_NAN = float("nan")
_ISSUE_COLUMNS = list(schemas.Issue.to_schema().columns)


def check_reference(reference: Reference) -> None:
    """Check that the reference tables agree with each other.

    Raises:
        ReferenceDataError: a code used in one table is missing from another.
    """
    levels = set(reference.levels["code"])
    topics = set(reference.topics["code"])
    problems = []
    for code, topic_levels in zip(reference.topics["code"], reference.topics["levels"]):
        problems += [f"topics.csv: {code} dùng cấp học {level} không có trong levels.csv" for level in topic_levels.split() if level not in levels]
    known = {"level": levels, "topic": topics, "unit": set(reference.units["name"])}
    for kind, code in zip(reference.aliases["kind"], reference.aliases["code"]):
        if kind in known and code not in known[kind]:
            problems.append(f"aliases.csv: mã {code} ({kind}) không có trong danh mục")
    columns = reference.appendix_columns
    for topic, level in zip(columns["topic"], columns["level"]):
        if topic not in topics or level not in levels:
            problems.append(f"appendix_columns.csv: {topic}/{level} không có trong danh mục")
    problems += _plan_problems(reference, topics)
    if problems:
        raise ReferenceDataError("Dữ liệu tham chiếu không thống nhất:\n" + "\n".join(problems))


def _plan_problems(reference: Reference, topics: set[str]) -> list[str]:
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
        for level in schemas.LEVEL_COLUMNS:
            count = getattr(record, level)
            if pd.notna(count) and count > 0 and level not in topic_levels[record.topic].split():
                problems.append(f"{where}: nội dung {record.topic} không áp dụng cho cấp học {level} (topics.csv)")
    kinds = set(zip(reference.plan_appendices["year"], reference.plan_appendices["kind"]))
    for year in sorted(set(plan["year"])):
        problems += [f"plan_appendices.csv: thiếu phụ lục {kind} năm {year}" for kind in ("nhiệm vụ", "kinh phí") if (year, kind) not in kinds]
    printed = reference.plan_printed
    problems += [f"plan_printed.csv: nội dung {topic} không có trong topics.csv" for topic in set(printed["topic"].dropna()) - topics]
    return problems


def units_of_year(units: pd.DataFrame, year: int) -> pd.DataFrame:
    """The units valid on some day of ``year``, one row per name, in reference order."""
    start, end = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
    valid = (units["valid_from"].isna() | (units["valid_from"] <= end)) & (
        units["valid_to"].isna() | (units["valid_to"] >= start)
    )
    return units[valid].drop_duplicates("name", keep="last")


ROW_COLUMNS = ["year", "unit", "topic", "level", "headcount", "value", "topic_levels", "source_file", "source_sheet", "source_cell"]


def check_registrations(
    cells: pd.DataFrame, files: pd.DataFrame, read_issues: pd.DataFrame, reference: Reference
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Resolve and check the cells read by ingest: ``check_files`` then ``check_across``.

    Returns:
        registrations: the accepted rows (``schemas.Registration``);
        issues: every problem, sorted by file (``schemas.Issue``);
        files: one row per input file with ``status``, ``rows``, ``headcount``.
    """
    return check_across(*check_files(cells, files, read_issues, reference))


def prepare(reference: Reference) -> "_Lookup":
    """The reference data arranged for resolving labels; build once, pass to ``check_files``."""
    return _Lookup.build(reference)


def check_files(
    cells: pd.DataFrame, files: pd.DataFrame, read_issues: pd.DataFrame, reference: Reference | None = None, lookup: "_Lookup | None" = None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Every rule that looks at one file alone: names, numbers, levels, totals.

    Files are independent here, so they can be checked in batches, in parallel,
    and the result of an unchanged file reused.

    Returns:
        rows: the data rows, one per year, unit, topic and level as read (``ROW_COLUMNS``);
        issues: the files' problems;
        files: the files with ``rows`` and ``headcount`` read.
    """
    lookup = lookup or _Lookup.build(reference)
    resolved = _resolve(cells, lookup)
    resolved, skipped_columns = _drop_columns_without_data(resolved)
    resolved, skipped_rows = _drop_unlabelled_blank_rows(resolved)
    data = resolved[~resolved["is_total"]]
    issues = [read_issues, skipped_columns, skipped_rows, _rule_issues(resolved), _total_issues(resolved)]
    issues = [frame for frame in issues if len(frame)]
    issues = pd.concat(issues, ignore_index=True) if issues else _empty_issues()
    return data[ROW_COLUMNS].reset_index(drop=True), issues, _file_counts(files, data)


def check_across(rows: pd.DataFrame, issues: pd.DataFrame, files: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """What only all files together show (the same figure sent twice), then the verdict per file.

    Takes the outputs of ``check_files`` (for every file, in one piece); returns the
    registrations of the accepted files, every issue sorted, and each file's status.
    """
    issues = [frame for frame in (issues, _duplicate_issues(rows)) if len(frame)]
    issues = pd.concat(issues, ignore_index=True) if issues else _empty_issues()
    issues = issues.drop_duplicates().sort_values(["file", "sheet", "cell", "severity"], kind="stable", key=_sort_key)
    rejected = set(issues.loc[issues["severity"] == ERROR, "file"])
    registrations = _registrations(rows[~rows["source_file"].isin(rejected)])
    status = files.assign(status=[REJECTED if file in rejected else ACCEPTED for file in files["file"]])
    return registrations, schemas.Issue.validate(issues.reset_index(drop=True)), status


# ---------------------------------------------------------------- resolving labels

_TOPIC_FUZZY_THRESHOLD = 88
_TOPIC_FUZZY_MARGIN = 4
_PARTIAL_ALIAS_MIN_LENGTH = 12


@dataclass(frozen=True)
class _Lookup:
    levels: dict[str, str]
    topics: dict[str, str]
    topic_names: dict[str, str]
    topic_titles: dict[str, str]
    topic_levels: dict[str, str]
    topic_codes: dict[str, str]
    topic_choices: list[tuple[str, str, str]]
    unit_aliases: dict[str, str]
    prefixes: list[str]
    units: pd.DataFrame
    unit_indexes: dict[int, "_UnitIndex"] = field(default_factory=dict)  # built on first use, per year

    @classmethod
    def build(cls, reference: Reference) -> "_Lookup":
        aliases = reference.aliases
        def keys(kind: str) -> dict[str, str]:
            part = aliases[aliases["kind"] == kind]
            return {text_key(alias): code for alias, code in zip(part["alias"], part["code"])}
        levels = {text_key(code): code for code in reference.levels["code"]}
        levels |= {text_key(name): code for code, name in zip(reference.levels["code"], reference.levels["name"])}
        levels |= keys("level")
        topic_names = {text_key(name): code for code, name in zip(reference.topics["code"], reference.topics["name"])}
        topic_names |= {text_key(code): code for code in reference.topics["code"]}
        topics = topic_names | keys("topic")
        # Typos are matched on keys without marks: "ưng dụng" and "ứng dụng" are one word there.
        choices = list(dict.fromkeys((fold_key(key), key, code) for key, code in topics.items() if len(key) > 4))
        return cls(
            levels=AliasKeys(levels),
            topics=AliasKeys(topics),
            topic_names=topic_names,
            topic_titles=dict(zip(reference.topics["code"], reference.topics["name"])),
            topic_levels=dict(zip(reference.topics["code"], reference.topics["levels"])),
            topic_codes={text_key(code): code for code in reference.topics["code"]},
            topic_choices=choices,
            unit_aliases=keys("unit"),
            prefixes=[text_key(p) for p in aliases.loc[aliases["kind"] == "unit_prefix", "alias"]],
            units=reference.units,
        )

    def unit_index(self, year: int) -> "_UnitIndex":
        """The year's unit names and aliases as keys, the same keys without marks (unique
        ones only), and the kinds of unit ("quận", "phường"...) each name was that year.

        Built once per year and kept: with thousands of units it costs more than
        checking a batch of files.
        """
        if year not in self.unit_indexes:
            self.unit_indexes[year] = self._build_unit_index(year)
        return self.unit_indexes[year]

    def _build_unit_index(self, year: int) -> "_UnitIndex":
        start, end = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
        units = self.units
        valid = units[(units["valid_from"].isna() | (units["valid_from"] <= end)) & (units["valid_to"].isna() | (units["valid_to"] >= start))]
        valid_names, valid_kinds = valid["name"].tolist(), valid["type"].tolist()
        names = set(valid_names)
        keys = {strip_prefixes(text_key(name), self.prefixes): name for name in valid_names}
        keys |= {strip_prefixes(k, self.prefixes): v for k, v in self.unit_aliases.items() if v in names}
        folded: dict[str, set[str]] = {}
        for key, name in keys.items():
            folded.setdefault(fold_key(key), set()).add(name)
        kinds: dict[str, set[str]] = {}
        for name, kind in zip(valid_names, valid_kinds):
            kinds.setdefault(name, set()).add(text_key(kind))
        prefix_kinds = _prefix_kinds(self.prefixes, set(text_key(kind) for kind in units["type"]))
        unique = {key: found.pop() for key, found in folded.items() if len(found) == 1}
        return _UnitIndex(AliasKeys(keys), AliasKeys(unique), kinds, prefix_kinds, self.prefixes)


@dataclass(frozen=True)
class _UnitIndex:
    keys: dict[str, str]
    folded: dict[str, str]
    kinds: dict[str, set[str]]
    prefix_kinds: dict[str, str]
    prefixes: list[str]


def _prefix_kinds(prefixes: list[str], kinds: set[str]) -> dict[str, str]:
    """The kind of unit a prefix names: "huyện" and "h" -> "huyện", "tp" -> "thành phố".

    Read from the reference data: a prefix is a kind's name or its initials.
    """
    found = {}
    for prefix in prefixes:
        for kind in kinds:
            initials = fold_key("".join(word[0] for word in kind.split()))
            if prefix == kind or prefix == initials:
                found[prefix] = kind
    return found


def _typed_kinds(key: str, name_key: str, index: _UnitIndex) -> set[str]:
    """The kinds typed right before a name in a key: "ubnd huyện thủy nguyên" -> {"huyện"}."""
    typed = set()
    for prefix, kind in index.prefix_kinds.items():
        if f" {prefix} {name_key} " in f" {key} ":
            typed.add(kind)
    return typed


def _resolve(cells: pd.DataFrame, lookup: _Lookup) -> pd.DataFrame:
    """Add unit, topic, level, headcount and suggestions to every cell.

    Labels repeat across cells (a unit's name on every cell of its row), so each
    distinct label is resolved once.
    """
    frame = cells
    unit_cache: dict[tuple, tuple[str | None, str, str]] = {}
    unit_rows = []
    column = _columns(frame)
    for key in zip(column("year"), column("unit_label"), column("title"), column("source_sheet"), column("source_file"), column("is_total")):
        if key not in unit_cache:
            year, label, title, sheet, file, is_total = key
            if pd.isna(year) or is_total:
                unit_cache[key] = (None, "", "")
            else:
                unit_cache[key] = _resolve_unit(None if pd.isna(label) else label, (title, sheet, _file_stem(file)), lookup.unit_index(int(year)))
        unit_rows.append(unit_cache[key])
    topic_cache: dict[tuple, tuple[str | None, str, int, str]] = {}
    topic_rows = []
    for key in zip(column("topic_label"), column("title"), column("topic_in_column"), column("source_sheet"), column("source_file"), column("is_total"), column("topic_code")):
        if key not in topic_cache:
            label, title, in_column, sheet, file, is_total, code = key
            label = None if pd.isna(label) else label
            if is_total and not in_column:
                topic_cache[key] = (None, "", 0, "")
            else:
                fallbacks = (title, sheet, _file_stem(file)) if in_column else ()
                topic_cache[key] = _resolve_topic(label, fallbacks, lookup, None if pd.isna(code) else str(code))
        topic_rows.append(topic_cache[key])
    topics = [topic for topic, _, _, _ in topic_rows]
    # The column label names the level almost always; the title (one per table) is read only when it does not.
    label_cache: dict[tuple, tuple[str | None, bool]] = {}
    level_cache: dict[tuple, tuple[str | None, bool]] = {}
    level_rows = []
    for label, title, topic in zip(column("level_label"), column("title"), topics):
        allowed = lookup.topic_levels.get(topic, "")
        found = label_cache.get((label, allowed))
        if found is None:
            found = label_cache[(label, allowed)] = _resolve_level(label, None, allowed, lookup.levels)
        if not found[1]:
            key = (label, title, allowed)
            if key not in level_cache:
                level_cache[key] = _resolve_level(label, title, allowed, lookup.levels)
            found = level_cache[key]
        level_rows.append(found)
    headcounts, is_number, has_value = _read_values(column("value"), column("is_formula_without_value"))
    return frame.assign(
        unit=pd.Series([unit for unit, _, _ in unit_rows], index=frame.index, dtype=object),
        unit_match=[match for _, match, _ in unit_rows],
        unit_suggestions=[hint for _, _, hint in unit_rows],
        topic=pd.Series(topics, index=frame.index, dtype=object),
        topic_match=[match for _, match, _, _ in topic_rows],
        topic_score=[score for _, _, score, _ in topic_rows],
        topic_suggestions=[hint for _, _, _, hint in topic_rows],
        topic_name=[lookup.topic_titles.get(topic, "") for topic in topics],
        level=pd.Series([level for level, _ in level_rows], index=frame.index, dtype=object),
        is_level_in_label=[in_label for _, in_label in level_rows],
        headcount=headcounts,
        is_number=is_number,
        has_value=has_value,
        topic_levels=[lookup.topic_levels.get(topic) for topic in topics],
    )


def _read_values(values: list, formulas: list) -> tuple[list[float], list[bool], list[bool]]:
    """Per cell: the headcount (nan for a formula saved without its value), whether it is
    a number, and whether anything was stated (a blank or a dash states nothing)."""
    headcounts, is_number, has_value = [], [], []
    for value, is_formula in zip(values, formulas):
        if is_formula:
            number, ok, stated = _NAN, True, True
        elif value is None:
            number, ok, stated = 0.0, True, False
        elif type(value) is int:  # most cells: a whole number, as typed
            number, ok, stated = float(value), True, True
        else:
            number, ok = parse_headcount(value)
            stated = ok and not _is_missing(value) and not (isinstance(value, str) and value.strip() in _DASHES)
        headcounts.append(number)
        is_number.append(ok)
        has_value.append(stated)
    return headcounts, is_number, has_value


def _columns(frame: pd.DataFrame):
    """Columns as Python lists, read once each: iterating a pandas column value by value is slow."""
    cache: dict[str, list] = {}

    def column(name: str) -> list:
        if name not in cache:
            cache[name] = frame[name].tolist()
        return cache[name]

    return column


def _title_parts(title: object) -> list[str]:
    """The title block's lines in order (the table's own, then the sheet's), then all of it:
    a name is looked for line by line first, so a line naming one thing wins."""
    if not isinstance(title, str) or not title:
        return []
    lines = title.split(" | ")
    return lines + [" ".join(lines)] if len(lines) > 1 else lines


def _file_stem(file: str) -> str:
    """A file's name without folder and suffix, "_" read as a space: "2024/an_lao.xlsx" -> "an lao"."""
    name = file.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0].replace("_", " ")


def _resolve_unit(label, fallbacks, index: _UnitIndex) -> tuple[str | None, str, str]:
    """(unit, how matched, hint for the officer).

    A label is matched exactly (any spelling of the name, with or without its
    prefix). Typed without any Vietnamese marks, or inside longer text, it is
    accepted as "fuzzy" (a warning) only when one unit fits; a typo in the marks
    is never guessed. A prefix naming another kind of unit than the name was
    that year ("Huyện Thủy Nguyên" in 2026, a ward then) rejects the match.
    Without a label the unit must be named in the title, the sheet or the file name.
    """
    if label is not None:
        typed = text_key(label)
        key = strip_prefixes(typed, index.prefixes)
        if key in index.keys:
            return _check_kind(index.keys[key], typed, key, index, "exact")
        # A name inside longer text ("Phòng GD&ĐT quận Ngô Quyền"), never inside a formula's text.
        found = set(find_codes(key, index.keys)) if not str(label).lstrip().startswith(_FORMULA_STARTS) else set()
        if not found and fold_key(key) == key and key in index.folded:
            found = {index.folded[key]}
        if len(found) == 1:
            name = found.pop()
            return _check_kind(name, typed, strip_prefixes(text_key(name), index.prefixes), index, "fuzzy")
        return None, "", _suggest(label, index.keys, index.prefixes)
    title, sheet, stem = fallbacks
    for text, may_fold in (*[(line, False) for line in _title_parts(title)], (sheet, True), (stem, True)):
        if not isinstance(text, str):
            continue
        typed = text_key(text)
        found = find_codes(typed, index.keys)
        if len(found) == 1:
            return _check_kind(found[0], typed, strip_prefixes(text_key(found[0]), index.prefixes), index, "exact")
        if may_fold and not found:
            found = find_codes(fold_key(typed), index.folded)
            if len(found) == 1:
                return found[0], "fuzzy", ""
    return None, "", ""


def _check_kind(name: str, typed: str, name_key: str, index: _UnitIndex, match: str) -> tuple[str | None, str, str]:
    typed_kinds = _typed_kinds(typed, name_key, index)
    kinds = index.kinds.get(name, set())
    if typed_kinds and kinds and not typed_kinds & kinds:
        return None, "", f" (năm này \"{name}\" là {', '.join(sorted(kinds))}, không phải {', '.join(sorted(typed_kinds))})"
    return name, match, ""


def _resolve_topic(label, fallbacks, lookup: _Lookup, code: str | None = None) -> tuple[str | None, str, int, str]:
    """(topic, how matched, fuzzy score, suggestions): an exact name or alias, one alias
    inside the label, else the topic code typed beside it (a template's "Mã"
    column), else (for the label only) the closest catalogue entry above the threshold."""
    if fallbacks:
        fallbacks = (*_title_parts(fallbacks[0]), *fallbacks[1:])
    for text in (label, *fallbacks):
        if not isinstance(text, str):
            continue
        key = text_key(text)
        if key in lookup.topics:
            return lookup.topics[key], "exact", 100, ""
        found = find_codes(key, lookup.topics)
        if len(found) == 1:
            return found[0], "exact", 100, ""
    by_code = lookup.topic_codes.get(text_key(code)) if code else None
    if by_code is not None:
        return by_code, "code", 100, ""
    if not isinstance(label, str):
        return None, "", 0, ""
    code, score = _closest_topic(label, lookup)
    if code is not None:
        return code, "fuzzy", score, ""
    return None, "", 0, _suggest(label, lookup.topic_names, [])


def _closest_topic(label: str, lookup: _Lookup) -> tuple[str | None, int]:
    """The catalogue entry closest to a label typed with typos, if clearly the closest.

    Candidates are ranked on keys without marks; the score shown to the officer
    is the similarity of the text as typed, marks included.
    """
    typed = text_key(label)
    key = fold_key(typed)
    if len(key) < 6:
        return None, 0
    best: dict[str, tuple[float, str]] = {}
    for choice, original, code in lookup.topic_choices:
        score = fuzz.ratio(key, choice)
        if len(choice) >= _PARTIAL_ALIAS_MIN_LENGTH and len(choice) < len(key):
            score = max(score, fuzz.partial_ratio(choice, key))
        if score > best.get(code, (-1.0, ""))[0]:
            best[code] = (score, original)
    ranked = sorted(best.items(), key=lambda item: item[1][0], reverse=True)
    if not ranked or ranked[0][1][0] < _TOPIC_FUZZY_THRESHOLD:
        return None, 0
    if len(ranked) > 1 and ranked[0][1][0] - ranked[1][1][0] < _TOPIC_FUZZY_MARGIN:
        return None, 0
    code, (_, original) = ranked[0]
    shown = fuzz.partial_ratio(original, typed) if len(original) < len(typed) else fuzz.ratio(original, typed)
    return code, int(shown)


def _resolve_level(label, title, topic_levels: str, levels: dict[str, str]) -> tuple[str | None, bool]:
    """(level, whether the column label itself names it)."""
    allowed = topic_levels.split()
    for text, in_label in ((label, True), *((line, False) for line in _title_parts(title))):
        found = find_codes(text_key(text), levels) if isinstance(text, str) else []
        if len(found) == 1:
            return found[0], in_label
        inside = [code for code in found if code in allowed]
        if len(inside) == 1:
            return inside[0], in_label
    return (allowed[0] if len(allowed) == 1 else None), False


def _suggest(label, keys: dict[str, str], prefixes: list[str]) -> str:
    if not isinstance(label, str) or not keys:
        return ""
    matches = process.extract(strip_prefixes(text_key(label), prefixes), list(keys), scorer=fuzz.WRatio, limit=3, score_cutoff=60)
    names = list(dict.fromkeys(keys[match] for match, _, _ in matches))
    return f" (gần giống: {', '.join(names)})" if names else ""


# ---------------------------------------------------------------- rules


def _drop_columns_without_data(resolved: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Columns naming no level and holding no number (notes, "Hình thức thực hiện"...): set aside.

    A warning is given when the column holds text, so a count column typed as
    words is never dropped unseen.
    """
    if (resolved["is_level_in_label"] | resolved["has_value"]).all():
        return resolved, _empty_issues()  # every cell is in a named or filled column: the usual file
    keys = ["source_file", "column_key"]
    columns = resolved.assign(has_text=resolved["value"].notna()).groupby(keys, sort=False).agg(
        named=("is_level_in_label", "any"), numbers=("has_value", "any"), text=("has_text", "any")
    )
    dropped = columns[~columns["named"] & ~columns["numbers"]]
    if dropped.empty:
        return resolved, _empty_issues()
    is_dropped = pd.MultiIndex.from_frame(resolved[keys]).isin(dropped.index)
    shown = resolved[is_dropped].drop_duplicates(keys)
    shown = shown[shown.set_index(keys).index.isin(dropped[dropped["text"]].index)]
    return resolved[~is_dropped], _notices(shown, "column_skipped")


def _drop_unlabelled_blank_rows(data: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows with no number whose unit or topic is unknown or blank (group headings, spacer
    rows with a number in "STT"): set aside, with a warning when a name was typed."""
    row_keys = ["source_file", "source_sheet", "row_number"]
    unit_missing = data["unit"].isna() & data["year"].notna()
    topic_missing = data["topic"].isna() & ~data["topic_in_column"]
    unnamed = ~data["is_total"] & ~data["is_formula_without_value"] & (unit_missing | topic_missing)
    if not unnamed.any():
        return data, _empty_issues()  # every row names a known unit and topic: the usual file
    blank_row = ~data.groupby(row_keys)["has_value"].transform("any").astype(bool)
    skip = blank_row & unnamed
    skipped = data[skip].drop_duplicates(row_keys)
    name_unit = unit_missing[skipped.index] & skipped["unit_label"].notna()
    skipped = skipped.assign(
        label_cell=skipped["unit_cell"].where(name_unit, skipped["topic_cell"]),
        row_label=skipped["unit_label"].where(name_unit, skipped["topic_label"]),
    )
    named = skipped[skipped["row_label"].notna()]
    return data[~skip], _notices(named, "row_skipped")


def _notices(rows: pd.DataFrame, check: str) -> pd.DataFrame:
    return pd.DataFrame([_issue(check, row) for row in rows.to_dict("records")], columns=_ISSUE_COLUMNS)


def _rule_issues(resolved: pd.DataFrame) -> pd.DataFrame:
    """Check the Candidate schema lazily and word every failure."""
    candidate_columns = list(schemas.Candidate.to_schema().columns)
    try:
        schemas.Candidate.validate(resolved[candidate_columns], lazy=True)
        return _empty_issues()
    except pa.errors.SchemaErrors as error:
        failures = error.failure_cases
    failures = failures[failures["check"].isin(schemas.RULE_MESSAGES) & failures["index"].notna()]
    failures = failures.drop_duplicates(["check", "index"])
    rows = [_issue(check, resolved.loc[index].to_dict()) for check, index in zip(failures["check"], failures["index"])]
    return pd.DataFrame(rows, columns=_ISSUE_COLUMNS)


def _issue(check: str, row: dict) -> dict:
    """One report row for a failed rule, worded by ``schemas.RULE_MESSAGES``."""
    problem, fix = schemas.RULE_MESSAGES[check]
    fields = {key: "" if _is_missing(value) else value for key, value in row.items()}
    fields |= {
        "year": "" if _is_missing(row.get("year")) else int(row["year"]),
        "suggestions": fields.get("unit_suggestions", "") if check.startswith("unit") else fields.get("topic_suggestions", ""),
    }
    cell_column = schemas.RULE_CELLS.get(check, "source_cell")
    value_column = schemas.RULE_VALUES.get(check, "value")
    value = fields.get(value_column, "") if value_column else ""
    return {
        "file": row["source_file"],
        "sheet": row["source_sheet"],
        "cell": fields.get(cell_column, "") if cell_column else "",
        "value": _format_value(value),
        "problem": problem.format(**fields),
        "fix": fix.format(**fields),
        "severity": schemas.RULE_SEVERITIES.get(check, ERROR),
    }


def _total_issues(resolved: pd.DataFrame) -> pd.DataFrame:
    """A "Tổng số" row must equal the sum of the rows of its column.

    Group subtotals ("Cộng" under each group) are allowed: a total may equal the
    whole column, or the rows between it and the total above or below it. A
    blank total cell states nothing and is not checked.
    """
    headcount = resolved["headcount"].to_numpy(dtype=float)
    is_total = resolved["is_total"].to_numpy(dtype=bool)
    stated = is_total & resolved["has_value"].to_numpy(dtype=bool) & ~np.isnan(headcount)
    if not stated.any():
        return _empty_issues()
    # Vectorised over every column of every file, on integers: a run may hold thousands of files.
    # A table column (file and column key) is numbered as met; its cells are taken top to bottom.
    files, keys = pd.factorize(resolved["source_file"])[0], pd.factorize(resolved["column_key"])[0]
    column = pd.factorize(files.astype(np.int64) * (int(keys.max()) + 1) + keys)[0]
    order = np.lexsort((resolved["row_number"].to_numpy(), column))
    column, is_total, stated, headcount = column[order], is_total[order], stated[order], headcount[order]
    is_number = resolved["is_number"].to_numpy(dtype=bool)[order]
    count = int(column.max()) + 1
    # A row's segment: the totals above it in its column, itself included.
    running = np.cumsum(is_total)
    segment = running - (running - is_total)[np.flatnonzero(np.r_[True, column[1:] != column[:-1]])][column]
    data = ~is_total
    valid = is_number & (headcount >= 0) & (headcount == np.round(headcount))
    # A column with a bad cell is already reported; its sum would only mislead.
    bad = np.zeros(count, dtype=bool)
    bad[column[data & ~valid]] = True
    counted = np.where(np.isnan(headcount), 0.0, headcount)[data]
    whole = np.bincount(column[data], weights=counted, minlength=count)
    marks = np.bincount(column[is_total], minlength=count)
    width = int(segment.max()) + 2
    segments = np.bincount(column[data] * width + segment[data], weights=counted, minlength=count * width)
    checked = np.flatnonzero(stated & ~bad[column])
    at = column[checked] * width + segment[checked]
    before, after, sums = segments[at - 1], segments[at], whole[column[checked]]
    stated_value = headcount[checked]
    wrong_at = (stated_value != sums) & (stated_value != before) & (stated_value != after)
    source = resolved.iloc[order[checked[wrong_at]]]
    wrong = []
    for total, value, whole_sum, before_sum, marked in zip(
        source.itertuples(), *(part.tolist() for part in (stated_value[wrong_at], sums[wrong_at], before[wrong_at], marks[column[checked[wrong_at]]]))
    ):
        text = _format_number(whole_sum)
        if marked > 1:
            text += f" (cả bảng), {_format_number(before_sum)} (từ dòng tổng trước đến dòng này)"
        wrong.append((total, value, text))
    return pd.DataFrame(
        [
            {
                "file": total.source_file,
                "sheet": total.source_sheet,
                "cell": total.source_cell,
                "value": _format_number(value),
                "problem": f"Dòng tổng ghi {_format_number(value)} nhưng cộng các dòng được {sums}",
                "fix": "Kiểm tra lại số liệu từng dòng và dòng tổng cho khớp nhau",
                "severity": ERROR,
            }
            for total, value, sums in wrong
        ],
        columns=_ISSUE_COLUMNS,
    )


def _duplicate_issues(data: pd.DataFrame) -> pd.DataFrame:
    """The same year, unit, topic and level sent twice: every copy is named, none wins."""
    keys = ["year", "unit", "topic", "level"]
    known = data.dropna(subset=keys)
    duplicated = known[known.duplicated(keys, keep=False)]
    if duplicated.empty:
        return _empty_issues()
    places = duplicated.groupby(keys)[["source_file", "source_sheet", "source_cell", "value"]].agg(list)
    rows = []
    for key, (files, sheets, cells, values) in places.iterrows():
        where = "; ".join(f"{f} (trang {s}, ô {c})" for f, s, c in zip(files, sheets, cells))
        for file, sheet, cell, value in zip(files, sheets, cells, values):
            rows.append(
                {
                    "file": file,
                    "sheet": sheet,
                    "cell": cell,
                    "value": _format_value(value),
                    "problem": f"Số liệu của {key[1]}, nội dung {key[2]}, cấp {key[3]}, năm {key[0]} được gửi nhiều lần: {where}",
                    "fix": "Giữ lại một bản duy nhất và xóa bản trùng; các tệp trùng đều tạm chưa được tổng hợp",
                    "severity": ERROR,
                }
            )
    return pd.DataFrame(rows, columns=_ISSUE_COLUMNS)


# ---------------------------------------------------------------- outputs


def _registrations(accepted: pd.DataFrame) -> pd.DataFrame:
    # Zeros typed at a level the topic does not apply to are not registrations.
    applicable = schemas.level_in_topic(accepted["level"], accepted["topic_levels"]) & accepted["level"].notna() & accepted["topic_levels"].notna()
    rows = accepted[applicable]
    columns = list(schemas.Registration.to_schema().columns)
    return schemas.Registration.validate(rows[columns].reset_index(drop=True))


def _file_counts(files: pd.DataFrame, data: pd.DataFrame) -> pd.DataFrame:
    """Rows read and headcount read, per file."""
    counted = data["headcount"].where(data["headcount"] >= 0, 0.0).fillna(0.0)
    rows = data[["source_file", "source_sheet", "row_number"]].drop_duplicates().groupby("source_file").size()
    per_file = pd.DataFrame({"rows": rows, "headcount": counted.groupby(data["source_file"]).sum()})
    counts = files.join(per_file, on="file")
    return counts.assign(rows=counts["rows"].fillna(0).astype(int), headcount=counts["headcount"].fillna(0).astype(int))


def _format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _format_value(value: object) -> str:
    """A value as the officer typed it: 12 not 12.0."""
    if _is_missing(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, (str, int, list, tuple)):  # the common cases, without pandas
        return False
    return bool(pd.isna(value))


def _sort_key(column: pd.Series) -> pd.Series:
    """Cells sort row by row, as a reader scans the sheet (C9 before B10); errors before warnings."""
    if column.name == "severity":
        return column.map({ERROR: 0, WARNING: 1})
    if column.name != "cell":
        return column
    return column.map(lambda c: (int(re.sub(r"\D", "", c) or 0), len(c), c))


def _empty_issues() -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype=str) for column in _ISSUE_COLUMNS})
