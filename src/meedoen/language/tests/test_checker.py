"""The checker on its own: terms in all their forms, no false hits, exceptions, readability."""

import pytest

from meedoen.language import seed
from meedoen.language.checker import Entry, Glossary, check, readability, replace_span


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return Glossary(
        Entry(
            row.avoid,
            (row.prefer,),
            row.why,
            tuple(seed.EXCEPTIONS.get(row.avoid, ())),
            tuple(seed.NAMES.get(row.avoid, ())),
        )
        for row in seed.read_seed()
    )


def found(glossary: Glossary, text: str) -> list[tuple[str, str]]:
    return [(hit.text, hit.term) for hit in glossary.find(text)]


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("Klant", "klant"),
        ("klanten", "klant"),
        ("het klantje", "klant"),
        ("KLANTEN", "klant"),
        ("dagbestedingslocatie", "dagbesteding"),
        ("klantcontact", "klant"),
        ("werkverplichting", "verplichting"),
        ("verplichtingen", "verplichting"),
        ("hij is uitgevallen", "uitval"),
        ("zij uitvallen", "uitval"),
        ("terugvallen", "terugval"),
        ("sancties", "sanctie"),
        ("doelgroepen", "doelgroep"),
        ("Cliënten", "cliënt"),
        ("mensen met afstand tot de arbeidsmarkt", "afstand tot de arbeidsmarkt"),
    ],
)
def test_finds_a_term_in_its_forms(glossary, text, term):
    assert [t for _, t in found(glossary, text)] == [term]


def test_a_multi_word_term_across_a_line_break(glossary):
    text = "Mensen met een grote afstand tot de\narbeidsmarkt krijgen hulp."
    hits = glossary.find(text)
    assert [(h.term, h.text) for h in hits] == [
        ("afstand tot de arbeidsmarkt", "afstand tot de\narbeidsmarkt")
    ]
    assert text[hits[0].start : hits[0].end] == hits[0].text


@pytest.mark.parametrize(
    "text",
    ["De planten in de tuin.", "verklanten", "De uitvalsweg naar Deventer.", "Een sanctum.", "klanderig"],
)
def test_no_false_hits_inside_unrelated_words(glossary, text):
    assert found(glossary, text) == []


def test_a_hit_offers_the_alternatives_and_why(glossary):
    (hit,) = glossary.find("Onze klanten komen op dinsdag.")
    assert hit.alternatives == ("inwoner",)
    assert "inwoners" in hit.why
    assert (hit.start, hit.end, hit.text) == (5, 12, "klanten")


def test_an_exception_is_allowed_only_with_the_preferred_wording_beside_it(glossary):
    assert found(glossary, "U krijgt arbeidsmatige dagbesteding (activerend werk).") == []
    assert found(glossary, "U krijgt arbeidsmatige dagbesteding. Dat is activerend werk.") == [
        ("dagbesteding", "dagbesteding")
    ]
    assert found(glossary, "De klantmanager belt u.") == []


def test_replace_keeps_a_capital():
    assert replace_span("Klanten komen.", 0, 7, "inwoners") == "Inwoners komen."


EASY = (
    "U krijgt deze brief van de gemeente. U heeft een uitkering. Wij willen graag met u praten. "
    "Dat doen we op dinsdag 12 maart om 10 uur. Kom naar het stadhuis. Neem uw paspoort mee. "
    "Kunt u niet komen? Bel ons dan."
)
HARD = (
    "Ingevolge de bepalingen van de Participatiewet is het college bevoegd om, indien belanghebbende "
    "zonder deugdelijke grond de verplichtingen ten aanzien van arbeidsinschakeling niet nakomt, de "
    "bijstandsuitkering overeenkomstig de verordening tijdelijk te verlagen. Ter voorbereiding op de "
    "heroverweging van de toekenning wordt u uitgenodigd voor een gesprek, waarbij de inventarisatie van "
    "uw mogelijkheden tot participatie en de noodzakelijkheid van ondersteuning centraal staan."
)


