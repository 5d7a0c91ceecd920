"""Persons: what the law says about each person of a roster, and the roster counted.

Pure functions over the people read by ``pipeline.ingest.roster`` (``RosterPerson``):

- ``retirement_date``: Nghị định 135/2020/NĐ-CP — the retirement age is the one of the
  year in which it is reached (Điều 4 khoản 1, Phụ lục I); a person retires at the end
  of the last day of that month (Điều 3 khoản 1);
- ``months_left``: whole calendar months from a month up to and including the
  retirement month (07/2020 for Nghị định 71/2020/NĐ-CP, Điều 2);
- ``upgrade_scope``: below the standard degree of the level with enough months left
  (Nghị định 71/2020, Điều 2): must upgrade;
- ``programme_problems``: a degree-upgrade programme that does not fit the person;
- ``check_persons``: every check on every person, one row per person (``PersonCheck``)
  and one row per problem (``schemas.Issue``); a person's error holds back that
  person only;
- ``order_by_priority``: the people in scope, per level and programme, in the plan's
  priority order;
- ``count_registrations``: one registration per accepted person and topic, counted per
  year, unit, topic and level (``PersonRegistration``); ``person_topics``: the rows of
  ``ca_nhan/persons.csv``; ``level_summary``: per level, people below the standard,
  in scope, registered, against the plan's line.

Every figure (ages, thresholds, programmes, vocabulary) is reference data: see
``inputs/reference/README.md``.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from pipeline.reference import PersonReference
from pipeline.text import text_key
from schemas import Issue, plan_levels
from schemas import persons as models

ERROR, WARNING = "lỗi", "cảnh báo"
_ISSUE_COLUMNS = list(Issue.to_schema().columns)
_CHECK_COLUMNS = list(models.PersonCheck.to_schema().columns)
_CHECK_TEXT = [name for name, column in models.PersonCheck.to_schema().columns.items() if str(column.dtype) == "str"]
_TOPIC_TEXT = [name for name, column in models.PersonTopic.to_schema().columns.items() if str(column.dtype) == "str"]


# ---------------------------------------------------------------- the rules, prepared


@dataclass(frozen=True, eq=False)  # compared (and cached on) by identity
class RetirementSchedule:
    """Retirement age in months per sex and year: ``(first years, ages, age before the first year)``."""

    name: str
    ages: dict[str, tuple[tuple[int, ...], tuple[int, ...], int]]

    def age_months(self, sex: str, year: int) -> int:
        """The age (in months) at which a person of ``sex`` retires when it is reached in ``year``."""
        years, ages, before = self.ages[sex]
        position = bisect.bisect_right(years, year)
        return before if position == 0 else ages[position - 1]

    @property
    def youngest_months(self) -> int:
        return min(min((*ages, before)) for _, ages, before in self.ages.values())


@dataclass(frozen=True)
class Threshold:
    standard_degree: str
    certificate_counts: bool
    months_required: int | None  # None: the level's standard, with no roadmap for this degree


@dataclass(frozen=True)
class ProgrammeSpec:
    topic: str
    from_degree: str
    to_degree: str
    years: int


@dataclass(frozen=True)
class PersonRules:
    """The reference data of the person checks, arranged once (``prepare_rules``)."""

    retirement: RetirementSchedule
    nd71: RetirementSchedule
    count_from: dt.date
    youngest_age: int
    oldest_age: int
    standards: dict[str, Threshold]  # level -> its standard (months_required None)
    thresholds: dict[tuple[str, str], Threshold]  # (level, degree) -> months required
    degree_ranks: dict[str, int]
    degree_names: dict[str, str]
    programmes: dict[str, ProgrammeSpec]
    topic_levels: dict[str, tuple[str, ...]]
    topic_names: dict[str, str]
    level_names: dict[str, str]
    school_levels: tuple[str, ...]  # levels a person can be at: those that cover no others
    planned: frozenset[tuple[int, str, str]]  # (year, topic, level) with a planned headcount


def prepare_rules(reference: PersonReference, topics: pd.DataFrame, levels: pd.DataFrame, plan: pd.DataFrame) -> PersonRules:
    """Arrange the person reference data (``read_person_reference``) with the catalogue
    (``topics.csv``, ``levels.csv``) and the plan (``plan.csv``) for the checks."""
    settings = dict(zip(reference.settings["key"], reference.settings["value"]))
    codes = reference.codes
    degrees = codes[codes["kind"] == "degree"]
    standards, thresholds = {}, {}
    for row in reference.thresholds.itertuples(index=False):
        standards[row.level] = Threshold(row.standard_degree, bool(row.certificate_counts), None)
        thresholds[(row.level, row.degree)] = Threshold(row.standard_degree, bool(row.certificate_counts), int(row.months_required))
    planned = set()
    for level in _plan_levels(plan):
        counts = plan[level].fillna(0)
        planned |= {(int(year), topic, level) for year, topic, count in zip(plan["year"], plan["topic"], counts) if count > 0}
    return PersonRules(
        retirement=_schedule(reference.retirement_ages, settings["retirement_schedule"]),
        nd71=_schedule(reference.retirement_ages, settings["nd71_schedule"]),
        count_from=dt.date.fromisoformat(settings["nd71_count_from"]),
        youngest_age=int(settings["youngest_age"]),
        oldest_age=int(settings["oldest_age"]),
        standards=standards,
        thresholds=thresholds,
        degree_ranks={code: int(rank) for code, rank in zip(degrees["code"], degrees["rank"])},
        degree_names=dict(zip(degrees["code"], degrees["name"])),
        programmes={row.topic: ProgrammeSpec(row.topic, row.from_degree, row.to_degree, int(row.years)) for row in reference.programmes.itertuples(index=False)},
        topic_levels={code: tuple(levels_text.split()) for code, levels_text in zip(topics["code"], topics["levels"])},
        topic_names=dict(zip(topics["code"], topics["name"])),
        level_names=dict(zip(levels["code"], levels["name"])),
        school_levels=tuple(code for code, covers in zip(levels["code"], levels["covers"]) if pd.isna(covers)),
        planned=frozenset(planned),
    )


def _plan_levels(plan: pd.DataFrame) -> list[str]:
    """The level columns of the plan table."""
    return plan_levels(plan)


def _schedule(ages: pd.DataFrame, name: str) -> RetirementSchedule:
    chosen = ages[ages["schedule"] == name]
    result = {}
    for sex, rows in chosen.groupby("sex", sort=False):
        months = rows["age_years"].astype(int) * 12 + rows["age_months"].astype(int)
        dated = rows.assign(months=months)[rows["from_year"].notna()].sort_values("from_year")
        before = int(months[rows["from_year"].isna()].iloc[0])
        result[sex] = (tuple(int(y) for y in dated["from_year"]), tuple(int(m) for m in dated["months"]), before)
    return RetirementSchedule(name, result)


# ---------------------------------------------------------------- one person


def retirement_date(birth: dt.date, sex: str, schedule: RetirementSchedule) -> dt.date:
    """The retirement date: the last day of the month in which the retirement age is
    reached, the age being the one of the year in which it is reached.

    Only the month of birth counts; a year-only birth date is 01/01 of that year
    (the reader's ``parse_birth_date``). Ages never fall from year to year, so the
    first year whose age is reached within it is the year of retirement.
    """
    return _retirement(birth.year, birth.month, sex, schedule)


@lru_cache(maxsize=1 << 14)
def _retirement(year: int, month: int, sex: str, schedule: RetirementSchedule) -> dt.date:
    birth_month = year * 12 + month - 1  # months since year 0
    candidate = (birth_month + schedule.youngest_months) // 12
    while (birth_month + schedule.age_months(sex, candidate)) // 12 > candidate:
        candidate += 1
    reached = birth_month + schedule.age_months(sex, candidate)
    retire_year, retire_month = divmod(reached, 12)
    return dt.date(retire_year, retire_month + 1, calendar.monthrange(retire_year, retire_month + 1)[1])


def months_left(retirement: dt.date, since: dt.date) -> int:
    """Whole calendar months from ``since``'s month up to and including the retirement month
    (retiring at the end of 07/2027: 85 from 07/2020, 84 at the end of 06/2027); 0 if
    retired before."""
    return max(0, (retirement.year - since.year) * 12 + retirement.month - since.month + 1)


@dataclass(frozen=True)
class Scope:
    """A person against Nghị định 71: below the standard (None: unknown), the months
    required (None: no roadmap), in scope, and why (Vietnamese)."""

    below_standard: bool | None
    months_required: int | None
    in_scope: bool
    reason: str
    is_decided: bool = True  # False: the months left could not be worked out


def upgrade_scope(
    level: str | None,
    degree: str | None,
    is_teacher_training: bool | None,
    has_certificate: bool | None,
    months: int | None,
    rules: PersonRules,
) -> Scope:
    """Whether a teacher or manager must upgrade their degree under Nghị định 71/2020, Điều 2.

    Below the standard: a degree ranked below the level's standard, or, at the
    standard, a major named and not in teacher training with no pedagogy certificate
    where the level accepts one (a blank major is not held against anyone). In scope:
    below the standard with at least the months the roadmap requires for that level
    and degree left at the count date (``months``).
    """
    if level is None or degree is None:
        return Scope(None, None, False, "thiếu cấp học hoặc trình độ đào tạo")
    standard = rules.standards.get(level)
    if standard is None:
        covered = ", ".join(rules.level_names.get(code, code) for code in rules.standards)
        return Scope(None, None, False, f"Nghị định 71/2020/NĐ-CP chỉ quy định lộ trình nâng chuẩn cho {covered}")
    degree_name = rules.degree_names.get(degree, degree).lower()
    standard_name = rules.degree_names.get(standard.standard_degree, standard.standard_degree).lower()
    if rules.degree_ranks[degree] < rules.degree_ranks[standard.standard_degree]:
        why = f"trình độ {degree_name}, dưới chuẩn {standard_name} của cấp học"
    elif is_teacher_training is False and not (standard.certificate_counts and has_certificate is True):
        why = "chuyên ngành không thuộc ngành đào tạo giáo viên" + (" và chưa có chứng chỉ bồi dưỡng nghiệp vụ sư phạm" if standard.certificate_counts else "")
    else:
        return Scope(False, None, False, f"đã đạt chuẩn trình độ đào tạo ({degree_name}; chuẩn của cấp học: {standard_name})")
    threshold = rules.thresholds.get((level, degree))
    if threshold is None:
        return Scope(True, None, False, f"{why}; Nghị định 71/2020/NĐ-CP không quy định lộ trình nâng chuẩn cho trình độ {degree_name} ở cấp học này")
    required = threshold.months_required
    since = rules.count_from.strftime("%d/%m/%Y")
    if months is None:
        return Scope(True, required, False, f"{why}; không tính được số tháng công tác còn lại (thiếu ngày sinh hoặc giới tính)", is_decided=False)
    if months >= required:
        return Scope(True, required, True, f"{why}; từ {since} còn {months} tháng công tác, đủ {required} tháng: thuộc diện nâng chuẩn")
    return Scope(True, required, False, f"{why}; từ {since} chỉ còn {months} tháng công tác, dưới {required} tháng: không bắt buộc nâng chuẩn, giữ nguyên hạng đến khi nghỉ hưu")


def programme_last_year(programme: str, year: int, rules: PersonRules) -> int:
    """The last year of a programme started in ``year`` (``programmes.csv``: years it takes)."""
    return year + rules.programmes[programme].years - 1


def programme_problems(
    programme: str,
    degree: str | None,
    scope: Scope,
    retirement: dt.date | None,
    year: int | None,
    rules: PersonRules,
) -> list[str]:
    """The rules of ``schemas.persons.PERSON_RULES`` a registration for ``programme`` breaks:
    it starts from another degree, the person already meets the standard or is not in
    scope, or retires before the programme's last year ends."""
    spec = rules.programmes[programme]
    broken = []
    if degree is not None and degree != spec.from_degree:
        broken.append("programme_wrong_degree")
    if scope.below_standard is False:
        broken.append("programme_meets_standard")
    elif scope.below_standard is True and not scope.in_scope and scope.is_decided:
        broken.append("programme_not_in_scope")
    if retirement is not None and year is not None and retirement < dt.date(programme_last_year(programme, year, rules), 12, 31):
        broken.append("programme_after_retirement")
    return broken


def fitting_programme(level: str | None, degree: str | None, year: int | None, rules: PersonRules) -> str | None:
    """The programme for a person below the standard: it starts from their degree, applies to
    their level and reaches the level's standard; one the year's plan teaches at that level
    first, then one leading exactly to the standard."""
    standard = rules.standards.get(level or "")
    if standard is None or degree is None:
        return None
    goal = rules.degree_ranks[standard.standard_degree]
    candidates = [
        spec for spec in rules.programmes.values()
        if spec.from_degree == degree and level in rules.topic_levels.get(spec.topic, ()) and rules.degree_ranks.get(spec.to_degree, 0) >= goal
    ]
    if not candidates:
        return None
    candidates.sort(key=lambda spec: ((year, spec.topic, level) not in rules.planned, rules.degree_ranks[spec.to_degree] != goal, spec.topic))
    return candidates[0].topic


def mask_identifier(identifier: str | None) -> str | None:
    """An identifier shown as stars but for its last four characters ("********1234");
    one of four characters or fewer is all stars."""
    if identifier is None or pd.isna(identifier):
        return None
    text = str(identifier)
    return "*" * len(text) if len(text) <= 4 else "*" * (len(text) - 4) + text[-4:]


# ---------------------------------------------------------------- every person


def check_persons(persons: pd.DataFrame, rules: PersonRules) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Check every person of one or more rosters (``RosterPerson``, all lists of a run together,
    so that a person sent twice is found across units).

    Returns:
        checks: ``PersonCheck``, one row per person, in the order given, with
            ``person_id`` the same for the rows of one person;
        issues: ``schemas.Issue``, one row per problem; an error holds back that person.
    """
    records = persons.to_dict("records")
    person_ids, duplicate_notes = _duplicates(records)
    name_words = {word for record in records for word in text_key(record["name"]).split()}
    rows, issues = [], []
    for index, record in enumerate(records):
        found = _check_one(record, rules)
        notes = duplicate_notes.get(index)
        if notes is not None:
            found["notes"].append(notes)
        problems = [_problem(rule, record | found["values"], fields, name_words) for rule, fields in found["notes"]]
        issues += problems
        errors = [problem["problem"] for problem in problems if problem["severity"] == ERROR]
        warnings = [problem["problem"] for problem in problems if problem["severity"] == WARNING]
        rows.append(record | found["values"] | {
            "person_id": person_ids[index],
            "accepted": not errors,
            "problems": "; ".join(errors),
            "warnings": "; ".join(warnings),
        })
    checks = pd.DataFrame(rows, columns=_CHECK_COLUMNS) if rows else pd.DataFrame({column: [] for column in _CHECK_COLUMNS})
    checks = checks.astype({
        "source_row": int, "person_id": int, "in_scope": bool, "is_registered": bool, "accepted": bool,
        "year": "Int64", "months_left_2020_07": "Int64", "months_left_year_start": "Int64", "months_required": "Int64",
        "programme_last_year": "Int64", "below_standard": "boolean", "can_finish": "boolean",
        "is_teacher_training": "boolean", "has_certificate": "boolean",
    })
    checks = checks.astype(dict.fromkeys(_CHECK_TEXT, "str"))  # as the schema has them: checked, not coerced, at once
    checks = checks.assign(birth_date=pd.to_datetime(checks["birth_date"]), retirement_date=pd.to_datetime(checks["retirement_date"]))
    frame = pd.DataFrame(issues, columns=_ISSUE_COLUMNS).astype(str)
    return models.PersonCheck.validate(checks), Issue.validate(frame)


def _check_one(record: dict, rules: PersonRules) -> dict:
    """The verdict on one person: the computed columns and the rules broken, with their fields."""
    notes: list[tuple[str, dict]] = []
    year = None if pd.isna(record["year"]) else int(record["year"])
    birth = None if pd.isna(record["birth_date"]) else pd.Timestamp(record["birth_date"]).date()
    sex, level, degree = _value(record["sex"]), _value(record["level"]), _value(record["degree"])
    if birth is None:
        notes.append(("birth_missing" if _value(record["birth_label"]) is None else "birth_unreadable", {}))
    elif year is not None:
        age = year - birth.year - ((birth.month, birth.day) > (1, 1))
        if not rules.youngest_age <= age <= rules.oldest_age:
            notes.append(("birth_implausible", {"age": age, "youngest": rules.youngest_age, "oldest": rules.oldest_age}))
            birth = None  # a typing slip: no retirement worked out from it
    if sex is None or sex not in rules.retirement.ages:
        notes.append(("sex_unknown", {}))
        sex = None
    if level is None or level not in rules.school_levels:
        notes.append(("level_unknown", {}))
        level = None
    if degree is None or degree not in rules.degree_ranks:
        notes.append(("degree_unknown", {"degrees": ", ".join(rules.degree_names.values())}))
        degree = None
    if _value(record["title"]) is None:
        notes.append(("title_unknown", {}))
    topics = record["topics"].split() if isinstance(record["topics"], str) else []
    if _value(record["unknown_topics"]) is not None:
        notes.append(("topic_unknown", {}))
    elif not topics:
        notes.append(("topic_missing", {}))
    if level is not None:
        for topic in topics:
            if level not in rules.topic_levels.get(topic, (level,)):
                notes.append(("topic_level", {"topic": topic, "topic_levels": ", ".join(rules.topic_levels[topic])}))

    retirement = nd71_retirement = None
    if birth is not None and sex is not None:
        retirement = retirement_date(birth, sex, rules.retirement)
        nd71_retirement = retirement_date(birth, sex, rules.nd71)
        if year is not None and retirement < dt.date(year, 1, 1):
            notes.append(("already_retired", {}))
    months_2020 = months_left(nd71_retirement, rules.count_from) if nd71_retirement is not None else None
    months_year = months_left(retirement, dt.date(year, 1, 1)) if retirement is not None and year is not None else None
    teacher_training = _value(record["is_teacher_training"])
    certificate = _value(record["has_certificate"])
    scope = upgrade_scope(level, degree, teacher_training, certificate, months_2020, rules)

    registered = [topic for topic in topics if topic in rules.programmes]
    if len(registered) > 1:
        notes.append(("programmes_several", {"topics": ", ".join(registered)}))
    programme = registered[0] if registered else (fitting_programme(level, degree, year, rules) if scope.in_scope else None)
    for topic in registered:
        fitting = fitting_programme(level, degree, year, rules)
        for rule in programme_problems(topic, degree, scope, retirement, year, rules):
            notes.append((rule, {
                "programme": topic,
                "from_degree": rules.programmes[topic].from_degree,
                "fitting": f" (chương trình phù hợp: {fitting})" if fitting and fitting != topic else "",
                "scope_reason": scope.reason,
                "last_year": programme_last_year(topic, year, rules) if year is not None else "",
            }))
    last_year = programme_last_year(programme, year, rules) if programme is not None and year is not None else None
    can_finish = None if last_year is None or retirement is None else retirement >= dt.date(last_year, 12, 31)
    values = {
        "retirement_date": retirement,
        "months_left_2020_07": months_2020,
        "months_left_year_start": months_year,
        "below_standard": scope.below_standard,
        "months_required": scope.months_required,
        "in_scope": scope.in_scope,
        "scope_reason": scope.reason,
        "programme": programme,
        "is_registered": bool(registered),
        "programme_last_year": last_year,
        "can_finish": can_finish,
    }
    return {"values": values, "notes": notes}


def _value(value: object) -> object:
    """A table's blank (None, NaN, NA, NaT) as None."""
    return None if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value) else value


