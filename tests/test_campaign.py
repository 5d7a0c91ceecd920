"""The registration campaign: who has sent, who has not, what each unit must fix.

A test campaign on the 2026 list: files written as offices write them (openpyxl,
a title block "Đơn vị: Phường Lê Chân", one a filled fill-in form), from part of
the units: some clean, some with problems, one late, one unit that sent a
corrected copy beside its first file, a compiled table naming three units (one
not in the list), a file naming no unit. The real CLI runs; the workbooks are
read back with openpyxl. Every expected status, count, problem and letter is
worked out here from the files this test wrote (``SENT``), never from the
pipeline's own tables.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from conftest import ROOT, convert_to_pdf, run_cli
from pipeline import campaign
from workbooks import write_rows, write_unit_file

YEAR = 2026
DEADLINE = dt.date(2025, 12, 15)
LEVELS = ["MN", "TH", "THCS", "THPT", "GDTX", "GDNN"]
AI = "Chuyển đổi số và ứng dụng toàn diện trí tuệ nhân tạo (AI) trong dạy và học"
STEM = "Thiết kế và triển khai giáo dục STEM/STEAM"
RESEARCH_TYPO = "Kỹ năng nghiên cứu khoa hoc sư phạm ứng dụng và sáng tạo trong giáo dụ"  # BD13 with two slips
RED = "FFC00000"


def _at(day: int, hour: int = 9, month: int = 12, year: int = 2025) -> dt.datetime:
    return dt.datetime(year, month, day, hour, 30)


# What this test sends. Per file: when it was last modified, the units it names and,
# per unit, the topics it books and the numbers typed; the problems planted, per unit
# as (cell, value shown, severity); whether the file has an error of its own.
SENT = {
    "2026/le_chan.xlsx": {"modified": _at(2), "units": {"Lê Chân": {AI: {"MN": 4, "TH": 6}, STEM: {"THCS": 3}}}},
    "2026/hong_bang.xlsx": {
        "modified": _at(4),
        "units": {"Hồng Bàng": {AI: {"MN": 4, "TH": 6, "THCS": 2}, STEM: {"MN": 1, "THCS": 3}}},
        # Text over a number, a negative number, a "Tổng số" that does not add up (a problem of the whole file).
        "problems": {"Hồng Bàng": [("C6", "mười", "lỗi"), ("E7", "-3", "lỗi"), ("D8", "7", "lỗi")]},
    },
    "2026/ngo_quyen.xlsx": {
        "modified": _at(5),
        "units": {"Ngô Quyền": {RESEARCH_TYPO: {"MN": 2}}},
        "problems": {"Ngô Quyền": [("B6", RESEARCH_TYPO, "cảnh báo")]},  # a typo read as BD13: a warning, accepted
    },
    "2026/gia_vien.xlsx": {"modified": _at(18, 16), "units": {"Gia Viên": {STEM: {"MN": 4, "THCS": 5}}}},  # late
    # Two files of one unit, different topics: one accepted, one held back; each told of the
    # other (their figures are added: a revision should have replaced the first).
    "2026/an_duong_ai.xlsx": {"modified": _at(7), "units": {"An Dương": {AI: {"TH": 11}}}, "problems": {"An Dương": [("", "an_duong_ai.xlsx", "cảnh báo")]}},
    "2026/an_duong_stem.xlsx": {
        "modified": _at(8),
        "units": {"An Dương": {STEM: {"TH": 1, "THCS": 2}}},
        "problems": {"An Dương": [("D6", "năm", "lỗi"), ("", "an_duong_stem.xlsx", "cảnh báo")]},
    },
    "2026/an_bien.xlsx": {
        "modified": _at(6),
        "units": {"An Biên": {AI: {"MN": 2.5}}},
        "problems": {"An Biên": [("C6", "2.5", "lỗi")]},  # fixed in the copy sent after: not for the letter
    },
    "2026/an_bien_ban_sua.xlsx": {"modified": _at(12), "units": {"An Biên": {AI: {"MN": 3, "TH": 2}}}},
    "2026/tong_hop_cum_hai_an.xlsx": {
        "modified": _at(10),
        "units": {"Hải An": {STEM: {"MN": 2, "TH": 3, "THCS": 1}}, "Kiến An": {STEM: {"MN": 1, "TH": -2, "THCS": 4}}},
        "problems": {"Kiến An": [("D5", "-2", "lỗi")], None: [("B6", "Phường Không Có Thật", "lỗi")]},
    },
    "2026/so_lieu_gui_lai.xlsx": {"modified": _at(11), "units": {}, "problems": {None: [("", "", "lỗi")]}},
    # The unit is named but no year: units are looked up in a year's list, so no unit either.
    "2026/le_chan_thieu_nam.xlsx": {"modified": _at(13), "units": {}, "problems": {None: [("", "", "lỗi")]}},
}
TEMPLATE_UNIT = "An Lão"  # sends the fill-in form, filled with two numbers
TEMPLATE_NUMBERS = [5, 7]
TEMPLATE_MODIFIED = _at(3)
COPY_UNIT, FIRST_COPY, CORRECTED_COPY = "An Biên", "2026/an_bien.xlsx", "2026/an_bien_ban_sua.xlsx"
EMAIL = {"Hồng Bàng": "hongbang@example.vn"}


# ---------------------------------------------------------------- the 2026 list, read here from units.csv


def _units_of_year(year: int) -> list[tuple[str, str]]:
    """(name, kind) of every unit valid on some day of ``year``, in the file's order."""
    start, end = f"{year}-01-01", f"{year}-12-31"
    with (ROOT / "inputs" / "reference" / "units.csv").open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if (row["valid_from"] or "0") <= end and (row["valid_to"] or "9") >= start]
    names = [row["name"] for row in rows]
    assert len(names) == len(set(names))
    return [(row["name"], row["type"]) for row in rows]


