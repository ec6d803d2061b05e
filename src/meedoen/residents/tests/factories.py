import datetime as dt

import factory
import factory.random
from stdnum.nl import bsn as stdnum_bsn

from meedoen.municipalities.tests.factories import MunicipalityFactory
from meedoen.residents.models import LegalBasis, Resident

_taken: set[str] = set()


def _fresh_bsn() -> str:
    """A nine-digit number that python-stdnum accepts as a BSN, not used before in this test run."""
    while True:
        number = str(factory.random.randgen.randrange(10**8, 10**9))
        if stdnum_bsn.is_valid(number) and number not in _taken:
            _taken.add(number)
            return number


class ResidentFactory(factory.django.DjangoModelFactory):
    """A resident; traits ``work``, ``care`` and ``both`` add current legal bases."""

    class Meta:
        model = Resident
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    bsn = factory.LazyFunction(_fresh_bsn)
    given_names = factory.Faker("first_name", locale="nl_NL")
    family_name = factory.Faker("last_name", locale="nl_NL")
    date_of_birth = dt.date(1980, 5, 17)
    street = "Stationsstraat 1"
    postcode = "7311AA"
    city = "Apeldoorn"

    class Params:
        work = factory.Trait(
            work_basis=factory.RelatedFactory(
                "meedoen.residents.tests.factories.LegalBasisFactory", factory_related_name="resident"
            )
        )
        care = factory.Trait(
            care_basis=factory.RelatedFactory(
                "meedoen.residents.tests.factories.LegalBasisFactory",
                factory_related_name="resident",
                domain="wmo",
                kind=LegalBasis.Kind.WMO_BEGELEIDING,
            )
        )
        both = factory.Trait(work=True, care=True)


class LegalBasisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalBasis

    resident = factory.SubFactory(ResidentFactory)
    domain = "participatiewet"
    kind = LegalBasis.Kind.BIJSTAND
    start_date = dt.date(2023, 1, 1)
