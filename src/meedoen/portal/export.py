"""The copy of a resident's data (AVG art. 15), made by a background job: one JSON file with everything
Meedoen holds about the resident, and a PDF of the same for people. Progress is saved as it goes, so the
portal can show it. What the portal pages leave out (staff texts: working notes, explanations, review
notes, …) the copy leaves out by the same rule, ``portal.shown``; the copy says what it leaves out."""

import datetime as dt
import json
import uuid
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Model
from django.template.loader import render_to_string
from django.utils import timezone, translation

from meedoen.audit.models import ProcessingLogEntry
from meedoen.budgets.models import Commitment, InvoiceLine
from meedoen.catalogue.models import Attendance, ProgressReport, Proposal, Seat
from meedoen.experiments.models import Participant
from meedoen.letters.models import Letter
from meedoen.matching.models import AllocatedPair
from meedoen.pdf import tagged_pdf
from meedoen.portal import shown
from meedoen.portal.models import CorrectionRequest, DataExport, OwnWords, PlaceInterest
from meedoen.portal.selectors import describe_looks
from meedoen.residents.models import (
    Consent,
    ExperimentArm,
    LadderScore,
    LegalBasis,
    Plan,
    PlanAction,
    Profile,
    Resident,
)
from meedoen.routes.models import ReorientationRequest, Review, Route, Step

Section = tuple[str, str, list[dict[str, Any]] | dict[str, Any]]

# The models that hold something about a resident (a key to the resident, or to their route, seat, plan,
# proposal or timeline line) and whether the copy holds them. ``portal/tests/test_export_contents.py`` finds
# every such model and fails on one named in neither list, so a new one is not forgotten. An app in the
# portal's own layer (programmes) adds its part through its configuration (``contributed``) and names its
# models in ``resident_copy_models``.
IN_THE_COPY = {
    "residents.Resident", "residents.LegalBasis", "residents.Consent", "residents.LadderScore",
    "residents.Profile", "residents.Plan", "residents.PlanAction", "residents.TimelineEvent",
    "residents.ExperimentArm", "catalogue.Proposal", "catalogue.Seat", "catalogue.Attendance",
    "catalogue.ProgressReport", "routes.Route", "routes.Step", "routes.Review", "routes.ReorientationRequest",
    "matching.AllocatedPair", "budgets.Commitment", "budgets.InvoiceLine", "experiments.Participant",
    "letters.Letter", "portal.PlaceInterest", "portal.OwnWords", "portal.CorrectionRequest",
}  # fmt: skip
NOT_IN_THE_COPY = {
    # The copies themselves: the resident has them already (the page lists them).
    "portal.DataExport": "de kopieën zelf",
    # Bookkeeping rows of an invoice line or a commitment already in the copy (the amounts are there).
    "budgets.LedgerEntry": "boekingen van een factuurregel of toezegging die al in de kopie staan",
    # The budget holder's approval to spend over the free budget of a funding source: about the budget.
    "budgets.OverspendApproval": "goedkeuring van een uitgave boven het vrije budget",
}


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    return value


def _row(obj: Model, fields: list[str]) -> dict[str, Any]:
    """The fields of a row the resident is shown (``shown.shown_fields``: no staff texts)."""
    return {name: _value(getattr(obj, name)) for name in shown.shown_fields(type(obj), fields)}


