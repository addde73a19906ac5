"""Scope of trend words to a theme mention (#10 item 3), on sentences written for this test.

The unit tests read one mention in plain words (negation scopes as the pipeline computes
them), so they do not depend on the codebook; the last tests go through the rules coder.
"""

import pytest

from coding.coder import rules_only_coder
from coding.direction import DirectionIndex, mention_direction
from coding.negation import is_negated, negation_scopes


def direction(text: str, mention: str, cancel: bool = False) -> str:
    """Direction of the first word of `text` that starts with `mention`."""
    words = text.lower().replace(",", " ,").replace(".", " .").split()
    start = next(i for i, word in enumerate(words) if word.startswith(mention))
    breaks = [False] * len(words)
    scopes = negation_scopes(words, breaks)
    return mention_direction(words, breaks, start, start + 1, is_negated(scopes, start,
                                                                         start + 1),
                             cancel=cancel, index=DirectionIndex(words, breaks))


@pytest.mark.parametrize(("text", "mention", "expected"), [
    # the trend verb far after its subject, in the same clause
    ("Antalet ärenden om våld i hemmet som kommit in till socialtjänsten har minskat",
     "våld", "decrease"),
    ("Alkoholförsäljningen på Systembolaget sjönk under hösten", "alkohol", "decrease"),
    ("Missbruket har minskats genom tidiga insatser", "missbruk", "decrease"),  # passive
    ("Konsumtionen av narkotika bland unga gick ner", "narkotika", "decrease"),
    ("Det var den lägsta siffran på tio år för misshandel", "misshandel", "decrease"),
    ("Ensamheten bland de äldre är inte lika stor nu som i våras", "ensamhet", "decrease"),
    ("Vi bedömer att ensamheten inte är lika akut nu", "ensamhet", "decrease"),
    # denial and no change
    ("Missbruket har inte ökat under året", "missbruk", "denied"),
    ("Vi har inte märkt någon ökning av våldet i familjerna", "våld", "denied"),
    ("Enligt polisen har misshandeln inte ökat", "misshandel", "denied"),
    ("Det har inte varit fler placeringar av barn än vanligt", "placering", "unchanged"),
    ("Antalet hushåll med försörjningsstöd ligger på samma nivå som i fjol",
     "försörjningsstöd", "unchanged"),
    ("Belastningen på kvinnojouren har inte förändrats nämnvärt", "kvinnojour",
     "unchanged"),
    ("Missbruket har inte minskat", "missbruk", "present"),  # no fall is no denial
    # rises, including reported speech and records
    ("Socialsekreterarna säger att våldet i hemmen har blivit grövre", "våld", "increase"),
    ("Vi har aldrig tidigare haft så många anmälningar om misshandel", "misshandel",
     "increase"),
    ("Skadegörelsen är större än tidigare somrar", "skadegörelse", "increase"),
    # possibilities, fears and purposes are no trend
    ("Det kan bli fler orosanmälningar i höst", "orosanmäl", "present"),
    ("Vi befarar att spelandet kommer att öka", "spel", "present"),
    ("Risken för våld i hemmet har ökat", "våld", "present"),
    ("Fritidsgården har öppnat för att minska sysslolösheten", "sysslolös", "present"),
    ("Polisen beskriver en ökad oro för rån", "rån", "present"),
    # the trend belongs to another subject
    ("Drickandet ökade när många blev permitterade", "permitter", "present"),
    ("Fler orosanmälningar gäller barn som bor med föräldrar som har missbruk", "missbruk",
     "present"),
    ("Fler orosanmälningar gäller barn som bor med föräldrar som har missbruk", "orosanmäl",
     "increase"),
    # a contrast with a worry or a hidden figure keeps the theme present
    ("Anmälningarna om våld har minskat , men personalen är orolig för att kvinnorna inte "
     "kan ringa", "våld", "present"),
    ("Misshandeln har minskat , men mörkertalet är stort", "misshandel", "present"),
])
def test_mention_direction(text, mention, expected):
    assert direction(text, mention) == expected


def test_a_cancelled_measure_is_denied_but_not_in_a_relative_clause():
    assert direction("Nattvandringen har ställts in i år", "nattvandring", cancel=True) == \
        "denied"
    assert direction("Stödsamtal erbjuds även till de äldre som har pausat hemtjänsten",
                     "stödsamtal", cancel=True) == "present"
    assert direction("Vi ville starta digitala möten , men det har inte gått att genomföra",
                     "digital", cancel=True) == "denied"


def test_a_scaled_up_measure_is_an_increase():
    assert direction("Fältgruppen har förstärkts med två tjänster", "fältgrupp") == "increase"
    assert direction("Kommunen har ordnat extra platser i jourboendet", "jourboende") == \
        "increase"


def test_a_negation_in_a_relative_clause_stays_there():
    words = "unga som inte fått sommarjobb har erbjudits en kurs".split()
    scopes = negation_scopes(words, [False] * len(words))
    assert [" ".join(words[s.start:s.end]) for s in scopes] == ["fått sommarjobb"]


@pytest.fixture(scope="module")
def risks():
    return rules_only_coder("risks")


def codes(coder, text):
    return {c.code: c.direction for c in coder.code(text)}


def test_an_explanation_in_the_same_sentence_does_not_lift_a_level(risks):
    found = codes(risks, "Antalet hushåll med ekonomiskt bistånd ligger på samma nivå som "
                         "förra året, trots att arbetslösheten har stigit.")
    assert found["economic_hardship"] == "unchanged"


def test_a_rise_after_men_of_the_same_theme_wins(risks):
    found = codes(risks, "Samtalen om våld i nära relationer har inte ökat, men de kvinnor "
                         "som ringer beskriver att våldet i hemmet blivit grövre.")
    assert found["domestic_violence"] == "increase"


def test_the_theme_stays_present_when_another_sentence_says_so(risks):
    found = codes(risks, "Missbruket har inte ökat. Vi ser missbruk i många familjer.")
    assert found["substance_abuse"] == "present"
