"""The base of every form of Meedoen: no free text without a limit.

A text field that names no ``max_length`` gets one here: 10,000 characters for a text area (a note, a plan,
a reason), 200 for a line (a name, a title). An explicit ``max_length`` on the field stays. Too long a text
gets a Dutch error at the field, and the browser stops typing at the limit (``maxlength``).

Forms of every app import this (``from meedoen.forms import Form``): it imports no app.
"""

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

TEXT_MAX_LENGTH = 10_000  # a text area: a note, a plan, a reason
LINE_MAX_LENGTH = 200  # a single line: a name, a title

TOO_LONG = _("Deze tekst is te lang: gebruik hoogstens %(limit_value)d tekens (nu %(show_value)d).")


def default_max_length(field: forms.CharField) -> int:
    return TEXT_MAX_LENGTH if isinstance(field.widget, forms.Textarea) else LINE_MAX_LENGTH


def is_free_text(field: forms.Field) -> bool:
    """A field whose value is the text as typed: CharField and its kin, not the CharFields that turn the text
    into something else (a UUID, JSON)."""
    return isinstance(field, forms.CharField) and not isinstance(field, (forms.UUIDField, forms.JSONField))


def limit_text_fields(fields: dict[str, forms.Field]) -> None:
    """Give every text field without a ``max_length`` the default for its widget (idempotent)."""
    for field in fields.values():
        if not isinstance(field, forms.CharField) or not is_free_text(field) or field.max_length is not None:
            continue
        limit = default_max_length(field)
        field.max_length = limit
        field.validators.append(MaxLengthValidator(limit, message=TOO_LONG))
        if not field.widget.is_hidden:
            field.widget.attrs.setdefault("maxlength", str(limit))


class LimitedTextMixin:
    """For a form that cannot derive from Form (e.g. one of Django's own): the same limits."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_text_fields(self.fields)


class Form(LimitedTextMixin, forms.Form):
    """Django's Form with a length limit on every text field."""


class _Checked:
    """A text widget whose text is checked while it is typed (issue 16): after a pause in typing, htmx posts
    the form to the language check, which answers a fragment with avoided words and the readability,
    shown under the field. Nothing blocks saving."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)  # type: ignore[call-arg]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        from django.urls import reverse

        context = super().get_context(name, value, attrs)  # type: ignore[misc]
        widget_attrs = context["widget"]["attrs"]
        target = f"{widget_attrs.get('id') or name}-taalcheck"
        widget_attrs.update(
            {
                "data-taalcheck": target,
                "hx-post": reverse("language:check"),
                "hx-trigger": "input changed delay:500ms, load",
                "hx-target": f"#{target}",
                "hx-swap": "innerHTML",
                "hx-include": "closest form",
                "hx-vals": f'{{"veld": "{name}"}}',
                "aria-describedby": " ".join(
                    part for part in (widget_attrs.get("aria-describedby", ""), target) if part
                ),
            }
        )
        context["widget"]["taalcheck_id"] = target
        return context


class CheckedTextarea(_Checked, forms.Textarea):
    template_name = "django/forms/widgets/checked_textarea.html"


class CheckedTextInput(_Checked, forms.TextInput):
    template_name = "django/forms/widgets/checked_input.html"
