"""Intake: every input file read and checked once, then what only all files together show.

``check_file`` reads and checks one file (ingest, then validate) and gives its
typed result; ``check_inputs`` maps it over a folder — an unchanged file's result
from the cache, the others on every core when there are enough of them — and then
makes the checks across files and the verdict per file. Production and tests take
this one path.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import multiprocessing
import os
import pickle
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline import campaign, ingest, persons, validate
from pipeline.ingest import roster
from pipeline.ingest.roster import RosterVocabulary
from pipeline.cache import IngestCache
from pipeline.reference import Reference, file_digest
from pipeline.validate import FileResult

log = logging.getLogger("pipeline")

# Below this many files to read, starting worker processes costs more than it saves.
_PARALLEL_FROM = 64
# Files checked together: the per-cell rules are checked once per batch (pandera has a
# fixed cost per call); a batch of at most 500 files keeps a worker's memory small.
_BATCH_MIN, _BATCH_MAX = 25, 500


@dataclass(frozen=True)
class Intake:
    """What the inputs hold, checked.

    ``registrations``: the accepted rows (``schemas.Registration``); ``issues``: every
    problem (``schemas.Issue``); ``files``: one row per input file with its status, its
    ledger, its size, sha256 and modification time; ``booked``: what each file books,
    accepted or not, per sheet row and unit (``campaign.summarise_booked``); ``reused``:
    files whose result came from the cache.
    """

    registrations: pd.DataFrame
    issues: pd.DataFrame
    files: pd.DataFrame
    booked: pd.DataFrame
    registrations_csv: list[bytes]  # the lines of ``data/registrations.csv``, packed (``validate.registrations_csv``)
    persons: pd.DataFrame | None = None
    samples: frozenset[str] = frozenset()  # files whose title marks them as illustrative data
    reused: int = 0


def check_file(path: Path, name: str, inputs_root: Path, reference: Reference) -> FileResult:
    """Read and check one file on its own (every rule but those across files)."""
    return _check_batch([path], [name], inputs_root, reference)[0]


def check_inputs(folder: Path, reference: Reference, cache: IngestCache | None = None, on_file: Callable[[str, int, int], None] | None = None) -> Intake:
    """Every file under ``folder`` read and checked, then checked together."""
    paths = ingest.list_input_files(folder)
    names = [path.relative_to(folder).as_posix() for path in paths]
    digests = [file_digest(path) if path.is_file() and not path.is_symlink() else "" for path in paths]
    keys = [cache.key(name, digest) if cache and digest else None for name, digest in zip(names, digests)]
    results: list[FileResult | None] = [cache.load(key) if key else None for key in keys]
    for name, result in zip(names, results):
        if result is not None:
            log.info("Đọc %s (không đổi, lấy từ bộ nhớ đệm)", name)
    missing = [index for index, result in enumerate(results) if result is None]
    done = len(paths) - len(missing)
    checked = _check_all([paths[i] for i in missing], [names[i] for i in missing], folder, reference)
    for index, packed in zip(missing, checked, strict=True):
        results[index] = pickle.loads(packed)
        if cache and keys[index]:
            cache.save_packed(keys[index], packed)
        log.info("Đọc %s", names[index])
        done += 1
        if on_file:
            on_file(names[index], done, len(paths))
    if cache:
        cache.write({key for key in keys if key})
    bookings = validate.bookings_table(results)
    registrations, issues, files, persons = validate.check_across(results, person_rules(reference), bookings)
    files = files.assign(
        size_bytes=[path.lstat().st_size for path in paths],
        sha256=digests,
        modified=[dt.datetime.fromtimestamp(path.lstat().st_mtime).replace(microsecond=0) for path in paths],
    )
    booked = campaign.summarise_booked(_booked_rows(results, persons, bookings), bookings[bookings["source_file"].isin(validate.may_repeat(results))])
    lines = validate.registrations_csv(results, files, registrations)
    return Intake(registrations, issues, files, booked, lines, persons, frozenset(result.file for result in results if result.is_sample), len(paths) - len(missing))


def _booked_rows(results: list[FileResult], persons: pd.DataFrame | None = None, bookings: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every file's own ``booked_rows``, with its file; then each person row of the lists, with
    the registrations it makes: one per topic of an accepted person, none where the unit's
    count form books that year (its figures are the ones counted)."""
    rows = [(result.file, *row) for result in results for row in result.booked_rows]
    if persons is not None and not persons.empty:
        counted = set(zip(bookings["year"], bookings["unit"])) if bookings is not None else set()
        for file, sheet, row, year, unit, topics, accepted, level in zip(*(persons[column].tolist() for column in ("source_file", "source_sheet", "source_row", "year", "unit", "topics", "accepted", "level"))):
            known = not (pd.isna(year) or unit is None or pd.isna(unit))
            books = accepted and known and level is not None and not pd.isna(level) and (int(year), unit) not in counted
            rows.append((file, sheet, int(row), int(year) if not pd.isna(year) else None, unit if known else None, len(set(str(topics).split())) if books else 0))
    return pd.DataFrame.from_records(rows, columns=["file", "sheet", "row", "year", "unit", "headcount"])


def _check_all(paths: list[Path], names: list[str], root: Path, reference: Reference):
    """Per file, in order: its result, pickled (as the cache keeps it: a worker's result is
    not unpickled and pickled again); in batches, on every core when there are enough files."""
    workers = min(os.cpu_count() or 1, 8)
    parallel = workers >= 2 and len(paths) >= _PARALLEL_FROM
    # Two batches per worker at least, so a worker slowed at the start catches up.
    size = max(_BATCH_MIN, min(_BATCH_MAX, -(-len(paths) // (workers * 2)))) if parallel else _BATCH_MAX
    batches = [(paths[i : i + size], names[i : i + size]) for i in range(0, len(paths), size)]
    if not parallel:
        for batch_paths, batch_names in batches:
            yield from _packed(_check_batch(batch_paths, batch_names, root, reference))
        return
    context = multiprocessing.get_context("fork")  # the workers inherit the reference data, not a copy sent to each
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_remember, initargs=(root, reference)) as pool:
        for results in pool.map(_check_remembered, *zip(*batches)):
            yield from results


def _check_batch(paths: list[Path], names: list[str], root: Path, reference: Reference) -> list[FileResult]:
    vocabulary, people = reference.vocabulary, _roster_vocabulary(reference)
    read = [ingest.read_file(path, name, root, vocabulary, people) for path, name in zip(paths, names)]
    return validate.check_files(read, vocabulary, people)


@functools.lru_cache(maxsize=2)  # by identity: one per reference data
def _roster_vocabulary(reference: Reference) -> RosterVocabulary | None:
    return roster.roster_vocabulary(reference.persons) if reference.persons is not None else None


@functools.lru_cache(maxsize=2)
def person_rules(reference: Reference) -> persons.PersonRules | None:
    """The person checks' rules (retirement, the degree standard, programmes), once per reference data."""
    if reference.persons is None:
        return None
    return persons.prepare_rules(reference.persons, reference.topics, reference.levels, reference.plan)


_WORKER: dict = {}  # in a worker process: the inputs folder and the reference data, set once when it starts


def _remember(root: Path, reference: Reference) -> None:
    _WORKER.update(root=root, reference=reference)


def _check_remembered(paths: list[Path], names: list[str]) -> list[bytes]:
    return _packed(_check_batch(paths, names, _WORKER["root"], _WORKER["reference"]))


def _packed(results: list[FileResult]) -> list[bytes]:
    return [pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL) for result in results]
