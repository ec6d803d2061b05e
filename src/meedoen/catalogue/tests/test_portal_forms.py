"""Each form of the provider portal's seat and proposal pages posts to its own view: posted with only its
required fields it does what it says and goes back with a message; wrong input shows the page again with
that one form's errors; a provider of another municipality gets 404, a role without the portal 403."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from meedoen.accounts.policies import Role
from meedoen.accounts.tests.factories import MembershipFactory
from meedoen.audit.endpoints import endpoint_label
from meedoen.audit.models import ProcessingLogEntry
from meedoen.catalogue.models import Attendance, ProgressReport, Proposal, ProviderStaff, Seat
from meedoen.catalogue.tests.factories import ContractFactory, ProposalFactory, SeatFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def seat(moestuin, ruben, alice, apeldoorn):
    return SeatFactory(
        proposal__placement=moestuin,
        proposal__municipality=apeldoorn,
        proposal__resident=ruben,
        proposal__proposed_by=alice.user,
        proposal__start_date=TODAY() - dt.timedelta(weeks=8),
    )


@pytest.fixture
def proposal(moestuin, ruben, alice, apeldoorn):
    return ProposalFactory(
        placement=moestuin, municipality=apeldoorn, resident=ruben, proposed_by=alice.user, start_date=TODAY()
    )


@pytest.fixture
def epe_provider(epe, groene_schakel):
    """Staff of the same provider, working for Epe: Apeldoorn's residents are not theirs to see."""
    ContractFactory(provider=groene_schakel, municipality=epe)
    membership = MembershipFactory(municipality=epe, role=Role.PROVIDER)
    ProviderStaff.objects.create(membership=membership, provider=groene_schakel)
    return membership


SEAT_FORMS = {
    "portal-seat-attendance": {
        "aanwezigheid-week": TODAY().isoformat(),
        "aanwezigheid-days_present": "2",
        "aanwezigheid-hours_present": "8",
    },
    "portal-seat-report": {
        "verslag-month": TODAY().isoformat(),
        "verslag-went_well": "Werkt zorgvuldig.",
        "verslag-next_steps": "Een dag erbij.",
    },
    "portal-seat-end": {"einde-ended_on": TODAY().isoformat(), "einde-reason": "Gaat verhuizen."},
}
PROPOSAL_FORMS = {"portal-proposal-accept": {}, "portal-proposal-decline": {"reason": "vol"}}


def _nothing_changed(seat: Seat | None = None, proposal: Proposal | None = None) -> None:
    assert not Attendance.objects.exists() and not ProgressReport.objects.exists()
    if seat is not None:
        seat.refresh_from_db()
        assert seat.ended_on is None
    if proposal is not None:
        proposal.refresh_from_db()
        assert proposal.status == Proposal.Status.SENT and not Seat.objects.filter(proposal=proposal).exists()


# ------------------------------------------------------------------------------------------- the seat page


def test_attendance_needs_only_the_week_days_and_hours(paula, seat, login_as):
    url = reverse("catalogue:portal-seat-attendance", args=[seat.pk])
    response = login_as(paula).post(url, SEAT_FORMS["portal-seat-attendance"], follow=True)
    assert response.redirect_chain == [(reverse("catalogue:portal-seat", args=[seat.pk]) + "#inhoud", 302)]
    assert "De aanwezigheid is opgeslagen." in response.content.decode()
    assert Attendance.objects.get(seat=seat).days_present == 2


def test_a_report_needs_only_the_month_and_two_texts(paula, seat, login_as):
    url = reverse("catalogue:portal-seat-report", args=[seat.pk])
    page = login_as(paula).post(url, SEAT_FORMS["portal-seat-report"], follow=True).content.decode()
    assert "Het verslag is opgeslagen." in page and "Werkt zorgvuldig." in page
    assert ProgressReport.objects.get(seat=seat).suggested_rung is None


def test_ending_needs_only_the_last_day_and_why(paula, seat, login_as):
    url = reverse("catalogue:portal-seat-end", args=[seat.pk])
    page = login_as(paula).post(url, SEAT_FORMS["portal-seat-end"], follow=True).content.decode()
    assert "De plaatsing is beëindigd. De plaats is weer vrij." in page
    seat.refresh_from_db()
    assert seat.ended_on == TODAY()


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("portal-seat-attendance", "Aanbieder: aanwezigheid"),
        ("portal-seat-report", "Aanbieder: verslag"),
        ("portal-seat-end", "Aanbieder: plaatsing beëindigen"),
    ],
)
def test_the_processing_log_names_each_form_in_words(paula, seat, login_as, name, label):
    login_as(paula).post(reverse(f"catalogue:{name}", args=[seat.pk]), SEAT_FORMS[name])
    written = ProcessingLogEntry.objects.filter(actor=paula.user, endpoint=f"catalogue:{name}")
    assert written.exists()
    assert endpoint_label(f"catalogue:{name}") == label


