"""The monthly refresh: killed runs, concurrent runs, byte-identical reruns, the change
report, the cache, the manifest, and the README's cron line."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from conftest import ROOT, run_cli
from pipeline import report, runner
from pipeline.cache import IngestCache
from pipeline.publish import OutputsLock
from workbooks import write_compiled_appendix


def _digests(folder: Path, suffixes=(".xlsx", ".csv")) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.suffix in suffixes
    }


def _start(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pipeline", *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture
def one_input(inputs: Path) -> Path:
    """The reference data and one unit list: the 2024 appendix 2."""
    write_compiled_appendix(inputs / "registrations" / "2024" / "pl2.xlsx", 2)
    return inputs


@pytest.fixture
def many_inputs(inputs: Path) -> Path:
    """The 2024 appendices plus enough copies under other years' names to make a run take a while."""
    for number in range(1, 7):
        write_compiled_appendix(inputs / "registrations" / "2024" / f"pl{number}.xlsx", number)
    return inputs


def _complete(folder: Path) -> dict[str, str]:
    """The outputs of a published folder, checked whole: its manifest lists every file with its sha256."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    written = {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()} - {"manifest.json"}
    assert set(manifest["outputs"]) == written and len(written) > 10
    for name, digest in manifest["outputs"].items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
    for workbook in folder.glob("*.xlsx"):
        openpyxl.load_workbook(workbook, read_only=True).close()
    return _digests(folder)


def _files_written(outputs: Path) -> int:
    return sum(len(files) for staging in outputs.glob(".staging-*") for _, _, files in os.walk(staging))


def test_run_killed_while_writing_its_outputs_leaves_previous_outputs_whole(many_inputs: Path, tmp_path: Path):
    """Killed (kill -9) once it has written some of its new outputs, a run leaves the
    previous ones whole; a run that ended before the kill is told apart (its outputs are
    the new whole set)."""
    outputs = tmp_path / "outputs"
    args = ("run", "--inputs", str(many_inputs), "--outputs", str(outputs), "--period", "2026-11", "--quiet")
    assert run_cli(*args).returncode == 0
    assert run_cli(*args).returncode == 0  # a rerun compares with the first: what every run below writes
    before = _complete(outputs / "2026-11")
    written = len(json.loads((outputs / "2026-11" / "manifest.json").read_text(encoding="utf-8"))["outputs"])
    random.seed(20261122)
    killed, seen = 0, []
    for share in [0.1, *sorted(random.uniform(0.2, 0.9) for _ in range(3))]:
        shutil.rmtree(outputs / ".cache", ignore_errors=True)  # make every run do the full work
        process = _start(*args)
        while process.poll() is None and _files_written(outputs) < share * written:
            time.sleep(0.002)
        count = _files_written(outputs)
        finished = process.poll() is not None
        process.send_signal(signal.SIGKILL)
        process.wait()
        after = _complete(outputs / "2026-11")
        if finished:
            before = after  # it ended before the kill: its outputs are the new complete set
        else:
            killed += 1
            seen.append(count)
            assert count >= 1 and after == before, f"killed with {count} of {written} files written"
    assert killed >= 3, seen
    assert runner.run(many_inputs, outputs, "2026-11").exit_code == 0
    _complete(outputs / "2026-11")
    assert not list(outputs.glob(".staging-*")) and len(list((outputs / ".versions").iterdir())) == 1


_KILL_AT = """
import json, os, shutil, signal, sys
from pathlib import Path
from pipeline import cli
kill_at, outputs = int(sys.argv.pop(1)), Path(sys.argv.pop(1)).resolve()
top = {outputs, outputs / ".versions"}
calls, seen = 0, set()
def counted(name, real):
    def call(*args, **kwargs):
        global calls
        paths = [Path(os.fsdecode(arg)) for arg in args[:2] if isinstance(arg, (str, bytes, os.PathLike))]
        step = (name, *map(str, paths))
        # a change to the outputs folder itself; making the staging folder is the start of writing
        if any(path.absolute().parent in top for path in paths) and step not in seen and not (name == "mkdir" and paths[0].name.startswith(".staging-")):
            seen.add(step)
            calls += 1
            print(json.dumps([calls, name, *map(str, paths)]), file=sys.stderr, flush=True)
            if calls == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    return call
