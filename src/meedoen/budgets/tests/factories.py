"""Budget test data. A source's budget and a commitment's amount are ledger entries, as in the app."""

import datetime as dt
from decimal import Decimal

import factory

from meedoen.accounts.tests.factories import UserFactory
from meedoen.budgets import ledger
from meedoen.budgets.models import BudgetYear, Commitment, FundingSource, LedgerEntry, Project
from meedoen.catalogue.tests.factories import SeatFactory
from meedoen.municipalities.tests.factories import MunicipalityFactory


class BudgetYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetYear

    municipality = factory.SubFactory(MunicipalityFactory)
    year = 2026
    created_by = factory.SubFactory(UserFactory)


class FundingSourceFactory(factory.django.DjangoModelFactory):
    """A source of the Participatiewet on taakveld 6.5 with ``amount`` (default € 100.000,00) booked as its
    budget entry."""

    class Meta:
        model = FundingSource
        skip_postgeneration_save = True

    budget_year = factory.SubFactory(BudgetYearFactory)
    municipality = factory.SelfAttribute("budget_year.municipality")
    name = factory.Sequence(lambda n: f"Re-integratiemiddelen {n}")
    legal_basis = "participatiewet"
    taakveld = "6.5"
    created_by = factory.SelfAttribute("budget_year.created_by")

    @factory.post_generation
    def amount(self, create: bool, extracted: Decimal | None, **kwargs: object) -> None:
        if create:
            LedgerEntry.objects.create(
                municipality_id=self.municipality_id,
                budget_year_id=self.budget_year_id,
                source=self,
                kind=ledger.Kind.BUDGET.value,
                amount=Decimal("100000.00") if extracted is None else extracted,
                booked_on=dt.date(self.budget_year.year, 1, 1),
                author=self.created_by,
            )


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.Sequence(lambda n: f"project-{n}")
    name = factory.Sequence(lambda n: f"Project {n}")


class CommitmentFactory(factory.django.DjangoModelFactory):
    """A running commitment for a seat, inspanningsgericht per week, with ``amount`` (default € 1.200,00)
    booked as its commitment entry."""

    class Meta:
        model = Commitment
        skip_postgeneration_save = True

    source = factory.SubFactory(FundingSourceFactory)
    budget_year = factory.SelfAttribute("source.budget_year")
    municipality = factory.SelfAttribute("source.municipality")
    seat = factory.SubFactory(SeatFactory, proposal__municipality=factory.SelfAttribute("...municipality"))
    resident = factory.SelfAttribute("seat.resident")
    provider = factory.SelfAttribute("seat.placement.provider")
    pricing = "inspanningsgericht"
    unit = "week"
    unit_price = Decimal("120.00")
    hours_per_week = Decimal("12.00")
    days_per_week = 3
    planned_units = Decimal("10.00")
    starts_on = dt.date(2026, 1, 5)
    ends_on = dt.date(2026, 3, 15)

    @factory.post_generation
    def amount(self, create: bool, extracted: Decimal | None, **kwargs: object) -> None:
        if create:
            LedgerEntry.objects.create(
                municipality_id=self.municipality_id,
                budget_year_id=self.budget_year_id,
                source=self.source,
                project=self.project,
                kind=ledger.Kind.COMMITMENT.value,
                amount=Decimal("1200.00") if extracted is None else extracted,
                commitment=self,
                booked_on=self.starts_on,
            )
