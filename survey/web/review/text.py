"""Texts of the review workspace, Swedish first and English second (as survey.i18n).

Kept beside the coordinator catalogue so the areas change independently; a test checks that
every key has both languages and the same placeholders.
"""

from __future__ import annotations

from survey.store.errors import StoreError
from survey.web.i18n import language

TEXT: dict[str, dict[str, str]] = {
    # refusals of the store (survey.store.errors.ReviewError codes), as the workspace says them
    "error_unknown_action": {"sv": "Okänd åtgärd: {action}", "en": "Unknown action: {action}"},
    "error_no_code": {"sv": "Koden finns inte.", "en": "The code does not exist."},
    "error_already_decided": {"sv": "Beslutet är redan fattat.",
                              "en": "The decision has already been made."},
    "error_quote_not_found": {"sv": "Det markerade citatet finns inte i svaret.",
                              "en": "The marked quote is not in the answer."},
    "error_no_answer": {"sv": "Svaret finns inte.", "en": "The answer does not exist."},
    "error_theme_exists": {"sv": "Temat finns redan på svaret.",
                           "en": "The theme is already on the answer."},
    "error_already_done": {"sv": "Svaret är redan markerat som klart.",
                           "en": "The answer is already marked as done."},
    "error_took_part": {"sv": "Du har redan granskat svaret och kan inte dubbelkoda det.",
                        "en": "You have already reviewed the answer and cannot double-code it."},
    "error_pending": {"sv": "{count} förslag väntar på beslut innan svaret kan markeras som klart.",
                      "en": "{count} suggestions await a decision before the answer can be "
                      "marked as done."},
    "error_bands_cross": {"sv": "Gränsen för automatiskt avvisande kan inte ligga över gränsen "
                          "för automatiskt godkännande.",
                          "en": "The auto-reject limit cannot be above the auto-accept limit."},
    "review": {"sv": "Granskning", "en": "Review"},
    "index_title": {"sv": "Granskning av kodade teman", "en": "Review of coded themes"},
    "index_intro": {"sv": "Teman som autokodaren hittar i fritextsvaren är förslag tills en "
                    "samordnare har granskat dem. Välj en omgång.",
                    "en": "Themes the auto-coder finds in the free-text answers are suggestions "
                    "until a coordinator has reviewed them. Choose a round."},
    "overview_title": {"sv": "Granskning: {round}", "en": "Review: {round}"},
    "answers": {"sv": "Fritextsvar", "en": "Free-text answers"},
    "answers_done": {"sv": "Granskade svar", "en": "Reviewed answers"},
    "decisions": {"sv": "Beslut", "en": "Decisions"},
    "verified_codes": {"sv": "Verifierade teman", "en": "Verified themes"},
    "codes_by_status": {"sv": "Teman per status", "en": "Themes by status"},
    "per_theme": {"sv": "Per tema", "en": "Per theme"},
    "theme": {"sv": "Tema", "en": "Theme"},
    "total": {"sv": "Totalt", "en": "Total"},
    "open_queue": {"sv": "Granska svar som inte är klara", "en": "Review unfinished answers"},
    "all_answers": {"sv": "Alla svar", "en": "All answers"},
    "blind_coding": {"sv": "Dubbelkodning (blind)", "en": "Double coding (blind)"},
    "agreement": {"sv": "Överensstämmelse", "en": "Agreement"},
    "thresholds": {"sv": "Tröskelvärden", "en": "Thresholds"},
    "retrain": {"sv": "Träna om autokodaren", "en": "Retrain the auto-coder"},
    "export": {"sv": "Exportera", "en": "Export"},
    "export_csv": {"sv": "Teman som CSV (en rad per tema)", "en": "Themes as CSV (one row per "
                   "theme)"},
    "export_qdpx": {"sv": "REFI-QDA-projekt (.qdpx) för NVivo, ATLAS.ti, MAXQDA och QualCoder",
                    "en": "REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA and QualCoder"},
    "queue_title": {"sv": "Granska svar: {round}", "en": "Review answers: {round}"},
    "blind_title": {"sv": "Dubbelkodning: {round}", "en": "Double coding: {round}"},
    "blind_intro": {"sv": "Koda svaren självständigt. Du ser autokodarens förslag men inte "
                    "vad andra samordnare har beslutat, och dina beslut ändrar inte deras. "
                    "Svar som du själv redan har granskat visas inte här.",
                    "en": "Code the answers independently. You see the auto-coder's "
                    "suggestions but not what other coordinators decided, and your decisions "
                    "do not change theirs. Answers you reviewed yourself are not shown here."},
    "filters": {"sv": "Filtrera", "en": "Filter"},
    "county": {"sv": "Län", "en": "County"},
    "all_counties": {"sv": "Alla län", "en": "All counties"},
    "municipality": {"sv": "Kommun", "en": "Municipality"},
    "question": {"sv": "Fråga", "en": "Question"},
    "status": {"sv": "Status", "en": "Status"},
    "band": {"sv": "Poängband", "en": "Score band"},
    "all": {"sv": "Alla", "en": "All"},
    "show": {"sv": "Visa", "en": "Show"},
    "filter_unreviewed": {"sv": "Inte klara", "en": "Not finished"},
    "filter_reviewed": {"sv": "Klara", "en": "Finished"},
    "filter_accepted": {"sv": "Med godkänt tema", "en": "With an accepted theme"},
    "filter_rejected": {"sv": "Med avvisat tema", "en": "With a rejected theme"},
    "filter_added": {"sv": "Med tillagt tema", "en": "With an added theme"},
    "status_auto_accepted": {"sv": "Automatiskt godkänt, ej granskat",
                             "en": "Auto-accepted, not reviewed"},
    "status_to_review": {"sv": "Förslag, ej granskat", "en": "Suggestion, not reviewed"},
    "status_auto_rejected": {"sv": "Automatiskt avvisat, ej granskat",
                             "en": "Auto-rejected, not reviewed"},
    "status_accepted": {"sv": "Godkänt", "en": "Accepted"},
    "status_rejected": {"sv": "Avvisat", "en": "Rejected"},
    "status_added": {"sv": "Tillagt", "en": "Added"},
    "status_removed": {"sv": "Borttaget", "en": "Removed"},
    "band_auto_accepted": {"sv": "Över godkännandegränsen", "en": "Above the accept threshold"},
    "band_to_review": {"sv": "Att granska", "en": "To review"},
    "band_auto_rejected": {"sv": "Under avvisningsgränsen eller nekat",
                           "en": "Below the reject threshold or negated"},
    "source_rule": {"sv": "regel", "en": "rule"},
    "source_model": {"sv": "modell", "en": "model"},
    "source_rule+model": {"sv": "regel och modell", "en": "rule and model"},
    "source_human": {"sv": "samordnare", "en": "coordinator"},
    "score_source": {"sv": "Poäng {score} · källa: {source}",
                     "en": "Score {score} · source: {source}"},
    "negated_note": {"sv": "nämns som frånvarande", "en": "mentioned as absent"},
    "model_version": {"sv": "modell {version}", "en": "model {version}"},
    "rules_only": {"sv": "endast regler", "en": "rules only"},
    "answer_done": {"sv": "Klar: granskad av {who} {when}",
                    "en": "Finished: reviewed by {who} {when}"},
    "answer_open": {"sv": "Inte klar", "en": "Not finished"},
    "decided_by": {"sv": "{who}, {when}", "en": "{who}, {when}"},
    "no_suggestions": {"sv": "Autokodaren hittade inga teman i svaret.",
                       "en": "The auto-coder found no themes in the answer."},
    "accept": {"sv": "Godta", "en": "Accept"},
    "reject": {"sv": "Avvisa", "en": "Reject"},
    "remove": {"sv": "Ta bort", "en": "Remove"},
    "accept_theme": {"sv": "Godta temat {theme}", "en": "Accept the theme {theme}"},
    "reject_theme": {"sv": "Avvisa temat {theme}", "en": "Reject the theme {theme}"},
    "remove_theme": {"sv": "Ta bort temat {theme}", "en": "Remove the theme {theme}"},
    "add_theme": {"sv": "Lägg till tema", "en": "Add a theme"},
    "add": {"sv": "Lägg till", "en": "Add"},
    "choose_theme": {"sv": "Välj tema …", "en": "Choose a theme …"},
    "quote": {"sv": "Citat ur svaret (valfritt)", "en": "Quote from the answer (optional)"},
    "quote_hint": {"sv": "Markera text i svaret eller skriv av den; utan citat gäller temat "
                   "hela svaret.", "en": "Select text in the answer or type it; without a "
                   "quote the theme applies to the whole answer."},
    "mark_done": {"sv": "Klar – temana stämmer", "en": "Done – the themes are right"},
    "mark_done_for": {"sv": "Klar: {answer}", "en": "Done: {answer}"},
    "undo": {"sv": "Ångra mitt senaste beslut", "en": "Undo my last decision"},
    "bulk_title": {"sv": "Godta många på en gång", "en": "Accept many at once"},
    "bulk_intro": {"sv": "Godtar varje ogranskat förslag (inte nekade) med minst den poängen "
                   "bland svaren som filtret ovan visar i alla sidor. Kan ångras i ett steg.",
                   "en": "Accepts every unreviewed suggestion (not negated) with at least this "
                   "score among the answers the filter above shows, on every page. One undo "
                   "reverts it."},
    "min_score": {"sv": "Lägsta poäng (0–1)", "en": "Lowest score (0–1)"},
    "bulk_accept": {"sv": "Godta alla över gränsen", "en": "Accept all above the threshold"},
    "shortcuts": {"sv": "Kortkommandon", "en": "Keyboard shortcuts"},
    "shortcuts_on": {"sv": "Använd kortkommandon med en tangent",
                     "en": "Use single-key shortcuts"},
    "key_next": {"sv": "nästa svar", "en": "next answer"},
    "key_previous": {"sv": "föregående svar", "en": "previous answer"},
    "key_accept": {"sv": "godta aktuellt förslag", "en": "accept the current suggestion"},
    "key_reject": {"sv": "avvisa aktuellt förslag", "en": "reject the current suggestion"},
    "key_remove": {"sv": "ta bort aktuellt tema", "en": "remove the current theme"},
    "key_add": {"sv": "lägg till tema (med markerad text som citat)",
                "en": "add a theme (with the selected text as quote)"},
    "key_done": {"sv": "markera svaret som klart och gå vidare",
                 "en": "mark the answer done and move on"},
    "key_undo": {"sv": "ångra mitt senaste beslut", "en": "undo my last decision"},
    "key_bulk": {"sv": "godta många på en gång", "en": "accept many at once"},
    "key_filter": {"sv": "till filtren", "en": "to the filters"},
    "key_help": {"sv": "visa eller dölj den här listan", "en": "show or hide this list"},
    "shortcuts_note": {"sv": "Utan JavaScript fungerar alla knappar som vanliga formulär.",
                       "en": "Without JavaScript every button works as an ordinary form."},
    "page_x_of_y": {"sv": "Sida {x} av {y} ({n} svar)", "en": "Page {x} of {y} ({n} answers)"},
    "next_page": {"sv": "Nästa sida", "en": "Next page"},
    "previous_page": {"sv": "Föregående sida", "en": "Previous page"},
    "continue": {"sv": "Fortsätt med nästa svar", "en": "Continue with the next answers"},
    "queue_empty": {"sv": "Inga svar matchar filtret.", "en": "No answers match the filter."},
    "progress": {"sv": "{done} av {answers} svar klara · {decisions} beslut",
                 "en": "{done} of {answers} answers finished · {decisions} decisions"},
    "msg_accept": {"sv": "Godtog {theme}.", "en": "Accepted {theme}."},
    "msg_reject": {"sv": "Avvisade {theme}.", "en": "Rejected {theme}."},
    "msg_remove": {"sv": "Tog bort {theme}.", "en": "Removed {theme}."},
    "msg_add": {"sv": "Lade till {theme}.", "en": "Added {theme}."},
    "msg_done": {"sv": "Svaret är klart.", "en": "The answer is finished."},
    "msg_undone": {"sv": "Ångrade: {what}.", "en": "Undone: {what}."},
    "msg_undo_skipped": {"sv": "{n} beslut ändrades av någon annan efteråt och lämnades kvar.",
                         "en": "{n} decisions were changed by someone else afterwards and "
                         "were left as they are."},
    "msg_nothing_to_undo": {"sv": "Det finns inget att ångra.", "en": "There is nothing to "
                            "undo."},
    "msg_bulk": {"sv": "Godtog {n} förslag.", "en": "Accepted {n} suggestions."},
    "msg_thresholds": {"sv": "Tröskelvärdena sparades; {n} förslag bytte band.",
                       "en": "Thresholds saved; {n} suggestions changed band."},
    "kind_accept": {"sv": "godkännande", "en": "acceptance"},
    "kind_reject": {"sv": "avvisning", "en": "rejection"},
    "kind_remove": {"sv": "borttagning", "en": "removal"},
    "kind_add": {"sv": "tillägg", "en": "addition"},
    "kind_done": {"sv": "klarmarkering", "en": "marking done"},
    "kind_bulk_accept": {"sv": "massgodkännande", "en": "bulk acceptance"},
    "kind_blind": {"sv": "dubbelkodning", "en": "double coding"},
    "bad_score": {"sv": "Ange en poäng mellan 0 och 1, till exempel 0,9.",
                  "en": "Give a score between 0 and 1, for example 0.9."},
    "thresholds_intro": {"sv": "Varje tema har tre band: förslag med minst "
                         "godkännandegränsen godkänns automatiskt, förslag under "
                         "avvisningsgränsen avvisas automatiskt och resten granskas. Ett tomt "
                         "fält stänger av den sidan. Automatiska beslut räknas inte som "
                         "verifierade förrän en samordnare markerat svaret som klart.",
                         "en": "Each theme has three bands: suggestions at or above the accept "
                         "threshold are auto-accepted, those below the reject threshold are "
                         "auto-rejected, and the rest are reviewed. An empty field switches "
                         "that side off. Automatic decisions do not count as verified until a "
                         "coordinator marks the answer done."},
    "thresholds_readonly": {"sv": "Tröskelvärdena gäller alla län och ändras av den nationella "
                            "samordnaren.", "en": "The thresholds apply to every county and "
                            "are changed by the national coordinator."},
    "accept_at": {"sv": "Godkänn automatiskt från", "en": "Auto-accept from"},
    "reject_below": {"sv": "Avvisa automatiskt under", "en": "Auto-reject below"},
    "in_band": {"sv": "Förslag i omgången (godk. / granska / avv.)",
                "en": "Suggestions in the round (acc. / review / rej.)"},
    "save": {"sv": "Spara", "en": "Save"},
    "agreement_intro": {
        "sv": "Kappa och F1 jämför autokodaren med samordnarnas beslut på svar som någon har "
              "bedömt (ett klart svar räknas helt). Alfa (Krippendorff) jämför samordnare som "
              "har kodat samma svar var för sig i dubbelkodningen. Överensstämmelsen mellan "
              "människor är taket för vad en autokodare kan nå. – betyder att värdet inte går "
              "att beräkna.",
        "en": "Kappa and F1 compare the auto-coder with the coordinators' decisions on answers "
              "someone judged (a finished answer counts in full). Alpha (Krippendorff) compares "
              "coordinators who coded the same answer independently in double coding. "
              "Agreement between people is the ceiling for any auto-coder. – means the value "
              "cannot be computed."},
    "judged": {"sv": "Bedömda svar", "en": "Judged answers"},
    "double_coded": {"sv": "Dubbelkodade svar", "en": "Double-coded answers"},
    "precision": {"sv": "Precision", "en": "Precision"},
    "recall": {"sv": "Täckning", "en": "Recall"},
    "mean": {"sv": "Medel", "en": "Mean"},
    "retrain_intro": {
        "sv": "Autokodaren tränas om med korpusen och de granskade svaren. En femtedel av de "
              "granskade svaren hålls utanför träningen; den gamla och den nya modellen "
              "utvärderas på dem, och den nya används bara om den inte är sämre. Träningen tar "
              "ungefär en halv minut.",
        "en": "The auto-coder is retrained on the corpus and the reviewed answers. A fifth of "
              "the reviewed answers is kept out of training; the old and the new model are "
              "evaluated on them, and the new one is used only if it is not worse. Training "
              "takes about half a minute."},
    "retrain_readonly": {"sv": "Modellen gäller alla län och tränas om av den nationella "
                         "samordnaren.", "en": "The model applies to every county and is "
                         "retrained by the national coordinator."},
    "codebook": {"sv": "Kodbok", "en": "Codebook"},
    "current_model": {"sv": "Modell i bruk", "en": "Model in use"},
    "verified_answers": {"sv": "Granskade svar", "en": "Reviewed answers"},
    "start_training": {"sv": "Träna om", "en": "Retrain"},
    "result_replaced": {"sv": "Den nya modellen {version} används nu: den var inte sämre.",
                        "en": "The new model {version} is now in use: it was not worse."},
    "result_kept": {"sv": "Den gamla modellen behålls: den nya var sämre på de granskade "
                    "svaren.", "en": "The old model is kept: the new one was worse on the "
                    "reviewed answers."},
    "evaluation": {"sv": "Utvärdering på {n} granskade svar som hölls utanför träningen",
                   "en": "Evaluation on {n} reviewed answers kept out of training"},
    "before": {"sv": "Före", "en": "Before"},
    "after": {"sv": "Efter", "en": "After"},
    "corpus_dev": {"sv": "Korpusens utvecklingsdel (makro-F1)",
                   "en": "Corpus dev split (macro-F1)"},
    "trained_on": {"sv": "Tränad på korpusen och {n} granskade svar.",
                   "en": "Trained on the corpus and {n} reviewed answers."},
}


def rt(key: str, **values: object) -> str:
    text = TEXT[key][language()]
    return text.format(**values) if values else text


def error_text(error: StoreError) -> str:
    """The workspace's words for a refusal of the store, by its code."""
    key = f"error_{error.code}"
    return rt(key, **error.params) if key in TEXT else str(error)
