"""Vietnamese text normalisation shared by every stage that compares names."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

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
    return _text_key(text if isinstance(text, str) else str(text))


@lru_cache(maxsize=1 << 17)
def _text_key(text: str) -> str:
    # Cached: the same labels (topic names, headers, unit names) recur in every file.
    decomposed = unicodedata.normalize("NFD", text.casefold())
    words = []
    for word in _WORD.findall(decomposed):
        tone = _TONE.search(word)
        if tone is None:
            words.append(unicodedata.normalize("NFC", word))
        else:  # the tone goes after the syllable, so its placement no longer matters
            words.append(unicodedata.normalize("NFC", word.translate(_NO_TONES)) + tone.group())
    return " ".join(words)


_TONE = re.compile(f"[{''.join(sorted(_TONE_MARKS))}]")
_NO_TONES = dict.fromkeys(map(ord, _TONE_MARKS))


def fold_key(key: str) -> str:
    """A key with every mark removed and "đ" as "d": "kiến thụy" -> "kien thuy".

    For matching names typed without Vietnamese marks; folding merges names that
    differ only by marks ("Cẩm Giang", "Cẩm Giàng"), so a folded match must be unique.
    """
    return unicodedata.normalize("NFD", key.replace("đ", "d")).translate(_UNMARKED)


class _Unmarks(dict):
    """A ``str.translate`` table deleting combining marks, filled as characters are met."""

    def __missing__(self, code: int) -> int | None:
        self[code] = None if unicodedata.combining(chr(code)) else code
        return self[code]


_UNMARKED = _Unmarks()


def parse_headcount(value: object) -> tuple[float, bool]:
    """A headcount as typed in a cell: ``(number, is_number)``.

    Blank is zero, and so is a lone dash ("-", "–"), the typist's blank.
    Thousands separators are understood: "1.192", "1 192" and "1,192" are 1192;
    "2,5" and "2.5" stay 2.5 (a fraction, which a rule rejects). Anything else
    ("mười", "5 người") is not a number: ``(nan, False)``.
    """
    if value is None:
        return 0.0, True
    if isinstance(value, bool):
        return _NAN, False
    if isinstance(value, (int, float)):
        return (float(value), True) if value == value else (0.0, True)
    if not isinstance(value, str):
        return _NAN, False
    text = value.translate(_SPACES).strip()
    if not text or text in _DASHES:
        return 0.0, True
    if _THOUSANDS.match(text):
        return float(re.sub(r"[.,\s]", "", text)), True
    if _PLAIN_NUMBER.match(text):
        return float(text.replace(",", ".")), True
    return _NAN, False


_NAN = float("nan")
# Spaces a number may be typed with, and the invisible characters pasted in with it
# (zero-width space and joiners, the byte-order mark, a soft hyphen): "12\u200b" is 12.
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None, "\u00ad": None})
_DASHES = frozenset({"-", "–", "—", "--"})
# 1.192 / 1 192 / 1,192 / 12.345.678: groups of three after a separator, the same one
# throughout, after a first group not starting with 0 ("0.192" is a fraction, not 192).
_THOUSANDS = re.compile(r"^[+]?[1-9]\d{0,2}(?:(?P<sep>[.,\s])\d{3})(?:(?P=sep)\d{3})*$")
_PLAIN_NUMBER = re.compile(r"^[-+]?\d+(?:[.,]\d+)?\.?$")


def strip_prefixes(key: str, prefixes: Iterable[str]) -> str:
    """Remove leading unit-type words ("quận", "xã", "thành phố"...) from a key."""
    ordered = _longest_first(tuple(prefixes))
    changed = True
    while changed:
        changed = False
        for prefix in ordered:
            if key.startswith(prefix + " ") and len(key) > len(prefix) + 1:
                key = key[len(prefix) + 1 :]
                changed = True
    return key


@lru_cache(maxsize=64)
def _longest_first(prefixes: tuple[str, ...]) -> list[str]:
    return sorted({p for p in prefixes if p}, key=len, reverse=True)


def find_codes(key: str, alias_keys: dict[str, str]) -> list[str]:
    """Codes whose alias occurs in ``key`` as whole words, longest alias first.

    A shorter alias inside a longer one that already matched ("phổ thông" inside
    "trung học phổ thông") does not count again. Pass an ``AliasKeys`` for a table
    searched many times: only the aliases whose first word is in ``key`` are tried.
    """
    padded = f" {key} "
    taken: list[tuple[int, int]] = []
    codes: list[str] = []
    for alias in _by_word(alias_keys).candidates(padded):
        start = padded.find(f" {alias} ")
        while start >= 0:
            span = (start + 1, start + 1 + len(alias))
            if not any(s < span[1] and span[0] < e for s, e in taken):
                taken.append(span)
                if alias_keys[alias] not in codes:
                    codes.append(alias_keys[alias])
            start = padded.find(f" {alias} ", start + 1)
    return codes


class AliasKeys(dict):
    """Alias keys -> codes, indexed for ``find_codes`` when first searched; not to be
    changed after that (a year's unit names: thousands of aliases, searched per file)."""

    index: "_WordIndex | None" = None


class _WordIndex:
    """Aliases longest first (ties in table order), grouped by their first word: an alias
    found in a text as whole words has its first word among the text's words."""

    def __init__(self, alias_keys: dict[str, str]):
        self.groups: dict[str, list[tuple[int, str]]] = {}
        for rank, alias in enumerate(sorted(alias_keys, key=len, reverse=True)):
            self.groups.setdefault(alias.split(" ", 1)[0], []).append((rank, alias))

    def candidates(self, padded: str) -> list[str]:
        found = [entry for word in set(padded.split(" ")) for entry in self.groups.get(word, ())]
        return [alias for _, alias in sorted(found)]


def _by_word(alias_keys: dict[str, str]) -> _WordIndex:
    if isinstance(alias_keys, AliasKeys):
        if alias_keys.index is None:
            alias_keys.index = _WordIndex(alias_keys)
        return alias_keys.index
    return _WordIndex(alias_keys)


@lru_cache(maxsize=1 << 16)
def cell_address(row: int, column: int) -> str:
    """Excel address of a zero-based (row, column): (6, 3) -> "D7"."""
    return f"{column_letters(column)}{row + 1}"


@lru_cache(maxsize=1024)  # every cell of every file asks for one of a few columns
def column_letters(column: int) -> str:
    """Excel letters of a zero-based column: 3 -> "D", 26 -> "AA"."""
    letters = ""
    column += 1
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
