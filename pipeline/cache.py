"""Caches under ``<outputs>/.cache``, so work whose inputs did not change is not done again.

- ``IngestCache``: what was read and checked in each input file, keyed by the file's
  name and sha256, the reference data's digest and the code's version.
- ``reuse_or_write``: output files that depend on the reference data alone (the
  plan's workbooks), keyed by the reference data's digest and the code's version.

Change any part of a key and the work is done again. The cache can be deleted at
any time without changing a result.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path

_PACKAGES = (Path(__file__).resolve().parent, Path(__file__).resolve().parent.parent / "schemas")


def code_digest() -> str:
    """sha256 over the source of every module of ``pipeline`` and ``schemas``: any change to
    the code that reads, checks, computes or writes anything makes every cached result stale."""
    digest = hashlib.sha256()
    for package in _PACKAGES:
        for path in sorted(package.rglob("*.py")):
            digest.update(path.relative_to(package.parent).as_posix().encode("utf-8") + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


_CODE_DIGEST = _OUTPUT_CODE_DIGEST = code_digest()


class IngestCache:
    """Cached ingest results, one file ``ingest.pkl`` under ``folder`` holding every entry.

    One file, read once and written once per run: thousands of small files would
    cost more to open than to unpickle. It starts with the reference data's digest and
    the code's: when either changed, no entry can serve, and none is loaded (loading
    them took 900 MB at 10 000 files, held while every file was read again).
    """

    def __init__(self, folder: Path, reference_digest: str):
        self.folder = folder
        self.reference_digest = reference_digest
        self.path = folder / "ingest.pkl"
        self.entries = self._read()
        self.changed = False

    def key(self, name: str, file_digest: str) -> str:
        text = "\0".join((name, file_digest, self.reference_digest, _CODE_DIGEST))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def _header(self) -> dict[str, str]:
        return {"reference": self.reference_digest, "code": _CODE_DIGEST}

    def load(self, key: str) -> tuple | None:
        return self.entries.get(key)

    def save(self, key: str, value: tuple) -> None:
        self.entries[key] = value
        self.changed = True

    def write(self, keep: set[str]) -> None:
        """Keep the entries in ``keep`` (files gone or changed are dropped) and write the file."""
        if not self.changed and set(self.entries) == keep:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.folder / f".ingest.{uuid.uuid4().hex[:8]}.tmp"
        with open(temporary, "wb") as handle:
            # Entry by entry, forgetting the objects already written after each: one
            # pickle of everything would remember every object of the run at once.
            pickler = pickle.Pickler(handle, protocol=pickle.HIGHEST_PROTOCOL)
            pickler.dump(self._header())
            pickler.clear_memo()
            for key, value in self.entries.items():
                if key in keep:
                    pickler.dump((key, value))
                    pickler.clear_memo()
        os.replace(temporary, self.path)
        for path in self.folder.iterdir():  # leftovers of runs killed while writing, and the old one-file-per-entry layout
            if path.is_file() and path.suffix in (".tmp", ".pkl") and path != self.path:
                path.unlink(missing_ok=True)

    def _read(self) -> dict:
        entries = {}
        try:
            with open(self.path, "rb") as handle:
                if pickle.load(handle) != self._header():
                    return {}  # another reference data or code: every file is read again
                while handle.peek(1):
                    key, value = pickle.load(handle)  # a fresh unpickler each: each entry has its own memo
                    entries[key] = value
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError, TypeError):
            return {}  # missing or damaged: every file is read again
        return entries


def reuse_or_write(folder: Path, reference_digest: str, target: Path, write: Callable[[Path], None]) -> None:
    """Put into ``target`` the files ``write(folder)`` makes, copied from the cache when the
    reference data and the code are those of an earlier run.

    The files are written to a fresh folder first, with a list of their sha256, and kept
    for the next run; an entry whose files do not match its list is written again. Only
    the newest entry is kept.
    """
    key = hashlib.sha256(f"{reference_digest}\0{_OUTPUT_CODE_DIGEST}".encode()).hexdigest()[:32]
    entry = folder / key
    if not _is_whole(entry):
        temporary = folder / f".{key}.{uuid.uuid4().hex[:8]}"
        temporary.mkdir(parents=True)
        write(temporary)
        listing = {item.name: _sha256(item) for item in sorted(temporary.iterdir())}
        (temporary / _LISTING).write_text(json.dumps(listing, indent=1), encoding="utf-8")
        shutil.rmtree(entry, ignore_errors=True)
        os.replace(temporary, entry)
    target.mkdir(parents=True, exist_ok=True)
    for name in json.loads((entry / _LISTING).read_text(encoding="utf-8")):
        shutil.copyfile(entry / name, target / name)
    for other in folder.iterdir():
        if other.name != key:
            shutil.rmtree(other, ignore_errors=True)


_LISTING = ".files.json"


def _is_whole(entry: Path) -> bool:
    """An entry holds exactly the files its list names, with their sha256."""
    try:
        listing = json.loads((entry / _LISTING).read_text(encoding="utf-8"))
        present = {item.name for item in entry.iterdir()} - {_LISTING}
        return present == set(listing) and all(_sha256(entry / name) == digest for name, digest in listing.items())
    except (OSError, ValueError, AttributeError):
        return False


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
