"""Forms of the budget. They check the shape of input; the rules live in the actions, whose errors the views
put back on the field they name.

The sections below are owned by different parts of the work; keep new forms in their own section."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from meedoen.budgets import invoice_files
from meedoen.budgets.models import LegalBasis
from meedoen.catalogue.models import Funding, PlacementKind, PriceUnit
from meedoen.forms import Form
from meedoen.parsing import AmountTextError, amount_text
from meedoen.residents.forms import date_field
from meedoen.residents.models import LEGAL_DOMAIN_CHOICES

# ------------------------------------------------------------ budget year, sources, projects, allocations

REASON_TEXT = _("Schrijf kort op waarom. Dit blijft bij de boeking staan.")

AMOUNT_ERRORS = {
    "required": _("Vul een bedrag in euro in."),
    "invalid": _("Vul een bedrag in, zoals 1.250,50 of 1250,50."),
    "point": _(
        "Gebruik een komma voor de centen, zoals 1250,50. Een punt staat alleen tussen de duizendtallen."
    ),
    "max_decimal_places": _("Een bedrag heeft hoogstens twee cijfers achter de komma."),
    "max_digits": _("Dit bedrag is te groot."),
    "max_whole_digits": _("Dit bedrag is te groot."),
}


class AmountField(forms.DecimalField):
    """An amount in euro as the pages show it: "1.000,50", "€ 1.000,50", "1000,50" and "1000" all mean the
    same; "1.00" is refused (one euro or a hundred?) with a request for a comma."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # django-stubs types it int
        if isinstance(value, str) and value.strip():
            try:
                value = amount_text(value)
            except AmountTextError as error:
                raise forms.ValidationError(self.error_messages[error.code], code=error.code) from error
        return super().to_python(value)


def amount_field(label: Any, *, help_text: Any = "", min_value: Decimal | None = None) -> AmountField:
    return AmountField(
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
# (the invoices part of the work: the provider's invoice and import, the controller's review)

INVOICE_ROWS = 10  # lines on the portal's invoice form; more lines come by file or API


def month_choices(today: dt.date, *, months: int = 14) -> list[tuple[str, str]]:
    """This month and the ones before it, newest first: ("2026-03", "maart 2026")."""
    choices = []
    year, month = today.year, today.month
    for _i in range(months):
        day = dt.date(year, month, 1)
        choices.append((f"{year:04d}-{month:02d}", date_format(day, "F Y")))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return choices


def parse_month(value: str) -> dt.date | None:
    try:
        year, month = value.split("-")
        return dt.date(int(year), int(month), 1)
    except ValueError:
        return None


class InvoiceHeaderForm(Form):
    number = forms.CharField(
        label=_("Factuurnummer"), max_length=40, help_text=_("Uw eigen nummer, bijvoorbeeld 2026-031.")
    )
    month = forms.ChoiceField(label=_("Maand"), help_text=_("De maand waarin de inwoners er waren."))

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [("", _("Kies een maand")), *month_choices(today)]  # type: ignore[attr-defined]

    @property
    def month_value(self) -> dt.date | None:
        return parse_month(self.cleaned_data.get("month", ""))


UNIT_CHOICES = [("", "—"), *[(unit.value, unit.label) for unit in PriceUnit if unit.value]]


class InvoiceForm(InvoiceHeaderForm):
    """The invoice with up to ``INVOICE_ROWS`` lines; an empty line is left out. The cells are checked by the
    same rules as a file (``invoice_files.parse_line``), so the errors are the same words."""

    def __init__(self, *args: Any, seats: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, INVOICE_ROWS + 1):
            self.fields[f"seat_{i}"] = forms.ChoiceField(
                label=_("Inwoner en plek (regel %(row)s)") % {"row": i},
                choices=[("", _("Kies een plaatsing")), *seats],
                required=False,
            )
            self.fields[f"unit_{i}"] = forms.ChoiceField(
                label=_("Eenheid (regel %(row)s)") % {"row": i}, choices=UNIT_CHOICES, required=False
            )
            self.fields[f"units_{i}"] = forms.CharField(
                label=_("Aantal (regel %(row)s)") % {"row": i}, required=False, max_length=20
            )
            self.fields[f"unit_price_{i}"] = forms.CharField(
                label=_("Prijs per eenheid (regel %(row)s)") % {"row": i}, required=False, max_length=20
            )

    def rows(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"{name}_{i}"] for name in ("seat", "unit", "units", "unit_price")]
            for i in range(1, INVOICE_ROWS + 1)
        ]

    def lines(self) -> tuple[list[invoice_files.LineInput], list[invoice_files.LineError]]:
        """The filled lines, or the bad cells (row = the line's number on the form)."""
        lines: list[invoice_files.LineInput] = []
        errors: list[invoice_files.LineError] = []
        for i in range(1, INVOICE_ROWS + 1):
            cells = {name: self.cleaned_data.get(f"{name}_{i}", "") for name in invoice_files.REQUIRED}
            if not any(value.strip() for value in cells.values()):
                continue
            line, row_errors = invoice_files.parse_line(i, cells)
            errors += row_errors
            if line is not None:
                lines.append(line)
        return lines, errors

    def put_line_errors(self, errors: list[invoice_files.LineError]) -> None:
        for error in errors:
            name = f"{error.field}_{error.row}" if error.row else error.field
            self.add_error(name if name in self.fields else None, error.message)


class InvoiceImportForm(InvoiceHeaderForm):
    file = forms.FileField(
        label=_("Bestand (CSV of XLSX)"),
        help_text=_(
            "Kolommen: plaatsing, eenheid, aantal, prijs per eenheid. Het voorbeeldbestand heeft ze al."
        ),
    )


class ApproveLinesForm(Form):
    """Approve the ticked lines without flags at once."""

    lines = forms.MultipleChoiceField(
        label=_("Regels zonder opvallende punten"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, lines: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lines"].choices = lines  # type: ignore[attr-defined]


class ApproveLineForm(Form):
    reason = forms.CharField(
        label=_("Reden"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Nodig als de regel opvalt: schrijf op waarom u hem toch goedkeurt. "
            "Dit blijft bij de betaling staan."
        ),
    )


class RejectLineForm(Form):
    reason = forms.CharField(
        label=_("Reden"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Schrijf op waarom de regel niet wordt betaald. De aanbieder ziet dit."),
        error_messages={
            "required": _("Schrijf op waarom deze regel wordt afgekeurd. De aanbieder ziet dit.")
        },
    )


class CorrectLineForm(Form):
    amount = amount_field(
        _("Juist bedrag in euro"),
        help_text=_(
            "Wat voor deze regel betaald had moeten worden. Het verschil wordt als correctie geboekt."
        ),
        min_value=Decimal(0),
    )
    reason = forms.CharField(
        label=_("Reden"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Schrijf op waarom de regel wordt gecorrigeerd. Dit blijft bij de boeking staan."),
        error_messages={"required": _("Schrijf op waarom deze regel wordt gecorrigeerd.")},
    )
