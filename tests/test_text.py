import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from pipeline.text import AliasKeys, cell_address, find_codes, strip_prefixes, text_key


def test_tone_placement_normal_form_case_and_spacing_do_not_matter():
    assert text_key("Thủy Nguyên") == text_key("Thuỷ  nguyên")
    assert text_key("Hòa") == text_key("HOÀ")
    assert text_key("Kiến Thụy") == text_key(unicodedata.normalize("NFD", "Kiến Thuỵ"))
    assert text_key("TC- ĐH") == text_key("TC - ĐH") == text_key("tc-đh")


def test_marks_that_change_the_word_still_count():
    assert text_key("Cẩm Giàng") != text_key("Cẩm Giang")
    assert text_key("Đồ Sơn") != text_key("Do Son")


def test_prefixes_are_stripped():
    prefixes = [text_key(p) for p in ["Quận", "Huyện", "Thành phố", "Q."]]
    assert strip_prefixes(text_key("Thành phố Thủy Nguyên"), prefixes) == text_key("Thủy Nguyên")
    assert strip_prefixes(text_key("Q. Lê Chân"), prefixes) == text_key("Lê Chân")
    assert strip_prefixes(text_key("Huyện"), prefixes) == text_key("Huyện")


def test_longest_alias_wins_and_is_not_counted_twice():
    aliases = {text_key("phổ thông"): "PT", text_key("trung học phổ thông"): "THPT"}
    assert find_codes(text_key("GV trung học phổ thông"), aliases) == ["THPT"]
    assert find_codes(text_key("GV phổ thông"), aliases) == ["PT"]
    assert find_codes(text_key("GV phổ thôngx"), aliases) == []


def test_cell_address():
    assert cell_address(0, 0) == "A1"
    assert cell_address(6, 3) == "D7"
    assert cell_address(9, 26) == "AA10"


_WORDS = ["trung", "học", "phổ", "thông", "gv", "mầm", "non", "thủy", "nguyên"]


def _codes_by_scanning_every_alias(key: str, aliases: dict[str, str]) -> list[str]:
    """find_codes' rule, computed the plain way: every alias tried, longest first (ties
    in table order), each whole-word occurrence not inside one already taken."""
    words = key.split(" ")
    taken: list[set[int]] = []
    codes: list[str] = []
    for alias in sorted(aliases, key=len, reverse=True):
        size = len(alias.split(" "))
        for start in range(len(words) - size + 1):
            span = set(range(start, start + size))
            if " ".join(words[start : start + size]) == alias and not any(span & other for other in taken):
                taken.append(span)
                codes += [] if aliases[alias] in codes else [aliases[alias]]
    return codes


@given(
    st.dictionaries(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=3).map(" ".join), st.sampled_from("ABCD"), max_size=12),
    st.lists(st.lists(st.sampled_from(_WORDS), max_size=8).map(" ".join), min_size=1, max_size=5),
)
def test_find_codes_indexed_table_finds_what_scanning_every_alias_finds(aliases: dict[str, str], keys: list[str]):
    indexed = AliasKeys(aliases)  # indexed on the first search, reused by the next
    for key in keys:
        assert find_codes(key, indexed) == find_codes(key, aliases) == _codes_by_scanning_every_alias(key, aliases)
