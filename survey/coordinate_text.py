"""Texts of the coordinator pages, Swedish first and English second (same form as survey.i18n).

Kept apart from the respondent catalogue so the two areas can change independently; a test
checks that every key has both languages.
"""

from __future__ import annotations

from survey.i18n import language

TEXT: dict[str, dict[str, str]] = {
    "coordination": {"sv": "Samordning", "en": "Coordination"},
    "login_title": {"sv": "Logga in som samordnare", "en": "Coordinator login"},
    "login_intro": {"sv": "För länsstyrelsernas samordnare. Kommuner svarar via länken de fått "
                    "och behöver inte logga in.",
                    "en": "For the county boards' coordinators. Municipalities answer through "
                    "the link they received and do not log in."},
    "email": {"sv": "E-postadress", "en": "E-mail address"},
    "password": {"sv": "Lösenord", "en": "Password"},
    "log_in": {"sv": "Logga in", "en": "Log in"},
    "log_out": {"sv": "Logga ut", "en": "Log out"},
    "login_failed": {"sv": "Fel e-postadress eller lösenord.",
                     "en": "Wrong e-mail address or password."},
    "login_limited": {"sv": "För många misslyckade inloggningar. Vänta en kvart och försök "
                      "igen, eller kontakta administratören.",
                      "en": "Too many failed logins. Wait a quarter of an hour and try again, "
                      "or contact the administrator."},
    "signed_in_as": {"sv": "Inloggad som {name}", "en": "Logged in as {name}"},
    "role_county_coordinator": {"sv": "Länssamordnare ({county})",
                                "en": "County coordinator ({county})"},
    "role_national_coordinator": {"sv": "Nationell samordnare", "en": "National coordinator"},
    "role_admin": {"sv": "Administratör", "en": "Administrator"},
    "rounds": {"sv": "Omgångar", "en": "Rounds"},
    "rounds_intro": {"sv": "Välj en omgång för att se vilka som har svarat.",
                     "en": "Choose a round to see who has answered."},
    "round": {"sv": "Omgång", "en": "Round"},
    "title": {"sv": "Titel", "en": "Title"},
    "questionnaire": {"sv": "Formulär", "en": "Questionnaire"},
    "opens": {"sv": "Öppnar", "en": "Opens"},
    "closes": {"sv": "Stänger", "en": "Closes"},
    "follows": {"sv": "Uppföljning av", "en": "Follows up"},
    "none": {"sv": "Ingen", "en": "None"},
    "open_now": {"sv": "Öppen", "en": "Open"},
    "closed_now": {"sv": "Stängd", "en": "Closed"},
    "not_yet_open": {"sv": "Inte öppnad än", "en": "Not open yet"},
    "new_round": {"sv": "Ny omgång", "en": "New round"},
    "new_round_intro": {"sv": "Omgången låser den senaste sparade versionen av formuläret, så "
                        "att senare ändringar inte påverkar svaren.",
                        "en": "The round pins the latest stored version of the questionnaire, "
                        "so later changes do not affect its answers."},
    "round_id_hint": {"sv": "Kort id med gemener, siffror och bindestreck, t.ex. 2020-09.",
                      "en": "A short id of lower-case letters, digits and hyphens, e.g. "
                      "2020-09."},
    "date_hint": {"sv": "ÅÅÅÅ-MM-DD", "en": "YYYY-MM-DD"},
    "create": {"sv": "Skapa omgången", "en": "Create the round"},
    "invited": {"sv": "Inbjudna", "en": "Invited"},
    "submitted_count": {"sv": "Inskickade", "en": "Submitted"},
    "response_rate": {"sv": "Svarsfrekvens", "en": "Response rate"},
    "dashboard_title": {"sv": "Svarsläge: {round}", "en": "Response status: {round}"},
    "filters": {"sv": "Filtrera", "en": "Filter"},
    "county": {"sv": "Län", "en": "County"},
    "all_counties": {"sv": "Alla län", "en": "All counties"},
    "status": {"sv": "Status", "en": "Status"},
    "all_statuses": {"sv": "Alla", "en": "All"},
    "show": {"sv": "Visa", "en": "Show"},
    "per_county": {"sv": "Per län", "en": "Per county"},
    "municipalities": {"sv": "Kommuner", "en": "Municipalities"},
    "municipality": {"sv": "Kommun", "en": "Municipality"},
    "last_activity": {"sv": "Senaste aktivitet", "en": "Last activity"},
    "by_whom": {"sv": "av {who}", "en": "by {who}"},
    "invited_on": {"sv": "inbjuden {when}", "en": "invited {when}"},
    "answers_count": {"sv": "Besvarade frågor", "en": "Answered questions"},
    "link": {"sv": "Länk", "en": "Link"},
    "link_active": {"sv": "Aktiv", "en": "Active"},
    "link_revoked": {"sv": "Återkallad", "en": "Revoked"},
    "no_municipalities": {"sv": "Inga kommuner matchar urvalet.",
                          "en": "No municipalities match the selection."},
    "rate_text": {"sv": "{submitted} av {invited} har skickat in ({rate} %).",
                  "en": "{submitted} of {invited} have submitted ({rate} %)."},
    "downloads": {"sv": "Ladda ner svaren", "en": "Download the answers"},
    "download_as": {"sv": "Svaren som {fmt}", "en": "Answers as {fmt}"},
    "invite_title": {"sv": "Bjud in kommuner", "en": "Invite municipalities"},
    "invite_intro": {"sv": "Skapar en hemlig länk per kommun och laddar ner dem som CSV "
                     "(kommunkod, kommunnamn, länk). Länkarna visas bara nu; vi sparar dem "
                     "inte.",
                     "en": "Creates one secret link per municipality and downloads them as "
                     "CSV (code, name, link). The links are shown only now; we do not keep "
                     "them."},
    "invite_only_new": {"sv": "Bara kommuner som saknar aktiv länk (befintliga länkar "
                        "fortsätter att fungera)",
                        "en": "Only municipalities without an active link (existing links "
                        "keep working)"},
    "invite_all": {"sv": "Alla kommuner i urvalet: nya länkar ersätter de gamla",
                   "en": "All municipalities in the selection: new links replace the old"},
    "invite_button": {"sv": "Skapa länkar och ladda ner CSV",
                      "en": "Create links and download CSV"},
    "reminders": {"sv": "Påminnelser", "en": "Reminders"},
    "reminders_link": {"sv": "Påminn de som inte har skickat in",
                       "en": "Remind those who have not submitted"},
    "audit_log": {"sv": "Händelselogg", "en": "Audit log"},
    "accounts": {"sv": "Konton", "en": "Accounts"},
    "change_password": {"sv": "Byt lösenord", "en": "Change password"},
    "back_to_dashboard": {"sv": "Tillbaka till svarsläget", "en": "Back to the status page"},
    "view_response": {"sv": "Läs svaren", "en": "Read the answers"},
    "invitation_history": {"sv": "Länkar", "en": "Links"},
    "created": {"sv": "Skapad", "en": "Created"},
    "revoked": {"sv": "Återkallad", "en": "Revoked"},
    "reissue": {"sv": "Skapa ny länk (den gamla slutar fungera)",
                "en": "Create a new link (the old one stops working)"},
    "revoke": {"sv": "Återkalla länken", "en": "Revoke the link"},
    "revoked_done": {"sv": "Länken är återkallad. Den som öppnar den får inte längre åtkomst.",
                     "en": "The link has been revoked. Anyone opening it no longer has "
                     "access."},
    "new_link_title": {"sv": "Ny länk för {municipality}", "en": "New link for {municipality}"},
    "new_link_intro": {"sv": "Kopiera länken nu och skicka den till kommunen. Den visas bara "
                       "den här gången.",
                       "en": "Copy the link now and send it to the municipality. It is shown "
                       "only this once."},
    "reopen": {"sv": "Öppna för ändringar igen", "en": "Reopen for changes"},
    "reopen_intro": {"sv": "Kommunen kan då ändra och skicka in igen, även efter sista dag.",
                     "en": "The municipality can then change and submit again, even after "
                     "the closing date."},
    "reason": {"sv": "Anledning (visas i loggen)", "en": "Reason (shown in the log)"},
    "reopened_done": {"sv": "Svaret är öppnat för ändringar igen.",
                      "en": "The response is open for changes again."},
    "reopen_not_needed": {"sv": "Svaret kan redan ändras; det behöver inte öppnas igen.",
                          "en": "The response can already be changed; it need not be "
                          "reopened."},
    "contact": {"sv": "Kontaktadress för påminnelser", "en": "Contact address for reminders"},
    "contact_hint": {"sv": "Används när ingen i kommunen har angett en e-postadress i svaret.",
                     "en": "Used when nobody in the municipality gave an e-mail address in "
                     "the response."},
    "save": {"sv": "Spara", "en": "Save"},
    "contact_saved": {"sv": "Kontaktadressen är sparad.", "en": "The contact address is saved."},
    "bad_email": {"sv": "Skriv en giltig e-postadress.", "en": "Enter a valid e-mail address."},
    "history": {"sv": "Historik", "en": "History"},
    "when": {"sv": "När", "en": "When"},
    "who": {"sv": "Vem", "en": "Who"},
    "what": {"sv": "Vad", "en": "What"},
    "before": {"sv": "Före", "en": "Before"},
    "after": {"sv": "Efter", "en": "After"},
    "where": {"sv": "Var", "en": "Where"},
    "download_log": {"sv": "Ladda ner loggen som CSV", "en": "Download the log as CSV"},
    "older": {"sv": "Äldre händelser", "en": "Older events"},
    "newer": {"sv": "Nyare händelser", "en": "Newer events"},
    "no_events": {"sv": "Inga händelser.", "en": "No events."},
    "remind_title": {"sv": "Påminnelser: {round}", "en": "Reminders: {round}"},
    "remind_intro": {"sv": "E-post till kommuner som inte har skickat in. Kommuner som inte "
                     "har börjat får en ny länk (den gamla har inte använts); de som har "
                     "börjat fortsätter med sin länk.",
                     "en": "E-mail to municipalities that have not submitted. Those that have "
                     "not started get a new link (the old one was not used); those that "
                     "have started continue with their link."},
    "recipients": {"sv": "Mottagare", "en": "Recipients"},
    "no_address": {"sv": "Saknar e-postadress", "en": "No e-mail address"},
    "preview": {"sv": "Förhandsvisning", "en": "Preview"},
    "subject": {"sv": "Ämne", "en": "Subject"},
    "to": {"sv": "Till", "en": "To"},
    "dry_run": {"sv": "Provkör (skickar inget)", "en": "Dry run (sends nothing)"},
    "send": {"sv": "Skicka påminnelserna", "en": "Send the reminders"},
    "dry_run_done": {"sv": "Provkörning: {n} e-brev skulle ha skickats. Inget skickades.",
                     "en": "Dry run: {n} e-mails would have been sent. Nothing was sent."},
    "sent_done": {"sv": "{n} påminnelser skickades.", "en": "{n} reminders were sent."},
    "send_failed": {"sv": "E-postservern svarade inte: {error}. {n} påminnelser hann "
                    "skickas.",
                    "en": "The mail server failed: {error}. {n} reminders were sent "
                    "before."},
    "nobody_to_remind": {"sv": "Alla har skickat in; ingen behöver påminnas.",
                         "en": "Everyone has submitted; nobody needs a reminder."},
    "reminded": {"sv": "Påmind", "en": "Reminded"},
    "accounts_title": {"sv": "Konton för samordnare", "en": "Coordinator accounts"},
    "name": {"sv": "Namn", "en": "Name"},
    "role": {"sv": "Roll", "en": "Role"},
    "active": {"sv": "Aktivt", "en": "Active"},
    "inactive": {"sv": "Inaktiverat", "en": "Deactivated"},
    "last_login": {"sv": "Senaste inloggning", "en": "Last login"},
    "deactivate": {"sv": "Inaktivera", "en": "Deactivate"},
    "activate": {"sv": "Aktivera", "en": "Activate"},
    "not_yourself": {"sv": "Du kan inte inaktivera ditt eget konto.",
                     "en": "You cannot deactivate your own account."},
    "add_account": {"sv": "Lägg till konto", "en": "Add account"},
    "county_for_role": {"sv": "Län (bara för länssamordnare)",
                        "en": "County (county coordinators only)"},
    "account_added": {"sv": "Kontot är skapat.", "en": "The account was created."},
    "current_password": {"sv": "Nuvarande lösenord", "en": "Current password"},
    "new_password": {"sv": "Nytt lösenord (minst 12 tecken)",
                     "en": "New password (at least 12 characters)"},
    "password_changed": {"sv": "Lösenordet är bytt. Logga in igen med det nya.",
                         "en": "The password was changed. Log in again with the new one."},
    "wrong_password": {"sv": "Det nuvarande lösenordet stämmer inte.",
                       "en": "The current password is wrong."},
    "form_problems": {"sv": "Det finns problem i formuläret", "en": "There is a problem"},
    "yes": {"sv": "Ja", "en": "Yes"},
    "no": {"sv": "Nej", "en": "No"},
    # audit actions
    "action_login": {"sv": "Inloggning", "en": "Login"},
    "action_user_created": {"sv": "Konto skapat", "en": "Account created"},
    "action_user_activated": {"sv": "Konto aktiverat", "en": "Account activated"},
    "action_user_deactivated": {"sv": "Konto inaktiverat", "en": "Account deactivated"},
    "action_password_changed": {"sv": "Lösenord bytt", "en": "Password changed"},
    "action_round_created": {"sv": "Omgång skapad", "en": "Round created"},
    "action_invitation_issued": {"sv": "Länk skapad", "en": "Link created"},
    "action_invitation_reissued": {"sv": "Ny länk (gamla återkallad)",
                                   "en": "New link (old revoked)"},
    "action_invitation_revoked": {"sv": "Länk återkallad", "en": "Link revoked"},
    "action_response_reopened": {"sv": "Svar öppnat igen", "en": "Response reopened"},
    "action_response_submitted": {"sv": "Svar inskickat", "en": "Response submitted"},
    "action_reminder_sent": {"sv": "Påminnelse skickad", "en": "Reminder sent"},
    "action_contact_changed": {"sv": "Kontaktadress ändrad", "en": "Contact address changed"},
    "action_answer_changed": {"sv": "Svar ändrat: {question}", "en": "Answer changed: "
                              "{question}"},
    "action_answer_conflict": {"sv": "Samtidig ändring (sparad i historiken): {question}",
                               "en": "Concurrent edit (kept in the history): {question}"},
}


def ct(key: str, **values: object) -> str:
    text = TEXT[key][language()]
    return text.format(**values) if values else text
