from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Django's form rendering with our field template and widgets that carry the NL Design System classes."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
