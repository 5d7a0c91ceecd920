"""Vietnamese text normalisation shared by every stage that compares names."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# huyền, sắc, ngã, hỏi, nặng: the five tone marks, as combining characters.
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_WORD = re.compile(r"[\w\u0300-\u036f]+")


def text_key(text: object) -> str:
    """Return a comparison key for a Vietnamese label.

    Two labels get the same key when they differ only in Unicode normal form
    (NFC/NFD), in where the tone mark sits ("Thủy"/"Thuỷ", "Hòa"/"Hoà"), in case,
    in spacing or in punctuation ("TC- ĐH" and "TC - ĐH"). Vowel marks and the
    tone itself still count: "Cẩm Giàng" and "Cẩm Giang" stay different.
    """
    if text is None:
        return ""
    decomposed = unicodedata.normalize("NFD", str(text).casefold())
    words = []
    for word in _WORD.findall(decomposed):
        tones = "".join(ch for ch in word if ch in _TONE_MARKS)
        letters = "".join(ch for ch in word if ch not in _TONE_MARKS)
        # The tone goes after the syllable, so its placement no longer matters.
        words.append(unicodedata.normalize("NFC", letters) + tones[:1])
    return " ".join(words)


def strip_prefixes(key: str, prefixes: Iterable[str]) -> str:
    """Remove leading unit-type words ("quận", "xã", "thành phố"...) from a key."""
    ordered = sorted({p for p in prefixes if p}, key=len, reverse=True)
    changed = True
    while changed:
        changed = False
        for prefix in ordered:
            if key.startswith(prefix + " ") and len(key) > len(prefix) + 1:
                key = key[len(prefix) + 1 :]
                changed = True
    return key


def find_codes(key: str, alias_keys: dict[str, str]) -> list[str]:
    """Codes whose alias occurs in ``key`` as whole words, longest alias first.

    A shorter alias inside a longer one that already matched ("phổ thông" inside
    "trung học phổ thông") does not count again.
    """
    padded = f" {key} "
    taken: list[tuple[int, int]] = []
    codes: list[str] = []
    for alias in sorted(alias_keys, key=len, reverse=True):
        start = padded.find(f" {alias} ")
        while start >= 0:
            span = (start + 1, start + 1 + len(alias))
            if not any(s < span[1] and span[0] < e for s, e in taken):
                taken.append(span)
                if alias_keys[alias] not in codes:
                    codes.append(alias_keys[alias])
            start = padded.find(f" {alias} ", start + 1)
    return codes


def cell_address(row: int, column: int) -> str:
    """Excel address of a zero-based (row, column): (6, 3) -> "D7"."""
    letters = ""
    column += 1
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return f"{letters}{row + 1}"
