import datetime as dt

import factory
import factory.random

from meedoen.demo.population import valid_bsn
from meedoen.municipalities.tests.factories import MunicipalityFactory
from meedoen.residents.models import LegalBasis, Resident

_taken: set[str] = set()


class ResidentFactory(factory.django.DjangoModelFactory):
    """A resident; traits ``work``, ``care`` and ``both`` add current legal bases."""

    class Meta:
        model = Resident
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    bsn = factory.LazyFunction(lambda: valid_bsn(factory.random.randgen, _taken))
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