def test_a_report_without_texts_shows_the_whole_page_with_only_that_forms_errors(paula, seat, login_as):
    url = reverse("catalogue:portal-seat-report", args=[seat.pk])
    response = login_as(paula).post(url, {"verslag-month": TODAY().isoformat()})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Aanwezigheid per week" in page and "Plaatsing beëindigen" in page  # the whole page is there
    assert "Wat ging goed: Dit veld is vereist." in page
    # Only the posted form is bound: the other forms show no errors of their own.
    assert page.count('aria-invalid="true"') == 2  # went_well and next_steps
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize("name", sorted(SEAT_FORMS))
def test_the_seat_page_links_each_form_to_its_own_view_and_section(paula, seat, login_as, name):
    page = login_as(paula).get(reverse("catalogue:portal-seat", args=[seat.pk])).content.decode()
    anchor = {
        "portal-seat-attendance": "aanwezigheid",
        "portal-seat-report": "verslagen",
        "portal-seat-end": "einde",
    }
    assert f'action="{reverse(f"catalogue:{name}", args=[seat.pk])}#{anchor[name]}"' in page
    assert f'id="{anchor[name]}"' in page
    assert 'name="formulier"' not in page


@pytest.mark.parametrize("name", sorted(SEAT_FORMS))
def test_a_provider_of_another_municipality_gets_404_and_changes_nothing(epe_provider, seat, login_as, name):
    client = login_as(epe_provider)
    assert client.post(reverse(f"catalogue:{name}", args=[seat.pk]), SEAT_FORMS[name]).status_code == 404
    _nothing_changed(seat=seat)


@pytest.mark.parametrize("name", sorted(SEAT_FORMS))
def test_a_role_without_the_portal_gets_403(alice, charlie, seat, login_as, name):
    for member in (alice, charlie):  # a caseworker of the resident's municipality, and one of Epe
        assert (
            login_as(member).post(reverse(f"catalogue:{name}", args=[seat.pk]), SEAT_FORMS[name]).status_code
            == 403
        )
    _nothing_changed(seat=seat)


@pytest.mark.parametrize("name", [*sorted(SEAT_FORMS), "portal-seat"])
def test_the_seat_forms_take_only_a_post_and_the_page_only_a_get(paula, seat, login_as, name):
    client = login_as(paula)
    url = reverse(f"catalogue:{name}", args=[seat.pk])
    if name == "portal-seat":
        data = SEAT_FORMS["portal-seat-end"] | {"formulier": "einde"}  # the old way of posting the page
        assert client.post(url, data).status_code == 405
    else:
        assert client.get(url).status_code == 405
    _nothing_changed(seat=seat)


# --------------------------------------------------------------------------------------- the proposal page


def test_accepting_needs_nothing_but_the_button(paula, proposal, login_as):
    url = reverse("catalogue:portal-proposal-accept", args=[proposal.pk])
    response = login_as(paula).post(url, follow=True)
    seat = Seat.objects.get(proposal=proposal)
    assert response.redirect_chain == [(reverse("catalogue:portal-seat", args=[seat.pk]) + "#inhoud", 302)]
    assert "U heeft het voorstel geaccepteerd. Ruben Jansen krijgt plaats" in response.content.decode()


def test_declining_needs_only_a_reason(paula, proposal, login_as):
    url = reverse("catalogue:portal-proposal-decline", args=[proposal.pk])
    page = login_as(paula).post(url, {"reason": "vol"}, follow=True).content.decode()
    assert "U heeft het voorstel afgewezen." in page
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DECLINED


def test_declining_without_a_reason_shows_the_proposal_again_with_the_error(paula, proposal, login_as):
    url = reverse("catalogue:portal-proposal-decline", args=[proposal.pk])
    response = login_as(paula).post(url, {})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kies een reden." in page and "Voorstel accepteren" in page
    _nothing_changed(proposal=proposal)


@pytest.mark.parametrize("name", sorted(PROPOSAL_FORMS))
def test_the_proposal_page_links_each_form_to_its_own_view(paula, proposal, login_as, name):
    page = login_as(paula).get(reverse("catalogue:portal-proposal", args=[proposal.pk])).content.decode()
    assert f'action="{reverse(f"catalogue:{name}", args=[proposal.pk])}#' in page
    assert 'name="besluit"' not in page


@pytest.mark.parametrize("name", sorted(PROPOSAL_FORMS))
def test_a_provider_of_another_municipality_cannot_answer_the_proposal(
    epe_provider, proposal, login_as, name
):
    client = login_as(epe_provider)
    assert (
        client.post(reverse(f"catalogue:{name}", args=[proposal.pk]), PROPOSAL_FORMS[name]).status_code == 404
    )
    _nothing_changed(proposal=proposal)


@pytest.mark.parametrize("name", sorted(PROPOSAL_FORMS))
def test_a_role_without_the_portal_cannot_answer_the_proposal(alice, charlie, proposal, login_as, name):
    for member in (alice, charlie):
        url = reverse(f"catalogue:{name}", args=[proposal.pk])
        assert login_as(member).post(url, PROPOSAL_FORMS[name]).status_code == 403
    _nothing_changed(proposal=proposal)


@pytest.mark.parametrize("name", [*sorted(PROPOSAL_FORMS), "portal-proposal"])
def test_the_proposal_forms_take_only_a_post_and_the_page_only_a_get(paula, proposal, login_as, name):
    client = login_as(paula)
    url = reverse(f"catalogue:{name}", args=[proposal.pk])
    if name == "portal-proposal":
        assert client.post(url, {"besluit": "accepteren"}).status_code == 405  # the old way of posting
    else:
        assert client.get(url).status_code == 405
    _nothing_changed(proposal=proposal)
