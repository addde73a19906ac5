"""Personal-data scanner: what it flags, what it must leave alone, offsets and masking."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coding.personal_data import KIND_LABELS, Finding, mask, scan

KINDS = {"personnummer", "samordningsnummer", "phone", "email", "address", "individual_case"}


def luhn_digit(nine: str) -> str:
    """The check digit of YYMMDDNNN, computed here so no real person's number is used."""
    total = 0
    for i, char in enumerate(nine):
        value = int(char) * (2 - i % 2)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def number(yymmdd: str, serial: str = "238") -> str:
    """A checksum-valid YYMMDDNNNN for a made-up date and serial."""
    return yymmdd + serial + luhn_digit(yymmdd + serial)


def wrong_check(ten: str) -> str:
    return ten[:-1] + str((int(ten[-1]) + 1) % 10)


def found(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in scan(text)]


def kinds(text: str) -> set[str]:
    return {f.kind for f in scan(text)}


# --- the generator itself: if this is wrong, every checksum test below is meaningless


def test_luhn_helper_agrees_with_skatteverkets_test_number():
    assert luhn_digit("121212121") == "2"
    assert number("121212", "121") == "1212121212"


# --- personnummer and samordningsnummer ----------------------------------------------


PNR = number("850709")  # 1985-07-09, a made-up serial


@pytest.mark.parametrize("written", [
    f"{PNR[:6]}-{PNR[6:]}",          # YYMMDD-NNNN
    f"{PNR[:6]}+{PNR[6:]}",          # YYMMDD+NNNN, over 100 years old
    f"19{PNR[:6]}-{PNR[6:]}",        # YYYYMMDD-NNNN
    f"19{PNR}",                      # YYYYMMDDNNNN
    PNR,                             # YYMMDDNNNN
    f"{PNR[:6]}\u2013{PNR[6:]}",     # en dash from a word processor
    "19121212-1212",                 # Skatteverket's test number
])
def test_personnummer_in_every_written_form(written):
    text = f"Flickans personnummer är {written}, enligt anmälan."
    [finding] = scan(text)
    assert finding.kind == "personnummer"
    assert finding.text == written
    assert text[finding.start:finding.end] == written
    assert finding.start == text.index(written)


@pytest.mark.parametrize("written", [
    f"{wrong_check(PNR)[:6]}-{wrong_check(PNR)[6:]}",
    f"19{wrong_check(PNR)}",
    wrong_check(PNR),
    "19121212-1213",
])
def test_a_number_failing_the_checksum_is_not_flagged(written):
    assert scan(f"Numret {written} stämmer inte.") == []


def test_impossible_dates_are_not_flagged_even_with_a_valid_checksum():
    for yymmdd in ("851309", "850732", "850230", "850700"):
        assert scan(f"Nummer {number(yymmdd)[:6]}-{number(yymmdd)[6:]}.") == [], yymmdd


def test_leap_day_is_a_valid_date_only_in_a_leap_year():
    leap, plain = number("000229"), number("010229")
    assert kinds(f"Född 20{leap}.") == {"personnummer"}
    assert scan(f"Född 20{plain}.") == []


def test_samordningsnummer_is_day_plus_sixty():
    samordning = number("850769")  # the 9th + 60
    text = f"Han har samordningsnummer {samordning[:6]}-{samordning[6:]}."
    [finding] = scan(text)
    assert finding.kind == "samordningsnummer"
    assert finding.text == f"{samordning[:6]}-{samordning[6:]}"
    assert "Samordningsnummer" in finding.explanation


def test_day_between_32_and_60_is_neither_kind():
    assert scan(f"Nummer {number('850745')}.") == []


def test_twelve_digit_forms_need_a_real_century_and_a_past_date():
    assert scan(f"Nummer 35{PNR}.") == []
    future = number("991212")
    assert date.today().year < 2099
    assert scan(f"Nummer 20{future[:6]}-{future[6:]}.") == []
    assert kinds(f"Nummer 19{future[:6]}-{future[6:]}.") == {"personnummer"}


