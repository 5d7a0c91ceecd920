"""The benchmark runs end to end at a small N (a smoke test; its figures are not checked)."""

import re
import subprocess
import sys

from conftest import ROOT


def test_benchmark_smoke():
    result = subprocess.run(
        [sys.executable, "benchmarks/run.py", "--files", "8", "--repeat", "1"], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert re.fullmatch(r"ratio_full_to_floor=\d+\.\d\d", lines[-1])
    assert any(line.startswith("floor (calamine") for line in lines)
    assert any(line.startswith("naive (pd.read_excel") for line in lines)
    assert any(line.startswith("start-up (Python, pandas, pandera)") for line in lines)
    assert any(line.startswith("stack floor (start-up + floor /") for line in lines)
    # Peak memory, then CPU seconds.
    assert any(line.startswith("full run, cold") and re.search(r"\d+MB\s+\d+\.\d\d$", line) for line in lines)
    assert any(line.startswith("incremental, 1 file changed") and re.search(r"\d+MB\s+\d+\.\d\d$", line) for line in lines)
