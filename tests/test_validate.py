"""Validate: one test per rule; a rejected file holds back all its numbers, good files go on."""

from pathlib import Path

import openpyxl

from conftest import run_cli
from pipeline import ingest, validate
from plan_2024 import APPENDICES
from workbooks import write_compiled_appendix, write_unit_file


def _check(inputs: Path):
    reference = ingest.read_reference(inputs / "reference")
    cells, files, read_issues = ingest.read_registrations(inputs / "registrations", reference)
    return validate.check_registrations(cells, files, read_issues, reference)


def _edit(path: Path, **cells):
    workbook = openpyxl.load_workbook(path)
    for address, value in cells.items():
        workbook.active[address] = value
    workbook.save(path)


def test_clean_file_is_accepted(inputs: Path):
    write_compiled_appendix(inputs / "registrations" / "pl3.xlsx", 3)
    registrations, issues, files = _check(inputs)
    assert issues.empty
    assert files[["status", "rows", "headcount"]].values.tolist() == [["chấp nhận", 14, 55]]
    assert registrations["headcount"].sum() == 55


def test_numbers_typed_as_text(inputs: Path):
    appendix = dict(APPENDICES[5])
    appendix["rows"] = [("An Lão", "1.192"), ("Cát Hải", "1 008"), ("Đồ Sơn", " 7 ")]
    appendix["totals"] = (2207,)
    write_compiled_appendix(inputs / "registrations" / "pl5.xlsx", 5, appendix)
    registrations, issues, _ = _check(inputs)
    assert issues.empty
    assert registrations["headcount"].tolist() == [1192, 1008, 7]


def test_bad_numbers_are_each_named(inputs: Path):
    path = write_compiled_appendix(inputs / "registrations" / "pl5.xlsx", 5)
    _edit(path, C8=-2, C9=2.5, C10="mười")  # An Dương, An Lão, Cát Hải
    registrations, issues, files = _check(inputs)
    by_cell = {cell: problem for cell, problem in zip(issues["cell"], issues["problem"])}
    assert "số âm" in by_cell["C8"]
    assert "không phải là số nguyên" in by_cell["C9"]
    assert "không phải là số" in by_cell["C10"] and issues.set_index("cell").loc["C10", "value"] == "mười"
    assert files["status"].tolist() == ["bị từ chối"]
    assert registrations.empty


def test_unknown_unit_gets_suggestions(inputs: Path):
    path = write_compiled_appendix(inputs / "registrations" / "pl6.xlsx", 6)
    _edit(path, B9="An Lảo", B10="Hải Phòng")
    _, issues, _ = _check(inputs)
    errors = issues[issues["cell"].isin(["B9", "B10"])].set_index("cell")
    assert "An Lão" in errors.loc["B9", "fix"]
    assert errors.loc["B10", "value"] == "Hải Phòng"
    assert "không có trong danh sách đơn vị năm 2024" in errors.loc["B10", "problem"]


def test_total_row_must_add_up(inputs: Path):
    path = write_compiled_appendix(inputs / "registrations" / "pl6.xlsx", 6)
    _edit(path, C22=160)
    _, issues, files = _check(inputs)
    assert issues[["cell", "value"]].values.tolist() == [["C22", "160"]]
    assert "161" in issues["problem"].iloc[0]
    assert files["status"].tolist() == ["bị từ chối"]


def test_level_that_does_not_apply(inputs: Path):
    write_unit_file(inputs / "registrations" / "le_chan.xlsx", "Lê Chân", 2026, [("Đào tạo nâng trình độ chuẩn từ cao đẳng lên đại học", {"TH": 2, "THPT": 3})])
    _, issues, _ = _check(inputs)
    assert issues[["cell", "severity"]].values.tolist() == [["F6", "lỗi"]]
    assert "không áp dụng cho cấp học THPT" in issues["problem"].iloc[0]


def test_same_numbers_sent_twice_hold_back_both_files(inputs: Path):
    write_compiled_appendix(inputs / "registrations" / "a.xlsx", 2)
    write_compiled_appendix(inputs / "registrations" / "b.xlsx", 2)
    write_compiled_appendix(inputs / "registrations" / "c.xlsx", 3)
    registrations, issues, files = _check(inputs)
    assert set(issues["file"]) == {"a.xlsx", "b.xlsx"}
    assert files.set_index("file")["status"].to_dict() == {"a.xlsx": "bị từ chối", "b.xlsx": "bị từ chối", "c.xlsx": "chấp nhận"}
    assert registrations["headcount"].sum() == 55  # only appendix 3


def test_rejected_input_gives_exit_code_1_and_outputs_from_the_rest(inputs: Path, tmp_path: Path):
    write_compiled_appendix(inputs / "registrations" / "pl3.xlsx", 3)
    path = write_compiled_appendix(inputs / "registrations" / "pl6.xlsx", 6)
    _edit(path, C9=-1)
    outputs = tmp_path / "out"
    result = run_cli("run", "--inputs", str(inputs), "--outputs", str(outputs), "--period", "2024-12")
    assert result.returncode == 1
    workbook = openpyxl.load_workbook(outputs / "2024-12" / "phu_luc_dang_ky_2024.xlsx")
    assert workbook.sheetnames == ["PL3"]
    report = openpyxl.load_workbook(outputs / "2024-12" / "validation_report.xlsx")
    problems = list(report["Vấn đề"].iter_rows(values_only=True))
    assert problems[1][:3] == ("pl6.xlsx", "PL6", "C9")


def test_broken_reference_data_exit_code_2(inputs: Path, tmp_path: Path):
    (inputs / "reference" / "levels.csv").write_text("code,name\n", encoding="utf-8")
    result = run_cli("run", "--inputs", str(inputs), "--outputs", str(tmp_path / "out"), "--period", "2024-12")
    assert result.returncode == 2
    assert "levels.csv" in result.stderr
    assert not (tmp_path / "out" / "2024-12").exists()
