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
_YEAR_FOLDER = re.compile(r"^(\d{4})/")


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
    as_of: dt.datetime
    status: pd.DataFrame
    counts: pd.DataFrame
    undetermined: pd.DataFrame
    letters: list[Letter]
    mail: pd.DataFrame | None
    changes: pd.DataFrame | None
    coverage: str


# ---------------------------------------------------------------- what the run read


def summarise_booked(rows: pd.DataFrame) -> pd.DataFrame:
    """What each file books, accepted or not: one row per file, sheet, sheet row, year and unit.

    Args:
        rows: one row per cell booked from every file (``validate.ROW_COLUMNS``:
            ``source_file``, ``source_sheet``, ``source_cell``, ``year``, ``unit``,
            ``topic``, ``level``, ``headcount``), year and unit empty where unknown.

    Returns:
        ``BOOKED_COLUMNS``: ``headcount`` counts the whole non-negative numbers;
        ``overlaps`` is the sorted tuple of the other files that book a same year,
        unit, topic and level for this unit.
    """
    if rows.empty:
        return pd.DataFrame({column: pd.Series(dtype=object) for column in BOOKED_COLUMNS})
    codes, cells = pd.factorize(rows["source_cell"])
    numbers = np.array([int(_ROW_OF_CELL.search(cell).group(1)) for cell in cells], dtype=np.int64)  # addresses are checked by the schema
    headcount = pd.to_numeric(rows["headcount"], errors="coerce").astype(float)
    counted = headcount.where((headcount >= 0) & (headcount == headcount.round()), 0.0).fillna(0.0)
    frame = pd.DataFrame(
        {
            "file": rows["source_file"].to_numpy(),
            "sheet": rows["source_sheet"].to_numpy(),
            "row": numbers[codes],
            "year": pd.to_numeric(rows["year"], errors="coerce").astype("Int64").to_numpy(),
            "unit": rows["unit"].astype(object).where(rows["unit"].notna(), None).to_numpy(),
            "headcount": counted.to_numpy(),
        }
    )
    grouped = frame.groupby(["file", "sheet", "row", "year", "unit"], dropna=False, sort=False, as_index=False)["headcount"].sum()
    partners = _overlapping_files(rows)
    overlaps = [
        tuple(sorted(partners.get((int(year), unit, file), ()))) if unit is not None and not pd.isna(unit) and not pd.isna(year) else ()
        for file, year, unit in zip(grouped["file"], grouped["year"], grouped["unit"])
    ]
    return grouped.assign(unit=grouped["unit"].astype(object).where(grouped["unit"].notna(), None), overlaps=overlaps)[BOOKED_COLUMNS]


def _overlapping_files(rows: pd.DataFrame) -> dict[tuple[int, str, str], set[str]]:
    """(year, unit, file) -> the other files booking a same topic and level for that unit and year."""
    keys = ["year", "unit", "topic", "level"]
    known = rows[rows[keys].notna().all(axis=1)]
    repeated = known[known.duplicated(keys, keep=False)]
    partners: dict[tuple[int, str, str], set[str]] = {}
    for (year, unit, _, _), files in repeated.groupby(keys, sort=False)["source_file"]:
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
    for file, sheet, row, year, unit in zip(booked["file"], booked["sheet"], booked["row"], booked["year"], booked["unit"]):
        pair = (None if pd.isna(year) else int(year), None if unit is None or pd.isna(unit) else unit)
        by_row.setdefault((file, sheet, int(row)), set()).add(pair)
        by_sheet.setdefault((file, sheet), set()).add(pair)
        by_file.setdefault(file, set()).add(pair)
    records = []
    for issue in issues.to_dict("records"):
        row = _ROW_OF_CELL.search(issue["cell"] or "")
        pairs = by_row.get((issue["file"], issue["sheet"], int(row.group(1)))) if row else None
        on_data_row = pairs is not None
        if not on_data_row:
            pairs = {p for p in by_sheet.get((issue["file"], issue["sheet"]), set()) if p[1] is not None} or by_file.get(issue["file"], set())
        units = sorted((year, unit) for year, unit in pairs if unit is not None and year is not None)
        if units:
            records += [issue | {"year": year, "unit": unit} for year, unit in units]
        else:
            years = sorted({year for year, _ in pairs if year is not None}) or [None]
            records += [issue | {"year": year, "unit": None} for year in years]
    columns = [*issues.columns, "year", "unit"]
    frame = pd.DataFrame(records, columns=columns)
    return frame.assign(year=frame["year"].astype("Int64"), unit=frame["unit"].astype(object))


