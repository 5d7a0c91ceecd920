"""CSV outputs: the bytes pandas would write, with text that looks like a formula defused."""

import io
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

from pipeline import report


def test_csv_is_what_pandas_writes_with_formulas_defused(tmp_path: Path):
    frame = pd.DataFrame(
        {
            "float": [1.0, np.nan, 2.5, 0.1, 1e20, 1e-7, -0.0],
            "nullable": pd.array([1, None, 3, 4, 5, 6, 7], dtype="Int64"),
            "text": ["=HYPERLINK(\"x\")", None, "-3", 'nói "có", được', "hai\ndòng", "Xã An Lão", "@cmd"],
            "flag": [True, False, True, True, False, True, False],
            "str": pd.Series(["x", np.nan, "y", "", " cách", "c,d", "ư"], dtype="str"),
            "int": [1, 2, 3, 4, 5, 6, 7],
            "mixed": [None, "a", 3, 4.5, "b", "+84 912", "d"],
        }
    )
    report.write_csv(tmp_path / "new.csv", frame)
    expected = frame.assign(
        text=["'=HYPERLINK(\"x\")", None, "-3", 'nói "có", được', "hai\ndòng", "Xã An Lão", "'@cmd"]
    )
    expected.to_csv(tmp_path / "pandas.csv", index=False, encoding="utf-8", lineterminator="\n")
    assert (tmp_path / "new.csv").read_bytes() == (tmp_path / "pandas.csv").read_bytes()
    assert pd.read_csv(tmp_path / "new.csv")["text"].tolist()[-1] == "'@cmd"


def test_csv_of_an_empty_table_has_its_header(tmp_path: Path):
    report.write_csv(tmp_path / "empty.csv", pd.DataFrame({"year": pd.Series([], dtype=int), "unit": pd.Series([], dtype="str")}))
    assert (tmp_path / "empty.csv").read_text(encoding="utf-8") == "year,unit\n"


def test_csv_of_dates_falls_back_to_pandas(tmp_path: Path):
    frame = pd.DataFrame({"day": pd.to_datetime(["2025-07-01", None]), "name": ["=a", "b"]})
    report.write_csv(tmp_path / "dates.csv", frame)
    assert (tmp_path / "dates.csv").read_text(encoding="utf-8") == "day,name\n2025-07-01,'=a\n,b\n"


import csv  # noqa: E402

import pytest  # noqa: E402


@pytest.mark.parametrize("first", ["=", "+", "-", "@", "\t", "\r"])
def test_every_character_that_starts_a_formula_is_defused(tmp_path: Path, first: str):
    text = f"{first}SUM(A1:A9)"
    report.write_csv(tmp_path / "guarded.csv", pd.DataFrame({"value": [text, "-12", "+84 912 345 678", "Xã An Lão"]}))
    with open(tmp_path / "guarded.csv", encoding="utf-8", newline="") as handle:
        read = [row[0] for row in csv.reader(handle)][1:]
    assert read[0] == "'" + text.replace("\r", "\n")  # shown as text by a spreadsheet program (a line break stays one)
    assert read[1:] == ["-12", "+84 912 345 678", "Xã An Lão"]  # what reads as a number stays as typed


def _as_pandas_writes(frame: pd.DataFrame) -> bytes:
    """The registrations as pandas writes them, the formula guard applied here by hand."""
    shown = frame.assign(**{column: frame[column].map(lambda text: "'" + text if text[:1] in "=+-@" else text) for column in ("source_file", "source_sheet")})
    return shown.to_csv(index=False, lineterminator="\n").encode("utf-8")


def test_registrations_csv_joined_file_by_file_is_what_pandas_writes_for_the_table(inputs: Path, tmp_path: Path):
    """``data/registrations.csv`` is joined from each file's lines, made when the file was
    checked and kept in the cache: the bytes pandas writes for the run's registrations, in a
    cold run and in a rerun after one file changed; a rejected file's lines are left out, and
    the people a list counts come last. Names needing quotes or a guard on the way."""
    from pipeline import runner
    from test_roster import _school_list
    from workbooks import write_unit_file

    stem = "Thiết kế và triển khai giáo dục STEM/STEAM"
    folder = inputs / "registrations" / "2026"
    write_unit_file(folder / 'a "Lê Chân", bản 2.xlsx', "Phường Ngô Quyền", 2026, [(stem, {"MN": 3, "TH": 2})])
    write_unit_file(folder / "b_sai.xlsx", "Phường Hồng Bàng", 2026, [(stem, {"MN": 3, "TH": -2})])  # rejected: a negative figure
    _school_list(folder / "c_danh_sach.xlsx")  # people counted into the registrations, after every file's rows
    renamed = inputs / "registrations" / "-d.xlsx"  # its title names the year
    write_unit_file(renamed, "Xã An Lão", 2026, [(stem, {"THCS": 4, "GDNN": 1})])
    workbook = openpyxl.load_workbook(renamed)
    workbook["Đăng ký"].title = "=Đăng ký, 2026"
    workbook.save(renamed)
    outputs = tmp_path / "outputs"

    cold = runner.run(inputs, outputs, "2026-12")
    assert cold.exit_code == 1  # the rejected file
    written = (outputs / "2026-12" / "data" / "registrations.csv").read_bytes()
    assert written == _as_pandas_writes(cold.registrations)
    rows = list(csv.DictReader(io.StringIO(written.decode("utf-8"))))
    assert {row["source_file"] for row in rows} == {'2026/a "Lê Chân", bản 2.xlsx', "2026/c_danh_sach.xlsx", "'-d.xlsx"}
    assert rows[-1]["source_file"] == "2026/c_danh_sach.xlsx" and {row["source_sheet"] for row in rows} >= {"'=Đăng ký, 2026"}
    assert sum(int(row["headcount"]) for row in rows if row["source_file"] != "2026/c_danh_sach.xlsx") == 3 + 2 + 4 + 1

    write_unit_file(folder / "b_sai.xlsx", "Phường Hồng Bàng", 2026, [(stem, {"MN": 3, "TH": 2})])  # corrected
    again = runner.run(inputs, outputs, "2026-12")
    assert again.exit_code == 1  # some people of the list are held back
    written = (outputs / "2026-12" / "data" / "registrations.csv").read_bytes()
    assert written == _as_pandas_writes(again.registrations)
    corrected = written.count(b"2026/b_sai.xlsx")
    assert corrected >= 2 and len(again.registrations) == len(cold.registrations) + corrected