UNITS = _units_of_year(YEAR)


def _title(name: str, kind: str) -> str:
    return name if kind == "khối trường" else f"{kind[0].upper()}{kind[1:]} {name}"


TITLES = {name: _title(name, kind) for name, kind in UNITS}


def _slug(title: str) -> str:
    plain = unicodedata.normalize("NFD", title.replace("Đ", "D").replace("đ", "d"))
    return "".join(char for char in plain if not unicodedata.combining(char)).lower().replace(" ", "_")


# ---------------------------------------------------------------- writing the campaign


def _write_campaign(inputs: Path, tmp_path: Path) -> str:
    """Write every file of ``SENT`` and the filled form; returns the form's name under registrations/."""
    folder = inputs / "registrations" / str(YEAR)
    for file, sent in SENT.items():
        path = inputs / "registrations" / file
        if file == "2026/tong_hop_cum_hai_an.xlsx":
            rows = [[f"ĐĂNG KÝ BỒI DƯỠNG {STEM.upper()} NĂM {YEAR}"], [], ["STT", "Đơn vị", "MN", "TH", "THCS", "Ghi chú"]]
            for number, (unit, topics) in enumerate(sent["units"].items(), start=1):
                rows.append([number, TITLES[unit], *(topics[STEM][level] for level in ("MN", "TH", "THCS")), None])
            rows.append([3, "Phường Không Có Thật", 5, 5, 5, None])
            write_rows(path, rows)
        elif file == "2026/so_lieu_gui_lai.xlsx":
            write_rows(path, [[f"ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG NĂM {YEAR}"], [], ["TT", "Nội dung", "MN", "TH"], [1, AI, 3, 4]])
        elif file == "2026/le_chan_thieu_nam.xlsx":
            write_rows(path, [["ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG"], [f"Đơn vị: {TITLES['Lê Chân']}"], ["TT", "Nội dung", "MN", "TH"], [1, AI, 3, 4]], sheet="Đăng ký")
        else:
            (unit, topics), = sent["units"].items()
            write_unit_file(path, TITLES[unit], YEAR, list(topics.items()))
        if file in ("2026/hong_bang.xlsx", "2026/an_duong_stem.xlsx"):
            workbook = openpyxl.load_workbook(path)
            sheet = workbook.active
            if file == "2026/hong_bang.xlsx":
                sheet["C6"], sheet["E7"], sheet["D8"] = "mười", -3, 7  # "Tổng số" of TH: 6 on the rows
            else:
                sheet["D6"] = "năm"
            workbook.save(path)
        os.utime(path, (sent["modified"].timestamp(),) * 2)
    forms = tmp_path / "mau"
    made = run_cli("template", "--year", str(YEAR), "--unit", TITLES[TEMPLATE_UNIT], "--out", str(forms), "--inputs", str(inputs))
    assert made.returncode == 0, made.stderr
    (form,) = forms.glob("*.xlsx")
    workbook = openpyxl.load_workbook(form)
    sheet = workbook["Đăng ký"]
    open_cells = [cell for row in sheet.iter_rows(min_row=7, min_col=4, max_col=9) for cell in row if not cell.protection.locked]
    assert len(open_cells) > 2
    for cell, number in zip(open_cells, TEMPLATE_NUMBERS):
        cell.value = number
    workbook.save(folder / form.name)
    os.utime(folder / form.name, (TEMPLATE_MODIFIED.timestamp(),) * 2)
    return f"{YEAR}/{form.name}"


