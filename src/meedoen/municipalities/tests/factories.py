from decimal import Decimal

import factory

from meedoen.municipalities.models import District, Municipality


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Gemeente {n}")
    slug = factory.Sequence(lambda n: f"gemeente-{n}")
    cbs_code = factory.Sequence(lambda n: f"{9000 - n:04d}")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    municipality = factory.SubFactory(MunicipalityFactory)
    area = "Centrum"
    name = factory.Sequence(lambda n: f"Wijk {n}")
    latitude = Decimal("52.21120")
    longitude = Decimal("5.96900")
