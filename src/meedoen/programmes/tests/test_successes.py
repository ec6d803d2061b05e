"""Successes ("samen successen vieren"): proposed from the data for the caseworker's own caseload, written
with the resident, shared only with the resident's recorded approval, on a page for both domains' teams, the
programme manager and the providers: the approved text, the kind and the month, no name, no link. Another
caseload's success is 404, a role without the capability 403."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from meedoen.accounts.policies import Role
from meedoen.accounts.tests.factories import MembershipFactory
from meedoen.audit.models import ProcessingLogEntry, ProcessingLogSubject
from meedoen.programmes.models import Success
from meedoen.programmes.tests.helpers import route, score, step
from meedoen.residents.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
TEXT = "Ik werk nu drie dagen bij de kringloop en krijg er loon voor. Daar ben ik trots op."


def _propose(client):
    return client.post(reverse("programmes:success-propose"))


def _step(client, success, stap, **data):
    return client.post(reverse("programmes:success", args=[success.pk]), {"stap": stap, **data})


def _shared(client) -> str:
    response = client.get(reverse("programmes:successes"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def climber(apeldoorn, alice):
    """Ruud, of alice's caseload: rung 2, then 3 a month ago; and into paid work two weeks ago."""
    ruud = ResidentFactory(
        municipality=apeldoorn, work=True, caseworker_work=alice.user, given_names="Ruud", family_name="Kroes"
    )
    score(ruud, 2, TODAY - dt.timedelta(days=200), alice.user)
    score(ruud, 3, TODAY - dt.timedelta(days=30), alice.user)
    route(ruud, alice.user, TODAY - dt.timedelta(days=300), [("betaald_werk", TODAY - dt.timedelta(days=14))])
    return ruud


def test_successes_are_proposed_from_a_rung_climbed_and_a_first_paid_step_once(
    apeldoorn, alice, climber, login_as
):
    other = ResidentFactory(municipality=apeldoorn, work=True, given_names="Olga")  # not alice's caseload
    score(other, 1, TODAY - dt.timedelta(days=90), alice.user)
    score(other, 4, TODAY - dt.timedelta(days=10), alice.user)
    lower = ResidentFactory(municipality=apeldoorn, work=True, caseworker_work=alice.user)
    score(lower, 4, TODAY - dt.timedelta(days=90), alice.user)
    score(lower, 3, TODAY - dt.timedelta(days=10), alice.user)  # a rung down is no success
    client = login_as(alice)

    response = _propose(client)
    assert response.status_code == 302
    found = Success.objects.filter(resident=climber)
    assert sorted(found.values_list("kind", "happened_on", "status")) == [
        ("eerste_betaalde_maand", TODAY - dt.timedelta(days=14), "voorgesteld"),
        ("trede_omhoog", TODAY - dt.timedelta(days=30), "voorgesteld"),
    ]
    assert found.get(kind="trede_omhoog").rung_from == 2
    assert Success.objects.count() == 2  # nothing for Olga (another caseload) nor for the rung down
    page = client.get(reverse("programmes:own-successes")).content.decode()
    assert "Er zijn 2 nieuwe successen gevonden." in page
    assert "Kroes, Ruud" in page and "Van trede 2 naar trede 3" in page

    again = client.post(reverse("programmes:success-propose"), follow=True).content.decode()
    assert "Er zijn geen nieuwe successen gevonden." in again
    assert Success.objects.count() == 2

    # a second paid step later (after a step back) is not a first paid month again
    made = climber.routes.get()
    step(made, "werken_met_ondersteuning", TODAY - dt.timedelta(days=7), alice.user, is_back=True)
    step(made, "betaald_werk", TODAY - dt.timedelta(days=2), alice.user)
    _propose(client)
    assert Success.objects.filter(kind="eerste_betaalde_maand").count() == 1


def test_a_rejected_proposal_is_not_proposed_again(alice, climber, login_as):
    client = login_as(alice)
    _propose(client)
    rung = Success.objects.get(kind="trede_omhoog")
    assert _step(client, rung, "afwijzen").status_code == 302
    _propose(client)
    assert Success.objects.get(kind="trede_omhoog").status == "afgewezen"
    assert Success.objects.count() == 2


