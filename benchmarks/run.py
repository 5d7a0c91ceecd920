"""Benchmark: the pipeline against the floor (python-calamine reading every cell) and the
naive baseline (pandas.read_excel with openpyxl), on N synthetic unit files.

    python benchmarks/run.py --files 1000

Generates N realistic one-unit-per-file spreadsheets (title block, merged two-row
header, 23 topics x 6 levels, a "Tổng số" row) for a synthetic year whose units and
prices are registered as reference data in a temporary copy of inputs/reference/,
then measures, on the same files:

- floor: python-calamine reading every cell of every file, one process, nothing else;
- naive: pandas.read_excel(path, engine="openpyxl") for every file;
- analyst script: what an analyst would write instead (``benchmarks/analyst.py``):
  pandas.read_excel(path, engine="calamine", header=None) per file, pd.concat, a
  groupby and one to_excel, no checks, in a new process, on one core and on all;
- full: ``python -m pipeline run`` from cold (no cache), every stage and workbook;
- incremental: the same run again after one file changed;
- peak memory (RSS, the whole process tree) of each run, and its CPU seconds (all
  its processes: above the wall time when both cores work);
- start-up: a new Python process importing pandas, pandera, python-calamine and
  xlsxwriter, and nothing else; with the floor shared by every core, the least any
  pipeline on this stack can take ("stack floor").

Each measure but the naive one is taken ``--repeat`` times (default 3; another file
changed for each incremental run) and the median shown, with the highest peak memory.

Prints a table and, last, ``ratio_full_to_floor=X.XX``.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd
import python_calamine
import xlsxwriter

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2031
LEVELS = ["MN", "TH", "THCS", "THPT", "GDTX", "GDNN"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=1000, help="number of unit files (default 1000)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--skip-naive", action="store_true", help="skip the slow pandas/openpyxl baseline")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measure but the naive one; the median is shown (default 3)")
    args = parser.parse_args()

    workspace = Path(tempfile.mkdtemp(prefix="hp-bench-"))
    try:
        inputs = workspace / "inputs"
        started = time.perf_counter()
        files = generate(inputs, args.files)
        print(f"generated {len(files)} files in {time.perf_counter() - started:.1f}s under {workspace}", file=sys.stderr)

        results = []
        floor = statistics.median(measure(lambda: read_floor(files)) for _ in range(args.repeat))
        results.append(("floor (calamine, 1 process)", floor, None, None))
        startup = statistics.median(measure(start_stack) for _ in range(args.repeat))
        results.append(("start-up (Python, pandas, pandera)", startup, None, None))
        cores = os.cpu_count() or 1
        results.append((f"stack floor (start-up + floor / {cores})", startup + floor / cores, None, None))
        if not args.skip_naive:
            results.append(("naive (pd.read_excel openpyxl)", measure(lambda: read_naive(files)), None, None))
        for processes in (1, cores):
            analyst = statistics.median(measure(lambda: run_analyst(inputs, workspace, processes)) for _ in range(args.repeat))
            results.append((f"analyst script, {processes} process{'es' if processes > 1 else ''}", analyst, None, None))
        outputs = workspace / "outputs"
        runs = []
        for _ in range(args.repeat):
            shutil.rmtree(outputs, ignore_errors=True)  # cold: no cache, no earlier period
            runs.append(run_pipeline(inputs, outputs))
        full, full_rss, full_cpu = median_run(runs)
        results.append(("full run, cold", full, full_rss, full_cpu))
        runs = []
        for attempt in range(args.repeat):
            change_one_file(files[(len(files) // 2 + attempt) % len(files)])
            runs.append(run_pipeline(inputs, outputs))
        incremental, incremental_rss, incremental_cpu = median_run(runs)
        results.append(("incremental, 1 file changed", incremental, incremental_rss, incremental_cpu))

        print_table(results, floor, len(files))
        print(f"incremental_to_full={incremental / full:.3f}")
        print(f"ratio_full_to_floor={full / floor:.2f}")
    finally:
        if not args.keep:
            shutil.rmtree(workspace, ignore_errors=True)


# ---------------------------------------------------------------- synthetic inputs


def generate(inputs: Path, count: int) -> list[Path]:
    """Reference data for the synthetic year and ``count`` unit files."""
    shutil.copytree(ROOT / "inputs" / "reference", inputs / "reference")
    topics = pd.read_csv(inputs / "reference" / "topics.csv")
    topics = topics[topics["code"].str.match(r"^(BD|NVSP|KNTHN|TC_DH|CD_DH)")]
    units = [f"Đơn vị thử nghiệm {index:05d}" for index in range(1, count + 1)]
    with open(inputs / "reference" / "units.csv", "a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        for unit in units:
            writer.writerow([unit, "xã", f"{YEAR}-01-01", "", "", "benchmark"])
    _add_plan_year(inputs / "reference", topics)
    folder = inputs / "registrations" / str(YEAR)
    folder.mkdir(parents=True)
    jobs = [(folder / f"don_vi_{index:05d}.xlsx", unit, index, topics[["code", "name", "levels"]].values.tolist()) for index, unit in enumerate(units)]
    with multiprocessing.Pool(os.cpu_count()) as pool:
        return pool.starmap(_write_unit_file, jobs, chunksize=64)


def _add_plan_year(reference: Path, topics: pd.DataFrame) -> None:
    plan = pd.read_csv(reference / "plan.csv", dtype=str, keep_default_na=False)
    rows = []
    for position, (code, levels) in enumerate(zip(topics["code"], topics["levels"]), start=1):
        credit = code in ("TC_DH", "CD_DH")
        row = {column: "" for column in plan.columns}
        row.update(year=str(YEAR), position=str(position), topic=code)
        row.update({level: "100" for level in levels.split() if level in LEVELS})
        row.update(unit_price_million="" if credit else "2", price_per_credit_million="0.442" if credit else "", credits_taught="30" if credit else "")
        rows.append(row)
    pd.concat([plan, pd.DataFrame(rows)]).to_csv(reference / "plan.csv", index=False, lineterminator="\n")
    with open(reference / "plan_appendices.csv", "a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([YEAR, "nhiệm vụ", 11, f"TỔNG HỢP CÁC NỘI DUNG NHIỆM VỤ NĂM {YEAR}", ""])
        writer.writerow([YEAR, "kinh phí", 12, f"KINH PHÍ ĐÀO TẠO, BỒI DƯỠNG NĂM {YEAR}", ""])


def _write_unit_file(path: Path, unit: str, seed: int, topics: list) -> Path:
    """One unit's registration as an office would type it."""
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Đăng ký")
    bold = workbook.add_format({"bold": True, "align": "center", "valign": "vcenter", "border": 1, "text_wrap": True})
    cell = workbook.add_format({"border": 1})
    sheet.merge_range(0, 0, 0, 9, "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG", bold)
    sheet.merge_range(1, 0, 1, 9, f"ĐĂNG KÝ ĐÀO TẠO, BỒI DƯỠNG CBQL, GV NĂM {YEAR}", bold)
    sheet.write(2, 0, f"Đơn vị: {unit}")
    header = 4
    for column, text in [(0, "TT"), (1, "Mã"), (2, "Nội dung"), (9, "Ghi chú")]:
        sheet.merge_range(header, column, header + 1, column, text, bold)
    sheet.merge_range(header, 3, header, 8, "Số lượng đăng ký", bold)
    sheet.write_row(header + 1, 3, LEVELS, bold)
    totals = [0] * 6
    state = seed * 2654435761 % 2**32
    for offset, (code, name, levels) in enumerate(topics):
        row = header + 2 + offset
        sheet.write_number(row, 0, offset + 1, cell)
        sheet.write_string(row, 1, code, cell)
        sheet.write_string(row, 2, name, cell)
        for index, level in enumerate(LEVELS):
            if level in levels.split():
                state = (state * 1103515245 + 12345) % 2**31
                value = state % 12
                totals[index] += value
                sheet.write_number(row, 3 + index, value, cell)
            else:
                sheet.write_blank(row, 3 + index, None, cell)
    total_row = header + 2 + len(topics)
    sheet.write_string(total_row, 2, "Tổng số", bold)
    for index, total in enumerate(totals):
        column = xlsxwriter.utility.xl_col_to_name(3 + index)
        sheet.write_formula(total_row, 3 + index, f"=SUM({column}{header + 3}:{column}{total_row})", bold, total)
    sheet.write(total_row + 2, 6, "Người lập biểu")
    workbook.close()
    return path


