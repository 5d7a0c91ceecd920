"""Campaign: who has sent their registrations, who has not, and what each unit must fix.

Pure functions: DataFrames in, new DataFrames out, no I/O. A year's campaign sets
the year's list of units (``templates.unit_list``: ``name``, ``title``, ``slug``,
optionally ``email``, in the list's order) against what a run read:

- ``booked`` (``summarise_booked``): one row per file, sheet, sheet row, year and
  unit that the file's cells were booked to, accepted or not, with the headcount
  and ``overlaps``, the other files booking a same figure (year, unit, topic,
  level) for that unit;
- ``files``: one row per input file: ``file``, ``status`` ("chấp nhận" or "bị từ
  chối", ``validate.ACCEPTED``/``REJECTED``), ``modified`` (its modification time);
- ``problems`` (``attribute_issues``): the validation report's rows, each with
  the ``year`` and ``unit`` it concerns, empty when that cannot be told.

The rules:

- A unit has answered through a file when a row of the file is booked to it: a
  compiled table answers for every unit it lists.
- A problem goes to the unit of the row it is on. A problem off the data rows
  (title, header, "Tổng số" row, the whole sheet or file) goes to every unit of
  that sheet, else of that file: each of them is held back by it. With no unit
  known it goes to no letter, and the file is listed as "không xác định được đơn vị".
- Two files of a unit that book a same figure are copies: the last modified one
  is kept, the others are to be removed (from a file listing other units too,
  only the unit's rows). Problems in those, and the "sent twice" problems they
  cause in the kept file, are left out of the unit's letter: removing the copy
  clears them. Copies modified at the same moment: none is chosen.
- A unit's status: "chưa nộp" (no file), "bị giữ lại" (one of its files held
  back), else "đã chấp nhận". A file modified after the deadline's day is late;
  a unit without a file after the deadline's day is overdue.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.ingest import folder_year
from pipeline.validate import ACCEPTED as FILE_ACCEPTED
from pipeline.validate import ERROR
from schemas.campaign import ACCEPTED, HELD_BACK, MISSING, UNDETERMINED, Submission

KEEP, REMOVE_FILE, REMOVE_ROWS, UNDECIDED = "giữ", "xóa tệp", "xóa các dòng của đơn vị trong tệp", "chưa rõ bản nào đúng"
BOOKED_COLUMNS = ["file", "sheet", "row", "year", "unit", "headcount", "overlaps"]
COUNT_LABELS = {
    "total": "Số đơn vị trong danh sách",
    "received": "Đã nộp",
    "accepted": "Đã chấp nhận",
    "held_back": "Bị giữ lại",
    "missing": "Chưa nộp",
    "late": "Có tệp nộp muộn",
    "overdue": "Quá hạn chưa nộp",
    "undetermined": "Tệp không xác định được đơn vị",
}
_ROW_OF_CELL = re.compile(r"(\d+)$")


@dataclass(frozen=True)
class Letter:
    """One unit's feedback: its problems (validation report columns, in report order)
    and its files (``file``, ``modified``, ``file_status``, ``action``)."""

    unit: str
    title: str
    slug: str
    email: str | None
    problems: pd.DataFrame
    files: pd.DataFrame
    note: str


@dataclass(frozen=True)
class YearCampaign:
    """Everything the status workbook, the letters and ``submissions.csv`` show for a year."""

    year: int
    deadline: dt.date | None
    deadline_source: str
    as_of: dt.date  # the run's day: what is overdue, the letters' date
    status: pd.DataFrame
    counts: pd.DataFrame
    undetermined: pd.DataFrame
    letters: list[Letter]
    mail: pd.DataFrame | None
    changes: pd.DataFrame | None
    coverage: str


# ---------------------------------------------------------------- what the run read


def summarise_booked(per_row: pd.DataFrame, cells: pd.DataFrame) -> pd.DataFrame:
    """What each file books, accepted or not: one row per file, sheet, sheet row, year and unit.

    Args:
        per_row: each file's own summary (``validate.booked_per_row``), with its file:
            ``file``, ``sheet``, ``row``, ``year`` (None where unknown), ``unit`` (None
            where unknown), ``headcount``.
        cells: the cells booked that may overlap (``validate.bookings_table`` of the files
            ``validate.may_repeat`` names, or of every file: ``source_file``, ``year``,
            ``unit``, ``topic``, ``level``...).

    Returns:
        ``BOOKED_COLUMNS``: ``year`` a float, NaN where unknown, ``unit`` None where
        unknown; ``overlaps`` is the sorted tuple of the other files that book a same
        year, unit, topic and level for this unit.
    """
    if per_row.empty:
        return pd.DataFrame({column: pd.Series(dtype=object) for column in BOOKED_COLUMNS})
    frame = pd.DataFrame(
        {
            "file": per_row["file"].to_numpy(dtype=object),
            "sheet": per_row["sheet"].to_numpy(dtype=object),
            "row": per_row["row"].to_numpy(dtype=np.int64),
            "year": pd.to_numeric(per_row["year"], errors="coerce").to_numpy(dtype=float),  # floats, NaN unknown: iterated much faster than Int64
            "unit": per_row["unit"].to_numpy(dtype=object),
            "headcount": per_row["headcount"].to_numpy(dtype=float),
        }
    )
    partners = _overlapping_files(cells) if len(cells) else {}
    overlaps = [
        tuple(sorted(partners.get((int(year), unit, file), ()))) if unit is not None and not pd.isna(year) else ()
        for file, year, unit in zip(frame["file"], frame["year"], frame["unit"])
    ] if partners else [()] * len(frame)
    return frame.assign(overlaps=overlaps)[BOOKED_COLUMNS]


def _overlapping_files(cells: pd.DataFrame) -> dict[tuple[int, str, str], set[str]]:
    """(year, unit, file) -> the other files booking a same topic and level for that unit and year."""
    # Grouped on integer codes: a run may book over a million cells, and hashing them as text costs seconds.
    keys = pd.DataFrame({column: pd.factorize(cells[column])[0] for column in ("year", "unit", "topic", "level")})
    known = (keys >= 0).all(axis=1).to_numpy()
    repeated = np.flatnonzero(known & keys.duplicated(keep=False).to_numpy())
    if not len(repeated):
        return {}
    figures = cells.iloc[repeated][["year", "unit", "topic", "level", "source_file"]]
    partners: dict[tuple[int, str, str], set[str]] = {}
    for (year, unit, _, _), files in figures.groupby(["year", "unit", "topic", "level"], sort=False)["source_file"]:
        distinct = set(files)
        for file in distinct if len(distinct) > 1 else ():
            partners.setdefault((int(year), unit, file), set()).update(distinct - {file})
    return partners


def attribute_issues(issues: pd.DataFrame, booked: pd.DataFrame) -> pd.DataFrame:
    """The validation report's rows with the ``year`` and ``unit`` each concerns (see the module's rules).

    A problem concerning several units (off the rows of a compiled table) is
    repeated once per unit; one concerning no known unit has ``unit`` empty and,
    where the file books a year, that year.
    """
    by_row: dict[tuple, set] = {}
    by_sheet: dict[tuple, set] = {}
    by_file: dict[str, set] = {}
    booked = booked[booked["file"].isin(set(issues["file"]))]  # the files with a problem
    for file, sheet, row, year, unit in zip(booked["file"], booked["sheet"], booked["row"], booked["year"], booked["unit"]):
        pair = (None if pd.isna(year) else int(year), None if unit is None or pd.isna(unit) else unit)
        by_row.setdefault((file, sheet, int(row)), set()).add(pair)
        by_sheet.setdefault((file, sheet), set()).add(pair)
        by_file.setdefault(file, set()).add(pair)
    records = []
    for issue in issues.to_dict("records"):
        row = _ROW_OF_CELL.search(issue["cell"] or "")
        pairs = by_row.get((issue["file"], issue["sheet"], int(row.group(1)))) if row else None
        if pairs is None:  # off the data rows: the sheet's units, else the file's
            pairs = {p for p in by_sheet.get((issue["file"], issue["sheet"]), set()) if p[1] is not None} or by_file.get(issue["file"], set())
        units = sorted((year, unit) for year, unit in pairs if unit is not None and year is not None)
        if units:
            records += [issue | {"year": year, "unit": unit} for year, unit in units]
        else:
            years = sorted({year for year, _ in pairs if year is not None}) or [None]
            records += [issue | {"year": year, "unit": None} for year in years]
    columns = [*(column for column in issues.columns if column not in ("year", "unit")), "year", "unit"]
    frame = pd.DataFrame(records, columns=columns)
    return frame.assign(year=frame["year"].astype("Int64"), unit=frame["unit"].astype(object))


def campaign_years(booked: pd.DataFrame, files: pd.DataFrame, named_year: int | None = None) -> list[int]:
    """The years a run reports on: every year a file books, the year of the folder
    ("2026/...") of a file that books none, and ``named_year``."""
    years = {int(year) for year in booked["year"].dropna().unique()}
    booking = set(booked.loc[booked["year"].notna(), "file"].unique())
    years |= {hint for file in files["file"] if file not in booking and (hint := folder_year(file)) is not None}
    if named_year is not None:
        years.add(int(named_year))
    return sorted(years)


def deadline_of(deadlines: pd.DataFrame, year: int, given: dt.date | None, given_year: int | None) -> tuple[dt.date | None, str]:
    """The deadline of ``year`` and where it comes from: ``given`` (``--deadline``) for
    ``given_year``, else ``deadlines.csv``; (None, "") when there is none."""
    if given is not None and year == given_year:
        return given, "--deadline"
    found = deadlines[deadlines["year"] == year]
    if found.empty:
        return None, ""
    return pd.Timestamp(found["deadline"].iloc[0]).date(), str(found["source"].iloc[0])


# ---------------------------------------------------------------- a year's campaign


def year_campaign(
    units: pd.DataFrame,
    files: pd.DataFrame,
    booked: pd.DataFrame,
    problems: pd.DataFrame,
    year: int,
    years: list[int],
    deadline: dt.date | None,
    deadline_source: str,
    as_of: dt.date,
    previous: pd.DataFrame | None = None,
) -> YearCampaign:
    """The status of ``year``'s campaign: every unit of ``units``, the files no unit
    could be found for, the counts, the letters, the mail-merge list and the change
    since ``previous`` (an earlier ``submissions.csv``; None: no comparison)."""
    per_unit = unit_files(booked, files, year)
    own = letter_problems(problems, per_unit, year)
    status = submission_status(units, per_unit, own, deadline, as_of)
    undetermined = undetermined_files(problems, booked, files, year, years)
    letters = feedback_letters(status, per_unit, own)
    current = submissions_table(year, status, undetermined, deadline)
    return YearCampaign(
        year=year,
        deadline=deadline,
        deadline_source=deadline_source,
        as_of=as_of,
        status=status,
        counts=status_counts(status, undetermined),
        undetermined=undetermined,
        letters=letters,
        mail=mail_list(letters, year) if "email" in units.columns else None,
        changes=compare_submissions(previous, current) if previous is not None else None,
        coverage=coverage_line(status),
    )


def unit_files(booked: pd.DataFrame, files: pd.DataFrame, year: int) -> pd.DataFrame:
    """One row per unit and file it answered through in ``year``, by unit then
    modification time: ``unit``, ``file``, ``modified``, ``file_status``,
    ``headcount`` booked, ``names_others`` (the file lists other units too),
    ``action`` on copies (``KEEP``, ``REMOVE_FILE``, ``REMOVE_ROWS``,
    ``UNDECIDED``; empty for a file that is no copy) and, for a copy to remove,
    ``kept``: the copy kept in its place."""
    units_per_file = booked[booked["unit"].notna()].groupby("file")["unit"].nunique()
    mine = booked[_is_year(booked["year"], year) & booked["unit"].notna()]
    grouped = mine.groupby(["unit", "file"], sort=False, as_index=False)["headcount"].sum()
    known = files.set_index("file")
    grouped = grouped.assign(
        modified=grouped["file"].map(known["modified"]),
        file_status=grouped["file"].map(known["status"]),
        names_others=grouped["file"].map(units_per_file).fillna(0).gt(1).to_numpy(),
        action="",
        kept="",
    ).sort_values(["unit", "modified", "file"], kind="stable").reset_index(drop=True)
    # Copies are rare: only the units with files sharing a figure are looked at.
    shared = mine[mine["overlaps"].map(len) > 0]
    links: dict[str, dict[str, set[str]]] = {}
    for unit, file, overlaps in zip(shared["unit"], shared["file"], shared["overlaps"]):
        links.setdefault(unit, {}).setdefault(file, set()).update(overlaps)
    if not links:
        return grouped
    action, kept = grouped["action"].tolist(), grouped["kept"].tolist()
    positions: dict[tuple[str, str], int] = {(unit, file): i for i, (unit, file) in enumerate(zip(grouped["unit"], grouped["file"])) if unit in links}
    modified, others = grouped["modified"].tolist(), grouped["names_others"].tolist()
    for unit, linked in links.items():
        mine_files = [file for (owner, file) in positions if owner == unit]
        decided = _copy_actions(mine_files, linked, {f: modified[positions[unit, f]] for f in mine_files}, {f: others[positions[unit, f]] for f in mine_files})
        for file, (what, instead) in decided.items():
            action[positions[unit, file]], kept[positions[unit, file]] = what, instead
    return grouped.assign(action=action, kept=kept)


def _copy_actions(files: list[str], linked: dict[str, set[str]], modified: dict, names_others: dict[str, bool]) -> dict[str, tuple[str, str]]:
    """For one unit's files, (action, file kept in its place): which copy to keep, which to
    remove (see the module's rules). Copies are the files linked by shared figures."""
    group = {file: file for file in files}

    def root(file: str) -> str:
        while group[file] != file:
            file = group[file]
        return file

    for file, overlaps in linked.items():
        for other in overlaps:
            if other in group and file in group:
                group[root(other)] = root(file)
    components: dict[str, list[str]] = {}
    for file in files:
        components.setdefault(root(file), []).append(file)
    action = {file: ("", "") for file in files}
    for members in components.values():
        if len(members) < 2:
            continue
        latest = max(modified[file] for file in members)
        kept = [file for file in members if modified[file] == latest]
        for file in members:
            if len(kept) > 1:
                action[file] = (UNDECIDED, "")
            elif file == kept[0]:
                action[file] = (KEEP, "")
            else:
                action[file] = (REMOVE_ROWS if names_others[file] else REMOVE_FILE, kept[0])
    return action


def letter_problems(problems: pd.DataFrame, per_unit: pd.DataFrame, year: int) -> pd.DataFrame:
    """The problems of ``year`` each unit must fix: those concerning it, less those
    in a copy to remove and the "sent twice" problems such a copy causes in the
    kept file (they name the copy)."""
    mine = problems[_is_year(problems["year"], year) & problems["unit"].notna()]
    removed = per_unit[per_unit["action"].isin([REMOVE_FILE, REMOVE_ROWS])]
    removed_of = removed.groupby("unit")["file"].agg(list).to_dict()
    keep = [
        file not in removed_of.get(unit, ()) and not any(f"{copy} (trang " in problem for copy in removed_of.get(unit, ()))
        for unit, file, problem in zip(mine["unit"], mine["file"], mine["problem"])
    ]
    return mine[np.array(keep, dtype=bool)].reset_index(drop=True)


STATUS_COLUMNS = [
    "position", "unit", "title", "slug", "email", "status", "files", "modified", "late", "remove",
    "problems", "errors", "warnings", "headcount", "is_late", "is_overdue", "note",
]


def submission_status(units: pd.DataFrame, per_unit: pd.DataFrame, own: pd.DataFrame, deadline: dt.date | None, as_of: dt.date) -> pd.DataFrame:
    """One row per unit of the year's list, in its order.

    Columns (``STATUS_COLUMNS``): ``position``, ``unit``, ``title``, ``slug``,
    ``email`` (empty without), ``status``, ``files``, ``modified``, ``late`` (per
    file, lists in the same order, oldest first), ``remove`` (copies to remove),
    ``problems``, ``errors``, ``warnings`` (what the letter lists), ``headcount``
    (of its accepted files), ``is_late`` (a file after the deadline),
    ``is_overdue``, ``note``.
    """
    files_of: dict[str, list[dict]] = {}
    for record in per_unit.to_dict("records"):  # by unit then modification time
        files_of.setdefault(record["unit"], []).append(record)
    totals = own["unit"].value_counts().to_dict()
    errors_of = own.loc[own["severity"] == ERROR, "unit"].value_counts().to_dict()
    emails = units["email"].tolist() if "email" in units.columns else [None] * len(units)
    past_deadline = deadline is not None and as_of > deadline
    rows = []
    for position, (name, title, slug, email) in enumerate(zip(units["name"], units["title"], units["slug"], emails), start=1):
        mine = files_of.get(name, [])
        late = [deadline is not None and record["modified"].date() > deadline for record in mine]
        if not mine:
            status = MISSING
        elif any(record["file_status"] != FILE_ACCEPTED for record in mine):
            status = HELD_BACK
        else:
            status = ACCEPTED
        total, errors = int(totals.get(name, 0)), int(errors_of.get(name, 0))
        is_overdue = not mine and past_deadline
        rows.append(
            {
                "position": position,
                "unit": name,
                "title": title,
                "slug": slug,
                "email": _text_or_none(email),
                "status": status,
                "files": [record["file"] for record in mine],
                "modified": [record["modified"] for record in mine],
                "late": late,
                "remove": [record["file"] for record in mine if record["action"] in (REMOVE_FILE, REMOVE_ROWS)],
                "problems": total,
                "errors": errors,
                "warnings": total - errors,
                "headcount": int(sum(record["headcount"] for record in mine if record["file_status"] == FILE_ACCEPTED)),
                "is_late": any(late),
                "is_overdue": is_overdue,
                "note": _note(mine, status, total, late, deadline, is_overdue),
            }
        )
    return pd.DataFrame(rows, columns=STATUS_COLUMNS)


def _note(files: list[dict], status: str, problems: int, late: list[bool], deadline: dt.date | None, is_overdue: bool) -> str:
    """What the officer must know or do about a unit, in a sentence or two."""
    if not files:
        return f"Quá hạn nộp ({_day(deadline)}), chưa nộp." if is_overdue else ""
    notes = []
    modified = {record["file"]: record["modified"] for record in files}
    for record in files:
        if record["action"] in (REMOVE_FILE, REMOVE_ROWS):
            file, kept = record["file"], record["kept"]
            what = f"xóa tệp \"{file}\"" if record["action"] == REMOVE_FILE else f"xóa các dòng của đơn vị trong tệp \"{file}\" (tệp có cả đơn vị khác)"
            notes.append(
                f"Đơn vị gửi nhiều bản có số liệu trùng nhau: {what} (bản gửi trước, sửa lúc {_moment(modified[file])}), "
                f"giữ tệp \"{kept}\" (bản sửa lần cuối lúc {_moment(modified[kept])}), rồi chạy lại."
            )
    undecided = [record["file"] for record in files if record["action"] == UNDECIDED]
    if undecided:
        notes.append(f"Đơn vị gửi nhiều bản có số liệu trùng nhau, sửa cùng lúc ({', '.join(undecided)}): hỏi đơn vị bản nào đúng rồi xóa các bản kia.")
    for record, is_late in zip(files, late):
        if is_late:
            notes.append(f"Nộp muộn: tệp \"{record['file']}\" sửa lần cuối lúc {_moment(record['modified'])}, sau hạn {_day(deadline)}.")
    if status == HELD_BACK and problems == 0 and not any(record["action"] for record in files):
        notes.append("Tệp bị giữ lại vì lỗi ở dòng của đơn vị khác hoặc dòng không rõ đơn vị trong cùng tệp; số liệu của đơn vị không có lỗi.")
    return " ".join(notes)


def undetermined_files(problems: pd.DataFrame, booked: pd.DataFrame, files: pd.DataFrame, year: int, years: list[int]) -> pd.DataFrame:
    """The files of ``year`` with problems no unit could be found for, or that book no
    known unit at all: ``file``, ``modified``, ``file_status``, ``problems``, ``note``.

    A file's years are those it books, else those of its problems, else its
    folder's ("2026/..."), else every year reported."""
    booked_years = _years_of_files(booked)
    known_units = set(booked.loc[booked["unit"].notna(), "file"].unique())
    orphans = problems[problems["unit"].isna()]
    orphan_years = _years_of_files(orphans)
    orphan_count = orphans[orphans["year"].isna() | _is_year(orphans["year"], year)].groupby("file").size().to_dict()
    rows = []
    for record in files.to_dict("records"):
        file = record["file"]
        file_years = booked_years.get(file) or orphan_years.get(file) or ({folder_year(file)} if folder_year(file) else set(years))
        count = orphan_count.get(file, 0)
        if year not in file_years or (file in known_units and not count):
            continue
        note = (
            f"{count} vấn đề ở phần không xác định được đơn vị (dòng có tên đơn vị không có trong danh sách hoặc để trống)"
            if file in known_units
            else "Không xác định được đơn vị gửi tệp: xem các vấn đề của tệp trong báo cáo kiểm tra, hỏi đơn vị gửi rồi sửa tên đơn vị trong tệp"
        )
        rows.append({"file": file, "modified": record["modified"], "file_status": record["status"], "problems": count, "note": note})
    return pd.DataFrame(rows, columns=["file", "modified", "file_status", "problems", "note"])


def status_counts(status: pd.DataFrame, undetermined: pd.DataFrame) -> pd.DataFrame:
    """The counts at the top of the status sheet: ``key``, ``label``, ``count`` (``COUNT_LABELS``)."""
    counts = {
        "total": len(status),
        "received": int((status["status"] != MISSING).sum()),
        "accepted": int((status["status"] == ACCEPTED).sum()),
        "held_back": int((status["status"] == HELD_BACK).sum()),
        "missing": int((status["status"] == MISSING).sum()),
        "late": int(status["is_late"].sum()),
        "overdue": int(status["is_overdue"].sum()),
        "undetermined": len(undetermined),
    }
    return pd.DataFrame({"key": list(counts), "label": [COUNT_LABELS[key] for key in counts], "count": list(counts.values())})


def feedback_letters(status: pd.DataFrame, per_unit: pd.DataFrame, own: pd.DataFrame) -> list[Letter]:
    """One letter per unit with something to fix (a problem in its letter), in the list's order."""
    letters = []
    problems_of = {unit: part for unit, part in own.groupby("unit", sort=False)}
    files_of = {unit: part for unit, part in per_unit[per_unit["unit"].isin(problems_of)].groupby("unit", sort=False)}
    for record in status[status["unit"].isin(problems_of)].to_dict("records"):
        problems = problems_of[record["unit"]]
        files = files_of[record["unit"]][["file", "modified", "file_status", "action"]].reset_index(drop=True)
        letters.append(
            Letter(
                unit=record["unit"],
                title=record["title"],
                slug=record["slug"],
                email=record["email"],
                problems=problems.drop(columns=["year", "unit"]).reset_index(drop=True),
                files=files,
                note=record["note"],
            )
        )
    return letters


def mail_list(letters: list[Letter], year: int) -> pd.DataFrame:
    """The mail merge of the letters: unit, address (empty where ``units.csv`` has
    none), file to attach, a one-line subject."""
    return pd.DataFrame(
        {
            "don_vi": [letter.title for letter in letters],
            "email": [letter.email or "" for letter in letters],
            "tep_dinh_kem": [f"{letter.slug}.xlsx" for letter in letters],
            "tieu_de": [_subject(letter, year) for letter in letters],
        }
    )


def _subject(letter: Letter, year: int) -> str:
    errors = int((letter.problems["severity"] == ERROR).sum())
    what = f"{errors} lỗi cần sửa, gửi lại" if errors else f"{len(letter.problems)} điểm cần kiểm tra lại"
    return f"Sở GDĐT Hải Phòng phản hồi số liệu đăng ký đào tạo, bồi dưỡng năm {year} của {letter.title} ({what})"


def submissions_table(year: int, status: pd.DataFrame, undetermined: pd.DataFrame, deadline: dt.date | None) -> pd.DataFrame:
    """``data/submissions.csv`` rows for ``year`` (``schemas.campaign.Submission``)."""
    joined = lambda values: "; ".join(values) if values else None  # noqa: E731
    units = pd.DataFrame(
        {
            "year": year,
            "position": status["position"],
            "unit": status["unit"],
            "title": status["title"],
            "status": status["status"],
            "files": [joined(files) for files in status["files"]],
            "modified": [joined([_iso(m) for m in moments]) for moments in status["modified"]],
            "late_files": [joined([f for f, is_late in zip(files, late) if is_late]) for files, late in zip(status["files"], status["late"])],
            "remove": [joined(files) for files in status["remove"]],
            "problems": status["problems"],
            "headcount": status["headcount"],
            "is_overdue": status["is_overdue"],
            "deadline": deadline.isoformat() if deadline else None,
            "note": status["note"].replace("", None),
        }
    )
    files = pd.DataFrame(
        {
            "year": year,
            "position": pd.Series([None] * len(undetermined), dtype="Int64"),
            "unit": None,
            "title": None,
            "status": UNDETERMINED,
            "files": undetermined["file"],
            "modified": [_iso(m) for m in undetermined["modified"]],
            "late_files": [undetermined_file if deadline and moment.date() > deadline else None for undetermined_file, moment in zip(undetermined["file"], undetermined["modified"])],
            "remove": None,
            "problems": undetermined["problems"],
            "headcount": 0,
            "is_overdue": False,
            "deadline": deadline.isoformat() if deadline else None,
            "note": undetermined["note"],
        }
    )
    both = pd.concat([frame for frame in (units, files) if len(frame)], ignore_index=True) if len(units) or len(files) else units
    return Submission.validate(both.astype({"position": "Int64"}))


def compare_submissions(previous: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """What changed since the previous period, for the units of ``current``: one row
    per year and unit whose status changed (``year``, ``unit``, ``title``,
    ``previous``, ``current``, ``change``), in the list's order. A year the previous
    period did not report counts as "chưa nộp" there."""
    keys = ["year", "unit"]
    now = current[current["unit"].notna()]
    before = previous[previous["unit"].notna()].drop_duplicates(keys).set_index(keys)["status"]
    was = pd.Series([before.get((int(y), u), MISSING) for y, u in zip(now["year"], now["unit"])], index=now.index, dtype=object)
    changed = now[was != now["status"]]
    was = was[changed.index]
    change = [_change(old, new) for old, new in zip(was, changed["status"])]
    return pd.DataFrame(
        {"year": changed["year"], "unit": changed["unit"], "title": changed["title"], "previous": was, "current": changed["status"], "change": change}
    ).reset_index(drop=True)


def _change(old: str, new: str) -> str:
    if old == MISSING:
        return "Mới nộp từ kỳ trước"
    if old == HELD_BACK and new == ACCEPTED:
        return "Kỳ trước bị giữ lại, nay được chấp nhận"
    if new == MISSING:
        return "Kỳ trước đã nộp, nay không còn tệp"
    return "Kỳ trước được chấp nhận, nay bị giữ lại"


def coverage_line(status: pd.DataFrame) -> str:
    """How many units the registered figures cover, for "So với kế hoạch": a unit that has
    not answered is never counted as zero."""
    total = len(status)
    received = int((status["status"] != MISSING).sum())
    accepted = int((status["status"] == ACCEPTED).sum())
    held_back = int((status["status"] == HELD_BACK).sum())
    missing = total - received
    return (
        f"{received}/{total} đơn vị đã nộp ({accepted} đơn vị được chấp nhận, {held_back} đơn vị bị giữ lại chờ sửa: "
        f"số liệu bị giữ lại chưa được tính); {missing} đơn vị chưa nộp, không được tính là 0 người."
    )


# ---------------------------------------------------------------- helpers


def _years_of_files(frame: pd.DataFrame) -> dict[str, set[int]]:
    """File -> the known years of its rows."""
    years: dict[str, set[int]] = {}
    pairs = frame.loc[frame["year"].notna(), ["file", "year"]].drop_duplicates()
    for file, year in zip(pairs["file"], pairs["year"]):
        years.setdefault(file, set()).add(int(year))
    return years


def _is_year(years: pd.Series, year: int) -> pd.Series:
    """True where ``years`` (nullable) is ``year``; an unknown year is not."""
    return years.eq(year).fillna(False).astype(bool)


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _day(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _moment(moment: dt.datetime) -> str:
    return pd.Timestamp(moment).strftime("%H:%M %d/%m/%Y")


def _iso(moment: dt.datetime) -> str:
    return pd.Timestamp(moment).isoformat(timespec="seconds")
