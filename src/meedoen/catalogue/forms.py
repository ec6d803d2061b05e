"""Forms of the catalogue and the provider portal. They check the shape of input; the rules live in the
actions, whose errors the views put back on the field they name."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meedoen.accounts.forms import NewUserForm
from meedoen.catalogue.models import (
    EFFORT_UNITS,
    OUTPUT_UNITS,
    DeclineReason,
    Funding,
    PhysicalDemand,
    PlacementKind,
    Pricing,
    ProviderKind,
    ShareableItem,
)
from meedoen.forms import CheckedTextarea, Form
from meedoen.municipalities.models import District
from meedoen.residents.forms import date_field
from meedoen.residents.models import DutchLevel, Weekday, Workload
from meedoen.residents.rules import LADDER

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
TIME_ERRORS = {"invalid": _("Vul een tijd in, bijvoorbeeld 09:30.")}
NUMBER_ERRORS = {"invalid": _("Vul een getal in.")}
TOO_MANY_DIGITS = _("Dit bedrag is te groot.")
# The units grouped by the variant they belong to, so the list itself says which unit fits which variant.
UNIT_CHOICES = [
    (_("Inspanningsgericht"), [(unit.value, unit.label) for unit in EFFORT_UNITS]),
    (_("Outputgericht"), [(unit.value, unit.label) for unit in OUTPUT_UNITS]),
]


class ProviderForm(Form):
    name = forms.CharField(label=_("Naam"), max_length=150)
    kind = forms.ChoiceField(label=_("Soort aanbieder"), choices=ProviderKind.choices)
    contact_name = forms.CharField(label=_("Contactpersoon"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("E-mailadres"),
        required=False,
        error_messages={"invalid": _("Vul een geldig e-mailadres in, bijvoorbeeld info@aanbieder.nl.")},
    )
    phone = forms.CharField(label=_("Telefoon"), max_length=30, required=False)
    contract_starts_on = date_field(_("Contract met onze gemeente vanaf"))
    contract_ends_on = date_field(
        _("Contract tot en met"), required=False, help_text=_("Leeg laten als het contract doorloopt.")
    )
    contract_task_budget = forms.DecimalField(
        label=_("Vast bedrag per jaar in euro"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal(0),
        required=False,
        localize=True,
        error_messages=NUMBER_ERRORS
        | {"min_value": _("Het vaste bedrag kan niet negatief zijn."), "max_digits": TOO_MANY_DIGITS},
        help_text=_(
            "Alleen bij taakgericht: het bedrag dat de aanbieder per jaar krijgt voor al het werk onder dit "
            "contract, los van het aantal inwoners, bijvoorbeeld 185000. Anders leeg laten."
        ),
    )


class ProviderUserForm(NewUserForm):
    """A login at a provider: the user form of accounts, with the role always aanbieder."""

    role = None  # type: ignore[assignment]


class PlacementForm(Form):
    title = forms.CharField(label=_("Titel"), max_length=150)
    description = forms.CharField(
        label=_("Beschrijving"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In gewone taal: wat doet iemand hier op een gewone dag?"),
    )
    kind = forms.ChoiceField(label=_("Soort plek"), choices=PlacementKind.choices)
    reference = forms.CharField(
        label=_("Eigen kenmerk"),
        max_length=64,
        required=False,
        help_text=_("Het nummer van deze plek in uw eigen systeem, als u koppelt via de API."),
    )
    street = forms.CharField(label=_("Straat en huisnummer"), max_length=150)
    postcode = forms.CharField(label=_("Postcode"), max_length=7)
    city = forms.CharField(label=_("Plaats"), max_length=100)
    district = forms.ModelChoiceField(
        label=_("Wijk"), queryset=District.objects.none(), required=False, empty_label=_("Geen of onbekend")
    )
    latitude = forms.DecimalField(
        label=_("Breedtegraad"),
        max_digits=8,
        decimal_places=5,
        error_messages=NUMBER_ERRORS,
        help_text=_("Bijvoorbeeld 52.21120. U vindt dit op een kaart-website."),
    )
    longitude = forms.DecimalField(
        label=_("Lengtegraad"), max_digits=8, decimal_places=5, error_messages=NUMBER_ERRORS
    )
    wheelchair_accessible = forms.BooleanField(label=_("Rolstoeltoegankelijk"), required=False)
    transit_nearby = forms.BooleanField(label=_("Bushalte of station dichtbij"), required=False)
    capacity = forms.IntegerField(
        label=_("Aantal plaatsen"),
        min_value=1,
        max_value=500,
        error_messages=NUMBER_ERRORS
        | {
            "min_value": _("Een plek heeft minstens 1 plaats."),
            "max_value": _("Vul hoogstens 500 plaatsen in."),
        },
    )
    days = forms.MultipleChoiceField(
        label=_("Dagen"), choices=Weekday.choices, widget=forms.CheckboxSelectMultiple
    )
    start_time = forms.TimeField(label=_("Van"), widget=TIME, error_messages=TIME_ERRORS)
    end_time = forms.TimeField(label=_("Tot"), widget=TIME, error_messages=TIME_ERRORS)
    workload = forms.ChoiceField(label=_("Werkdruk"), choices=Workload.choices)
    physical_demands = forms.MultipleChoiceField(
        label=_("Wat het werk van het lichaam vraagt"),
        choices=PhysicalDemand.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    dutch_level = forms.ChoiceField(
        label=_("Nodig niveau Nederlands"),
        choices=[("", _("Geen eis")), *DutchLevel.choices],
        required=False,
    )
    tags = forms.MultipleChoiceField(
        label=_("Interesses die passen"), choices=[], widget=forms.CheckboxSelectMultiple, required=False
    )
    learning = forms.CharField(
        label=_("Wat iemand hier leert"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    funding = forms.ChoiceField(label=_("Betaald uit"), choices=Funding.choices)
    pricing = forms.ChoiceField(
        label=_("Manier van betalen"),
        choices=Pricing.choices,
        widget=forms.RadioSelect,
        required=False,
        initial=Pricing.EFFORT.value,
        help_text=_("Zoals in het contract met de gemeente. Niets gekozen: inspanningsgericht."),
    )
    price = forms.DecimalField(
        label=_("Prijs in euro"),
        max_digits=8,
        decimal_places=2,
        min_value=Decimal(0),
        localize=True,
        error_messages=NUMBER_ERRORS
        | {
            "required": _("Vul de prijs in. Alleen bij taakgericht blijft die leeg."),
            "min_value": _("De prijs kan niet negatief zijn."),
            "max_digits": TOO_MANY_DIGITS,
        },
        help_text=_(
            "Bijvoorbeeld 47,50. Bij taakgericht leeg laten: dan betaalt de gemeente via het contract."
        ),
    )
    price_unit = forms.ChoiceField(
        label=_("Prijs per"),
        choices=UNIT_CHOICES,
        required=False,
        initial="week",
        help_text=_("Bij taakgericht telt de eenheid niet."),
    )
    is_open = forms.BooleanField(label=_("Open voor nieuwe voorstellen"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, districts: Any, tags: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts  # type: ignore[attr-defined]
        self.fields["tags"].choices = tags  # type: ignore[attr-defined]
        # A price is needed, except for taakgericht (the contract's lump sum pays for it).
        if self.is_bound and self.data.get("pricing") == Pricing.TASK.value:
            self.fields["price"].required = False

    def values(self) -> dict[str, Any]:
        """The placement's values for the action; no variant chosen is inspanningsgericht (the unit's own
        default is per week), the rules of price and unit are the action's."""
        data = self.cleaned_data
        values = {name: data[name] for name in self.fields if name not in ("tags", "version")}
        return values | {"pricing": data["pricing"] or Pricing.EFFORT.value}


