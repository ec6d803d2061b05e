"""Forms of the resident file. They parse and check the shape of input; the rules live in rules.py and the
actions, whose RuleErrors the views put back on the field they name."""

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import bsn as bsn_validator
from stdnum.nl import postcode as postcode_validator

from meedoen.accounts.models import User
from meedoen.forms import CheckedTextarea, CheckedTextInput, Form
from meedoen.municipalities.forms import VocabularyMultipleChoiceField
from meedoen.municipalities.models import District, InterestTag, Municipality, TargetGroup
from meedoen.municipalities.selectors import list_districts, list_interest_tags, list_target_groups
from meedoen.residents import selectors
from meedoen.residents.labels import RUNG_NAMES
from meedoen.residents.models import (
    CONSENT_CHOICES,
    DutchLevel,
    Household,
    LegalBasis,
    PhysicalNeed,
    PlanAction,
    TimelineEvent,
    TravelMode,
    Weekday,
    Workload,
)
from meedoen.residents.rules import LADDER

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": _("Vul een datum in, bijvoorbeeld 17-05-1980.")}
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ATTACHMENT_TYPES = {".pdf", ".jpg", ".jpeg", ".png", ".docx", ".odt", ".txt"}


def date_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DATE,
        error_messages=DATE_ERRORS,
        help_text=help_text,
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
    )


def clean_bsn(value: str) -> str:
    digits = value.replace(" ", "").replace(".", "")
    try:
        return str(bsn_validator.validate(digits.zfill(9) if len(digits) == 8 else digits))
    except StdnumError:
        raise ValidationError(
            _("Dit is geen geldig BSN. Een BSN heeft 9 cijfers en klopt volgens de elfproef.")
        ) from None


class CaseworkerFields(Form):
    caseworker_work: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Klantmanager (werk)"), queryset=User.objects.none(), required=False
    )
    caseworker_care: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Wmo-consulent (zorg)"), queryset=User.objects.none(), required=False
    )

    def limit_caseworkers(self, municipality: Municipality) -> None:
        for name, domain in (("caseworker_work", "participatiewet"), ("caseworker_care", "wmo")):
            field = self.fields[name]
            field.queryset = selectors.caseworker_users(municipality.pk, domain)  # type: ignore[attr-defined]
            field.label_from_instance = lambda user: user.display_name()  # type: ignore[attr-defined]


class PersonalDetailsForm(Form):
    given_names = forms.CharField(label=_("Voornamen"), max_length=200)
    name_prefix = forms.CharField(label=_("Tussenvoegsel"), max_length=20, required=False)
    family_name = forms.CharField(label=_("Achternaam"), max_length=200)
    date_of_birth = date_field(_("Geboortedatum"))
    email = forms.EmailField(label=_("E-mailadres"), required=False)
    phone = forms.RegexField(
        label=_("Telefoonnummer"),
        regex=r"^\+?[\d\s-]{10,15}$",
        required=False,
        error_messages={"invalid": _("Vul een telefoonnummer in van 10 cijfers, bijvoorbeeld 06 12345678.")},
    )
    street = forms.CharField(label=_("Straat en huisnummer"), max_length=200, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=7, required=False)
    city = forms.CharField(label=_("Woonplaats"), max_length=100, required=False)
    district = forms.ModelChoiceField(label=_("Wijk"), queryset=District.objects.none(), required=False)
    household = forms.ChoiceField(
        label=_("Huishouden"), choices=[("", "—"), *Household.choices], required=False
    )
    languages = forms.CharField(label=_("Talen die de inwoner spreekt"), max_length=200, required=False)
    dutch_level = forms.ChoiceField(
        label=_("Niveau Nederlands"), choices=[("", "—"), *DutchLevel.choices], required=False
    )
    target_groups = VocabularyMultipleChoiceField(
        label=_("Groepen"),
        queryset=TargetGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = list_districts(municipality)  # type: ignore[attr-defined]
        self.fields["target_groups"].queryset = list_target_groups(municipality)  # type: ignore[attr-defined]

    def clean_postcode(self) -> str:
        value = str(self.cleaned_data.get("postcode") or "").strip()
        if not value:
            return ""
        try:
            return str(postcode_validator.validate(value)).replace(" ", "")
        except StdnumError:
            raise ValidationError(_("Vul een postcode in zoals 7311 AA.")) from None

    def clean_date_of_birth(self) -> dt.date:
        born: dt.date = self.cleaned_data["date_of_birth"]
        if born > timezone.localdate():
            raise ValidationError(_("De geboortedatum ligt in de toekomst."))
        if born.year < 1900:
            raise ValidationError(_("Controleer het jaar van de geboortedatum."))
        return born


class EditPersonalDetailsForm(PersonalDetailsForm, CaseworkerFields):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, municipality=municipality, **kwargs)
        self.limit_caseworkers(municipality)