def campaign_years(booked: pd.DataFrame, files: pd.DataFrame, named_year: int | None = None) -> list[int]:
    """The years a run reports on: every year a file books, the year of the folder
    ("2026/...") of a file that books none, and ``named_year``."""
    years = {int(year) for year in booked["year"].dropna()}
    booking = set(booked.loc[booked["year"].notna(), "file"])
    years |= {hint for file in files["file"] if file not in booking and (hint := _folder_year(file)) is not None}
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
    as_of: dt.datetime,
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
    """One row per unit and file it answered through in ``year``: ``unit``, ``file``,
    ``modified``, ``file_status``, ``headcount`` booked, ``names_others`` (the file
    lists other units too) and ``action`` on copies (``KEEP``, ``REMOVE_FILE``,
    ``REMOVE_ROWS``, ``UNDECIDED``; empty for a file that is no copy)."""
    units_per_file = booked[booked["unit"].notna()].groupby("file")["unit"].nunique()
    mine = booked[(booked["year"] == year) & booked["unit"].notna()]
    grouped = mine.groupby(["unit", "file"], sort=False).agg(
        headcount=("headcount", "sum"), overlaps=("overlaps", lambda values: tuple(sorted({f for v in values for f in v})))
    ).reset_index()
    known = files.set_index("file")
    grouped = grouped.assign(
        modified=grouped["file"].map(known["modified"]),
        file_status=grouped["file"].map(known["status"]),
        names_others=grouped["file"].map(units_per_file).fillna(0).gt(1).to_numpy(),
    )
    actions = []
    for unit, part in grouped.groupby("unit", sort=False):
        actions.append(pd.Series(_copy_actions(part), index=part.index))
    action = pd.concat(actions) if actions else pd.Series(dtype=object)
    columns = ["unit", "file", "modified", "file_status", "headcount", "names_others", "action"]
    return grouped.assign(action=action.reindex(grouped.index))[columns].sort_values(["unit", "modified", "file"], kind="stable").reset_index(drop=True)


def _copy_actions(part: pd.DataFrame) -> list[str]:
    """For one unit's files: which copy to keep, which to remove (see the module's rules)."""
    files = list(part["file"])
    group = {file: file for file in files}

    def root(file: str) -> str:
        while group[file] != file:
            file = group[file]
        return file

    for file, overlaps in zip(files, part["overlaps"]):
        for other in overlaps:
            if other in group:
                group[root(other)] = root(file)
    modified = dict(zip(files, part["modified"]))
    others = dict(zip(files, part["names_others"]))
    components: dict[str, list[str]] = {}
    for file in files:
        components.setdefault(root(file), []).append(file)
    action = {file: "" for file in files}
    for members in components.values():
        if len(members) < 2:
            continue
        latest = max(modified[file] for file in members)
        kept = [file for file in members if modified[file] == latest]
        for file in members:
            if len(kept) > 1:
                action[file] = UNDECIDED
            else:
                action[file] = KEEP if file == kept[0] else REMOVE_ROWS if others[file] else REMOVE_FILE
    return [action[file] for file in files]


