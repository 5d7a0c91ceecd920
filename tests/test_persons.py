"""Persons: retirement under Nghị định 135/2020, scope under Nghị định 71/2020, programme fit,
the checks on each person, the priority order and the counts.

Expected dates come from the law: the issue's worked examples, rows of Phụ lục I of
Nghị định 135/2020, and an independent computation written from Điều 4 khoản 1 that
steps month by month adding the age reached. Thresholds (83/84, 95/96 months) are
those of Nghị định 71/2020, Điều 2.
"""

from __future__ import annotations

import datetime as dt
import shutil
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from pipeline import persons
from pipeline.reference import Reference, ReferenceDataError, person_disagreements, read_person_reference, read_reference
from pipeline.ingest import roster
from schemas import persons as models

YEAR = 2026


@cache
def _reference() -> Reference:
    return read_reference(ROOT / "inputs" / "reference")


def _rules(folder: Path = ROOT / "inputs" / "reference") -> persons.PersonRules:
    reference = _reference()
    return persons.prepare_rules(read_person_reference(folder), reference.topics, reference.levels, reference.plan)


RULES = _rules()


# ---------------------------------------------------------------- the law, computed independently


def law_age_months(sex: str, year: int) -> int:
    """Điều 4 khoản 1: from 2021 men 60 years 3 months, +3 months a year up to 62 (2028);
    women 55 years 4 months, +4 months a year up to 60 (2035); before 2021, 60 and 55."""
    if year < 2021:
        return 60 * 12 if sex == "Nam" else 55 * 12
    if sex == "Nam":
        return min(60 * 12 + 3 + 3 * (year - 2021), 62 * 12)
    return min(55 * 12 + 4 + 4 * (year - 2021), 60 * 12)


def retirement_by_stepping(year: int, month: int, sex: str) -> tuple[int, int]:
    """(year, month) of retirement: walk the calendar a month at a time from the birth month,
    the age growing by a month each step, until the age reached is the age of that year."""
    age = 0
    while age < law_age_months(sex, year):
        month += 1
        age += 1
        if month == 13:
            year, month = year + 1, 1
    return year, month


