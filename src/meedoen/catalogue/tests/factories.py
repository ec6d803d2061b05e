import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from meedoen.accounts.tests.factories import UserFactory
from meedoen.catalogue.models import Contract, Placement, PlacementTag, Proposal, Provider, ProviderKind, Seat
from meedoen.municipalities.tests.factories import MunicipalityFactory
from meedoen.residents.tests.factories import ResidentFactory


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    name = factory.Sequence(lambda n: f"Aanbieder {n}")
    kind = ProviderKind.SOCIAL_ENTERPRISE
    contact_name = "Sanne de Boer"
    email = "info@aanbieder.example"


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    provider = factory.SubFactory(ProviderFactory)
    starts_on = dt.date(2024, 1, 1)


class PlacementFactory(factory.django.DjangoModelFactory):
    """An open placement of activerend werk near the centre of Apeldoorn, funded from both laws."""

    class Meta:
        model = Placement
        skip_postgeneration_save = True

    provider = factory.SubFactory(ProviderFactory)
    title = factory.Sequence(lambda n: f"Plek {n}")
    description = "Samen met anderen werken in de tuin."
    kind = "activerend_werk"
    street = "Loolaan 1"
    postcode = "7315AA"
    city = "Apeldoorn"
    latitude = Decimal("52.21500")
    longitude = Decimal("5.96500")
    capacity = 3
    days = ["ma", "di", "do"]
    start_time = dt.time(9, 0)
    end_time = dt.time(13, 0)
    workload = "laag"
    funding = "beide"
    price = Decimal("120.00")
    tags: list[str] = []

    @factory.post_generation
    def tag_rows(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            PlacementTag.objects.bulk_create([PlacementTag(placement=self, code=code) for code in self.tags])


class ProposalFactory(factory.django.DjangoModelFactory):
    """A proposal waiting for an answer, for a resident (Participatiewet basis) of ``municipality``."""

    class Meta:
        model = Proposal

    placement = factory.SubFactory(PlacementFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    resident = factory.SubFactory(
        ResidentFactory, municipality=factory.SelfAttribute("..municipality"), work=True
    )
    domain = "participatiewet"
    start_date = dt.date(2026, 1, 5)
    hours_per_week = 12
    proposed_by = factory.SubFactory(UserFactory)
    proposed_at = factory.LazyFunction(timezone.now)


class SeatFactory(factory.django.DjangoModelFactory):
    """A resident placed on a placement (its proposal accepted), from ``starts_on``."""

    class Meta:
        model = Seat

    proposal = factory.SubFactory(ProposalFactory, status=Proposal.Status.ACCEPTED)
    municipality = factory.SelfAttribute("proposal.municipality")
    placement = factory.SelfAttribute("proposal.placement")
    resident = factory.SelfAttribute("proposal.resident")
    number = factory.Sequence(lambda n: n + 1)
    starts_on = factory.SelfAttribute("proposal.start_date")
