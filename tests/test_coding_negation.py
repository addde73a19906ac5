"""Negation scope, and negation as evidence for deficit themes."""

from __future__ import annotations

import pytest

from coding.coder import rules_only_coder
from coding.negation import negation_scopes


@pytest.fixture(scope="module")
def coder():
    return rules_only_coder("risks")


def status(coder, text: str) -> dict[str, bool]:
    """theme -> negated, for every code found."""
    return {c.code: c.negated for c in coder.code(text)}


def scoped(text: str) -> list[str]:
    words = text.lower().split()
    covered = set()
    for scope in negation_scopes(words, [False] * len(words)):
        covered.update(range(scope.start, scope.end))
    return [w for i, w in enumerate(words) if i in covered]


def test_scope_runs_forward_to_a_terminator():
    assert scoped("vi ser ingen ökning av våld men missbruket ökar") == \
        ["ökning", "av", "våld"]


def test_pseudo_negations_are_not_negations():
    assert scoped("missbruket ökar inte minst bland unga") == []
    assert scoped("det handlar inte bara om ensamhet") == []


def test_negation_after_the_finite_verb_reaches_the_topic():
    assert "missbruket" in scoped("missbruket har inte ökat")
    assert "våld" in scoped("våld ser vi inte i kommunen")


def test_saknas_negates_what_comes_before():
    assert "sommarjobb" in scoped("sommarjobb saknas i år")


def test_negated_theme_is_reported_but_not_a_label(coder):
    assert status(coder, "Vi ser ingen ökning av våld i nära relationer.") == \
        {"domestic_violence": True}
    assert status(coder, "Inga signaler om ökat missbruk.") == {"substance_abuse": True}
    analysis = coder.analyse_many(["Inga signaler om ökat missbruk."])[0]
    assert analysis.labels("rules") == set() and analysis.negated("rules") == {
        "substance_abuse"}


def test_scope_ends_at_men_and_the_sentence(coder):
    assert status(coder, "Vi ser inget ökat missbruk, men våldet i hemmen ökar.") == {
        "substance_abuse": True, "domestic_violence": False}
    assert status(coder, "Inga signaler om missbruk. Våld i nära relationer ökar.") == {
        "substance_abuse": True, "domestic_violence": False}


def test_a_line_break_ends_the_scope(coder):
    text = "- inga nya ärenden om missbruk\n- ökat våld i nära relationer"
    assert status(coder, text) == {"substance_abuse": True, "domestic_violence": False}


def test_no_change_counts_as_denial(coder):
    assert status(coder, "Antalet orosanmälningar ligger på samma nivå som tidigare.") == {
        "vulnerable_children": True}


@pytest.mark.parametrize("text", [
    "Inga sommarjobb i år.",
    "Det saknas meningsfulla aktiviteter för unga.",
    "Ungdomarna har ingenting att göra på kvällarna.",
    "Det finns inte några sommarjobb att erbjuda.",
    "Fritidsgårdarna är stängda och lovaktiviteterna inställda.",
])
def test_negation_is_evidence_for_deficit_themes(coder, text):
    assert status(coder, text) == {"youth_idleness": False}


def test_a_denied_deficit_is_negated(coder):
    assert status(coder, "Brist på sommarjobb ser vi inte som en risk i år.") == {
        "youth_idleness": True}


def test_positive_mention_of_summer_jobs_is_not_idleness(coder):
    assert status(coder, "Kommunen har erbjudit sommarjobb till alla som sökte.") == {}


def test_negation_cues_are_matched_on_lower_not_lemma(coder):
    # "inga" has the lemma "ingen"; "Inte" is capitalised: both are still cues.
    assert status(coder, "Inte heller någon ökning av missbruk.") == {"substance_abuse": True}


@pytest.mark.parametrize(("text", "expected"), [
    ("Inga sommarjobb i år och orosanmälningarna har ökat.",
     {"youth_idleness": False, "vulnerable_children": False}),
    ("Vi ser inget ökat missbruk och våldet i hemmen har ökat kraftigt.",
     {"substance_abuse": True, "domestic_violence": False}),
    ("Inga fritidsgårdar är öppna och ungdomarna hänger på stan.",
     {"youth_idleness": False, "public_safety": False}),
])
def test_scope_ends_at_och_before_a_new_clause(coder, text, expected):
    assert status(coder, text) == expected


def test_scope_runs_on_through_a_list_after_och():
    assert scoped("inget missbruk och våld har rapporterats") == [
        "missbruk", "och", "våld", "har", "rapporterats"]
    assert "sommarjobben" in scoped(
        "när varken skolan , sommarjobben eller fritidsgårdarna finns som vanligt")


@pytest.mark.parametrize("text", [
    "Inte bara våld i nära relationer utan också hedersrelaterat våld.",
    "Inte bara våld i nära relationer utan hedersrelaterat våld.",
    "Det gäller inte enbart våld i nära relationer utan även hedersrelaterat våld.",
])
def test_utan_after_inte_bara_affirms(coder, text):
    assert status(coder, text) == {"domestic_violence": False, "honour_violence": False}


def test_utan_still_means_without(coder):
    assert "arbete" in scoped("många är utan arbete")


def test_the_same_extent_as_before_negates_its_clause_both_ways():
    # an extent compared with before is a "no change" phrase, like "samma nivå"
    assert "sommarjobb" in scoped("unga har fått sommarjobb i samma utsträckning som i fjol")
    assert "stödsamtal" in scoped("stödsamtal har erbjudits i lika stor utsträckning som förut")
    # but not past a contrast into another clause
    assert "missbruket" not in scoped(
        "missbruket ökar men stödet ges i samma omfattning som förut")
