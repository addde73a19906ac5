"""Swedish text as a careful reader sees it: each thing said once, numbers in one format."""

from __future__ import annotations

from types import SimpleNamespace

from survey.questionnaire.display import hint_states_limit, limit_number
from survey.web.respond import fields


def test_the_limit_is_written_the_swedish_way():
    assert limit_number(4000) == "4\u00a0000" and limit_number(4000, "en") == "4,000"
    assert hint_states_limit("Skriv gärna när. Högst 4 000 tecken.", 4000)
    assert hint_states_limit("At most 4,000 characters.", 4000)
    assert not hint_states_limit("Beskriv läget.", 4000)
    assert not hint_states_limit("Högst 40 000 tecken.", 4000)


def test_a_textarea_says_its_limit_once(app):
    said = SimpleNamespace(name="x", text_limit=4000,
                           hint={"sv": "Skriv kort. Högst 4 000 tecken."})
    unsaid = SimpleNamespace(name="y", text_limit=4000, hint={"sv": "Skriv kort."})
    with app.test_request_context("/"):  # the hint paragraph's text (survey/web/respond/fields)
        once = fields._hint(said, "sv")
        added = fields._hint(unsaid, "sv")
    assert once.count("tecken") == 1 and "4000" not in once
    assert "Skriv kort. Högst 4\u00a0000 tecken." in added


def test_a_list_in_a_finding_ends_with_och():
    from reports.findings import _listing

    assert _listing(["våld i nära relationer (3 av 5)"]) == "våld i nära relationer (3 av 5)"
    assert _listing(["isolering", "missbruk", "ekonomisk utsatthet"]) == \
        "isolering, missbruk och ekonomisk utsatthet"
