"""A cache of what was read and checked in each input file, so an unchanged file is not parsed again.

An entry is keyed by the file's name and sha256, the reference data's digest and
the code's version: change any of them and the file is read again. The cache lives
in ``<outputs>/.cache`` and can be deleted at any time without changing a result.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import uuid
from pathlib import Path

_CODE = Path(__file__).resolve().parent
# Any change to the modules that read or check a file invalidates the cache.
_CODE_DIGEST = hashlib.sha256(
    b"".join((_CODE / name).read_bytes() for name in ("ingest.py", "text.py", "validate.py"))
    + b"".join((_CODE.parent / "schemas" / name).read_bytes() for name in ("__init__.py", "plan.py"))
).hexdigest()[:16]


class IngestCache:
    """Read and write cached ingest results under ``folder``."""

    def __init__(self, folder: Path, reference_digest: str):
        self.folder = folder
        self.reference_digest = reference_digest

    def key(self, name: str, file_digest: str) -> str:
        text = "\0".join((name, file_digest, self.reference_digest, _CODE_DIGEST))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def load(self, key: str) -> tuple | None:
        path = self.folder / f"{key}.pkl"
        try:
            with open(path, "rb") as handle:
                return pickle.load(handle)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            return None  # missing or damaged entry: read the file again

    def save(self, key: str, value: tuple) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.folder / f".{key}.{uuid.uuid4().hex[:8]}.tmp"
        with open(temporary, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self.folder / f"{key}.pkl")

    def prune(self, keep: set[str]) -> None:
        """Drop entries of files that are gone or changed."""
        if not self.folder.exists():
            return
        for path in self.folder.iterdir():
            if path.suffix == ".pkl" and path.stem not in keep or path.suffix == ".tmp":
                path.unlink(missing_ok=True)
