"""An experiment as a programme manager designs it: regelluwe bijstand with three arms."""

from meedoen.accounts.actor import Actor
from meedoen.accounts.models import Membership
from meedoen.experiments import actions, design
from meedoen.experiments.models import Experiment


def regelluw(**changes: object) -> design.Design:
    values: dict[str, object] = {
        "question": "Vinden inwoners in de bijstand vaker werk met minder regels?",
        "arms": (
            design.Arm("regulier", "Regulier"),
            design.Arm("eigen_regie", "Eigen regie", exempt_from_obligations=True),
            design.Arm("intensief", "Intensieve begeleiding"),
        ),
        "control": "regulier",
        "strata": ("leeftijdsgroep",),
        "eligibility": design.Eligibility(legal_bases=("bijstand",), min_age=18),
    }
    values.update(changes)
    return design.Design(**values)  # type: ignore[arg-type]


def actor_of(membership: Membership, endpoint: str = "test") -> Actor:
    return Actor(user=membership.user, membership=membership, endpoint=endpoint)


def make_experiment(manager: Membership, *, recruiting: bool = False, **changes: object) -> Experiment:
    actor = actor_of(manager)
    experiment = actions.do_create_experiment("Regelluwe bijstand", regelluw(**changes), actor=actor)
    if recruiting:
        experiment = actions.do_start_recruitment(experiment, actor=actor)
    return experiment
