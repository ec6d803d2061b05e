"""Every write of an experiment: one transaction each, logged.

The rules that make an experiment trustworthy live here and in the database:
- a design can be changed freely until recruitment starts; then it is frozen (its canonical JSON and SHA-256
  stored and shown) and every later change is an amendment with a date, a reason and its own hash;
- only a resident who consents is randomised, once, at the next position of their stratum's sequence
  (``assignment.py``), under a lock on the experiment so two caseworkers cannot take the same position;
- nothing changes an arm: there is no action for it, and a trigger refuses it (migration 0002);
- the assignment is in the processing log and on the resident's route (timeline), with the exemption from
  obligations when the arm has one;
- the arm drives what applies on the file while the resident takes part: the assignment pushes it to the
  file (``residents.actions.do_record_experiment_arm``), stopping and closing the experiment end it there
  (``do_end_experiment_arms``), and the route plans its reviews again when the arm has its own rhythm
  (``routes.actions.do_replan_review``). Whether an arm applies on a day is answered in one place,
  ``residents.selectors.arms_in_force``.
"""

import datetime as dt
import secrets
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meedoen.accounts.actor import Actor
from meedoen.accounts.policies import Capability
from meedoen.audit import log
from meedoen.audit.models import LogAction, Purpose
from meedoen.errors import RuleError
from meedoen.experiments import assignment, design, selectors
from meedoen.experiments.models import Amendment, Experiment, Participant, Partner
from meedoen.municipalities.models import Municipality
from meedoen.residents.actions import (
    do_add_timeline_event,
    do_end_experiment_arms,
    do_record_experiment_arm,
)
from meedoen.residents.models import Resident, TimelineEvent
from meedoen.routes.actions import do_replan_review, do_replan_review_after_arms


def _require(actor: Actor, capability: Capability) -> None:
    if not actor.may(capability):
        raise RuleError(None, _("U mag dit niet doen."))


def do_create_experiment(title: str, plan: design.Design, *, actor: Actor) -> Experiment:
    _require(actor, Capability.DESIGN_EXPERIMENTS)
    design.validate(plan)
    with transaction.atomic():
        experiment = Experiment.objects.create(
            municipality_id=actor.municipality_id,
            title=title,
            design=design.as_data(plan),
            created_by=actor.user,
        )
        log.record(actor, LogAction.CREATE, Purpose.RESEARCH)
    return experiment


def do_update_design(experiment: Experiment, title: str, plan: design.Design, *, actor: Actor) -> Experiment:
    _require(actor, Capability.DESIGN_EXPERIMENTS)
    design.validate(plan)
    with transaction.atomic():
        locked = Experiment.objects.select_for_update().get(pk=experiment.pk)
        if locked.status != Experiment.Status.DESIGN:
            raise RuleError(
                None, _("Het ontwerp is vastgelegd. Een verandering is nu een wijziging, met datum en reden.")
            )
        locked.title = title
        locked.design = design.as_data(plan)
        locked.version += 1
        locked.save(update_fields=["title", "design", "version", "updated_at"])
        # A municipality joined the design it saw: after a change it is asked again.
        Partner.objects.filter(experiment=locked, status=Partner.Status.JOINED).update(
            status=Partner.Status.INVITED, answered_by=None, answered_at=None
        )
        log.record(actor, LogAction.UPDATE, Purpose.RESEARCH)
    return locked


def do_start_recruitment(experiment: Experiment, *, actor: Actor) -> Experiment:
    """Freeze the design (pre-registration): store its canonical JSON and SHA-256, draw the seed."""
    _require(actor, Capability.DESIGN_EXPERIMENTS)
    with transaction.atomic():
        locked = Experiment.objects.select_for_update().get(pk=experiment.pk)
        if locked.status != Experiment.Status.DESIGN:
            raise RuleError(None, _("De werving is al begonnen."))
        partners = Partner.objects.select_for_update().filter(experiment=locked)
        joined = [str(p.municipality_id) for p in partners if p.status == Partner.Status.JOINED]
        # The municipalities that joined this design are part of it (and of its hash), and the randomisation
        # is stratified by municipality; an invitation nobody answered lapses.
        plan = design.joined(design.from_data(locked.design), [str(locked.municipality_id), *joined])
        design.validate(plan)
        partners.filter(status=Partner.Status.INVITED).update(status=Partner.Status.LAPSED)
        locked.design = design.as_data(plan)
        now = timezone.now()
        registered = design.registration(
            plan, title=locked.title, version=0, registered_on=timezone.localdate(now)
        )
        locked.registered_json = design.canonical_json(registered)
        locked.registered_hash = design.fingerprint(registered)
        locked.registered_at = now
        locked.seed = secrets.randbits(62)
        locked.status = Experiment.Status.RECRUITING
        locked.save(
            update_fields=[
                "design",
                "registered_json",
                "registered_hash",
                "registered_at",
                "seed",
                "status",
                "updated_at",
            ]
        )
        log.record(actor, LogAction.UPDATE, Purpose.RESEARCH)
    return locked


