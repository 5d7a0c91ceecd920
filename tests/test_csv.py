"""CSV outputs: the bytes pandas would write, with text that looks like a formula defused."""

from pathlib import Path

import numpy as np
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
