"""Every write of letters, one transaction each: the templates (the functioneel beheerder's, configuration
without personal data) and the letters (a caseworker's, on the resident's timeline and in the processing
log)."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from meedoen.accounts.actor import Actor
from meedoen.accounts.policies import Capability
from meedoen.audit import log
from meedoen.audit.models import LogAction, Purpose
from meedoen.errors import RuleError
from meedoen.letters import pdf, rules
from meedoen.letters.models import Channel, Letter, LetterKind, LetterTemplate
from meedoen.municipalities.models import Municipality
from meedoen.residents.actions import do_add_timeline_event
from meedoen.residents.models import Resident, TimelineEvent


@dataclass(frozen=True)
class TemplateInput:
    kind: str
    name: str
    subject: str
    body: str
    is_active: bool = True


def _may_manage(actor: Actor) -> None:
    if not actor.may(Capability.MANAGE_GLOSSARY):
        raise PermissionDenied


def _check_template(data: TemplateInput) -> None:
    for field in ("subject", "body"):
        unknown = rules.unknown_fields(getattr(data, field))
        if unknown:
            raise RuleError(
                field,
                _("Dit veld kent Meedoen niet: %(fields)s. Kies een veld uit de lijst onder het formulier.")
                % {"fields": ", ".join(f"{{{name}}}" for name in unknown)},
            )
    if not data.body.strip():
        raise RuleError("body", _("Schrijf de tekst van de brief."))


def _write_template(template: LetterTemplate, data: TemplateInput, actor: Actor | None) -> LetterTemplate:
    template.kind = data.kind
    template.name = data.name.strip()
    template.subject = data.subject.strip()
    template.body = data.body.strip()
    template.is_active = data.is_active
    template.updated_at = timezone.now()
    template.updated_by = actor.user if actor else None
    try:
        with transaction.atomic():
            template.save()
    except IntegrityError:
        raise RuleError("name", _("Er is al een sjabloon met deze naam.")) from None
    return template


def do_add_letter_template(data: TemplateInput, *, actor: Actor) -> LetterTemplate:
    _may_manage(actor)
    _check_template(data)
    with transaction.atomic():
        return _write_template(LetterTemplate(municipality=actor.municipality, version=1), data, actor)


def do_change_letter_template(
    template: LetterTemplate, data: TemplateInput, *, version: int, actor: Actor
) -> LetterTemplate:
    _may_manage(actor)
    _check_template(data)
    with transaction.atomic():
        locked = LetterTemplate.objects.select_for_update().get(
            pk=template.pk, municipality_id=actor.municipality_id
        )
        if locked.version != version:
            raise RuleError(
                None, _("Iemand anders heeft dit sjabloon net veranderd. Bekijk de nieuwe tekst.")
            )
        locked.version += 1
        return _write_template(locked, data, actor)


def do_seed_letter_templates(municipality: Municipality) -> int:
    """The demo's and a new municipality's first templates (``letters/seed.py``); a municipality that has
    templates is left as it is."""
    from meedoen.letters.seed import TEMPLATES

    with transaction.atomic():
        if LetterTemplate.objects.filter(municipality=municipality).exists():
            return 0
        for kind, name, subject, body in TEMPLATES:
            _write_template(
                LetterTemplate(municipality=municipality, version=1),
                TemplateInput(kind=kind, name=name, subject=subject, body=body),
                None,
            )
        return len(TEMPLATES)


def _may_write(resident: Resident, actor: Actor) -> None:
    if (
        not actor.may(Capability.VIEW_RESIDENT_FILE)
        or actor.domain is None
        or resident.municipality_id != actor.municipality_id
    ):
        raise PermissionDenied


def do_make_letter(
    resident: Resident,
    *,
    template: LetterTemplate | None,
    subject: str,
    body: str,
    domain_only: bool,
    actor: Actor,
) -> Letter:
    """Make the letter as a PDF and put it on the resident's timeline (the resident scoped by the caller).
    Refused while something is still to be filled in (square brackets or a field in braces)."""
    _may_write(resident, actor)
    subject, body = subject.strip(), body.strip()
    for field, text in (("subject", subject), ("body", body)):
        still_open = rules.open_places(text)
        if still_open:
            raise RuleError(
                field,
                _("Vul eerst in wat nog tussen haken staat: %(places)s.")
                % {"places": ", ".join(still_open[:3])},
            )
    if not body:
        raise RuleError("body", _("Schrijf de tekst van de brief."))
    today = timezone.localdate()
    sender = actor.user.display_name()
    address = [
        resident.full_name,
        resident.street,
        " ".join(p for p in (resident.postcode, resident.city) if p),
    ]
    content = pdf.letter_pdf(
        municipality=actor.municipality.name,
        subject=subject,
        body=body,
        recipient=address,
        sender=sender,
        on=today,
    )
    name = f"brief-{today:%Y-%m-%d}-{slugify(subject)[:50] or 'brief'}.pdf"
    domain = str(actor.domain) if domain_only else ""
    with transaction.atomic():
        event = do_add_timeline_event(
            resident,
            kind=TimelineEvent.Kind.CONTACT,
            text=_("Brief gemaakt: %(subject)s") % {"subject": subject},
            actor=actor,
            domain=domain,
            attachment=SimpleUploadedFile(name, content, content_type="application/pdf"),
        )
        return Letter.objects.create(
            municipality_id=actor.municipality_id,
            resident=resident,
            template=template,
            kind=template.kind if template else LetterKind.OTHER,
            subject=subject,
            body=body,
            domain=domain,
            event=event,
            made_by=actor.user,
            made_at=event.occurred_at,
        )


def do_record_sending(letter: Letter, *, sent_on: dt.date, channel: str, actor: Actor) -> Letter:
    """Record when and how a letter went to the resident, with a line on the timeline. Once per letter."""
    _may_write(letter.resident, actor)
    if channel not in Channel.values:
        raise RuleError("channel", _("Kies hoe de brief is verstuurd."))
    if sent_on > timezone.localdate():
        raise RuleError(
            "sent_on", _("Deze datum ligt in de toekomst. Leg het versturen vast als het gebeurd is.")
        )
    if sent_on < timezone.localtime(letter.made_at).date():
        raise RuleError(
            "sent_on",
            _("De brief is pas op %(day)s gemaakt.")
            % {"day": date_format(timezone.localtime(letter.made_at).date(), "j F Y")},
        )
    with transaction.atomic():
        locked = Letter.objects.select_for_update().get(pk=letter.pk)
        if locked.sent_on is not None:
            raise RuleError(None, _("Het versturen van deze brief is al vastgelegd."))
        locked.sent_on, locked.channel = sent_on, channel
        locked.sent_recorded_by, locked.sent_recorded_at = actor.user, timezone.now()
        locked.save(update_fields=["sent_on", "channel", "sent_recorded_by", "sent_recorded_at"])
        do_add_timeline_event(
            letter.resident,
            kind=TimelineEvent.Kind.CONTACT,
            text=_("Brief verstuurd (%(channel)s, %(day)s): %(subject)s")
            % {
                "channel": Channel(channel).label.lower(),
                "day": date_format(sent_on, "j F Y"),
                "subject": letter.subject,
            },
            actor=actor,
            domain=letter.domain,
        )
        log.record(actor, LogAction.UPDATE, Purpose.GUIDANCE, [letter.resident_id])
    return locked
