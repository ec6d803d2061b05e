import factory
from django.utils import timezone

from meedoen.language.models import Term
from meedoen.municipalities.tests.factories import MunicipalityFactory


class TermFactory(factory.django.DjangoModelFactory):
    """An avoided term; ``preferred=True`` makes a preferred term with a meaning."""

    class Meta:
        model = Term

    municipality = factory.SubFactory(MunicipalityFactory)
    kind = Term.Kind.AVOID
    word = factory.Sequence(lambda n: f"woord{n}")
    alternatives = "inwoner"
    why = "Het gaat om inwoners."
    updated_at = factory.LazyFunction(timezone.now)

    class Params:
        preferred = factory.Trait(
            kind=Term.Kind.PREFERRED, alternatives="", meaning="Iemand uit de gemeente."
        )