def _who(record: dict) -> str:
    """The person as a problem names them: by their row, never by name (personal data stays in ca_nhan/)."""
    return f"Người ở dòng {record['source_row']}"


_RULE_CELLS = {
    "birth_missing": "birth_cell", "birth_unreadable": "birth_cell", "birth_implausible": "birth_cell",
    "sex_unknown": "sex_cell", "level_unknown": "level_cell", "degree_unknown": "degree_cell", "title_unknown": "title_cell",
    "topic_missing": "topic_cell", "topic_unknown": "topic_cell", "topic_level": "topic_cell",
    "already_retired": "birth_cell", "programmes_several": "topic_cell", "programme_wrong_degree": "degree_cell",
    "programme_meets_standard": "degree_cell", "programme_not_in_scope": "topic_cell", "programme_after_retirement": "birth_cell",
}
_RULE_VALUES = {  # what a problem shows as the value typed: never a name, identifier or birth date
    "sex_unknown": "sex_label", "level_unknown": "level_label",
    "degree_unknown": "degree_label", "programme_wrong_degree": "degree_label", "programme_meets_standard": "degree_label",
    "title_unknown": "title_label", "topic_unknown": "unknown_topics", "topic_level": "topic_labels",
    "programmes_several": "topic_labels", "programme_not_in_scope": "topic_labels",
}