class EndLegalBasisForm(Form):
    end_date = date_field(_("Tot en met"))


class RegistrationForm(PersonalDetailsForm, CaseworkerFields):
    bsn = forms.CharField(label=_("BSN"), max_length=11)
    field_order = ["bsn"]
    work_basis = forms.BooleanField(label=_("Bijstandsuitkering (Participatiewet)"), required=False)
    work_start = date_field(_("Uitkering sinds"), required=False)
    care_kind = forms.ChoiceField(
        label=_("Wmo-voorziening"),
        choices=[
            ("", _("Geen")),
            (LegalBasis.Kind.WMO_BEGELEIDING.value, LegalBasis.Kind.WMO_BEGELEIDING.label),
            (LegalBasis.Kind.WMO_DAGBESTEDING.value, LegalBasis.Kind.WMO_DAGBESTEDING.label),
        ],
        required=False,
    )
    care_start = date_field(_("Voorziening sinds"), required=False)
    care_end = date_field(_("Voorziening tot en met"), required=False)

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, municipality=municipality, **kwargs)
        self.limit_caseworkers(municipality)
        # One of the two is needed (the legend of their fieldset says so): neither is "niet verplicht".
        for name in ("work_basis", "care_kind"):
            self.fields[name].one_of_group = True  # type: ignore[attr-defined]

    def clean_bsn(self) -> str:
        return clean_bsn(str(self.cleaned_data["bsn"]))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("work_basis") and not cleaned.get("care_kind"):
            self.add_error("work_basis", _("Kies een bijstandsuitkering, een Wmo-voorziening of allebei."))
        if cleaned.get("work_basis") and not cleaned.get("work_start"):
            self.add_error("work_start", _("Vul in sinds wanneer de uitkering loopt."))
        if cleaned.get("care_kind") and not cleaned.get("care_start"):
            self.add_error("care_start", _("Vul in sinds wanneer de voorziening loopt."))
        start, end = cleaned.get("care_start"), cleaned.get("care_end")
        if start and end and end < start:
            self.add_error("care_end", _("De einddatum ligt voor de begindatum."))
        return cleaned

    FIELDSETS = [
        (_("Persoon"), "", ["bsn", "given_names", "name_prefix", "family_name", "date_of_birth"]),
        (_("Contact en adres"), "", ["email", "phone", "street", "postcode", "city", "district"]),
        (_("Situatie"), "", ["household", "languages", "dutch_level", "target_groups"]),
        (
            _("Waarvoor komt de inwoner? Kies er minstens één"),
            _("Een bijstandsuitkering (Participatiewet), een Wmo-voorziening of allebei."),
            ["work_basis", "work_start", "care_kind", "care_start", "care_end"],
        ),
        (
            _("Begeleiding"),
            _("Laat leeg om de inwoner zelf te begeleiden in uw domein."),
            ["caseworker_work", "caseworker_care"],
        ),
    ]

    def fieldsets(self) -> list[tuple[Any, Any, list[Any]]]:
        return [(legend, intro, [self[name] for name in names]) for legend, intro, names in self.FIELDSETS]

    def bases(self) -> list[tuple[str, str, dt.date, dt.date | None]]:
        data = self.cleaned_data
        bases: list[tuple[str, str, dt.date, dt.date | None]] = []
        if data.get("work_basis"):
            bases.append(("participatiewet", LegalBasis.Kind.BIJSTAND.value, data["work_start"], None))
        if data.get("care_kind"):
            bases.append(("wmo", data["care_kind"], data["care_start"], data.get("care_end")))
        return bases


class LegalBasisForm(Form):
    kind = forms.ChoiceField(label=_("Soort"), choices=LegalBasis.Kind.choices)
    start_date = date_field(_("Sinds"))
    end_date = date_field(_("Tot en met"), required=False)

    def __init__(self, *args: Any, domain: str, **kwargs: Any) -> None:
        """Only the kinds of the caseworker's own domain: the other domain records its own."""
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            (kind.value, kind.label) for kind in LegalBasis.Kind if LegalBasis.DOMAIN_OF_KIND[kind] == domain
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("De einddatum ligt voor de begindatum."))
        return cleaned


class ConsentForm(Form):
    shared_domain = forms.ChoiceField(label=_("Welk deel mag gedeeld worden?"), choices=CONSENT_CHOICES)
    given_on = date_field(_("Toestemming gegeven op"))
    note = forms.CharField(
        label=_("Toelichting"),
        max_length=500,
        required=False,
        help_text=_("Bijvoorbeeld: mondeling gegeven in het gesprek, of per brief."),
    )


