"""Publishing a run's outputs safely: one run at a time, and never a half-written folder.

Layout under the outputs folder::

    .lock                      held (a POSIX record lock) by the running job; says who holds it
    .versions/<period>-<id>/   the finished folders
    <period> -> .versions/…    a symlink, replaced atomically when a rerun finishes
    latest -> <period>         the last period that succeeded
    .staging-<id>/             a run in progress (removed, or swept by the next run)

A run writes everything into its staging folder, moves it into ``.versions`` and
swaps the ``<period>`` link with one ``rename``: a reader sees the old folder or the
new one, never a mixture, and a run killed at any moment leaves the previous
outputs whole. The lock is a POSIX record lock (``lockf``): the kernel releases it
when its holder dies, so a crashed run never blocks the next one, and processes the
run forks (its workers) do not inherit it.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import shutil
import socket
import uuid
from pathlib import Path

VERSIONS = ".versions"
LATEST = "latest"


class LockHeld(Exception):
    """Another run holds the outputs folder; ``holder`` describes it."""

    def __init__(self, holder: dict):
        super().__init__(holder)
        self.holder = holder


class OutputsLock:
    """Exclusive lock on an outputs folder for the lifetime of a ``with`` block."""

    def __init__(self, outputs: Path, command: str):
        self.path = outputs / ".lock"
        self.command = command
        self._handle = None

    def __enter__(self) -> "OutputsLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+", encoding="utf-8")
        try:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            text = handle.read()
            handle.close()
            try:
                holder = json.loads(text)
            except json.JSONDecodeError:
                holder = {}
            raise LockHeld(holder) from None
        handle.seek(0)
        handle.truncate()
        holder = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "command": self.command,
            "started": dt.datetime.now().isoformat(timespec="seconds"),
        }
        handle.write(json.dumps(holder, ensure_ascii=False))
        handle.flush()
        self._handle = handle
        return self

    def __exit__(self, *exc_info) -> None:
        if self._handle is not None:
            self._handle.seek(0)
            self._handle.truncate()
            self._handle.flush()
            fcntl.lockf(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None


def new_staging(outputs: Path) -> Path:
    """A fresh, empty staging folder for this run (leftovers of killed runs are swept first)."""
    sweep(outputs)
    staging = outputs / f".staging-{uuid.uuid4().hex[:12]}"
    staging.mkdir(parents=True)
    return staging


def publish(staging: Path, outputs: Path, period: str, is_latest: bool = True) -> Path:
    """Make ``staging`` the outputs of ``period`` in one atomic step; return the period path."""
    versions = outputs / VERSIONS
    versions.mkdir(exist_ok=True)
    version = versions / f"{period}-{staging.name.removeprefix('.staging-')}"
    _fsync_tree(staging)
    staging.rename(version)
    target = outputs / period
    if target.exists() and not target.is_symlink():
        # An outputs folder from before links were used: keep it as an older version.
        target.rename(versions / f"{period}-legacy-{uuid.uuid4().hex[:6]}")
    _swap_link(target, Path(VERSIONS) / version.name)
    if is_latest:
        _swap_link(outputs / LATEST, Path(period))
    sweep(outputs)
    return target


def sweep(outputs: Path) -> None:
    """Remove staging folders of dead runs and versions no link points to."""
    if not outputs.exists():
        return
    for leftover in outputs.glob(".staging-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in outputs.glob(".link-*"):
        leftover.unlink(missing_ok=True)
    versions = outputs / VERSIONS
    if not versions.exists():
        return
    in_use = {
        os.path.normpath(os.readlink(link)).split(os.sep)[-1]
        for link in outputs.iterdir()
        if link.is_symlink() and os.readlink(link).startswith(VERSIONS)
    }
    for version in versions.iterdir():
        if version.name not in in_use:
            shutil.rmtree(version, ignore_errors=True)


def periods(outputs: Path) -> list[str]:
    """The published periods, oldest first."""
    if not outputs.exists():
        return []
    return sorted(
        link.name for link in outputs.iterdir()
        if link.name != LATEST and not link.name.startswith(".") and link.is_dir()
    )


def _swap_link(link: Path, points_to: Path) -> None:
    temporary = link.parent / f".link-{uuid.uuid4().hex[:12]}"
    temporary.symlink_to(points_to)
    os.replace(temporary, link)  # rename(2): atomic
    _fsync_dir(link.parent)


def _fsync_tree(folder: Path) -> None:
    """Flush every file to disk before the folder becomes visible (power cuts)."""
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
    for path in [folder, *[p for p in folder.rglob("*") if p.is_dir()]]:
        _fsync_dir(path)


def _fsync_dir(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
