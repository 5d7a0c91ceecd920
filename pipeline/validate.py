"""Validate: resolve the labels read by ingest against the reference data and check every rule.

Grain of the output: one row per year, unit, topic and level (``schemas.Registration``),
plus one row per problem (``schemas.Issue``) and one row per input file.
Rejection is per file: one error holds back every number of that file, because a
half-read file would corrupt the totals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa
from rapidfuzz import fuzz, process

import schemas
from pipeline.ingest import Reference, ReferenceDataError
from pipeline.text import find_codes, strip_prefixes, text_key

ERROR, WARNING = schemas.SEVERITIES
ACCEPTED, REJECTED = "chấp nhận", "bị từ chối"
_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(?:[.\s]\d{3})+$")
_PLAIN_NUMBER = re.compile(r"^[-+]?\d+(?:[.,]\d+)?$")
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
    if problems:
        raise ReferenceDataError("Dữ liệu tham chiếu không thống nhất:\n" + "\n".join(problems))


def units_of_year(units: pd.DataFrame, year: int) -> pd.DataFrame:
    """The units valid on some day of ``year``, one row per name, in reference order."""
    start, end = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
    valid = (units["valid_from"].isna() | (units["valid_from"] <= end)) & (
        units["valid_to"].isna() | (units["valid_to"] >= start)
    )
    return units[valid].drop_duplicates("name", keep="last")


def check_registrations(
    cells: pd.DataFrame, files: pd.DataFrame, read_issues: pd.DataFrame, reference: Reference
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Resolve and check the cells read by ingest.

    Returns:
        registrations: the accepted rows (``schemas.Registration``);
        issues: every problem, sorted by file (``schemas.Issue``);
        files: one row per input file with ``status``, ``rows``, ``headcount``.
    """
    lookup = _Lookup.build(reference)
    resolved = _resolve(cells, lookup)
    data = resolved[~resolved["is_total"]]
    data, skipped = _drop_unlabelled_blank_rows(data)
    issues = [read_issues, skipped, _rule_issues(data), _total_issues(resolved), _duplicate_issues(data)]
    issues = pd.concat([frame for frame in issues if len(frame)], ignore_index=True) if any(len(f) for f in issues) else _empty_issues()
    issues = issues.drop_duplicates().sort_values(["file", "sheet", "severity", "cell"], kind="stable", key=_natural_key)
    rejected = set(issues.loc[issues["severity"] == ERROR, "file"])
    accepted = data[~data["source_file"].isin(rejected)]
    registrations = _registrations(accepted)
    return registrations, schemas.Issue.validate(issues.reset_index(drop=True)), _file_status(files, data, rejected)


# ---------------------------------------------------------------- resolving labels


@dataclass(frozen=True)
class _Lookup:
    levels: dict[str, str]
    topics: dict[str, str]
    topic_names: dict[str, str]
    topic_levels: dict[str, str]
    unit_aliases: dict[str, str]
    prefixes: list[str]
    units: pd.DataFrame

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
        return cls(
            levels=levels,
            topics=topics,
            topic_names=topic_names,
            topic_levels=dict(zip(reference.topics["code"], reference.topics["levels"])),
            unit_aliases=keys("unit"),
            prefixes=[text_key(p) for p in aliases.loc[aliases["kind"] == "unit_prefix", "alias"]],
            units=reference.units,
        )

    def unit_keys(self, year: int) -> dict[str, str]:
        names = units_of_year(self.units, year)["name"]
        keys = {strip_prefixes(text_key(name), self.prefixes): name for name in names}
        return keys | {strip_prefixes(k, self.prefixes): v for k, v in self.unit_aliases.items() if v in set(names)}


def _resolve(cells: pd.DataFrame, lookup: _Lookup) -> pd.DataFrame:
    """Add unit, topic, level, headcount and suggestions to every cell."""
    frame = cells.copy()
    unit_cache: dict[int, dict[str, str]] = {}
    units, unit_hints = [], []
    for year, label, title, sheet, file in zip(frame["year"], frame["unit_label"], frame["title"], frame["source_sheet"], frame["source_file"]):
        if pd.isna(year):
            units.append(None)
            unit_hints.append("")
            continue
        keys = unit_cache.setdefault(int(year), lookup.unit_keys(int(year)))
        unit = _resolve_unit(label, (title, sheet, file), keys, lookup.prefixes)
        units.append(unit)
        unit_hints.append("" if unit else _suggest(label, keys, lookup.prefixes))
    topics, topic_hints = [], []
    for label, title, in_column in zip(frame["topic_label"], frame["title"], frame["topic_in_column"]):
        topic = _resolve_topic(label, title if in_column else None, lookup)
        topics.append(topic)
        topic_hints.append("" if topic or in_column else _suggest(label, lookup.topic_names, []))
    levels = [
        _resolve_level(label, title, lookup.topic_levels.get(topic, ""), lookup.levels)
        for label, title, topic in zip(frame["level_label"], frame["title"], topics)
    ]
    parsed = [_parse_headcount(value) for value in frame["value"]]
    return frame.assign(
        unit=pd.Series(units, index=frame.index, dtype=object),
        topic=pd.Series(topics, index=frame.index, dtype=object),
        level=pd.Series(levels, index=frame.index, dtype=object),
        headcount=[number for number, _ in parsed],
        is_number=[ok for _, ok in parsed],
        topic_levels=[lookup.topic_levels.get(topic) for topic in topics],
        unit_suggestions=unit_hints,
        topic_suggestions=topic_hints,
    )