# The PDF is for people: each key of the JSON under a Dutch name (a key not named here is shown as it is).
PDF_LABELS = {
    "bsn": "BSN",
    "given_names": "voornamen",
    "name_prefix": "tussenvoegsel",
    "family_name": "achternaam",
    "date_of_birth": "geboortedatum",
    "email": "e-mail",
    "phone": "telefoon",
    "street": "straat",
    "postcode": "postcode",
    "city": "plaats",
    "household": "huishouden",
    "languages": "talen",
    "dutch_level": "niveau Nederlands",
    "created_at": "in Meedoen sinds",
    "district": "wijk",
    "domain": "domein",
    "kind": "soort",
    "start_date": "vanaf",
    "end_date": "tot en met",
    "shared_domain": "gedeeld deel",
    "given_on": "gegeven op",
    "withdrawn_on": "ingetrokken op",
    "rung": "trede",
    "scored_on": "datum",
    "talents": "talenten",
    "hours_per_week": "uren per week",
    "workload": "belastbaarheid",
    "travel_radius_km": "reisafstand (km)",
    "travel_mode": "hoe ik reis",
    "physical_needs": "lichamelijke wensen",
    "preferred_days": "dagen",
    "interests": "wat ik leuk vind",
    "own_words_interests": "in mijn eigen woorden",
    "own_words_availability": "wanneer ik kan, in mijn woorden",
    "goals": "doelen",
    "review_on": "volgende bespreking",
    "actions": "afspraken",
    "description": "afspraak",
    "owner": "wie doet het",
    "due_on": "wanneer",
    "done_on": "gedaan op",
    "opened_on": "begonnen op",
    "closed_on": "gestopt op",
    "outcome": "uitkomst",
    "steps": "stappen",
    "reviews": "besprekingen",
    "phase": "fase",
    "starts_on": "vanaf",
    "reason": "reden",
    "is_back": "stap terug",
    "held_on": "datum",
    "decision": "besluit",
    "next_review_on": "volgende bespreking",
    "status": "stand",
    "proposed_at": "voorgesteld op",
    "place": "plek",
    "ended_on": "gestopt op",
    "end_reason": "reden einde",
    "seat": "ik had hier een plek",
    "attendance": "aanwezigheid",
    "progress_reports": "verslagen van de aanbieder",
    "week": "week van",
    "days_present": "dagen aanwezig",
    "hours_present": "uren aanwezig",
    "note": "opmerking",
    "month": "maand",
    "went_well": "wat ging goed",
    "next_steps": "volgende stap",
    "suggested_rung": "voorgestelde trede",
    "score": "hoe goed het past",
    "distance_km": "afstand (km)",
    "allocation_of": "verdeling van",
    "from_domain": "van",
    "to_domain": "aan",
    "requested_at": "gevraagd op",
    "answered_at": "beantwoord op",
    "commitments": "toezeggingen",
    "invoice_lines": "factuurregels",
    "pricing": "manier van betalen",
    "unit": "eenheid",
    "unit_price": "prijs per eenheid",
    "days_per_week": "dagen per week",
    "planned_units": "geplande eenheden",
    "ends_on": "tot en met",
    "override_reason": "reden voor een andere geldbron",
    "provider": "aanbieder",
    "units": "aantal",
    "amount": "bedrag",
    "review_reason": "reden",
    "invited_on": "uitgenodigd op",
    "answered_on": "antwoord op",
    "arm": "groep",
    "assigned_at": "ingeloot op",
    "stratum": "indeling",
    "baseline": "gegevens bij de start",
    "experiment": "onderzoek",
    "arm_name": "groep",
    "voluntary_agreements": "afspraken vrijwillig",
    "review_every_weeks": "bespreking elke zoveel weken",
    "what_applies": "wat voor mij gold",
    "made_at": "gemaakt op",
    "subject": "onderwerp",
    "body": "tekst",
    "sent_on": "verstuurd op",
    "channel": "hoe verstuurd",
    "marked_at": "interessant sinds",
    "conversation_asked_at": "gesprek gevraagd op",
    "conversation_question": "mijn vraag",
    "answer": "antwoord",
    "occurred_at": "wanneer",
    "text": "tekst",
    "detail": "meer",
    "part": "deel",
    "asked_at": "gevraagd op",
    "organisation": "organisatie",
    "role": "rol",
    "person": "naam",
    "action": "wat",
    "purpose": "waarom",
    "happened_on": "datum",
    "rung_from": "van trede",
    "rung_to": "naar trede",
    "certificate": "certificaat",
    "text_put_to_you": "tekst die u kreeg",
    "approved_text": "tekst die u goedkeurde",
    "your_answer": "uw antwoord",
    "your_words": "uw eigen woorden",
    "approval_recorded_at": "goedkeuring vastgelegd op",
    "shared_at": "gedeeld op",
    "taken_down_at": "niet meer gedeeld sinds",
    "project": "project",
    "since": "vanaf",
    "until": "tot en met",
}


def contributed(resident: Resident) -> list[Section]:
    """The parts of the copy that apps in the portal's own layer keep (the programme's successes and
    projects): each app's configuration may offer ``resident_copy(resident)``. The portal may not import
    those apps (pyproject.toml, the layers contract), and they need not know the portal."""
    parts: list[Section] = []
    for config in apps.get_app_configs():
        offer = getattr(config, "resident_copy", None)
        if callable(offer):
            parts.extend(offer(resident))
    return parts