def test_personnummer_explanation_is_the_agreed_swedish_text():
    [finding] = scan(f"Nummer {PNR}.")
    assert finding.explanation == ("Personnummer är personuppgifter. Ta bort numret eller "
                                   "skriv om utan att peka ut en person.")
    assert "personal data" in finding.explanation_en


@pytest.mark.parametrize("text", [
    "Beslutet fattades 2020-06-15 och gäller från 20200615.",
    "Mötet hölls 2021-03-04 kl. 13.00.",
    "Kostnaden blev 1 250 000 kr och bidraget 12 000 kronor.",
    "Budgeten är 1250000 kr.",
    "Se Dnr 2020-1234, S2020/05273/SOF och dnr 701-1234-2020.",
    "Andelen ökade med 12,5 procent till 45 % under 2021.",
    "Postadress 352 30 Växjö, 35230.",
    "Antalet steg från 1 234 till 1 567, och ökade från 120 till 140.",
    "Anmälningarna var 070 procent fler, 1234567890 är inget nummer.",
])
def test_statistics_dates_amounts_and_diary_numbers_are_not_flagged(text):
    assert scan(text) == []


def test_organisation_numbers_are_not_flagged():
    # The third digit is >= 2 (month >= 20): an organisation, whatever the checksum says.
    for org in (number("556016", "068"), number("212000", "123"), number("802002", "477")):
        assert int(org[2]) >= 2
        assert scan(f"Föreningen har organisationsnummer {org[:6]}-{org[6:]}.") == [], org
        assert scan(f"Org.nr 16{org[:6]}-{org[6:]}.") == [], org


def test_a_number_inside_a_longer_digit_run_is_not_flagged():
    assert scan(f"Kontonummer 9{PNR}7.") == []
    assert scan(f"Referens {PNR}-12.") == []


@settings(max_examples=60, deadline=None)
@given(
    day=st.dates(min_value=date(1920, 1, 1), max_value=date(2019, 12, 31)),
    serial=st.integers(min_value=1, max_value=999),
    coordination=st.booleans(),
    prefix=st.sampled_from(["", "Pnr: ", "Barnets nummer är "]),
)
def test_any_valid_generated_number_is_found_at_its_exact_offsets(
        day, serial, coordination, prefix):
    dd = day.day + (60 if coordination else 0)
    ten = number(f"{day:%y%m}{dd:02d}", f"{serial:03d}")
    written = f"{day:%Y}{ten[2:6]}-{ten[6:]}"
    text = f"{prefix}{written} (uppgift från skolan)."
    [finding] = scan(text)
    assert finding.kind == ("samordningsnummer" if coordination else "personnummer")
    assert (finding.start, finding.end) == (len(prefix), len(prefix) + len(written))


# --- phone numbers -------------------------------------------------------------------


@pytest.mark.parametrize("phone", [
    "070-123 45 67", "073 123 45 67", "0761234567", "070-1234567",
    "+46 70 123 45 67", "+46701234567", "0046 70 123 45 67", "+46 (0)70-123 45 67",
    "08-123 45 67", "08-12 34 56", "031-12 34 56", "0470-12 34 56", "0470-123 45",
    "+46 8 123 45 67", "+46 31 12 34 56",
])
def test_swedish_phone_numbers_are_flagged_exactly(phone):
    text = f"Ring mamman på {phone} efter kl. 16."
    [finding] = scan(text)
    assert finding.kind == "phone"
    assert finding.text == phone
    assert text[finding.start:finding.end] == phone


