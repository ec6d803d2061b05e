"""Forms of the budget. They check the shape of input; the rules live in the actions, whose errors the views
put back on the field they name.

The sections below are owned by different parts of the work; keep new forms in their own section."""

from django import forms
from django.utils.translation import gettext_lazy as _

from meedoen.forms import Form
from meedoen.residents.forms import date_field

# ------------------------------------------------------------ budget year, sources, projects, allocations


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
