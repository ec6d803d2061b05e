"""The demo municipality's randomised experiment: "regelluwe bijstand" as Apeldoorn, Epe and Oss ran it from
2017 — own direction without obligations, intensive guidance (a review every two weeks), or regular guidance
as the control arm —
designed by the programme manager, registered (frozen with its SHA-256) and recruiting. The demo klantmanager
has invited part of her caseload: some consented and were randomised through the real randomisation, some
refused, some have not answered, one stopped. The rest of her caseload waits on the recruitment screen.

Everything goes through ``experiments.actions``, so the demo holds the same guarantees as the app (one arm per
resident, never re-rolled, in the processing log and on the resident's route)."""

import datetime as dt
import random

from meedoen.accounts.actor import Actor
from meedoen.accounts.models import Membership
from meedoen.accounts.policies import Role
from meedoen.experiments import actions, design, selectors
from meedoen.experiments.models import Experiment
from meedoen.municipalities.models import Municipality
from meedoen.residents.models import Resident
from meedoen.routes import actions as route_actions
from meedoen.routes.models import Review, Route

TITLE = "Regelluwe bijstand"
INVITED = 45  # of the klantmanager's caseload


def regelluw() -> design.Design:
    return design.Design(
        question=(
            "Vinden inwoners in de bijstand vaker betaald werk als zij zelf de regie hebben, zonder "
            "re-integratieverplichtingen, of met intensieve begeleiding, dan met de gewone begeleiding?"
        ),
        arms=(
            design.Arm("regulier", "Regulier"),
            design.Arm("eigen_regie", "Eigen regie", exempt_from_obligations=True),
            design.Arm("intensief", "Intensieve begeleiding", review_every_weeks=2),
        ),
        control="regulier",
        eligibility=design.Eligibility(legal_bases=("bijstand",), min_age=18, max_age=66),
        strata=("leeftijdsgroep", "uitkeringsduur"),
        primary_outcome="betaald_werk_12",
        secondary_outcomes=("uitstroom_24", "trede_12"),
        covariates=("leeftijd", "maanden_uitkering"),
        planning=design.Planning(baseline=0.20, effect=0.10, alpha=0.05, power=0.80, consent_rate=0.15),
    )


def _actor(municipality: Municipality, role: Role, username: str) -> Actor | None:
    membership = (
        Membership.objects.filter(municipality=municipality, role=role, user__username=username)
        .select_related("user", "municipality")
        .first()
    )
    return Actor(user=membership.user, membership=membership, endpoint="demo") if membership else None


def _reviews_in_rhythm(
    resident: Resident, arm: design.Arm, since: dt.date, today: dt.date, caseworker: Actor
) -> None:
    """A resident in the arm with more guidance has had their reviews every so many weeks since they joined,
    as the route planned them (the first one after joining, and so on up to today)."""
    route = Route.objects.filter(resident=resident, closed_on__isnull=True).first()
    if route is None or not arm.review_every_weeks:
        return
    held_on = since + dt.timedelta(weeks=arm.review_every_weeks)
    while held_on <= today:
        route_actions.do_record_review(
            route, held_on=held_on, progress="Bespreking volgens het experiment: het gaat stap voor stap.",
            decision=Review.Decision.STAY, actor=caseworker,
        )  # fmt: skip
        held_on += dt.timedelta(weeks=arm.review_every_weeks)


def build_experiment(municipality: Municipality, today: dt.date, rng: random.Random) -> int:
    """Build the experiment of ``municipality``; returns the number randomised. Skips when it exists."""
    if Experiment.objects.filter(municipality=municipality, title=TITLE).exists():
        return 0
    manager = _actor(municipality, Role.PROGRAMME_MANAGER, f"pm.{municipality.slug}")
    caseworker = _actor(municipality, Role.CASEWORKER_WORK, f"km.{municipality.slug}")
    if manager is None or caseworker is None:
        return 0
    experiment = actions.do_create_experiment(TITLE, regelluw(), actor=manager)
    experiment = actions.do_start_recruitment(experiment, actor=manager)
    candidates = selectors.recruitment_list(experiment, caseworker)
    randomised = 0
    for index, candidate in enumerate(candidates[:INVITED]):
        invited_on = today - dt.timedelta(days=40 - index % 30)
        participant = actions.do_invite(experiment, candidate.resident, on=invited_on, actor=caseworker)
        answer = rng.random()
        answered_on = invited_on + dt.timedelta(days=rng.randint(1, 9))
        if answer < 0.6:
            participant = actions.do_record_consent(participant, on=answered_on, actor=caseworker)
            randomised += 1
            _reviews_in_rhythm(
                participant.resident, regelluw().arm(participant.arm), answered_on, today, caseworker
            )
            if randomised == 3:
                actions.do_withdraw(participant, on=answered_on + dt.timedelta(days=14), actor=caseworker)
        elif answer < 0.85:
            actions.do_record_refusal(participant, on=answered_on, actor=caseworker)
    return randomised


JOINT_TITLE = "Samen regelluw (Apeldoorn en Epe)"


def build_joint_invitation() -> None:
    """A joint design of Apeldoorn to which Epe is invited and has not answered yet: log in as ``pm.epe`` to
    see the invitation and join or decline, as ``pm.apeldoorn`` to see who answered. Skips when it exists."""
    lead = Municipality.objects.filter(slug="apeldoorn").first()
    partner = Municipality.objects.filter(slug="epe").first()
    if lead is None or partner is None or Experiment.objects.filter(title=JOINT_TITLE).exists():
        return
    manager = _actor(lead, Role.PROGRAMME_MANAGER, f"pm.{lead.slug}")
    if manager is None:
        return
    experiment = actions.do_create_experiment(JOINT_TITLE, regelluw(), actor=manager)
    actions.do_invite_municipality(experiment, partner, actor=manager)