def letter_problems(problems: pd.DataFrame, per_unit: pd.DataFrame, year: int) -> pd.DataFrame:
    """The problems of ``year`` each unit must fix: those concerning it, less those
    in a copy to remove and the "sent twice" problems such a copy causes in the
    kept file (they name the copy)."""
    mine = problems[(problems["year"] == year) & problems["unit"].notna()]
    removed = per_unit[per_unit["action"].isin([REMOVE_FILE, REMOVE_ROWS])]
    removed_of = removed.groupby("unit")["file"].agg(list).to_dict()
    keep = [
        file not in removed_of.get(unit, ()) and not any(f"{copy} (trang " in problem for copy in removed_of.get(unit, ()))
        for unit, file, problem in zip(mine["unit"], mine["file"], mine["problem"])
    ]
    return mine[np.array(keep, dtype=bool)].reset_index(drop=True)


def submission_status(units: pd.DataFrame, per_unit: pd.DataFrame, own: pd.DataFrame, deadline: dt.date | None, as_of: dt.datetime) -> pd.DataFrame:
    """One row per unit of the year's list, in its order.

    Columns: ``position``, ``unit``, ``title``, ``slug``, ``email`` (empty without),
    ``status``, ``files``, ``modified``, ``late`` (per file, lists in the same
    order, oldest first), ``remove`` (copies to remove), ``problems``, ``errors``,
    ``warnings`` (what the letter lists), ``headcount`` (of its accepted files),
    ``is_late`` (a file after the deadline), ``is_overdue``, ``note``.
    """
    files_of = {unit: part for unit, part in per_unit.groupby("unit", sort=False)}
    counted = own.groupby("unit")["severity"].agg(errors=lambda s: int((s == ERROR).sum()), total="size")
    past_deadline = deadline is not None and as_of.date() > deadline
    rows = []
    for position, record in enumerate(units.to_dict("records"), start=1):
        part = files_of.get(record["name"])
        has_files = part is not None and len(part) > 0
        file_names = list(part["file"]) if has_files else []
        modified = list(part["modified"]) if has_files else []
        late = [deadline is not None and moment.date() > deadline for moment in modified]
        if not has_files:
            status = MISSING
        elif (part["file_status"] != FILE_ACCEPTED).any():
            status = HELD_BACK
        else:
            status = ACCEPTED
        total = int(counted["total"].get(record["name"], 0))
        errors = int(counted["errors"].get(record["name"], 0))
        accepted_count = int(part.loc[part["file_status"] == FILE_ACCEPTED, "headcount"].sum()) if has_files else 0
        is_overdue = not has_files and past_deadline
        rows.append(
            {
                "position": position,
                "unit": record["name"],
                "title": record.get("title", record["name"]),
                "slug": record.get("slug", ""),
                "email": _text_or_none(record.get("email")),
                "status": status,
                "files": file_names,
                "modified": modified,
                "late": late,
                "remove": [f for f, a in zip(file_names, part["action"]) if a in (REMOVE_FILE, REMOVE_ROWS)] if has_files else [],
                "problems": total,
                "errors": errors,
                "warnings": total - errors,
                "headcount": accepted_count,
                "is_late": any(late),
                "is_overdue": is_overdue,
                "note": _note(part if has_files else None, status, total, late, deadline, is_overdue),
            }
        )
    return pd.DataFrame(rows, columns=STATUS_COLUMNS)


STATUS_COLUMNS = [
    "position", "unit", "title", "slug", "email", "status", "files", "modified", "late", "remove",
    "problems", "errors", "warnings", "headcount", "is_late", "is_overdue", "note",
]


