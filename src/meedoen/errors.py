"""The refusal every app's rules and actions raise. A shared module below the apps: it imports no app, so
the shared helpers (``parsing``, ``restapi``) and every app can use it."""


class RuleError(ValueError):
    """A rule was broken; ``field`` names the form field, the message is Dutch and meant for the user."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
