"""Words that look like a risk theme but are not one ("handsprit", "skjuta upp")."""

from __future__ import annotations

import pytest

from coding.coder import rules_only_coder


@pytest.fixture(scope="module")
def coder():
    return rules_only_coder("risks")


def codes(coder, text: str) -> set[str]:
    return {c.code for c in coder.code(text)}


@pytest.mark.parametrize(("text", "theme"), [
    ("Smittan har spritt sig till fler avdelningar.", "substance_abuse"),
    ("Vi har delat ut handsprit till alla enheter.", "substance_abuse"),
    ("Vi fick skjuta upp mötet med skolan.", "public_safety"),
    ("Vi har skjutit upp utbildningen till hösten.", "public_safety"),
    ("Det är svårt att rekrytera personal till hemtjänsten.", "public_safety"),
    ("Arbetet följer gängse rutiner.", "public_safety"),
    ("Personalen gör ett hederligt arbete.", "honour_violence"),
    ("Tillsynen av serveringsställen har ökat.", "vulnerable_children"),
    ("Sjukfrånvaron bland personalen är hög.", "vulnerable_children"),
    ("Vi har haft hög sjukfrånvaro bland personalen.", "vulnerable_children"),
])
def test_false_friends_are_not_coded(coder, text, theme):
    assert theme not in codes(coder, text)


@pytest.mark.parametrize(("text", "theme"), [
    ("Det finns vuxna som säljer sprit till 15-åringar.", "substance_abuse"),
    ("Fältarbetarna hittade spritflaskor vid sjön.", "substance_abuse"),
    ("Flera unga män har skjutits i stadsdelen.", "public_safety"),
    ("Risk att unga rekryteras till gängen.", "public_safety"),
    ("Risken för rekrytering till kriminella nätverk ökar.", "public_safety"),
    ("Gängkriminaliteten har ökat.", "public_safety"),
    ("Hedersrelaterat våld ökar.", "honour_violence"),
    ("Barnen har varit utan tillsyn under lovet.", "vulnerable_children"),
    ("Bristande tillsyn hemma oroar skolan.", "vulnerable_children"),
    ("Skolfrånvaron har ökat bland de yngre eleverna.", "vulnerable_children"),
])
def test_true_mentions_are_still_coded(coder, text, theme):
    assert theme in codes(coder, text)


@pytest.mark.parametrize(("text", "coded"), [
    # a closed meeting place is a youth risk only where young people are in the sentence
    ("Mötesplatserna för pensionärer har varit stängda sedan mars.", False),
    ("Mötesplatserna för ungdomar har varit stängda sedan mars.", True),
    ("Träningen har ställts in för de flesta lag i kommunen.", False),
    ("Träningen har ställts in för barnen i de flesta lag.", True),
    # having nothing to do is youth idleness for the young, not for adults who lost work
    ("Många vuxna som förlorat jobbet har inte något att göra om dagarna.", False),
    ("Många tonåringar har inte något att göra om dagarna.", True),
])
def test_youth_words_need_young_people_in_the_sentence(coder, text, coded):
    assert ("youth_idleness" in codes(coder, text)) is coded


@pytest.mark.parametrize("text", [
    "I flera familjer med pågående insatser på grund av våld har barnen varit hemma hela våren.",
    "Barnen lever i familjer där partnervåld förekommer.",
    "Vi möter fler barnfamiljer där en förälder har ett spelmissbruk.",
])
def test_children_in_homes_with_violence_or_abuse_are_children_at_risk(coder, text):
    assert "vulnerable_children" in codes(coder, text)
