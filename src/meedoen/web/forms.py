from typing import Any

from django.forms.renderers import TemplatesSetting
from django.template import engines


class FormRenderer(TemplatesSetting):
    """Django's form rendering with our field template and widgets that carry the NL Design System classes.

    Forms render in Django's template language (``templates/forms/``, ``templates/django/forms/``), also
    inside the Jinja2 pages: the pages' Jinja2 engine comes first in ``TEMPLATES`` and would otherwise pick
    Django's Jinja2 copies of the widgets."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"

    def get_template(self, template_name: str) -> Any:
        return engines["django"].get_template(template_name)