_LABEL_CELLS = {"sex_label": "sex_cell", "level_label": "level_cell", "degree_label": "degree_cell", "title_label": "title_cell", "unknown_topics": "topic_cell"}
_DATE_LIKE = re.compile(r"\d{1,4}\s*[/.\-]\s*\d{1,2}|\b(?:1[89]|2[01])\d\d\b")  # "23/01/1990", "1990-01-23", "01/1990", "1990"
_LONG_NUMBER = re.compile(r"\d{6,}")  # an identifier or a telephone number, spaces and dots taken out
_QUOTED = re.compile(r"\"([^\"]*)\"")


def _problem(rule: str, record: dict, fields: dict, name_words: set[str] = frozenset()) -> dict:
    problem, fix, severity = models.PERSON_RULES[rule]
    values = {key: ("" if _value(value) is None else value) for key, value in record.items()}
    birth = _value(record["birth_date"])
    values |= {
        "who": _who(record),
        "birth": pd.Timestamp(birth).strftime("%d/%m/%Y") if birth is not None else "",
        "retirement": _month(_value(record.get("retirement_date"))),
    } | fields
    for key, cell_key in _LABEL_CELLS.items():
        if values[key] == "":
            values[key] = "để trống" if key != "unknown_topics" else ""
        elif looks_personal(str(values[key]), record, name_words):  # a name or birth date slipped under this column
            withheld = _withheld(_value(record.get(cell_key)) or record["name_cell"])
            values[key] = withheld if key != "unknown_topics" else f"({withheld})"
        else:
            values[key] = f"\"{values[key]}\""
    cell = _value(record.get(_RULE_CELLS.get(rule, "name_cell"))) or record["name_cell"]
    shown = _value(record.get(_RULE_VALUES[rule])) if rule in _RULE_VALUES else None
    if shown is not None and looks_personal(str(shown), record, name_words):
        shown = None
    return {
        "file": record["source_file"], "sheet": record["source_sheet"], "cell": cell, "value": "" if shown is None else str(shown),
        "problem": problem.format(**values), "fix": fix.format(**values), "severity": severity,
        "unit": _value(record.get("unit")) or "",
    }


