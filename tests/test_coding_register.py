"""The register vocabulary of REGISTER.md, the `confirm: model` patterns and the calibrated
auto-accept band. The sentences are written for these tests, not taken from any corpus."""

from __future__ import annotations

import textwrap

import pytest

from coding.codebook import codebook_check, load_codebook
from coding.coder import Analysis, Code
from coding.combine import Combination, decide
from coding.corpus import LabelledAnswer, load_corpus
from coding.reliability import calibrate_accept
from coding.rules import WEAK


def present(coder, text: str) -> set[str]:
    return {c.code for c in coder.code(text) if not c.negated}


@pytest.mark.parametrize(("text", "theme"), [
    ("Kvinnomisshandeln i kommunen har blivit grövre sedan i våras.", "domestic_violence"),
    ("Många kvinnor sitter nu instängda med sin förövare dygnet runt.", "domestic_violence"),
    ("Tjejjouren tar emot fler samtal än någonsin.", "domestic_violence"),
    ("Skolan har larmat om äktenskapstvång inför sommaren.", "honour_violence"),
    ("Två systrar ska enligt uppgift giftas mot sin vilja.", "honour_violence"),
    ("Rattfylleriet på landsvägarna har ökat.", "substance_abuse"),
    ("Problemspelandet bland unga män oroar behandlarna.", "substance_abuse"),
    ("Socialtjänsten har fått fler aktualiseringar under hösten.", "vulnerable_children"),
    ("Förskolan ser tecken på bristande omvårdnad hos några barn.", "vulnerable_children"),
    ("Vi oroar oss för barn i riskzonen när skolan är stängd.", "vulnerable_children"),
    ("Med distansundervisning har vi minskad insyn i hemmen.", "vulnerable_children"),
    ("Ungdomarnas skärmtid har ökat kraftigt under lovet.", "youth_idleness"),
    ("Nu hänger ungdomarna hemma eller söker sig till andra platser.", "youth_idleness"),
    ("Lovaktiviteterna tar emot högst 8 deltagare åt gången.", "youth_idleness"),
    ("Många äldre har inte träffat barnbarnen sedan mars.", "isolation"),
    ("Allt fler uppger psykiska besvär i enkäten.", "isolation"),
])
def test_register_words_code_their_risk(risks, text, theme):
    assert theme in present(risks, text)


@pytest.mark.parametrize(("text", "theme"), [
    ("Fältarna har fältat i centrum varje fredagskväll.", "outreach"),
    ("Ungdomskoordinatorerna möter unga där de samlas.", "outreach"),
    ("Hembesöken till äldre har fortsatt med skyddsutrustning.", "outreach"),
    ("Föräldraträffarna hålls nu utomhus i små grupper.", "family_support"),
    ("Elevhälsan erbjuder kuratorsamtal på kvällstid.", "family_support"),
    ("Parkleken har haft öppet alla vardagar i juli.", "youth_activities"),
    ("Fler ungdomar än i fjol har fått höstlovsjobb.", "youth_activities"),
    ("Affischerna har QR-koder som leder till information på tolv språk.", "information"),
    ("Kommunen och polisen har tecknat ett nytt medborgarlöfte.", "collaboration"),
    ("Biblioteket lånar ut läsplattor till de äldre.", "digital_services"),
    ("Unizon har fått extra medel för att hålla öppet.", "victim_support"),
    ("Kvinnojouren kunde ta emot medföljande barn i två nya lägenheter.", "victim_support"),
])
def test_register_words_code_their_measure(measures, text, theme):
    assert theme in present(measures, text)


@pytest.mark.parametrize(("text", "theme"), [
    # "oskuld" holds "skuld" (debt), but it is about honour
    ("Familjen har starka normer kring flickornas oskuld.", "economic_hardship"),
    # no grandchildren seen is isolation; not seeing the children at school is not
    ("Förskolan har inte sett barnen sedan mars.", "isolation"),
])
def test_register_false_friends_are_not_coded(risks, text, theme):
    assert theme not in present(risks, text)


@pytest.mark.parametrize(("text", "theme"), [
    # exchanging information between staff is no information to the public
    ("Fältarna och skolan har rutiner för informationsutbyte varje måndag.", "information"),
    # working with parents in preschool is no collaboration between agencies
    ("Förskolan har utvecklat sin föräldrasamverkan under hösten.", "collaboration"),
])
def test_register_false_friends_are_not_coded_as_measures(measures, text, theme):
    assert theme not in present(measures, text)


