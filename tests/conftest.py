"""Shared fixtures: a scratch copy of the reference data and a way to run the real CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

# tools/mutate.py runs the property tests to see them fail, not to shrink what failed.
settings.register_profile("mutation", max_examples=25, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate], suppress_health_check=[HealthCheck.too_slow])
if os.environ.get("HYPOTHESIS_PROFILE") == "mutation":
    settings.load_profile("mutation")


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """An inputs folder with the shipped reference data and no registrations yet."""
    folder = tmp_path / "inputs"
    shutil.copytree(ROOT / "inputs" / "reference", folder / "reference")
    (folder / "registrations").mkdir()
    return folder


def check(inputs: Path):
    """Read and check every file under ``inputs/registrations`` the way a run does:
    (registrations, issues, files)."""
    from pipeline import intake
    from pipeline.reference import read_reference

    found = intake.check_inputs(inputs / "registrations", read_reference(inputs / "reference"))
    return found.registrations, found.issues, found.files


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run ``python -m pipeline`` as a user would, returning its exit code and output."""
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args], cwd=cwd, capture_output=True, text=True, timeout=600
    )


def convert_to_pdf(workbook: Path, folder: Path) -> Path:
    """Print a workbook to PDF with LibreOffice, as a finance officer would."""
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{folder}/lo-profile", "--convert-to", "pdf", "--outdir", str(folder), str(workbook)],
        check=True, capture_output=True, timeout=300,
    )
    return folder / (workbook.stem + ".pdf")
