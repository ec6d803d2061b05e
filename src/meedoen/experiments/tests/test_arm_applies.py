"""The arm drives what applies while the resident takes part, as the caseworker notices it: an exempt arm
("eigen regie") takes the resident's overdue agreements off her worklist and shows them as voluntary on the
file, under a banner that names the experiment and the arm; an arm with more guidance plans the route's
reviews in its own rhythm. After stopping, or when the experiment ends, the normal rules apply again.

Personas: pim (programme manager, Apeldoorn), alice (klantmanager, Apeldoorn), charlie (klantmanager, Epe)."""

import datetime as dt
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from meedoen.accounts.policies import Role
from meedoen.accounts.tests.factories import MembershipFactory
from meedoen.experiments import actions, design
from meedoen.experiments.models import Experiment, Participant
from meedoen.experiments.tests.factories import actor_of, make_experiment
from meedoen.residents import actions as resident_actions
from meedoen.residents.models import Plan, TimelineEvent
from meedoen.residents.tests.factories import ResidentFactory
from meedoen.routes import actions as route_actions
from meedoen.routes.transitions import add_months

pytestmark = pytest.mark.django_db

TWO_ARMS = (
    design.Arm("regulier", "Regulier"),
    design.Arm("eigen_regie", "Eigen regie", exempt_from_obligations=True),
)
WITH_GUIDANCE = (
    design.Arm("regulier", "Regulier"),
    design.Arm("intensief", "Intensieve begeleiding", review_every_weeks=2),
)


def _today() -> dt.date:
    return timezone.localdate()


def _home(client) -> str:  # type: ignore[no-untyped-def]
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    return response.content.decode()


def _overdue_section(page: str) -> str:
    return page.split(">Afspraken over tijd ", 1)[1].split("<h2", 1)[0]


def _randomise_two(experiment: Experiment, apeldoorn, alice) -> dict[str, Participant]:  # type: ignore[no-untyped-def]
    """Two residents of alice's caseload consent: one block of a two-arm design without strata, so one lands
    in each arm. Each has an agreement of their own that is three days late. Returns them by arm."""
    actor = actor_of(alice)
    by_arm = {}
    for name in ("Eerste", "Tweede"):
        resident = ResidentFactory(
            municipality=apeldoorn, family_name=name, caseworker_work=alice.user, work=True
        )
        resident_actions.do_add_plan_action(
            resident, description=f"Sollicitatiebrief {name}", owner="inwoner",
            due_on=_today() - dt.timedelta(days=3), actor=actor,
        )  # fmt: skip
        participant = actions.do_invite(experiment, resident, on=_today(), actor=actor)
        participant = actions.do_record_consent(participant, on=_today(), actor=actor)
        by_arm[participant.arm] = participant
    assert set(by_arm) == {arm.code for arm in experiment_arms(experiment)}
    return by_arm


def experiment_arms(experiment: Experiment) -> tuple[design.Arm, ...]:
    return design.from_data(experiment.design).arms


def _agreement(participant: Participant) -> str:
    return f"Sollicitatiebrief {participant.resident.family_name}"


def test_the_worklist_drops_the_exempt_residents_overdue_agreement_and_keeps_the_control_residents(
    login_as, apeldoorn, pim, alice
) -> None:
    experiment = make_experiment(pim, recruiting=True, arms=TWO_ARMS, strata=())
    arms = _randomise_two(experiment, apeldoorn, alice)
    section = _overdue_section(_home(login_as(alice)))
    assert _agreement(arms["regulier"]) in section
    assert _agreement(arms["eigen_regie"]) not in section
    assert '<span class="meedoen-count">1</span>' in section


def test_the_file_shows_the_experiment_the_arm_and_the_agreement_as_voluntary(
    login_as, apeldoorn, pim, alice
) -> None:
    experiment = make_experiment(pim, recruiting=True, arms=TWO_ARMS, strata=())
    arms = _randomise_two(experiment, apeldoorn, alice)
    client = login_as(alice)
    exempt = unescape(client.get(f"/inwoners/{arms['eigen_regie'].resident_id}/").content.decode())
    assert "Doet mee aan een experiment" in exempt
    assert "Experiment 'Regelluwe bijstand', groep 'Eigen regie'" in exempt
    assert "Geen verplichte afspraken zolang het experiment loopt." in exempt
    plan = exempt.split('id="plan"', 1)[1]
    assert "vrijwillig (experiment)" in plan and "te laat: klaar op" not in plan
    # The control arm: named on the file, the normal rules, the agreement late as ever.
    control = unescape(client.get(f"/inwoners/{arms['regulier'].resident_id}/").content.decode())
    assert "groep 'Regulier'" in control and "In deze groep gelden de gewone regels." in control
    assert "Geen verplichte afspraken" not in control
    assert "te laat: klaar op" in control and "vrijwillig (experiment)" not in control


