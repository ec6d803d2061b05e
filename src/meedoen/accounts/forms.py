from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from meedoen.accounts.models import ROLE_CHOICES
from meedoen.forms import Form, LimitedTextMixin


class LoginForm(LimitedTextMixin, AuthenticationForm):
    username = forms.CharField(label=_("Gebruikersnaam"), max_length=150)
    password = forms.CharField(label=_("Wachtwoord"), strip=False, widget=forms.PasswordInput)

    error_messages = {
        "invalid_login": _("De gebruikersnaam of het wachtwoord klopt niet. Let op hoofdletters."),
        "inactive": _("Dit account is niet actief. Neem contact op met de functioneel beheerder."),
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class CodeForm(Form):
    code = forms.RegexField(
        label=_("Code uit uw app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Vul de 6 cijfers in die uw app nu laat zien.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip()


class NewUserForm(Form):
    username = forms.RegexField(
        label=_("Gebruikersnaam"),
        regex=r"^[\w.@+-]{3,150}$",
        error_messages={"invalid": _("Gebruik 3 tot 150 letters, cijfers of de tekens . @ + - _.")},
    )
    first_name = forms.CharField(label=_("Voornaam"), max_length=150)
    last_name = forms.CharField(label=_("Achternaam"), max_length=150)
    email = forms.EmailField(label=_("E-mailadres"))
    role = forms.ChoiceField(label=_("Rol"), choices=ROLE_CHOICES)
    password = forms.CharField(
        label=_("Eerste wachtwoord"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minstens 12 tekens. Geef het wachtwoord op een veilige manier door."),
    )

    def clean(self) -> dict[str, object]:
        from django.contrib.auth.password_validation import validate_password

        cleaned = super().clean() or {}
        password = cleaned.get("password")
        if password:
            try:
                validate_password(str(password))
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class TokenForm(Form):
    name = forms.CharField(
        label=_("Naam van de sleutel"),
        max_length=100,
        help_text=_("Bijvoorbeeld de naam van het systeem dat de sleutel gebruikt."),
    )
