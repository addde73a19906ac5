"""Curated lemmas that win over spaCy's lookup table and over the compound-suffix guess.

Keys are lowercase word forms (whole words or compound heads); values are the lemma.
Add an entry when the table picks the wrong homograph or the suffix guess mangles a word;
tests/test_coding_lemmas.py pins the important ones.
"""

LEMMA_OVERRIDES: dict[str, str] = {
    # Homographs the table resolves to the rarer reading.
    "drog": "dra",  # past tense of dra ("drog igång"), not the noun
    "drogs": "dra",
    "har": "ha",  # not "hare"
    "hade": "ha",
    "men": "men",  # conjunction, not "mena"
    "finns": "finnas",  # not "finne"
    "fanns": "finnas",
    "funnits": "finnas",
    "oro": "oro",  # noun, not "oroa"
    "skulder": "skuld",  # not "skuldra"
    "skulden": "skuld",
    "skulderna": "skuld",
    "missbruk": "missbruk",  # noun, not "missbruka"
    "samverkan": "samverkan",  # the suffix "kan" gives "samverkunna"
    "varsel": "varsel",
    "våld": "våld",
    "unga": "ung",
    "ungas": "ung",
    "äktenskap": "äktenskap",
    "vuxna": "vuxen",
    "vuxnas": "vuxen",
    "stängt": "stänga",
    "stängda": "stänga",
    "stängde": "stänga",
    "ensamma": "ensam",
    "isolerade": "isolera",
    "isolerat": "isolera",
    "utsatta": "utsatt",
    "utsatt": "utsatt",
    "arbetslösa": "arbetslös",
    "permitterade": "permittera",
    "permitterad": "permittera",
    "nyanlända": "nyanländ",
    "nyanländ": "nyanländ",
    "orolig": "orolig",
    "oroliga": "orolig",
    "inga": "ingen",
    "inget": "ingen",
    "saknas": "saknas",
    "fick": "få",  # not "ficka"
    "när": "när",  # not "nära"
    "fler": "fler",  # not "mången"
    "still": "still",
    "med": "med",  # not "mede"
    "spelar": "spela",  # present tense, not the noun "spelare"
    "missbrukar": "missbruka",
    "arbetar": "arbeta",
    "tillsammans": "tillsammans",
    "saknades": "saknas",
    # Compounds the longest-suffix rule gets wrong.
    "kvinnofridsbrott": "kvinnofridsbrott",  # suffix "rott" would give "kvinnofridsbro"
    "barnäktenskap": "barnäktenskap",
    "tvångsäktenskap": "tvångsäktenskap",
    "könsstympning": "könsstympning",
    "könsstympningar": "könsstympning",
}
