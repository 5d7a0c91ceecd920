"""The run: chains the stages and publishes the outputs. Wiring only, no logic."""

from __future__ import annotations

import ctypes
import datetime as dt
import functools
import itertools
import logging
import multiprocessing
import os
import platform
import re
import shutil
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

import schemas
from pipeline import aggregate, campaign, costing, ingest, publish, reconcile, report, templates, validate
from pipeline.ingest import campaign as ingest_campaign
from pipeline.report import campaign as report_campaign
from pipeline.cache import IngestCache, reuse_or_write

EXIT_CLEAN, EXIT_REJECTED, EXIT_FAILED, EXIT_LOCKED = 0, 1, 2, 3
VALIDATION_FOLDER = "kiem_tra"
LOG_NAME = "run.log"
CACHE_FOLDER = ".cache"
_PARALLEL_FROM = 64  # below this many files to read, a worker pool costs more than it saves
_BATCH_MIN, _BATCH_MAX = 25, 500  # files checked together: each batch costs ~0.1 s of fixed pandas/pandera work; 500 keeps a worker under 250 MB
_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_LIBRARIES = ("pandas", "pandera", "python-calamine", "xlsxwriter", "openpyxl", "rapidfuzz", "typer")

log = logging.getLogger("pipeline")


@dataclass
class RunResult:
    """What a run did: its exit code, where it wrote, the tables it produced, what changed."""

    exit_code: int
    output_folder: Path | None = None
    registrations: pd.DataFrame = field(default_factory=pd.DataFrame)
    issues: pd.DataFrame = field(default_factory=pd.DataFrame)
    files: pd.DataFrame = field(default_factory=pd.DataFrame)
    changes: pd.DataFrame | None = None
    previous_period: str | None = None
    message: str = ""


def run(
    inputs: Path,
    outputs: Path,
    period: str,
    *,
    validate_only: bool = False,
    on_file: Callable[[str, int, int], None] | None = None,
    deadline: dt.date | None = None,
    year: int | None = None,
) -> RunResult:
    """Read ``inputs``, check them and publish ``outputs/<period>/``.

    With ``validate_only``, only the validation report is written, to
    ``outputs/kiem_tra/``. ``deadline`` is that of ``year`` (else of the latest year
    read), over ``deadlines.csv``; ``year`` gets a status workbook even without a
    file. Exit code 0 (clean), 1 (inputs rejected), 2 (cannot
    proceed) or 3 (another run holds the outputs folder).
    """
    started = dt.datetime.now().astimezone()
    command = "validate" if validate_only else "run"
    try:
        with publish.OutputsLock(outputs, f"{command} --period {period}"):
            staging = publish.new_staging(outputs)
            _log_to(staging / LOG_NAME)
            try:
                return _run_locked(inputs, outputs, period, staging, validate_only, on_file, started, (deadline, year))
            finally:
                _close_log(staging)
                shutil.rmtree(staging, ignore_errors=True)
    except publish.LockHeld as held:
        holder = held.holder
        return RunResult(
            EXIT_LOCKED,
            message=(
                f"Một lần chạy khác đang dùng thư mục {outputs}: tiến trình {holder.get('pid', '?')} "
                f"trên máy {holder.get('host', '?')}, lệnh \"{holder.get('command', '?')}\", bắt đầu lúc {holder.get('started', '?')}"
            ),
        )


def _run_locked(inputs, outputs, period, staging, validate_only, on_file, started, campaign_options) -> RunResult:
    log.info("Bắt đầu: đầu vào %s, kỳ %s", inputs, period)
    try:
        reference = ingest.read_reference(inputs / "reference")
        validate.check_reference(reference)
        deadlines = ingest_campaign.read_deadlines(inputs / "reference")
    except ingest.ReferenceDataError as error:
        log.error("%s", error)
        return RunResult(EXIT_FAILED, message=str(error))

    reference_digest = ingest.folder_digest(inputs / "reference")  # keys the caches
    # The plan's workbooks need the reference data alone: written by a second process meanwhile.
    plan_job = None if validate_only else _Background("ghi các phụ lục kế hoạch", _write_plan_outputs, staging, outputs / CACHE_FOLDER, reference, reference_digest)
    try:
        return _check_and_write(inputs, outputs, period, staging, validate_only, on_file, started, reference, reference_digest, plan_job, (deadlines, *campaign_options))
    finally:
        if plan_job is not None:
            plan_job.stop()


