"""Forms of the budget. They check the shape of input; the rules live in the actions, whose errors the views
put back on the field they name.

The sections below are owned by different parts of the work; keep new forms in their own section."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meedoen.budgets.models import LegalBasis
from meedoen.catalogue.models import Funding, PlacementKind
from meedoen.forms import Form
from meedoen.residents.forms import date_field
from meedoen.residents.models import LEGAL_DOMAIN_CHOICES

# ------------------------------------------------------------ budget year, sources, projects, allocations

REASON_TEXT = _("Schrijf kort op waarom. Dit blijft bij de boeking staan.")

AMOUNT_ERRORS = {
    "required": _("Vul een bedrag in euro in."),
    "invalid": _("Vul een bedrag in, zoals 1250,50."),
    "max_decimal_places": _("Een bedrag heeft hoogstens twee cijfers achter de komma."),
    "max_digits": _("Dit bedrag is te groot."),
    "max_whole_digits": _("Dit bedrag is te groot."),
}


def amount_field(label: Any, *, help_text: Any = "", min_value: Decimal | None = None) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=14,
        decimal_places=2,
        min_value=min_value,
        localize=True,
        help_text=help_text,
        error_messages=AMOUNT_ERRORS | {"min_value": _("Het bedrag kan niet negatief zijn.")},
    )


class OpenBudgetYearForm(Form):
    year = forms.IntegerField(
        label=_("Jaar"),
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": _("Vul het jaar in, zoals 2026."),
            "invalid": _("Vul het jaar in, zoals 2026."),
            "min_value": _("Kies een jaar tussen 2000 en 2100."),
            "max_value": _("Kies een jaar tussen 2000 en 2100."),
        },
    )


class FundingSourceForm(Form):
    name = forms.CharField(
        label=_("Naam"), max_length=150, error_messages={"required": _("Geef de geldbron een naam.")}
    )
    legal_basis = forms.ChoiceField(label=_("Wettelijke grondslag"), choices=LegalBasis.choices)
    taakveld = forms.ChoiceField(label=_("Iv3-taakveld"))
    amount = amount_field(_("Bedrag in euro"), min_value=Decimal(0))

    def __init__(self, *args: object, taakvelden: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["taakveld"].choices = taakvelden  # type: ignore[attr-defined]


class ProjectForm(Form):
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        help_text=_("Korte sleutel voor exports, alleen kleine letters, cijfers en streepjes."),
        error_messages={
            "required": _("Vul een code in, zoals werkfit-2026."),
            "invalid": _("Gebruik alleen letters, cijfers en streepjes."),
        },
    )
    name = forms.CharField(
        label=_("Naam"), max_length=150, error_messages={"required": _("Geef het project een naam.")}
    )
    description = forms.CharField(
        label=_("Omschrijving"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AllocationForm(Form):
    source = forms.ChoiceField(label=_("Geldbron"))
    project = forms.ChoiceField(label=_("Project"))
    amount = amount_field(_("Bedrag in euro"), help_text=_("Een min-teken neemt geld terug van het project."))
    reason = forms.CharField(
        label=_("Reden"), widget=forms.Textarea(attrs={"rows": 3}), help_text=REASON_TEXT
    )

    def __init__(
        self, *args: object, sources: list[tuple[str, str]], projects: list[tuple[str, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = sources  # type: ignore[attr-defined]
        self.fields["project"].choices = projects  # type: ignore[attr-defined]


class FundingRuleForm(Form):
    domain = forms.ChoiceField(label=_("Wet van het voorstel"), choices=LEGAL_DOMAIN_CHOICES)
    placement_funding = forms.ChoiceField(
        label=_("Plek betaald uit"), choices=[("", _("Maakt niet uit")), *Funding.choices], required=False
    )
    placement_kind = forms.ChoiceField(
        label=_("Soort plek"), choices=[("", _("Maakt niet uit")), *PlacementKind.choices], required=False
    )
    source = forms.ChoiceField(label=_("Geldbron"))
    project = forms.ChoiceField(label=_("Project"), required=False)

    def __init__(
        self, *args: object, sources: list[tuple[str, str]], projects: list[tuple[str, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = sources  # type: ignore[attr-defined]
        self.fields["project"].choices = [("", _("Geen project")), *projects]  # type: ignore[attr-defined]


class MutationForm(Form):
    amount = amount_field(
        _("Bedrag in euro"),
        help_text=_("Meer budget: een gewoon bedrag. Minder budget: zet er een min-teken voor."),
    )
    booked_on = date_field(_("Datum"))
    reason = forms.CharField(
        label=_("Reden"), widget=forms.Textarea(attrs={"rows": 3}), help_text=REASON_TEXT
    )


# ------------------------------------------------------------------------------- commitments

REASON_HELP = _("Schrijf kort op waarom. Dit blijft bij de verplichting staan.")


class ExtendCommitmentForm(Form):
    ends_on = date_field(_("Nieuwe einddatum"))


class ReattributeCommitmentForm(Form):
    source = forms.ChoiceField(label=_("Geldbron"))
    project = forms.ChoiceField(label=_("Project"), required=False)
    reason = forms.CharField(
        label=_("Reden"), widget=forms.Textarea(attrs={"rows": 3}), help_text=REASON_HELP
    )

    def __init__(
        self, *args: object, sources: list[tuple[str, str]], projects: list[tuple[str, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = sources  # type: ignore[attr-defined]
        self.fields["project"].choices = [("", _("Geen project")), *projects]  # type: ignore[attr-defined]


class ApproveOverspendForm(Form):
    reason = forms.CharField(
        label=_("Reden"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Schrijf kort op waarom deze plaatsing over het budget mag gaan."),
    )


# ------------------------------------------------------------------------------ invoices, review, payments