def change_one_file(path: Path) -> None:
    """Rewrite one file with other numbers, as a unit sending a correction would."""
    topics = pd.read_csv(ROOT / "inputs" / "reference" / "topics.csv")
    topics = topics[topics["code"].str.match(r"^(BD|NVSP|KNTHN|TC_DH|CD_DH)")]
    unit = f"Đơn vị thử nghiệm {int(path.stem.split('_')[-1]) + 1:05d}"
    _write_unit_file(path, unit, 999_999, topics[["code", "name", "levels"]].values.tolist())


# ---------------------------------------------------------------- measurements


def read_floor(files: list[Path]) -> int:
    cells = 0
    for path in files:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        for name in workbook.sheet_names:
            for row in workbook.get_sheet_by_name(name).to_python(skip_empty_area=False):
                cells += len(row)
        workbook.close()
    return cells


def start_stack() -> None:
    """What any run of a pipeline built on this stack costs before it reads a file: a new
    Python process importing pandas, pandera and the readers and writers."""
    subprocess.run([sys.executable, "-c", "import pandas, pandera.pandas, python_calamine, xlsxwriter"], check=True)


def run_analyst(inputs: Path, workspace: Path, processes: int) -> None:
    """``benchmarks/analyst.py``: read_excel (calamine) per file, concat, groupby, to_excel; no checks."""
    script = Path(__file__).with_name("analyst.py")
    subprocess.run([sys.executable, str(script), str(inputs / "registrations"), str(workspace / "analyst.xlsx"), "--processes", str(processes)], check=True)