def _check_and_write(inputs, outputs, period, staging, validate_only, on_file, started, reference, reference_digest, plan_job, campaign_options) -> RunResult:
    registrations, issues, files, booked = _read_inputs(inputs, outputs, reference, reference_digest, on_file)
    rejected = bool(len(files)) and (files["status"] == validate.REJECTED).any()
    code = EXIT_REJECTED if rejected else EXIT_CLEAN
    log.info("%d tệp, %d bị từ chối; %d vấn đề", len(files), int((files["status"] == validate.REJECTED).sum()) if len(files) else 0, len(issues))

    report.write_issue_report(staging / "validation_report.xlsx", issues, files)
    report.write_csv(staging / "data" / "issues.csv", issues)
    report.write_csv(staging / "data" / "files.csv", files)
    if validate_only:
        _finish(staging, inputs, files, code, started)
        folder = publish.publish(staging, outputs, VALIDATION_FOLDER, is_latest=False)
        return RunResult(code, folder, registrations, issues, files)

    previous_period = _previous_period(outputs, period)
    previous = ingest.read_previous_registrations(outputs / previous_period / "data" / "registrations.csv") if previous_period else None
    changes = aggregate.compare_periods(previous, registrations) if previous is not None else None
    coverage = _write_campaign(staging, outputs, reference, files, issues, booked, previous_period, started, *campaign_options)
    _write_outputs(staging, reference, registrations, changes, previous_period, coverage)
    plan_job.wait()
    _finish(staging, inputs, files, code, started)
    folder = publish.publish(staging, outputs, period)
    log.info("Đã ghi kết quả vào %s", folder)
    return RunResult(code, folder, registrations, issues, files, changes, previous_period)


def _read_inputs(inputs: Path, outputs: Path, reference: ingest.Reference, reference_digest: str, on_file):
    """Every input file read and checked once: an unchanged file comes from the cache,
    the others are read and checked in batches on every core; then what only all
    files together show (the same figure sent twice) is checked over all of them."""
    folder = inputs / "registrations"
    cache = IngestCache(outputs / CACHE_FOLDER, reference_digest)
    paths = ingest.list_input_files(folder)
    prefix = len(str(folder)) + 1
    names = [str(path)[prefix:].replace(os.sep, "/") for path in paths]
    digests = [ingest.file_digest(path) for path in paths]
    keys = [cache.key(name, digest) for name, digest in zip(names, digests)]
    results: list = [cache.load(key) for key in keys]
    missing = [index for index, result in enumerate(results) if result is None]
    done = len(paths) - len(missing)
    for name, result in zip(names, results):
        if result is not None:
            log.info("Đọc %s (không đổi, lấy từ bộ nhớ đệm)", name)
    checked = _check_in_batches([paths[i] for i in missing], [names[i] for i in missing], reference)
    for index, result in zip(missing, checked, strict=True):  # strict: the pool is shut down at the end
        results[index] = result
        cache.save(keys[index], result)
        log.info("Đọc %s", names[index])
        done += 1
        if on_file:
            on_file(names[index], done, len(paths))
    cache.write(set(keys))
    issues = pd.DataFrame([issue for result in results for issue in result[1]], columns=list(schemas.Issue.to_schema().columns))
    stats = [path.stat() for path in paths]
    files = pd.DataFrame(
        [
            result[2] | {"size_bytes": stat.st_size, "sha256": digest, "modified": dt.datetime.fromtimestamp(stat.st_mtime).replace(microsecond=0)}
            for result, stat, digest in zip(results, stats, digests)
        ],
        columns=["file", "sheets", "rows", "headcount", "size_bytes", "sha256", "modified"],
    )
    rows = _rows_frame([result[0] for result in results])
    del results, cache  # the per-file lists: the table holds their values now
    return *validate.check_across(rows, issues, files), campaign.summarise_booked(rows)


