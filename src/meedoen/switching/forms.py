"""The question of the switch insight (a proposed step: hours, wage or wage-cost subsidy, the household), and
the functioneel beheerder's form for one dated figure. The rules themselves are in ``rules``: a refusal of
theirs is shown at the field it names."""

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meedoen.forms import Form
from meedoen.residents.forms import date_field
from meedoen.switching import rules
from meedoen.switching.models import KEY_CHOICES

HOUSEHOLD_CHOICES = [
    (rules.ALONE, _("Alleenstaand")),
    (rules.SINGLE_PARENT, _("Alleenstaande ouder")),
    (rules.COUPLE, _("Getrouwd of samenwonend, zonder kinderen")),
    (rules.COUPLE_WITH_CHILDREN, _("Getrouwd of samenwonend, met kinderen")),
]
# The resident file's household (residents.models.Household) as the calculation's; "anders" has none.
FROM_FILE = {
    "alleenstaand": rules.ALONE,
    "eenouder": rules.SINGLE_PARENT,
    "samen": rules.COUPLE,
    "gezin": rules.COUPLE_WITH_CHILDREN,
}


def _money(label: Any, help_text: Any = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=False, max_digits=9, decimal_places=2, localize=True, help_text=help_text
    )


class InsightForm(Form):
    starts_on = date_field(
        _("Startdatum van de stap"),
        help_text=_("De berekening begint in deze maand en loopt twaalf maanden."),
    )
    hours_per_week = forms.DecimalField(
        label=_("Uren per week"), max_digits=4, decimal_places=1, localize=True
    )
    hourly_wage = _money(_("Bruto uurloon"), _("Leeg: het wettelijk minimumloon voor de leeftijd."))
    monthly_wage = _money(_("Of: bruto maandloon"), _("Alleen als er geen uurloon is."))
    net_monthly = _money(_("Nettoloon per maand"), _("Als u het weet, bijvoorbeeld van een loonstrook."))
    wage_cost_subsidy = forms.BooleanField(
        label=_("Met loonkostensubsidie"),
        required=False,
        help_text=_(
            "De werkgever betaalt ten minste het minimumloon; de gemeente vult aan bij de werkgever."
        ),
    )
    household = forms.ChoiceField(label=_("Huishouden"), choices=HOUSEHOLD_CHOICES)
    partner_age = forms.IntegerField(
        label=_("Leeftijd van de partner"), required=False, help_text=_("Leeg: 21 jaar of ouder.")
    )
    youngest_child_age = forms.IntegerField(
        label=_("Leeftijd van het jongste kind"),
        required=False,
        help_text=_("Voor de extra vrijlating van een alleenstaande ouder."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("hourly_wage") is not None and data.get("monthly_wage") is not None:
            self.add_error("monthly_wage", _("Vul een uurloon of een maandloon in, niet allebei."))
        return data

    def step(self) -> rules.ProposedStep:
        data = self.cleaned_data
        return rules.ProposedStep(
            starts_on=data["starts_on"],
            hours_per_week=data["hours_per_week"],
            hourly_wage=data.get("hourly_wage"),
            monthly_wage=data.get("monthly_wage"),
            net_monthly=data.get("net_monthly"),
            wage_cost_subsidy=bool(data.get("wage_cost_subsidy")),
        )

    def situation(self, birth_date: dt.date) -> rules.Situation:
        data = self.cleaned_data
        return rules.Situation(
            household=data["household"],
            birth_date=birth_date,
            partner_age=data.get("partner_age"),
            youngest_child_age=data.get("youngest_child_age"),
        )


class FigureForm(Form):
    key = forms.ChoiceField(label=_("Wat"), choices=KEY_CHOICES)
    valid_from = date_field(_("Geldt vanaf"))
    value = forms.DecimalField(
        label=_("Bedrag of getal"),
        required=False,
        max_digits=12,
        decimal_places=3,
        localize=True,
        help_text=_("Leeg als het niet gevonden is: zeg dan in de bron waar u zocht."),
    )
    source = forms.CharField(
        label=_("Bron"),
        max_length=500,
        help_text=_("Bijvoorbeeld: Staatscourant 2026, nr. …, of de normenbrief van SZW."),
    )