class ProposalForm(Form):
    start_date = date_field(_("Gewenste startdatum"))
    hours_per_week = forms.IntegerField(
        label=_("Uren per week"), min_value=1, max_value=40, error_messages=NUMBER_ERRORS
    )
    note = forms.CharField(
        label=_("Toelichting voor de aanbieder"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_(
            "Schrijf alleen wat de aanbieder nodig heeft. Geen gegevens over uitkering of gezondheid."
        ),
    )
    shared_items = forms.MultipleChoiceField(
        label=_("Ook delen met de aanbieder"),
        choices=ShareableItem.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "De aanbieder ziet altijd naam, telefoon, e-mail en uren. Meer alleen als de inwoner dat wil."
        ),
    )
    resident_agreed = forms.BooleanField(
        label=_("De inwoner vindt het goed dat deze gegevens worden gedeeld"), required=False
    )


class ForwardForm(Form):
    placement = forms.ChoiceField(label=_("Andere plek"), choices=[])
    start_date = date_field(_("Gewenste startdatum"))
    note = forms.CharField(
        label=_("Toelichting voor de aanbieder"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, placements: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["placement"].choices = [("", _("Kies een plek")), *placements]  # type: ignore[attr-defined]


class DeclineForm(Form):
    reason = forms.ChoiceField(
        label=_("Reden"),
        choices=[("", _("Kies een reden")), *DeclineReason.choices],
        error_messages={"required": _("Kies een reden.")},
    )
    text = forms.CharField(
        label=_("Toelichting"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Nodig als u 'anders' kiest."),
    )


class AttendanceForm(Form):
    week = date_field(_("Week"), help_text=_("Een dag in die week; we nemen de maandag."))
    days_present = forms.IntegerField(
        label=_("Dagen aanwezig"), min_value=0, max_value=7, error_messages=NUMBER_ERRORS
    )
    hours_present = forms.DecimalField(
        label=_("Uren aanwezig"),
        min_value=Decimal(0),
        max_value=Decimal(168),
        max_digits=4,
        decimal_places=1,
        error_messages=NUMBER_ERRORS,
    )
    note = forms.CharField(label=_("Opmerking"), max_length=300, required=False)
    change = forms.BooleanField(
        label=_("Deze week is al gemeld en ik wil hem wijzigen"),
        required=False,
        help_text=_("Alleen nodig als u een week verbetert."),
    )


class AttendanceRowForm(Form):
    """One resident's row of the attendance grid. Every field may stay empty: an empty row is not reported."""

    days_present = forms.IntegerField(
        label=_("Dagen aanwezig"), min_value=0, max_value=7, required=False, error_messages=NUMBER_ERRORS
    )
    hours_present = forms.DecimalField(
        label=_("Uren aanwezig"),
        min_value=Decimal(0),
        max_value=Decimal(168),
        max_digits=4,
        decimal_places=1,
        required=False,
        localize=True,
        error_messages=NUMBER_ERRORS,
    )
    note = forms.CharField(label=_("Reden afwezig of opmerking"), max_length=300, required=False)
    seen = forms.CharField(widget=forms.HiddenInput, required=False)
    change = forms.BooleanField(label=_("wijzigen"), required=False)


class ReportForm(Form):
    month = date_field(_("Maand"), help_text=_("Een dag in die maand."))
    went_well = forms.CharField(label=_("Wat ging goed"), widget=CheckedTextarea(attrs={"rows": 3}))
    next_steps = forms.CharField(
        label=_("Wat is de volgende stap"), widget=CheckedTextarea(attrs={"rows": 3})
    )
    suggested_rung = forms.TypedChoiceField(
        label=_("Voorgestelde trede op de participatieladder"),
        choices=[("", _("Geen voorstel"))]
        + [(rung, f"{rung}. {name}") for rung, (name, _d) in LADDER.items()],
        coerce=int,
        empty_value=None,
        required=False,
    )


class EndSeatForm(Form):
    ended_on = date_field(_("Laatste dag"))
    reason = forms.CharField(label=_("Waarom eindigt de plaatsing?"), max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"ended_on": dt.date.today()})  # noqa: DTZ011 - a calendar date
        super().__init__(*args, **kwargs)