def do_amend(
    experiment: Experiment, plan: design.Design, *, reason: str, made_on: dt.date, actor: Actor
) -> Amendment:
    """A change to a frozen design: the arms and strata stay as they were once anyone is randomised."""
    _require(actor, Capability.DESIGN_EXPERIMENTS)
    if not reason.strip():
        raise RuleError("reason", _("Schrijf op waarom het ontwerp verandert."))
    design.validate(plan)
    with transaction.atomic():
        locked = Experiment.objects.select_for_update().get(pk=experiment.pk)
        if locked.status == Experiment.Status.DESIGN:
            raise RuleError(None, _("Het ontwerp is nog niet vastgelegd; pas het gewoon aan."))
        before = design.from_data(locked.design)
        # A joint experiment keeps its municipalities as they joined, and its stratum per municipality.
        plan = design.joined(plan, list(before.municipalities))
        if Participant.objects.filter(experiment=locked).exclude(arm="").exists() and (
            before.arms != plan.arms or before.strata != plan.strata or before.control != plan.control
        ):
            raise RuleError(
                "arms",
                _("Er is al geloot: de groepen, hun verdeling en de strata kunnen niet meer veranderen."),
            )
        number = locked.amendments.count() + 1
        registered = design.registration(plan, title=locked.title, version=number, registered_on=made_on)
        amendment = Amendment.objects.create(
            experiment=locked,
            number=number,
            made_on=made_on,
            reason=reason,
            registered_json=design.canonical_json(registered),
            registered_hash=design.fingerprint(registered),
            made_by=actor.user,
        )
        locked.design = design.as_data(plan)
        locked.version += 1
        locked.save(update_fields=["design", "version", "updated_at"])
        log.record(actor, LogAction.UPDATE, Purpose.RESEARCH)
    return amendment


def do_invite_municipality(experiment: Experiment, municipality: Municipality, *, actor: Actor) -> Partner:
    """The lead municipality (the experiment's own; the selector has checked it) invites another municipality
    of the installation to a design that is not frozen yet. A municipality that declined or let an earlier
    invitation lapse can be invited again."""
    _require(actor, Capability.JOIN_EXPERIMENTS)
    with transaction.atomic():
        locked = Experiment.objects.select_for_update().get(pk=experiment.pk)
        if locked.status != Experiment.Status.DESIGN:
            raise RuleError("municipality", _("Het ontwerp is vastgelegd: er kan geen gemeente meer bij."))
        if municipality.pk == locked.municipality_id:
            raise RuleError("municipality", _("Uw eigen gemeente doet al mee."))
        partner = Partner.objects.filter(experiment=locked, municipality=municipality).first()
        if partner is not None and partner.status in (Partner.Status.INVITED, Partner.Status.JOINED):
            raise RuleError("municipality", _("Deze gemeente is al uitgenodigd."))
        now = timezone.now()
        if partner is None:
            partner = Partner.objects.create(
                experiment=locked, municipality=municipality, invited_by=actor.user, invited_at=now
            )
        else:
            partner.status = Partner.Status.INVITED
            partner.invited_by = actor.user
            partner.invited_at = now
            partner.answered_by = None
            partner.answered_at = None
            partner.version += 1
            partner.save()
        log.record(actor, LogAction.CREATE, Purpose.RESEARCH)
    return partner


