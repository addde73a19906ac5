"""What a respondent is told about an answer that breaks a rule, in Swedish and English.

Kept apart from the engine so that the question types (which say what is wrong with a value
of their own kind) and the engine (which applies the rules every type shares) use one table.
"""

from __future__ import annotations

from typing import Any

from survey.questionnaire.text import Text

MESSAGES = {
    "required": Text("Frågan måste besvaras.", "This question must be answered."),
    "required_row": Text("Välj ett svar för varje rad ({rows}).",
                         "Choose an answer for every row ({rows})."),
    "constraint": Text("Svaret uppfyller inte villkoret för frågan.",
                       "The answer does not meet the question's condition."),
    "too_long": Text("Texten är {length} tecken; högst {limit} tecken får plats. Korta den – "
                     "inget från den här sidan har sparats ännu.",
                     "The text is {length} characters; at most {limit} fit. Shorten it – "
                     "nothing from this page has been saved yet."),
    "pattern": Text("Svaret har inte rätt format.", "The answer is not in the right format."),
    "min": Text("Värdet måste vara minst {limit}.", "The value must be at least {limit}."),
    "max": Text("Värdet får vara högst {limit}.", "The value must be at most {limit}."),
    "not_number": Text("Skriv ett tal, till exempel 12 eller 3,5.",
                       "Enter a number, for example 12 or 3.5."),
    "not_date": Text("Skriv ett datum som ÅÅÅÅ-MM-DD.", "Enter a date as YYYY-MM-DD."),
    "before_round": Text("Datumet kan inte vara tidigare än {date}, då omgången öppnade.",
                         "The date cannot be earlier than {date}, when the round opened."),
    "bad_choice": Text("Välj ett av alternativen.", "Choose one of the options."),
    "control_chars": Text("Texten innehåller otillåtna kontrolltecken.",
                          "The text contains control characters that are not allowed."),
}


def message(key: str, lang: str, **values: Any) -> str:
    return MESSAGES[key].get(lang).format(**values)
