"""Schemathesis against the whole OpenAPI document, in-process over WSGI: for every operation, generated
requests (half of them on real objects of Apeldoorn) must get no server error and an answer that the
document describes: a documented status code, the documented content type and a body of the documented
shape. Other-municipality and wrong-role answers must be documented problems as well."""

import datetime as dt
import itertools
import uuid

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import negative_data_rejection, positive_data_acceptance

from meedoen.accounts.actions import do_issue_api_token
from meedoen.accounts.actor import Actor
from meedoen.catalogue import actions as catalogue_actions
from meedoen.catalogue.tests.factories import PlacementFactory
from meedoen.experiments.tests.factories import make_experiment
from meedoen.residents.actions import do_add_plan_action, do_record_consent, do_record_experiment_arm
from meedoen.routes.actions import do_open_route

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())

# Not checked: that every schema-valid request is accepted (a valid BSN, a start date not in the past are
# rules of the actions, beyond what a JSON schema says; those answers are documented 400s), and that every
# schema-invalid request is refused (the API is lenient on purpose: an empty query parameter counts as
# absent, a number sent for a text field is read as text, an unknown flag value as false).
NOT_CHECKED = [positive_data_acceptance, negative_data_rejection]

PROVIDER_PATHS = ("/api/v1/provider-placements", "/api/v1/proposals", "/api/v1/seats")
DESIGNER_PATHS = ("/api/v1/experiments",)  # the programme manager designs experiments
SESSION_ONLY_PATHS = ("/api/v1/processing-log-entries",)  # the privacy officer's role holds no API key


def _act(membership):
    return Actor(membership.user, membership, "test")


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Schemathesis calls the WSGI application itself, so Django's end-of-request signal would close the
    database connection that holds the test's transaction (on PostgreSQL the next request then fails).
    Django's own test client leaves the connection open the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(alice, paula, fred, pim, ruben, moestuin, groene_schakel, login_as):
    """Keys of the personas who may use each part of the API, and real objects for the path ids."""
    today = timezone.localdate()
    route = do_open_route(ruben, starts_on=today, actor=_act(alice))
    consent = do_record_consent(ruben, shared_domain="wmo", given_on=today, note="", actor=_act(alice))
    # Ruben takes part in an exempt experiment arm: his own late agreement is voluntary, the provider's late.
    do_record_experiment_arm(
        ruben, participant_id=uuid.uuid4(), experiment_title="Regelluwe bijstand", arm_name="Eigen regie",
        voluntary_agreements=True, review_every_weeks=None, starts_on=today, actor=_act(alice),
    )  # fmt: skip
    for owner in ("inwoner", "aanbieder"):
        do_add_plan_action(
            ruben, description="Afspraak", owner=owner, due_on=today - dt.timedelta(days=3), actor=_act(alice)
        )

    def propose(placement):
        return catalogue_actions.do_propose(
            ruben, placement, actor=_act(alice), start_date=today, hours_per_week=12, note="Buiten werken."
        )

    open_proposal = propose(moestuin)
    seat = catalogue_actions.do_accept_proposal(
        propose(PlacementFactory(provider=groene_schakel)), actor=_act(paula)
    )
    experiment = make_experiment(pim, recruiting=True)
    return {
        "keys": {
            "alice": do_issue_api_token(name="fuzz", actor=_act(alice)).key,
            "paula": do_issue_api_token(name="fuzz", actor=_act(paula)).key,
            "pim": do_issue_api_token(name="fuzz", actor=_act(pim)).key,
        },
        "fred_session": login_as(fred).cookies["sessionid"].value,
        "ids": {
            "resident_id": str(ruben.pk),
            "placement_id": str(moestuin.pk),
            "proposal_id": str(open_proposal.pk),
            "seat_id": str(seat.pk),
            "step_id": str(route.steps.first().pk),
            "consent_id": str(consent.pk),
            "experiment_id": str(experiment.pk),
        },
        "turn": itertools.count(),
    }


def _credentials(path: str, world) -> dict[str, str]:
    if path.startswith(SESSION_ONLY_PATHS):
        return {"Cookie": f"sessionid={world['fred_session']}"}
    persona = (
        "paula" if path.startswith(PROVIDER_PATHS) else "pim" if path.startswith(DESIGNER_PATHS) else "alice"
    )
    return {"Authorization": f"Bearer {world['keys'][persona]}"}


@schema.parametrize()
@settings(
    max_examples=8,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_its_schema_says(case, world):
    if next(world["turn"]) % 2 == 0 and case.path_parameters:
        case.path_parameters = {
            name: world["ids"].get(name, value) for name, value in case.path_parameters.items()
        }
    case.call_and_validate(headers=_credentials(case.path, world), excluded_checks=NOT_CHECKED)


@pytest.mark.parametrize(
    ("path", "method", "persona", "status"),
    [
        ("/api/v1/residents/{resident_id}", "GET", "charlie", 404),
        ("/api/v1/residents/{resident_id}/route", "GET", "charlie", 404),
        ("/api/v1/residents/{resident_id}/plan", "GET", "charlie", 404),
        ("/api/v1/placements/{placement_id}", "GET", "charlie", 404),
        ("/api/v1/proposals/{proposal_id}", "GET", "charlie", 403),
        ("/api/v1/residents/{resident_id}", "GET", "pim", 403),
        ("/api/v1/residents/{resident_id}/timeline", "POST", "paula", 403),
        ("/api/v1/seats/{seat_id}/end", "POST", "alice", 403),
        ("/api/v1/experiments/{experiment_id}/analysis", "GET", "alice", 403),
    ],
)
def test_other_municipality_and_wrong_role_get_a_documented_problem(
    path, method, persona, status, world, request
):
    membership = request.getfixturevalue(persona)
    key = do_issue_api_token(name="fuzz", actor=_act(membership)).key
    operation = schema[path][method]
    names = [p.name for p in operation.path_parameters]
    extra = {"body": {"text": "Gesprek gehad."}, "media_type": "application/json"} if method == "POST" else {}
    case = operation.Case(path_parameters={name: world["ids"][name] for name in names}, **extra)
    response = case.call(headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == status
    assert response.headers["content-type"] == ["application/problem+json"]
    case.validate_response(response, excluded_checks=NOT_CHECKED)
