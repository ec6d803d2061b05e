"""Password rules with Dutch messages (Django's Dutch catalogue misses the wording of the length rule), and
the refusal of the published demo password."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext(
            "Dit wachtwoord is te kort. Gebruik minstens %(min_length)d teken.",
            "Dit wachtwoord is te kort. Gebruik minstens %(min_length)d tekens.",
            self.min_length,
        )

    def get_help_text(self) -> str:
        return ngettext(
            "Uw wachtwoord heeft minstens %(min_length)d teken.",
            "Uw wachtwoord heeft minstens %(min_length)d tekens.",
            self.min_length,
        ) % {"min_length": self.min_length}


# The password of every demo account, printed in the README and by `meedoen demo`. It lives here, not in the
# demo app, so that accounts can refuse it without importing a higher app.
PUBLISHED_DEMO_PASSWORD = "Meedoen-demo-2026"  # noqa: S105 - public on purpose: refused as a password


class PublishedPasswordValidator:
    """Refuses the published demo password (in any letter case): anyone who read the README knows it."""

    def validate(self, password: str, user: object = None) -> None:
        if password.casefold() == PUBLISHED_DEMO_PASSWORD.casefold():
            raise ValidationError(
                _(
                    "Dit wachtwoord is openbaar: het is het wachtwoord van de demo. "
                    "Kies een ander wachtwoord."
                ),
                code="password_published",
            )

    def get_help_text(self) -> str:
        return _("Uw wachtwoord is niet het wachtwoord van de demo.")