def do_answer_invitation(partner: Partner, *, join: bool, actor: Actor) -> Partner:
    """The invited municipality's programme manager joins (the municipality's consent to this design,
    recorded with who and when) or declines. They may change their answer until the design is frozen."""
    _require(actor, Capability.JOIN_EXPERIMENTS)
    with transaction.atomic():
        experiment = Experiment.objects.select_for_update().get(pk=partner.experiment_id)
        locked = Partner.objects.select_for_update().get(pk=partner.pk)
        if locked.municipality_id != actor.municipality_id:
            raise RuleError(None, _("U mag dit niet doen."))
        if experiment.status != Experiment.Status.DESIGN or locked.status == Partner.Status.LAPSED:
            raise RuleError(None, _("Het ontwerp is al vastgelegd; meedoen kan niet meer."))
        locked.status = Partner.Status.JOINED if join else Partner.Status.DECLINED
        locked.answered_by = actor.user
        locked.answered_at = timezone.now()
        locked.version += 1
        locked.save(update_fields=["status", "answered_by", "answered_at", "version"])
        log.record(actor, LogAction.UPDATE, Purpose.RESEARCH)
    return locked


def do_invite(experiment: Experiment, resident: Resident, *, on: dt.date, actor: Actor) -> Participant:
    """Record that a resident of the caseworker's caseload was invited (the selector has checked both)."""
    _require(actor, Capability.RECRUIT_PARTICIPANTS)
    with transaction.atomic():
        if Participant.objects.filter(experiment=experiment, resident=resident).exists():
            raise RuleError(None, _("Deze inwoner is al uitgenodigd."))
        participant = Participant.objects.create(
            experiment=experiment, resident=resident, invited_on=on, recorded_by=actor.user
        )
        log.record(actor, LogAction.CREATE, Purpose.RESEARCH, [resident.pk])
    return participant


def do_record_refusal(participant: Participant, *, on: dt.date, actor: Actor) -> Participant:
    _require(actor, Capability.RECRUIT_PARTICIPANTS)
    with transaction.atomic():
        locked = Participant.objects.select_for_update().get(pk=participant.pk)
        if locked.status != Participant.Status.INVITED:
            raise RuleError(None, _("Het antwoord van deze inwoner staat al vast."))
        locked.status = Participant.Status.REFUSED
        locked.answered_on = on
        locked.version += 1
        locked.save(update_fields=["status", "answered_on", "version", "updated_at"])
        log.record(actor, LogAction.UPDATE, Purpose.RESEARCH, [locked.resident_id])
    return locked


def do_record_consent(participant: Participant, *, on: dt.date, actor: Actor) -> Participant:
    """The resident consents: randomise them now, once. A participant who already has an arm keeps it."""
    _require(actor, Capability.RECRUIT_PARTICIPANTS)
    with transaction.atomic():
        experiment = Experiment.objects.select_for_update().get(pk=participant.experiment_id)
        if experiment.status != Experiment.Status.RECRUITING or experiment.seed is None:
            raise RuleError(None, _("Dit experiment werft niet (meer)."))
        locked = Participant.objects.select_for_update().get(pk=participant.pk)
        if locked.arm:
            raise RuleError(None, _("Deze inwoner is al ingeloot; een loting wordt nooit overgedaan."))
        if locked.status != Participant.Status.INVITED:
            raise RuleError(None, _("Het antwoord van deze inwoner staat al vast."))
        plan = design.from_data(experiment.design)
        facts = selectors.resident_facts_for_randomisation(locked.resident_id)
        stratum = design.stratum_of(facts, plan.strata)
        taken = Participant.objects.filter(
            experiment=experiment, stratum=stratum, position__isnull=False
        ).count()
        ratios = {arm.code: arm.ratio for arm in plan.arms}
        (draw,) = assignment.assign(experiment.seed, ratios, [(str(locked.pk), stratum)], {stratum: taken})
        locked.status = Participant.Status.CONSENTED
        locked.answered_on = on
        locked.stratum = stratum
        locked.position = draw.position
        locked.arm = draw.arm
        locked.assigned_at = timezone.now()
        locked.baseline = {"leeftijd": facts.age, "maanden_uitkering": facts.months_on_benefit}
        locked.version += 1
        locked.save(
            update_fields=[
                "status", "answered_on", "stratum", "position", "arm", "assigned_at", "baseline", "version",
                "updated_at",
            ]
        )  # fmt: skip
        log.record(actor, LogAction.UPDATE, Purpose.RESEARCH, [locked.resident_id])
        arm = plan.arm(draw.arm)
        text = _("Doet mee aan het experiment '%(title)s', ingeloot in de groep '%(arm)s'.") % {
            "title": experiment.title,
            "arm": arm.name,
        }
        if arm.exempt_from_obligations:
            text += " " + _("Vrijgesteld van de regels voor re-integratie zolang het experiment loopt.")
        if arm.review_every_weeks:
            text += " " + ngettext(
                "Elke week een bespreking zolang het experiment loopt.",
                "Elke %(weeks)d weken een bespreking zolang het experiment loopt.",
                arm.review_every_weeks,
            ) % {"weeks": arm.review_every_weeks}
        do_add_timeline_event(locked.resident, kind=TimelineEvent.Kind.ROUTE, text=text, actor=actor)
        do_record_experiment_arm(
            locked.resident,
            participant_id=locked.pk,
            experiment_title=experiment.title,
            arm_name=arm.name,
            voluntary_agreements=arm.exempt_from_obligations,
            review_every_weeks=arm.review_every_weeks,
            starts_on=on,
            actor=actor,
        )
        if arm.review_every_weeks:
            do_replan_review(locked.resident, actor=actor)
    return locked