def test_after_stopping_the_agreement_is_chased_again_and_the_banner_is_gone(
    login_as, apeldoorn, pim, alice
) -> None:
    experiment = make_experiment(pim, recruiting=True, arms=TWO_ARMS, strata=())
    exempt = _randomise_two(experiment, apeldoorn, alice)["eigen_regie"]
    client = login_as(alice)
    response = client.post(
        f"/experimenten/{experiment.pk}/deelnemers/{exempt.pk}/stoppen/", {"on": _today().isoformat()}
    )
    assert response.status_code == 302
    assert _agreement(exempt) in _overdue_section(_home(client))
    page = unescape(client.get(f"/inwoners/{exempt.resident_id}/").content.decode())
    assert "Doet mee aan een experiment" not in page and "vrijwillig (experiment)" not in page
    assert "te laat: klaar op" in page
    assert "de gewone regels gelden weer" in page  # the timeline says why


def test_a_stop_recorded_for_next_week_keeps_the_exemption_until_then(
    login_as, apeldoorn, pim, alice
) -> None:
    experiment = make_experiment(pim, recruiting=True, arms=TWO_ARMS, strata=())
    exempt = _randomise_two(experiment, apeldoorn, alice)["eigen_regie"]
    next_week = _today() + dt.timedelta(days=7)
    actions.do_withdraw(exempt, on=next_week, actor=actor_of(alice))
    client = login_as(alice)
    assert _agreement(exempt) not in _overdue_section(_home(client))
    page = unescape(client.get(f"/inwoners/{exempt.resident_id}/").content.decode())
    assert "Geen verplichte afspraken zolang het experiment loopt." in page
    assert f"tot {next_week.day} " in page


def test_when_the_experiment_ends_the_normal_rules_apply_again(login_as, apeldoorn, epe, pim, alice) -> None:
    experiment = make_experiment(pim, recruiting=True, arms=TWO_ARMS, strata=())
    exempt = _randomise_two(experiment, apeldoorn, alice)["eigen_regie"]
    assert "Experiment afsluiten" in login_as(pim).get(f"/experimenten/{experiment.pk}/").content.decode()
    # Only the programme manager of its own municipality closes it.
    assert login_as(alice).post(f"/experimenten/{experiment.pk}/afsluiten/").status_code == 403
    epe_manager = MembershipFactory(municipality=epe, role=Role.PROGRAMME_MANAGER)
    assert login_as(epe_manager).post(f"/experimenten/{experiment.pk}/afsluiten/").status_code == 404
    experiment.refresh_from_db()
    assert experiment.status == Experiment.Status.RECRUITING
    response = login_as(pim).post(f"/experimenten/{experiment.pk}/afsluiten/")
    assert response.status_code == 302
    experiment.refresh_from_db()
    assert experiment.status == Experiment.Status.CLOSED
    client = login_as(alice)
    assert _agreement(exempt) in _overdue_section(_home(client))
    page = unescape(client.get(f"/inwoners/{exempt.resident_id}/").content.decode())
    assert "Doet mee aan een experiment" not in page
    assert "Het experiment 'Regelluwe bijstand' is afgelopen; de gewone regels gelden weer." in page
    exempt.refresh_from_db()
    assert exempt.arm == "eigen_regie"  # the arm stays, for the analysis
    # Closed once: a second close is refused and writes no second line.
    login_as(pim).post(f"/experimenten/{experiment.pk}/afsluiten/")
    assert TimelineEvent.objects.filter(resident=exempt.resident, text__contains="afgelopen").count() == 1


def test_another_municipality_is_not_touched(login_as, apeldoorn, epe, pim, alice, charlie) -> None:
    experiment = make_experiment(pim, recruiting=True, arms=TWO_ARMS, strata=())
    _randomise_two(experiment, apeldoorn, alice)
    elsewhere = ResidentFactory(
        municipality=epe, family_name="Epenaar", caseworker_work=charlie.user, work=True
    )
    resident_actions.do_add_plan_action(
        elsewhere, description="Sollicitatiebrief Epenaar", owner="inwoner",
        due_on=_today() - dt.timedelta(days=3), actor=actor_of(charlie),
    )  # fmt: skip
    client = login_as(charlie)
    section = _overdue_section(_home(client))
    assert "Sollicitatiebrief Epenaar" in section and "Sollicitatiebrief Eerste" not in section
    assert "Doet mee aan een experiment" not in client.get(f"/inwoners/{elsewhere.pk}/").content.decode()
    # Apeldoorn cannot put an arm on an Epe file, nor end one there.
    with pytest.raises(PermissionDenied):
        resident_actions.do_record_experiment_arm(
            elsewhere, participant_id=experiment.pk, experiment_title="Regelluwe bijstand",
            arm_name="Eigen regie", voluntary_agreements=True, review_every_weeks=None,
            starts_on=_today(), actor=actor_of(alice),
        )  # fmt: skip
    assert not elsewhere.experiment_arms.exists()