def _set_emails(inputs: Path) -> None:
    path = inputs / "reference" / "units.csv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert "email" in rows[0]
    for row in rows:
        if row["name"] in EMAIL and not row["valid_to"]:
            row["email"] = EMAIL[row["name"]]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


# ---------------------------------------------------------------- what must come out, worked out from SENT


def _expected(today: dt.date, sent: dict = SENT, template_file: str | None = None, deadline: dt.date | None = DEADLINE) -> dict[str, dict]:
    """Per unit of the list: status, files, problems in its letter, accepted headcount, late, overdue, copies."""
    files = {file: dict(spec) for file, spec in sent.items()}
    if template_file:
        files[template_file] = {"modified": TEMPLATE_MODIFIED, "units": {TEMPLATE_UNIT: {"form": dict(zip(LEVELS, TEMPLATE_NUMBERS))}}}
    # A file is held back by an error of its own, or when it books a topic its unit also books in another file.
    held = {file for file, spec in files.items() for problems in spec.get("problems", {}).values() if any(severity == "lỗi" for _, _, severity in problems)}
    topics_of = {(file, unit): set(topics) for file, spec in files.items() for unit, topics in spec["units"].items()}
    copies = {}
    for (file, unit), topics in topics_of.items():
        for (other, other_unit), other_topics in topics_of.items():
            if other != file and other_unit == unit and topics & other_topics:
                held.add(file)
                copies.setdefault(unit, set()).update({file, other})
    expected = {}
    for name, _ in UNITS:
        mine = sorted((file for file, spec in files.items() if name in spec["units"]), key=lambda f: (files[f]["modified"], f))
        removed = set()
        if name in copies:
            latest = max(copies[name], key=lambda f: files[f]["modified"])
            removed = copies[name] - {latest}
        letter = [problem for file in mine if file not in removed for problem in files[file].get("problems", {}).get(name, [])]
        accepted = [file for file in mine if file not in held]
        expected[name] = {
            "status": "chưa nộp" if not mine else "bị giữ lại" if any(file in held for file in mine) else "đã chấp nhận",
            "files": mine,
            "late": [file for file in mine if files[file]["modified"].date() > deadline] if deadline else [],
            "overdue": not mine and deadline is not None and today > deadline,
            "letter": letter,
            "headcount": sum(n for file in accepted for counts in files[file]["units"][name].values() for n in counts.values()),
            "removed": sorted(removed),
            "kept": sorted(copies.get(name, set()) - removed),
        }
    return expected


# ---------------------------------------------------------------- reading the outputs back


