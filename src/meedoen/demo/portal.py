"""Demo data for Mijn Meedoen (docs/portal.md): the demo resident of each municipality marked two places as
interesting, asked for a conversation about one, wrote a few words of their own, and asked for a
correction, so the caseworker's worklist shows residents' questions and the portal has something to show.
The demo resident logs in through DigiD's mock identity provider with the BSN that ``demo_digid_logins``
prints."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from meedoen.catalogue.models import Contract, Placement
from meedoen.municipalities.models import Municipality
from meedoen.portal.models import CorrectionRequest, OwnWords, PlaceInterest
from meedoen.residents.models import Resident


@dataclass(frozen=True)
class DigidLogin:
    municipality: str
    name: str
    bsn: str


def demo_resident(municipality: Municipality) -> Resident | None:
    return Resident.objects.filter(
        municipality=municipality, user__username=f"inwoner.{municipality.slug}"
    ).first()


def build_portal(municipality: Municipality, today: dt.date) -> None:
    """Once per municipality, after the offer and the demo resident exist. ``Purpose.DEMO`` rows only."""
    resident = demo_resident(municipality)
    if resident is None or PlaceInterest.objects.filter(resident=resident).exists():
        return
    providers = Contract.objects.filter(municipality=municipality).values("provider_id")
    places = list(Placement.objects.filter(provider_id__in=providers).order_by("title")[:2])
    now = timezone.now()
    for index, place in enumerate(places):
        PlaceInterest.objects.create(
            municipality=municipality,
            resident=resident,
            placement=place,
            marked_at=now - dt.timedelta(days=6 - index),
            conversation_asked_at=now - dt.timedelta(days=2) if index == 0 else None,
            conversation_question="Kan ik eerst een dag meelopen?" if index == 0 else "",
        )
    OwnWords.objects.create(
        resident=resident,
        interests_text="Ik ben graag buiten bezig, met mijn handen.",
        availability_text="'s Ochtends gaat het beter dan 's middags.",
        updated_at=now - dt.timedelta(days=3),
    )
    CorrectionRequest.objects.create(
        municipality=municipality,
        resident=resident,
        part="persoonsgegevens",
        text="Mijn telefoonnummer is veranderd. Het nieuwe nummer geef ik graag door in een gesprek.",
        asked_at=now - dt.timedelta(days=1),
    )


def demo_digid_logins() -> list[DigidLogin]:
    return [
        DigidLogin(r.municipality.name, r.full_name, r.bsn)
        for r in Resident.objects.filter(user__username__startswith="inwoner.")
        .select_related("municipality")
        .order_by("municipality__name")
    ]