@pytest.mark.parametrize("text", [
    "Antalet ökade från 120 till 140 och från 1 234 till 1 567.",
    "Öppet 09-12 och 13-16, skalan går från 0 till 10.",
    "Andelen var 0,5 procent år 2019-2020.",
    "Mobilnummer 070-123 45 6 saknar en siffra och 070-123 45 678 har en för mycket.",
    "Ring 08-12 34 för info.",
    "Skatteverket svarar på 0771-567 567 och frikostnummer 020-123 456.",
    "Se dnr 0470-1234-2020 och ärende 0470-12 34 56.",
    "Poängen var 0 1 2 3 4 5 6 7 8 9 på skalan.",
])
def test_phone_like_statistics_and_service_numbers_are_not_flagged(text):
    assert kinds(text) == set()


def test_phone_number_followed_by_a_count_keeps_only_the_number():
    text = "Ring 08-123 45 67 12 barn väntar."
    assert found(text) == [("phone", "08-123 45 67")]


# --- email ---------------------------------------------------------------------------


def test_email_addresses_are_flagged_without_trailing_punctuation():
    text = ("Skriv till anna.andersson@vaxjo.se, eller "
            "Ola.Berg+skola@region-kronoberg.se. Inte @foo eller a@b.")
    assert found(text) == [
        ("email", "anna.andersson@vaxjo.se"),
        ("email", "Ola.Berg+skola@region-kronoberg.se"),
    ]


# --- street addresses ----------------------------------------------------------------


@pytest.mark.parametrize("address", [
    "Storgatan 12", "Kungsvägen 4B", "Järnvägsgatan 3 A", "Lilla Torg 5", "Stora Torget 1",
    "Östra Hamngatan 24", "Gustav Adolfs torg 3", "Drottninggatan 88", "Odenplan 5",
    "Storgatan 12, lgh 1102", "Storgatan 12, 352 30 Växjö",
])
def test_street_addresses_are_flagged_exactly(address):
    text = f"Familjen bor på {address} sedan i våras."
    [finding] = scan(text)
    assert (finding.kind, finding.text) == ("address", address)


@pytest.mark.parametrize("text", [
    "Olyckan skedde på väg 40 och E6 vid Länsväg 153.",
    "Trafiken på Riksväg 40 har ökat.",
    "Enligt Handlingsplan 2024 och Verksamhetsplan 2023 ska vi samverka.",
    "Vid Stortorget 20 ungdomar samlades, och vid Busshållplatsen 3 personer.",
    "Situationen på Storgatan har blivit bättre.",
    "Ute på gatan 5 kvällar i veckan.",
])
def test_roads_plans_counts_and_streets_without_number_are_not_flagged(text):
    assert kinds(text) == set()


# --- individual cases: age with a person noun ----------------------------------------


@pytest.mark.parametrize("passage", [
    "en 13-årig flicka", "13-årige pojken", "pojken, 15 år", "en flicka på 14 år",
    "en kvinna i 40-årsåldern", "en man född 1975", "den 15-åriga flickan",
    "ett 5-årigt barn", "en 17-åring", "17-åringen", "barnet, 5 år", "ett barn på 5 år",
    "en kvinna i tidiga 30-årsåldern", "En 16-årig ungdom",
])
def test_age_with_a_person_noun_is_an_individual_case(passage):
    text = f"Vi har uppmärksammat {passage} som far illa."
    [finding] = scan(text)
    assert (finding.kind, finding.text) == ("individual_case", passage)
    assert "åldersgrupp" in finding.explanation


@pytest.mark.parametrize("text", [
    "Barn 13–17 år är mest utsatta.",
    "Ungdomar mellan 15 och 20 år söker sig till centrum.",
    "Personer över 70 år är ensamma.",
    "Många 70-åringar och 13-åriga flickor deltar.",
    "De 15-åriga pojkarna och 5-åriga barn i förskolan.",
    "Kvinnor i 40-årsåldern och män födda 1975.",
    "Barn på 5 år går i förskola.",
])
def test_age_groups_in_plural_are_not_flagged(text):
    assert scan(text) == []


# --- individual cases: names ---------------------------------------------------------


