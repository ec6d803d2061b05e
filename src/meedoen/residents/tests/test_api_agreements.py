"""The plan's agreements through the REST API say what the file says: while an experiment's arm exempts the
resident from obligations ("eigen regie"), the resident's own agreements are voluntary, with the experiment
and the arm as the reason, and never overdue; an agreement of the provider is followed up as usual; once
the arm has ended the normal status is back.

Personas: alice (klantmanager, Apeldoorn), charlie (klantmanager, Epe), paula (provider, Apeldoorn)."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from meedoen.accounts.actor import Actor
from meedoen.residents import actions

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
EXEMPT = {"experiment": "Regelluwe bijstand", "arm": "Eigen regie"}


def _act(membership) -> Actor:  # type: ignore[no-untyped-def]
    return Actor(membership.user, membership, "test")


def _exempt(resident, alice, *, starts_on: dt.date | None = None) -> uuid.UUID:  # type: ignore[no-untyped-def]
    """Put the exempt arm of an experiment on the file, as the experiment's consent does."""
    participant = uuid.uuid4()
    actions.do_record_experiment_arm(
        resident, participant_id=participant, experiment_title=EXEMPT["experiment"], arm_name=EXEMPT["arm"],
        voluntary_agreements=True, review_every_weeks=None, starts_on=starts_on or TODAY(), actor=_act(alice),
    )  # fmt: skip
    return participant


def _late_agreements(resident, alice) -> None:  # type: ignore[no-untyped-def]
    for owner, text in (("inwoner", "Sollicitatiebrief schrijven"), ("aanbieder", "Rooster sturen")):
        actions.do_add_plan_action(
            resident, description=text, owner=owner, due_on=TODAY() - dt.timedelta(days=3), actor=_act(alice)
        )


def _agreements(client, resident) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    response = client.get(reverse("api:resident-plan", args=[resident.pk]))
    assert response.status_code == 200, response.content
    return {action["description"]: action for action in response.json()["actions"]}


def _status(action: dict) -> tuple:  # type: ignore[type-arg]
    return action["voluntary"], action["voluntary_because"], action["overdue"]


def test_the_residents_own_agreement_is_voluntary_while_the_exempt_arm_applies_and_the_providers_is_not(
    alice, ruben, login_as
):
    _late_agreements(ruben, alice)
    client = login_as(alice)
    before = _agreements(client, ruben)
    assert _status(before["Sollicitatiebrief schrijven"]) == (False, None, True)
    assert _status(before["Rooster sturen"]) == (False, None, True)

    _exempt(ruben, alice)
    during = _agreements(client, ruben)
    assert _status(during["Sollicitatiebrief schrijven"]) == (True, EXEMPT, False)
    assert _status(during["Rooster sturen"]) == (False, None, True)  # the provider's: followed up as usual


def test_after_the_arm_ends_the_normal_status_comes_back_and_not_before(alice, ruben, login_as):
    _late_agreements(ruben, alice)
    participant = _exempt(ruben, alice, starts_on=TODAY() - dt.timedelta(days=20))
    client = login_as(alice)
    # A stop recorded for tomorrow: still voluntary today.
    actions.do_end_experiment_arms([participant], ends_on=TODAY() + dt.timedelta(days=1), actor=_act(alice))
    assert _status(_agreements(client, ruben)["Sollicitatiebrief schrijven"]) == (True, EXEMPT, False)
    # Stopped today: from today the normal rules apply again, so the agreement is late again.
    actions.do_end_experiment_arms([participant], ends_on=TODAY(), actor=_act(alice))
    assert _status(_agreements(client, ruben)["Sollicitatiebrief schrijven"]) == (False, None, True)


def test_a_done_or_not_yet_due_agreement_is_not_overdue(alice, ruben, login_as):
    act = _act(alice)
    done = actions.do_add_plan_action(
        ruben, description="Cv maken", owner="inwoner", due_on=TODAY() - dt.timedelta(days=9), actor=act
    )
    actions.do_mark_plan_action_done(done, done_on=TODAY(), actor=act)
    actions.do_add_plan_action(
        ruben, description="Bellen", owner="begeleider", due_on=TODAY() + dt.timedelta(days=9), actor=act
    )
    agreements = _agreements(login_as(alice), ruben)
    assert _status(agreements["Cv maken"]) == (False, None, False)
    assert agreements["Cv maken"]["done_on"] == TODAY().isoformat()
    assert _status(agreements["Bellen"]) == (False, None, False)


def test_writing_the_plan_answers_with_the_same_status(alice, ruben, login_as):
    _exempt(ruben, alice)
    client = login_as(alice)
    added = client.post(
        reverse("api:resident-plan-actions", args=[ruben.pk]),
        {
            "description": "Stage zoeken",
            "owner": "inwoner",
            "due_on": (TODAY() - dt.timedelta(days=1)).isoformat(),
        },
        content_type="application/json",
    )
    assert added.status_code == 201, added.content
    assert _status(added.json()) == (True, EXEMPT, False)
    version = client.get(reverse("api:resident-plan", args=[ruben.pk])).json()["version"]
    saved = client.put(
        reverse("api:resident-plan", args=[ruben.pk]),
        {"goals": "Werken met dieren", "version": version},
        content_type="application/json",
    )
    assert saved.status_code == 200, saved.content
    (action,) = saved.json()["actions"]
    assert _status(action) == (True, EXEMPT, False)


def test_the_schema_documents_the_status_of_an_agreement(client):
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    action = schema["components"]["schemas"]["PlanAction"]
    assert {"voluntary", "voluntary_because", "overdue"} <= set(action["required"])
    assert all(
        action["properties"][name]["readOnly"] for name in ("voluntary", "voluntary_because", "overdue")
    )
    assert action["properties"]["voluntary_because"]["nullable"] is True
    because = schema["components"]["schemas"]["VoluntaryBecause"]
    assert set(because["properties"]) == {"experiment", "arm"}
    # What a client sends has none of them.
    assert "voluntary" not in schema["components"]["schemas"]["PlanActionRequest"]["properties"]


def test_another_municipality_gets_404_and_a_provider_403(alice, charlie, paula, ruben, login_as):
    _exempt(ruben, alice)
    url = reverse("api:resident-plan", args=[ruben.pk])
    assert login_as(charlie).get(url).status_code == 404
    assert login_as(paula).get(url).status_code == 403