def read_naive(files: list[Path]) -> int:
    return sum(pd.read_excel(path, engine="openpyxl", header=None).size for path in files)


def median_run(runs: list[tuple[float, int, float]]) -> tuple[float, int, float]:
    """The median wall time and CPU seconds of some runs, and the highest peak memory."""
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs), statistics.median(r[2] for r in runs)


def measure(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def run_pipeline(inputs: Path, outputs: Path) -> tuple[float, int, float]:
    """Wall time, peak RSS (bytes, summed over the process tree) and CPU seconds (user and
    system, every process of the run) of one pipeline run."""
    command = [sys.executable, "-m", "pipeline", "run", "--inputs", str(inputs), "--outputs", str(outputs), "--period", "2099-01", "--quiet"]
    cpu_before = _children_cpu()
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0]
    sampler = threading.Thread(target=_sample_rss, args=(process, peak), daemon=True)
    sampler.start()
    _, errors = process.communicate()
    elapsed = time.perf_counter() - started
    sampler.join()
    if process.returncode not in (0, 1):
        raise SystemExit(f"pipeline failed ({process.returncode}): {errors.decode()[-2000:]}")
    return elapsed, peak[0], _children_cpu() - cpu_before


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _sample_rss(process: subprocess.Popen, peak: list[int]) -> None:
    while process.poll() is None:
        peak[0] = max(peak[0], _tree_rss(process.pid))
        time.sleep(0.02)


def _tree_rss(pid: int) -> int:
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/status") as handle:
                total += next((int(line.split()[1]) * 1024 for line in handle if line.startswith("VmRSS:")), 0)
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    pending.extend(int(child) for child in handle.read().split())
        except (OSError, ValueError):
            continue
    return total


def print_table(results, floor: float, count: int) -> None:
    print(f"machine: {_processor()}, {os.cpu_count()} cores, {_memory()}, Python {platform.python_version()}, {count} files")
    print(f"{'measure':34} {'seconds':>9} {'x floor':>8} {'files/s':>9} {'peak RSS':>10} {'CPU s':>7}")
    for name, seconds, rss, cpu in results:
        memory = f"{rss / 2**20:8.0f}MB" if rss else ""
        rate = "" if name.startswith("start-up") else f"{count / seconds:.0f}"  # reads no file
        print(f"{name:34} {seconds:9.2f} {seconds / floor:8.2f} {rate:>9} {memory:>10} {'' if cpu is None else f'{cpu:.2f}':>7}")


def _processor() -> str:
    """The processor's model name (Linux), else the architecture."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            model = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), "")
    except OSError:
        model = ""
    return f"{model} ({platform.machine()})" if model else platform.machine()


def _memory() -> str:
    try:
        return f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB"
    except (ValueError, OSError, AttributeError):
        return "memory unknown"


if __name__ == "__main__":
    main()