def _resolve_unit(label, fallbacks, keys: dict[str, str], prefixes: list[str]) -> str | None:
    if label is not None and not pd.isna(label):
        return keys.get(strip_prefixes(text_key(label), prefixes))
    for text in fallbacks:
        found = find_codes(text_key(text), keys) if isinstance(text, str) else []
        if len(found) == 1:
            return found[0]
    return None


def _resolve_topic(label, title, lookup: _Lookup) -> str | None:
    for text in (label, title):
        if not isinstance(text, str):
            continue
        key = text_key(text)
        if key in lookup.topics:
            return lookup.topics[key]
        found = find_codes(key, lookup.topics)
        if found:
            return found[0]
    return None


def _resolve_level(label, title, topic_levels: str, levels: dict[str, str]) -> str | None:
    allowed = topic_levels.split()
    for text in (label, title):
        found = find_codes(text_key(text), levels) if isinstance(text, str) else []
        if len(found) == 1:
            return found[0]
        inside = [code for code in found if code in allowed]
        if len(inside) == 1:
            return inside[0]
    return allowed[0] if len(allowed) == 1 else None


def _suggest(label, keys: dict[str, str], prefixes: list[str]) -> str:
    if not isinstance(label, str) or not keys:
        return ""
    matches = process.extract(strip_prefixes(text_key(label), prefixes), list(keys), scorer=fuzz.WRatio, limit=3, score_cutoff=60)
    names = list(dict.fromkeys(keys[match] for match, _, _ in matches))
    return f" (gần giống: {', '.join(names)})" if names else ""


def _parse_headcount(value: object) -> tuple[float, bool]:
    """Number typed in a cell: blank is zero; "1.192" and "1 192" are 1192."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return 0.0, True
    if isinstance(value, bool):
        return float("nan"), False
    if isinstance(value, (int, float)):
        return float(value), True
    if isinstance(value, str):
        text = value.replace("\u00a0", " ").strip()
        if not text:
            return 0.0, True
        if _THOUSANDS.match(text):
            return float(re.sub(r"[.\s]", "", text)), True
        if _PLAIN_NUMBER.match(text):
            return float(text.replace(",", ".")), True
    return float("nan"), False


# ---------------------------------------------------------------- rules


def _drop_unlabelled_blank_rows(data: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows with no number and a label that is no unit or topic: set aside with a warning."""
    row_keys = ["source_file", "source_sheet", "row_number"]
    blank_row = data.groupby(row_keys)["value"].transform(lambda v: v.isna().all())
    unlabelled = (data["unit"].isna() & data["year"].notna()) | (data["topic"].isna() & ~data["topic_in_column"])
    skip = blank_row & unlabelled
    skipped = data[skip].drop_duplicates(row_keys)
    warnings = pd.DataFrame(
        {
            "file": skipped["source_file"],
            "sheet": skipped["source_sheet"],
            "cell": [t if isinstance(t, str) else u for t, u in zip(skipped["topic_cell"], skipped["unit_cell"])],
            "value": [t if pd.notna(t) else u for t, u in zip(skipped["topic_label"], skipped["unit_label"])],
            "problem": "Dòng không có số liệu và tên không có trong danh mục, đã bỏ qua",
            "fix": "Không cần sửa nếu đây là dòng tiêu đề nhóm; nếu là đơn vị hay nội dung thì sửa tên cho đúng",
            "severity": WARNING,
        },
        columns=_ISSUE_COLUMNS,
    )
    return data[~skip], warnings.astype(str)


def _rule_issues(data: pd.DataFrame) -> pd.DataFrame:
    """Check the Candidate schema lazily and word every failure."""
    candidate_columns = list(schemas.Candidate.to_schema().columns)
    try:
        schemas.Candidate.validate(data[candidate_columns], lazy=True)
        return _empty_issues()
    except pa.errors.SchemaErrors as error:
        failures = error.failure_cases
    failures = failures[failures["check"].isin(schemas.RULE_MESSAGES) & failures["index"].notna()]
    failures = failures.drop_duplicates(["check", "index"])
    rows = []
    for check, index in zip(failures["check"], failures["index"]):
        row = data.loc[index]
        problem, fix = schemas.RULE_MESSAGES[check]
        fields = row.to_dict() | {
            "value": "" if row["value"] is None else row["value"],
            "year": "" if pd.isna(row["year"]) else int(row["year"]),
            "suggestions": row["unit_suggestions"] if check == "unit_known" else row["topic_suggestions"],
        }
        cell_column = schemas.RULE_CELLS.get(check, "source_cell")
        cell = row[cell_column] if isinstance(row[cell_column], str) else ""
        shown = {"unit_known": "unit_label", "topic_known": "topic_label", "level_known": "level_label"}.get(check, "value")
        rows.append(
            {
                "file": row["source_file"],
                "sheet": row["source_sheet"],
                "cell": cell,
                "value": "" if fields[shown] is None or (not isinstance(fields[shown], str) and pd.isna(fields[shown])) else str(fields[shown]),
                "problem": problem.format(**fields),
                "fix": fix.format(**fields),
                "severity": ERROR,
            }
        )
    return pd.DataFrame(rows, columns=_ISSUE_COLUMNS)


