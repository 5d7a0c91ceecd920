"""Ingest for the registration campaign: the deadlines (reference data) and the status an earlier run published."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from pipeline.ingest import ReferenceDataError
from schemas.campaign import Deadline, Submission

DEADLINES_FILE = "deadlines.csv"


def read_deadlines(folder: Path) -> pd.DataFrame:
    """The deadline of each year (``deadlines.csv`` under ``folder``); no file, no deadline.

    Raises:
        ReferenceDataError: the file is unreadable or breaks ``schemas.campaign.Deadline``.
    """
    path = folder / DEADLINES_FILE
    if not path.exists():
        return Deadline.validate(pd.DataFrame({"year": [], "deadline": [], "source": []}))
    try:
        frame = pd.read_csv(path, keep_default_na=False, na_values=[""], encoding="utf-8-sig", dtype={"deadline": str})
        frame = frame.assign(deadline=pd.to_datetime(frame["deadline"], format="%Y-%m-%d")) if "deadline" in frame else frame
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, ValueError) as error:
        raise ReferenceDataError(f"Không đọc được tệp dữ liệu tham chiếu {path} (hạn nộp ghi dạng YYYY-MM-DD): {error}") from error
    try:
        return Deadline.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as error:
        cases = error.failure_cases[["column", "check", "failure_case", "index"]]
        raise ReferenceDataError(f"Tệp dữ liệu tham chiếu {path} không hợp lệ:\n{cases.to_string(index=False)}") from error


def read_previous_submissions(path: Path) -> pd.DataFrame | None:
    """The submission status an earlier run published, or None when there is none to read."""
    try:
        frame = pd.read_csv(path, encoding="utf-8", keep_default_na=False, na_values=[""], dtype={"unit": str, "status": str})
    except (OSError, UnicodeDecodeError, pd.errors.ParserError):
        return None
    # Only what the comparison needs: an older run's file may have fewer columns.
    return frame if {Submission.year, Submission.unit, Submission.status} <= set(frame.columns) else None
