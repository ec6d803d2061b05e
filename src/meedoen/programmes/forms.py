"""The programme's forms. Texts are at most what the models take; dates as the rest of Meedoen shows them."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meedoen.forms import CheckedTextarea, Form
from meedoen.programmes import rules
from meedoen.programmes.models import MEASURE_CHOICES, UNIT_CHOICES
from meedoen.residents.forms import date_field
from meedoen.routes.models import PHASE_CHOICES


class ProgrammeForm(Form):
    name = forms.CharField(label=_("Naam van het programma"), max_length=150)
    goal = forms.CharField(
        label=_("Centraal doel"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    starts_on = date_field(_("Vanaf"))
    ends_on = date_field(_("Tot en met"), required=False)


class TeamMemberForm(Form):
    name = forms.CharField(label=_("Naam"), max_length=150)
    department = forms.CharField(label=_("Afdeling"), max_length=150)
    task = forms.CharField(label=_("Taak in het team"), max_length=200, required=False)


class ProjectProfileForm(Form):
    owner = forms.CharField(label=_("Eigenaar"), max_length=150)
    owner_user = forms.ChoiceField(
        label=_("Eigenaar in Meedoen"),
        required=False,
        help_text=_("Deze collega schrijft elk kwartaal de tekst over het project voor de raad."),
    )
    goal = forms.CharField(label=_("Doel"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    starts_on = date_field(_("Vanaf"))
    ends_on = date_field(_("Tot en met"), required=False)
    target_groups = forms.MultipleChoiceField(
        label=_("Groepen"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Een inwoner uit een van deze groepen doet mee aan het project."),
    )
    providers = forms.MultipleChoiceField(
        label=_("Aanbieders"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Een inwoner met een lopende plek bij een van deze aanbieders doet mee."),
    )
    placements = forms.MultipleChoiceField(
        label=_("Plekken"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Een inwoner met een lopende plek op een van deze plekken doet mee."),
    )

    def __init__(
        self,
        *args: Any,
        groups: Any = (),
        providers: Any = (),
        placements: Any = (),
        owners: Any = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_user"].choices = [  # type: ignore[attr-defined]
            ("", _("Niemand in Meedoen")),
            *[(str(u.pk), u.display_name()) for u in owners],
        ]
        self.fields["target_groups"].choices = [(str(g.pk), g.label) for g in groups]  # type: ignore[attr-defined]
        self.fields["providers"].choices = [(str(p.pk), p.name) for p in providers]  # type: ignore[attr-defined]
        self.fields["placements"].choices = [  # type: ignore[attr-defined]
            (str(p.pk), f"{p.title} ({p.provider.name})") for p in placements
        ]


class ProjectMemberForm(Form):
    project = forms.ChoiceField(label=_("Project"))
    since = date_field(_("Vanaf"))
    reason = forms.CharField(label=_("Waarom in dit project"), max_length=300, required=False)

    def __init__(self, *args: Any, projects: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [  # type: ignore[attr-defined]
            ("", _("Kies een project")),
            *[(str(p.pk), p.name) for p in projects],
        ]


class IndicatorForm(Form):
    name = forms.CharField(label=_("Naam"), max_length=150)
    code = forms.SlugField(
        label=_("Code"),
        max_length=50,
        help_text=_("Kleine letters, cijfers en streepjes, bijvoorbeeld jongeren-werk."),
    )
    how_computed = forms.CharField(
        label=_("Hoe berekend"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("In gewone taal: wat telt mee en wat niet."),
    )
    measure = forms.ChoiceField(
        label=_("Bouwsteen"), choices=[("", _("Kies een bouwsteen")), *MEASURE_CHOICES]
    )
    phase = forms.ChoiceField(
        label=_("Fase"),
        required=False,
        choices=[("", _("Geen")), *PHASE_CHOICES],
        help_text=_("Alleen bij bouwstenen met een fase."),
    )
    months = forms.IntegerField(
        label=_("Aantal maanden"),
        required=False,
        min_value=1,
        max_value=36,
        help_text=_("Alleen bij bouwstenen over een periode."),
    )
    min_age = forms.IntegerField(
        label=_("Alleen inwoners vanaf leeftijd"), required=False, min_value=15, max_value=100
    )
    target_group = forms.ChoiceField(label=_("Alleen inwoners uit de groep"), required=False)
    unit = forms.ChoiceField(label=_("Eenheid"), choices=UNIT_CHOICES)
    higher_is_better = forms.TypedChoiceField(
        label=_("Wat is beter?"),
        choices=[("1", _("Hoger is beter")), ("0", _("Lager is beter"))],
        coerce=lambda v: v == "1",
        initial="1",
        widget=forms.RadioSelect,
    )
    target = forms.DecimalField(label=_("Streefwaarde"), required=False, max_digits=12, decimal_places=2)
    target_from = date_field(_("Streefwaarde vanaf"), required=False)
    target_until = date_field(_("Streefwaarde tot en met"), required=False)

    def __init__(self, *args: Any, groups: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._groups = {str(g.pk): g for g in groups}
        self.fields["target_group"].choices = [  # type: ignore[attr-defined]
            ("", _("Alle inwoners")),
            *[(k, g.label) for k, g in self._groups.items()],
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        measure = data.get("measure")
        if measure and measure in rules.MEASURES and data.get("unit"):
            expected = rules.MEASURES[measure].unit.value
            if data["unit"] != expected:
                self.add_error(
                    "unit", _("Deze bouwsteen telt in %(unit)s.") % {"unit": dict(UNIT_CHOICES)[expected]}
                )
        return data

    def group(self) -> Any:
        return self._groups.get(self.cleaned_data.get("target_group") or "")


class TargetForm(Form):
    value = forms.DecimalField(label=_("Streefwaarde"), max_digits=12, decimal_places=2)
    starts_on = date_field(_("Vanaf maand"))
    ends_on = date_field(_("Tot en met maand"))


class RollupForm(Form):
    month = forms.CharField(label=_("Maand"), max_length=7, help_text=_("Bijvoorbeeld 2026-05."))

    def clean_month(self) -> Any:
        try:
            period = rules.parse_period(self.cleaned_data["month"])
        except rules.FormulaError as error:
            raise forms.ValidationError(error.message) from None
        if len(period.months) != 1:
            raise forms.ValidationError(_("Kies één maand, bijvoorbeeld 2026-05."))
        return period.first


def parse_quarter(text: str) -> rules.Period:
    try:
        period = rules.parse_period(text)
    except rules.FormulaError:
        raise forms.ValidationError(_("Schrijf een kwartaal als 2026-Q2.")) from None
    if len(period.months) != 3:
        raise forms.ValidationError(_("Kies een kwartaal, zoals 2026-Q2."))
    return period


class CouncilReportForm(Form):
    quarter = forms.CharField(label=_("Kwartaal"), max_length=7, help_text=_("Bijvoorbeeld 2026-Q2."))

    def clean_quarter(self) -> rules.Period:
        return parse_quarter(self.cleaned_data["quarter"])


class ProjectTextForm(Form):
    text = forms.CharField(
        label=_("Tekst voor de raad"),
        widget=CheckedTextarea(attrs={"rows": 8}),
        max_length=4000,
        help_text=_(
            "Wat ging goed, wat ging minder goed, en wat gaat u het volgende kwartaal doen? Schrijf in "
            "gewone taal, in een paar zinnen. Noem geen namen van inwoners."
        ),
    )


class SuccessForm(Form):
    text = forms.CharField(
        label=_("Tekst om te delen"),
        widget=CheckedTextarea(attrs={"rows": 4}),
        max_length=1000,
        error_messages={"required": _("Schrijf samen met de inwoner een tekst.")},
        help_text=_(
            "Schrijf de tekst samen met de inwoner, in de woorden die de inwoner goed vindt. Er staat geen "
            "naam bij het succes, behalve als de inwoner die zelf in de tekst wil."
        ),
    )
    resident_agreed = forms.BooleanField(
        label=_(
            "De inwoner las deze tekst en vindt het goed dat we hem delen: op de pagina Successen (voor de "
            "teams van werk en zorg en de aanbieders) en in de rapportage voor de gemeenteraad."
        ),
        required=False,  # the view asks for it when the approval is recorded (not to share or reject)
        error_messages={"required": _("Vink aan dat de inwoner deze tekst goedvindt.")},
    )


class CertificateForm(Form):
    resident = forms.ChoiceField(label=_("Inwoner"))
    certificate = forms.CharField(label=_("Naam van het certificaat"), max_length=150)
    happened_on = date_field(_("Behaald op"))

    def __init__(self, *args: Any, residents: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resident"].choices = [("", _("Kies een inwoner")), *residents]  # type: ignore[attr-defined]


class SuccessWordsForm(Form):
    """The resident, in Mijn Meedoen: other words for the text of a success."""

    words = forms.CharField(
        label=_("Wilt u het anders zeggen? Schrijf dan hier uw eigen woorden."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": _("Schrijf de woorden die u wilt.")},
        help_text=_("Uw klantmanager of consulent past de tekst aan. Daarna vragen we het u opnieuw."),
    )
