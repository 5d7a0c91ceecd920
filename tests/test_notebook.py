"""The notebook runs top to bottom on a real run's data/ tables."""

from pathlib import Path

import nbformat
from nbclient import NotebookClient

from conftest import ROOT, run_cli


def test_notebook_executes(tmp_path: Path, monkeypatch):
    outputs = tmp_path / "outputs"
    assert run_cli("run", "--outputs", str(outputs), "--period", "2026-11").returncode == 0
    monkeypatch.setenv("PIPELINE_DATA", str(outputs / "2026-11" / "data"))
    notebook = nbformat.read(ROOT / "notebooks" / "plan_overview.ipynb", as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    outputs_of = [cell.get("outputs", []) for cell in notebook.cells if cell.cell_type == "code"]
    images = [o for outs in outputs_of for o in outs if "image/png" in o.get("data", {})]
    assert len(images) == 2  # budget per year, headcount per level
    errors = [o for outs in outputs_of for o in outs if o.get("output_type") == "error"]
    assert not errors
    assert "54507.74" in str(outputs_of[1]) and "35604.45" in str(outputs_of[1])  # budget per year, unrounded (million VND)
