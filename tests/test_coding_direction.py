"""Direction of change on every code (#10): Swedish trend words with their scope."""

import pytest


def directions(coder, text):
    return {c.code: (c.direction, c.negated) for c in coder.code(text)}


@pytest.mark.parametrize(("text", "theme", "direction"), [
    ("Antalet anmälningar om våld i hemmet har minskat under våren.",
     "domestic_violence", "decrease"),
    ("Alkoholkonsumtionen sjönk tydligt jämfört med samma period i fjol.",
     "substance_abuse", "decrease"),
    ("Vi har inte sett någon ökning av våld i nära relationer.", "domestic_violence", "denied"),
    ("Ingen ökning av orosanmälningar under perioden.", "vulnerable_children", "denied"),
    ("Orosanmälningarna ligger på samma nivå som i fjol.", "vulnerable_children", "unchanged"),
    ("Den psykiska ohälsan bland äldre är i stort sett densamma som tidigare år.",
     "isolation", "unchanged"),
    ("Antalet hushåll med ekonomiskt bistånd har ökat med 18 procent sedan februari.",
     "economic_hardship", "increase"),
    ("Fler orosanmälningar än någonsin har kommit in.", "vulnerable_children", "increase"),
    ("Anmälningarna om våld i nära relationer har minskat, men mörkertalet oroar oss.",
     "domestic_violence", "present"),
    ("Spelmissbruket har inte ökat under våren, snarare minskat något.",
     "substance_abuse", "decrease"),
    ("Vi ser våld i nära relationer i flera ärenden.", "domestic_violence", "present"),
])
def test_risk_directions(risks, text, theme, direction):
    got, negated = directions(risks, text)[theme]
    assert got == direction
    assert negated is (direction in {"decrease", "unchanged", "denied"})


def test_a_trend_of_another_theme_after_men_does_not_lift_a_denial(risks):
    found = directions(risks, "Vi ser inget ökat missbruk, men våldet i hemmen ökar.")
    assert found["substance_abuse"] == ("denied", True)
    assert found["domestic_violence"] == ("increase", False)


def test_a_deficit_stays_present_when_it_falls(risks):
    assert directions(risks, "Färre sommarjobb än i fjol.")["youth_idleness"][1] is False


def test_a_cancelled_measure_is_denied(measures):
    found = directions(measures, "Föräldravandringarna har helt uteblivit i år.")
    assert found["adult_presence"] == ("denied", True)


def test_every_code_has_a_known_direction(risks):
    for code in risks.code("Inga sommarjobb och fler orosanmälningar. Våldet har minskat."):
        assert code.direction in {"increase", "decrease", "unchanged", "present", "denied"}
        assert code.to_dict()["direction"] == code.direction
