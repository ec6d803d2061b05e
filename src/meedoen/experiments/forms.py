"""The design form (also for an amendment, with a reason) and the small forms of recruitment."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from meedoen.experiments import design
from meedoen.forms import Form
from meedoen.municipalities.labels import vocabulary_name
from meedoen.municipalities.models import District, TargetGroup

ARM_ROWS = 4

LEGAL_BASIS_CHOICES = [
    ("bijstand", _("Bijstandsuitkering (Participatiewet)")),
    ("wmo_begeleiding", _("Wmo: begeleiding")),
    ("wmo_dagbesteding", _("Wmo: arbeidsmatige dagbesteding")),
]


def _percent(
    label: Any, initial: int, *, low: int = 1, high: int = 99, help_text: Any = ""
) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, initial=initial, min_value=Decimal(low), max_value=Decimal(high), decimal_places=1,
        help_text=help_text,
    )  # fmt: skip


class DesignForm(Form):
    title = forms.CharField(label=_("Naam van het experiment"))
    question = forms.CharField(label=_("Onderzoeksvraag"), widget=forms.Textarea(attrs={"rows": 3}))
    legal_bases = forms.MultipleChoiceField(
        label=_("Grondslag"),
        choices=LEGAL_BASIS_CHOICES,
        initial=["bijstand"],
        widget=forms.CheckboxSelectMultiple,
    )
    min_age = forms.IntegerField(label=_("Leeftijd vanaf"), required=False, min_value=16, max_value=100)
    max_age = forms.IntegerField(label=_("Leeftijd tot en met"), required=False, min_value=16, max_value=100)
    min_months_on_benefit = forms.IntegerField(
        label=_("Minstens zoveel maanden een uitkering"), required=False, min_value=0, max_value=600
    )
    areas = forms.MultipleChoiceField(
        label=_("Stadsdelen of kernen (leeg: de hele gemeente)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Groepen (leeg: iedereen)"), required=False, widget=forms.CheckboxSelectMultiple
    )
    strata = forms.MultipleChoiceField(
        label=_("Loten binnen (strata)"),
        required=False,
        choices=[(code, _(label)) for code, label in design.STRATA.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    primary_outcome = forms.ChoiceField(
        label=_("Belangrijkste uitkomst"),
        choices=[(code, _(design.OUTCOMES[code][0])) for code in design.OFFERED_OUTCOMES],
        initial="betaald_werk_12",
    )
    secondary_outcomes = forms.MultipleChoiceField(
        label=_("Andere uitkomsten"),
        required=False,
        choices=[(code, _(design.OUTCOMES[code][0])) for code in design.OFFERED_OUTCOMES],
        widget=forms.CheckboxSelectMultiple,
    )
    standard_errors = forms.ChoiceField(
        label=_("Standaardfouten van de hoofdanalyse"),
        choices=[(code, _(label)) for code, label in design.STANDARD_ERRORS.items() if code != "cluster"],
    )
    covariates = forms.MultipleChoiceField(
        label=_("Corrigeren voor (methode van Lin)"),
        required=False,
        choices=[(code, _(label)) for code, label in design.COVARIATES.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    baseline = _percent(_("Uitgangspercentage (%) zonder experiment"), 20)
    effect = _percent(_("Kleinste verschil dat u wilt zien (procentpunten)"), 5, low=1, high=50)
    alpha = _percent(_("Alfa (%)"), 5, low=1, high=20)
    power = _percent(_("Onderscheidend vermogen (%)"), 80, low=50, high=99)
    consent_rate = _percent(
        _("Verwachte instemming (%)"), 15, help_text=_("In Groningen deed 14% van de uitgenodigden mee.")
    )

    def __init__(self, *args: Any, municipality_id: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas = District.objects.filter(municipality_id=municipality_id).values_list("area", flat=True)
        self.fields["areas"].choices = [(area, area) for area in sorted(set(areas))]  # type: ignore[attr-defined]
        groups = TargetGroup.objects.filter(municipality_id=municipality_id, is_active=True)
        self.fields["target_groups"].choices = [  # type: ignore[attr-defined]
            (group.code, vocabulary_name(group.code, group.name)) for group in groups
        ]
        for row in range(1, ARM_ROWS + 1):
            first = row == 1
            self.fields[f"arm_{row}_name"] = forms.CharField(
                label=_("Controlegroep") if first else _("Groep %(row)d") % {"row": row},
                required=first or row == 2,
                max_length=40,
                initial=_("Regulier") if first else "",
            )
            self.fields[f"arm_{row}_ratio"] = forms.IntegerField(
                label=_("Verdeelsleutel"), min_value=1, max_value=10, initial=1, required=False
            )
            if not first:
                self.fields[f"arm_{row}_exempt"] = forms.BooleanField(
                    label=_("Vrijgesteld van de regels voor re-integratie"), required=False
                )
                weeks = _("Kies 1 tot en met %(weeks)d weken.") % {"weeks": design.MAX_REVIEW_WEEKS}
                self.fields[f"arm_{row}_review_weeks"] = forms.IntegerField(
                    label=_("Meer begeleiding: een bespreking elke zoveel weken"),
                    help_text=_("Leeg: de besprekingen volgen de gewone regels van de route."),
                    required=False,
                    min_value=1,
                    max_value=design.MAX_REVIEW_WEEKS,
                    error_messages={"min_value": weeks, "max_value": weeks, "invalid": weeks},
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        names = [data.get(f"arm_{row}_name", "") for row in range(1, ARM_ROWS + 1)]
        codes = [slugify(name).replace("-", "_") for name in names if name]
        if len(set(codes)) != len(codes):
            self.add_error("arm_2_name", _("Twee groepen hebben dezelfde naam."))
        if data.get("min_age") and data.get("max_age") and data["min_age"] > data["max_age"]:
            self.add_error("max_age", _("De minimumleeftijd is hoger dan de maximumleeftijd."))
        return data

    def design(self) -> design.Design:
        data = self.cleaned_data
        arms = []
        for row in range(1, ARM_ROWS + 1):
            name = data.get(f"arm_{row}_name", "").strip()
            if name:
                arms.append(
                    design.Arm(
                        code=slugify(name).replace("-", "_"),
                        name=name,
                        ratio=data.get(f"arm_{row}_ratio") or 1,
                        exempt_from_obligations=bool(data.get(f"arm_{row}_exempt")),
                        review_every_weeks=data.get(f"arm_{row}_review_weeks"),
                    )
                )
        return design.Design(
            question=data["question"],
            arms=tuple(arms),
            control=arms[0].code,
            eligibility=design.Eligibility(
                legal_bases=tuple(data["legal_bases"]),
                min_age=data.get("min_age"),
                max_age=data.get("max_age"),
                min_months_on_benefit=data.get("min_months_on_benefit"),
                areas=tuple(data.get("areas") or ()),
                target_groups=tuple(data.get("target_groups") or ()),
            ),
            strata=tuple(data.get("strata") or ()),
            primary_outcome=data["primary_outcome"],
            secondary_outcomes=tuple(
                o for o in data.get("secondary_outcomes") or () if o != data["primary_outcome"]
            ),
            standard_errors=data["standard_errors"],
            covariates=tuple(data.get("covariates") or ()),
            planning=design.Planning(
                baseline=float(data["baseline"]) / 100,
                effect=float(data["effect"]) / 100,
                alpha=float(data["alpha"]) / 100,
                power=float(data["power"]) / 100,
                consent_rate=float(data["consent_rate"]) / 100,
            ),
        )


def initial_of(title: str, plan: design.Design) -> dict[str, Any]:
    """The form's initial values from a stored design."""
    rules = plan.eligibility
    initial: dict[str, Any] = {
        "title": title,
        "question": plan.question,
        "legal_bases": list(rules.legal_bases),
        "min_age": rules.min_age,
        "max_age": rules.max_age,
        "min_months_on_benefit": rules.min_months_on_benefit,
        "areas": list(rules.areas),
        "target_groups": list(rules.target_groups),
        "strata": list(plan.strata),
        "primary_outcome": plan.primary_outcome,
        "secondary_outcomes": list(plan.secondary_outcomes),
        "standard_errors": plan.standard_errors,
        "covariates": list(plan.covariates),
        "baseline": round(plan.planning.baseline * 100, 1),
        "effect": round(plan.planning.effect * 100, 1),
        "alpha": round(plan.planning.alpha * 100, 1),
        "power": round(plan.planning.power * 100, 1),
        "consent_rate": round(plan.planning.consent_rate * 100, 1),
    }
    arms = [plan.arm(plan.control), *[arm for arm in plan.arms if arm.code != plan.control]]
    for row, arm in enumerate(arms, start=1):
        initial[f"arm_{row}_name"] = arm.name
        initial[f"arm_{row}_ratio"] = arm.ratio
        initial[f"arm_{row}_exempt"] = arm.exempt_from_obligations
        initial[f"arm_{row}_review_weeks"] = arm.review_every_weeks
    return initial


