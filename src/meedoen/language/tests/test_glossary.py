"""The glossary: open to everyone, kept by the functioneel beheerder, every change kept."""

import pytest
from django.test import Client
from django.urls import reverse

from meedoen.language.actions import do_seed_glossary
from meedoen.language.models import Term, TermChange
from meedoen.language.tests.factories import TermFactory
from meedoen.municipalities.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


def test_an_anonymous_visitor_chooses_a_municipality_and_reads_its_glossary(apeldoorn):
    do_seed_glossary(apeldoorn)
    client = Client()
    choose = client.get(reverse("language:glossary"))
    assert apeldoorn.name in choose.content.decode()
    page = client.get(reverse("language:glossary"), {"gemeente": apeldoorn.slug}).content.decode()
    assert "activerend werk" in page
    assert "Het gaat om werk met een doel" in page
    assert "arbeidsmatige dagbesteding (activerend werk)" in page


def test_a_resident_reads_the_glossary_of_their_municipality(apeldoorn, rita, login_as):
    TermFactory(municipality=apeldoorn, word="klant", alternatives="inwoner")
    TermFactory(municipality=MunicipalityFactory(), word="traject", alternatives="route")
    page = login_as(rita).get(reverse("language:glossary")).content.decode()
    assert "klant" in page and "inwoner" in page
    assert "traject" not in page


def test_the_seed_fills_an_empty_glossary_once(apeldoorn):
    added = do_seed_glossary(apeldoorn)
    assert added == Term.objects.filter(municipality=apeldoorn).count() > 12
    assert do_seed_glossary(apeldoorn) == 0
    term = Term.objects.get(municipality=apeldoorn, word="dagbesteding")
    assert term.alternative_list == ["activerend werk"] and term.exception_list == [
        "arbeidsmatige dagbesteding"
    ]


def test_the_functioneel_beheerder_adds_and_changes_a_term_and_the_history_is_kept(ada, login_as):
    client = login_as(ada)
    response = client.post(
        reverse("language:term-new"),
        {
            "kind": "vermijden",
            "word": "Traject",
            "alternatives": "route",
            "why": "Een route loop je samen.",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    term = Term.objects.get(municipality=ada.municipality, word="traject")
    response = client.post(
        reverse("language:term", args=[term.pk]),
        {
            "kind": "vermijden",
            "word": "traject",
            "alternatives": "route\nweg",
            "why": "Samen op weg.",
            "is_active": "on",
            "version": "1",
        },
    )
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.version == 2 and term.alternative_list == ["route", "weg"]
    versions = list(TermChange.objects.filter(term=term).order_by("version"))
    assert [v.content["alternatives"] for v in versions] == [["route"], ["route", "weg"]]
    assert all(v.author == ada.user for v in versions)
    page = client.get(reverse("language:term", args=[term.pk])).content.decode()
    assert "Versie 1" in page and "Versie 2" in page


def test_an_avoided_term_needs_an_alternative_and_a_stale_edit_is_refused(ada, login_as):
    client = login_as(ada)
    response = client.post(reverse("language:term-new"), {"kind": "vermijden", "word": "traject"})
    assert "Schrijf minstens één woord op" in response.content.decode()
    assert not Term.objects.filter(word="traject").exists()
    term = TermFactory(municipality=ada.municipality, word="klant", version=3)
    response = client.post(
        reverse("language:term", args=[term.pk]),
        {"kind": "vermijden", "word": "klant", "alternatives": "burger", "version": "2"},
    )
    assert "Iemand anders heeft dit woord net veranderd" in response.content.decode()
    term.refresh_from_db()
    assert term.alternative_list == ["inwoner"]


def test_only_the_functioneel_beheerder_edits_and_only_their_own_municipality(ada, alice, login_as):
    other = TermFactory(municipality=MunicipalityFactory(), word="klant")
    assert login_as(alice).get(reverse("language:manage")).status_code == 403
    assert login_as(ada).get(reverse("language:term", args=[other.pk])).status_code == 404


def test_the_seeded_meanings_are_shown_in_english_when_english_is_chosen(client, apeldoorn):
    do_seed_glossary(apeldoorn)
    dutch = client.get(reverse("language:glossary"), {"gemeente": apeldoorn.slug}).content.decode()
    assert "Werk met een doel, waarin je iets leert en meedoet." in dutch
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("language:glossary"), {"gemeente": apeldoorn.slug}).content.decode()
    assert "Work with a purpose, where you learn and take part." in english
    assert "These are residents of the municipality, not customers at a counter." in english
    assert "Werk met een doel" not in english