class WithdrawConsentForm(Form):
    withdrawn_on = date_field(_("Ingetrokken op"))


class LadderForm(Form):
    rung = forms.TypedChoiceField(
        label=_("Trede"),
        coerce=int,
        choices=lambda: [(rung, f"{rung}. {RUNG_NAMES[rung]}") for rung in LADDER],
        widget=forms.RadioSelect,
    )
    scored_on = date_field(_("Datum"))
    rationale = forms.CharField(
        label=_("Onderbouwing"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Waarom deze trede? Wat ziet u in het dagelijks leven van de inwoner?"),
    )


class ProfileForm(Form):
    interests = VocabularyMultipleChoiceField(
        label=_("Interesses"),
        queryset=InterestTag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    talents = forms.CharField(
        label=_("Talenten en ervaring"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    hours_per_week = forms.IntegerField(
        label=_("Uren per week beschikbaar"),
        min_value=0,
        max_value=40,
        required=False,
        error_messages={
            "min_value": _("Vul een aantal uren van 0 tot en met 40 in."),
            "max_value": _("Vul een aantal uren van 0 tot en met 40 in."),
            "invalid": _("Vul een heel getal in."),
        },
    )
    workload = forms.ChoiceField(
        label=_("Werkdruk die de inwoner aankan"), choices=[("", "—"), *Workload.choices], required=False
    )
    travel_radius_km = forms.IntegerField(
        label=_("Hoe ver wil de inwoner reizen (km)?"),
        min_value=0,
        max_value=100,
        required=False,
        error_messages={"max_value": _("Vul hoogstens 100 km in."), "min_value": _("Vul 0 of meer in.")},
    )
    travel_mode = forms.ChoiceField(
        label=_("Reist met"), choices=[("", "—"), *TravelMode.choices], required=False
    )
    physical_needs = forms.MultipleChoiceField(
        label=_("Lichamelijke wensen"),
        choices=PhysicalNeed.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    preferred_days = forms.MultipleChoiceField(
        label=_("Voorkeursdagen"),
        choices=Weekday.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["interests"].queryset = list_interest_tags(municipality)  # type: ignore[attr-defined]


class PlanForm(Form):
    goals = forms.CharField(
        label=_("Doelen"),
        widget=CheckedTextarea(attrs={"rows": 6}),
        required=False,
        help_text=_("Schrijf de doelen op zoals de inwoner ze zelf zegt."),
    )
    review_on = date_field(_("Volgende bespreking op"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class PlanActionForm(Form):
    description = forms.CharField(label=_("Afspraak"), max_length=300, widget=CheckedTextInput)
    owner = forms.ChoiceField(label=_("Wie doet het?"), choices=PlanAction.Owner.choices)
    due_on = date_field(_("Klaar op"))


class NoteForm(Form):
    kind = forms.ChoiceField(
        label=_("Soort"),
        choices=[
            (TimelineEvent.Kind.NOTE.value, _("Notitie")),
            (TimelineEvent.Kind.CONTACT.value, _("Contact")),
        ],
    )
    occurred_at = forms.DateTimeField(
        label=_("Wanneer"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d-%m-%Y %H:%M"],
        error_messages={"invalid": _("Vul een datum en tijd in.")},
    )
    text = forms.CharField(label=_("Tekst"), widget=CheckedTextarea(attrs={"rows": 4}))
    domain_only = forms.BooleanField(
        label=_("Alleen voor mijn domein"),
        required=False,
        help_text=_(
            "Dan ziet de collega van het andere domein deze notitie alleen met toestemming van de inwoner."
        ),
    )
    attachment = forms.FileField(
        label=_("Bijlage"), required=False, help_text=_("PDF, foto of document, hoogstens 10 MB.")
    )

    def clean_attachment(self) -> Any:
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        name = upload.name.lower()
        if not any(name.endswith(ext) for ext in ATTACHMENT_TYPES):
            raise ValidationError(_("Dit soort bestand kan niet. Kies een PDF, foto of document."))
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise ValidationError(_("Dit bestand is groter dan 10 MB."))
        return upload


class TransferForm(Form):
    from_user: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Van"), queryset=User.objects.none())
    to_user: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Naar"), queryset=User.objects.none())

    def __init__(self, *args: Any, caseworkers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        users = User.objects.filter(pk__in=[m.user_id for m in caseworkers]).order_by(
            "last_name", "first_name"
        )
        for name in ("from_user", "to_user"):
            self.fields[name].queryset = users  # type: ignore[attr-defined]
            self.fields[name].label_from_instance = lambda user: user.display_name()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("from_user") and cleaned.get("from_user") == cleaned.get("to_user"):
            self.add_error("to_user", _("Kies een andere medewerker dan de huidige."))
        return cleaned