def test_more_guidance_plans_the_next_review_in_its_rhythm_while_the_resident_takes_part(
    login_as, apeldoorn, pim, alice
) -> None:
    experiment = make_experiment(pim, recruiting=True, arms=WITH_GUIDANCE, strata=())
    actor = actor_of(alice)
    opened = _today() - dt.timedelta(days=10)  # kennismaken: normally a review a month after the start
    participants = []
    for name in ("Eerste", "Tweede"):
        resident = ResidentFactory(
            municipality=apeldoorn, family_name=name, caseworker_work=alice.user, work=True
        )
        route_actions.do_open_route(resident, starts_on=opened, actor=actor)
        participant = actions.do_invite(experiment, resident, on=_today(), actor=actor)
        participants.append(actions.do_record_consent(participant, on=_today(), actor=actor))
    guided = next(p for p in participants if p.arm == "intensief")
    control = next(p for p in participants if p.arm == "regulier")
    assert Plan.objects.get(resident=control.resident).review_on == add_months(opened, 1)
    assert Plan.objects.get(resident=guided.resident).review_on == _today() + dt.timedelta(weeks=2)
    client = login_as(alice)
    page = client.get(f"/inwoners/{guided.resident_id}/").content.decode()
    assert "plant de route elke 2 weken een bespreking" in page
    summary = client.get(reverse("routes:summary", args=[guided.resident_id])).content.decode()
    assert "De besprekingen volgen het experiment" in summary and "elke 2 weken een bespreking" in summary
    # A review held today: the next one in two weeks, not in a month.
    route = guided.resident.routes.get()
    review = route_actions.do_record_review(
        route, held_on=_today(), progress="Gaat goed.", decision="blijven", actor=actor
    )
    assert review.next_review_on == _today() + dt.timedelta(weeks=2)
    # Stopping: the route plans by its own rules again, and the file no longer gives the experiment as why.
    actions.do_withdraw(guided, on=_today(), actor=actor)
    assert Plan.objects.get(resident=guided.resident).review_on == add_months(_today(), 1)
    page = client.get(f"/inwoners/{guided.resident_id}/").content.decode()
    assert "plant de route elke 2 weken" not in page
    summary = client.get(reverse("routes:summary", args=[guided.resident_id])).content.decode()
    assert "De besprekingen volgen het experiment" not in summary


def test_an_arm_on_the_file_is_written_once_per_participant_and_only_at_consent(
    apeldoorn, pim, alice, ruben
) -> None:
    experiment = make_experiment(pim, recruiting=True, arms=TWO_ARMS, strata=())
    actor = actor_of(alice)
    participant = actions.do_invite(experiment, ruben, on=_today(), actor=actor)
    assert not ruben.experiment_arms.exists()  # invited is not taking part
    actions.do_record_consent(participant, on=_today(), actor=actor)
    arm = ruben.experiment_arms.get()
    assert arm.participant_id == participant.pk and arm.starts_on == _today() and arm.ends_on is None


def test_residents_randomised_before_arms_reached_the_file_get_theirs(
    login_as, apeldoorn, pim, alice, ruben
) -> None:
    """The data migration: a participant randomised before this change (no arm on the file yet) gets it."""
    from importlib import import_module

    from django.apps import apps

    experiment = make_experiment(pim, recruiting=True, arms=TWO_ARMS, strata=())
    Participant.objects.create(
        experiment=experiment, resident=ruben, status=Participant.Status.CONSENTED, invited_on=_today(),
        answered_on=_today(), stratum="alle", position=0, arm="eigen_regie", assigned_at=timezone.now(),
        recorded_by=alice.user,
    )  # fmt: skip
    import_module("meedoen.experiments.migrations.0003_arms_onto_resident_files").forwards(apps, None)
    page = unescape(login_as(alice).get(f"/inwoners/{ruben.pk}/").content.decode())
    assert "Experiment 'Regelluwe bijstand', groep 'Eigen regie'" in page
    assert "Geen verplichte afspraken zolang het experiment loopt." in page