for name in ("rename", "replace", "symlink", "unlink", "remove", "rmdir", "mkdir"):
    setattr(os, name, counted(name, getattr(os, name)))
shutil.rmtree = counted("rmtree", shutil.rmtree)
sys.argv[0] = "hp-training-plan"
cli.main()
"""


def test_run_killed_at_each_step_of_publishing_leaves_one_whole_version(one_input: Path, tmp_path: Path):
    """Every change a run makes to the outputs folder itself (moving its version in, each
    link, sweeping what it replaced) is a moment it may be killed at: killed before each
    one, the folder shows the previous outputs or the new ones, whole, under both the
    period and ``latest``; the next run sweeps up and keeps one version."""
    previous = tmp_path / "previous"
    assert run_cli("run", "--inputs", str(one_input), "--outputs", str(previous), "--period", "2026-10", "--quiet").returncode == 0
    before = _complete(previous / "2026-10")
    write_compiled_appendix(one_input / "registrations" / "2024" / "pl3.xlsx", 3)  # the rerun has more to publish

    def start(kill_at: int) -> tuple[Path, subprocess.Popen]:
        outputs = tmp_path / f"killed-{kill_at}"
        shutil.copytree(previous, outputs, symlinks=True)
        args = ["run", "--inputs", str(one_input), "--outputs", str(outputs), "--period", "2026-10", "--quiet"]
        return outputs, subprocess.Popen([sys.executable, "-c", _KILL_AT, str(kill_at), str(outputs), *args], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    outputs, census = start(0)  # not killed: which changes a run makes, in order
    _, stderr = census.communicate(timeout=300)
    assert census.returncode == 0, stderr
    steps = [json.loads(line) for line in stderr.splitlines() if line.startswith("[")]
    kinds = [step[1] for step in steps]
    assert kinds.count("rename") + kinds.count("replace") >= 3, steps  # the version, the period's link, latest's link
    after = _complete(outputs / "2026-10")
    assert after != before and len(steps) >= 4
    for first in range(1, len(steps) + 1, 3):  # three killed runs at a time
        started = [(kill_at, *start(kill_at)) for kill_at in range(first, min(first + 3, len(steps) + 1))]
        for kill_at, outputs, process in started:
            _, stderr = process.communicate(timeout=300)
            step = steps[kill_at - 1]
            assert process.returncode == -signal.SIGKILL, (step, stderr[-2000:])
            now = _complete(outputs / "2026-10")
            assert now in (before, after), step
            assert _complete(outputs / "latest") == now and os.readlink(outputs / "latest") == "2026-10", step
            assert runner.run(one_input, outputs, "2026-10").exit_code == 0  # the next run
            assert openpyxl.load_workbook(outputs / "2026-10" / "phu_luc_dang_ky_2024.xlsx").sheetnames == ["PL2", "PL3"]
            _complete(outputs / "2026-10")
            assert not list(outputs.glob(".staging-*")) and not list(outputs.glob(".link-*")), step
            assert len(list((outputs / ".versions").iterdir())) == 1, step


def test_two_runs_started_together_exactly_one_writes(many_inputs: Path, tmp_path: Path):
    outputs = tmp_path / "outputs"
    args = ("run", "--inputs", str(many_inputs), "--outputs", str(outputs), "--period", "2026-11")
    first, second = _start(*args), _start(*args)
    results = sorted([(first.wait(), first.stderr.read()), (second.wait(), second.stderr.read())])
    assert [code for code, _ in results] == [0, 3]
    assert "Một lần chạy khác đang dùng thư mục" in results[1][1]
    assert (outputs / "2026-11" / "manifest.json").exists()


def test_lock_names_its_holder_and_a_dead_holder_does_not_block(one_input: Path, tmp_path: Path):
    inputs = one_input
    outputs = tmp_path / "outputs"
    with OutputsLock(outputs, "run --period 2026-10"):
        result = run_cli("run", "--inputs", str(inputs), "--outputs", str(outputs), "--period", "2026-11")
        assert result.returncode == 3
        assert f"tiến trình {os.getpid()}" in result.stderr and "run --period 2026-10" in result.stderr
    # A lock file left behind by a process that died (it holds no flock any more).
    (outputs / ".lock").write_text(json.dumps({"pid": 999999, "host": "x", "command": "run", "started": "2026-01-01"}), encoding="utf-8")
    assert run_cli("run", "--inputs", str(inputs), "--outputs", str(outputs), "--period", "2026-11").returncode == 0


def test_a_forked_child_never_keeps_the_lock(tmp_path: Path):
    # Workers and the background job are forked while the run holds the lock; a child
    # that outlives its run (the run was killed) must not block the next one.
    with OutputsLock(tmp_path, "run"):
        child = os.fork()
        if child == 0:
            time.sleep(3)
            os._exit(0)
    try:
        with OutputsLock(tmp_path, "run --period 2026-12"):
            pass  # acquired while the child still lives
        assert os.waitpid(child, os.WNOHANG) == (0, 0)
    finally:
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)


def test_ingest_cache_keeps_each_entry_apart_skips_stale_ones_and_survives_damage(tmp_path: Path):
    entries = {f"key{n}": ({"unit": ["Xã An Lão"] * n, "headcount": [float(n)] * n}, [], {"file": f"f{n}.xlsx"}) for n in range(1, 4)}
    cache = IngestCache(tmp_path, "reference")
    for key, value in entries.items():
        cache.save(key, value)
    cache.write({"key1", "key3"})  # key2's file is gone
    reread = IngestCache(tmp_path, "reference")
    assert {key: reread.load(key) for key in entries} == {"key1": entries["key1"], "key2": None, "key3": entries["key3"]}
    other = IngestCache(tmp_path, "other reference")
    assert other.entries == {} and other.load("key1") is None  # none could serve: none is loaded
    (path,) = tmp_path.glob("ingest-*.pkl")
    with open(path, "r+b") as handle:  # a run killed mid-write, a bad disk block
        handle.truncate(handle.seek(0, 2) - 7)
    assert IngestCache(tmp_path, "reference").entries == {}


def test_disk_full_while_writing_stops_with_one_line_and_keeps_the_previous_outputs(one_input: Path, tmp_path: Path, monkeypatch):
    outputs = tmp_path / "outputs"
    assert runner.run(one_input, outputs, "2026-10").exit_code == 0
    before = _digests(outputs / "2026-10")

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(report, "write_plan_tasks", disk_full)
    shutil.rmtree(outputs / ".cache")  # so the plan's workbooks must be written again
    result = runner.run(one_input, outputs, "2026-10")
    assert result.exit_code == 2
    assert result.message.startswith("Ổ đĩa đã đầy") and "\n" not in result.message
    assert _digests(outputs / "2026-10") == before
    assert os.readlink(outputs / "latest") == "2026-10"
    assert not list(outputs.glob(".staging-*"))


@pytest.mark.parametrize("state", ["missing", "empty", "no spreadsheet"])
def test_nothing_to_read_is_not_an_empty_month(one_input: Path, tmp_path: Path, state: str):
    outputs = tmp_path / "outputs"
    assert run_cli("run", "--inputs", str(one_input), "--outputs", str(outputs), "--period", "2026-10").returncode == 0
    before = _digests(outputs / "2026-10")
    folder = one_input / "registrations"
    shutil.rmtree(folder)
    if state != "missing":
        folder.mkdir()
    if state == "no spreadsheet":
        (folder / "ghi_chu.txt").write_text("chưa có số liệu", encoding="utf-8")
    result = run_cli("run", "--inputs", str(one_input), "--outputs", str(outputs), "--period", "2026-11", "--quiet")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "giữ nguyên" in result.stderr
    assert not (outputs / "2026-11").exists() and os.readlink(outputs / "latest") == "2026-10"
    assert _digests(outputs / "2026-10") == before


def test_same_inputs_give_identical_bytes_with_or_without_cache(many_inputs: Path, tmp_path: Path):
    first, second, warm = tmp_path / "first", tmp_path / "second", tmp_path / "warm"
    for outputs in (first, second):
        assert run_cli("run", "--inputs", str(many_inputs), "--outputs", str(outputs), "--period", "2026-11").returncode == 0
    assert _digests(first / "2026-11") == _digests(second / "2026-11")
    # The same history (no earlier period) but a warm cache: same bytes again, from the cache.
    shutil.copytree(first / ".cache", warm / ".cache")
    result = run_cli("run", "--inputs", str(many_inputs), "--outputs", str(warm), "--period", "2026-11")
    assert result.returncode == 0
    assert (warm / "2026-11" / "run.log").read_text(encoding="utf-8").count("lấy từ bộ nhớ đệm") == 6 + 1  # six files, the plan
    assert _digests(warm / "2026-11") == _digests(first / "2026-11")


def test_plan_workbooks_are_reused_only_while_the_reference_data_is_unchanged(one_input: Path, tmp_path: Path):
    inputs = one_input
    outputs = tmp_path / "outputs"
    assert run_cli("run", "--inputs", str(inputs), "--outputs", str(outputs), "--period", "2026-10").returncode == 0
    before = _digests(outputs / "2026-10")
    assert run_cli("run", "--inputs", str(inputs), "--outputs", str(outputs), "--period", "2026-11").returncode == 0
    plan_books = [name for name in before if name.startswith("ke_hoach_")]
    assert len(plan_books) == 10
    assert [_digests(outputs / "2026-11")[name] for name in plan_books] == [before[name] for name in plan_books]  # from the cache
    # A damaged cache entry (a run killed while writing it, a file deleted by hand) is written again.
    (entry,) = (outputs / ".cache" / "plan").iterdir()
    (entry / "ke_hoach_2026_nhiem_vu.xlsx").unlink()
    (entry / "ke_hoach_2027_kinh_phi.xlsx").write_bytes(b"")
    assert run_cli("run", "--inputs", str(inputs), "--outputs", str(outputs), "--period", "2026-11").returncode == 0
    assert [_digests(outputs / "2026-11")[name] for name in plan_books] == [before[name] for name in plan_books]
    # The 2026 BD01 line's price goes from 2 to 3 million: its workbooks must follow.
    plan = inputs / "reference" / "plan.csv"
    text = plan.read_text(encoding="utf-8")
    assert text.count("\n2026,1,BD01,,,2384,1748,1704,516,52,100,2,") == 1
    plan.write_text(text.replace("\n2026,1,BD01,,,2384,1748,1704,516,52,100,2,", "\n2026,1,BD01,,,2384,1748,1704,516,52,100,3,"), encoding="utf-8")
    assert run_cli("run", "--inputs", str(inputs), "--outputs", str(outputs), "--period", "2026-12").returncode == 0
    after = _digests(outputs / "2026-12")
    assert after["ke_hoach_2026_kinh_phi.xlsx"] != before["ke_hoach_2026_kinh_phi.xlsx"]
    assert after["ke_hoach_2027_kinh_phi.xlsx"] == before["ke_hoach_2027_kinh_phi.xlsx"]
    sheet = openpyxl.load_workbook(outputs / "2026-12" / "ke_hoach_2026_kinh_phi.xlsx", data_only=True).worksheets[0]
    line = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "1")
    assert line[8:10] == (3, (2384 + 1748 + 1704 + 516 + 52 + 100) * 3)  # price, amount
    # A cold run on the changed reference data gives the same bytes.
    assert run_cli("run", "--inputs", str(inputs), "--outputs", str(tmp_path / "cold"), "--period", "2026-12").returncode == 0
    cold = _digests(tmp_path / "cold" / "2026-12")
    assert [cold[name] for name in plan_books] == [after[name] for name in plan_books]


def test_unchanged_inputs_are_not_parsed_again(many_inputs: Path, tmp_path: Path):
    outputs = tmp_path / "outputs"
    assert run_cli("run", "--inputs", str(many_inputs), "--outputs", str(outputs), "--period", "2026-10").returncode == 0
    path = many_inputs / "registrations" / "2024" / "pl5.xlsx"
    workbook = openpyxl.load_workbook(path)
    workbook.active["C9"] = 19  # An Lão: 18 -> 19
    workbook.active["C22"] = 164
    workbook.save(path)
    result = run_cli("run", "--inputs", str(many_inputs), "--outputs", str(outputs), "--period", "2026-11")
    assert result.returncode == 0
    log = (outputs / "2026-11" / "run.log").read_text(encoding="utf-8")
    parsed = re.findall(r"Đọc (\S+)$", log, re.M)
    assert parsed == ["2024/pl5.xlsx"]
    assert len(re.findall(r"Đọc \S+ \(không đổi, lấy từ bộ nhớ đệm\)$", log, re.M)) == 5


def test_change_report_names_exactly_what_changed(many_inputs: Path, tmp_path: Path):
    outputs = tmp_path / "outputs"
    first = run_cli("run", "--inputs", str(many_inputs), "--outputs", str(outputs), "--period", "2026-10")
    assert "Chưa có kỳ trước để so sánh" in first.stdout
    assert not (outputs / "2026-10" / "data" / "changes.csv").exists()
    path = many_inputs / "registrations" / "2024" / "pl5.xlsx"
    workbook = openpyxl.load_workbook(path)
    workbook.active["C9"] = 19  # An Lão: 18 -> 19
    workbook.active["C22"] = 164
    workbook.save(path)
    (many_inputs / "registrations" / "2024" / "pl6.xlsx").unlink()
    result = run_cli("run", "--inputs", str(many_inputs), "--outputs", str(outputs), "--period", "2026-11")
    assert result.returncode == 0
    with (outputs / "2026-11" / "data" / "changes.csv").open(encoding="utf-8") as handle:
        changes = list(csv.DictReader(handle))
    changed = [(r["unit"], r["topic"], r["level"], r["previous"], r["current"], r["change"]) for r in changes if r["topic"] == "LS_DL"]
    assert changed == [("An Lão", "LS_DL", "THCS", "18", "19", "thay đổi")]
    removed = [r for r in changes if r["topic"] == "KHTN"]
    assert len(removed) == 13 and {r["change"] for r in removed} == {"bỏ đi"}  # 14 districts, An Dương's was 0
    assert len(changes) == 14
    assert "So với kỳ 2026-10: 14 số liệu thay đổi" in result.stdout
    assert "An Lão LS_DL THCS: 18 → 19" in result.stdout
    sheet = openpyxl.load_workbook(outputs / "2026-11" / "tong_hop_2026_2030.xlsx")["Thay đổi"]
    assert sheet.max_row == 15


def test_manifest_and_latest(inputs: Path, tmp_path: Path):
    write_compiled_appendix(inputs / "registrations" / "2024" / "pl2.xlsx", 2)
    (inputs / "registrations" / "2024" / "ghi_chu.txt").write_text("x", encoding="utf-8")
    outputs = tmp_path / "outputs"
    result = run_cli("run", "--inputs", str(inputs), "--outputs", str(outputs), "--period", "2026-11")
    assert result.returncode == 1
    manifest = json.loads((outputs / "2026-11" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["exit_code"] == 1
    assert {"started", "finished", "program", "python", "libraries", "inputs", "outputs"} <= set(manifest)
    by_file = {item["file"]: item for item in manifest["inputs"]}
    assert by_file["2024/pl2.xlsx"]["status"] == "chấp nhận" and by_file["2024/pl2.xlsx"]["headcount"] == 71
    assert by_file["2024/pl2.xlsx"]["sha256"] == hashlib.sha256((inputs / "registrations" / "2024" / "pl2.xlsx").read_bytes()).hexdigest()
    assert by_file["2024/ghi_chu.txt"]["status"] == "bị từ chối"
    written = {path.relative_to(outputs / "2026-11").as_posix() for path in (outputs / "2026-11").rglob("*") if path.is_file()} - {"manifest.json"}
    assert set(manifest["outputs"]) == written and len(written) > 10  # every output, none left out
    for name, digest in manifest["outputs"].items():
        assert hashlib.sha256((outputs / "2026-11" / name).read_bytes()).hexdigest() == digest
    assert (outputs / "latest").resolve() == (outputs / "2026-11").resolve()
    assert (outputs / "latest" / "run.log").exists()


def test_failed_run_keeps_previous_outputs_and_latest(one_input: Path, tmp_path: Path):
    inputs = one_input
    outputs = tmp_path / "outputs"
    assert run_cli("run", "--inputs", str(inputs), "--outputs", str(outputs), "--period", "2026-10").returncode == 0
    before = _digests(outputs / "2026-10")
    (inputs / "reference" / "topics.csv").write_text("broken\n", encoding="utf-8")
    result = run_cli("run", "--inputs", str(inputs), "--outputs", str(outputs), "--period", "2026-10")
    assert result.returncode == 2 and "topics.csv" in result.stderr
    assert _digests(outputs / "2026-10") == before
    assert os.readlink(outputs / "latest") == "2026-10"


def test_validate_writes_only_the_report(inputs: Path, tmp_path: Path):
    write_compiled_appendix(inputs / "registrations" / "2024" / "pl3.xlsx", 3)
    outputs = tmp_path / "outputs"
    result = run_cli("validate", "--inputs", str(inputs), "--outputs", str(outputs))
    assert result.returncode == 0, result.stderr
    written = sorted(p.relative_to(outputs / "kiem_tra").as_posix() for p in (outputs / "kiem_tra").rglob("*") if p.is_file())
    assert written == ["data/files.csv", "data/issues.csv", "manifest.json", "run.log", "validation_report.xlsx"]
    assert not (outputs / "latest").exists()


def test_help_is_vietnamese_and_console_command_works():
    for args, text in (([], "Mã thoát: 0 = mọi tệp hợp lệ"), (["run"], "Đọc, kiểm tra, tổng hợp"), (["validate"], "Chỉ đọc và kiểm tra các tệp đầu vào")):
        result = run_cli(*args, "--help")
        assert result.returncode == 0
        assert text in " ".join(result.stdout.split()), args
    script = Path(sys.executable).parent / "hp-training-plan"
    assert subprocess.run([str(script), "--help"], capture_output=True, text=True).returncode == 0
    bad = run_cli("run", "--period", "2026-13")
    assert bad.returncode == 2 and "YYYY-MM" in bad.stderr


def test_readme_cron_line_runs_as_pasted(tmp_path: Path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    installer = next(line for line in readme.splitlines() if "| crontab -" in line)
    # The installer echoes the crontab line with the checkout's path: produce it from a copy.
    checkout = tmp_path / "checkout"
    shutil.copytree(ROOT, checkout, ignore=shutil.ignore_patterns(".git", ".venv", "outputs", ".pytest_cache", "__pycache__", ".hypothesis"))
    (checkout / ".venv").symlink_to(Path(sys.executable).parent.parent)  # the environment the README's first command made
    (checkout / "outputs").mkdir()
    echo = re.search(r'echo "([^"]+)"', installer).group(1)
    cron_line = subprocess.run(["sh", "-c", f'echo "{echo}"'], cwd=checkout, capture_output=True, text=True, check=True).stdout.strip()
    fields = cron_line.split(None, 5)
    assert len(fields) == 6 and fields[:5] == ["0", "6", "1", "*", "*"]
    # cron runs it with sh, a bare environment and HOME as the working directory
    environment = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "SHELL": "/bin/sh"}
    result = subprocess.run(["sh", "-c", fields[5]], cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr + fields[5]
    assert (checkout / "outputs" / "latest" / "manifest.json").exists()
    assert (checkout / "outputs" / "cron.log").exists()