def _rows_frame(per_file: list[dict[str, list]]) -> pd.DataFrame:
    """The data rows of every file in one table; columns as read (no type guessing), headcount as floats."""
    def joined(column: str) -> list:
        return list(itertools.chain.from_iterable(rows[column] for rows in per_file))

    return pd.DataFrame(
        {column: np.array(joined(column), dtype=float) if column == "headcount" else pd.Series(joined(column), dtype=object) for column in validate.ROW_COLUMNS}
    )


# Set before the worker processes start (they are forked and inherit it).
_BATCH_CONTEXT: dict = {}


def _check_in_batches(paths: list[Path], names: list[str], reference: ingest.Reference):
    """Per file, in order: (rows as lists, issues, file row), read and checked in batches."""
    _BATCH_CONTEXT.update(vocabulary=ingest.header_vocabulary(reference), lookup=validate.prepare(reference))
    workers = min(os.cpu_count() or 1, 8)
    parallel = workers >= 2 and len(paths) >= _PARALLEL_FROM
    # In parallel, two batches per worker at least, so a worker slowed at the start (the
    # plan's workbooks are written meanwhile) catches up; no more, as each batch costs
    # ~0.1 s. Capped for memory.
    size = max(_BATCH_MIN, min(_BATCH_MAX, -(-len(paths) // (workers * 2)))) if parallel else _BATCH_MAX
    batches = [(paths[i : i + size], names[i : i + size]) for i in range(0, len(paths), size)]
    if not parallel:
        for batch in batches:
            yield from _check_batch(*batch)
        return
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        for results in pool.map(_check_batch, *zip(*batches)):
            yield from results


def _check_batch(paths: list[Path], names: list[str]) -> list[tuple[dict, list, dict]]:
    read = [ingest.read_file(path, name, _BATCH_CONTEXT["vocabulary"]) for path, name in zip(paths, names)]
    cells, files, read_issues = ingest.combine(*(list(part) for part in zip(*read)))
    rows, issues, files = validate.check_files(cells, files, read_issues, lookup=_BATCH_CONTEXT["lookup"])
    # Split back per file with plain lists: a groupby per file costs more than the checks.
    columns = {column: rows[column].tolist() for column in validate.ROW_COLUMNS}
    positions: dict[str, list[int]] = {}
    for position, name in enumerate(columns["source_file"]):
        positions.setdefault(name, []).append(position)
    issues_of: dict[str, list[dict]] = {}
    for issue in issues.to_dict("records"):
        issues_of.setdefault(issue["file"], []).append(issue)
    return [
        (
            _take(columns, positions.get(name, [])),
            issues_of.get(name, []),
            file_row,
        )
        for name, file_row in zip(names, files.to_dict("records"))
    ]


def _take(columns: dict[str, list], positions: list[int]) -> dict[str, list]:
    """The values at ``positions`` of every column; a contiguous run is sliced."""
    if positions and positions[-1] - positions[0] + 1 == len(positions):
        start, stop = positions[0], positions[-1] + 1
        return {column: values[start:stop] for column, values in columns.items()}
    return {column: [values[i] for i in positions] for column, values in columns.items()}


class _Background:
    """A function run in a forked process while the run goes on."""

    def __init__(self, what: str, function: Callable, *args):
        self.what = what
        self.process = multiprocessing.get_context("fork").Process(target=_die_with_parent, args=(os.getpid(), function, *args), daemon=True)
        self.process.start()

    def wait(self) -> None:
        """Wait for the function to finish; raise if it failed (its traceback is on stderr)."""
        self.process.join()
        if self.process.exitcode != 0:
            raise RuntimeError(f"Tiến trình phụ {self.what} bị lỗi (mã thoát {self.process.exitcode})")

    def stop(self) -> None:
        """End the process if the run ended first (it failed)."""
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()


def _die_with_parent(parent: int, function: Callable, *args) -> None:
    """Run ``function`` in a child that the kernel kills if the run dies (Linux), so a
    killed run leaves nothing writing behind it."""
    try:
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # not Linux: the child finishes its work and exits
    if os.getppid() != parent:
        return  # the run died before the request was made
    function(*args)


_PR_SET_PDEATHSIG = 1


def _write_plan_outputs(staging: Path, cache: Path, reference, reference_digest: str) -> None:
    """The plan's workbooks, reused from the cache while the reference data and the code are unchanged."""
    plan = reference.plan
    targets, prices = costing.plan_targets(plan), costing.unit_prices(plan)
    write = functools.partial(_write_plan, reference=reference, targets=targets, prices=prices, years=sorted(set(plan["year"])))
    reuse_or_write(cache / "plan", reference_digest, staging, write)


def _write_outputs(staging: Path, reference, registrations, changes, previous_period, coverage: dict[int, str]) -> None:
    plan = reference.plan
    targets = costing.plan_targets(plan)
    prices = costing.unit_prices(plan)
    priced_plan = costing.price(targets, prices)
    reconciliation = reconcile.reconcile(priced_plan, reference.plan_printed, reference.plan_appendices, reference.topics, plan)
    registered = aggregate.city_headcounts(registrations)
    plan_years = sorted(set(plan["year"]))

    tables = aggregate.build_appendices(registrations, reference.appendices, reference.appendix_columns, reference.units)
    for year in sorted({table.year for table in tables}):
        report.write_appendices(staging / f"phu_luc_dang_ky_{year}.xlsx", [t for t in tables if t.year == year])
    report.write_summary(
        staging / f"tong_hop_{plan_years[0]}_{plan_years[-1]}.xlsx",
        reconcile.summarise_years(priced_plan, reference.plan_printed, reference.plan_appendices),
        aggregate.headcount_by_level(targets),
        reconciliation,
        f"TỔNG HỢP KINH PHÍ KẾ HOẠCH ĐÀO TẠO, BỒI DƯỠNG {plan_years[0]}-{plan_years[-1]}",
        changes=changes,
        previous_period=previous_period,
    )
    for year in sorted(set(registered["year"]) & set(plan_years)):
        lines = aggregate.plan_lines(plan, registered, reference.topics, year, keep_empty=False)
        report.write_cost_workbook(
            staging / f"dang_ky_{year}_kinh_phi.xlsx",
            [("Kinh phí đăng ký", [f"KINH PHÍ THEO SỐ ĐĂNG KÝ NĂM {year}"], "(Tổng hợp từ số liệu đăng ký của các đơn vị)", costing.price_lines(lines, prices))],
            comparison=_named(aggregate.compare_with_plan(registered[registered["year"] == year], targets), reference.topics),
            coverage=coverage.get(year),
        )
    report.write_csv(staging / "data" / "registrations.csv", registrations)
    report.write_csv(staging / "data" / "plan.csv", priced_plan)
    report.write_csv(staging / "data" / "costs.csv", costing.price(registered, prices))
    report.write_csv(staging / "data" / "reconciliation.csv", reconciliation)
    if changes is not None:
        report.write_csv(staging / "data" / "changes.csv", changes)


def _write_campaign(staging, outputs, reference, files, issues, booked, previous_period, started, deadlines, deadline, named_year) -> dict[int, str]:
    """Each year's status workbook and feedback letters, and ``data/submissions.csv``;
    returns each year's coverage line for "So với kế hoạch"."""
    previous = ingest_campaign.read_previous_submissions(outputs / previous_period / "data" / "submissions.csv") if previous_period else None
    problems = campaign.attribute_issues(issues, booked)
    years = campaign.campaign_years(booked, files, named_year)
    as_of = started.date()  # a day, not a time: the same inputs give the same bytes that day
    tables, coverage = [], {}
    for year in years:
        year_deadline, source = campaign.deadline_of(deadlines, year, deadline, named_year or years[-1])
        found = campaign.year_campaign(templates.unit_list(reference, year), files, booked, problems, year, years, year_deadline, source, as_of, previous)
        report_campaign.write_campaign(staging, found)
        tables.append(campaign.submissions_table(year, found.status, found.undetermined, year_deadline))
        coverage[year] = found.coverage
    if tables:
        report.write_csv(staging / "data" / "submissions.csv", pd.concat(tables, ignore_index=True))
    return coverage


def _write_plan(staging: Path, reference, targets: pd.DataFrame, prices: pd.DataFrame, years: list[int]) -> None:
    """The tasks workbook (appendices 1–5) and the cost workbook (6–10) of each plan year."""
    appendices = reference.plan_appendices.set_index(["year", "kind"])
    for year in years:
        tasks = appendices.loc[(year, "nhiệm vụ")]
        lines = aggregate.plan_lines(reference.plan, targets, reference.topics, year, keep_empty=True)
        report.write_plan_tasks(staging / f"ke_hoach_{year}_nhiem_vu.xlsx", lines, int(tasks["appendix"]), tasks["title"], tasks["attachment"])
        costs = appendices.loc[(year, "kinh phí")]
        lines = costing.price_lines(aggregate.plan_lines(reference.plan, targets, reference.topics, year, keep_empty=False), prices)
        headings = [f"PHỤ LỤC {int(costs['appendix'])}", costs["title"]]
        report.write_cost_workbook(staging / f"ke_hoach_{year}_kinh_phi.xlsx", [(f"PL{int(costs['appendix'])}", headings, costs["attachment"], lines)])


def _finish(staging: Path, inputs: Path, files: pd.DataFrame, code: int, started: dt.datetime) -> None:
    """Write the manifest last, once every other output exists, so it can list them."""
    log.info("Kết thúc với mã thoát %d; công bố kết quả", code)
    _close_log(staging)  # nothing may change in the folder after its manifest is written
    manifest = {
        "started": started.isoformat(timespec="seconds"),
        "finished": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "exit_code": code,
        "program": {"name": "hp-training-plan", "version": _version("hp-training-plan")},
        "python": platform.python_version(),
        "libraries": {name: _version(name) for name in _LIBRARIES},
        "inputs": [
            {
                "file": row["file"], "size_bytes": int(row["size_bytes"]), "sha256": row["sha256"],
                "status": row["status"], "rows": int(row["rows"]), "headcount": int(row["headcount"]),
            }
            for row in files.to_dict("records")
        ],
        "reference": {
            path.relative_to(inputs).as_posix(): ingest.file_digest(path)
            for path in sorted((inputs / "reference").glob("*")) if path.is_file()
        },
    }
    report.write_manifest(staging / "manifest.json", manifest, staging)


def _previous_period(outputs: Path, period: str) -> str | None:
    earlier = [p for p in publish.periods(outputs) if _PERIOD.match(p) and p < period]
    with_data = [p for p in earlier if (outputs / p / "data" / "registrations.csv").exists()]
    return with_data[-1] if with_data else None


def _named(comparison: pd.DataFrame, topics: pd.DataFrame) -> pd.DataFrame:
    return comparison.assign(name=comparison["topic"].map(topics.set_index("code")["name"]))


def _log_to(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger = logging.getLogger("pipeline")
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)


def _close_log(folder: Path) -> None:
    logger = logging.getLogger("pipeline")
    for handler in list(logger.handlers):
        if isinstance(handler, logging.FileHandler) and Path(handler.baseFilename).is_relative_to(folder.resolve()):
            logger.removeHandler(handler)
            handler.close()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"
