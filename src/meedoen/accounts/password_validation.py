"""Password rules with Dutch messages (Django's Dutch catalogue misses the current wording of this one)."""

from django.contrib.auth import password_validation
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
