"""Reads for letters: the templates (configuration, not personal data) and the letters of a resident, whose
file the caller has scoped through the residents selectors. Every read of personal data is logged here or
by the selector of the app it reads from."""

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from meedoen.accounts.actor import Actor
from meedoen.accounts.policies import Capability, Domain
from meedoen.audit import log
from meedoen.audit.models import LogAction, Purpose
from meedoen.catalogue.selectors import resident_placements
from meedoen.letters import rules
from meedoen.letters.models import Letter, LetterTemplate
from meedoen.residents.models import Resident
from meedoen.residents.selectors import plan_of, visible_domains_of
from meedoen.routes.selectors import access_route


def _manager(actor: Actor) -> None:
    if not actor.may(Capability.MANAGE_GLOSSARY):
        raise PermissionDenied


def list_templates(actor: Actor) -> QuerySet[LetterTemplate]:
    """Every template of the actor's municipality, for the functioneel beheerder."""
    _manager(actor)
    return LetterTemplate.objects.filter(municipality_id=actor.municipality_id).select_related("updated_by")


def get_template(template_id: uuid.UUID, actor: Actor) -> LetterTemplate:
    _manager(actor)
    try:
        return LetterTemplate.objects.get(pk=template_id, municipality_id=actor.municipality_id)
    except (LetterTemplate.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None


def templates_in_use(actor: Actor) -> QuerySet[LetterTemplate]:
    """The templates a caseworker can make a letter from: their municipality's, in use."""
    if not actor.may(Capability.VIEW_RESIDENT_FILE):
        raise PermissionDenied
    return LetterTemplate.objects.filter(municipality_id=actor.municipality_id, is_active=True)


def template_in_use(template_id: uuid.UUID | None, actor: Actor) -> LetterTemplate:
    if template_id is None:
        raise Http404
    try:
        return templates_in_use(actor).get(pk=template_id)
    except (LetterTemplate.DoesNotExist, ValidationError, ValueError, TypeError):
        raise Http404 from None


def field_labels() -> dict[str, str]:
    """What each field of a template stands for, in the reader's language: the management screen lists
    them, and a field without a value in the file becomes ``[label]`` in a draft."""
    labels = {
        "naam": _("naam van de inwoner"),
        "adres": _("straat en huisnummer"),
        "postcode_woonplaats": _("postcode en woonplaats"),
        "gemeente": _("naam van de gemeente"),
        "datum": _("datum van vandaag"),
        "afzender": _("uw naam"),
        "functie": _("uw functie"),
        "bespreekdatum": _("datum van de volgende bespreking"),
        "fase": _("fase op de route"),
        "stap": _("laatste stap op de route"),
        "stap_datum": _("datum van de laatste stap"),
        "besluit": _("besluit van de laatste bespreking"),
        "volgende_bespreking": _("volgende bespreking volgens de laatste bespreking"),
        "plek": _("naam van de plek"),
        "aanbieder": _("naam van de aanbieder"),
        "startdatum": _("startdatum op de plek"),
        "uren": _("uren per week op de plek"),
    }
    return {name: labels[name] for name in rules.FIELDS}


def _day(value: dt.date | None) -> str:
    return date_format(value, "j F Y") if value else ""


def letter_values(resident: Resident, actor: Actor) -> dict[str, str]:
    """The values of the fields from the resident's file (scoped by the caller through
    ``residents.selectors.access_resident_for_change``): the person, the plan, the route (read and logged by
    ``routes.selectors.access_route``) and the newest proposal of a domain the actor sees (read and logged by
    ``catalogue.selectors.resident_placements``). The person and the plan are logged here."""
    if not actor.may(Capability.VIEW_RESIDENT_FILE) or resident.municipality_id != actor.municipality_id:
        raise PermissionDenied
    log.record(actor, LogAction.VIEW, Purpose.GUIDANCE, [resident.pk])
    route = access_route(resident, actor)
    visible = visible_domains_of(resident, actor)
    placements = resident_placements(resident, visible, actor)
    proposal = placements.proposals[0] if placements.proposals else None
    review = route.reviews[0] if route.reviews else None  # newest first
    step = route.current
    values = {
        "naam": resident.full_name,
        "adres": resident.street,
        "postcode_woonplaats": " ".join(part for part in (resident.postcode, resident.city) if part),
        "gemeente": actor.municipality.name,
        "datum": _day(timezone.localdate()),
        "afzender": actor.user.display_name(),
        "functie": _("klantmanager") if actor.domain == Domain.WORK else _("Wmo-consulent"),
        "bespreekdatum": _day(plan_of(resident).review_on),
        "fase": step.get_phase_display() if step else "",
        "stap": step.get_phase_display() if step else "",
        "stap_datum": _day(step.starts_on) if step else "",
        "besluit": review.get_decision_display() if review else "",
        "volgende_bespreking": _day(review.next_review_on) if review else "",
        "plek": proposal.placement.title if proposal else "",
        "aanbieder": proposal.placement.provider.name if proposal else "",
        "startdatum": _day(proposal.start_date) if proposal else "",
        "uren": str(proposal.hours_per_week) if proposal else "",
    }
    return values


def draft(template: LetterTemplate, resident: Resident, actor: Actor) -> tuple[str, str]:
    """The subject and body of a new letter: the template filled from the file, in Dutch (dates, the
    caseworker's role, what is still to be filled in) whichever language the caseworker reads Meedoen in."""
    with translation.override("nl"):
        values = letter_values(resident, actor)
        labels = field_labels()
    return rules.fill(template.subject, values, labels), rules.fill(template.body, values, labels)


def _visible_letters(resident: Resident, actor: Actor) -> QuerySet[Letter]:
    domains = sorted(visible_domains_of(resident, actor))
    return Letter.objects.filter(resident=resident, municipality_id=actor.municipality_id).filter(
        Q(domain="") | Q(domain__in=domains)
    )


def resident_letters(resident: Resident, actor: Actor) -> list[Letter]:
    """The letters of a resident whose file the caller scoped: those of the shared file and of the domains
    the actor sees (their own, the other with consent). Logged as a read."""
    if not actor.may(Capability.VIEW_RESIDENT_FILE):
        raise PermissionDenied
    letters = list(_visible_letters(resident, actor).select_related("made_by"))
    log.record(actor, LogAction.VIEW, Purpose.GUIDANCE, [resident.pk])
    return letters


def access_letter(resident: Resident, letter_id: uuid.UUID, actor: Actor, *, logged: bool = True) -> Letter:
    """One letter of the resident the actor may see; 404 for any other id. Logged as a read unless the
    caller only changes it (its action logs that)."""
    if not actor.may(Capability.VIEW_RESIDENT_FILE):
        raise PermissionDenied
    try:
        letter = (
            _visible_letters(resident, actor).select_related("made_by", "sent_recorded_by").get(pk=letter_id)
        )
    except (Letter.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None
    if logged:
        log.record(actor, LogAction.VIEW, Purpose.GUIDANCE, [resident.pk])
    return letter
