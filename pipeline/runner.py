"""The run: chains the stages and publishes the outputs. Wiring only, no logic."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import gc
import logging
import platform
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import pandas as pd

from pipeline import aggregate, ingest, intake, outputs, publish, report
from pipeline.cache import IngestCache, reuse_or_write
from pipeline.reference import ReferenceDataError, file_digest, read_reference
from pipeline.validate import REJECTED

EXIT_CLEAN, EXIT_REJECTED, EXIT_FAILED, EXIT_LOCKED = 0, 1, 2, 3
VALIDATION_FOLDER = "kiem_tra"
LOG_NAME = "run.log"
CACHE_FOLDER = ".cache"
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
    submission_changes: pd.DataFrame | None = None  # whose status changed since the previous period


class RunStopped(Exception):
    """The run cannot go on; the message says why and what to do (exit code 2)."""


def run(
    inputs: Path,
    outputs_folder: Path,
    period: str,
    *,
    validate_only: bool = False,
    on_file: Callable[[str, int, int], None] | None = None,
    deadline: dt.date | None = None,
    year: int | None = None,
) -> RunResult:
    """Read ``inputs``, check them and publish ``outputs_folder/<period>/``.

    With ``validate_only``, only the validation report is written, to
    ``outputs/kiem_tra/``. ``deadline`` is that of ``year`` (else of the latest year
    read), over ``deadlines.csv``; ``year`` gets a submission status even before any
    file. Exit code 0 (clean), 1 (inputs rejected), 2 (cannot proceed) or 3 (another
    run holds the outputs folder).
    """
    started = dt.datetime.now().astimezone()
    command = "validate" if validate_only else "run"
    try:
        with publish.OutputsLock(outputs_folder, f"{command} --period {period}"):
            staging = publish.new_staging(outputs_folder)
            _log_to(staging / LOG_NAME)
            try:
                with _cycle_collector_paused():
                    return _run_locked(inputs, outputs_folder, period, staging, validate_only, on_file, started, deadline, year)
            finally:
                _close_log(staging)
                shutil.rmtree(staging, ignore_errors=True)
    except publish.LockHeld as held:
        holder = held.holder
        return RunResult(
            EXIT_LOCKED,
            message=(
                f"Một lần chạy khác đang dùng thư mục {outputs_folder}: tiến trình {holder.get('pid', '?')} "
                f"trên máy {holder.get('host', '?')}, lệnh \"{holder.get('command', '?')}\", bắt đầu lúc {holder.get('started', '?')}"
            ),
        )
    except (RunStopped, ReferenceDataError) as stopped:
        return RunResult(EXIT_FAILED, message=str(stopped))
    except OSError as error:
        return RunResult(EXIT_FAILED, message=_system_fault(error, outputs_folder))


def _run_locked(inputs, outputs_folder, period, staging, validate_only, on_file, started, deadline, year) -> RunResult:
    log.info("Bắt đầu: đầu vào %s, kỳ %s", inputs, period)
    reference = read_reference(inputs / "reference")
    folder = inputs / "registrations"
    _check_there_is_something_to_read(folder)
    cache = outputs_folder / CACHE_FOLDER
    found = intake.check_inputs(folder, reference, IngestCache(cache, reference.digest), on_file)
    files, issues = found.files, found.issues
    people_held = found.persons is not None and not found.persons["accepted"].all()  # a person's problem holds back that person
    code = EXIT_REJECTED if (files["status"] == REJECTED).any() or people_held else EXIT_CLEAN
    log.info("%d tệp, %d bị từ chối; %d vấn đề", len(files), int((files["status"] == REJECTED).sum()), len(issues))

    previous_period = None if validate_only else _previous_period(outputs_folder, period)
    previous = report.read_registrations(outputs_folder / previous_period / "data" / "registrations.csv") if previous_period else None
    changes = aggregate.compare_periods(previous, found.registrations) if previous is not None else None
    previous_submissions = report.read_submissions(outputs_folder / previous_period / "data" / "submissions.csv") if previous_period else None
    facts = outputs.Run(
        found.registrations, issues, files, found.booked, found.registrations_csv, started.date(), changes, previous_period, previous_submissions, deadline, year,
        found.persons, intake.person_rules(reference), found.samples,
    )
    outputs.write(staging, reference, facts, validation_only=validate_only)
    if not validate_only:
        reused = reuse_or_write(cache / "plan", reference.digest, staging, lambda folder: outputs.write(folder, reference))
        log.info("Phụ lục kế hoạch: %s", "lấy từ bộ nhớ đệm (dữ liệu tham chiếu và chương trình không đổi)" if reused else "đã lập")
    log.info("Kết thúc với mã thoát %d; công bố kết quả", code)
    _close_log(staging)  # nothing may change in the folder after its manifest is written
    report.write_manifest(staging / "manifest.json", _manifest(inputs, files, code, started), staging)
    name = VALIDATION_FOLDER if validate_only else period
    published = publish.publish(staging, outputs_folder, name, is_latest=not validate_only)
    answered = None if validate_only else outputs.submission_changes(reference, facts)
    return RunResult(code, published, found.registrations, issues, files, changes, previous_period, submission_changes=answered)


@contextlib.contextmanager
def _cycle_collector_paused():
    """Python's cycle collector paused for the run, in its workers too (they are forked).

    A run makes millions of small objects (cells, bookings, rows) and almost no reference
    cycles: plain reference counting frees them. The collector would still scan them,
    again and again as the heap grows; pausing it takes 14 % off a full run at
    N = 10 000 (README, performance) and leaves the peak memory as it was.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _check_there_is_something_to_read(folder: Path) -> None:
    """A missing or empty registrations folder is a fault (a share not mounted, a wrong
    --inputs), not a month without registrations: nothing is published."""
    if not folder.is_dir():
        raise RunStopped(f"Không có thư mục đầu vào {folder} (ổ mạng chưa kết nối hoặc sai --inputs); kết quả kỳ trước được giữ nguyên")
    if not any(path.suffix.lower() in ingest.SPREADSHEET_SUFFIXES for path in ingest.input_files(folder)):
        raise RunStopped(f"Thư mục {folder} không có tệp bảng tính nào (.xlsx, .xls, .ods, .csv); kết quả kỳ trước được giữ nguyên")


