"""Lemmas: homograph fixes, compounds by their longest known head, the override list."""

from __future__ import annotations

import pytest

from coding.coder import rules_only_coder
from coding.lemma_overrides import LEMMA_OVERRIDES
from coding.lemmas import compound_lemma, lemma_set, shared_lookups
from coding.pipeline import build_nlp


@pytest.fixture(scope="module")
def nlp():
    return build_nlp("risks", with_textcat=False)


@pytest.fixture(scope="module")
def table():
    return shared_lookups().get_table("lemma_lookup")


def lemmas(nlp, text: str) -> list[str]:
    return [token.lemma_ for token in nlp(text)]


@pytest.mark.parametrize(("word", "lemma"), [
    ("drog", "dra"),  # past tense of dra, not the noun "droga"
    ("har", "ha"),  # not "hare"
    ("men", "men"),  # not "mena"
    ("finns", "finnas"),  # not "finne"
    ("skulder", "skuld"),  # not "skuldra"
    ("Ungdomar", "ungdom"),  # the table is case-sensitive: lowercase first
    ("brist", "brist"),  # a base form stays itself (the table says "brista")
    ("bristen", "brist"),
])
def test_homographs_and_case_are_fixed(nlp, word, lemma):
    assert lemmas(nlp, word) == [lemma]


@pytest.mark.parametrize(("word", "lemma"), [
    ("spelmissbruket", "spelmissbruk"),
    ("hedersförtrycket", "hedersförtryck"),
    ("orosanmälningar", "orosanmälning"),
    ("sommarjobben", "sommarjobb"),
    ("kvinnofridsbrott", "kvinnofridsbrott"),
])
def test_compounds_get_the_lemma_of_their_head(nlp, word, lemma):
    assert lemmas(nlp, word) == [lemma]


def test_override_list_wins_over_the_suffix_guess(table):
    # Without the overrides and with short heads allowed, the suffix "rott" mangles it.
    assert compound_lemma("kvinnofridsbrott", table, {}, frozenset(), min_head=4) == \
        "kvinnofridsbro"
    assert LEMMA_OVERRIDES["kvinnofridsbrott"] == "kvinnofridsbrott"
    assert compound_lemma("kvinnofridsbrott", table, LEMMA_OVERRIDES, lemma_set(table),
                          min_head=4) == "kvinnofridsbrott"
    # An override also applies as the head of a compound.
    assert compound_lemma("alkoholmissbruk", table, LEMMA_OVERRIDES, lemma_set(table)) == \
        "alkoholmissbruk"


def test_unknown_words_are_lowercased_not_invented(nlp):
    assert lemmas(nlp, "Xqzvbl") == ["xqzvbl"]


def test_false_friend_drog_does_not_count_as_drugs():
    coder = rules_only_coder("risks")
    assert coder.code("Det drog ut på tiden innan mötet kom igång.") == []
    assert [c.code for c in coder.code("Fler unga använder droger.")] == ["substance_abuse"]


def test_compound_patterns_find_words_never_listed():
    coder = rules_only_coder("risks")
    codes = {c.code for c in coder.code("Nätspelmissbruket och hedersförtrycket växer.")}
    assert codes == {"substance_abuse", "honour_violence"}


def test_very_long_words_are_not_split_into_compounds(table):
    # Splitting tries every cut: a 200 000-letter token would take minutes.
    word = "Q" * 41 + "missbruket"
    assert compound_lemma(word, table, {}, lemma_set(table)) == word.lower()
    assert compound_lemma("x" * 20 + "missbruket", table, {}, lemma_set(table)) == \
        "x" * 20 + "missbruk"
    long_word = "spel" + "a" * 200_000
    assert compound_lemma(long_word, table, {}, lemma_set(table)) == long_word