def _status_rows(path: Path) -> tuple[dict[str, int], list[dict], list[list], openpyxl.worksheet.worksheet.Worksheet]:
    sheet = openpyxl.load_workbook(path)["Tình hình nộp"]
    rows = list(sheet.iter_rows(values_only=True))
    counts_top = next(i for i, row in enumerate(rows) if row[0] == "Chỉ tiêu")
    counts = {}
    for row in rows[counts_top + 1 :]:
        if row[0] is None:
            break
        counts[row[0]] = row[2]
    header = next(i for i, row in enumerate(rows) if row[:2] == ("STT", "Đơn vị"))
    assert list(rows[header]) == ["STT", "Đơn vị", "Tệp đã nhận", "Sửa lần cuối", "Trạng thái", "Số vấn đề", "Số người được chấp nhận", "Ghi chú"]
    units = []
    for offset, row in enumerate(rows[header + 1 :], start=header + 2):
        if row[0] is None:
            break
        units.append({"row": offset, "values": row, "fonts": [sheet.cell(offset, column).font for column in range(1, 9)]})
    rest = [list(row) for row in rows[header + 1 + len(units) :]]
    return counts, units, rest, sheet


def _letter_problems(path: Path) -> tuple[list[list], list[tuple[str, str, str, str, str]]]:
    sheet = openpyxl.load_workbook(path)["Phản hồi"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = next(i for i, row in enumerate(rows) if row[:2] == ["STT", "Vị trí trong tệp"])
    problems = []
    for row in rows[header + 1 :]:
        if not isinstance(row[0], (int, float)):
            break
        problems.append(tuple(row[1:6]))
    return rows, problems


def _texts(rows: list[list]) -> str:
    return "\n".join(str(value) for row in rows for value in row if value is not None)


def _run(inputs: Path, outputs: Path, period: str, *options: str) -> subprocess.CompletedProcess:
    result = run_cli("run", "--inputs", str(inputs), "--outputs", str(outputs), "--period", period, "--quiet", *options)
    assert result.returncode in (0, 1), result.stderr
    return result


# ---------------------------------------------------------------- the campaign, end to end


@pytest.fixture(scope="module")
def first_run(tmp_path_factory) -> tuple[Path, Path, dict]:
    tmp_path = tmp_path_factory.mktemp("campaign")
    inputs = tmp_path / "inputs"
    shutil.copytree(ROOT / "inputs" / "reference", inputs / "reference")
    (inputs / "registrations" / str(YEAR)).mkdir(parents=True)
    _set_emails(inputs)
    template_file = _write_campaign(inputs, tmp_path)
    outputs = tmp_path / "outputs"
    result = _run(inputs, outputs, "2025-12", "--deadline", DEADLINE.isoformat())
    assert result.returncode == 1  # some files are held back
    return inputs, outputs / "2025-12", _expected(dt.date.today(), template_file=template_file)


def test_status_sheet_lists_every_unit_of_the_year_with_its_status(first_run):
    _, folder, expected = first_run
    assert len(UNITS) == 115
    counts, units, _, _ = _status_rows(folder / f"tinh_hinh_nop_{YEAR}.xlsx")

    assert [row["values"][1] for row in units] == [TITLES[name] for name, _ in UNITS]
    assert [row["values"][0] for row in units] == list(range(1, 116))
    labels = {"chưa nộp": "Chưa nộp", "bị giữ lại": "Bị giữ lại", "đã chấp nhận": "Đã chấp nhận"}
    for row, (name, _) in zip(units, UNITS):
        want = expected[name]
        values = row["values"]
        assert values[4] == labels[want["status"]] + (" (quá hạn)" if want["overdue"] else ""), name
        listed = [line.removesuffix(" (muộn)") for line in (values[2] or "").split("\n") if line]
        assert listed == want["files"], name
        assert len(values[3].split("\n")) == len(want["files"]) if want["files"] else values[3] in (None, "")
        if want["status"] == "chưa nộp":
            assert values[5] is None and values[6] is None
        else:
            assert values[5] == len(want["letter"]), name
            assert values[6] == want["headcount"], name
    received = [name for name, _ in UNITS if expected[name]["status"] != "chưa nộp"]
    assert len(received) == 9
    assert counts == {
        "Số đơn vị trong danh sách": 115,
        "Đã nộp": 9,
        "Đã chấp nhận": sum(expected[name]["status"] == "đã chấp nhận" for name, _ in UNITS),
        "Bị giữ lại": sum(expected[name]["status"] == "bị giữ lại" for name, _ in UNITS),
        "Chưa nộp": 106,
        "Có tệp nộp muộn": 1,
        "Quá hạn chưa nộp": sum(expected[name]["overdue"] for name, _ in UNITS),
        "Tệp không xác định được đơn vị": 3,
    }
    assert counts["Đã chấp nhận"] == 4 and counts["Bị giữ lại"] == 5 and counts["Quá hạn chưa nộp"] == 106
    assert expected["An Dương"]["status"] == "bị giữ lại" and expected["An Dương"]["headcount"] == 11


def test_counts_are_drawn_as_a_bar_chart_of_the_count_cells(first_run):
    _, folder, _ = first_run
    path = folder / f"tinh_hinh_nop_{YEAR}.xlsx"
    with zipfile.ZipFile(path) as archive:
        charts = [name for name in archive.namelist() if name.startswith("xl/charts/chart")]
        assert len(charts) == 1
        xml = archive.read(charts[0]).decode("utf-8")
    assert "<c:barChart>" in xml
    values = re.search(r"<c:val><c:numRef><c:f>'Tình hình nộp'!\$C\$(\d+):\$C\$(\d+)</c:f>", xml)
    labels = re.search(r"<c:cat>.*?<c:f>'Tình hình nộp'!\$A\$(\d+):\$A\$(\d+)</c:f>", xml, re.S)
    assert values and labels and values.groups() == labels.groups()
    sheet = openpyxl.load_workbook(path)["Tình hình nộp"]
    first, last = map(int, values.groups())
    drawn = {sheet.cell(row, 1).value: sheet.cell(row, 3).value for row in range(first, last + 1)}
    assert drawn == {"Số đơn vị trong danh sách": 115, "Đã nộp": 9, "Đã chấp nhận": 4, "Bị giữ lại": 5, "Chưa nộp": 106}


def test_late_files_and_units_missing_past_the_deadline_are_red(first_run):
    _, folder, expected = first_run
    _, units, _, _ = _status_rows(folder / f"tinh_hinh_nop_{YEAR}.xlsx")
    late = [name for name, _ in UNITS if expected[name]["late"]]
    assert late == ["Gia Viên"]
    for row, (name, _) in zip(units, UNITS):
        colours = [font.color.rgb if font.color is not None else None for font in row["fonts"]]
        if expected[name]["overdue"]:
            assert colours[1] == colours[4] == RED, name
            assert "Quá hạn" in row["values"][7]
        elif expected[name]["late"]:
            assert colours[2] == colours[3] == RED and colours[4] != RED
            assert row["values"][2] == "2026/gia_vien.xlsx (muộn)"
            assert "Nộp muộn" in row["values"][7] and "15/12/2025" in row["values"][7]
        else:
            assert RED not in colours, name


def test_the_unit_that_sent_a_corrected_copy_is_told_which_file_to_remove(first_run):
    _, folder, expected = first_run
    _, units, _, _ = _status_rows(folder / f"tinh_hinh_nop_{YEAR}.xlsx")
    want = expected[COPY_UNIT]
    assert want["removed"] == [FIRST_COPY] and want["kept"] == [CORRECTED_COPY]
    (row,) = [row for row in units if row["values"][1] == TITLES[COPY_UNIT]]
    note = row["values"][7]
    assert f"xóa tệp \"{FIRST_COPY}\" (bản gửi trước" in note
    assert f"giữ tệp \"{CORRECTED_COPY}\"" in note
    assert row["values"][4] == "Bị giữ lại" and row["values"][5] == 0
    notes = [row["values"][7] for row in units if row["values"][1] != TITLES[COPY_UNIT]]
    assert not any("xóa tệp" in (text or "") for text in notes)


def test_each_unit_with_problems_gets_exactly_its_own_problems(first_run):
    _, folder, expected = first_run
    letters = folder / "phan_hoi" / str(YEAR)
    with_problems = [name for name, _ in UNITS if expected[name]["letter"]]
    assert sorted(with_problems) == sorted(["Hồng Bàng", "Ngô Quyền", "Kiến An", "An Dương"])
    assert sorted(path.name for path in letters.glob("*.xlsx")) == sorted(f"{_slug(TITLES[name])}.xlsx" for name in with_problems)
    others = [TITLES[name] for name, _ in UNITS if expected[name]["files"]]
    today = dt.date.today()
    for name in with_problems:
        rows, problems = _letter_problems(letters / f"{_slug(TITLES[name])}.xlsx")
        text = _texts(rows)
        assert f"Kính gửi: {TITLES[name]}" in text
        assert f"ngày {today:%d} tháng {today:%m} năm {today:%Y}" in text
        for file in expected[name]["files"]:
            assert f"Tệp \"{file.removeprefix(f'{YEAR}/')}\" (sửa lần cuối lúc {SENT[file]['modified']:%H:%M ngày %d/%m/%Y})" in text
        assert not [title for title in others if title != TITLES[name] and title in text], name
        got = sorted((where.split("\nô ")[-1] if "\nô " in where else "", value, severity) for where, value, severity, _, _ in problems)
        want = sorted((cell, value, {"lỗi": "Lỗi", "cảnh báo": "Cảnh báo"}[severity]) for cell, value, severity in expected[name]["letter"])
        assert got == want, name
        for where, _, _, problem, fix in problems:
            place = where.split("\n", 1)[1] if where.startswith("Tệp \"") else where  # the file named first when the letter covers several
            assert (place.startswith("Trang \"") or place == "(cả tệp)") and problem and fix
    assert expected["Kiến An"]["files"] == ["2026/tong_hop_cum_hai_an.xlsx"]


def test_nothing_is_written_for_units_with_nothing_to_fix(first_run):
    _, folder, expected = first_run
    letters = {path.stem for path in (folder / "phan_hoi" / str(YEAR)).glob("*.xlsx")}
    clean = [name for name, _ in UNITS if expected[name]["files"] and not expected[name]["letter"]]
    assert sorted(clean) == sorted(["Lê Chân", "An Lão", "Gia Viên", "An Biên", "Hải An"])
    assert not letters & {_slug(TITLES[name]) for name in clean}
    assert len(letters) == 4


def test_files_without_a_unit_are_listed_not_dropped(first_run):
    _, folder, _ = first_run
    _, _, rest, _ = _status_rows(folder / f"tinh_hinh_nop_{YEAR}.xlsx")
    start = next(i for i, row in enumerate(rest) if row[0] and str(row[0]).startswith("TỆP KHÔNG XÁC ĐỊNH ĐƯỢC ĐƠN VỊ"))
    listed = {row[2]: row for row in rest[start + 2 :] if row[0]}
    assert set(listed) == {"2026/so_lieu_gui_lai.xlsx", "2026/tong_hop_cum_hai_an.xlsx", "2026/le_chan_thieu_nam.xlsx"}
    assert all(row[1] == "Không xác định được đơn vị" and row[5] == 1 for row in listed.values())


def test_mail_merge_list_names_each_letter(first_run):
    _, folder, expected = first_run
    with (folder / "phan_hoi" / str(YEAR) / "gui_thu.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with_problems = [name for name, _ in UNITS if expected[name]["letter"]]
    assert [row["don_vi"] for row in rows] == [TITLES[name] for name in with_problems]
    for row, name in zip(rows, with_problems):
        assert row["email"] == EMAIL.get(name, "")
        assert row["tep_dinh_kem"] == f"{_slug(TITLES[name])}.xlsx"
        assert TITLES[name] in row["tieu_de"] and str(YEAR) in row["tieu_de"] and "\n" not in row["tieu_de"]


def test_submissions_csv_holds_the_same_status(first_run):
    _, folder, expected = first_run
    with (folder / "data" / "submissions.csv").open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["year"] == str(YEAR)]
    units = [row for row in rows if row["unit"]]
    assert [row["unit"] for row in units] == [name for name, _ in UNITS]
    for row in units:
        want = expected[row["unit"]]
        assert row["status"] == want["status"]
        assert (row["files"].split("; ") if row["files"] else []) == want["files"]
        assert (row["late_files"].split("; ") if row["late_files"] else []) == want["late"]
        assert (row["remove"].split("; ") if row["remove"] else []) == want["removed"]
        assert int(row["problems"]) == len(want["letter"]) and row["is_overdue"] == str(want["overdue"])
        if want["status"] != "chưa nộp":
            assert int(row["headcount"]) == want["headcount"]
    assert sorted(row["files"] for row in rows if not row["unit"]) == ["2026/le_chan_thieu_nam.xlsx", "2026/so_lieu_gui_lai.xlsx", "2026/tong_hop_cum_hai_an.xlsx"]


def test_comparison_with_the_plan_states_how_many_units_it_covers(first_run):
    _, folder, expected = first_run
    sheet = openpyxl.load_workbook(folder / f"dang_ky_{YEAR}_kinh_phi.xlsx")["So với kế hoạch"]
    received = sum(expected[name]["status"] != "chưa nộp" for name, _ in UNITS)
    lines = [cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str) and "đơn vị đã nộp" in cell.value]
    assert len(lines) == 1
    assert f"{received}/115 đơn vị đã nộp" in lines[0]
    assert "106 đơn vị chưa nộp, không được tính là 0" in lines[0]