def test_sharing_needs_the_residents_recorded_approval_of_the_text(alice, climber, login_as):
    client = login_as(alice)
    _propose(client)
    success = Success.objects.get(kind="eerste_betaalde_maand")
    page = client.get(reverse("programmes:success", args=[success.pk])).content.decode()
    assert "Een inwoner heeft de eerste maand betaald werk." in page  # a first text to write on

    refused = _step(client, success, "delen", text=TEXT)
    assert "Deel een succes pas als de inwoner de tekst heeft goedgekeurd." in refused.content.decode()
    no_tick = _step(client, success, "akkoord", text=TEXT)
    assert "Vink aan dat de inwoner deze tekst goedvindt." in no_tick.content.decode()
    success.refresh_from_db()
    assert (success.status, success.text, success.consent_recorded_at) == ("voorgesteld", "", None)
    assert TEXT not in _shared(client)

    assert _step(client, success, "akkoord", text=TEXT, resident_agreed="on").status_code == 302
    success.refresh_from_db()
    assert (success.status, success.text, success.consent_recorded_by) == (
        "akkoord_inwoner",
        TEXT,
        alice.user,
    )
    assert TEXT not in _shared(client)  # approved, not shared yet

    changed = _step(client, success, "delen", text=TEXT + " Nieuw.")  # not the approved words
    assert "Leg eerst opnieuw het akkoord van de inwoner vast" in changed.content.decode()
    assert Success.objects.get(pk=success.pk).status == "akkoord_inwoner"
    assert _step(client, success, "delen", text=TEXT).status_code == 302
    success.refresh_from_db()
    assert success.status == "gepubliceerd" and success.published_at is not None
    assert TEXT in _shared(client)
    logged = ProcessingLogEntry.objects.filter(actor=alice.user, action="update")
    assert logged.count() == 2 and all(
        list(e.subjects.values_list("resident_id", flat=True)) == [climber.pk] for e in logged
    )


def test_the_shared_page_shows_only_shared_texts_with_kind_and_month_and_no_name(
    apeldoorn, alice, wendy, pim, paula, groene_schakel, climber, login_as
):
    _propose(login_as(alice))
    shared, approved = Success.objects.order_by("kind")
    now = timezone.now()
    Success.objects.filter(pk=shared.pk).update(
        status="gepubliceerd", text=TEXT, consent_recorded_by=alice.user, consent_recorded_at=now,
        published_at=now,
    )  # fmt: skip
    Success.objects.filter(pk=approved.pk).update(
        status="akkoord_inwoner",
        text="Nog niet gedeeld",
        consent_recorded_by=alice.user,
        consent_recorded_at=now,
    )
    for who in (alice, wendy, pim, paula):
        page = _shared(login_as(who))
        assert TEXT in page and "Eerste betaalde maand" in page, who.role
        assert shared.happened_on.strftime("%Y") in page
        assert "Nog niet gedeeld" not in page
        assert "Kroes" not in page and "Ruud" not in page and f"/inwoners/{climber.pk}" not in page
    # the text is about a resident: every look at the page is in the processing log
    assert ProcessingLogSubject.objects.filter(resident_id=climber.pk, entry__actor=paula.user).exists()


def test_a_caseworker_takes_a_shared_success_down_when_the_resident_withdraws(alice, climber, login_as):
    client = login_as(alice)
    _propose(client)
    success = Success.objects.get(kind="eerste_betaalde_maand")
    _step(client, success, "akkoord", text=TEXT, resident_agreed="on")
    _step(client, success, "delen", text=TEXT)
    assert TEXT in _shared(client)
    page = client.get(reverse("programmes:success", args=[success.pk])).content.decode()
    assert "Gedeelde tekst" in page and TEXT in page and "Niet meer delen" in page
    assert _step(client, success, "terugnemen").status_code == 302
    page = client.get(reverse("programmes:success", args=[success.pk])).content.decode()
    assert "Teruggenomen" in page
    success.refresh_from_db()
    assert success.status == "teruggenomen" and success.taken_down_at is not None
    assert TEXT not in _shared(client)
    again = _step(client, success, "delen", text=TEXT)  # it does not come back without a new approval
    assert again.status_code == 400
    assert Success.objects.get(pk=success.pk).status == "teruggenomen"