@pytest.mark.parametrize("name", [
    "Anna Andersson", "Mohammed Ali", "Anna Lindh", "Erik von Sydow",
    "Anna Maria Andersson-Berg", "Lars Nilsson",
])
def test_first_name_and_family_name_are_flagged(name):
    text = f"Enligt skolan har {name} varit borta i veckor."
    [finding] = scan(text)
    assert (finding.kind, finding.text) == ("individual_case", name)
    assert "namn" in finding.explanation


@pytest.mark.parametrize("text", [
    "Anna berättade om läget.",
    "Anna Lindhs skola och Maria Magdalena församling har öppet hus.",
    "Sankt Anna skärgård.",
    "Vi träffade Region Skåne, Växjö kommun och Polisen.",
    "Sara Kommun är inget namn, inte heller Karin Stockholm.",
    "Hans\nAndersson ringde.",
    "Per capita ökade kostnaderna.",
])
def test_organisations_places_and_single_first_names_are_not_flagged(text):
    assert scan(text) == []


# --- several kinds, overlaps, masking ------------------------------------------------

REPORT = (
    f"Anna Andersson ({PNR[:6]}-{PNR[6:]}) bor på Storgatan 12. "
    "Hon nås på 070-123 45 67 eller anna@example.se. "
    "En 13-årig flicka har anmälts, och antalet steg från 1 234 till 1 567 kr."
)


def test_scan_finds_every_kind_in_order_without_overlap():
    findings = scan(REPORT)
    assert [f.kind for f in findings] == [
        "individual_case", "personnummer", "address", "phone", "email", "individual_case",
    ]
    for before, after in zip(findings, findings[1:], strict=False):
        assert before.end <= after.start
    for finding in findings:
        assert REPORT[finding.start:finding.end] == finding.text
        assert finding.kind in KINDS


def test_mask_replaces_each_passage_with_its_swedish_label():
    assert mask(REPORT) == (
        "[borttaget: uppgift om enskild person] ([borttaget: personnummer]) bor på "
        "[borttaget: adress]. Hon nås på [borttaget: telefonnummer] eller "
        "[borttaget: e-postadress]. [borttaget: uppgift om enskild person] har anmälts, "
        "och antalet steg från 1 234 till 1 567 kr."
    )


def test_mask_with_given_findings_masks_only_those():
    findings = [f for f in scan(REPORT) if f.kind == "phone"]
    masked = mask(REPORT, findings)
    assert "[borttaget: telefonnummer]" in masked
    assert "Anna Andersson" in masked
    assert mask(REPORT, []) == REPORT


def test_mask_refuses_findings_from_another_text():
    [finding] = scan("Ring 070-123 45 67.")
    with pytest.raises(ValueError):
        mask("Ring oss i morgon, tack.", [finding])


def test_mask_merges_overlapping_given_findings():
    text = "Ring 070-123 45 67 nu."
    a = Finding("phone", 5, 12, text[5:12], "", "")
    b = Finding("phone", 9, 18, text[9:18], "", "")
    assert mask(text, [b, a]) == "Ring [borttaget: telefonnummer] nu."


def test_longest_finding_wins_an_overlap():
    # The name is part of a street address here, so only the address is reported.
    assert found("Hon bor på Karl Johans gata 10.") == [("address", "Karl Johans gata 10")]


def test_text_without_personal_data_is_unchanged():
    text = "Oron för ungdomar har ökat med 15 procent sedan 2019 (dnr 2020-1234)."
    assert scan(text) == []
    assert mask(text) == text
    assert scan("") == []


def test_findings_are_frozen_and_every_kind_has_labels_and_explanations():
    assert set(KIND_LABELS) == KINDS
    assert all(set(labels) == {"sv", "en"} for labels in KIND_LABELS.values())
    [finding] = scan("Ring 070-123 45 67.")
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.start = 0  # type: ignore[misc]
    for f in scan(REPORT):
        assert f.explanation and f.explanation_en and f.explanation != f.explanation_en