def retirement_by_birth_group(year: int, month: int, sex: str) -> tuple[int, int]:
    """Phụ lục I's structure: each step of the roadmap is a run of 9 birth months (men, from
    01/1961) or 8 (women, from 01/1966)."""
    first, size, start, step, cap, before = (1961, 9, 723, 3, 744, 720) if sex == "Nam" else (1966, 8, 664, 4, 720, 660)
    index = (year - first) * 12 + month - 1
    age = before if index < 0 else min(start + step * (index // size), cap)
    reached = year * 12 + month - 1 + age
    return reached // 12, reached % 12 + 1


def _end_of_month(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


# ---------------------------------------------------------------- retirement


@pytest.mark.parametrize(
    ("sex", "birth", "retires", "pension_from"),
    [
        # The issue's worked examples.
        ("Nữ", dt.date(1966, 1, 1), dt.date(2021, 5, 31), dt.date(2021, 6, 1)),
        ("Nữ", dt.date(1970, 3, 20), dt.date(2027, 7, 31), dt.date(2027, 8, 1)),
        ("Nữ", dt.date(1970, 5, 9), dt.date(2027, 9, 30), dt.date(2027, 10, 1)),
        # Phụ lục I: men born 01/1961 (60y3m), 01/1964 (61y3m), 01/1965 (61y6m), 04/1966 and 01/1968 (62).
        ("Nam", dt.date(1961, 1, 15), dt.date(2021, 4, 30), dt.date(2021, 5, 1)),
        ("Nam", dt.date(1964, 1, 2), dt.date(2025, 4, 30), dt.date(2025, 5, 1)),
        ("Nam", dt.date(1965, 1, 31), dt.date(2026, 7, 31), dt.date(2026, 8, 1)),
        ("Nam", dt.date(1966, 4, 1), dt.date(2028, 4, 30), dt.date(2028, 5, 1)),
        ("Nam", dt.date(1968, 1, 1), dt.date(2030, 1, 31), dt.date(2030, 2, 1)),
        # Women: 08/1966 is the last month at 55y4m, 09/1966 the first at 55y8m; 05/1975 reaches 60 in 2035.
        ("Nữ", dt.date(1966, 8, 31), dt.date(2021, 12, 31), dt.date(2022, 1, 1)),
        ("Nữ", dt.date(1966, 9, 1), dt.date(2022, 5, 31), dt.date(2022, 6, 1)),
        ("Nữ", dt.date(1975, 5, 5), dt.date(2035, 5, 31), dt.date(2035, 6, 1)),
        # Before 2021: 55 and 60 (Bộ luật Lao động 2012).
        ("Nữ", dt.date(1965, 6, 10), dt.date(2020, 6, 30), dt.date(2020, 7, 1)),
        ("Nam", dt.date(1960, 2, 29), dt.date(2020, 2, 29), dt.date(2020, 3, 1)),
    ],
)
def test_worked_examples(sex, birth, retires, pension_from):
    retirement = persons.retirement_date(birth, sex, RULES.retirement)
    assert retirement == retires
    assert retirement + dt.timedelta(days=1) == pension_from


def test_every_birth_month_1955_to_2000_against_stepping_and_phu_luc():
    compared = 0
    for year in range(1955, 2001):
        for month in range(1, 13):
            for sex in ("Nam", "Nữ"):
                expected = _end_of_month(*retirement_by_stepping(year, month, sex))
                assert persons.retirement_date(dt.date(year, month, 1), sex, RULES.retirement) == expected, (year, month, sex)
                assert _end_of_month(*retirement_by_birth_group(year, month, sex)) == expected, (year, month, sex)
                compared += 1
    assert compared == 46 * 12 * 2


@settings(max_examples=300, deadline=None)
@given(st.dates(dt.date(1955, 1, 1), dt.date(2000, 12, 31)), st.sampled_from(["Nam", "Nữ"]))
def test_retirement_property(birth, sex):
    """Any day of birth: the month decides; the retirement day ends its month; the age that
    applies is the one of the retirement year."""
    retirement = persons.retirement_date(birth, sex, RULES.retirement)
    assert (retirement.year, retirement.month) == retirement_by_stepping(birth.year, birth.month, sex)
    assert (retirement + dt.timedelta(days=1)).day == 1
    age = (retirement.year - birth.year) * 12 + retirement.month - birth.month
    assert age == law_age_months(sex, retirement.year)


def test_year_only_birth_date_is_first_of_january():
    read, precision = roster.parse_birth_date(1970)
    assert (read, precision) == (dt.date(1970, 1, 1), "year")
    assert roster.parse_birth_date("1970") == (dt.date(1970, 1, 1), "year")
    # A woman born in 1970 (01/1970): 57 years 4 months in 2027, so end of 05/2027.
    assert persons.retirement_date(read, "Nữ", RULES.retirement) == dt.date(2027, 5, 31)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (dt.date(1970, 3, 5), (dt.date(1970, 3, 5), "day")),
        (dt.datetime(1970, 3, 5, 0, 0), (dt.date(1970, 3, 5), "day")),
        ("05/03/1970", (dt.date(1970, 3, 5), "day")),
        ("5/3/1970", (dt.date(1970, 3, 5), "day")),
        ("05.03.1970", (dt.date(1970, 3, 5), "day")),
        ("05-03-1970", (dt.date(1970, 3, 5), "day")),
        ("1970-03-05", (dt.date(1970, 3, 5), "day")),
        ("Ngày 5 tháng 3 năm 1970", (dt.date(1970, 3, 5), "day")),
        ("03/1970", (dt.date(1970, 3, 1), "month")),
        ("31/02/1970", (None, None)),
        ("05/13/1970", (None, None)),
        ("05/03/70", (None, None)),
        ("mùng 5", (None, None)),
        (19700305, (None, None)),
        (True, (None, None)),
    ],
)
def test_birth_dates_as_typed(typed, expected):
    assert roster.parse_birth_date(typed) == expected


def test_months_left_counts_whole_calendar_months_with_the_retirement_month():
    since = dt.date(2020, 7, 1)
    assert persons.months_left(dt.date(2027, 7, 31), since) == 85
    assert persons.months_left(dt.date(2027, 6, 30), since) == 84
    assert persons.months_left(dt.date(2020, 7, 31), since) == 1
    assert persons.months_left(dt.date(2020, 6, 30), since) == 0
    assert persons.months_left(dt.date(2027, 7, 31), dt.date(2026, 1, 1)) == 19


# ---------------------------------------------------------------- scope under Nghị định 71


def _birth_for_months(months: int) -> tuple[dt.date, str]:
    """A birth month and sex whose retirement month leaves exactly ``months`` from 07/2020
    (found with the independent computation)."""
    target = 2020 * 12 + 6 + months - 1
    for year in range(1955, 1990):
        for month in range(1, 13):
            for sex in ("Nữ", "Nam"):
                retire_year, retire_month = retirement_by_stepping(year, month, sex)
                if retire_year * 12 + retire_month - 1 == target:
                    return dt.date(year, month, 15), sex
    raise AssertionError(f"no birth month retires {months} months after 07/2020")


@pytest.mark.parametrize(
    ("level", "degree", "months", "below", "in_scope"),
    [
        ("MN", "TC", 83, True, False),
        ("MN", "TC", 84, True, True),
        ("TH", "TC", 95, True, False),
        ("TH", "TC", 96, True, True),
        ("TH", "CĐ", 83, True, False),
        ("TH", "CĐ", 84, True, True),
        ("TH", "CĐ", 95, True, True),
        ("THCS", "CĐ", 83, True, False),
        ("THCS", "CĐ", 84, True, True),
        ("MN", "CĐ", 200, False, False),  # meets the standard of preschool
        ("TH", "ĐH", 200, False, False),
        ("THPT", "CĐ", 200, None, False),  # Nghị định 71 covers MN, TH, THCS only
    ],
)
def test_scope_at_every_threshold(level, degree, months, below, in_scope):
    birth, sex = _birth_for_months(months)
    checks, _ = persons.check_persons(people(dict(level=level, degree=degree, birth_date=birth, sex=sex, topics="BD01")), RULES)
    assert checks["months_left_2020_07"].iloc[0] == months
    assert bool(checks["in_scope"].iloc[0]) is in_scope
    assert (None if pd.isna(checks["below_standard"].iloc[0]) else bool(checks["below_standard"].iloc[0])) is below


def test_standard_field_and_certificate():
    """At the degree of the standard, a major outside teacher training without a pedagogy
    certificate is below it (primary, lower secondary); preschool takes no certificate."""
    scope = lambda **kw: persons.upgrade_scope(months=200, rules=RULES, **kw)  # noqa: E731
    assert scope(level="TH", degree="ĐH", is_teacher_training=False, has_certificate=False).below_standard is True
    assert scope(level="TH", degree="ĐH", is_teacher_training=False, has_certificate=True).below_standard is False
    assert scope(level="TH", degree="ĐH", is_teacher_training=None, has_certificate=None).below_standard is False
    assert scope(level="MN", degree="CĐ", is_teacher_training=False, has_certificate=True).below_standard is True
    assert scope(level="MN", degree="CĐ", is_teacher_training=True, has_certificate=None).below_standard is False
    # Below the standard by its field alone, with no roadmap for that degree: not in scope, and said why.
    outside = scope(level="TH", degree="ĐH", is_teacher_training=False, has_certificate=False)
    assert not outside.in_scope and "không quy định lộ trình" in outside.reason


def test_nd71_schedule_switch_counts_to_the_ages_before_2021(inputs):
    """Switched to the ages before 2021, the months of Nghị định 71 count to 55 (women) or
    60 (men); the retirement date stays that of Nghị định 135."""
    folder = inputs / "reference"
    path = folder / "person_settings.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("nd71_schedule,ND135", "nd71_schedule,BLLD2012"), encoding="utf-8")
    switched = _rules(folder)
    birth = dt.date(1970, 3, 20)  # Nghị định 135: end of 07/2027 (85 months); at 55: end of 03/2025 (57 months)
    default, _ = persons.check_persons(people(dict(level="MN", degree="TC", birth_date=birth, sex="Nữ", topics="BD01")), RULES)
    other, _ = persons.check_persons(people(dict(level="MN", degree="TC", birth_date=birth, sex="Nữ", topics="BD01")), switched)
    assert default["months_left_2020_07"].iloc[0] == 85 and bool(default["in_scope"].iloc[0])
    assert other["months_left_2020_07"].iloc[0] == 57 and not bool(other["in_scope"].iloc[0])
    # The retirement itself stays that of Nghị định 135.
    assert other["retirement_date"].iloc[0] == pd.Timestamp(2027, 7, 31)


# ---------------------------------------------------------------- programmes


def test_programme_years_agree_with_the_plan():
    reference = _reference()
    assert person_disagreements(read_person_reference(ROOT / "inputs" / "reference"), reference.topics, reference.levels, reference.plan) == []
    # TC→ĐH: 30 + 30 + 25 credits in 2026–2028; CĐ→ĐH: 30 + 30 in 2026–2027.
    assert persons.programme_last_year("TC_DH", 2026, RULES) == 2028
    assert persons.programme_last_year("CD_DH", 2026, RULES) == 2027


def test_programme_years_disagreeing_with_the_plan_are_named(inputs):
    path = inputs / "reference" / "programmes.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("TC_DH,TC,ĐH,3", "TC_DH,TC,ĐH,2"), encoding="utf-8")
    reference = _reference()
    problems = person_disagreements(read_person_reference(inputs / "reference"), reference.topics, reference.levels, reference.plan)
    assert problems == ["programmes.csv: TC_DH: 2 năm, nhưng plan.csv dạy 85/85 tín chỉ trong 3 năm"]


_RULE_TEXT = {
    "programme_wrong_degree": "dành cho người có trình độ",
    "programme_meets_standard": "đã đạt chuẩn trình độ đào tạo của cấp học",
    "programme_not_in_scope": "không thuộc diện nâng chuẩn theo Nghị định 71",
    "programme_after_retirement": "trước khi chương trình",
}


@pytest.mark.parametrize(
    ("person", "broken"),
    [
        (dict(level="TH", degree="CĐ", topics="TC_DH"), ["programme_wrong_degree"]),
        (dict(level="TH", degree="ĐH", topics="CD_DH", is_teacher_training=True), ["programme_wrong_degree", "programme_meets_standard"]),
        # 83 months from 07/2020: retires in 05/2027, before CĐ→ĐH (2026–2027) ends too.
        (dict(level="THCS", degree="CĐ", topics="CD_DH", months=83), ["programme_not_in_scope", "programme_after_retirement"]),
        # In scope (85 months from 07/2020) but retiring at the end of 07/2027, before TC→ĐH ends (2028).
        (dict(level="MN", degree="TC", topics="TC_DH", birth_date=dt.date(1970, 3, 20), sex="Nữ"), ["programme_after_retirement"]),
        (dict(level="MN", degree="TC", topics="TC_DH"), []),
        (dict(level="TH", degree="TC", topics="TC_DH"), []),
        (dict(level="THCS", degree="CĐ", topics="CD_DH BD01"), []),
    ],
)
def test_programme_fit(person, broken):
    if "months" in person:
        birth, sex = _birth_for_months(person.pop("months"))
        person |= {"birth_date": birth, "sex": sex}
    checks, issues = persons.check_persons(people(person), RULES)
    found = sorted(rule for rule, text in _RULE_TEXT.items() if issues["problem"].str.contains(text).any())
    assert found == sorted(broken)
    assert len(issues) == len(broken)
    assert bool(checks["accepted"].iloc[0]) is (not broken)


def test_fitting_programme_prefers_the_year_plan():
    assert persons.fitting_programme("MN", "TC", 2026, RULES) == "TC_DH"  # planned in 2026 for MN
    assert persons.fitting_programme("MN", "TC", 2031, RULES) == "TC_CD"  # no plan: the one reaching the standard
    assert persons.fitting_programme("TH", "CĐ", 2026, RULES) == "CD_DH"
    assert persons.fitting_programme("THCS", "TC", 2026, RULES) is None


# ---------------------------------------------------------------- checks on people


def test_each_check_names_the_person_row_and_cell():
    checks, issues = persons.check_persons(people(
        dict(name="Nguyễn Thị Không Ngày", birth_date=None, birth_label=None),
        dict(name="Trần Văn Sai Ngày", birth_date=None, birth_label="31/02/1970"),
        dict(name="Lê Thị Quá Tuổi", birth_date=dt.date(1930, 1, 1), birth_label="1930"),
        dict(name="Phạm Văn Đã Hưu", birth_date=dt.date(1962, 1, 1), sex="Nam"),
        dict(name="Vũ Thị Không Giới", sex=None, sex_label="x"),
        dict(name="Đỗ Văn Không Cấp", level=None, level_label="Cấp 4"),
        dict(name="Hồ Thị Không Bằng", degree=None, degree_label="Sơ cấp"),
        dict(name="Ngô Văn Không Chức", title=None, title_label="Bảo vệ"),
        dict(name="Bùi Thị Lạ", topics="", unknown_topics="Học bơi"),
        dict(name="Lý Văn Sai Cấp", level="MN", topics="KHTN"),
    ), RULES)
    expected = {
        "Nguyễn Thị Không Ngày": "không có ngày sinh",
        "Trần Văn Sai Ngày": "ngày sinh không đọc được",
        "Lê Thị Quá Tuổi": "không hợp lý, vào đầu năm 2026 người này 96 tuổi",
        "Phạm Văn Đã Hưu": "đã nghỉ hưu từ cuối tháng 07/2022",  # 01/1962: 60 years 6 months, reached in 2022
        "Vũ Thị Không Giới": "không xác định được giới tính",
        "Đỗ Văn Không Cấp": "không xác định được cấp học (\"Cấp 4\")",
        "Hồ Thị Không Bằng": "không xác định được trình độ đào tạo (\"Sơ cấp\")",
        "Ngô Văn Không Chức": "không xác định được chức vụ (\"Bảo vệ\")",
        "Bùi Thị Lạ": "nội dung đăng ký \"Học bơi\" không có trong danh mục",
        "Lý Văn Sai Cấp": "nội dung KHTN không áp dụng cho cấp học MN",
    }
    assert len(issues) == len(expected)
    for row, (name, text) in enumerate(expected.items()):
        found = issues[issues["problem"].str.startswith(f"Người ở dòng {10 + row}:")]  # by row: a name stays in ca_nhan/
        assert len(found) == 1, name
        assert text in found["problem"].iloc[0], found["problem"].iloc[0]
        assert found["file"].iloc[0] == "ds.xlsx" and found["sheet"].iloc[0] == "DS" and found["severity"].iloc[0] == "lỗi"
    assert not checks["accepted"].any()
    assert issues.loc[issues["problem"].str.startswith("Người ở dòng 11:"), "cell"].iloc[0] == "C11"
    shown = " ".join([*issues["problem"], *issues["value"], *issues["fix"]])
    assert not any(name in shown for name in expected) and "31/02/1970" not in shown and "1930" not in shown



@pytest.mark.parametrize(("override", "rule_words", "cell", "label"), [
    (dict(sex=None, sex_label="1990"), "giới tính", "D11", None),  # a year of birth
    (dict(level=None, level_label="031185001234"), "cấp học", "F11", None),  # an identifier
    (dict(degree=None, degree_label="15-6-1985"), "trình độ đào tạo", "H11", None),  # a date typed with dashes
    (dict(title=None, title_label="TRẦN THỊ HỒNG"), "chức vụ", "G11", None),  # the other person's name, in capitals
    (dict(title=None, title_label="Hồng"), "chức vụ", "G11", None),  # part of a name of the list
    (dict(title=None, title_label="Hoàng Văn Tư"), "chức vụ", "G11", None),  # a full name as names are typed
    (dict(topics="", unknown_topics="Lê Văn Năm"), "nội dung đăng ký", "K11", None),
    (dict(sex=None, sex_label="Nữa"), "giới tính", "D11", "Nữa"),  # mistyped labels stay quoted
    (dict(degree=None, degree_label="Thạc sỹ kinh tế"), "trình độ đào tạo", "H11", "Thạc sỹ kinh tế"),
    (dict(level=None, level_label="Cấp 4"), "cấp học", "F11", "Cấp 4"),
    (dict(topics="", unknown_topics="Học bơi"), "nội dung đăng ký", "K11", "Học bơi"),
])
def test_a_label_that_may_be_personal_data_is_named_by_its_cell_never_quoted(override: dict, rule_words: str, cell: str, label: str | None):
    _, issues = persons.check_persons(people(dict(name="Trần Thị Hồng"), dict(name="Phạm Thị Lan", identifier="031185001234") | override), RULES)
    (found,) = issues[issues["problem"].str.startswith("Người ở dòng 11:")].to_dict("records")
    assert found["cell"] == cell and rule_words in found["problem"]
    if label is None:
        typed = next(value for key, value in override.items() if key.endswith(("_label", "unknown_topics")))
        assert found["value"] == "" and f"ô {cell} có vẻ là họ tên, ngày sinh hoặc số định danh" in found["problem"]
        assert typed not in found["problem"] and typed not in found["fix"]
    else:
        assert found["value"] == label and f"\"{label}\"" in found["problem"]

def test_same_person_twice_within_a_list_and_across_units_names_every_place():
    base = dict(name="Nguyễn Thị Hoa", birth_date=dt.date(1980, 4, 2))
    checks, issues = persons.check_persons(people(
        base | dict(source_row=5),
        base | dict(name="nguyễn thị  HOA", source_row=9, source_file="b.xlsx", unit="An Lão", identifier="031180001234"),
        dict(name="Trần Văn Nam", identifier="031075009999", source_row=6),
        dict(name="Trần Văn Nam (khác)", identifier="031075009999", source_row=7, birth_date=dt.date(1975, 1, 1), source_file="c.xlsx", unit="Kiến Thụy"),
        dict(name="Lê Văn Một", source_row=8, birth_date=dt.date(1981, 1, 1)),
    ), RULES)
    duplicates = issues[issues["problem"].str.contains("cùng một người")]
    assert len(duplicates) == 4
    first = duplicates[duplicates["problem"].str.startswith("Người ở dòng 5:")]["problem"].iloc[0]
    assert "tệp ds.xlsx, trang DS, dòng 5 (Lê Chân)" in first and "tệp b.xlsx, trang DS, dòng 9 (An Lão)" in first
    assert list(checks["accepted"]) == [False, False, False, False, True]
    assert checks["person_id"].iloc[0] == checks["person_id"].iloc[1] != checks["person_id"].iloc[2] == checks["person_id"].iloc[3]


def test_one_person_on_several_rows_with_other_topics_is_a_warning():
    base = dict(name="Phạm Thị Lan", birth_date=dt.date(1985, 6, 1))
    checks, issues = persons.check_persons(people(base | dict(topics="BD01", source_row=5), base | dict(topics="BD03", source_row=6)), RULES)
    assert list(issues["severity"]) == ["cảnh báo", "cảnh báo"]
    assert checks["accepted"].all()
    counted = persons.count_registrations(checks)
    assert list(zip(counted["topic"], counted["headcount"])) == [("BD01", 1), ("BD03", 1)]
    same_topic, issues = persons.check_persons(people(base | dict(topics="BD01", source_row=5), base | dict(topics="BD01 BD03", source_row=6)), RULES)
    assert list(issues["severity"]) == ["lỗi", "lỗi"] and not same_topic["accepted"].any()


def test_priority_order_in_scope_and_able_to_finish_first_then_earliest_retirement():
    """Everyone here is MN, trung cấp, in scope (84 months or more from 07/2020); TC→ĐH started
    in 2026 ends with 2028. Expected order computed here from the independent retirement."""
    births = [
        ("A", dt.date(1972, 5, 1), "Nữ"), ("B", dt.date(1970, 3, 1), "Nữ"), ("C", dt.date(1975, 1, 1), "Nữ"),
        ("D", dt.date(1969, 12, 1), "Nữ"), ("E", dt.date(1970, 9, 1), "Nữ"), ("F", dt.date(1966, 6, 1), "Nam"),
    ]
    rows = [dict(name=name, birth_date=birth, sex=sex, level="MN", degree="TC", topics="TC_DH", source_row=10 + n) for n, (name, birth, sex) in enumerate(births)]
    checks, _ = persons.check_persons(people(*rows), RULES)
    ordered = persons.order_by_priority(checks, RULES)

    def expected_key(item):
        name, birth, sex = item
        retire = _end_of_month(*retirement_by_stepping(birth.year, birth.month, sex))
        return (retire < dt.date(2028, 12, 31), retire)

    def months_from_2020_07(item) -> int:
        retire_year, retire_month = retirement_by_stepping(item[1].year, item[1].month, item[2])
        return (retire_year - 2020) * 12 + retire_month - 7 + 1

    in_scope = [item for item in births if months_from_2020_07(item) >= 84]
    assert [name for name, _, _ in in_scope] == ["A", "B", "C", "E", "F"]  # D: end of 12/2026, 78 months
    assert list(ordered["name"]) == [name for name, _, _ in sorted(in_scope, key=expected_key)]
    assert list(ordered["priority"]) == [1, 2, 3, 4, 5]
    assert list(ordered["finishes"]) == [True, True, False, False, False]


def test_registrations_one_per_accepted_person_and_topic_with_source_rows():
    rows = [
        dict(name="A", topics="BD01 BD03", source_row=7),
        dict(name="B", topics="BD01", source_row=8),
        dict(name="C", topics="BD01", source_row=9, birth_date=None, birth_label=None),  # held back
        dict(name="D", topics="BD01", source_row=12),
        dict(name="E", topics="BD01", source_row=4, level="TH", level_label="Tiểu học"),
    ]
    checks, _ = persons.check_persons(people(*rows), RULES)
    counted = persons.count_registrations(checks)
    table = {(topic, level): (count, rows_text) for topic, level, count, rows_text in zip(counted["topic"], counted["level"], counted["headcount"], counted["source_rows"])}
    assert table == {
        ("BD01", "MN"): (3, "ds.xlsx › DS: dòng 7–8, 12"),
        ("BD03", "MN"): (1, "ds.xlsx › DS: dòng 7"),
        ("BD01", "TH"): (1, "ds.xlsx › DS: dòng 4"),
    }
    assert set(counted["source_cell"]) == {"B7", "B4"}


def test_persons_csv_rows_mask_identifiers_and_write_iso_dates():
    checks, _ = persons.check_persons(people(dict(name="A", identifier="031180001234", topics="BD01 BD05"), dict(name="B", identifier="1234", topics="BD01")), RULES)
    table = persons.person_topics(checks)
    required = ["year", "unit", "source_file", "source_sheet", "source_row", "birth_date", "sex", "level", "title", "degree", "topic", "retirement_date", "months_left_2020_07", "in_scope", "reason"]
    assert set(required) <= set(table.columns)
    assert list(table["identifier"]) == ["********1234", "********1234", "****"]
    assert list(table["topic"]) == ["BD01", "BD05", "BD01"]
    assert table["birth_date"].iloc[0] == "1985-03-05"
    assert table["retirement_date"].iloc[0] == _end_of_month(*retirement_by_stepping(1985, 3, "Nữ")).isoformat()


def test_level_summary_against_the_plan():
    rows = [
        dict(name="A", level="MN", degree="TC", topics="TC_DH"),
        dict(name="B", level="MN", degree="TC", topics="BD01"),
        dict(name="C", level="TH", degree="CĐ", topics="CD_DH", birth_date=None, birth_label=None),
        dict(name="D", level="TH", degree="ĐH", topics="BD01"),
    ]
    checks, _ = persons.check_persons(people(*rows), RULES)
    summary = persons.level_summary(checks, _reference().plan, RULES, YEAR).set_index("level")
    # The 2026 plan: TC→ĐH 89 (MN) + 10 (TH); CĐ→ĐH 344 (TH) + 197 (THCS).
    assert summary.loc["MN"].to_dict() == {"below_standard": 2, "in_scope": 2, "registered": 1, "registered_accepted": 1, "planned": 89, "plan_lines": "TC_DH 89"}
    assert summary.loc["TH"].to_dict() == {"below_standard": 1, "in_scope": 0, "registered": 1, "registered_accepted": 0, "planned": 354, "plan_lines": "TC_DH 10; CD_DH 344"}
    assert summary.loc["THCS", "planned"] == 197


def test_counts_and_roster_disagreeing_are_both_named():
    checks, _ = persons.check_persons(people(dict(name="A", topics="BD01"), dict(name="B", topics="BD01")), RULES)
    from_roster = persons.count_registrations(checks)
    form = pd.DataFrame({"year": [YEAR], "unit": ["Lê Chân"], "topic": ["BD01"], "level": ["MN"], "headcount": [3], "source_file": ["mau.xlsx"], "source_sheet": ["Đăng ký"], "source_cell": ["D7"]})
    issues = persons.compare_with_counts(from_roster, form)
    assert sorted(issues["file"]) == ["ds.xlsx", "mau.xlsx"]
    assert "ghi 3 người, danh sách cá nhân có 2 người" in issues["problem"].iloc[0]
    assert persons.compare_with_counts(from_roster, form.assign(headcount=2)).empty


# ---------------------------------------------------------------- reference data


def test_reference_schemas_refuse_broken_tables(inputs):
    folder = inputs / "reference"
    ages = folder / "retirement_ages.csv"
    ages.write_text(ages.read_text(encoding="utf-8").replace("ND135,Nữ,2030,58,4", "ND135,Nữ,2030,57,4"), encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="ages_never_fall"):
        read_person_reference(folder)
    shutil.copy(ROOT / "inputs" / "reference" / "retirement_ages.csv", ages)
    thresholds = folder / "nd71_thresholds.csv"
    thresholds.write_text(thresholds.read_text(encoding="utf-8").replace("MN,TC,CĐ,false,84", "MN,TC,CĐ,không,84"), encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="certificate_counts chỉ nhận true hoặc false"):
        read_person_reference(folder)
    shutil.copy(ROOT / "inputs" / "reference" / "nd71_thresholds.csv", thresholds)
    settings_path = folder / "person_settings.csv"
    text = settings_path.read_text(encoding="utf-8")
    settings_path.write_text(text.replace("nd71_schedule,ND135", "nd71_schedule,ND999"), encoding="utf-8")
    reference = _reference()
    problems = person_disagreements(read_person_reference(folder), reference.topics, reference.levels, reference.plan)
    assert problems == ["person_settings.csv: nd71_schedule = ND999, retirement_ages.csv có lộ trình này cho không giới nào, cần cho ['Nam', 'Nữ']"]
    settings_path.write_text("\n".join(line for line in text.splitlines() if not line.startswith("oldest_age")) + "\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="every_setting"):
        read_person_reference(folder)


# ---------------------------------------------------------------- helpers


def people(*overrides: dict) -> pd.DataFrame:
    """Roster rows (``RosterPerson``) of a woman born 05/03/1985, MN teacher with a trung cấp,
    registered for BD01 in ds.xlsx, rows from 10 on, each changed by ``overrides``."""
    rows = []
    for offset, override in enumerate(overrides):
        row = {
            "source_file": "ds.xlsx", "source_sheet": "DS", "source_row": 10 + offset, "year": YEAR,
            "unit_label": "Phường Lê Chân", "unit": "Lê Chân", "name": f"Người {offset}", "identifier": None,
            "birth_date": dt.date(1985, 3, 5), "birth_precision": "day", "birth_label": "05/03/1985",
            "sex": "Nữ", "sex_label": "Nữ", "school": "Trường Mầm non Hoa Sen", "level": "MN", "level_label": "Mầm non",
            "title": "GV", "title_label": "Giáo viên", "degree": "TC", "degree_label": "Trung cấp", "major": None,
            "is_teacher_training": None, "has_certificate": None, "certificate_label": None,
            "topics": "BD01", "topic_labels": "BD01", "unknown_topics": None,
        } | override
        number = row["source_row"]
        row |= {key: row.get(key, f"{letter}{number}") for key, letter in (("name_cell", "B"), ("birth_cell", "C"), ("sex_cell", "D"), ("level_cell", "F"), ("title_cell", "G"), ("degree_cell", "H"), ("topic_cell", "K"))}
        if row["birth_date"] is None:
            row["birth_precision"] = None
        rows.append(row)
    frame = pd.DataFrame(rows, columns=list(models.RosterPerson.to_schema().columns))
    frame = frame.astype({"year": "Int64", "is_teacher_training": "boolean", "has_certificate": "boolean"})
    return models.RosterPerson.validate(frame.assign(birth_date=pd.to_datetime(frame["birth_date"])))
