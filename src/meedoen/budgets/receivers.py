"""The budget's answers to what the catalogue announces (``catalogue.signals``), in the catalogue's own
transaction: a seat taken commits money, a seat ended releases the rest, and a proposal being made gets a
warning when its cost would not fit the free budget. The work is in ``budgets.actions`` and
``budgets.selectors``; a RuleError raised here refuses the catalogue's change."""

import datetime as dt
import uuid
from typing import Any

from django.dispatch import receiver

from meedoen.accounts.actor import Actor
from meedoen.budgets import actions, selectors
from meedoen.catalogue import signals
from meedoen.catalogue.models import Placement, Proposal, Seat


@receiver(signals.seat_taken, dispatch_uid="budgets.commit_for_seat")
def commit_for_seat(sender: type, *, seat: Seat, proposal: Proposal, actor: Actor, **kwargs: Any) -> None:
    actions.do_commit_for_seat(seat, proposal, actor=actor)


@receiver(signals.seat_ended, dispatch_uid="budgets.release_on_end")
def release_on_end(sender: type, *, seat: Seat, actor: Actor, **kwargs: Any) -> None:
    actions.do_release_on_end(seat, actor=actor)


@receiver(signals.proposal_warnings, dispatch_uid="budgets.warn_about_budget")
def warn_about_budget(
    sender: type,
    *,
    municipality_id: uuid.UUID,
    placement: Placement,
    domain: str,
    start_date: dt.date,
    hours_per_week: int,
    **kwargs: Any,
) -> list[str]:
    return selectors.proposal_budget_warnings(
        municipality_id=municipality_id,
        placement=placement,
        domain=domain,
        start_date=start_date,
        hours_per_week=hours_per_week,
    )