def looks_personal(text: str, record: dict, name_words: set[str] = frozenset()) -> bool:
    """Whether a label typed in a person's row may be personal data, never to be quoted in a
    problem: a date or a year ("23/01/1990"), a long number (an identifier), one of the
    person's own name, identifier or birth date, words all found in the names of the people
    checked ("Bích Ngọc"), or several capitalised words as a name is typed ("Lê Thị Bích
    Ngọc"). A mistyped label ("Nữa", "Thạc sỹ", "Cấp 4") is quoted as typed."""
    own = {text_key(_value(record.get(key))) for key in ("name", "identifier", "birth_label")} - {""}
    parts = [text, *text.split(" | "), *_QUOTED.findall(text)]
    for part in parts:
        key = text_key(part)
        words = part.split()
        if (
            _DATE_LIKE.search(part) or _LONG_NUMBER.search(re.sub(r"[\s.\-]", "", part)) or key in own
            or (key and all(word in name_words for word in key.split()))
            or (len(words) >= 2 and all(word.isalpha() and word[0].isupper() for word in words))
        ):
            return True
    return False


def _withheld(cell: str) -> str:
    return f"ô {cell} có vẻ là họ tên, ngày sinh hoặc số định danh bị lệch cột; giá trị không được ghi lại vì là thông tin cá nhân"