def do_withdraw(participant: Participant, *, on: dt.date, actor: Actor) -> Participant:
    """The resident stops. Their arm stays: the analysis counts them where they were randomised."""
    _require(actor, Capability.RECRUIT_PARTICIPANTS)
    with transaction.atomic():
        locked = Participant.objects.select_for_update().get(pk=participant.pk)
        if locked.status != Participant.Status.CONSENTED:
            raise RuleError(None, _("Alleen wie meedoet, kan stoppen."))
        locked.status = Participant.Status.WITHDRAWN
        locked.withdrawn_on = on
        locked.version += 1
        locked.save(update_fields=["status", "withdrawn_on", "version", "updated_at"])
        log.record(actor, LogAction.UPDATE, Purpose.RESEARCH, [locked.resident_id])
        do_add_timeline_event(
            locked.resident,
            kind=TimelineEvent.Kind.ROUTE,
            text=_("Gestopt met het experiment '%(title)s'; de gewone regels gelden weer.")
            % {"title": locked.experiment.title},
            actor=actor,
        )
        ended = do_end_experiment_arms([locked.pk], ends_on=on, actor=actor)
        do_replan_review_after_arms(locked.resident, ended, actor=actor)
    return locked


def do_close_experiment(experiment: Experiment, *, on: dt.date, actor: Actor) -> Experiment:
    """The experiment ends: recruitment stops, and for everyone still taking part the normal rules apply again
    from ``on`` (their arm ends on the file, and a line on each timeline says so). The arms stay as they were
    randomised, for the analysis. A review date an arm's rhythm planned goes back to the route's normal rules
    (``routes.actions.do_replan_review_after_arms``, by no person: the programme manager opens no files)."""
    _require(actor, Capability.DESIGN_EXPERIMENTS)
    with transaction.atomic():
        locked = Experiment.objects.select_for_update().get(pk=experiment.pk)
        if locked.status != Experiment.Status.RECRUITING:
            raise RuleError(None, _("Alleen een experiment dat loopt, kan worden afgesloten."))
        locked.status = Experiment.Status.CLOSED
        locked.version += 1
        locked.save(update_fields=["status", "version", "updated_at"])
        taking_part = Participant.objects.filter(
            experiment=locked, status=Participant.Status.CONSENTED
        ).exclude(arm="")
        ended = do_end_experiment_arms(
            taking_part.values_list("pk", flat=True), ends_on=on, actor=actor,
            municipality_ids=selectors.municipality_ids(locked),
        )  # fmt: skip
        text = _("Het experiment '%(title)s' is afgelopen; de gewone regels gelden weer.") % {
            "title": locked.title
        }
        residents = Resident.objects.filter(pk__in=[arm.resident_id for arm in ended])
        by_municipality: dict[uuid.UUID, list[uuid.UUID]] = {actor.municipality_id: []}
        for resident in residents:
            # A line of the experiment, not of a person: the programme manager does not open files.
            do_add_timeline_event(resident, kind=TimelineEvent.Kind.ROUTE, text=text, actor=None)
            do_replan_review_after_arms(
                resident, [a for a in ended if a.resident_id == resident.pk], actor=None
            )
            by_municipality.setdefault(resident.municipality_id, []).append(resident.pk)
        # A joint experiment: each municipality's log gets the write for its own residents.
        for municipality_id, resident_ids in by_municipality.items():
            if municipality_id == actor.municipality_id:
                log.record(actor, LogAction.UPDATE, Purpose.RESEARCH, resident_ids)
            else:
                log.record_in(municipality_id, actor, LogAction.UPDATE, Purpose.RESEARCH, resident_ids)
    return locked