def test_another_caseload_another_municipality_and_other_roles_cannot_reach_a_success(
    apeldoorn, alice, charlie, pim, paula, groene_schakel, climber, login_as
):
    _propose(login_as(alice))
    success = Success.objects.get(kind="eerste_betaalde_maand")
    url = reverse("programmes:success", args=[success.pk])
    bob = MembershipFactory(
        municipality=apeldoorn, role=Role.CASEWORKER_WORK
    )  # same domain, not his caseload
    before = ProcessingLogSubject.objects.count()
    for who, status in ((bob, 404), (charlie, 404), (pim, 403), (paula, 403)):
        client = login_as(who)
        assert client.get(url).status_code == status, who.role
        post = client.post(url, {"stap": "akkoord", "text": "Overschreven", "resident_agreed": "on"})
        assert post.status_code == status, who.role
    assert ProcessingLogSubject.objects.count() == before
    success.refresh_from_db()
    assert (success.status, success.text) == ("voorgesteld", "")

    # bob's proposals and his certificate form do not reach alice's resident
    bob_client = login_as(bob)
    _propose(bob_client)
    assert Success.objects.count() == 2
    form = bob_client.get(reverse("programmes:success-certificate")).content.decode()
    assert "Kroes" not in form
    refused = bob_client.post(
        reverse("programmes:success-certificate"),
        {"resident": str(climber.pk), "certificate": "Heftruck", "happened_on": TODAY.isoformat()},
    )
    assert refused.status_code == 200 and "Heftruck" not in str(Success.objects.values_list("certificate"))


def test_a_caseworker_adds_a_certificate_by_hand(alice, climber, login_as):
    client = login_as(alice)
    url = reverse("programmes:success-certificate")
    assert "Kroes, Ruud" in client.get(url).content.decode()
    future = client.post(
        url,
        {"resident": str(climber.pk), "certificate": "Heftruckcertificaat", "happened_on": "2999-01-01"},
    )
    assert "Deze datum ligt in de toekomst." in future.content.decode()
    assert not Success.objects.exists()
    response = client.post(
        url,
        {"resident": str(climber.pk), "certificate": "Heftruckcertificaat", "happened_on": TODAY.isoformat()},
    )
    success = Success.objects.get()
    assert response["Location"] == reverse("programmes:success", args=[success.pk])
    assert (success.kind, success.source, success.status) == ("certificaat", "handmatig", "voorgesteld")
    page = client.get(response["Location"]).content.decode()
    assert "Een inwoner haalde het certificaat Heftruckcertificaat." in page


def test_a_certificate_is_named_once_not_with_its_kind_twice(alice, climber, login_as):
    client = login_as(alice)
    client.post(
        reverse("programmes:success-certificate"),
        {"resident": str(climber.pk), "certificate": "VCA Basis", "happened_on": TODAY.isoformat()},
    )
    _propose(client)
    certificate = Success.objects.get(kind="certificaat")
    for url in (reverse("programmes:success", args=[certificate.pk]), reverse("programmes:own-successes")):
        page = client.get(url).content.decode()
        assert "Certificaat: VCA Basis" in page, url
        assert "Certificaat: Certificaat" not in page, url
        assert "Trede omhoog: Van trede 2 naar trede 3" in page or url != reverse("programmes:own-successes")


def test_the_text_is_asked_for_as_required_and_rejecting_needs_none(alice, climber, login_as):
    client = login_as(alice)
    _propose(client)
    rung = Success.objects.get(kind="trede_omhoog")
    page = client.get(reverse("programmes:success", args=[rung.pk])).content.decode()
    label = page[page.index("Tekst om te delen") : page.index("</label>", page.index("Tekst om te delen"))]
    assert "niet verplicht" not in label
    start = page.index("De inwoner las deze tekst")
    assert "niet verplicht" not in page[start : page.index("</label>", start)]  # the approval is asked for
    refused = _step(client, rung, "akkoord", text="", resident_agreed="on")
    assert refused.status_code == 400
    assert "Schrijf samen met de inwoner een tekst." in refused.content.decode()
    assert _step(client, rung, "afwijzen", text="").status_code == 302
    assert Success.objects.get(pk=rung.pk).status == "afgewezen"


