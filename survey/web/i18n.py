"""User-interface texts in Swedish first, English second.

Two languages and a few hundred strings do not justify a gettext build step; the catalogue
is plain data and a test checks both languages have every key.
"""

from __future__ import annotations

from flask import Flask, current_app, request, session

UI: dict[str, dict[str, str]] = {
    "app_name": {"sv": "Lägesbild", "en": "Lägesbild"},
    "skip_to_content": {"sv": "Hoppa till innehållet", "en": "Skip to content"},
    "language_switch": {"sv": "In English", "en": "På svenska"},
    "page_x_of_y": {"sv": "Sida {x} av {y}", "en": "Page {x} of {y}"},
    "progress_label": {"sv": "Hur långt du har kommit", "en": "Your progress"},
    "answered_x_of_y": {"sv": "{x} av {y} frågor besvarade",
                        "en": "{x} of {y} questions answered"},
    "required": {"sv": "obligatorisk", "en": "required"},
    "optional": {"sv": "frivillig", "en": "optional"},
    "max_chars": {"sv": "Högst {n} tecken.", "en": "At most {n} characters."},
    "previous": {"sv": "Föregående sida", "en": "Previous page"},
    "next": {"sv": "Spara och fortsätt", "en": "Save and continue"},
    "save": {"sv": "Spara utkast", "en": "Save draft"},
    "to_review": {"sv": "Spara och granska", "en": "Save and review"},
    "review_title": {"sv": "Granska och skicka in", "en": "Review and submit"},
    "review_intro": {"sv": "Kontrollera svaren innan ni skickar in. Ni kan ändra på varje "
                     "sida fram till att ni skickar in.",
                     "en": "Check the answers before you submit. You can change any page "
                     "until you submit."},
    "change": {"sv": "Ändra", "en": "Change"},
    "submit": {"sv": "Skicka in lägesbilden", "en": "Submit the report"},
    "not_answered": {"sv": "Ej besvarad", "en": "Not answered"},
    "yes": {"sv": "Ja", "en": "Yes"},
    "no": {"sv": "Nej", "en": "No"},
    "choose": {"sv": "Välj …", "en": "Choose …"},
    "saved_at": {"sv": "Utkastet sparades {when}.", "en": "Draft saved {when}."},
    "errors_title": {"sv": "Det finns problem med svaren", "en": "There is a problem"},
    "cannot_submit": {"sv": "Lägesbilden kan inte skickas in ännu:",
                      "en": "The report cannot be submitted yet:"},
    "receipt_title": {"sv": "Kvitto: lägesbilden är inskickad",
                      "en": "Receipt: the report has been submitted"},
    "receipt_intro": {"sv": "{municipality} skickade in lägesbilden för {round} den {when} "
                      "({who}). Nedan står exakt det som skickades in.",
                      "en": "{municipality} submitted the report for {round} on {when} "
                      "({who}). Below is exactly what was sent."},
    "print": {"sv": "Skriv ut eller spara kvittot som PDF med webbläsarens utskriftsfunktion.",
              "en": "Print the receipt or save it as PDF from the browser."},
    "start_title": {"sv": "Lägesbild för {municipality}", "en": "Situation report for "
                    "{municipality}"},
    "start": {"sv": "Börja", "en": "Start"},
    "resume": {"sv": "Fortsätt där ni slutade", "en": "Continue where you left off"},
    "status_draft": {"sv": "Utkast", "en": "Draft"},
    "status_submitted": {"sv": "Inskickad", "en": "Submitted"},
    "status_reopened": {"sv": "Öppnad igen", "en": "Reopened"},
    "status_not_started": {"sv": "Ej påbörjad", "en": "Not started"},
    "round_closes": {"sv": "Sista dag att svara: {date}.", "en": "Last day to answer: {date}."},
    "round_closed": {"sv": "Omgången är stängd. Svaren kan läsas men inte ändras.",
                     "en": "The round is closed. Answers can be read but not changed."},
    "locked_submitted": {"sv": "Lägesbilden är inskickad och kan inte ändras. Kontakta "
                         "länsstyrelsen om något behöver rättas.",
                         "en": "The report has been submitted and cannot be changed. Contact "
                         "the county administrative board if something must be corrected."},
    "conflict_title": {"sv": "En kollega har ändrat samma svar", "en": "A colleague changed "
                       "the same answer"},
    "conflict_intro": {"sv": "Någon annan sparade dessa svar medan du hade sidan öppen. Deras "
                       "svar gäller nu; ditt svar står nedan och finns kvar i historiken. "
                       "Välj vilket som ska gälla och spara igen.",
                       "en": "Someone else saved these answers while you had the page open. "
                       "Their answer now stands; yours is shown below and kept in the "
                       "history. Choose which to keep and save again."},
    "your_value": {"sv": "Ditt svar", "en": "Your answer"},
    "their_value": {"sv": "Sparat av {who} {when}", "en": "Saved by {who} at {when}"},
    "sections": {"sv": "Avsnitt", "en": "Sections"},
    "previous_round_answer": {"sv": "Ert svar i förra omgången", "en": "Your answer in the "
                              "previous round"},
    "hidden_note": {"sv": "Frågor som inte gäller er visas inte och sparas inte.",
                    "en": "Questions that do not apply to you are not shown and not saved."},
    "error_title": {"sv": "Något gick fel", "en": "Something went wrong"},
    "back_home": {"sv": "Till startsidan", "en": "To the start page"},
    "home_intro": {"sv": "Kommunernas lägesbilder om social problematik och utsatthet till "
                   "följd av covid-19. Öppna länken ni fått från länsstyrelsen för att svara.",
                   "en": "Municipal situation reports on social problems and vulnerability "
                   "caused by COVID-19. Open the link you received from the county "
                   "administrative board to answer."},
    "footer": {"sv": "Lägesbild – öppen källkod för länsstyrelsernas lägesbilder.",
               "en": "Lägesbild – open source for the county boards' situation reports."},
}


def language() -> str:
    chosen = session.get("lang") if request else None
    return chosen if chosen in ("sv", "en") else current_app.config["DEFAULT_LANGUAGE"]


def t(key: str, **values: object) -> str:
    text = UI[key][language()]
    return text.format(**values) if values else text


def register(app: Flask) -> None:
    @app.before_request
    def choose_language() -> None:
        wanted = request.args.get("lang")
        if wanted in ("sv", "en"):
            session["lang"] = wanted

    @app.context_processor
    def inject() -> dict:
        return {"t": t, "lang": language()}
