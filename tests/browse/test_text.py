"""How a query is read: invisible characters, Khmer spelling variants, case and punctuation
never change what is searched for."""

from hypothesis import given
from hypothesis import strategies as st

from singleportal.browse.text import MAX_WORDS, Query
from singleportal.core.text import INVISIBLE_CHARACTERS

KHMER = st.text(st.characters(min_codepoint=0x1780, max_codepoint=0x17DD), min_size=1)
INVISIBLE = st.sampled_from(sorted(INVISIBLE_CHARACTERS))


@given(KHMER, st.lists(st.tuples(st.integers(min_value=0), INVISIBLE), max_size=5))
def test_invisible_characters_anywhere_in_a_query_change_nothing(text, insertions):
    typed = text
    for position, char in insertions:
        at = position % (len(typed) + 1)
        typed = typed[:at] + char + typed[at:]
    assert Query.parse(typed).words == Query.parse(text).words


@given(st.text(max_size=300))
def test_reading_a_query_twice_gives_the_same_words(text):
    once = Query.parse(text)
    assert Query.parse(once.phrase).words == once.words
    assert len(once.words) <= MAX_WORDS


def test_case_punctuation_and_repeats_do_not_count():
    assert Query.parse("  Silk, SILK scarf!  ").words == ("silk", "scarf")


def test_khmer_spelling_variants_are_folded():
    # The deprecated independent vowel QAQ is written QA; E + AA is written OO.
    assert Query.parse("\u17a3ង\u17c1\u17b6").words == Query.parse("\u17a2ង\u17c4").words


def test_a_query_of_invisible_characters_or_punctuation_alone_searches_nothing():
    assert not Query.parse("\u200b \u200c")
    assert not Query.parse(" ។ , ")
