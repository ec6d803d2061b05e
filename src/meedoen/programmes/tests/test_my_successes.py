"""Mijn successen: in Mijn Meedoen the resident reads the text proposed about them and agrees that it is
shared ("Ja, dit mag gedeeld worden"), refuses, or suggests other words, which go back to the caseworker. Only
a text the resident approved word for word is shared. Only their own successes: another resident's is 404,
staff get 403; every look and every answer is in the processing log."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from meedoen.audit.models import ProcessingLogEntry, ProcessingLogSubject, Purpose
from meedoen.programmes import successes
from meedoen.programmes.models import Success
from meedoen.programmes.successes import do_propose_nightly
from meedoen.programmes.tests.helpers import score
from meedoen.residents.models import Resident
from meedoen.residents.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
PROPOSED = "Een inwoner is een trede gestegen op de participatieladder: van trede 2 naar 3."
WORDS = "Ik ga nu twee ochtenden naar de moestuin. Daar heb ik nieuwe mensen leren kennen."
MINE = reverse("programmes:my-successes")


@pytest.fixture
def success(apeldoorn, rita, alice):
    """Rita (alice's caseload) climbed a rung a month ago; the nightly job proposed it."""
    resident = Resident.objects.get(user=rita.user)
    resident.caseworker_work = alice.user
    resident.save()
    score(resident, 2, TODAY - dt.timedelta(days=200), alice.user)
    score(resident, 3, TODAY - dt.timedelta(days=30), alice.user)
    (proposed,) = do_propose_nightly(apeldoorn.pk)
    return proposed


def _page(client) -> str:
    response = client.get(MINE)
    assert response.status_code == 200
    return response.content.decode()


def _mark(page: str) -> str:
    found = re.search(r'name="mark" value="([0-9a-f]+)"', page)
    assert found, "no Ja-button on the page"
    return found.group(1)


def _post(client, success, name, **data):
    return client.post(reverse(f"programmes:{name}", args=[success.pk]), data)


def _shared(client) -> str:
    return client.get(reverse("programmes:successes")).content.decode()


def _caseworker_step(client, success, stap, **data):
    return client.post(reverse("programmes:success", args=[success.pk]), {"stap": stap, **data})


def test_the_resident_sees_their_success_and_agrees_and_exactly_those_words_are_shared(
    success, rita, alice, login_as
):
    resident = login_as(rita)
    page = _page(resident)
    assert "Mijn successen" in page and "Trede omhoog" in page and PROPOSED in page
    assert "Ja, dit mag gedeeld worden" in page and "Nee, niet delen" in page
    assert "in het verslag voor de gemeenteraad" in page  # where it goes, before the resident says yes

    response = _post(resident, success, "my-success-agree", mark=_mark(page))
    assert response.status_code == 302
    assert response["Location"] == f"{MINE}#succes-{success.pk}"
    success.refresh_from_db()
    assert (success.status, success.text, success.consent_recorded_by) == (
        "akkoord_inwoner",
        PROPOSED,
        rita.user,
    )
    assert success.resident_answer == "akkoord" and success.consent_recorded_at is not None
    after = resident.get(MINE).content.decode()
    assert "Dank u wel. U vindt het goed dat deze tekst gedeeld wordt." in after
    assert "Ja, dit mag gedeeld worden</button>" not in after

    caseworker = login_as(alice)
    assert PROPOSED not in _shared(caseworker)  # approved, not shared until the caseworker shares it
    detail = caseworker.get(reverse("programmes:success", args=[success.pk])).content.decode()
    assert "gegeven door de inwoner zelf in Mijn Meedoen" in detail
    assert _caseworker_step(caseworker, success, "delen", text=PROPOSED).status_code == 302
    assert PROPOSED in _shared(caseworker)
    assert "wordt gedeeld sinds" in _page(resident)


def test_a_text_changed_after_the_page_was_shown_is_not_approved(success, rita, alice, login_as):
    resident = login_as(rita)
    mark = _mark(_page(resident))
    new = "Een inwoner doet nu mee in de moestuin en is een trede gestegen."
    assert _caseworker_step(login_as(alice), success, "voorleggen", text=new).status_code == 302
    refused = resident.post(
        reverse("programmes:my-success-agree", args=[success.pk]), {"mark": mark}, follow=True
    )
    assert "De tekst is net veranderd. Lees de nieuwe tekst en kies dan opnieuw." in refused.content.decode()
    success.refresh_from_db()
    assert (success.status, success.text) == ("voorgesteld", "")
    page = _page(resident)
    assert new in page and PROPOSED not in page
    assert _post(resident, success, "my-success-agree", mark=_mark(page)).status_code == 302
    success.refresh_from_db()
    assert (success.status, success.text) == ("akkoord_inwoner", new)


def test_a_certificate_is_in_mijn_meedoen_at_once_and_the_caseworkers_screens_say_so(rita, alice, login_as):
    resident = Resident.objects.get(user=rita.user)
    resident.caseworker_work = alice.user
    resident.save()
    caseworker = login_as(alice)
    form = caseworker.get(reverse("programmes:success-certificate")).content.decode()
    assert "De inwoner ziet het dan meteen in Mijn Meedoen." in form
    added = caseworker.post(
        reverse("programmes:success-certificate"),
        {"resident": str(resident.pk), "certificate": "VCA Basis", "happened_on": TODAY.isoformat()},
        follow=True,
    )
    detail = added.content.decode()
    first = "Een inwoner haalde het certificaat VCA Basis."
    assert "De inwoner ziet het nu in Mijn Meedoen, met de tekst hieronder." in detail
    assert "De inwoner ziet dit succes al in Mijn Meedoen, met deze tekst, en kan ja of nee zeggen" in detail
    assert "Dit is de eerste tekst van Meedoen." in detail and first in detail
    listed = caseworker.get(reverse("programmes:own-successes")).content.decode()
    assert "Voorgesteld: de inwoner ziet het in Mijn Meedoen, met de eerste tekst van Meedoen" in listed

    page = _page(login_as(rita))  # what the caseworker's screen says, before any Voorleggen
    assert first in page and "Ja, dit mag gedeeld worden" in page and "Nee, niet delen" in page


def test_a_text_put_to_the_resident_shows_on_the_caseworkers_screens_with_when(
    success, rita, alice, login_as
):
    caseworker = login_as(alice)
    new = "Een inwoner doet nu mee in de moestuin en is een trede gestegen."
    done = _caseworker_step(caseworker, success, "voorleggen", text=new)
    assert done.status_code == 302
    success.refresh_from_db()
    assert success.offered_at is not None and success.offered_by == alice.user
    day = timezone.localtime(success.offered_at).strftime("%d-%m-%Y %H:%M")
    detail = caseworker.get(done["Location"]).content.decode()
    assert f"Voorgesteld: voorgelegd in Mijn Meedoen op {day}, wacht op het antwoord van de inwoner" in detail
    assert f"Voorgelegd door {alice.user.get_full_name() or alice.user.username} op {day}." in detail
    assert new in detail and "Dit is de eerste tekst van Meedoen." not in detail
    listed = caseworker.get(reverse("programmes:own-successes")).content.decode()
    assert f"voorgelegd in Mijn Meedoen op {day}" in listed
    assert new in _page(login_as(rita))


def test_the_resident_refuses_and_it_is_not_shared_nor_proposed_again(
    apeldoorn, success, rita, alice, login_as
):
    resident = login_as(rita)
    assert _post(resident, success, "my-success-refuse").status_code == 302
    success.refresh_from_db()
    assert (success.status, success.resident_answer) == ("afgewezen", "niet_delen")
    page = _page(resident)
    assert "Dit succes wordt niet gedeeld." in page and "Ja, dit mag gedeeld worden" not in page
    assert do_propose_nightly(apeldoorn.pk) == []
    caseworker = login_as(alice)
    refused = _caseworker_step(caseworker, success, "akkoord", text=PROPOSED, resident_agreed="on")
    assert refused.status_code == 400  # the caseworker cannot approve what the resident refused
    assert PROPOSED not in _shared(caseworker)
    # the answer is at the resident's own choice: refusing again changes nothing
    again = resident.post(reverse("programmes:my-success-refuse", args=[success.pk]), follow=True)
    assert "Dit succes wordt al niet gedeeld." in again.content.decode()


def test_the_resident_stops_a_shared_success(success, rita, alice, login_as):
    resident = login_as(rita)
    _post(resident, success, "my-success-agree", mark=_mark(_page(resident)))
    caseworker = login_as(alice)
    _caseworker_step(caseworker, success, "delen", text=PROPOSED)
    assert PROPOSED in _shared(caseworker)
    assert "Niet meer delen" in _page(resident)
    assert _post(resident, success, "my-success-refuse").status_code == 302
    success.refresh_from_db()
    assert success.status == "teruggenomen" and success.taken_down_at is not None
    assert PROPOSED not in _shared(caseworker)
    assert "Dit succes wordt niet meer gedeeld." in _page(resident)


def test_other_words_go_back_to_the_caseworker_and_only_the_approved_text_is_shared(
    success, rita, alice, login_as
):
    resident = login_as(rita)
    empty = _post(resident, success, "my-success-words", words="  ")
    assert empty.status_code == 400
    assert "Schrijf de woorden die u wilt." in empty.content.decode()
    assert Success.objects.get(pk=success.pk).resident_words == ""

    assert _post(resident, success, "my-success-words", words=WORDS).status_code == 302
    success.refresh_from_db()
    assert (success.status, success.resident_answer, success.resident_words) == (
        "voorgesteld", "andere_woorden", WORDS,
    )  # fmt: skip
    page = _page(resident)
    assert "U stelde andere woorden voor:" in page and WORDS in page
    assert "Uw woorden zijn naar uw klantmanager of consulent gestuurd." in page
    # no Ja on the old text, as if nothing happened: the resident waits for the caseworker's new text
    assert "Ja, dit mag gedeeld worden" not in page and PROPOSED not in page
    old = resident.post(
        reverse("programmes:my-success-agree", args=[success.pk]),
        {"mark": successes.text_mark(PROPOSED)},
        follow=True,
    )
    assert "Wacht op de nieuwe tekst van uw klantmanager of consulent." in old.content.decode()
    assert Success.objects.get(pk=success.pk).status == "voorgesteld"

    caseworker = login_as(alice)
    listed = caseworker.get(reverse("programmes:own-successes")).content.decode()
    assert "de inwoner stelde andere woorden voor" in listed
    detail = caseworker.get(reverse("programmes:success", args=[success.pk])).content.decode()
    assert (
        "De woorden van de inwoner" in detail and "Door de inwoner zelf geschreven in Mijn Meedoen" in detail
    )
    assert f"{WORDS}</textarea>" in detail  # the caseworker writes on from the resident's words
    refused = _caseworker_step(caseworker, success, "delen", text=WORDS)  # not approved word for word
    assert refused.status_code == 400 and WORDS not in _shared(caseworker)

    adjusted = WORDS + " Ik ben er trots op."
    assert _caseworker_step(caseworker, success, "voorleggen", text=adjusted).status_code == 302
    page = _page(resident)
    assert adjusted in page and "U stelde andere woorden voor:" not in page
    _post(resident, success, "my-success-agree", mark=_mark(page))
    success.refresh_from_db()
    assert (success.status, success.text) == ("akkoord_inwoner", adjusted)
    assert _caseworker_step(caseworker, success, "delen", text=adjusted).status_code == 302
    shared = _shared(caseworker)
    assert adjusted in shared and PROPOSED not in shared


def test_other_words_for_an_approved_or_shared_text_take_it_off_until_a_new_approval(
    success, rita, alice, login_as
):
    resident = login_as(rita)
    _post(resident, success, "my-success-agree", mark=_mark(_page(resident)))
    caseworker = login_as(alice)
    _caseworker_step(caseworker, success, "delen", text=PROPOSED)
    assert PROPOSED in _shared(caseworker)
    assert _post(resident, success, "my-success-words", words=WORDS).status_code == 302
    success.refresh_from_db()
    assert (success.status, success.text, success.consent_recorded_at, success.published_at) == (
        "voorgesteld", "", None, None,
    )  # fmt: skip
    assert PROPOSED not in _shared(caseworker) and WORDS not in _shared(caseworker)


def test_another_residents_success_is_404_and_staff_get_403(apeldoorn, success, rita, alice, login_as):
    other = ResidentFactory(municipality=apeldoorn, work=True, caseworker_work=alice.user, given_names="Olga")
    score(other, 1, TODAY - dt.timedelta(days=90), alice.user)
    score(other, 3, TODAY - dt.timedelta(days=10), alice.user)
    (hers,) = do_propose_nightly(apeldoorn.pk)
    resident = login_as(rita)
    assert "van trede 1 naar 3" not in _page(resident)  # only her own on her page
    before = ProcessingLogSubject.objects.filter(resident_id=other.pk).count()
    for name, data in (
        ("my-success-agree", {"mark": "0" * 32}),
        ("my-success-refuse", {}),
        ("my-success-words", {"words": "Overschreven"}),
    ):
        assert _post(resident, hers, name, **data).status_code == 404, name
    hers.refresh_from_db()
    assert (hers.status, hers.text, hers.resident_words, hers.resident_answer) == ("voorgesteld", "", "", "")
    assert ProcessingLogSubject.objects.filter(resident_id=other.pk).count() == before  # nothing read of her

    staff = login_as(alice)
    assert staff.get(MINE).status_code == 403
    assert _post(staff, success, "my-success-agree", mark=_mark(_page(resident))).status_code == 403
    assert Success.objects.get(pk=success.pk).status == "voorgesteld"


def test_every_look_and_every_answer_is_in_the_processing_log(success, rita, login_as):
    resident = login_as(rita)
    entries = ProcessingLogEntry.objects.filter(subjects__resident_id=success.resident_id, actor=rita.user)

    def written(endpoint: str, action: str) -> int:
        return entries.filter(endpoint=endpoint, action=action, purpose=Purpose.OWN_FILE).count()

    page = _page(resident)
    assert written("programmes:my-successes", "view") == 1
    steps = [
        ("my-success-agree", {"mark": _mark(page)}),
        ("my-success-words", {"words": WORDS}),
        ("my-success-refuse", {}),
    ]
    for name, data in steps:
        assert _post(resident, success, name, **data).status_code == 302, name
        assert written(f"programmes:{name}", "update") == 1, name


def test_the_resident_sees_the_nightly_job_in_who_looked_as_meedoen(success, rita, login_as):
    page = login_as(rita).get(reverse("portal:looked")).content.decode()
    assert "Successen zoeken in de gegevens (elke nacht)" in page
    assert 'utrecht-table__cell">Meedoen</td>' in page  # no person: Meedoen itself