def _month(day: dt.date | None) -> str:
    return "" if day is None else f"cuối tháng {day.month:02d}/{day.year}"


def _duplicates(records: list[dict]) -> tuple[list[int], dict[int, tuple[str, dict]]]:
    """A person id per record (the same for one person's rows) and, for each record of a
    person met more than once in a year, the rule and the places.

    The same person: the same identifier; or, when either has none, the same name
    (any spelling of its marks and case) and birth date. Rows of one sheet that agree
    on everything but their topics, none in common, are one person registering on
    several rows (a warning); anything else holds back every copy.
    """
    parent = list(range(len(records)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    def join(first: int, second: int) -> None:
        parent[root(second)] = root(first)

    by_identifier: dict[tuple, int] = {}
    by_name: dict[tuple, list[int]] = {}
    for index, record in enumerate(records):
        identifier = _value(record["identifier"])
        year = _value(record["year"])
        if identifier is not None:
            key = (year, str(identifier).upper())
            if key in by_identifier:
                join(by_identifier[key], index)
            else:
                by_identifier[key] = index
        birth = _value(record["birth_date"])
        if birth is not None:
            by_name.setdefault((year, text_key(record["name"]), pd.Timestamp(birth).date()), []).append(index)
    for indexes in by_name.values():
        for position, first in enumerate(indexes):
            for second in indexes[position + 1 :]:
                one, other = _value(records[first]["identifier"]), _value(records[second]["identifier"])
                if one is None or other is None:
                    join(first, second)
    groups: dict[int, list[int]] = {}
    for index in range(len(records)):
        groups.setdefault(root(index), []).append(index)
    person_ids = [0] * len(records)
    notes = {}
    for number, (_, members) in enumerate(sorted(groups.items(), key=lambda item: item[1][0]), start=1):
        for index in members:
            person_ids[index] = number
        if len(members) < 2:
            continue
        places = "; ".join(_place(records[index]) for index in members)
        rule = "duplicate_rows" if _same_person_other_topics([records[index] for index in members]) else "duplicate"
        for index in members:
            notes[index] = (rule, {"count": len(members), "places": places})
    return person_ids, notes


def _place(record: dict) -> str:
    unit = _value(record["unit"]) or _value(record["unit_label"])
    return f"tệp {record['source_file']}, trang {record['source_sheet']}, dòng {record['source_row']}" + (f" ({unit})" if unit else "")


def _same_person_other_topics(members: list[dict]) -> bool:
    """Rows of one sheet agreeing on everything but their topics, none in common."""
    if len({(m["source_file"], m["source_sheet"]) for m in members}) != 1:
        return False
    facts = {tuple(str(_value(m[key])) for key in ("birth_date", "sex", "level", "degree", "title", "unit")) for m in members}
    if len(facts) != 1:
        return False
    seen: set[str] = set()
    for member in members:
        topics = set(member["topics"].split())
        if not topics or topics & seen:
            return False
        seen |= topics
    return True


# ---------------------------------------------------------------- lists and counts


def order_by_priority(checks: pd.DataFrame, rules: PersonRules) -> pd.DataFrame:
    """The people in scope, one row each, grouped by year, level and programme, in priority order.

    The programme: the one registered when it fits, else the one that fits
    (``fitting_programme``; empty when none does). Within a group: those who can finish
    the programme before retiring first, then the earliest retirement date first (the
    window that closes first), then by unit, file and row. Adds ``list_programme``,
    ``priority`` (1, 2... per group) and ``note`` (Vietnamese: not registered, registered
    for another programme, cannot finish in time).
    """
    frame = checks[checks["in_scope"]].drop_duplicates("person_id")
    if frame.empty:
        return frame.assign(list_programme=pd.Series(dtype=object), priority=pd.Series(dtype="Int64"), note=pd.Series(dtype=object), finishes=pd.Series(dtype=bool))
    listed, notes, finishes, last_years = [], [], [], []
    for record in frame.to_dict("records"):
        year = _value(record["year"])
        year = None if year is None else int(year)
        fitting = fitting_programme(_value(record["level"]), _value(record["degree"]), year, rules)
        registered = _value(record["programme"]) if record["is_registered"] else None
        retirement = _value(record["retirement_date"])
        retirement = None if retirement is None else pd.Timestamp(retirement).date()
        # The registration stands where it starts from the person's degree at their level;
        # whether they can finish it is shown, not a reason to list them elsewhere.
        fits = registered is not None and rules.programmes[registered].from_degree == record["degree"] and record["level"] in rules.topic_levels.get(registered, ())
        chosen = registered if fits else fitting
        last = programme_last_year(chosen, year, rules) if chosen is not None and year is not None else None
        can = last is not None and retirement is not None and retirement >= dt.date(last, 12, 31)
        note = []
        if registered is None:
            note.append("chưa đăng ký chương trình nâng chuẩn")
        elif not fits and registered != chosen:
            note.append(f"đăng ký {registered}, không phù hợp")
        if chosen is None:
            note.append("không có chương trình phù hợp trong danh mục")
        elif not can:
            note.append("không kịp hoàn thành chương trình trước khi nghỉ hưu")
        if not record["accepted"] and record["problems"]:
            note.append("không được tính: " + record["problems"])
        listed.append(chosen)
        notes.append("; ".join(note))
        finishes.append(can)
        last_years.append(last)
    frame = frame.assign(list_programme=listed, note=notes, finishes=finishes, programme_last_year=pd.array(last_years, dtype="Int64"))
    frame = frame.sort_values(
        ["year", "level", "list_programme", "finishes", "retirement_date", "unit", "source_file", "source_sheet", "source_row"],
        ascending=[True, True, True, False, True, True, True, True, True], kind="stable", na_position="last",
    )
    priority = frame.groupby(["year", "level", "list_programme"], dropna=False, sort=False).cumcount() + 1
    return frame.assign(priority=priority.astype("Int64")).reset_index(drop=True)


def count_registrations(checks: pd.DataFrame) -> pd.DataFrame:
    """One registration per accepted person and topic, counted per year, unit, topic and level
    (``PersonRegistration``), with every source row kept."""
    accepted = checks[checks["accepted"] & checks["year"].notna() & checks["unit"].notna() & checks["level"].notna()]
    groups: dict[tuple, list[tuple]] = {}
    columns = ["year", "unit", "topics", "level", "person_id", "source_file", "source_sheet", "source_row", "name_cell"]
    for year, unit, topics, level, person, file, sheet, row, cell in zip(*(accepted[column].tolist() for column in columns)):
        for topic in dict.fromkeys(topics.split()):
            groups.setdefault((int(year), unit, topic, level), []).append((file, sheet, int(row), cell, person))
    out = []
    for key in sorted(groups):
        sources = sorted(groups[key])
        file, sheet, _, cell, _ = sources[0]
        out.append(dict(zip(["year", "unit", "topic", "level"], key)) | {
            "headcount": len({person for *_, person in sources}),
            "source_file": file, "source_sheet": sheet, "source_cell": cell, "source_rows": _row_ranges(sources),
        })
    frame = pd.DataFrame(out, columns=list(models.PersonRegistration.to_schema().columns))
    return models.PersonRegistration.validate(frame.astype({"year": int, "headcount": int}))


def _row_ranges(sources: list[tuple]) -> str:
    """"file › sheet: dòng 7–9, 12", "; " between sheets; ``sources`` sorted (file, sheet, row, ...)."""
    by_sheet: dict[tuple[str, str], list[int]] = {}
    for file, sheet, row, *_ in sources:
        by_sheet.setdefault((file, sheet), []).append(row)
    parts = []
    for (file, sheet), numbers in by_sheet.items():
        numbers = sorted(set(numbers))
        spans, start = [], numbers[0]
        for previous, current in zip(numbers, numbers[1:] + [None]):
            if current != previous + 1:
                spans.append(str(start) if start == previous else f"{start}–{previous}")
                start = current
        parts.append(f"{file} › {sheet}: dòng {', '.join(spans)}")
    return "; ".join(parts)


def person_topics(checks: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``ca_nhan/persons.csv`` (``PersonTopic``): one per person and topic (a
    person with none: one row), dates ISO, the identifier masked."""
    rows = []
    for record in checks.to_dict("records"):
        reason = record["scope_reason"] if record["accepted"] else f"{record['scope_reason']}. Không được tính: {record['problems']}"
        base = {
            "year": record["year"], "unit": _value(record["unit"]), "source_file": record["source_file"],
            "source_sheet": record["source_sheet"], "source_row": record["source_row"], "name": record["name"],
            "identifier": mask_identifier(_value(record["identifier"])), "birth_date": _iso(record["birth_date"]),
            "sex": _value(record["sex"]), "level": _value(record["level"]), "school": _value(record["school"]),
            "title": _value(record["title"]), "degree": _value(record["degree"]), "major": _value(record["major"]),
            "has_certificate": _value(record["has_certificate"]), "retirement_date": _iso(record["retirement_date"]),
            "months_left_2020_07": record["months_left_2020_07"], "months_left_year_start": record["months_left_year_start"],
            "below_standard": _value(record["below_standard"]), "in_scope": record["in_scope"],
            "programme_last_year": record["programme_last_year"], "accepted": record["accepted"], "reason": reason,
        }
        topics = list(dict.fromkeys(record["topics"].split())) or [None]
        rows += [base | {"topic": topic} for topic in topics]
    frame = pd.DataFrame(rows, columns=list(models.PERSON_CSV_COLUMNS))
    frame = frame.astype({
        "year": "Int64", "source_row": int, "months_left_2020_07": "Int64", "months_left_year_start": "Int64",
        "programme_last_year": "Int64", "in_scope": bool, "accepted": bool, "below_standard": "boolean", "has_certificate": "boolean",
    } | dict.fromkeys(_TOPIC_TEXT, "str"))
    return models.PersonTopic.validate(frame)


def _iso(value: object) -> str | None:
    value = _value(value)
    return None if value is None or value is pd.NaT else pd.Timestamp(value).date().isoformat()


def level_summary(checks: pd.DataFrame, plan: pd.DataFrame, rules: PersonRules, year: int) -> pd.DataFrame:
    """Per level of the year's rosters, people (each once): below the standard, in scope,
    registered for a degree-upgrade programme, of those accepted; and the plan's
    degree-upgrade headcount for that level and year.

    Columns: ``level``, ``below_standard``, ``in_scope``, ``registered``,
    ``registered_accepted``, ``planned``, ``plan_lines`` ("TC_DH 89; CD_DH 344").
    """
    frame = checks[checks["year"] == year].drop_duplicates("person_id")
    lines = plan[(plan["year"] == year) & plan["topic"].isin(list(rules.programmes))]
    levels = [level for level in rules.standards] + [level for level in rules.school_levels if level not in rules.standards and (frame["level"] == level).any()]
    rows = []
    for level in levels:
        people = frame[frame["level"] == level]
        registered = people[people["is_registered"]]
        counts = [(topic, int(count)) for topic, count in zip(lines["topic"], lines[level].fillna(0)) if count > 0] if level in lines.columns else []
        rows.append({
            "level": level,
            "below_standard": int(people["below_standard"].fillna(False).sum()),
            "in_scope": int(people["in_scope"].sum()),
            "registered": len(registered),
            "registered_accepted": int(registered["accepted"].sum()),
            "planned": sum(count for _, count in counts),
            "plan_lines": "; ".join(f"{topic} {count}" for topic, count in counts),
        })
    return pd.DataFrame(rows, columns=["level", "below_standard", "in_scope", "registered", "registered_accepted", "planned", "plan_lines"])


def compare_with_counts(roster_registrations: pd.DataFrame, count_registrations_table: pd.DataFrame) -> pd.DataFrame:
    """Where a unit sent both a count form and a roster for a year, every (topic, level) whose
    figures differ, naming both sources (``schemas.Issue``, errors). Units that sent only one
    shape are not compared."""
    keys = ["year", "unit", "topic", "level"]
    both_units = set(zip(roster_registrations["year"], roster_registrations["unit"])) & set(zip(count_registrations_table["year"], count_registrations_table["unit"]))
    if not both_units:
        return Issue.validate(pd.DataFrame(columns=_ISSUE_COLUMNS).astype(str))
    roster = roster_registrations[[pair in both_units for pair in zip(roster_registrations["year"], roster_registrations["unit"])]]
    counts = count_registrations_table[[pair in both_units for pair in zip(count_registrations_table["year"], count_registrations_table["unit"])]]
    merged = roster.merge(counts, on=keys, how="outer", suffixes=("_roster", "_count"))
    merged = merged[merged["headcount_roster"].fillna(0) != merged["headcount_count"].fillna(0)]
    issues = []
    for record in merged.to_dict("records"):
        roster_count, form_count = int(_value(record["headcount_roster"]) or 0), int(_value(record["headcount_count"]) or 0)
        text = (f"{record['unit']} năm {record['year']}, nội dung {record['topic']}, cấp học {record['level']}: "
                f"mẫu đăng ký số lượng ghi {form_count} người, danh sách cá nhân có {roster_count} người")
        fix = "Sửa để mẫu đăng ký số lượng và danh sách cá nhân khớp nhau (hoặc chỉ gửi một loại)"
        if _value(record["source_file_count"]) is not None:
            issues.append({"file": record["source_file_count"], "sheet": record["source_sheet_count"], "cell": record["source_cell_count"], "value": str(form_count), "problem": text, "fix": fix, "severity": ERROR, "unit": record["unit"]})
        if _value(record["source_file_roster"]) is not None:
            issues.append({"file": record["source_file_roster"], "sheet": record["source_sheet_roster"], "cell": record["source_cell_roster"], "value": str(roster_count), "problem": text, "fix": fix, "severity": ERROR, "unit": record["unit"]})
    return Issue.validate(pd.DataFrame(issues, columns=_ISSUE_COLUMNS).astype(str))
