"""Texts of the compilation pages, Swedish first and English second.

Kept as {"key": {"sv", "en"}} like the other areas' text modules until the gettext
catalogues land; then this becomes the ``compile`` domain (translations/*/compile.po) and
:func:`xt` reads it, with the same keys and placeholders.
"""

from __future__ import annotations

from survey.web.i18n import language

TEXT: dict[str, dict[str, str]] = {
    # navigation and headings
    "index_title": {"sv": "Sammanställning", "en": "Compilation"},
    "index_intro": {"sv": "Här skriver länen sina lägesbilder och den nationella samordnaren "
                          "sammanställer dem till en nationell lägesbild.",
                    "en": "Here the counties write their situation reports and the national "
                          "coordinator compiles them into a national report."},
    "no_rounds": {"sv": "Det finns inga omgångar ännu.", "en": "There are no rounds yet."},
    "county_compilation_of": {"sv": "Lägesbild för {county}", "en": "Report for {county}"},
    "national_compilation": {"sv": "Nationell sammanställning",
                             "en": "National compilation"},
    "county_nav": {"sv": "Länets sammanställning", "en": "The county's compilation"},
    "national_nav": {"sv": "Nationell sammanställning", "en": "National compilation"},
    "nav_assessments": {"sv": "Bedömningar", "en": "Assessments"},
    "nav_quotes": {"sv": "Citat och goda exempel", "en": "Quotes and good examples"},
    "nav_sources": {"sv": "Övriga källor", "en": "Other sources"},
    "nav_deliver": {"sv": "Skicka till nationell samordnare",
                    "en": "Send to the national coordinator"},
    "nav_national": {"sv": "Översikt och samlad bedömning",
                     "en": "Overview and overall assessment"},
    "nav_settings": {"sv": "Uppgifter för rapporten", "en": "Report details"},
    "county_title": {"sv": "Länets lägesbild: {county}, {round}",
                     "en": "County report: {county}, {round}"},
    "county_intro": {"sv": "Skriv länets samlade bedömning och en bedömning per område. "
                           "Varje text sparas för sig med knappen under den.",
                     "en": "Write the county's overall assessment and one per area. Each "
                           "text is saved on its own with the button below it."},
    "back": {"sv": "Tillbaka", "en": "Back"},
    "back_to_national": {"sv": "Till den nationella sammanställningen",
                         "en": "To the national compilation"},
    # assessments
    "overall_assessment": {"sv": "Samlad bedömning", "en": "Overall assessment"},
    "county_overall_label": {"sv": "Länets samlade bedömning",
                             "en": "The county's overall assessment"},
    "county_assessment_label": {"sv": "Länets bedömning: {area}",
                                "en": "The county's assessment: {area}"},
    "text_hint": {"sv": "Skriv i stycken med en tom rad emellan. Börja en rad med \"- \" "
                        "för en punktlista.",
                  "en": "Write paragraphs with a blank line between them. Start a line with "
                        "\"- \" for a bulleted list."},
    "save_text": {"sv": "Spara texten", "en": "Save the text"},
    "last_saved": {"sv": "Senast sparad {when} av {who}.", "en": "Last saved {when} by {who}."},
    "not_written": {"sv": "Ingen text är skriven.", "en": "No text has been written."},
    "conflict_title": {"sv": "Någon annan har ändrat texten",
                       "en": "Someone else has changed the text"},
    "conflict_text": {"sv": "{who} sparade en ny version {when} medan du skrev. Din text är "
                            "inte sparad men finns kvar i rutan nedan.",
                      "en": "{who} saved a new version {when} while you were writing. Your "
                            "text is not saved but is still in the box below."},
    "their_text": {"sv": "Den sparade versionen", "en": "The saved version"},
    "conflict_yours": {"sv": "Jämför, ändra din text om det behövs och spara igen för att "
                             "ersätta den sparade versionen.",
                       "en": "Compare, change your text if needed and save again to replace "
                             "the saved version."},
    # quotes
    "quotes_title": {"sv": "Citat och goda exempel: {county}",
                     "en": "Quotes and good examples: {county}"},
    "quotes_intro": {"sv": "Välj vilka citat och goda exempel som ska med i länets rapport. "
                           "Varje citat används en gång. Skriv ett skäl när du utesluter ett "
                           "citat, till exempel att det beskriver ett enskilt fall.",
                     "en": "Choose which quotes and good examples go into the county report. "
                           "Each quote is used once. Give a reason when you leave a quote "
                           "out, for example that it describes an individual case."},
    "good_examples": {"sv": "Goda exempel", "en": "Good examples"},
    "kind_quote": {"sv": "citat", "en": "quote"},
    "kind_reason": {"sv": "skäl till hög risk", "en": "reason for high risk"},
    "kind_good_example": {"sv": "gott exempel", "en": "good example"},
    "not_shareable": {"sv": "kommunen vill inte att exemplet sprids",
                      "en": "the municipality does not want the example shared"},
    "choice": {"sv": "Val", "en": "Choice"},
    "undecided": {"sv": "inte valt ännu", "en": "not chosen yet"},
    "included": {"sv": "med i rapporten", "en": "in the report"},
    "excluded": {"sv": "utesluten", "en": "left out"},
    "exclude_reason": {"sv": "Skäl att utesluta", "en": "Reason for leaving out"},
    "include": {"sv": "Ta med", "en": "Include"},
    "exclude": {"sv": "Uteslut", "en": "Leave out"},
    "reason_needed": {"sv": "Skriv ett skäl.", "en": "Give a reason."},
    "no_candidates": {"sv": "Det finns inga citat eller goda exempel från inskickade svar "
                            "ännu.",
                      "en": "There are no quotes or good examples from submitted answers "
                            "yet."},
    # sources
    "sources_title": {"sv": "Övriga källor: {county}", "en": "Other sources: {county}"},
    "sources_intro": {"sv": "Underlag utöver kommunernas svar som länets rapport hänvisar "
                            "till, till exempel nätverksmöten och uppgifter från Polisen, "
                            "Regionen eller civilsamhället.",
                      "en": "Material besides the municipalities' answers that the county "
                            "report cites, for example network meetings and information "
                            "from the police, the region or civil society."},
    "sources_caption": {"sv": "Källor", "en": "Sources"},
    "no_sources": {"sv": "Inga källor är tillagda.", "en": "No sources have been added."},
    "add_source": {"sv": "Lägg till källa", "en": "Add source"},
    "source_date": {"sv": "Datum", "en": "Date"},
    "source_kind": {"sv": "Slag av källa", "en": "Kind of source"},
    "source_actor": {"sv": "Aktör", "en": "Actor"},
    "source_actor_hint": {"sv": "Till exempel Polisregion Väst eller länets nätverk för "
                                "socialchefer.",
                          "en": "For example the police region or the county's network of "
                                "social services managers."},
    "source_summary": {"sv": "Sammanfattning", "en": "Summary"},
    "remove": {"sv": "Ta bort", "en": "Remove"},
    "remove_source": {"sv": "Ta bort källan {actor}, {date}",
                      "en": "Remove the source {actor}, {date}"},
    "kind_network_meeting": {"sv": "Nätverksmöte", "en": "Network meeting"},
    "kind_police": {"sv": "Polisen", "en": "The police"},
    "kind_region": {"sv": "Regionen", "en": "The region"},
    "kind_civil_society": {"sv": "Civilsamhället", "en": "Civil society"},
    "kind_other": {"sv": "Annan källa", "en": "Other source"},
    "field_required": {"sv": "Fyll i fältet.", "en": "Fill in the field."},
    "bad_date": {"sv": "Skriv ett datum som ÅÅÅÅ-MM-DD.", "en": "Enter a date as YYYY-MM-DD."},
    "form_problems": {"sv": "Formuläret behöver rättas", "en": "The form needs correcting"},
    # delivery
    "deliver_title": {"sv": "Skicka till nationell samordnare: {county}",
                      "en": "Send to the national coordinator: {county}"},
    "deliver_intro": {"sv": "Kontrollera länets lägesbild innan du skickar den.",
                      "en": "Check the county report before you send it."},
    "deliver_texts": {"sv": "{n} av {total} bedömningar är skrivna.",
                      "en": "{n} of {total} assessments are written."},
    "deliver_missing": {"sv": "Saknas: {areas}.", "en": "Missing: {areas}."},
    "deliver_quotes": {"sv": "{included} citat och exempel är valda, {excluded} uteslutna.",
                       "en": "{included} quotes and examples chosen, {excluded} left out."},
    "deliver_sources": {"sv": "{n} övriga källor.", "en": "{n} other sources."},
    "deliver_lock": {"sv": "När lägesbilden är skickad går den inte att ändra förrän den "
                           "nationella samordnaren skickar tillbaka den.",
                     "en": "Once sent, the report cannot be changed until the national "
                           "coordinator sends it back."},
    "deliver_button": {"sv": "Skicka till nationell samordnare",
                       "en": "Send to the national coordinator"},
    "already_delivered": {"sv": "Lägesbilden är redan skickad.",
                          "en": "The report has already been sent."},
    "delivered_note": {"sv": "Skickad till nationell samordnare {when} av {who}. "
                             "Lägesbilden är låst.",
                       "en": "Sent to the national coordinator {when} by {who}. The report "
                             "is locked."},
    "sent_back_note": {"sv": "Skickades tillbaka {when} av {who}.",
                       "en": "Sent back {when} by {who}."},
    "reason": {"sv": "Skäl", "en": "Reason"},
    "locked_note": {"sv": "Lägesbilden är skickad till nationell samordnare och kan inte "
                          "ändras.",
                    "en": "The report has been sent to the national coordinator and cannot "
                          "be changed."},
    "send_back": {"sv": "Skicka tillbaka", "en": "Send back"},
    "send_back_intro": {"sv": "Skicka tillbaka lägesbilden till länet om något behöver "
                              "ändras. Länet ser ditt skäl.",
                        "en": "Send the report back to the county if something needs "
                              "changing. The county sees your reason."},
    "send_back_reason": {"sv": "Skäl att skicka tillbaka", "en": "Reason for sending back"},
    # national
    "national_title": {"sv": "Nationell sammanställning: {round}",
                       "en": "National compilation: {round}"},
    "delivery_status": {"sv": "Länens leveranser", "en": "The counties' deliveries"},
    "deadline_is": {"sv": "Sista dag för länen: {date}.", "en": "Deadline for the counties: "
                                                                "{date}."},
    "no_deadline": {"sv": "Ingen sista dag för länen är satt.",
                    "en": "No deadline for the counties is set."},
    "set_deadline": {"sv": "Ange sista dag", "en": "Set the deadline"},
    "timing_on_time": {"sv": "Levererad i tid", "en": "Delivered on time"},
    "timing_late": {"sv": "Levererad sent", "en": "Delivered late"},
    "timing_not_delivered": {"sv": "Inte levererad", "en": "Not delivered"},
    "was_sent_back": {"sv": "skickades tillbaka", "en": "sent back"},
    "county": {"sv": "Län", "en": "County"},
    "status": {"sv": "Status", "en": "Status"},
    "delivered_when": {"sv": "Levererad", "en": "Delivered"},
    "read": {"sv": "Läs", "en": "Read"},
    "read_county": {"sv": "Läs {county}", "en": "Read {county}"},
    "national_overall": {"sv": "Samlad bedömning för landet",
                         "en": "Overall assessment for the country"},
    "national_overall_label": {"sv": "Nationell samlad bedömning",
                               "en": "National overall assessment"},
    "national_areas": {"sv": "Områden", "en": "Areas"},
    "written": {"sv": "skriven", "en": "written"},
    "not_written_short": {"sv": "inte skriven", "en": "not written"},
    "national_area_title": {"sv": "Nationell sammanställning: {area}",
                            "en": "National compilation: {area}"},
    "county_assessments": {"sv": "Länens bedömningar", "en": "The counties' assessments"},
    "draft": {"sv": "Utkast, inte levererad", "en": "Draft, not delivered"},
    "no_text_from": {"sv": "Ingen text från: {counties}.", "en": "No text from: {counties}."},
    "national_synthesis": {"sv": "Nationell bedömning", "en": "National assessment"},
    "national_area_label": {"sv": "Nationell bedömning: {area}",
                            "en": "National assessment: {area}"},
    # settings
    "settings_title": {"sv": "Uppgifter för rapporten: {round}",
                       "en": "Report details: {round}"},
    "settings_intro": {"sv": "Uppgifterna står på rapportens försättsblad. Sista dag för "
                             "länen används i leveransöversikten.",
                       "en": "The details appear on the report's cover. The counties' deadline "
                             "is used in the delivery overview."},
    "setting_reference_number": {"sv": "Diarienummer", "en": "Reference number"},
    "setting_reference_number_hint": {"sv": "Regeringsbeslutets diarienummer, till exempel "
                                            "S2020/05273/SOF.",
                                      "en": "The government decision's reference number, for "
                                            "example S2020/05273/SOF."},
    "setting_addressee": {"sv": "Mottagare", "en": "Addressee"},
    "setting_addressee_hint": {"sv": "Till exempel Regeringskansliet (Socialdepartementet).",
                               "en": "For example Regeringskansliet (Socialdepartementet)."},
    "setting_partners": {"sv": "I samverkan med", "en": "In collaboration with"},
    "setting_partners_hint": {"sv": "Till exempel Socialstyrelsen och Sveriges Kommuner och "
                                    "Regioner (SKR).",
                              "en": "For example Socialstyrelsen and the Swedish Association "
                                    "of Local Authorities and Regions (SKR)."},
    "setting_county_deadline": {"sv": "Sista dag för länens leveranser",
                                "en": "Deadline for the counties' deliveries"},
    "setting_report_due": {"sv": "Rapporten ska lämnas senast",
                           "en": "The report is due"},
    "save_settings": {"sv": "Spara uppgifterna", "en": "Save the details"},
    # saved messages (?klart=)
    "done_saved": {"sv": "Texten är sparad.", "en": "The text is saved."},
    "done_choice_saved": {"sv": "Valet är sparat.", "en": "The choice is saved."},
    "done_source_added": {"sv": "Källan är tillagd.", "en": "The source is added."},
    "done_source_removed": {"sv": "Källan är borttagen.", "en": "The source is removed."},
    "done_delivered": {"sv": "Lägesbilden är skickad till nationell samordnare.",
                       "en": "The report has been sent to the national coordinator."},
    "done_sent_back": {"sv": "Lägesbilden är skickad tillbaka till länet.",
                       "en": "The report has been sent back to the county."},
    "done_settings_saved": {"sv": "Uppgifterna är sparade.", "en": "The details are saved."},
    # refusals (the store's CompilationError codes)
    "refused_title": {"sv": "Ändringen gick inte att göra", "en": "The change was not made"},
    "error_delivered": {"sv": "Länets lägesbild är skickad till nationell samordnare och är "
                              "låst. Be den nationella samordnaren skicka tillbaka den.",
                        "en": "The county report has been sent to the national coordinator "
                              "and is locked. Ask the national coordinator to send it back."},
    "error_not_delivered": {"sv": "Lägesbilden är inte skickad, så den kan inte skickas "
                                  "tillbaka.",
                            "en": "The report has not been sent, so it cannot be sent back."},
    "error_unknown_source": {"sv": "Källan finns inte.", "en": "The source does not exist."},
    "error_too_long": {"sv": "Texten är för lång.", "en": "The text is too long."},
    # the audit log (survey.web.coordinate shows these through its action-text hook)
    "action_assessment_saved": {"sv": "Bedömning sparad ({area})",
                                "en": "Assessment saved ({area})"},
    "action_assessment_conflict": {"sv": "Bedömning krockade med en annan ändring ({area})",
                                   "en": "Assessment clashed with another change ({area})"},
    "action_quote_included": {"sv": "Citat valt till rapporten",
                              "en": "Quote chosen for the report"},
    "action_quote_excluded": {"sv": "Citat uteslutet", "en": "Quote left out"},
    "action_source_added": {"sv": "Källa tillagd", "en": "Source added"},
    "action_source_removed": {"sv": "Källa borttagen", "en": "Source removed"},
    "action_compilation_delivered": {"sv": "Länets lägesbild skickad till nationell "
                                           "samordnare",
                                     "en": "County report sent to the national coordinator"},
    "action_compilation_sent_back": {"sv": "Länets lägesbild skickad tillbaka",
                                     "en": "County report sent back"},
    "action_round_report_settings": {"sv": "Uppgifter för rapporten ändrade",
                                     "en": "Report details changed"},
    "area_overall": {"sv": "samlad bedömning", "en": "overall assessment"},
    "area_national": {"sv": "nationell", "en": "national"},
}


def xt(key: str, **values: object) -> str:
    text = TEXT[key][language()]
    return text.format(**values) if values else text


def action_text(entry: dict) -> str | None:
    """The audit log's words for this area's actions; None for anyone else's."""
    key = f"action_{entry['action']}"
    if key not in TEXT:
        return None
    after = entry.get("after") if isinstance(entry.get("after"), dict) else {}
    area = after.get("area") or xt("area_overall")
    if entry.get("county_code") is None and entry["action"].startswith("assessment"):
        area = f"{area}, {xt('area_national')}"
    return xt(key, area=area)
