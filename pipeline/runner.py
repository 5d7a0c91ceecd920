"""The run: chains the stages and publishes the outputs. Wiring only, no logic."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline import aggregate, ingest, report, validate

EXIT_CLEAN, EXIT_REJECTED, EXIT_FAILED = 0, 1, 2


@dataclass(frozen=True)
class RunResult:
    """What a run did: its exit code, where it wrote, and the tables it produced."""

    exit_code: int
    output_folder: Path | None
    registrations: pd.DataFrame
    issues: pd.DataFrame
    files: pd.DataFrame
    message: str = ""


def run(inputs: Path, outputs: Path, period: str) -> RunResult:
    """Read ``inputs``, write ``outputs/<period>/``; exit code 0, 1 (inputs rejected) or 2."""
    try:
        reference = ingest.read_reference(inputs / "reference")
        validate.check_reference(reference)
    except ingest.ReferenceDataError as error:
        empty = pd.DataFrame()
        return RunResult(EXIT_FAILED, None, empty, empty, empty, str(error))

    cells, files, read_issues = ingest.read_registrations(inputs / "registrations", reference)
    registrations, issues, files = validate.check_registrations(cells, files, read_issues, reference)
    tables = aggregate.build_appendices(
        registrations, reference.appendices, reference.appendix_columns, reference.units
    )

    target = outputs / period
    staging = outputs / f".{period}.staging-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        for year in sorted({table.year for table in tables}):
            report.write_appendices(
                staging / f"phu_luc_dang_ky_{year}.xlsx", [t for t in tables if t.year == year]
            )
        report.write_issue_report(staging / "validation_report.xlsx", issues, files)
        report.write_csv(staging / "data" / "registrations.csv", registrations)
        report.write_csv(staging / "data" / "issues.csv", issues)
        report.write_csv(staging / "data" / "files.csv", files)
        _publish(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    rejected = (files["status"] == validate.REJECTED).any() if len(files) else False
    code = EXIT_REJECTED if rejected else EXIT_CLEAN
    return RunResult(code, target, registrations, issues, files)


def _publish(staging: Path, target: Path) -> None:
    """Swap the finished folder in; the previous outputs stay whole until the last moment."""
    previous = target.with_name(f".{target.name}.previous-{os.getpid()}")
    if target.exists():
        target.rename(previous)
    staging.rename(target)
    shutil.rmtree(previous, ignore_errors=True)