# ------------------------------------------------------------------------------------ the nightly job


def _nightly(*args: str) -> str:
    out = io.StringIO()
    call_command("rollup", *args, stdout=out)
    return out.getvalue()


def test_the_nightly_command_proposes_the_new_successes_once_and_only_in_their_own_municipality(
    apeldoorn, epe, alice, charlie, login_as
):
    climber = ResidentFactory(
        municipality=apeldoorn, work=True, caseworker_work=alice.user, given_names="Ruud", family_name="Kroes"
    )
    score(climber, 2, TODAY - dt.timedelta(days=200), alice.user)
    score(climber, 3, TODAY - dt.timedelta(days=30), alice.user)
    nobody = ResidentFactory(municipality=apeldoorn, work=True)  # no caseworker: nobody to celebrate with
    score(nobody, 1, TODAY - dt.timedelta(days=90), alice.user)
    score(nobody, 4, TODAY - dt.timedelta(days=10), alice.user)
    in_epe = ResidentFactory(municipality=epe, work=True, caseworker_work=charlie.user)
    score(in_epe, 1, TODAY - dt.timedelta(days=90), charlie.user)
    score(in_epe, 2, TODAY - dt.timedelta(days=10), charlie.user)

    first = _nightly("--municipality", "apeldoorn")
    again = _nightly("--municipality", "apeldoorn")
    assert "apeldoorn: 1 new successes proposed" in first
    assert "apeldoorn: 0 new successes proposed" in again
    success = Success.objects.get()  # one proposal, for Ruud; nothing for Epe nor for the one without help
    assert (success.resident, success.kind, success.status) == (climber, "trede_omhoog", "voorgesteld")
    assert (success.rung_from, success.rung_to, success.proposed_by) == (2, 3, None)
    page = login_as(alice).get(reverse("programmes:own-successes")).content.decode()
    assert "Kroes, Ruud" in page and "Van trede 2 naar trede 3" in page

    # no person did it: one processing-log row without an actor, naming only Ruud
    logged = ProcessingLogEntry.objects.filter(endpoint="task:propose-successes")
    assert logged.count() == 1
    entry = logged.get()
    assert (entry.actor, entry.actor_role, entry.action, entry.purpose) == (None, "", "create", "begeleiding")
    assert list(entry.subjects.values_list("resident_id", flat=True)) == [climber.pk]
    assert entry.municipality == apeldoorn

    # every municipality, when none is named: Epe's own, and still nothing twice in Apeldoorn
    everywhere = _nightly()
    assert (
        "apeldoorn: 0 new successes proposed" in everywhere and "epe: 1 new successes proposed" in everywhere
    )
    assert Success.objects.get(municipality=epe).resident == in_epe
    assert Success.objects.filter(municipality=apeldoorn).count() == 1
    assert not Success.objects.filter(resident=nobody).exists()


def test_the_nightly_job_and_the_button_do_not_propose_the_same_event_twice(
    apeldoorn, alice, climber, login_as
):
    _propose(login_as(alice))  # the button first
    assert Success.objects.count() == 2
    assert "apeldoorn: 0 new successes proposed" in _nightly("--municipality", "apeldoorn")
    assert Success.objects.count() == 2
    assert "successes" not in _nightly("--municipality", "apeldoorn", "--no-successes")


def test_the_background_task_proposes_as_the_command_does(apeldoorn, climber):
    from meedoen.programmes import tasks

    tasks.propose_successes.enqueue(str(apeldoorn.pk))  # the test settings run tasks at once
    assert sorted(Success.objects.values_list("kind", flat=True)) == ["eerste_betaalde_maand", "trede_omhoog"]
    assert ProcessingLogEntry.objects.filter(endpoint="task:propose-successes", actor=None).count() == 1