def _sections(resident: Resident) -> list[Section]:
    """(key, Dutch heading, rows) per part of the file, in the order of the PDF."""
    profile = Profile.objects.filter(resident=resident).first()
    plan = Plan.objects.filter(resident=resident).first()
    words = OwnWords.objects.filter(resident=resident).first()
    personal = _row(
        resident,
        [
            "bsn",
            "given_names",
            "name_prefix",
            "family_name",
            "date_of_birth",
            "email",
            "phone",
            "street",
            "postcode",
            "city",
            "household",
            "languages",
            "dutch_level",
            "created_at",
        ],
    )
    personal["district"] = resident.district.name if resident.district else ""
    own: list[Section] = [
        ("persoonsgegevens", "Persoonsgegevens", personal),
        (
            "grondslagen",
            "Uitkering en voorzieningen",
            [
                _row(b, ["domain", "kind", "start_date", "end_date"])
                for b in LegalBasis.objects.filter(resident=resident)
            ],
        ),
        (
            "toestemmingen",
            "Toestemming om te delen",
            [
                _row(c, ["shared_domain", "given_on", "withdrawn_on", "note"])
                for c in Consent.objects.filter(resident=resident)
            ],
        ),
        (
            "participatieladder",
            "Participatieladder",
            [
                _row(s, ["rung", "scored_on", "rationale"])
                for s in LadderScore.objects.filter(resident=resident)
            ],
        ),
        (
            "profiel",
            "Wat ik kan en wil",
            {
                **(
                    _row(
                        profile,
                        [
                            "talents",
                            "hours_per_week",
                            "workload",
                            "travel_radius_km",
                            "travel_mode",
                            "physical_needs",
                            "preferred_days",
                        ],
                    )
                    if profile
                    else {}
                ),
                "interests": list(profile.interests.values_list("name", flat=True)) if profile else [],
                "own_words_interests": words.interests_text if words else "",
                "own_words_availability": words.availability_text if words else "",
            },
        ),
        (
            "plan",
            "Mijn plan",
            {
                **(_row(plan, ["goals", "review_on"]) if plan else {}),
                "actions": [
                    _row(a, ["description", "owner", "due_on", "done_on"])
                    for a in PlanAction.objects.filter(plan__resident=resident)
                ],
            },
        ),
        (
            "route",
            "Mijn route",
            [
                {
                    **_row(r, ["opened_on", "closed_on", "outcome"]),
                    "steps": [
                        _row(s, ["phase", "starts_on", "reason", "is_back"])
                        for s in Step.objects.filter(route=r, corrected_by__isnull=True)
                    ],
                    "reviews": [
                        _row(v, ["held_on", "phase", "decision", "next_review_on"])
                        for v in Review.objects.filter(route=r)
                    ],
                }
                for r in Route.objects.filter(resident=resident)
            ],
        ),
        (
            "plekken",
            "Voorstellen en plekken",
            [
                {
                    **_row(p, ["start_date", "hours_per_week", "status", "proposed_at"]),
                    "place": p.placement.title,
                }
                for p in Proposal.objects.filter(resident=resident).select_related("placement")
            ]
            + [
                {
                    **_row(s, ["starts_on", "ended_on", "end_reason"]),
                    "place": s.placement.title,
                    "seat": True,
                    "attendance": [
                        _row(a, ["week", "days_present", "hours_present", "note"])
                        for a in Attendance.objects.filter(seat=s).order_by("week")
                    ],
                    "progress_reports": [
                        _row(r, ["month", "went_well", "next_steps", "suggested_rung"])
                        for r in ProgressReport.objects.filter(seat=s).order_by("month")
                    ],
                }
                for s in Seat.objects.filter(resident=resident).select_related("placement")
            ]
            + [
                {
                    **_row(p, ["score", "distance_km"]),
                    "place": p.placement.title,
                    "allocation_of": _value(p.run.created_at),
                }
                for p in AllocatedPair.objects.filter(resident=resident).select_related("placement", "run")
            ],
        ),
        (
            "verzoeken_andere_domein",
            "Verzoeken aan een medewerker van het andere domein",
            [
                _row(
                    r,
                    [
                        "kind",
                        "from_domain",
                        "to_domain",
                        "status",
                        "requested_at",
                        "answered_at",
                        "reason",
                        "answer_text",
                    ],
                )
                for r in ReorientationRequest.objects.filter(resident=resident)
            ],
        ),
        (
            "kosten",
            "Wat de gemeente voor mijn plek betaalt",
            {
                "commitments": [
                    {
                        **_row(
                            c,
                            [
                                "pricing",
                                "unit",
                                "unit_price",
                                "hours_per_week",
                                "days_per_week",
                                "planned_units",
                                "starts_on",
                                "ends_on",
                                "status",
                                "override_reason",
                            ],
                        ),
                        "provider": c.provider.name,
                    }
                    for c in Commitment.objects.filter(resident=resident).select_related("provider")
                ],
                "invoice_lines": [
                    {
                        **_row(line, ["unit", "units", "unit_price", "amount", "status", "review_reason"]),
                        "month": _value(line.invoice.month),
                        "provider": line.invoice.provider.name,
                    }
                    for line in InvoiceLine.objects.filter(resident=resident).select_related(
                        "invoice__provider"
                    )
                ],
            },
        ),
        (
            "onderzoek",
            "Onderzoek waaraan ik meedoe",
            [
                {
                    **_row(
                        p,
                        [
                            "status",
                            "invited_on",
                            "answered_on",
                            "withdrawn_on",
                            "arm",
                            "assigned_at",
                            "stratum",
                            "baseline",
                        ],
                    ),
                    "experiment": p.experiment.title,
                }
                for p in Participant.objects.filter(resident=resident).select_related("experiment")
            ]
            + [
                {
                    **_row(
                        a,
                        [
                            "arm_name",
                            "voluntary_agreements",
                            "review_every_weeks",
                            "starts_on",
                            "ends_on",
                        ],
                    ),
                    "experiment": a.experiment_title,
                    "what_applies": True,
                }
                for a in ExperimentArm.objects.filter(resident=resident)
            ],
        ),
        (
            "brieven",
            "Brieven",
            [
                _row(letter, ["made_at", "kind", "subject", "body", "sent_on", "channel"])
                for letter in Letter.objects.filter(resident=resident).order_by("made_at")
            ],
        ),
        (
            "interesses_in_plekken",
            "Plekken die ik interessant vind",
            [
                {
                    **_row(i, ["marked_at", "conversation_asked_at", "conversation_question", "answer"]),
                    "place": i.placement.title,
                }
                for i in PlaceInterest.objects.filter(resident=resident).select_related("placement")
            ],
        ),
        (
            "tijdlijn",
            "Tijdlijn (zonder werkaantekeningen van medewerkers)",
            [_row(e, ["occurred_at", "kind", "text", "detail"]) for e in shown.shown_timeline(resident)],
        ),
        (
            "correcties",
            "Verzoeken om correctie",
            [
                _row(c, ["part", "text", "asked_at", "status", "answer", "answered_at"])
                for c in CorrectionRequest.objects.filter(resident=resident)
            ],
        ),
    ]
    return [*own, *contributed(resident), _log_section(resident)]


