"""The mutation check (tools/mutate.py): its list kept current on every run of the suite,
the check itself only with ``MUTATION=1`` (it takes minutes).

    MUTATION=1 .venv/bin/python -m pytest tests/test_mutation.py -q -s
    .venv/bin/python tools/mutate.py            # the same, with its report
"""

from __future__ import annotations

import ast
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from schemas import Candidate
from schemas.rules import RULES


def _tool():
    spec = importlib.util.spec_from_file_location("mutate", ROOT / "tools" / "mutate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["mutate"] = module
    spec.loader.exec_module(module)
    return module


def test_every_mutant_still_applies_once_and_compiles(tmp_path: Path):
    tool = _tool()
    assert len(tool.MUTANTS) >= 80
    assert len({mutant.name for mutant in tool.MUTANTS}) == len(tool.MUTANTS)
    for mutant in tool.MUTANTS:
        text = (ROOT / mutant.file).read_text(encoding="utf-8")
        assert text.count(mutant.snippet) == 1, (mutant.name, "the code changed: update tools/mutate.py")
        assert mutant.replacement != mutant.snippet, mutant.name
        if mutant.file.endswith(".py"):  # a mutant of reference data (a CSV) breaks no syntax
            ast.parse(text.replace(mutant.snippet, mutant.replacement), filename=mutant.file)
        assert len(mutant.tests) >= 1 and mutant.promise, mutant.name
        for test in mutant.tests:
            path, _, name = test.partition("::")
            assert (ROOT / path).is_file(), (mutant.name, test)
            assert not name or f"def {name}(" in (ROOT / path).read_text(encoding="utf-8"), (mutant.name, test)


def test_every_rule_has_a_mutant_or_is_known_to_have_no_check():
    tool = _tool()
    assert tool.rules_without_mutant() == set()
    checked = {mutant.rule for mutant in tool.MUTANTS if mutant.rule}
    assert checked | set(tool.UNCHECKED_RULES) == set(RULES) and not checked & set(tool.UNCHECKED_RULES)
    # every named check of Candidate is a rule, and has its own mutant
    names = {check.name for check in Candidate.to_schema().checks}
    assert names and names <= set(RULES) and names <= checked


def test_a_rule_left_unchecked_is_still_never_issued():
    """A rule listed as having no check must really have none; once someone writes its
    check, it needs a mutant and leaves UNCHECKED_RULES."""
    tool = _tool()
    sources = "".join(path.read_text(encoding="utf-8") for package in ("pipeline", "schemas") for path in (ROOT / package).rglob("*.py") if path.name != "rules.py")
    for rule in tool.UNCHECKED_RULES:
        assert rule in RULES and f'"{rule}"' not in sources, rule


@pytest.mark.skipif(os.environ.get("MUTATION") != "1", reason="the mutation check takes minutes: MUTATION=1")
def test_no_mutant_survives():
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "mutate.py")], cwd=ROOT, capture_output=True, text=True)
    print(run.stdout[-20000:], run.stderr[-5000:])
    assert run.returncode == 0, run.stdout[-5000:] + run.stderr[-5000:]
