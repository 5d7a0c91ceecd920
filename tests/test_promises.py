"""The README's promises about a run, each exercised from outside and pinned so that
breaking it turns a test red: exit codes 0/1/2/3 (2 also for a defect), ``--quiet``,
publishing and ``latest``, the lock, the manifest, the caches (what is reused, and what
makes them stale: the reference data, the code), the CSV and workbook formula guard.

Expected figures come from tests/plan_2024.py (the 2024 document) or are computed here.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from conftest import ROOT, run_cli
from pipeline import cli, outputs as declared_outputs, runner
from plan_2024 import APPENDICES
from workbooks import write_compiled_appendix

CACHED_FILE = "(không đổi, lấy từ bộ nhớ đệm)"
PLAN_REUSED = "Phụ lục kế hoạch: lấy từ bộ nhớ đệm"
PLAN_WRITTEN = "Phụ lục kế hoạch: đã lập"


def _invoke(*args: str):
    """The CLI in this process (typer's CliRunner): exit code, stdout, stderr."""
    result = CliRunner().invoke(cli.app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _args(inputs: Path, outputs: Path, period: str, *more: str) -> list[str]:
    return ["run", "--inputs", str(inputs), "--outputs", str(outputs), "--period", period, *more]


def _tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (links followed) with its sha256."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _log(folder: Path) -> str:
    return (folder / "run.log").read_text(encoding="utf-8")


def _rejected_copy(inputs: Path) -> Path:
    """Appendix 6 of 2024 with An Lão's count made negative: a file the run rejects."""
    path = write_compiled_appendix(inputs / "registrations" / "2024" / "pl6.xlsx", 6)
    workbook = openpyxl.load_workbook(path)
    workbook.active["C9"] = -13
    workbook.save(path)
    return path


@pytest.fixture
def one_input(inputs: Path) -> Path:
    write_compiled_appendix(inputs / "registrations" / "2024" / "pl2.xlsx", 2)
    return inputs


# ---------------------------------------------------------------- exit codes


def test_exit_codes_0_clean_1_rejected_2_cannot_proceed(one_input: Path, tmp_path: Path):
    outputs = tmp_path / "outputs"
    assert _invoke(*_args(one_input, outputs, "2026-10"))[0] == 0
    _rejected_copy(one_input)
    assert _invoke(*_args(one_input, outputs, "2026-11"))[0] == 1
    assert os.readlink(outputs / "latest") == "2026-11"  # exit 1 publishes, from the files accepted
    assert _invoke(*_args(one_input, outputs, "2026-13"))[0] == 2  # a bad --period
    (one_input / "reference" / "units.csv").write_text("name\n", encoding="utf-8")
    code, _, stderr = _invoke(*_args(one_input, outputs, "2026-12"))
    assert code == 2 and "units.csv" in stderr
    assert not (outputs / "2026-12").exists() and os.readlink(outputs / "latest") == "2026-11"


@pytest.mark.parametrize("command", ["run", "validate"])
def test_a_defect_exits_2_never_1_and_publishes_nothing(one_input: Path, tmp_path: Path, monkeypatch, command: str):
    """A bug (an exception nobody foresaw) is not "some files rejected": exit 2, the message
    says so, the previous outputs stay published and the lock is released."""
    outputs = tmp_path / "outputs"
    assert _invoke(*_args(one_input, outputs, "2026-10"))[0] == 0
    before = _tree(outputs / "2026-10")

    def defect(*args, **kwargs):
        raise KeyError("a column nobody foresaw")

    monkeypatch.setattr(declared_outputs, "write", defect)  # inside the real run, after the inputs were read
    code, stdout, stderr = _invoke(command, "--inputs", str(one_input), "--outputs", str(outputs), "--period", "2026-11", "--quiet")
    assert code == 2
    assert stderr.startswith("LỖI: lần chạy dừng vì lỗi không lường trước; kết quả kỳ trước được giữ nguyên")
    assert "KeyError" in stderr and stdout == ""
    assert not (outputs / "2026-11").exists() and not (outputs / "kiem_tra").exists()
    assert os.readlink(outputs / "latest") == "2026-10" and _tree(outputs / "2026-10") == before
    assert list(outputs.glob(".staging-*")) == []
    monkeypatch.undo()
    assert _invoke(*_args(one_input, outputs, "2026-11"))[0] == 0  # the lock was released


def test_a_defect_before_the_run_starts_exits_2(monkeypatch, tmp_path: Path):
    def defect(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(runner, "run", defect)
    code, stdout, stderr = _invoke("run", "--outputs", str(tmp_path / "outputs"), "--period", "2026-11")
    assert (code, stdout) == (2, "")
    assert "lỗi không lường trước" in stderr and "RuntimeError: boom" in stderr


# ---------------------------------------------------------------- --quiet


def test_quiet_prints_nothing_on_a_clean_run_and_only_errors_otherwise(one_input: Path, tmp_path: Path):
    outputs = tmp_path / "outputs"
    loud = _invoke(*_args(one_input, outputs, "2026-10"))
    assert loud[0] == 0 and "Đã đọc 1 tệp: 1 được chấp nhận, 0 bị từ chối" in loud[1]  # without --quiet: a summary
    assert _invoke(*_args(one_input, outputs, "2026-11", "--quiet")) == (0, "", "")
    assert _invoke("validate", "--inputs", str(one_input), "--outputs", str(outputs), "--quiet") == (0, "", "")
    _rejected_copy(one_input)
    code, stdout, stderr = _invoke(*_args(one_input, outputs, "2026-12", "--quiet"))
    assert (code, stdout) == (1, "")
    assert stderr.splitlines() == [f"Có tệp bị từ chối; xem {outputs / '2026-12' / 'validation_report.xlsx'}"]


def test_quiet_as_cron_runs_it(one_input: Path, tmp_path: Path):
    """The README's cron line: ``run --quiet >> outputs/cron.log 2>&1`` appends nothing on a clean run."""
    result = run_cli(*_args(one_input, tmp_path / "outputs", "2026-11", "--quiet"))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


# ---------------------------------------------------------------- publishing and latest


def test_each_period_is_a_link_to_a_whole_version_and_latest_follows_the_last_success(one_input: Path, tmp_path: Path):
    outputs = tmp_path / "outputs"
    assert _invoke(*_args(one_input, outputs, "2026-10"))[0] == 0
    first = os.readlink(outputs / "2026-10")
    assert re.fullmatch(r"\.versions/2026-10-[0-9a-f]{12}", first)
    assert os.readlink(outputs / "latest") == "2026-10"
    october = _tree(outputs / "2026-10")
    assert _invoke(*_args(one_input, outputs, "2026-11"))[0] == 0
    assert os.readlink(outputs / "latest") == "2026-11"
    assert os.readlink(outputs / "2026-10") == first and _tree(outputs / "2026-10") == october
    # A rerun of November replaces its version in one step; the one it replaced is swept.
    write_compiled_appendix(one_input / "registrations" / "2024" / "pl3.xlsx", 3)
    november = os.readlink(outputs / "2026-11")
    assert _invoke(*_args(one_input, outputs, "2026-11"))[0] == 0
    assert os.readlink(outputs / "2026-11") != november and not (outputs / november).exists()
    assert sorted(path.name for path in (outputs / ".versions").iterdir()) == sorted([first.split("/")[1], os.readlink(outputs / "2026-11").split("/")[1]])
    assert (outputs / "2026-11" / "phu_luc_dang_ky_2024.xlsx").exists()
    assert openpyxl.load_workbook(outputs / "latest" / "phu_luc_dang_ky_2024.xlsx").sheetnames == ["PL2", "PL3"]
    # validate publishes its report apart and leaves latest alone
    assert _invoke("validate", "--inputs", str(one_input), "--outputs", str(outputs))[0] == 0
    assert os.readlink(outputs / "latest") == "2026-11" and (outputs / "kiem_tra" / "validation_report.xlsx").exists()
    assert [path.name for path in outputs.iterdir() if path.name.startswith((".staging", ".link"))] == []


# ---------------------------------------------------------------- the lock


_HOLD = """
import sys, time
from pathlib import Path
from pipeline.publish import OutputsLock
with OutputsLock(Path(sys.argv[1]), "run --period 2026-09"):
    print("held", flush=True)
    time.sleep(120)
"""


def test_a_second_run_exits_3_naming_the_holder_and_a_killed_holder_blocks_nothing(one_input: Path, tmp_path: Path):
    outputs = tmp_path / "outputs"
    assert run_cli(*_args(one_input, outputs, "2026-10", "--quiet")).returncode == 0
    before = {name: digest for name, digest in _tree(outputs).items() if name != ".lock"}
    assert len(before) > 10
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(outputs)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        record = json.loads((outputs / ".lock").read_text(encoding="utf-8"))
        result = run_cli(*_args(one_input, outputs, "2026-11"))
        assert result.returncode == 3 and result.stdout == ""
        assert result.stderr.startswith("KHÔNG CHẠY: Một lần chạy khác đang dùng thư mục")
        for shown in (f"tiến trình {holder.pid}", f"máy {record['host']}", "lệnh \"run --period 2026-09\"", f"bắt đầu lúc {record['started']}"):
            assert shown in result.stderr, shown
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", record["started"])
        assert {name: digest for name, digest in _tree(outputs).items() if name != ".lock"} == before  # nothing written, nothing swept
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    # The holder died with the lock taken (kill -9): its record is still in the file, its lock is gone.
    assert json.loads((outputs / ".lock").read_text(encoding="utf-8"))["pid"] == holder.pid
    result = run_cli(*_args(one_input, outputs, "2026-11", "--quiet"))
    assert result.returncode == 0, result.stderr
    assert os.readlink(outputs / "latest") == "2026-11"


# ---------------------------------------------------------------- the manifest


@pytest.mark.parametrize("rejected", [False, True])
def test_manifest_lists_every_output_with_its_sha256_and_every_input(one_input: Path, tmp_path: Path, rejected: bool):
    if rejected:
        _rejected_copy(one_input)
    outputs = tmp_path / "outputs"
    started = time.time()
    result = run_cli(*_args(one_input, outputs, "2026-11"))
    assert result.returncode == (1 if rejected else 0), result.stderr
    folder = outputs / "2026-11"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    written = _tree(folder)
    del written["manifest.json"]
    assert manifest["outputs"] == written  # exactly the files published, each with its sha256
    for expected in ("validation_report.xlsx", "run.log", "data/registrations.csv", "data/files.csv", "ke_hoach_2026_nhiem_vu.xlsx", "ke_hoach_2030_kinh_phi.xlsx", "phu_luc_dang_ky_2024.xlsx", "tinh_hinh_nop_2024.xlsx"):
        assert expected in manifest["outputs"], expected
    assert manifest["exit_code"] == result.returncode
    registrations = one_input / "registrations"
    files = sorted(path for path in registrations.rglob("*") if path.is_file())
    assert len(files) == (2 if rejected else 1)
    assert [item["file"] for item in manifest["inputs"]] == [path.relative_to(registrations).as_posix() for path in files]
    for item, path in zip(manifest["inputs"], files, strict=True):
        assert item["size_bytes"] == path.stat().st_size
        assert item["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    by_file = {item["file"]: item for item in manifest["inputs"]}
    assert (by_file["2024/pl2.xlsx"]["status"], by_file["2024/pl2.xlsx"]["rows"], by_file["2024/pl2.xlsx"]["headcount"]) == ("chấp nhận", 14, sum(APPENDICES[2]["totals"]))
    if rejected:
        assert by_file["2024/pl6.xlsx"]["status"] == "bị từ chối" and by_file["2024/pl6.xlsx"]["rows"] == 14
    reference = sorted(path for path in (one_input / "reference").iterdir() if path.is_file())
    assert len(reference) >= 10
    assert manifest["reference"] == {f"reference/{path.name}": hashlib.sha256(path.read_bytes()).hexdigest() for path in reference}
    assert started - 1 <= _epoch(manifest["started"]) <= _epoch(manifest["finished"]) <= time.time() + 1
    assert manifest["program"]["name"] == "hp-training-plan" and manifest["program"]["version"] != "?"


def _epoch(stamp: str) -> float:
    import datetime as dt

    return dt.datetime.fromisoformat(stamp).timestamp()


# ---------------------------------------------------------------- the caches


def test_a_rerun_reuses_every_unchanged_file_and_the_plan_and_says_so(one_input: Path, tmp_path: Path):
    write_compiled_appendix(one_input / "registrations" / "2024" / "pl3.xlsx", 3)
    outputs = tmp_path / "outputs"
    assert _invoke(*_args(one_input, outputs, "2026-10"))[0] == 0
    first = _log(outputs / "2026-10")
    assert re.findall(r"Đọc (\S+)$", first, re.M) == ["2024/pl2.xlsx", "2024/pl3.xlsx"] and CACHED_FILE not in first
    assert PLAN_WRITTEN in first and PLAN_REUSED not in first
    assert _invoke(*_args(one_input, outputs, "2026-11"))[0] == 0
    second = _log(outputs / "2026-11")
    assert re.findall(r"Đọc (\S+) \(không đổi, lấy từ bộ nhớ đệm\)$", second, re.M) == ["2024/pl2.xlsx", "2024/pl3.xlsx"]
    assert re.findall(r"Đọc (\S+)$", second, re.M) == []
    assert PLAN_REUSED in second and PLAN_WRITTEN not in second
    plan_books = [name for name in _tree(outputs / "2026-10") if name.startswith("ke_hoach_")]
    assert len(plan_books) == 10
    assert {name: _tree(outputs / "2026-11")[name] for name in plan_books} == {name: _tree(outputs / "2026-10")[name] for name in plan_books}


def test_a_damaged_plan_cache_entry_is_written_again(one_input: Path, tmp_path: Path):
    """A workbook of the cache whose bytes changed (a bad disk block, an edit by hand) is
    never copied into a new period: the entry is written again."""
    outputs = tmp_path / "outputs"
    assert _invoke(*_args(one_input, outputs, "2026-10"))[0] == 0
    october = _tree(outputs / "2026-10")
    (entry,) = (outputs / ".cache" / "plan").iterdir()
    damaged = entry / "ke_hoach_2027_kinh_phi.xlsx"
    damaged.write_bytes(damaged.read_bytes()[:-10] + bytes(10))  # same name, same size, other bytes
    assert _invoke(*_args(one_input, outputs, "2026-11"))[0] == 0
    assert PLAN_WRITTEN in _log(outputs / "2026-11")
    november = _tree(outputs / "2026-11")
    assert november["ke_hoach_2027_kinh_phi.xlsx"] == october["ke_hoach_2027_kinh_phi.xlsx"]
    openpyxl.load_workbook(outputs / "2026-11" / "ke_hoach_2027_kinh_phi.xlsx").close()


def test_a_file_rejected_for_its_unit_is_accepted_once_the_alias_is_added(one_input: Path, tmp_path: Path):
    """The ingest cache is keyed on the reference data: an alias added to aliases.csv must
    reach a file whose result was cached while the unit was unknown."""
    path = one_input / "registrations" / "2024" / "pl2.xlsx"
    workbook = openpyxl.load_workbook(path)
    assert workbook.active["B20"].value == "Tiên Lãng"
    workbook.active["B20"] = "PGD TL"
    workbook.save(path)
    outputs = tmp_path / "outputs"
    assert _invoke(*_args(one_input, outputs, "2026-10"))[0] == 1
    with (outputs / "2026-10" / "data" / "issues.csv").open(encoding="utf-8") as handle:
        assert [(row["cell"], row["value"]) for row in csv.DictReader(handle) if row["severity"] == "lỗi"] == [("B20", "PGD TL")]
    assert _invoke(*_args(one_input, outputs, "2026-10"))[0] == 1  # still unknown: the cached result is right
    assert CACHED_FILE in _log(outputs / "2026-10")
    with (one_input / "reference" / "aliases.csv").open("a", encoding="utf-8") as handle:
        handle.write("unit,Tiên Lãng,PGD TL\n")
    assert _invoke(*_args(one_input, outputs, "2026-11"))[0] == 0
    log = _log(outputs / "2026-11")
    assert re.findall(r"Đọc (\S+)$", log, re.M) == ["2024/pl2.xlsx"] and PLAN_WRITTEN in log
    with (outputs / "2026-11" / "data" / "registrations.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(row["unit"], row["headcount"]) for row in rows if row["source_cell"] == "C20"] == [("Tiên Lãng", "12")]
    assert sum(int(row["headcount"]) for row in rows) == sum(APPENDICES[2]["totals"])


def test_other_code_reads_every_file_again_and_writes_the_plan_again(one_input: Path, tmp_path: Path, monkeypatch):
    from pipeline import cache

    outputs = tmp_path / "outputs"
    assert _invoke(*_args(one_input, outputs, "2026-10"))[0] == 0
    assert _invoke(*_args(one_input, outputs, "2026-11"))[0] == 0
    assert CACHED_FILE in _log(outputs / "2026-11") and PLAN_REUSED in _log(outputs / "2026-11")
    monkeypatch.setattr(cache, "CODE_DIGEST", "another version")
    assert _invoke(*_args(one_input, outputs, "2026-12"))[0] == 0
    log = _log(outputs / "2026-12")
    assert re.findall(r"Đọc (\S+)$", log, re.M) == ["2024/pl2.xlsx"] and CACHED_FILE not in log
    assert PLAN_WRITTEN in log and PLAN_REUSED not in log


_DIGEST = "import sys; sys.path.insert(0, sys.argv[1]); from pipeline import cache; print(cache.code_digest(), cache.CODE_DIGEST)"


def test_the_code_digest_covers_every_module_of_both_packages(tmp_path: Path):
    """A comment edited in any module, however deep, gives another code digest (the
    caches are then not used); the same code gives the same digest wherever it lies."""
    edited = ["pipeline/runner.py", "pipeline/ingest/layout.py", "pipeline/report/campaign.py", "schemas/rules.py", "schemas/__init__.py"]

    def digest(copy: Path) -> str:
        out = subprocess.run([sys.executable, "-c", _DIGEST, str(copy)], capture_output=True, text=True, check=True, cwd=tmp_path).stdout.split()
        assert len(out) == 2 and out[0] == out[1]
        return out[0]

    def copy(name: str) -> Path:
        target = tmp_path / name
        for package in ("pipeline", "schemas"):
            shutil.copytree(ROOT / package, target / package, ignore=shutil.ignore_patterns("__pycache__"))
        return target

    original = digest(copy("same"))
    from pipeline import cache

    assert original == cache.CODE_DIGEST
    seen = {original}
    for relative in edited:
        target = copy(relative.replace("/", "_"))
        assert (target / relative).exists()
        with (target / relative).open("a", encoding="utf-8") as handle:
            handle.write("# a comment\n")
        seen.add(digest(target))
    assert len(seen) == 1 + len(edited)


# ---------------------------------------------------------------- formulas in what a clerk typed


@pytest.mark.parametrize("typed", ["=HYPERLINK(\"http://x.example\",\"An Lão\")", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"])
def test_what_a_clerk_typed_is_never_run_as_a_formula(one_input: Path, tmp_path: Path, typed: str):
    path = one_input / "registrations" / "2024" / "pl2.xlsx"
    workbook = openpyxl.load_workbook(path)
    workbook.active["B9"].value = typed  # An Lão's name, as a formula-like text
    workbook.active["B9"].data_type = "s"
    workbook.save(path)
    assert openpyxl.load_workbook(path).active["B9"].data_type == "s"
    outputs = tmp_path / "outputs"
    assert _invoke(*_args(one_input, outputs, "2026-11"))[0] == 1
    with (outputs / "2026-11" / "data" / "issues.csv").open(encoding="utf-8", newline="") as handle:
        values = [row["value"] for row in csv.DictReader(handle) if row["cell"] == "B9"]
    assert values == ["'" + typed]
    sheet = openpyxl.load_workbook(outputs / "2026-11" / "validation_report.xlsx")["Vấn đề"]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == typed]
    assert len(cells) == 1 and cells[0].data_type == "s"  # text in the workbook, not a formula