def _note(part: pd.DataFrame | None, status: str, problems: int, late: list[bool], deadline: dt.date | None, is_overdue: bool) -> str:
    """What the officer must know or do about a unit, in a sentence or two."""
    if part is None:
        return f"Quá hạn nộp ({_day(deadline)}), chưa nộp." if is_overdue else ""
    notes = []
    actions = dict(zip(part["file"], part["action"]))
    modified = dict(zip(part["file"], part["modified"]))
    kept = [file for file, action in actions.items() if action == KEEP]
    for file, action in actions.items():
        if action in (REMOVE_FILE, REMOVE_ROWS):
            what = f"xóa tệp \"{file}\"" if action == REMOVE_FILE else f"xóa các dòng của đơn vị trong tệp \"{file}\" (tệp có cả đơn vị khác)"
            notes.append(
                f"Đơn vị gửi nhiều bản có số liệu trùng nhau: {what} (bản gửi trước, sửa lúc {_moment(modified[file])}), "
                f"giữ tệp \"{kept[0]}\" (bản sửa lần cuối lúc {_moment(modified[kept[0]])}), rồi chạy lại."
            )
    undecided = [file for file, action in actions.items() if action == UNDECIDED]
    if undecided:
        notes.append(f"Đơn vị gửi nhiều bản có số liệu trùng nhau, sửa cùng lúc ({', '.join(undecided)}): hỏi đơn vị bản nào đúng rồi xóa các bản kia.")
    for file, is_late in zip(part["file"], late):
        if is_late:
            notes.append(f"Nộp muộn: tệp \"{file}\" sửa lần cuối lúc {_moment(modified[file])}, sau hạn {_day(deadline)}.")
    if status == HELD_BACK and problems == 0 and not any(a in (REMOVE_FILE, REMOVE_ROWS, UNDECIDED) for a in actions.values()):
        notes.append("Tệp bị giữ lại vì lỗi ở dòng của đơn vị khác hoặc dòng không rõ đơn vị trong cùng tệp; số liệu của đơn vị không có lỗi.")
    return " ".join(dict.fromkeys(notes))


def undetermined_files(problems: pd.DataFrame, booked: pd.DataFrame, files: pd.DataFrame, year: int, years: list[int]) -> pd.DataFrame:
    """The files of ``year`` with problems no unit could be found for, or that book no
    known unit at all: ``file``, ``modified``, ``file_status``, ``problems``, ``note``.

    A file's years are those it books, else those of its problems, else its
    folder's ("2026/..."), else every year reported."""
    booked_years = booked[booked["year"].notna()].groupby("file")["year"].agg(lambda s: set(int(y) for y in s)).to_dict()
    known_units = set(booked.loc[booked["unit"].notna(), "file"])
    orphans = problems[problems["unit"].isna()]
    orphan_years = orphans[orphans["year"].notna()].groupby("file")["year"].agg(lambda s: set(int(y) for y in s)).to_dict()
    rows = []
    for record in files.to_dict("records"):
        file = record["file"]
        file_years = booked_years.get(file) or orphan_years.get(file) or ({_folder_year(file)} if _folder_year(file) else set(years))
        if year not in file_years:
            continue
        here = orphans[(orphans["file"] == file) & (orphans["year"].isna() | (orphans["year"] == year))]
        if file in known_units and here.empty:
            continue
        note = (
            f"{len(here)} vấn đề ở phần không xác định được đơn vị (dòng có tên đơn vị không có trong danh sách hoặc để trống)"
            if file in known_units
            else "Không xác định được đơn vị gửi tệp: xem các vấn đề của tệp trong báo cáo kiểm tra, hỏi đơn vị gửi rồi sửa tên đơn vị trong tệp"
        )
        rows.append({"file": file, "modified": record["modified"], "file_status": record["status"], "problems": len(here), "note": note})
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
    files_of = {unit: part for unit, part in per_unit.groupby("unit", sort=False)}
    for record in status.to_dict("records"):
        problems = problems_of.get(record["unit"])
        if problems is None or problems.empty:
            continue
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


def _folder_year(file: str) -> int | None:
    """The year of the folder a file was put in ("2026/phuong_le_chan.xlsx" -> 2026)."""
    match = _YEAR_FOLDER.match(file)
    return int(match.group(1)) if match else None


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _day(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _moment(moment: dt.datetime) -> str:
    return pd.Timestamp(moment).strftime("%H:%M %d/%m/%Y")


def _iso(moment: dt.datetime) -> str:
    return pd.Timestamp(moment).isoformat(timespec="seconds")
