"""The screens of the catalogue, the provider portal and proposals, as the users click through them."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from meedoen.accounts.models import Membership
from meedoen.accounts.policies import Role
from meedoen.accounts.tests.factories import MembershipFactory
from meedoen.audit.models import ProcessingLogEntry
from meedoen.catalogue import actions
from meedoen.catalogue.models import Placement, PlacementChange, Proposal, ProviderStaff, Seat
from meedoen.catalogue.tests.conftest import act
from meedoen.catalogue.tests.factories import ContractFactory, PlacementFactory
from meedoen.residents.models import Consent, TimelineEvent

pytestmark = pytest.mark.django_db
DUTCH_MONTHS = [
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
]  # fmt: skip

PLACEMENT_FORM = {
    "title": "Fietsenwerkplaats Zuid",
    "description": "Fietsen nakijken en repareren, samen met een vakman.",
    "kind": "activerend_werk",
    "street": "Sluisoord 12",
    "postcode": "7324AB",
    "city": "Apeldoorn",
    "latitude": "52.20100",
    "longitude": "5.98000",
    "capacity": "4",
    "days": ["ma", "wo"],
    "start_time": "09:00",
    "end_time": "15:00",
    "workload": "midden",
    "funding": "participatiewet",
    "price": "95.00",
    "tags": ["fietsen", "techniek"],
    "is_open": "on",
}


def test_a_provider_adds_a_placement_and_sees_field_errors_in_dutch(paula, groene_schakel, login_as):
    client = login_as(paula)
    hours = client.post(reverse("catalogue:placement-new"), PLACEMENT_FORM | {"end_time": "08:00"})
    assert "De eindtijd moet na de begintijd liggen." in hours.content.decode()  # the action's rule
    seats = client.post(reverse("catalogue:placement-new"), PLACEMENT_FORM | {"capacity": "0"})
    assert "Een plek heeft minstens 1 plaats." in seats.content.decode()
    assert not Placement.objects.exists()

    created = client.post(reverse("catalogue:placement-new"), PLACEMENT_FORM)
    placement = Placement.objects.get()
    assert created.status_code == 302
    assert (placement.hours_per_week, placement.tags, placement.version) == (12.0, ["fietsen", "techniek"], 1)
    shown = client.get(reverse("catalogue:placement", args=[placement.pk])).content.decode()
    assert "Fietsenwerkplaats Zuid" in shown
    assert "maandag, woensdag" in shown


def test_changing_a_placement_keeps_who_changed_what(paula, groene_schakel, login_as):
    client = login_as(paula)
    client.post(reverse("catalogue:placement-new"), PLACEMENT_FORM)
    placement = Placement.objects.get()
    client.post(
        reverse("catalogue:placement-edit", args=[placement.pk]),
        PLACEMENT_FORM | {"capacity": "6", "version": "1"},
    )
    change = PlacementChange.objects.get(placement=placement, version=2)
    assert change.changes == {"capacity": [4, 6]}
    assert change.changed_by == paula.user
    stale = client.post(
        reverse("catalogue:placement-edit", args=[placement.pk]),
        PLACEMENT_FORM | {"capacity": "2", "version": "1"},
    )
    assert "Iemand anders heeft" in stale.content.decode()
    assert Placement.objects.get().capacity == 6


def test_an_unknown_tag_is_a_field_error(paula, groene_schakel, login_as):
    response = login_as(paula).post(
        reverse("catalogue:placement-new"), PLACEMENT_FORM | {"tags": ["raketten"]}
    )
    assert "raketten" in response.content.decode()
    assert not Placement.objects.exists()


def test_the_catalogue_filters_and_measures_distance_from_the_residents_district(
    alice, ruben, moestuin, apeldoorn, login_as
):
    from meedoen.municipalities.models import District

    ruben.district = District.objects.get(municipality=apeldoorn, name="De Maten")
    ruben.save()
    PlacementFactory(provider=moestuin.provider, title="Kantoor in Deventer", latitude=52.25, longitude=6.16)
    not_contracted = PlacementFactory(title="Plek zonder contract")
    client = login_as(alice)
    page = client.get(reverse("catalogue:catalogue"), {"inwoner": ruben.pk}).content.decode()
    assert page.index("Moestuin De Maten") < page.index("Kantoor in Deventer")
    assert " km" in page
    assert not_contracted.title not in page
    near = client.get(reverse("catalogue:catalogue"), {"inwoner": ruben.pk, "km": "5"}).content.decode()
    assert "Moestuin De Maten" in near and "Kantoor in Deventer" not in near
    groen = client.get(reverse("catalogue:catalogue"), {"interesse": "groen"}).content.decode()
    assert "Moestuin De Maten" in groen and "Kantoor in Deventer" not in groen


def test_proposal_decline_forward_accept_attendance_end_through_the_screens(
    alice, paula, ruben, moestuin, login_as
):
    other = PlacementFactory(provider=moestuin.provider, title="Kringloop Centrum")
    caseworker, provider = login_as(alice), login_as(paula)
    today = timezone.localdate()

    caseworker.post(
        reverse("catalogue:propose", args=[ruben.pk, moestuin.pk]),
        {"start_date": today.isoformat(), "hours_per_week": "12", "note": "Wil graag buiten werken."},
    )
    proposal = Proposal.objects.get()
    portal = provider.get(reverse("catalogue:portal")).content.decode()
    assert "Ruben Jansen" in portal
    seen = provider.get(reverse("catalogue:portal-proposal", args=[proposal.pk])).content.decode()
    assert "06-12345678" in seen and ruben.bsn not in seen and "Wil graag buiten werken." in seen

    no_reason = provider.post(reverse("catalogue:portal-proposal-decline", args=[proposal.pk]), {})
    assert "Kies een reden." in no_reason.content.decode()
    provider.post(reverse("catalogue:portal-proposal-decline", args=[proposal.pk]), {"reason": "vol"})
    fragment = caseworker.get(
        reverse("catalogue:resident-placements", args=[ruben.pk]), HTTP_HX_REQUEST="true"
    )
    assert "Afgewezen: vol" in fragment.content.decode()

    caseworker.post(
        reverse("catalogue:forward", args=[ruben.pk, proposal.pk]),
        {"placement": str(other.pk), "start_date": today.isoformat(), "note": ""},
    )
    forwarded = Proposal.objects.get(previous=proposal)
    accepted = provider.post(reverse("catalogue:portal-proposal-accept", args=[forwarded.pk]))
    seat = Seat.objects.get()
    assert accepted.url == reverse("catalogue:portal-seat", args=[seat.pk]) + "#inhoud"

    provider.post(
        reverse("catalogue:portal-seat-attendance", args=[seat.pk]),
        {
            "aanwezigheid-week": today.isoformat(),
            "aanwezigheid-days_present": "2",
            "aanwezigheid-hours_present": "8",
        },
    )
    provider.post(
        reverse("catalogue:portal-seat-report", args=[seat.pk]),
        {
            "verslag-month": today.isoformat(),
            "verslag-went_well": "Werkt zorgvuldig.",
            "verslag-next_steps": "Een dag erbij.",
            "verslag-suggested_rung": "4",
        },
    )
    provider.post(
        reverse("catalogue:portal-seat-end", args=[seat.pk]),
        {"einde-ended_on": today.isoformat(), "einde-reason": "Gaat verhuizen."},
    )
    assert Seat.objects.get().ended_on == today

    file_page = caseworker.get(reverse("residents:detail", args=[ruben.pk])).content.decode()
    assert "Werkt zorgvuldig." in file_page
    assert "Aanwezigheid week van" in file_page
    assert TimelineEvent.objects.filter(resident=ruben, kind="plaatsing").count() == 7
    home = caseworker.get(reverse("web:home")).content.decode()
    assert "Voorstel geaccepteerd" in home


def test_a_provider_cannot_open_another_providers_proposal(
    alice, paula, ruben, apeldoorn, groene_schakel, login_as
):
    elsewhere = PlacementFactory(title="Bakkerij Bram")
    ContractFactory(provider=elsewhere.provider, municipality=apeldoorn)
    login_as(alice).post(
        reverse("catalogue:propose", args=[ruben.pk, elsewhere.pk]),
        {"start_date": timezone.localdate().isoformat(), "hours_per_week": "8"},
    )
    proposal = Proposal.objects.get()
    client = login_as(paula)
    assert client.get(reverse("catalogue:portal-proposal", args=[proposal.pk])).status_code == 404
    assert client.post(reverse("catalogue:portal-proposal-accept", args=[proposal.pk])).status_code == 404
    assert "Ruben" not in client.get(reverse("catalogue:portal")).content.decode()
    assert Proposal.objects.get().status == Proposal.Status.SENT


def test_a_care_consultant_does_not_see_work_proposals_without_consent(
    alice, wendy, paula, ruben, moestuin, login_as
):
    from meedoen.residents.tests.factories import LegalBasisFactory

    LegalBasisFactory(resident=ruben, domain="wmo", kind="wmo_begeleiding")
    login_as(alice).post(
        reverse("catalogue:propose", args=[ruben.pk, moestuin.pk]),
        {"start_date": timezone.localdate().isoformat(), "hours_per_week": "8"},
    )
    fragment = login_as(wendy).get(
        reverse("catalogue:resident-placements", args=[ruben.pk]), HTTP_HX_REQUEST="true"
    )
    assert fragment.status_code == 200
    assert "Moestuin De Maten" not in fragment.content.decode()

    # Nor can she act on it by its address: forward, withdraw, or end its seat.
    proposal = Proposal.objects.get()
    care = login_as(wendy)
    forward = reverse("catalogue:forward", args=[ruben.pk, proposal.pk])
    logged = ProcessingLogEntry.objects.filter(actor=wendy.user).count()
    assert care.get(forward).status_code == 404
    assert ProcessingLogEntry.objects.filter(actor=wendy.user).count() == logged  # refused: nothing was read
    assert care.post(reverse("catalogue:withdraw", args=[ruben.pk, proposal.pk])).status_code == 404
    assert Proposal.objects.get().status == Proposal.Status.SENT
    seat = actions.do_accept_proposal(proposal, actor=act(paula))
    end = reverse("catalogue:end-seat", args=[ruben.pk, seat.pk])
    assert care.post(end, {"ended_on": timezone.localdate().isoformat(), "reason": "x"}).status_code == 404
    assert Seat.objects.get().ended_on is None
    # With the resident's consent she sees the work domain's placement and may end it.
    Consent.objects.create(
        resident=ruben, shared_domain="participatiewet", given_on=timezone.localdate(), recorded_by=alice.user
    )
    assert care.get(end).status_code == 200
    assert (
        care.post(end, {"ended_on": timezone.localdate().isoformat(), "reason": "Verhuisd"}).status_code
        == 302
    )
    assert Seat.objects.get().ended_on == timezone.localdate()


def test_an_admin_adds_a_provider_with_a_contract_and_a_login(ada, apeldoorn, login_as):
    client = login_as(ada)
    wrong = client.post(
        reverse("catalogue:provider-new"),
        {
            "name": "Kringloop Apeldoorn",
            "kind": "lokaal",
            "contract_starts_on": "2026-03-01",
            "contract_ends_on": "2026-01-01",
        },
    )
    assert "Het contract kan niet eindigen voordat het begint." in wrong.content.decode()
    client.post(
        reverse("catalogue:provider-new"),
        {"name": "Kringloop Apeldoorn", "kind": "lokaal", "contract_starts_on": "2026-01-01"},
    )
    from meedoen.catalogue.models import Provider

    provider = Provider.objects.get()
    client.post(
        reverse("catalogue:provider-user", args=[provider.pk]),
        {
            "first_name": "Kees",
            "last_name": "Kringloop",
            "email": "kees@kringloop.example",
            "username": "kees",
            "password": "een-lang-wachtwoord",
        },
    )
    taken = client.post(
        reverse("catalogue:provider-user", args=[provider.pk]),
        {
            "first_name": "Kees",
            "last_name": "Tweede",
            "email": "kees2@kringloop.example",
            "username": "KEES",
            "password": "een-lang-wachtwoord",
        },
    )
    assert "Deze gebruikersnaam bestaat al. Kies een andere." in taken.content.decode()
    staff = ProviderStaff.objects.get(provider=provider)
    assert (staff.membership.role, staff.membership.municipality) == (Role.PROVIDER, apeldoorn)
    listing = client.get(reverse("catalogue:providers")).content.decode()
    assert "Kringloop Apeldoorn" in listing


def test_roles_without_the_catalogue_are_refused(fred, rita, login_as):
    for membership in (fred, rita):
        assert login_as(membership).get(reverse("catalogue:catalogue")).status_code == 403


def test_a_provider_user_without_a_provider_is_refused_the_portal(apeldoorn, login_as):
    stray: Membership = MembershipFactory(municipality=apeldoorn, role=Role.PROVIDER)
    assert login_as(stray).get(reverse("catalogue:portal")).status_code == 403


def test_occupancy_per_month_counts_seats(paula, moestuin, alice, ruben, login_as):
    today = timezone.localdate()

    def month(back: int) -> dt.date:  # the first day of the month ``back`` months before this one
        index = today.year * 12 + today.month - 1 - back
        return dt.date(index // 12, index % 12 + 1, 1)

    starts_on = month(4) + dt.timedelta(days=9)
    proposal = Proposal.objects.create(
        municipality=ruben.municipality,
        resident=ruben,
        placement=moestuin,
        domain="participatiewet",
        start_date=starts_on,
        hours_per_week=8,
        status=Proposal.Status.ACCEPTED,
        proposed_by=alice.user,
        proposed_at=timezone.now(),
    )
    Seat.objects.create(
        municipality=ruben.municipality,
        placement=moestuin,
        proposal=proposal,
        resident=ruben,
        number=1,
        starts_on=starts_on,
    )
    page = login_as(alice).get(reverse("catalogue:placement", args=[moestuin.pk])).content.decode()
    rows = dict(re.findall(r'scope="row">([a-z]+ \d{4})</th>\s*<td[^>]*>(\d+ / \d+)</td>', page))

    def label(day: dt.date) -> str:
        return f"{DUTCH_MONTHS[day.month - 1]} {day.year}"

    assert rows[label(today)] == "1 / 3"  # still in use
    assert rows[label(month(4))] == "1 / 3"  # from the tenth of its first month
    assert rows[label(month(5))] == "0 / 3"  # before it started
    assert list(rows.values()).count("1 / 3") == 5
    assert "Ruben" not in page


def test_every_screen_that_shows_a_resident_writes_the_processing_log(alice, ruben, moestuin, login_as):
    from meedoen.audit.models import ProcessingLogEntry

    client = login_as(alice)
    for url in (
        reverse("catalogue:catalogue") + f"?inwoner={ruben.pk}",
        reverse("catalogue:propose", args=[ruben.pk, moestuin.pk]),
        reverse("catalogue:resident-placements", args=[ruben.pk]),
    ):
        before = ProcessingLogEntry.objects.filter(subjects__resident_id=ruben.pk).count()
        assert client.get(url).status_code == 200
        entry = ProcessingLogEntry.objects.filter(subjects__resident_id=ruben.pk).latest("occurred_at")
        assert ProcessingLogEntry.objects.filter(subjects__resident_id=ruben.pk).count() == before + 1, url
        assert (entry.action, entry.purpose, entry.actor) == ("view", "plaatsing", alice.user)


def test_the_actions_themselves_refuse_a_proposal_of_a_domain_the_caseworker_does_not_see(
    alice, wendy, paula, ruben, moestuin
):
    from django.core.exceptions import PermissionDenied

    from meedoen.residents.tests.factories import LegalBasisFactory

    LegalBasisFactory(resident=ruben, domain="wmo", kind="wmo_begeleiding")
    proposal = actions.do_propose(
        ruben, moestuin, start_date=timezone.localdate(), hours_per_week=8, note="", actor=act(alice)
    )
    with pytest.raises(PermissionDenied):
        actions.do_withdraw_proposal(proposal, actor=act(wendy))
    seat = actions.do_accept_proposal(proposal, actor=act(paula))
    with pytest.raises(PermissionDenied):
        actions.do_end_seat(seat, ended_on=timezone.localdate(), reason="Verhuisd", actor=act(wendy))
    assert Seat.objects.get().ended_on is None
    assert Proposal.objects.get().status == Proposal.Status.ACCEPTED


def test_a_declined_proposal_is_offered_for_forwarding_only_until_it_has_been_forwarded(
    alice, paula, ruben, moestuin, login_as
):
    other = PlacementFactory(provider=moestuin.provider, title="Kringloop Centrum")
    today = timezone.localdate()
    proposal = actions.do_propose(
        ruben, moestuin, start_date=today, hours_per_week=8, note="", actor=act(alice)
    )
    actions.do_decline_proposal(proposal, reason="vol", text="", actor=act(paula))
    caseworker = login_as(alice)
    placements = reverse("catalogue:resident-placements", args=[ruben.pk])
    forward = reverse("catalogue:forward", args=[ruben.pk, proposal.pk])

    def rows() -> dict[str, str]:  # each row of the table, by the placement it names
        page = caseworker.get(placements, HTTP_HX_REQUEST="true").content.decode()
        row = r'<tr class="utrecht-table__row">\s*<th[^>]*scope="row">([^<]+)<(.*?)</tr>'
        return dict(re.findall(row, page, re.S))

    declined = rows()["Moestuin De Maten"]
    assert "Afgewezen: vol" in declined
    assert declined.count(forward) == 1
    assert "Doorsturen naar andere plek" in declined

    forwarded = actions.do_forward_proposal(proposal, other, start_date=today, note="", actor=act(alice))
    shown = rows()
    assert shown["Moestuin De Maten"].count(forward) == 0
    assert "Doorsturen naar andere plek" not in shown["Moestuin De Maten"]
    assert "Afgewezen: vol" in shown["Moestuin De Maten"]
    new = shown["Kringloop Centrum"]
    assert forwarded.status == Proposal.Status.SENT
    assert "Wacht op antwoord" in new and "doorgestuurd na een afwijzing" in new
    assert "Intrekken" in new
    assert reverse("catalogue:withdraw", args=[ruben.pk, forwarded.pk]) in new
    assert "Doorsturen naar andere plek" not in new