def _system_fault(error: OSError, outputs_folder: Path) -> str:
    """One line saying what the system refused, and what to do."""
    where = error.filename or outputs_folder
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"Ổ đĩa đã đầy, không ghi được {where}; giải phóng dung lượng rồi chạy lại (kết quả kỳ trước được giữ nguyên)"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"Không có quyền ghi vào {where}; cấp quyền ghi cho tài khoản chạy chương trình hoặc chọn --outputs khác (kết quả kỳ trước được giữ nguyên)"
    return f"Lỗi hệ thống khi đọc, ghi {where}: {error.strerror or error}; kết quả kỳ trước được giữ nguyên"


def _manifest(inputs: Path, files: pd.DataFrame, code: int, started: dt.datetime) -> dict:
    """The run's record; the outputs with their sha256 are added by the writer."""
    return {
        "started": started.isoformat(timespec="seconds"),
        "finished": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "exit_code": code,
        "program": {"name": "hp-training-plan", "version": _version("hp-training-plan")},
        "python": platform.python_version(),
        "libraries": {name: _version(name) for name in _LIBRARIES},
        "inputs": [
            {"file": row["file"], "size_bytes": int(row["size_bytes"]), "sha256": row["sha256"], "status": row["status"], "rows": int(row["rows"]), "headcount": int(row["headcount"])}
            for row in files.to_dict("records")
        ],
        "reference": {path.relative_to(inputs).as_posix(): file_digest(path) for path in sorted((inputs / "reference").glob("*")) if path.is_file()},
    }


def _previous_period(outputs_folder: Path, period: str) -> str | None:
    """The period to compare with: this one if it was published before (a rerun in the same
    month), else the last earlier one."""
    earlier = [p for p in publish.periods(outputs_folder) if _PERIOD.match(p) and p <= period]
    with_data = [p for p in earlier if (outputs_folder / p / "data" / "registrations.csv").exists()]
    return with_data[-1] if with_data else None


def _log_to(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.setLevel(logging.INFO)
    log.addHandler(handler)


def _close_log(folder: Path) -> None:
    for handler in list(log.handlers):
        if isinstance(handler, logging.FileHandler) and Path(handler.baseFilename).is_relative_to(folder.resolve()):
            log.removeHandler(handler)
            handler.close()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"