def test_an_easy_text_is_b1_and_a_hard_one_is_not():
    easy, hard = readability(EASY), readability(HARD)
    assert easy.b1 and easy.level <= 2
    assert not hard.b1 and hard.level >= 3
    assert easy.score < hard.score
    assert easy.flesch_douma > hard.flesch_douma


def test_what_makes_a_text_hard_is_named():
    hard = readability(HARD)
    assert "arbeidsinschakeling" in {f.text for f in hard.findings_of("rare_word")}
    assert "inventarisatie" in {f.text for f in hard.findings_of("abstract_noun")}
    assert hard.findings_of("long_sentence")
    assert hard.features["content_words_per_clause"] > readability(EASY).features["content_words_per_clause"]


def test_a_b1_rewrite_scores_easier_than_its_original():
    original = (
        "Het college heeft besloten dat uw aanvraag voor een maatwerkvoorziening in het kader van de Wmo "
        "wordt toegekend, met dien verstande dat de ingangsdatum van de voorziening afhankelijk is van de "
        "beschikbaarheid bij de zorgaanbieder."
    )
    rewrite = (
        "U krijgt de hulp die u heeft gevraagd. De hulp begint als de aanbieder plek heeft. "
        "De aanbieder belt u daarover."
    )
    assert readability(rewrite).score < readability(original).score
    assert readability(rewrite).b1 and not readability(original).b1


def test_the_report_has_the_shape_of_the_cli(glossary):
    report = check("Klanten komen op dinsdag.", glossary).as_dict()
    assert set(report) >= {"hits", "level", "b1", "score", "features"}
    assert report["hits"][0] == {
        "start": 0,
        "end": 7,
        "text": "Klanten",
        "term": "klant",
        "alternatives": ["inwoner"],
        "why": report["hits"][0]["why"],
    }


def test_the_glossarys_own_preferred_words_are_never_called_rare():
    text = "Ruben gaat drie dagen naar het activerend werk. Dat gaat goed."
    assert "activerend" in [f.text for f in readability(text).findings_of("rare_word")]
    glossary = Glossary([Entry("dagbesteding", ("activerend werk",), "Het gaat om meedoen.")])
    assert "activerend" not in [f.text for f in check(text, glossary).readability.findings_of("rare_word")]


@pytest.mark.parametrize(
    ("text", "found_text", "term"),
    [
        ("De les valt vandaag uit.", "valt vandaag uit", "uitval"),
        ("Vallen de lessen morgen uit?", "Vallen de lessen morgen uit", "uitval"),
        ("Ruben viel vorige week uit, maar nu gaat het goed.", "viel vorige week uit", "uitval"),
        ("Hij viel terug op zijn uitkering.", "viel terug", "terugval"),
        ("De bus valt uit door de storm.", "valt uit", "uitval"),
        ("Ze dreigt uit te vallen.", "uit te vallen", "uitval"),
        ("Als het niet lukt, val je terug.", "val je terug", "terugval"),
    ],
)
def test_finds_a_separated_verb_within_a_clause(glossary, text, found_text, term):
    (hit,) = glossary.find(text)
    assert (hit.text, hit.term, hit.split) == (found_text, term, True)
    assert text[hit.start : hit.end] == found_text
    assert hit.as_dict()["split"] is True  # no one-click replace: the sentence needs rewriting


@pytest.mark.parametrize(
    "text",
    [
        "Hij valt uit het raam.",  # "uit" before an article: a preposition
        "De vaas valt. Uit de kast komt een muis.",  # another sentence
        "Hij valt, en uit de kast komt iets.",  # another clause
        "Het valt mij op dat hij uit is.",  # "uit" in the clause that "dat" starts
        "Valentijn gaat vandaag uit.",  # no form of "vallen"
        "Jan valt in de sloot uit zijn boot.",
        "We gaan terug naar huis.",
    ],
)
def test_no_separated_verb_across_clauses_or_with_a_preposition(glossary, text):
    assert found(glossary, text) == []


def test_a_separated_verb_around_another_term_keeps_both(glossary):
    assert found(glossary, "Valt de klant morgen uit?") == [
        ("Valt de klant morgen uit", "uitval"),
        ("klant", "klant"),
    ]
