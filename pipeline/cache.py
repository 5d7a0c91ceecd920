"""Caches under ``<outputs>/.cache``, so work whose inputs did not change is not done again.

- ``IngestCache``: each input file's result (``validate.FileResult``), keyed by the
  file's name and sha256, the reference data and the code.
- ``reuse_or_write``: output files that depend on the reference data alone (the plan's
  workbooks), keyed by the reference data and the code.

The code is the source of every module of ``pipeline`` and ``schemas``: no result
computed by other code is ever served. The cache may be deleted at any time without
changing a result.
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
    """sha256 over the source of every module of ``pipeline`` and ``schemas``."""
    digest = hashlib.sha256()
    for package in _PACKAGES:
        for path in sorted(package.rglob("*.py")):
            digest.update(path.relative_to(package.parent).as_posix().encode("utf-8") + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


CODE_DIGEST = code_digest()


class IngestCache:
    """Each input file's result, in one file per reference data and code:
    ``ingest-<digest>.pkl`` holds {key: pickled result}. A cache made for other reference
    data or code is never loaded (its name differs) and is deleted on the next write."""

    def __init__(self, folder: Path, reference_digest: str):
        self.folder = folder
        self.digest = hashlib.sha256(f"{reference_digest}\0{CODE_DIGEST}".encode()).hexdigest()[:16]
        self.path = folder / f"ingest-{self.digest}.pkl"
        self.entries: dict[str, bytes] = self._read()
        self.changed = False

    def key(self, name: str, file_digest: str) -> str:
        """A file's key: its name and bytes (the reference data and code are in the file name)."""
        return hashlib.sha256(f"{name}\0{file_digest}".encode("utf-8")).hexdigest()

    def load(self, key: str):
        entry = self.entries.get(key)
        return None if entry is None else pickle.loads(entry)

    def save(self, key: str, value) -> None:
        self.save_packed(key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def save_packed(self, key: str, packed: bytes) -> None:
        """Keep a value already pickled."""
        self.entries[key] = packed
        self.changed = True

    def write(self, keep: set[str]) -> None:
        """Keep the entries in ``keep`` (files gone or changed are dropped) and write the file."""
        if not self.changed and set(self.entries) == keep:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.folder / f".ingest.{uuid.uuid4().hex[:8]}.tmp"
        with open(temporary, "wb") as handle:
            pickle.dump({key: entry for key, entry in self.entries.items() if key in keep}, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self.path)
        for path in self.folder.iterdir():  # other reference data or code, and leftovers of killed runs
            if path.is_file() and path.suffix in (".tmp", ".pkl") and path != self.path:
                path.unlink(missing_ok=True)

    def _read(self) -> dict[str, bytes]:
        try:
            with open(self.path, "rb") as handle:
                entries = pickle.load(handle)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError, TypeError):
            return {}  # missing or damaged: every file is read again
        return entries if isinstance(entries, dict) else {}


def reuse_or_write(folder: Path, reference_digest: str, target: Path, write: Callable[[Path], None]) -> bool:
    """Put into ``target`` the files ``write(folder)`` makes, copied from the cache when the
    reference data and the code are those of an earlier run; True when they were reused.

    The files are written to a fresh folder first, with a list of their sha256, and kept
    for the next run; an entry whose files do not match its list is written again. Only
    the newest entry is kept.
    """
    key = hashlib.sha256(f"{reference_digest}\0{CODE_DIGEST}".encode()).hexdigest()[:32]
    entry = folder / key
    reused = _is_whole(entry)
    if not reused:
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
    return reused


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
