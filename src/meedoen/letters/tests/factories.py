import factory
from django.utils import timezone

from meedoen.letters.models import LetterKind, LetterTemplate
from meedoen.municipalities.tests.factories import MunicipalityFactory


class LetterTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LetterTemplate

    municipality = factory.SubFactory(MunicipalityFactory)
    kind = LetterKind.INVITATION
    name = factory.Sequence(lambda n: f"Uitnodiging {n}")
    subject = "Uitnodiging voor een gesprek"
    body = (
        "Beste {naam},\n\nKom op [dag en datum] naar het gemeentehuis.\n\nMet vriendelijke groet,\n{afzender}"
    )
    updated_at = factory.LazyFunction(timezone.now)
