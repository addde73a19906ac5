"""The shared token view and the fast sentence component (#10 item 7): the speed-ups must
give exactly what spaCy's own components give."""

import pytest
import spacy
from spacy.attrs import SENT_START
from spacy.matcher import Matcher

import coding.lemmas  # noqa: F401 - registers lagesbild_line_breaks
from coding.pipeline import build_nlp
from coding.tokenmatch import TokenMatcher
from coding.tokenview import lemma_ids, view

TEXTS = [
    "",
    "Våldet har ökat. Missbruket har minskat!",
    "Inga sommarjobb\n- fler orosanmälningar\n\n  - stängda fritidsgårdar",
    "Hur ska vi nå familjerna?! Vi vet inte... Kanske via skolan.",
    "Citatet slutar här.” Nästa mening börjar.\n",
    "\n\nSista raden. ",
    "Ekonomiskt bistånd (försörjningsstöd). Fler hushåll; färre jobb – och 25 % fler ärenden.",
]


@pytest.fixture(scope="module")
def spacy_sentences():
    nlp = spacy.blank("sv")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lagesbild_line_breaks")
    return nlp


@pytest.fixture(scope="module")
def ours():
    nlp = spacy.blank("sv")
    nlp.add_pipe("lagesbild_sentences")
    return nlp


@pytest.mark.parametrize("text", TEXTS)
def test_sentence_starts_equal_the_sentencizer_with_line_breaks(spacy_sentences, ours, text):
    expected, got = spacy_sentences(text), ours(text)
    assert got.to_array(SENT_START).tolist() == expected.to_array(SENT_START).tolist()
    assert [s.text for s in got.sents] == [s.text for s in expected.sents]


@pytest.mark.parametrize("text", TEXTS)
def test_view_holds_the_docs_words_lemmas_and_offsets(text):
    nlp = build_nlp("risks", with_textcat=False)
    doc = nlp(text)
    tokens = view(doc)
    assert tokens.words == [t.lower_ for t in doc]
    assert lemma_ids(doc) == [t.lemma for t in doc]
    assert tokens.offsets(doc) == ([t.idx for t in doc], [t.idx + len(t.text) for t in doc])
    assert tokens.breaks == [i > 0 and (t.is_sent_start or (t.is_space and "\n" in t.text))
                             for i, t in enumerate(doc)]


def test_a_doc_from_another_pipeline_gets_a_view_from_its_own_annotation(spacy_sentences):
    doc = spacy_sentences("Första meningen. Andra meningen.")
    assert view(doc).starts == [1, -1, -1, 1, -1, -1]
    assert view(doc).words[3] == "andra"


def test_token_matcher_finds_what_spacys_matcher_finds():
    nlp = build_nlp("risks", with_textcat=False)
    patterns = [
        [{"LOWER": {"IN": ["våld", "våldet"]}}, {"LOWER": "i"}, {"LOWER": {"IN": ["hemmet",
                                                                                 "hemmen"]}}],
        [{"LOWER": "inga"}, {"LOWER": "sommarjobb", "OP": "?"}, {"LOWER": "alls"}],
        [{"LEMMA": "orosanmälan"}],
        [{"LIKE_NUM": True}, {"LOWER": {"IN": ["procent", "%"]}}],
        [{"LOWER": "fler"}, {"IS_PUNCT": False, "LOWER": {"NOT_IN": ["än"]}}],
    ]
    ours, theirs = TokenMatcher(), Matcher(nlp.vocab)
    lemma = nlp.get_pipe("compound_lemmatizer").lemma
    for number, pattern in enumerate(patterns):
        ours.add(number, pattern, lemma)
        theirs.add(str(number), [[{**token, **({"LEMMA": lemma(token["LEMMA"])}
                                               if "LEMMA" in token else {})}
                                  for token in pattern]])
    doc = nlp("Våldet i hemmen ökar, inga alls och inga sommarjobb alls. 25 procent fler "
              "orosanmälningar, fler än i fjol, fler barn.")
    found = {(key, start, end) for key, start, end in ours(doc)}
    expected = set()
    for key, start, end in theirs(doc):
        number = int(nlp.vocab.strings[key])
        longest = max(e for k, s, e in theirs(doc) if k == key and s == start)
        if end == longest:
            expected.add((number, start, end))
    assert found == expected
    assert len(found) == 6
