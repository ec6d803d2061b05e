"""The resident's forms: plain questions, one thing each."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meedoen.forms import Form
from meedoen.municipalities.forms import VocabularyMultipleChoiceField
from meedoen.municipalities.models import InterestTag, Municipality
from meedoen.municipalities.selectors import list_interest_tags
from meedoen.portal.models import FilePart
from meedoen.residents.models import Weekday


class MunicipalityForm(Form):
    municipality = forms.ChoiceField(
        label=_("In welke gemeente woont u?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies uw gemeente.")},
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = choices  # type: ignore[attr-defined]


class AvailabilityForm(Form):
    """What the resident may change of their profile: what they like and when they can."""

    interests = VocabularyMultipleChoiceField(
        label=_("Wat vindt u leuk om te doen?"),
        queryset=InterestTag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interests_text = forms.CharField(
        label=_("Vertel het in uw eigen woorden (mag leeg blijven)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    hours_per_week = forms.IntegerField(
        label=_("Hoeveel uur per week kunt u?"),
        min_value=0,
        max_value=40,
        required=False,
        error_messages={
            "min_value": _("Vul een aantal uren van 0 tot en met 40 in."),
            "max_value": _("Vul een aantal uren van 0 tot en met 40 in."),
            "invalid": _("Vul een heel getal in."),
        },
    )
    preferred_days = forms.MultipleChoiceField(
        label=_("Op welke dagen kunt u?"),
        choices=Weekday.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    availability_text = forms.CharField(
        label=_("Iets anders over wanneer u kunt (mag leeg blijven)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["interests"].queryset = list_interest_tags(municipality)  # type: ignore[attr-defined]


class ConversationForm(Form):
    question = forms.CharField(
        label=_("Waarover wilt u praten? (mag leeg blijven)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        required=False,
    )


class CorrectionForm(Form):
    part = forms.ChoiceField(
        label=_("Welk deel klopt niet?"),
        choices=[("", "—"), *FilePart.choices],
        error_messages={"required": _("Kies welk deel niet klopt.")},
    )
    text = forms.CharField(
        label=_("Wat klopt er niet, en wat moet het zijn?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": _("Schrijf wat er niet klopt en wat het wel moet zijn.")},
    )


class AnswerForm(Form):
    answer = forms.CharField(
        label=_("Uw antwoord aan de inwoner"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Schrijf een antwoord voor de inwoner.")},
    )


class CorrectionAnswerForm(AnswerForm):
    corrected = forms.ChoiceField(
        label=_("Is het dossier aangepast?"),
        choices=[("ja", _("Ja, ik heb het aangepast")), ("nee", _("Nee, het blijft zoals het is"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies of het dossier is aangepast.")},
    )


class PortalSettingsForm(Form):
    """The functioneel beheerder's choice for Mijn Meedoen."""

    show_staff_names = forms.BooleanField(
        label=_("Toon namen van medewerkers aan inwoners"),
        help_text=_(
            "Aan: een inwoner ziet bij Wie keek er in mijn dossier en in de kopie van zijn gegevens ook de "
            "naam van de medewerker. Uit: alleen de organisatie en de rol."
        ),
        required=False,
    )