def test_oskuld_is_honour_not_debt(risks):
    found = present(risks, "Familjen har starka normer kring flickornas oskuld.")
    assert "honour_violence" in found and "economic_hardship" not in found


def test_a_confirm_pattern_gives_a_weak_hit_that_rules_alone_count(measures):
    analysis = measures.analyse_many(["Vi har gjort en plan tillsammans med skolan."])[0]
    assert analysis.rule_status["collaboration"] == WEAK
    assert "collaboration" in analysis.labels("rules")
    assert "collaboration" in present(measures, "Vi har gjort en plan tillsammans med skolan.")


def test_a_strong_hit_outranks_a_weak_one_for_the_same_theme(measures):
    analysis = measures.analyse_many(
        ["Tillsammans med polisen har vi skrivit ett medborgarlöfte."])[0]
    assert analysis.rule_status["collaboration"] == "present"


def test_a_weak_hit_needs_the_models_agreement():
    combo = Combination(confirm=0.3)
    assert not decide("collaboration", WEAK, 0.1, combo).present
    agreed = decide("collaboration", WEAK, 0.6, combo)
    assert agreed.present and agreed.score == pytest.approx(0.75)
    assert decide("collaboration", WEAK, None, combo).present  # no model: the rule decides
    assert decide("collaboration", "present", 0.1, combo).present  # strong hits are not held


def test_confirm_is_kept_in_the_stored_combination():
    combo = Combination(thresholds={"a": 0.4}, confirm=0.2, auto_accept=0.8)
    assert Combination.from_dict(combo.to_dict()) == combo
    assert Combination.from_dict({"thresholds": {}}).confirm == 0.0  # older model.json


def test_model_only_codes_score_below_agreement():
    combo = Combination(accept_floor=0.5)
    alone = decide("outreach", None, 0.99, combo)
    agreed = decide("outreach", "present", 0.99, combo)
    assert alone.present and alone.source == "model"
    assert alone.score < 0.9 <= agreed.score


def test_confirm_must_be_model(tmp_path):
    path = tmp_path / "mybook.yaml"
    path.write_text(textwrap.dedent("""\
        codebook: mybook
        version: "1"
        themes:
          - id: thing
            label: {sv: Sak, en: Thing}
            definition: A thing.
            patterns:
              - {prefix: sak, confirm: model}
              - {prefix: ting, confirm: yes}
        """), encoding="utf-8")
    problems = codebook_check(path)
    assert len(problems) == 1 and ":9:" in problems[0] and "confirm" in problems[0]


def test_shipped_codebooks_mark_some_patterns_confirm():
    for name in ("risks", "measures"):
        book = load_codebook(name)
        assert any(p.weak for theme in book.themes for p in theme.patterns)


def _analysis(codes: list[tuple[str, float]]) -> Analysis:
    return Analysis({}, None, [Code(theme, score, False, "rule", 0, 1, "x")
                               for theme, score in codes], {})


def test_calibration_skips_a_weak_edge_carried_by_a_precise_top():
    # 200 precise codes at 0.92, and ten codes at 0.82 of which half are wrong: from 0.50
    # on the codes are 205/210 = 0.976 precise, but the ones at the edge only 0.5
    rows = [LabelledAnswer(str(i), "x", frozenset({"a"})) for i in range(210)]
    analyses = [_analysis([("a", 0.92)]) for _ in range(200)]
    analyses += [_analysis([("a" if i % 2 else "b", 0.82)]) for i in range(10)]
    assert calibrate_accept(rows, analyses) == 0.83
    assert calibrate_accept(rows[:200], analyses[:200]) == 0.5


def test_independent_rows_join_train_and_dev_but_not_the_pool():
    dev = load_corpus("risks", ("dev",), styles=("independent",))
    train = load_corpus("risks", ("train",), styles=("independent",))
    pool = load_corpus("risks", ("pool",), styles=("independent",))
    assert len(dev) == 350 and len(train) == 350  # three sets: odd ids dev, even ids train
    assert {row.style for row in dev + train} == {"independent"}
    assert not pool
    assert not {row.id for row in dev} & {row.id for row in train}
