"""Benchmark of rosters: a whole city's teachers (30 000 people in 300 lists) through the roster
functions, as the run will chain them.

    python benchmarks/rosters.py [--lists 300] [--people 100] [--folder DIR]

Writes the lists as .xlsx files (title block, two-row header with the birth date under
"Nam"/"Nữ", a topic text column), then measures: reading every sheet with python-calamine
and cleaning the cells; ``read_roster`` on each; ``check_persons`` on everyone at once (the
duplicate check runs across all lists); the priority order, the counts, the rows of
persons.csv, the summary; writing the list workbook and persons.csv. Resolvers are built
from the shipped catalogue as the tests build them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

import xlsxwriter
from python_calamine import CalamineWorkbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import persons, validate  # noqa: E402
from pipeline.reference import read_person_reference, read_reference, units_of_year  # noqa: E402
from pipeline.ingest import roster  # noqa: E402
from pipeline.report import persons as report_persons  # noqa: E402

_SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
_MIDDLE = ["Thị", "Văn", "Minh", "Thu", "Ngọc", "Đức", "Thanh", "Hữu"]
_GIVEN = ["An", "Bình", "Chi", "Dung", "Giang", "Hà", "Hải", "Hoa", "Hùng", "Lan", "Linh", "Mai", "Nam", "Phương", "Quân", "Tâm", "Trang", "Yến"]
_LEVELS = [("Mầm non", "MN"), ("Tiểu học", "TH"), ("THCS", "THCS")]
_DEGREES = ["Trung cấp", "Cao đẳng", "Đại học", "Đại học", "Thạc sĩ"]
_TOPICS = ["BD01", "BD03", "BD04", "BD05"]


def write_lists(folder: Path, lists: int, people: int, units: list[str], seed: int = 17) -> list[Path]:
    generator = random.Random(seed)
    paths = []
    for number in range(lists):
        unit = units[number % len(units)]
        path = folder / f"danh_sach_{number:03d}.xlsx"
        book = xlsxwriter.Workbook(str(path))
        sheet = book.add_worksheet("Danh sách")
        sheet.merge_range(0, 0, 0, 11, "DANH SÁCH CÁN BỘ QUẢN LÝ, GIÁO VIÊN ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM 2026")
        sheet.write(1, 0, f"Đơn vị: {unit}")
        headers = ["STT", "Họ và tên", "Ngày sinh", None, "Trường", "Cấp học", "Chức vụ", "Trình độ đào tạo", "Chuyên ngành", "Chứng chỉ NVSP", "Nội dung đăng ký", "Số định danh cá nhân"]
        for column, header in enumerate(headers):
            if header is not None and column != 2:
                sheet.merge_range(3, column, 4, column, header)
        sheet.merge_range(3, 2, 3, 3, "Ngày sinh")
        sheet.write(4, 2, "Nam")
        sheet.write(4, 3, "Nữ")
        date_format = book.add_format({"num_format": "dd/mm/yyyy"})
        for offset in range(people):
            row = 5 + offset
            level_name, level = generator.choice(_LEVELS)
            female = generator.random() < 0.7
            birth = dt.date(generator.randint(1968, 2000), generator.randint(1, 12), generator.randint(1, 28))
            degree = generator.choice(_DEGREES)
            topics = generator.sample(_TOPICS, generator.randint(1, 2))
            # Those below the standard often register for the upgrade that starts from their degree.
            if degree == "Trung cấp" and level in ("MN", "TH") and generator.random() < 0.6:
                topics.append("TC_DH")
            elif degree == "Cao đẳng" and level in ("TH", "THCS") and generator.random() < 0.6:
                topics.append("CD_DH")
            name = f"{generator.choice(_SURNAMES)} {'Thị' if female else generator.choice(_MIDDLE)} {generator.choice(_GIVEN)} {number}-{offset}"
            sheet.write_number(row, 0, offset + 1)
            sheet.write_string(row, 1, name)
            typed = generator.random()
            column = 3 if female else 2
            if typed < 0.6:
                sheet.write_datetime(row, column, dt.datetime(birth.year, birth.month, birth.day), date_format)
            elif typed < 0.9:
                sheet.write_string(row, column, birth.strftime("%d/%m/%Y"))
            else:
                sheet.write_number(row, column, birth.year)
            sheet.write_string(row, 4, f"Trường {level_name} {unit}")
            sheet.write_string(row, 5, level_name)
            sheet.write_string(row, 6, "Hiệu trưởng" if generator.random() < 0.05 else "Giáo viên")
            sheet.write_string(row, 7, degree)
            sheet.write_string(row, 8, "Sư phạm" if generator.random() < 0.9 else "Kế toán")
            sheet.write_string(row, 9, generator.choice(["Có", "Không", ""]))
            sheet.write_string(row, 10, "; ".join(topics))
            sheet.write_string(row, 11, f"0311{number:04d}{offset:04d}")
        sheet.write(5 + people + 1, 8, "Hải Phòng, ngày 10 tháng 12 năm 2025")
        sheet.write(5 + people + 2, 1, "NGƯỜI LẬP BIỂU")
        book.close()
        paths.append(path)
    return paths


def _clean(value: object) -> object:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", type=int, default=300)
    parser.add_argument("--people", type=int, default=100)
    parser.add_argument("--folder", type=Path, default=None)
    options = parser.parse_args()

    reference = read_reference(ROOT / "inputs" / "reference")
    person_reference = read_person_reference(ROOT / "inputs" / "reference")
    rules = persons.prepare_rules(person_reference, reference.topics, reference.levels, reference.plan)
    vocabulary = roster.roster_vocabulary(person_reference)
    units = list(units_of_year(reference.units, 2026)["name"])
    resolve_topic, resolve_level, resolve_unit = validate.roster_resolvers(reference.vocabulary)

    with tempfile.TemporaryDirectory() as scratch:
        folder = options.folder or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        paths = write_lists(folder, options.lists, options.people, units)
        timings = {}

        start = time.perf_counter()
        grids = []
        for path in paths:
            book = CalamineWorkbook.from_path(str(path))
            sheet = book.get_sheet_by_name("Danh sách")
            grids.append((path.name, [[_clean(v) for v in row] for row in sheet.to_python(skip_empty_area=False)], sheet.merged_cell_ranges or []))
        timings["read cells (calamine) and clean"] = time.perf_counter() - start

        start = time.perf_counter()
        sheets = [roster.read_roster(rows, merged, "Danh sách", name, vocabulary, resolve_topic, resolve_level, resolve_unit) for name, rows, merged in grids]
        everyone, problems = roster.roster_tables(sheets)
        sheet_problems = len(problems)
        timings["read_roster, every sheet, and roster_tables"] = time.perf_counter() - start

        start = time.perf_counter()
        checks, issues = persons.check_persons(everyone, rules)
        timings["check_persons, everyone"] = time.perf_counter() - start

        start = time.perf_counter()
        ordered = persons.order_by_priority(checks, rules)
        counted = persons.count_registrations(checks)
        rows = persons.person_topics(checks)
        summary = persons.level_summary(checks, reference.plan, rules, 2026)
        timings["priority, counts, persons.csv rows, summary"] = time.perf_counter() - start

        start = time.perf_counter()
        report_persons.write_person_list(folder / "ca_nhan" / "danh_sach_nang_chuan_2026.xlsx", 2026, ordered, checks, summary, rules)
        report_persons.write_persons_csv(folder / "ca_nhan" / "persons.csv", rows)
        timings["write list workbook and persons.csv"] = time.perf_counter() - start

    total = sum(timings.values())
    print(f"{options.lists} lists, {len(everyone)} people, {sheet_problems} sheet problems, {len(issues)} person problems, "
          f"{int(checks['in_scope'].sum())} in scope, {len(counted)} registration rows, {int(counted['headcount'].sum())} registrations")
    for label, seconds in timings.items():
        print(f"  {label:<48} {seconds:7.2f} s")
    print(f"  {'total':<48} {total:7.2f} s")


if __name__ == "__main__":
    main()
