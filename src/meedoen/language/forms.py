"""The glossary form. Shape only; the rules live in the actions, whose refusals go back to the field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from meedoen.forms import Form
from meedoen.language.models import Term


class TermForm(Form):
    kind = forms.ChoiceField(label=_("Soort"), choices=Term.Kind.choices, widget=forms.RadioSelect)
    word = forms.CharField(label=_("Woord of woorden"), max_length=100)
    meaning = forms.CharField(
        label=_("Betekenis in gewone woorden"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Voor een voorkeursterm."),
    )
    meaning_en = forms.CharField(
        label=_("Betekenis in het Engels"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Voor wie Meedoen in het Engels gebruikt. Leeg: de Nederlandse betekenis."),
    )
    alternatives = forms.CharField(
        label=_("Gebruik liever"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Voor een woord dat we liever niet gebruiken. Eén woord per regel."),
    )
    why = forms.CharField(label=_("Waarom"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    why_en = forms.CharField(
        label=_("Waarom, in het Engels"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    source = forms.CharField(label=_("Bron"), max_length=300, required=False)
    exceptions = forms.CharField(
        label=_("Uitzonderingen"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_(
            "Woordgroepen waarin het woord moet blijven staan, zoals een wettelijke naam. Zet de "
            "voorkeursterm erachter. Eén per regel."
        ),
    )
    names = forms.CharField(
        label=_("Vaste namen"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_(
            "Namen met dit woord erin die blijven zoals ze zijn, zoals een functienaam. Eén per regel."
        ),
    )
    is_active = forms.BooleanField(label=_("In gebruik"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CheckForm(Form):
    """The live check: which field of the page's form holds the text."""

    veld = forms.CharField(max_length=100)
