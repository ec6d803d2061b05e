"""Nothing a logged-in user sees stays in a browser cache or a proxy: every response to a logged-in user
(pages, htmx partials, downloads, errors, the API) says ``Cache-Control: no-store``; static files do not.

The guard rail walks every URL pattern of the app, fills its ids with real objects of Apeldoorn (the demo
data, small), and asks each as every role of Apeldoorn: a new page cannot forget the header."""

import re
import uuid
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from meedoen.accounts.actions import do_issue_api_token
from meedoen.accounts.actor import Actor
from meedoen.accounts.models import Membership
from meedoen.accounts.policies import Role
from meedoen.accounts.tests.factories import MembershipFactory
from meedoen.budgets.models import BudgetYear, Commitment, FundingSource, Invoice, InvoiceLine, Project
from meedoen.budgets.tests.factories import BudgetYearFactory, CommitmentFactory, FundingSourceFactory
from meedoen.catalogue.models import Placement, Proposal, ProviderStaff, Seat
from meedoen.demo import generator
from meedoen.experiments.models import Experiment, Participant
from meedoen.language.actions import do_seed_glossary
from meedoen.language.models import Term
from meedoen.letters.models import Letter, LetterTemplate
from meedoen.matching.actions import do_start_allocation
from meedoen.matching.models import AllocationRun
from meedoen.programmes.actions import do_add_certificate, do_request_council_report
from meedoen.programmes.models import CouncilReport, Indicator, Success
from meedoen.programmes.selectors import last_quarter
from meedoen.residents.models import Consent, LegalBasis, PlanAction, Resident, TimelineEvent
from meedoen.routes.actions import do_request_reorientation
from meedoen.routes.models import ReorientationRequest, Route, Step

pytestmark = pytest.mark.django_db

PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def url_patterns(patterns: list | None = None, prefix: str = "") -> Iterator[str]:
    """Every route of the URLconf, as one string with its <converter:name> parameters."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            assert isinstance(pattern, URLPattern)
            yield prefix + str(pattern.pattern)


def no_store(response) -> bool:
    return "no-store" in [part.strip() for part in response.get("Cache-Control", "").split(",")]


def first_id(queryset) -> uuid.UUID:
    """The id of the first row, or an unknown id (the page then answers 404, which must say no-store too)."""
    found = queryset.values_list("pk", flat=True).first()
    return found or uuid.uuid4()


@pytest.fixture
def apeldoorn_staff() -> dict[str, Membership]:
    """The demo (small): one login per role in Apeldoorn, and the rows the pages are about."""
    generator.generate(size="small")
    staff = {
        role: Membership.objects.select_related("user", "municipality").get(
            user__username=f"{prefix}.apeldoorn", municipality__slug="apeldoorn"
        )
        for role, prefix, _label in generator.LOGIN_ROLES
    }
    caseworker = staff[Role.CASEWORKER_WORK]
    actor = Actor(caseworker.user, caseworker, "test")
    do_issue_api_token(name="koppeling", actor=actor)
    resident = Resident.objects.filter(caseworker_work=caseworker.user).first()
    provider = ProviderStaff.objects.get(membership=staff[Role.PROVIDER]).provider
    do_request_reorientation(
        resident, kind=ReorientationRequest.Kind.JOIN, reason="Meedoen", provider=provider, actor=actor
    )
    municipality = caseworker.municipality
    MembershipFactory(municipality=municipality, role=Role.CASEWORKER_WORK, user__username="reserve")
    manager = staff[Role.PROGRAMME_MANAGER]
    do_start_allocation(actor=Actor(manager.user, manager, "test"))
    do_request_council_report(
        last_quarter(timezone.localdate()), actor=Actor(manager.user, manager, "test"), queue=False
    )
    seat = Seat.objects.filter(municipality=municipality).select_related("placement").first()
    if seat is not None and not Commitment.objects.filter(municipality=municipality).exists():
        budget_year = BudgetYear.objects.filter(municipality=municipality).first() or BudgetYearFactory(
            municipality=municipality, year=2026, created_by=staff[Role.CONTROLLER].user
        )
        CommitmentFactory(
            source=FundingSourceFactory(budget_year=budget_year),
            seat=seat,
            resident=seat.resident,
            provider=seat.placement.provider,
        )
    do_seed_glossary(municipality)
    do_add_certificate(resident, certificate="Heftruck", happened_on=timezone.localdate(), actor=actor)
    # The demo resident's own success, for the pages where they answer it (Mijn successen).
    own = Resident.objects.get(user=staff[Role.RESIDENT].user, municipality=municipality)
    theirs = Membership.objects.get(user=own.caseworker_work, municipality=municipality)
    do_add_certificate(
        own,
        certificate="Rijbewijs",
        happened_on=timezone.localdate(),
        actor=Actor(theirs.user, theirs, "test"),
    )
    return staff


def parameters_for(membership: Membership) -> dict[str, uuid.UUID]:
    """Ids for the URL parameters, chosen so that this persona may usually open the page."""
    user = membership.user
    residents = Resident.objects.filter(municipality=membership.municipality)
    if membership.role == Role.CASEWORKER_WORK:
        residents = residents.filter(caseworker_work=user)
    elif membership.role == Role.CASEWORKER_CARE:
        residents = residents.filter(caseworker_care=user)
    elif membership.role == Role.RESIDENT:
        residents = residents.filter(user=user)
    with_seat = residents.filter(seats__isnull=False).first() or residents.first()
    resident_id = with_seat.pk if with_seat else uuid.uuid4()
    staff = ProviderStaff.objects.filter(membership=membership).first()
    contracted = Placement.objects.filter(provider__contracts__municipality=membership.municipality)
    placements = Placement.objects.filter(provider=staff.provider) if staff else contracted
    if staff:
        proposals = Proposal.objects.filter(placement__provider=staff.provider)
        seats = Seat.objects.filter(placement__provider=staff.provider)
    else:
        proposals = Proposal.objects.filter(resident_id=resident_id)
        seats = Seat.objects.filter(resident_id=resident_id)
    requests = ReorientationRequest.objects.filter(resident__municipality=membership.municipality)
    return {
        "resident_id": resident_id,
        "placement_id": first_id(placements),
        "provider_id": staff.provider_id if staff else first_id(placements.values("provider")),
        "proposal_id": first_id(proposals),
        "seat_id": first_id(seats),
        "membership_id": first_id(  # a spare colleague: an empty POST may end this membership
            Membership.objects.filter(municipality=membership.municipality, user__username="reserve")
        ),
        "token_id": first_id(membership.api_tokens.all()),
        "run_id": first_id(AllocationRun.objects.filter(municipality=membership.municipality)),
        "request_id": first_id(requests),
        "basis_id": first_id(LegalBasis.objects.filter(resident_id=resident_id)),
        "consent_id": first_id(Consent.objects.filter(resident_id=resident_id)),
        "action_id": first_id(PlanAction.objects.filter(plan__resident_id=resident_id)),
        "event_id": first_id(TimelineEvent.objects.filter(resident_id=resident_id).exclude(attachment="")),
        "step_id": first_id(Step.objects.filter(route__resident_id=resident_id)),
        "route_id": first_id(Route.objects.filter(resident_id=resident_id)),
        "year_id": first_id(BudgetYear.objects.filter(municipality=membership.municipality)),
        "commitment_id": first_id(Commitment.objects.filter(municipality=membership.municipality)),
        "invoice_id": first_id(
            Invoice.objects.filter(provider=staff.provider) if staff else Invoice.objects.none()
        ),
        "line_id": first_id(
            InvoiceLine.objects.filter(
                municipality=membership.municipality, status=InvoiceLine.Status.WAITING
            )
        ),
        "source_id": first_id(FundingSource.objects.filter(municipality=membership.municipality)),
        "term_id": first_id(Term.objects.filter(municipality=membership.municipality)),
        "project_id": first_id(Project.objects.filter(municipality=membership.municipality)),
        "indicator_id": first_id(Indicator.objects.filter(municipality=membership.municipality)),
        "report_id": first_id(CouncilReport.objects.filter(municipality=membership.municipality)),
        "success_id": first_id(Success.objects.filter(resident_id=resident_id)),
        "experiment_id": first_id(Experiment.objects.filter(municipality=membership.municipality)),
        "participant_id": first_id(Participant.objects.filter(resident_id=resident_id)),
        "letter_template_id": first_id(LetterTemplate.objects.filter(municipality=membership.municipality)),
        "letter_id": first_id(Letter.objects.filter(resident_id=resident_id)),
    }


def fill(route: str, values: dict[str, uuid.UUID]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match["name"]
        assert name in values, f"the guard rail has no object for <{name}> in {route}: add one above"
        return str(values[name])

    return "/" + PARAMETER.sub(value, route)


def test_every_page_of_the_app_says_no_store_to_the_role_that_uses_it(apeldoorn_staff, login_as):
    """Each route is asked, role after role, until a role opens it (the role that uses it); every answer on
    the way (403, 404, 405, a redirect) must say no-store as well. A page that opens is asked once more as an
    htmx partial. Routes that only take a POST are posted to, empty, in a fresh session."""
    routes = list(url_patterns())
    memberships = list(apeldoorn_staff.values())
    parameters = {membership.pk: parameters_for(membership) for membership in memberships}
    clients = {membership.pk: login_as(membership) for membership in memberships}
    missing: list[str] = []
    unopened: list[str] = []

    def ask(route: str, membership: Membership, method: str) -> bool:
        """True when the view did its work (not refused, not missing); notes every answer without no-store."""
        path = fill(route, parameters[membership.pk])
        if method == "GET":
            response = clients[membership.pk].get(path)
        else:  # a fresh session: the POST may log out or end the membership
            response = login_as(membership).post(path, {})
        if not no_store(response):
            missing.append(f"{method} {path} as {membership.role}: {response.status_code}")
        if method == "GET" and response.status_code < 400:  # the htmx partial of the page
            partial = clients[membership.pk].get(path, headers={"HX-Request": "true"})
            if not no_store(partial):
                missing.append(f"htmx GET {path} as {membership.role}: {partial.status_code}")
        return response.status_code not in (401, 403, 404, 405)

    for route in routes:
        # Not for reading by anyone (405, or refused before the method is looked at): post, empty.
        if not any(ask(route, membership, "GET") for membership in memberships) and not any(
            ask(route, membership, "POST") for membership in memberships
        ):
            unopened.append(route)
    assert not missing, "\n".join(missing)
    # The ids above are real enough that nearly every page opens for the role that uses it.
    assert len(unopened) < len(routes) * 0.2, "\n".join(unopened)


def test_a_bearer_token_call_to_the_api_says_no_store(apeldoorn_staff):
    caseworker = apeldoorn_staff[Role.CASEWORKER_WORK]
    key = do_issue_api_token(name="test", actor=Actor(caseworker.user, caseworker, "test")).key
    response = Client().get(reverse("api:resident-list"), headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    assert no_store(response)


def test_static_files_may_be_cached(alice, login_as):
    stylesheet = login_as(alice).get("/static/meedoen/meedoen.css")
    stylesheet.close()
    assert stylesheet.status_code == 200
    assert not no_store(stylesheet)