def test_month_over_month_names_units_that_answered_or_were_fixed(first_run, tmp_path: Path):
    inputs_before, folder_before, _ = first_run
    inputs = tmp_path / "inputs"
    shutil.copytree(inputs_before, inputs)
    outputs = tmp_path / "outputs"
    shutil.copytree(folder_before.resolve(), outputs / "2025-12")
    # The officer removes the first copy, the ward fixes its file, one more unit answers;
    # this time the deadline comes from the reference data, and 2027 is named before any file.
    (inputs / "registrations" / FIRST_COPY).unlink()
    fixed = write_unit_file(inputs / "registrations" / "2026/hong_bang.xlsx", TITLES["Hồng Bàng"], YEAR, [(AI, {"MN": 4, "TH": 6})])
    os.utime(fixed, (_at(5, month=1, year=2026).timestamp(),) * 2)
    new = write_unit_file(inputs / "registrations" / "2026/dong_hai.xlsx", TITLES["Đông Hải"], YEAR, [(STEM, {"THCS": 8})])
    os.utime(new, (_at(6, month=1, year=2026).timestamp(),) * 2)
    (inputs / "reference" / "deadlines.csv").write_text(f"year,deadline,source\n{YEAR},{DEADLINE.isoformat()},Công văn đề nghị đăng ký (thử nghiệm)\n", encoding="utf-8")

    _run(inputs, outputs, "2026-01", "--year", "2027")

    workbook = openpyxl.load_workbook(outputs / "2026-01" / f"tinh_hinh_nop_{YEAR}.xlsx")
    changes = [row for row in workbook["So với kỳ trước"].iter_rows(min_row=2, values_only=True)]
    assert sorted((row[1], row[2], row[3]) for row in changes) == sorted(
        [
            (TITLES["Hồng Bàng"], "Bị giữ lại", "Đã chấp nhận"),
            (TITLES[COPY_UNIT], "Bị giữ lại", "Đã chấp nhận"),
            (TITLES["Đông Hải"], "Chưa nộp", "Đã chấp nhận"),
        ]
    )
    assert {row[1]: row[4] for row in changes}[TITLES["Đông Hải"]] == "Mới nộp từ kỳ trước"
    # The change report of the refresh says the same, on the summary's sheet "Thay đổi nộp".
    summary = openpyxl.load_workbook(outputs / "2026-01" / "tong_hop_2026_2030.xlsx")["Thay đổi nộp"]
    reported = {row[1]: row[2] for row in summary.iter_rows(min_row=2, values_only=True)}
    assert reported == {
        TITLES["Hồng Bàng"]: "Kỳ trước bị giữ lại, nay được chấp nhận",
        TITLES[COPY_UNIT]: "Kỳ trước bị giữ lại, nay được chấp nhận",
        TITLES["Đông Hải"]: "Mới nộp từ kỳ trước",
    }
    assert "Hạn nộp: 15/12/2025 (theo Công văn đề nghị đăng ký (thử nghiệm))" in workbook["Tình hình nộp"]["A2"].value
    _, units, _, _ = _status_rows(outputs / "2026-01" / f"tinh_hinh_nop_{YEAR}.xlsx")
    late = {row["values"][1] for row in units if row["values"][2] and "(muộn)" in row["values"][2]}
    assert late == {TITLES["Gia Viên"], TITLES["Hồng Bàng"], TITLES["Đông Hải"]}
    assert not (outputs / "2026-01" / "phan_hoi" / str(YEAR) / f"{_slug(TITLES['Hồng Bàng'])}.xlsx").exists()

    counts, units_2027, _, _ = _status_rows(outputs / "2026-01" / "tinh_hinh_nop_2027.xlsx")
    assert len(units_2027) == len(_units_of_year(2027)) == 115
    assert {row["values"][4] for row in units_2027} == {"Chưa nộp"}  # no deadline for 2027: nobody overdue
    assert counts["Đã nộp"] == 0 and counts["Quá hạn chưa nộp"] == 0


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdfinfo")), reason="needs LibreOffice and poppler-utils")
def test_a_letter_with_a_few_problems_prints_on_one_portrait_page(first_run, tmp_path: Path):
    _, folder, _ = first_run
    pdf = convert_to_pdf(folder / "phan_hoi" / str(YEAR) / f"{_slug(TITLES['Hồng Bàng'])}.xlsx", tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:"))) == 1
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert width < height  # portrait, like a letter


# ---------------------------------------------------------------- the rules, on small tables


def _booked(rows: list[tuple]) -> pd.DataFrame:
    """``campaign.summarise_booked`` of some booked cells, each on a row of its own."""
    cells = pd.DataFrame(rows, columns=["source_file", "source_sheet", "source_cell", "year", "unit", "topic", "level", "headcount"])
    per_row = pd.DataFrame(
        {"file": cells["source_file"], "sheet": cells["source_sheet"], "row": [int(cell[1:]) for cell in cells["source_cell"]], "year": cells["year"], "unit": cells["unit"], "headcount": cells["headcount"]}
    )
    return campaign.summarise_booked(per_row, cells)


def test_copies_modified_at_the_same_moment_are_not_chosen_between():
    rows = _booked([("a.xlsx", "S", "C6", 2026, "Lê Chân", "BD01", "MN", 1), ("b.xlsx", "S", "C6", 2026, "Lê Chân", "BD01", "MN", 2)])
    moment = dt.datetime(2025, 12, 1, 8)
    files = pd.DataFrame({"file": ["a.xlsx", "b.xlsx"], "status": ["bị từ chối"] * 2, "modified": [moment, moment]})
    per_unit = campaign.unit_files(rows, files, 2026)
    assert per_unit["action"].tolist() == [campaign.UNDECIDED] * 2
    later = files.assign(modified=[moment, moment + dt.timedelta(minutes=1)])
    assert campaign.unit_files(rows, later, 2026)["action"].tolist() == [campaign.REMOVE_FILE, campaign.KEEP]


def test_a_problem_off_the_rows_of_a_compiled_table_goes_to_every_unit_it_lists():
    rows = _booked([("t.xlsx", "S", "C5", 2026, "Hải An", "BD05", "MN", 1), ("t.xlsx", "S", "C6", 2026, "Kiến An", "BD05", "MN", 2)])
    issues = pd.DataFrame(
        {"file": ["t.xlsx"] * 3, "sheet": ["S"] * 3, "cell": ["C4", "C6", ""], "value": [""] * 3, "problem": ["p"] * 3, "fix": ["f"] * 3, "severity": ["lỗi"] * 3}
    )
    attributed = campaign.attribute_issues(issues, rows)
    assert list(zip(attributed["cell"], attributed["unit"])) == [("C4", "Hải An"), ("C4", "Kiến An"), ("C6", "Kiến An"), ("", "Hải An"), ("", "Kiến An")]
