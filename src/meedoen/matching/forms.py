from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meedoen.forms import Form
from meedoen.municipalities.forms import VocabularyChoiceField
from meedoen.municipalities.models import District, Municipality, TargetGroup
from meedoen.municipalities.selectors import list_districts, list_target_groups

WEIGHT_ERRORS = {
    "invalid": _("Vul een heel getal in."),
    "min_value": _("Kies een gewicht van 0 tot en met 10."),
    "max_value": _("Kies een gewicht van 0 tot en met 10."),
}


def _weight(label: Any, help_text: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=0, max_value=10, help_text=help_text, error_messages=WEIGHT_ERRORS
    )


class WeightsForm(Form):
    interests = _weight(_("Interesses"), _("Hoe goed de plek past bij wat de inwoner graag doet."))
    distance = _weight(_("Afstand"), _("Hoe dichtbij de plek is, binnen de reisafstand van de inwoner."))
    hours = _weight(_("Uren"), _("Of de uren van de plek passen bij de uren die de inwoner wil."))
    days = _weight(_("Dagen"), _("Of de plek op de voorkeursdagen van de inwoner is."))
    phase = _weight(
        _("Fase van de route"), _("Of de soort plek past bij de fase van de inwoner op de route.")
    )
    waiting = _weight(_("Wachttijd"), _("Hoe lang de inwoner al wacht op een plek."))


class AllocationForm(Form):
    target_group = VocabularyChoiceField(
        label=_("Alleen deze groep"),
        queryset=TargetGroup.objects.none(),
        required=False,
        empty_label=_("Alle groepen"),
    )
    district = forms.ModelChoiceField(
        label=_("Alleen deze wijk"),
        queryset=District.objects.none(),
        required=False,
        empty_label=_("Alle wijken"),
    )

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_group"].queryset = list_target_groups(municipality)  # type: ignore[attr-defined]
        self.fields["district"].queryset = list_districts(municipality)  # type: ignore[attr-defined]
