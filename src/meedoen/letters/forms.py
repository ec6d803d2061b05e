"""The forms of letters. Shape only: the rules live in ``rules`` and the actions, whose refusals go back to
the field they name."""

from django import forms
from django.utils.translation import gettext_lazy as _

from meedoen.forms import CheckedTextarea, Form
from meedoen.letters.models import Channel, LetterKind
from meedoen.residents.forms import date_field


class TemplateForm(Form):
    kind = forms.ChoiceField(label=_("Soort brief"), choices=LetterKind.choices)
    name = forms.CharField(label=_("Naam van het sjabloon"), max_length=100)
    subject = forms.CharField(label=_("Onderwerp"), max_length=200)
    body = forms.CharField(
        label=_("Tekst"),
        widget=CheckedTextarea(attrs={"rows": 16}),
        help_text=_(
            "Een veld tussen accolades, zoals {naam}, vult Meedoen in uit het dossier. Tekst tussen "
            "blokhaken, zoals [dag en datum], vult de klantmanager of consulent zelf in."
        ),
    )
    is_active = forms.BooleanField(label=_("In gebruik"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class LetterForm(Form):
    template = forms.UUIDField(widget=forms.HiddenInput, required=False)
    # Only the body is checked while typing: the readability of a subject of four words says nothing.
    subject = forms.CharField(label=_("Onderwerp"), max_length=200)
    body = forms.CharField(
        label=_("Tekst"),
        widget=CheckedTextarea(attrs={"rows": 18}),
        help_text=_("Vul in wat nog tussen blokhaken staat. De brief wordt een PDF op de tijdlijn."),
    )
    domain_only = forms.BooleanField(
        label=_("Alleen voor mijn domein"),
        required=False,
        help_text=_(
            "Dan ziet de collega van het andere domein deze brief alleen met toestemming van de inwoner."
        ),
    )


class SendingForm(Form):
    sent_on = date_field(_("Verstuurd op"))
    channel = forms.ChoiceField(label=_("Hoe"), choices=Channel.choices, widget=forms.RadioSelect)
