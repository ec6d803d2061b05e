from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meedoen.forms import CheckedTextarea, Form
from meedoen.residents.forms import date_field
from meedoen.residents.labels import RUNG_NAMES
from meedoen.residents.rules import LADDER
from meedoen.routes.labels import phase_title
from meedoen.routes.models import OUTCOME_CHOICES, ReorientationRequest, Review, StepReason
from meedoen.routes.transitions import PHASE_NAMES

STEP_REASONS = [
    (value, label)
    for value, label in StepReason.choices
    if value not in (StepReason.START, StepReason.FALL_BACK, StepReason.CORRECTION)
]


def _phase_choices(phases: list[str]) -> list[tuple[str, Any]]:
    return [("", _("Kies een fase")), *[(p, phase_title(PHASE_NAMES[p])) for p in phases]]


class OpenForm(Form):
    starts_on = date_field(_("Begint op"))


class StepForm(Form):
    phase = forms.ChoiceField(
        label=_("Naar fase"), choices=[], error_messages={"required": _("Kies een fase.")}
    )
    starts_on = date_field(_("Vanaf"))
    reason = forms.ChoiceField(
        label=_("Waarom"),
        choices=[("", _("Kies een reden")), *STEP_REASONS],
        error_messages={"required": _("Kies een reden.")},
    )
    reason_text = forms.CharField(
        label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    proposal = forms.ChoiceField(
        label=_("Plek"),
        choices=[],
        required=False,
        help_text=_(
            "Nodig voor activerend werk en leerwerken: het geaccepteerde voorstel waar de inwoner begint."
        ),
    )

    def __init__(
        self,
        *args: Any,
        phases: list[str],
        proposals: list[tuple[str, str]],
        leaving: str = "",
        **kwargs: Any,
    ) -> None:
        """``leaving``: what a step away from the current placement does to it, said under the phase
        choice before the step is taken."""
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = _phase_choices(phases)  # type: ignore[attr-defined]
        self.fields["phase"].help_text = leaving
        self.fields["proposal"].choices = [("", _("Geen plek")), *proposals]  # type: ignore[attr-defined]


class CorrectForm(Form):
    phase = forms.ChoiceField(label=_("Het had moeten zijn"), choices=[])
    reason_text = forms.CharField(label=_("Wat was er verkeerd?"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, phases: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = _phase_choices(phases)  # type: ignore[attr-defined]


class EndForm(Form):
    closed_on = date_field(_("Laatste dag"))
    outcome = forms.ChoiceField(
        label=_("Hoe eindigt de route?"),
        choices=[("", _("Kies een uitkomst")), *OUTCOME_CHOICES],
        error_messages={"required": _("Kies hoe de route eindigt.")},
    )
    outcome_text = forms.CharField(label=_("Toelichting"), max_length=300, required=False)
    confirm = forms.BooleanField(
        label=_("Ja, ik wil de route beëindigen"),
        help_text=_(
            "De route stopt: er zijn geen stappen en besprekingen meer. De geschiedenis blijft bewaard."
        ),
        error_messages={"required": _("Vink aan dat u de route wilt beëindigen.")},
    )


class FallBackForm(Form):
    starts_on = date_field(_("Terug vanaf"))


class ReviewForm(Form):
    held_on = date_field(_("Datum van de bespreking"))
    progress = forms.CharField(
        label=_("Hoe gaat het met de doelen van het plan?"), widget=CheckedTextarea(attrs={"rows": 4})
    )
    decision = forms.ChoiceField(
        label=_("Besluit"),
        choices=[("", _("Kies een besluit")), *Review.Decision.choices],
        error_messages={"required": _("Kies een besluit.")},
        help_text=_(
            "Het besluit wordt vastgelegd. Een stap of het einde van de route legt u daarna apart vast."
        ),
    )
    rung = forms.TypedChoiceField(
        label=_("Trede op de participatieladder"),
        choices=lambda: [("", _("Geen nieuwe score")), *[(r, f"{r}. {RUNG_NAMES[r]}") for r in LADDER]],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Een score komt ook in de geschiedenis van de ladder in het dossier."),
    )


class ReorientationForm(Form):
    to = forms.ChoiceField(label=_("Aan wie?"), choices=[])
    kind = forms.ChoiceField(
        label=_("Wat vraagt u?"),
        choices=[("", _("Kies")), *ReorientationRequest.Kind.choices],
        error_messages={"required": _("Kies wat u vraagt.")},
    )
    reason = forms.CharField(label=_("Waarom?"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, targets: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = targets  # type: ignore[attr-defined]


class AnswerForm(Form):
    answer_text = forms.CharField(
        label=_("Toelichting"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Nodig als u het verzoek afwijst."),
    )