def _log_section(resident: Resident) -> Section:
    """The processing-log entries about the resident, oldest first, as *Wie keek er* describes them (the
    person's name only where the municipality shows it); with the resident's own."""
    return (
        "verwerkingen",
        "Wie keek in mijn dossier",
        [
            {
                "occurred_at": _value(look.occurred_at),
                "organisation": look.organisation,
                "role": look.role,
                **({"person": look.person} if look.person else {}),
                "action": look.action,
                "purpose": look.purpose,
                "part": look.part,
            }
            for look in describe_looks(
                list(
                    ProcessingLogEntry.objects.filter(subjects__resident_id=resident.pk)
                    .select_related("actor", "municipality")
                    .order_by("occurred_at", "id")
                ),
                resident,
            )
        ],
    )


UNFINISHED = (DataExport.Status.WAITING, DataExport.Status.RUNNING)


def _progress(export: DataExport, status: str, progress: int) -> None:
    """Save progress, unless the copy was marked failed meanwhile (stuck: a new one was asked for)."""
    with transaction.atomic():
        DataExport.objects.filter(pk=export.pk, status__in=UNFINISHED).update(
            status=status, progress=progress
        )


def make_export(export_id: uuid.UUID) -> None:
    """Build the JSON and the PDF of one requested copy, saving progress on the way."""
    export = DataExport.objects.select_related("resident__district", "municipality").get(pk=export_id)
    if export.status not in UNFINISHED:
        return  # done already, or marked failed as stuck
    try:
        _progress(export, DataExport.Status.RUNNING, 10)
        with translation.override("nl"):  # the copy is in Dutch, whatever language the request had
            sections = _sections(export.resident)
            left_out = str(shown.LEFT_OUT)
        _progress(export, DataExport.Status.RUNNING, 50)
        made_at = timezone.now()
        document = {
            "about": "Kopie van uw gegevens in Meedoen (AVG artikel 15)",
            "municipality": export.municipality.name,
            "made_at": made_at.isoformat(),
            "left_out": left_out,
            **{key: rows for key, _heading, rows in sections},
        }
        data_json = json.dumps(document, ensure_ascii=False, indent=2)
        html = render_to_string(
            "portal/export_pdf.html",
            {
                "export": export,
                "sections": sections,
                "made_at": made_at,
                "municipality": export.municipality,
                "left_out": left_out,
                "labels": PDF_LABELS,
            },
        )
        _progress(export, DataExport.Status.RUNNING, 70)
        pdf = tagged_pdf(html)
        with transaction.atomic():
            DataExport.objects.filter(pk=export.pk, status__in=UNFINISHED).update(
                status=DataExport.Status.DONE,
                progress=100,
                data_json=data_json,
                data_pdf=pdf,
                finished_at=timezone.now(),
            )
    except Exception:
        _progress(export, DataExport.Status.FAILED, 0)
        raise
