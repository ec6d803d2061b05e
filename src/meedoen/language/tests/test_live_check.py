"""The live check while writing about a resident, and the CLI."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from meedoen.language.actions import do_seed_glossary

pytestmark = pytest.mark.django_db


def test_the_check_marks_avoided_words_with_a_replace_and_shows_the_level(apeldoorn, alice, login_as):
    do_seed_glossary(apeldoorn)
    response = login_as(alice).post(
        reverse("language:check"),
        {"veld": "text", "text": "Onze klanten gaan naar de dagbesteding. Neem uw paspoort mee."},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<mark>klanten</mark>" in page and "Vervang door “inwoner”" in page
    assert 'data-start="5" data-end="12"' in page
    assert "Het gaat om inwoners van de gemeente" in page
    assert "Leesbaarheid:" in page and "B1 of makkelijker" in page


def test_a_hard_text_says_what_makes_it_hard(apeldoorn, alice, login_as):
    text = (
        "Ingevolge de bepalingen van de Participatiewet is het college bevoegd om, indien belanghebbende "
        "zonder deugdelijke grond de verplichtingen ten aanzien van arbeidsinschakeling niet nakomt, de "
        "bijstandsuitkering overeenkomstig de verordening tijdelijk te verlagen."
    )
    page = login_as(alice).post(reverse("language:check"), {"veld": "goals", "goals": text}).content.decode()
    assert "moeilijker dan B1" in page
    assert "Weinig gebruikte woorden" in page and "arbeidsinschakeling" in page
    assert "Lange zinnen" in page


def test_the_check_needs_a_login_and_uses_the_own_municipality(apeldoorn, alice, login_as, client):
    assert client.post(reverse("language:check"), {"veld": "text", "text": "klant"}).status_code == 302
    page = login_as(alice).post(reverse("language:check"), {"veld": "text", "text": "klant"}).content.decode()
    assert "<mark>" not in page  # Apeldoorn has no glossary yet in this test


def test_the_cli_prints_findings_and_json(tmp_path, capsys, apeldoorn):
    path = tmp_path / "brief.txt"
    path.write_text("Beste klant,\nU heeft een werkverplichting.\n", encoding="utf-8")
    call_command("language", "check", str(path))
    out = capsys.readouterr().out
    assert "regel 1: 'klant' → gebruik liever: inwoner" in out
    assert "regel 2: 'werkverplichting'" in out
    do_seed_glossary(apeldoorn)
    call_command("language", "check", "--municipality", apeldoorn.slug, str(path), "--json")
    report = json.loads(capsys.readouterr().out)
    assert [hit["text"] for hit in report["hits"]] == ["klant", "werkverplichting"]
    assert report["b1"] is True and 1 <= report["level"] <= 4 and "words_per_sentence" in report["features"]


def test_a_separated_verb_is_marked_without_a_one_click_replace(apeldoorn, alice, login_as):
    do_seed_glossary(apeldoorn)
    text = "De les valt morgen uit. Dat is jammer."
    page = login_as(alice).post(reverse("language:check"), {"veld": "text", "text": text}).content.decode()
    assert "<mark>valt morgen uit</mark>" in page
    assert "Schrijf de zin anders, bijvoorbeeld met: pauze." in page
    assert "Vervang door" not in page
