"""How a cell prints: the tests' own reading of Excel number formats, for the subset the
workbooks use (conditional sections, "0"/"#" digits, literal text in quotes, "_)" padding).

Written from Excel's rules, not from the pipeline's code: the first section whose
[condition] holds is used, a section without condition takes the rest; a literal " "
between the digits groups them by three; the zeros after "." are the decimals; the
sign is printed only where the section writes it. The print tests check the same
against LibreOffice's rendering.
"""

from __future__ import annotations

import re

_CONDITION = re.compile(r"^\[(>=|<=|<>|>|<|=)(-?[\d.]+)\]")


def display(value: float, number_format: str, decimal_mark: str = ".") -> str:
    """The text ``value`` shows in a cell of ``number_format``."""
    if number_format == "General":
        return (f"{value:g}" if isinstance(value, float) else str(value)).replace(".", decimal_mark)
    body = _pick(value, number_format.split(";"))
    if not body:
        return ""
    sign = "-" if body.startswith("-") else ""
    body = body[len(sign):]
    last_digit = max(body.rfind("0"), body.rfind("#"))
    core, tail = body[: last_digit + 1], body[last_digit + 1 :]
    decimals = len(core.split(".", 1)[1]) if "." in core else 0
    grouped = '" "' in core
    magnitude = format(abs(value), f"{',' if grouped else ''}.{decimals}f").replace(",", " ").replace(".", decimal_mark)
    return sign + magnitude + "".join(re.findall(r'"([^"]*)"', tail))


def parse(text: str) -> float:
    """A printed figure back to a number: "1 312.74 (1)" -> 1312.74."""
    return float(re.sub(r"\s*\(\d+\)$", "", text.strip()).replace(" ", ""))


def _pick(value: float, sections: list[str]) -> str:
    for section in sections:
        match = _CONDITION.match(section)
        if match is None:
            return section
        operator, limit = match.group(1), float(match.group(2))
        if {">=": value >= limit, "<=": value <= limit, ">": value > limit, "<": value < limit, "=": value == limit, "<>": value != limit}[operator]:
            return section[match.end():]
    return ""
