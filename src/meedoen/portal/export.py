"""The copy of a resident's data (AVG art. 15), made by a background job: one JSON file with everything
Meedoen holds about the resident, and a PDF of the same for people. Progress is saved as it goes, so the
portal can show it. What the portal pages leave out (staff texts: working notes, explanations, review
notes, …) the copy leaves out by the same rule, ``portal.shown``; the copy says what it leaves out."""

import datetime as dt
import json
import uuid
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.template.loader import render_to_string
from django.utils import timezone, translation

from meedoen.audit.models import ProcessingLogEntry
from meedoen.catalogue.models import Proposal, Seat
from meedoen.pdf import tagged_pdf
from meedoen.portal import shown
from meedoen.portal.models import CorrectionRequest, DataExport, OwnWords, PlaceInterest
from meedoen.residents.models import (
    Consent,
    LadderScore,
    LegalBasis,
    Plan,
    PlanAction,
    Profile,
    Resident,
)
from meedoen.routes.models import Review, Route, Step


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    return value


def _row(obj: Model, fields: list[str]) -> dict[str, Any]:
    """The fields of a row the resident is shown (``shown.shown_fields``: no staff texts)."""
    return {name: _value(getattr(obj, name)) for name in shown.shown_fields(type(obj), fields)}


def _sections(resident: Resident) -> list[tuple[str, str, list[dict[str, Any]] | dict[str, Any]]]:
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
    return [
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
                {**_row(s, ["starts_on", "ended_on", "end_reason"]), "place": s.placement.title, "seat": True}
                for s in Seat.objects.filter(resident=resident).select_related("placement")
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
        (
            "verwerkingen",
            "Wie keek in mijn dossier",
            [
                _row(e, ["occurred_at", "actor_role", "action", "purpose", "endpoint"])
                for e in ProcessingLogEntry.objects.filter(subjects__resident_id=resident.pk)
            ],
        ),
    ]


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
        sections = _sections(export.resident)
        _progress(export, DataExport.Status.RUNNING, 50)
        made_at = timezone.now()
        with translation.override("nl"):  # the copy is in Dutch, whatever language the request had
            left_out = str(shown.LEFT_OUT)
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