def _total_issues(resolved: pd.DataFrame) -> pd.DataFrame:
    """A "Tổng số" row must equal the sum of the rows of its column."""
    keys = ["source_file", "column_key"]
    totals = resolved[resolved["is_total"] & resolved["is_number"]]
    if totals.empty:
        return _empty_issues()
    rows = resolved[~resolved["is_total"]]
    # A column with a bad cell is already reported; its sum would only mislead.
    valid = rows["is_number"] & (rows["headcount"] >= 0) & (rows["headcount"] == rows["headcount"].round())
    sums = rows.groupby(keys).agg(computed=("headcount", "sum"), valid=("headcount", lambda h: valid[h.index].all()))
    checked = totals.join(sums, on=keys)
    checked = checked[checked["valid"].fillna(True).astype(bool)]
    checked = checked.assign(computed=checked["computed"].fillna(0))
    wrong = checked[checked["headcount"] != checked["computed"]]
    return pd.DataFrame(
        {
            "file": wrong["source_file"],
            "sheet": wrong["source_sheet"],
            "cell": wrong["source_cell"],
            "value": [_format_number(v) for v in wrong["headcount"]],
            "problem": [f"Dòng tổng ghi {_format_number(s)} nhưng cộng các dòng được {_format_number(c)}" for s, c in zip(wrong["headcount"], wrong["computed"])],
            "fix": "Kiểm tra lại số liệu từng dòng và dòng tổng",
            "severity": ERROR,
        },
        columns=_ISSUE_COLUMNS,
    )


def _duplicate_issues(data: pd.DataFrame) -> pd.DataFrame:
    """The same year, unit, topic and level sent twice: every copy is named, none wins."""
    keys = ["year", "unit", "topic", "level"]
    known = data.dropna(subset=keys)
    duplicated = known[known.duplicated(keys, keep=False)]
    if duplicated.empty:
        return _empty_issues()
    places = duplicated.groupby(keys)[["source_file", "source_sheet", "source_cell"]].agg(list)
    rows = []
    for key, (files, sheets, cells) in places.iterrows():
        where = "; ".join(f"{f} ({s}!{c})" for f, s, c in zip(files, sheets, cells))
        for file, sheet, cell in zip(files, sheets, cells):
            rows.append(
                {
                    "file": file,
                    "sheet": sheet,
                    "cell": cell,
                    "value": f"{key[1]} / {key[2]} / {key[3]} / {key[0]}",
                    "problem": f"Số liệu của {key[1]}, nội dung {key[2]}, cấp {key[3]}, năm {key[0]} được gửi nhiều lần: {where}",
                    "fix": "Giữ lại một bản duy nhất và xóa bản trùng; các tệp trùng đều tạm chưa được tổng hợp",
                    "severity": ERROR,
                }
            )
    return pd.DataFrame(rows, columns=_ISSUE_COLUMNS)


# ---------------------------------------------------------------- outputs


def _registrations(accepted: pd.DataFrame) -> pd.DataFrame:
    applicable = pd.Series(
        [level in levels.split() for level, levels in zip(accepted["level"], accepted["topic_levels"])],
        index=accepted.index,
        dtype=bool,
    )
    rows = accepted[applicable]
    columns = list(schemas.Registration.to_schema().columns)
    return schemas.Registration.validate(rows[columns].reset_index(drop=True))


def _file_status(files: pd.DataFrame, data: pd.DataFrame, rejected: set[str]) -> pd.DataFrame:
    per_file = data.groupby("source_file").agg(
        rows=("row_number", lambda rows: rows.nunique()),
        headcount=("headcount", lambda h: int(h[h.notna() & (h >= 0)].sum())),
    )
    status = files.join(per_file, on="file")
    return status.assign(
        status=[REJECTED if file in rejected else ACCEPTED for file in status["file"]],
        rows=status["rows"].fillna(0).astype(int),
        headcount=status["headcount"].fillna(0).astype(int),
    )


def _format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _natural_key(column: pd.Series) -> pd.Series:
    """Cells sort row by row, as a reader scans the sheet: C9 before B10."""
    if column.name != "cell":
        return column
    return column.map(lambda c: (int(re.sub(r"\D", "", c) or 0), len(c), c))


def _empty_issues() -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype=str) for column in _ISSUE_COLUMNS})
