"""What a label names: a unit of a year, a topic of the catalogue, a level.

Forgive spelling, never meaning: Unicode form, case, spacing, punctuation, where
the tone mark sits, marks left out, and a letter mistyped inside a word are forgiven
(the last three with a warning, for a person to confirm); a different, missing or
extra word is not. A unit is never guessed from a typo in its marks ("An Lảo" is not
"An Lão"): only a name typed entirely without marks is matched without them.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from pipeline.reference import UnitIndex, Vocabulary
from pipeline.text import find_codes, fold_key, strip_prefixes, text_key

EXACT, FUZZY, CODE, FORMER_KIND = "exact", "fuzzy", "code", "former_kind"
_FORMULA_STARTS = ("=", "+", "-", "@")
_SHORTEST_WORD_WITH_TYPO = 4  # a letter mistyped in a shorter word may make another word


@dataclass(frozen=True)
class Match:
    """What a label was resolved to, and how.

    ``how``: "exact" (a name, alias or other spelling), "fuzzy" (typed without marks,
    with a letter mistyped, or inside longer text: to confirm), "code" (by the topic
    code beside it), "former_kind" (a unit named with the kind it had the year before
    or after), or "" (not found). ``note``: for the officer — the closest names, or
    what kind a unit was that year.
    """

    code: str | None
    how: str = ""
    note: str = ""
    score: int = 100


NOT_FOUND = Match(None)


def resolve_unit(label: str | None, fallbacks: tuple, index: UnitIndex) -> Match:
    """The unit a row's label names, else (no label) the one the title, sheet or file names.

    A prefix naming another kind of unit than the name was that year ("Huyện Thủy
    Nguyên" in 2026, a ward then) is not that unit — unless the unit had that kind the
    year before or after on the same territory, a table typed after a reclassification.
    A name followed by a word marking the former unit ("An Dương (cũ)", ``aliases.csv``
    kind ``marker``, code ``former``) is not that year's unit either, nor a name right
    after a word naming a school ("Trường THPT Ngô Quyền", code ``school``).
    """
    if label is not None:
        typed = text_key(label)
        key = strip_prefixes(typed, index.prefixes)
        if key in index.keys:
            return _check_kind(index.keys[key], typed, key, index, EXACT)
        # A name inside longer text ("Phòng GD&ĐT quận Ngô Quyền"), never inside a formula's text.
        found = set(find_codes(key, index.keys)) if not str(label).lstrip().startswith(_FORMULA_STARTS) else set()
        if not found and fold_key(typed) == typed:  # typed without any mark: "Phuong Le Chan"
            bare = strip_prefixes(typed, [fold_key(prefix) for prefix in index.prefixes])
            if bare in index.folded:
                found = {index.folded[bare]}
        if len(found) == 1:
            name = found.pop()
            return _check_kind(name, typed, strip_prefixes(text_key(name), index.prefixes), index, FUZZY)
        return Match(None, note=suggest(label, {key: name for key, name in index.keys.items()}, index.prefixes))
    if not fallbacks:
        return NOT_FOUND  # a unit column whose cell is blank: nothing else names the row's unit
    title, sheet, stem = fallbacks
    for text, may_fold in (*[(line, False) for line in title_parts(title)], (sheet, True), (stem, True)):
        if not isinstance(text, str):
            continue
        typed = text_key(text)
        found = find_codes(typed, index.keys)
        if len(found) == 1:
            match = _check_kind(found[0], typed, strip_prefixes(text_key(found[0]), index.prefixes), index, EXACT)
            if match.code is not None and not may_fold and not _named_as_unit(typed, found[0], index):
                continue  # a title's words that spell a unit's name ("phong cách Hồ Chí Minh", "Hải Dương, ngày 5 tháng 12"): no unit said
            return match
        if not found and (may_fold or fold_key(typed) == typed):
            found = find_codes(fold_key(typed), index.folded)
            if len(found) == 1:
                match = _check_kind(found[0], typed, strip_prefixes(text_key(found[0]), index.prefixes), index, FUZZY)
                return Match(found[0], FUZZY) if match.code is not None else match
    return NOT_FOUND


def units_named_as_such(text: str | None, index: UnitIndex) -> list[str]:
    """The units a line or a name names as a unit: the whole of it is a unit's name, with or
    without its kind, marks or none ("Xã An Trường", "xa_an_truong"), or a name follows its
    kind ("UBND XÃ AN LÃO"). Words that merely spell a name name none."""
    if not isinstance(text, str) or not text.strip():
        return []
    typed = text_key(text)
    if (whole := strip_prefixes(typed, index.prefixes)) in index.keys:
        return [index.keys[whole]]
    if fold_key(typed) == typed and (bare := strip_prefixes(typed, [fold_key(prefix) for prefix in index.prefixes])) in index.folded:
        return [index.folded[bare]]
    # A name right after its kind: the longest run of words after a kind that is a name.
    words, found = typed.split(), []
    for prefix in index.prefixes:
        kind = prefix.split()
        for start in range(len(words) - len(kind)):
            if words[start : start + len(kind)] == kind:
                after = words[start + len(kind) :]
                name = next((index.keys[key] for size in range(len(after), 0, -1) if (key := " ".join(after[:size])) in index.keys), None)
                if name is not None and name not in found:
                    found.append(name)
    return found


def _named_as_unit(typed: str, name: str, index: UnitIndex) -> bool:
    """A title line names a unit as such: the whole line is the name, with or without its kind
    ("Phường Lê Chân"), or the name comes right after a kind ("UBND XÃ AN LÃO", "… CỦA XÃ TÂN MINH")."""
    name_key = strip_prefixes(text_key(name), index.prefixes)
    if strip_prefixes(typed, index.prefixes) == name_key:
        return True
    return any(f" {prefix} {name_key} " in f" {typed} " for prefix in index.prefixes)


def _check_kind(name: str, typed: str, name_key: str, index: UnitIndex, how: str) -> Match:
    plain_typed, plain_name = f" {fold_key(typed)} ", fold_key(name_key)  # marks or none: "An Duong cu" too
    former = next((word for key, word in index.former_markers.items() if f" {plain_name} {fold_key(key)} " in plain_typed), None)
    if former is not None:  # "An Dương (cũ)": the unit before the reform, a group of today's units
        return Match(None, note=f" (\"{name} {former}\" là đơn vị trước khi sắp xếp, không phải {name} của năm {index.year})")
    school = next((word for key, word in index.school_markers.items() if f" {fold_key(key)} {plain_name} " in plain_typed), None)
    if school is not None:  # "Trường THPT Ngô Quyền": a school named after a person or place, not the ward
        kinds = ", ".join(sorted(index.kinds.get(name, ()))) or "đơn vị"
        return Match(None, note=f" (\"{school} {name}\" là tên một trường, không phải {kinds} {name} của năm {index.year})")
    typed_kinds = {kind for prefix, kind in index.prefix_kinds.items() if f" {prefix} {name_key} " in f" {typed} "}
    kinds = index.kinds.get(name, set())
    if not typed_kinds or not kinds or typed_kinds & kinds:
        return Match(name, how)
    this_year = ", ".join(sorted(kinds))
    neighbours = index.neighbour_kinds.get(name, {})
    former = {kind: year for kind, year in neighbours.items() if kind in typed_kinds}
    if former:
        kind, year = sorted(former.items())[0]
        return Match(name, FORMER_KIND, f"năm {index.year} {name} là {this_year}; \"{kind}\" là loại đơn vị của năm {year}")
    return Match(None, note=f" (năm {index.year} \"{name}\" là {this_year}, không phải {', '.join(sorted(typed_kinds))})")


def resolve_topic(label: str | None, fallbacks: tuple, vocabulary: Vocabulary, code: str | None = None) -> Match:
    """The topic a label names: its catalogue name, an alias or its code, exactly or inside the
    label; else the same typed without marks or with a letter mistyped (to confirm); else the
    topic code typed beside it (a form's "Mã" column). The title, sheet and file name are
    read when the label names none."""
    if fallbacks:
        fallbacks = (*title_parts(fallbacks[0]), *fallbacks[1:])
    by_code = vocabulary.topic_codes.get(text_key(code)) if code else None
    for text in (label, *fallbacks):
        if not isinstance(text, str):
            continue
        key = text_key(text)
        if key in vocabulary.topics:
            return _agrees_with_code(Match(vocabulary.topics[key], EXACT), by_code, code, vocabulary)
        found = find_codes(key, vocabulary.topics)
        if len(found) == 1:
            # A title or a column header names its programme among other words; a row's
            # label with more words than the name may name another programme: to confirm.
            how = FUZZY if text is label and not fallbacks else EXACT
            return _agrees_with_code(Match(found[0], how, score=_shown_score(key, found[0], vocabulary) if how == FUZZY else 100), by_code, code, vocabulary)
    if by_code is not None:
        return Match(by_code, CODE)
    for text in (label, *fallbacks):
        if isinstance(text, str):
            close = closest_topic(text, vocabulary)
            if close.code is not None:
                return _agrees_with_code(close, by_code, code, vocabulary)
    if not isinstance(label, str):
        return NOT_FOUND
    return Match(None, note=suggest(label, {text_key(name): name for name in vocabulary.topic_names.values()}, []))


def _agrees_with_code(match: Match, by_code: str | None, code: str | None, vocabulary: Vocabulary) -> Match:
    """A name and the code typed beside it ("Mã") that name two programmes: neither is guessed."""
    if by_code is None or match.code is None or by_code == match.code:
        return match
    return Match(None, note=f" (mã {code} là {by_code} \"{vocabulary.topic_names[by_code]}\", còn tên là {match.code} \"{vocabulary.topic_names[match.code]}\": ghi mã và tên của cùng một nội dung)")


def closest_topic(text: str, vocabulary: Vocabulary) -> Match:
    """A catalogue name or alias the text spells differently but means the same: the same words,
    each the same but for its marks or one mistyped letter, and spacing; or such a name inside
    the text. One topic must fit."""
    typed = text_key(text)
    folded = fold_key(typed)
    found = find_codes(folded, vocabulary.folded_topics)
    if len(found) == 1:
        return Match(found[0], FUZZY, score=_shown_score(typed, found[0], vocabulary))
    words = folded.split()
    if len(words) < 2:
        return NOT_FOUND
    fits = {code for key, code in vocabulary.topic_spellings if _same_words_but_spelling(words, fold_key(key).split())}
    if len(fits) == 1:
        code = fits.pop()
        return Match(code, FUZZY, score=_shown_score(typed, code, vocabulary))
    return NOT_FOUND


def _same_words_but_spelling(typed: list[str], known: list[str]) -> bool:
    """The same words in the same order, each equal or one letter off (a letter mistyped,
    left out, doubled or two swapped) in a word long enough not to become another word;
    or the same letters with other spacing."""
    if "".join(typed) == "".join(known):
        return True
    if len(typed) != len(known):
        return False
    typos = 0
    for mine, theirs in zip(typed, known):
        if mine == theirs:
            continue
        if min(len(mine), len(theirs)) < _SHORTEST_WORD_WITH_TYPO or DamerauLevenshtein.distance(mine, theirs) > 1:
            return False
        typos += 1
    return typos <= max(1, len(known) // 6)


def _shown_score(typed: str, code: str, vocabulary: Vocabulary) -> int:
    """How alike the text and the catalogue name are, marks included, for the officer."""
    name = text_key(vocabulary.topic_names[code])
    return int(fuzz.partial_ratio(name, typed) if len(name) < len(typed) else fuzz.ratio(name, typed))


def resolve_level(label: str | None, title: str | None, allowed: str, vocabulary: Vocabulary) -> tuple[str | None, bool]:
    """(level, whether the column label itself names it): a level's code, name or alias in the
    label, else in the title; else the one level the topic applies to."""
    permitted = allowed.split()
    for text, in_label in ((label, True), *((line, False) for line in title_parts(title))):
        if not isinstance(text, str):
            continue
        key = text_key(text)
        found = find_codes(key, vocabulary.levels) or find_codes(fold_key(key), vocabulary.folded_levels)
        if len(found) == 1:
            return found[0], in_label
        inside = [code for code in found if code in permitted]
        if len(inside) == 1:
            return inside[0], in_label
    return (permitted[0] if len(permitted) == 1 else None), False


def level_part(label: str | None, vocabulary: Vocabulary) -> str | None:
    """The level a column names by one of its parts ("Nhà trẻ", "Mẫu giáo" -> MN), or None."""
    if not isinstance(label, str):
        return None
    key = text_key(label)
    found = set(find_codes(key, vocabulary.level_parts)) | set(find_codes(fold_key(key), vocabulary.folded_level_parts))
    return found.pop() if len(found) == 1 else None


def level_group(label: str | None, vocabulary: Vocabulary) -> str | None:
    """The level a column names with a group of its people before or after it ("CBQL MN",
    "Giáo viên tiểu học", "MN - GV"), or None: such columns are the level's groups, added
    as when the group is typed over the level. The rest must be a level's name or alias."""
    if not isinstance(label, str):
        return None
    key = text_key(label)
    for group in sorted((word for word, role in vocabulary.header_roles.items() if role == "group"), key=len, reverse=True):
        if key.startswith(group + " "):
            rest = key[len(group) + 1 :]
        elif key.endswith(" " + group):
            rest = key[: -len(group) - 1]
        else:
            continue
        return vocabulary.levels.get(rest) or vocabulary.folded_levels.get(fold_key(rest))
    return None


def suggest(label: object, names: dict[str, str], prefixes: list[str]) -> str:
    """" (gần giống: A, B, C)": up to three display names close to the label."""
    if not isinstance(label, str) or not names:
        return ""
    matches = process.extract(strip_prefixes(text_key(label), prefixes), list(names), scorer=fuzz.WRatio, limit=3, score_cutoff=60)
    shown = list(dict.fromkeys(names[match] for match, _, _ in matches))
    return f" (gần giống: {', '.join(shown)})" if shown else ""


def title_parts(title: object) -> list[str]:
    """The title block's lines in order (the table's own, then the sheet's), then all of it:
    a name is looked for line by line first, so a line naming one thing wins."""
    if not isinstance(title, str) or not title:
        return []
    lines = title.split(" | ")
    return lines + [" ".join(lines)] if len(lines) > 1 else lines