class AmendmentForm(DesignForm):
    made_on = forms.DateField(
        label=_("Datum van de wijziging"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Vul de datum in."),
            "invalid": _("Vul een bestaande datum in, bijvoorbeeld 17-05-2026."),
        },
    )
    reason = forms.CharField(label=_("Reden van de wijziging"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["made_on"].initial = timezone.localdate()
        self.fields["title"].disabled = True


class AnswerForm(Form):
    """The date of an invitation or an answer (the screen fills in today)."""

    on = forms.DateField(
        label=_("Datum"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Vul de datum in."),
            "invalid": _("Vul een bestaande datum in, bijvoorbeeld 17-05-2026."),
        },
    )


class InviteMunicipalityForm(Form):
    """The lead invites another municipality of the installation to a joint experiment."""

    municipality = forms.ChoiceField(
        label=_("Gemeente"),
        help_text=_("Die gemeente beslist zelf of ze meedoet. Haar inwoners ziet u nooit; u ziet alleen "
                    "samengetelde cijfers."),
        error_messages={
            "required": _("Kies een gemeente."), "invalid_choice": _("Kies een gemeente uit de lijst."),
        },
    )  # fmt: skip

    def __init__(self, *args: Any, municipalities: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [("", _("Kies een gemeente")), *municipalities]  # type: ignore[attr-defined]


class ReanalysisForm(Form):
    """A sensitivity analysis on the analysis screen, beside the registered one: the other standard errors,
    and randomisation-inference p-values. A GET form: the choice is in the address, so the CSV and the PDF
    follow it."""

    standaardfouten = forms.ChoiceField(
        label=_("Standaardfouten"),
        required=False,
        choices=[(code, _(design.STANDARD_ERRORS[code])) for code in design.CHECK_STANDARD_ERRORS],
        error_messages={"invalid_choice": _("Kies standaardfouten uit de lijst.")},
    )
    loting = forms.BooleanField(
        label=_("Ook p-waarden door opnieuw loten (randomisatie-inferentie)"),
        required=False,
        help_text=_(
            "Dit duurt even: Meedoen loot de groepen duizenden keren opnieuw, zoals bij de echte loting."
        ),
    )

    def __init__(self, *args: Any, registered: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.registered = registered
        self.fields["standaardfouten"].initial = registered

    def choice(self) -> tuple[str, bool]:
        """The standard errors and whether to draw, as asked; the registered analysis when nothing (valid)
        was asked."""
        if not self.is_bound or not self.is_valid():
            return self.registered, False
        return self.cleaned_data["standaardfouten"] or self.registered, bool(self.cleaned_data["loting"])
