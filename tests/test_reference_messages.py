"""Broken reference data: each problem told as a data officer reads the CSV (its line, its
column, the value, what is expected), in Vietnamese, never as pandera's table."""

from __future__ import annotations

import csv
import io
import warnings
from pathlib import Path

import pytest

from pipeline.reference import ReferenceDataError, read_person_reference, read_reference

_PANDERA_WORDS = ("failure_case", "coerce_dtype", "greater_than", "column_in_dataframe", "index", "check")


def _problems(call, folder: Path) -> list[str]:
    # A warning is a check that will break with the next pandas (a text cell filled with a
    # number in a check of the whole row): an error here, before it becomes a crash.
    with warnings.catch_warnings(), pytest.raises(ReferenceDataError) as caught:
        warnings.simplefilter("error")
        call(folder)
    lines = str(caught.value).splitlines()
    assert not any(word in line for line in lines[1:] for word in _PANDERA_WORDS), lines  # the first names the file
    return lines


def _edit_csv(path: Path, edits: dict[tuple[int, str], str]) -> None:
    """Set cells by (line number as a text editor counts them, column name)."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    for (line, column), value in edits.items():
        rows[line - 1][rows[0].index(column)] = value
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def test_a_wrong_cell_is_named_by_its_line_and_column(inputs: Path):
    folder = inputs / "reference"
    _edit_csv(folder / "plan.csv", {(3, "MN"): "abc", (5, "TH"): "-3"})
    lines = _problems(read_reference, folder)
    assert lines == [
        f"Tệp dữ liệu tham chiếu {folder / 'plan.csv'} không hợp lệ:",
        '  dòng 3, cột MN: "abc" không phải một số nguyên',
        '  dòng 5, cột TH: "-3": phải từ 0 trở lên',
    ]


def test_missing_columns_are_each_named(inputs: Path):
    folder = inputs / "reference"
    header = (folder / "levels.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    (folder / "levels.csv").write_text("code,name\n", encoding="utf-8")
    lines = _problems(read_reference, folder)
    missing = [column for column in header if column not in ("code", "name")]
    assert len(missing) >= 3
    assert sorted(lines[1:]) == sorted(f"  dòng 1 (tên cột): thiếu cột {column}" for column in missing)


def test_a_check_of_a_whole_row_is_told_once_for_that_row(inputs: Path):
    folder = inputs / "reference"
    path = folder / "retirement_ages.csv"
    text = path.read_text(encoding="utf-8")
    line = next(number for number, row in enumerate(text.splitlines(), start=1) if row.startswith("ND135,Nữ,2030,58,4"))
    path.write_text(text.replace("ND135,Nữ,2030,58,4", "ND135,Nữ,2030,57,4"), encoding="utf-8")
    lines = _problems(read_person_reference, folder)
    assert lines[1:] == [f'  dòng {line}: không qua kiểm tra "ages_never_fall"']


@pytest.mark.parametrize(("column", "value"), [("from_year", "abc"), ("age_years", "sáu"), ("age_months", "2,5")])
def test_a_cell_that_is_no_number_is_told_once_not_again_by_a_check_of_its_row(inputs: Path, column: str, value: str):
    folder = inputs / "reference"
    path = folder / "retirement_ages.csv"
    line = next(number for number, row in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if row.startswith("ND135,Nam,2021,"))
    _edit_csv(path, {(line, column): value})
    lines = _problems(read_person_reference, folder)
    assert lines[1:] == [f'  dòng {line}, cột {column}: "{value}" không phải một số nguyên']


@pytest.mark.parametrize("value", ["-1", "0", "2025-13-01", "abc"])
def test_a_date_that_is_no_date_is_named_by_its_line_even_where_pandas_reads_it_as_a_number(inputs: Path, value: str):
    folder = inputs / "reference"
    _edit_csv(folder / "units.csv", {(3, "valid_from"): value})
    lines = _problems(read_reference, folder)
    assert lines[1:] == [f'  dòng 3, cột valid_from: "{value}" không phải một ngày (YYYY-MM-DD)']


@pytest.mark.parametrize(
    ("file", "column"),
    [("retirement_ages.csv", "age_years"), ("nd71_thresholds.csv", "months_required"), ("appendices.csv", "appendix"), ("plan.csv", "position"), ("programmes.csv", "years")],
)
def test_a_fraction_in_a_column_of_whole_numbers_is_refused_not_cut(inputs: Path, file: str, column: str):
    """pandera would turn 60.5 into 60 without a word: a different number, never guessed."""
    folder = inputs / "reference"
    path = folder / file
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    line = next(number for number, row in enumerate(rows[1:], start=2) if row[rows[0].index(column)].strip().isdigit())
    typed = rows[line - 1][rows[0].index(column)] + ".5"
    _edit_csv(path, {(line, column): typed})
    call = read_person_reference if file in ("retirement_ages.csv", "nd71_thresholds.csv", "programmes.csv") else read_reference
    lines = _problems(call, folder)
    assert lines[1:] == [f'  dòng {line}, cột {column}: "{typed}" không phải một số nguyên']


def _topic_name(folder: Path, code: str) -> str:
    rows = list(csv.DictReader(io.StringIO((folder / "topics.csv").read_text(encoding="utf-8"))))
    return next(row["name"] for row in rows if row["code"] == code)


@pytest.mark.parametrize(
    ("added", "spelling", "named"),
    [
        # An alias of one topic that is another topic's name, or its code: a programme never guessed.
        (lambda folder: [("topic", "TC_DH", _topic_name(folder, "TC_CD"))], lambda folder: _topic_name(folder, "TC_CD"), "TC_CD (topics.csv) và TC_DH (aliases.csv)"),
        (lambda folder: [("topic", "TC_DH", "TC_CD")], lambda folder: "TC_CD", "TC_CD (topics.csv) và TC_DH (aliases.csv)"),
        # Two aliases that differ only where the tone mark sits read as one label.
        (lambda folder: [("topic", "TC_DH", "Hoà nhập"), ("topic", "TC_CD", "Hòa nhập")], lambda folder: "Hoà nhập", "TC_DH (aliases.csv) và TC_CD (aliases.csv)"),
    ],
)
def test_a_name_that_would_read_as_two_topics_is_refused(inputs: Path, added, spelling, named):
    folder = inputs / "reference"
    with open(folder / "aliases.csv", "a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(added(folder))
    lines = _problems(read_reference, folder)
    assert lines == ["Dữ liệu tham chiếu không thống nhất:", f'"{spelling(folder)}" là tên gọi của hai nội dung khác nhau: {named}; mỗi tên chỉ được chỉ một nội dung']


def test_a_level_alias_that_is_another_levels_name_is_refused(inputs: Path):
    folder = inputs / "reference"
    rows = list(csv.DictReader(io.StringIO((folder / "levels.csv").read_text(encoding="utf-8"))))
    line = next(number for number, row in enumerate(rows, start=2) if row["code"] == "THCS")
    other = next(row["name"] for row in rows if row["code"] == "THPT")
    aliases = next(row["aliases"] for row in rows if row["code"] == "THCS")
    _edit_csv(folder / "levels.csv", {(line, "aliases"): f"{aliases}; {other}" if aliases else other})
    lines = _problems(read_reference, folder)
    assert lines[1:] == [f'"{other}" là tên gọi của hai cấp học khác nhau: THCS (levels.csv) và THPT (levels.csv); mỗi tên chỉ được chỉ một cấp học']


@pytest.mark.parametrize("alias", ["Kiến Thụy", "Xã Kiến Thuỵ"])
def test_a_unit_alias_that_is_another_units_name_that_year_is_refused(inputs: Path, alias: str):
    """Otherwise a file from Kiến Thụy would be booked to Nghi Dương, found exactly."""
    folder = inputs / "reference"
    with open(folder / "aliases.csv", "a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow(["unit", "Nghi Dương", alias])
    lines = _problems(read_reference, folder)
    assert len(lines) == 2 and lines[1].startswith(f'"Kiến Thụy" là tên của đơn vị Kiến Thụy (units.csv) và tên gọi khác "{alias}" của Nghi Dương (aliases.csv) trong cùng năm (2025–')


@pytest.mark.parametrize(("row", "line"), [
    # The spelling is shown as the table first writes it ("họ và tên", "trung cấp"), the codes in the order read.
    (["header", "birth_date", "Họ và Tên"], 'person_aliases.csv: "họ và tên" (header) chỉ cả name (person_aliases.csv) và birth_date (person_aliases.csv); mỗi cách viết chỉ được chỉ một mã'),
    (["degree", "CĐ", "Trung Cấp"], 'person_aliases.csv: "trung cấp" (degree) chỉ cả TC (person_aliases.csv) và CĐ (person_aliases.csv); mỗi cách viết chỉ được chỉ một mã'),
])
def test_a_spelling_of_the_lists_that_reads_as_two_codes_is_refused(inputs: Path, row: list[str], line: str):
    folder = inputs / "reference"
    with open(folder / "person_aliases.csv", "a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow(row)
    lines = _problems(read_reference, folder)
    assert line in lines[1:]


def test_a_column_heading_that_is_also_a_level_is_refused(inputs: Path):
    folder = inputs / "reference"
    rows = list(csv.DictReader(io.StringIO((folder / "levels.csv").read_text(encoding="utf-8"))))
    name = next(row["name"] for row in rows if row["code"] == "MN")
    with open(folder / "aliases.csv", "a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow(["header", "note", name.upper()])
    lines = _problems(read_reference, folder)
    assert lines[1:] == [f'"{name.upper()}" vừa là tiêu đề cột note (aliases.csv) vừa là tên gọi của cấp học MN (levels.csv: "{name}"); mỗi tên chỉ được chỉ một thứ']


@pytest.mark.parametrize("typed", ["An Dương ", " An Dương", "An  Dương"])
def test_a_unit_name_with_a_stray_space_is_refused(inputs: Path, typed: str):
    """A second unit that reads as the first: which one a file names could not be told."""
    folder = inputs / "reference"
    _edit_csv(folder / "units.csv", {(3, "name"): typed})
    lines = _problems(read_reference, folder)
    assert lines[1:] == [f'  dòng 3, cột name: "{typed}": không đúng dạng']


@pytest.mark.parametrize(("file", "line", "column"), [("topics.csv", 2, "name"), ("levels.csv", 2, "name"), ("levels.csv", 3, "header")])
def test_a_display_name_with_a_stray_space_is_refused(inputs: Path, file: str, line: int, column: str):
    folder = inputs / "reference"
    rows = list(csv.reader(io.StringIO((folder / file).read_text(encoding="utf-8"))))
    typed = rows[line - 1][rows[0].index(column)] + " "
    _edit_csv(folder / file, {(line, column): typed})
    lines = _problems(read_reference, folder)
    assert lines[1:] == [f'  dòng {line}, cột {column}: "{typed}": không đúng dạng']


def test_a_headcount_bound_below_a_figure_of_the_plan_is_refused(inputs: Path):
    # One cell may count a whole city's people of a topic and level ("Các trường THPT"):
    # a bound under the plan's largest figure would hold back true registrations.
    folder = inputs / "reference"
    plan = list(csv.DictReader(io.StringIO((folder / "plan.csv").read_text(encoding="utf-8"))))
    levels = ("MN", "TH", "THCS", "THPT", "GDTX", "GDNN")
    largest = max(int(row[level]) for row in plan for level in levels if row[level])
    over = [(row["year"], row["position"], level) for row in plan for level in levels if row[level] and int(row[level]) == largest]
    _edit_csv(folder / "limits.csv", {(2, "value"): str(largest - 1)})
    lines = _problems(read_reference, folder)
    assert lines[0] == "Dữ liệu tham chiếu không thống nhất:"
    assert lines[1:] == [
        f"limits.csv: largest_headcount = {largest - 1} nhỏ hơn số {largest} của kế hoạch (plan.csv: năm {year}, dòng {position}, cấp {level}); "
        "một ô số liệu có thể là số của cả thành phố, giới hạn phải lớn hơn"
        for year, position, level in over
    ]


@pytest.mark.parametrize(("typed", "says"), [("0", "phải từ 1 trở lên"), (str(2**40), "không được quá")])
def test_a_headcount_bound_that_is_no_count_or_could_overflow_is_refused(inputs: Path, typed: str, says: str):
    folder = inputs / "reference"
    _edit_csv(folder / "limits.csv", {(2, "value"): typed})
    lines = _problems(read_reference, folder)
    assert lines[0] == f"Tệp dữ liệu tham chiếu {folder / 'limits.csv'} không hợp lệ:"
    assert len(lines) == 2 and lines[1].startswith(f'  dòng 2, cột value: "{typed}"') and says in lines[1]
