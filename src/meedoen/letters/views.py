"""The letter templates (functioneel beheerder) and a resident's letters (caseworker): parse, select, act,
render. A RuleError from an action goes back to the form field it names."""

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meedoen.accounts.guards import requires
from meedoen.accounts.policies import Capability
from meedoen.errors import RuleError
from meedoen.letters import actions, forms, rules, selectors
from meedoen.letters.models import Letter, LetterKind, LetterTemplate
from meedoen.parsing import put_error, uuid_or_none
from meedoen.residents.models import Resident
from meedoen.residents.selectors import access_resident_for_change, record_screen_read

# ------------------------------------------------------------------------------- templates (beheerder)


@requires(Capability.MANAGE_GLOSSARY)
@require_GET
def templates_view(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    return render(
        request,
        "letters/templates.html",
        {"templates": selectors.list_templates(actor), "fields": selectors.field_labels()},
    )


def _template_input(data: dict[str, object]) -> actions.TemplateInput:
    return actions.TemplateInput(
        kind=str(data["kind"]),
        name=str(data["name"]),
        subject=str(data["subject"]),
        body=str(data["body"]),
        is_active=bool(data["is_active"]),
    )


@requires(Capability.MANAGE_GLOSSARY)
@require_http_methods(["GET", "POST"])
def template_new_view(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    form = forms.TemplateForm(
        request.POST or None, initial={"kind": LetterKind.INVITATION, "is_active": True}
    )
    if request.method == "POST" and form.is_valid():
        try:
            template = actions.do_add_letter_template(_template_input(form.cleaned_data), actor=actor)
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(request, _("Het sjabloon %(name)s is opgeslagen.") % {"name": template.name})
            return redirect("letters:templates")
    return render(
        request,
        "letters/template.html",
        {"form": form, "title": _("Sjabloon toevoegen"), "fields": selectors.field_labels()},
    )


@requires(Capability.MANAGE_GLOSSARY)
@require_http_methods(["GET", "POST"])
def template_view(request: HttpRequest, letter_template_id: uuid.UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    template = selectors.get_template(letter_template_id, actor)
    initial = {
        "kind": template.kind,
        "name": template.name,
        "subject": template.subject,
        "body": template.body,
        "is_active": template.is_active,
        "version": template.version,
    }
    form = forms.TemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_change_letter_template(
                template,
                _template_input(form.cleaned_data),
                version=form.cleaned_data["version"] or 0,
                actor=actor,
            )
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(request, _("Het sjabloon %(name)s is opgeslagen.") % {"name": template.name})
            return redirect("letters:templates")
    return render(
        request,
        "letters/template.html",
        {"form": form, "title": template.name, "fields": selectors.field_labels()},
    )


# --------------------------------------------------------------------------------- letters (caseworker)


def _letters_url(resident_id: uuid.UUID) -> str:
    return reverse("letters:resident-letters", args=[resident_id])


@requires(Capability.VIEW_RESIDENT_FILE)
@require_GET
def resident_letters_view(request: HttpRequest, resident_id: uuid.UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    resident = access_resident_for_change(resident_id, actor)
    letters = selectors.resident_letters(resident, actor)  # logs the read
    return render(
        request,
        "letters/resident_letters.html",
        {"resident": resident, "letters": letters, "templates": list(selectors.templates_in_use(actor))},
    )


def _letter_page(
    request: HttpRequest, resident: Resident, form: forms.LetterForm, template_name: str
) -> HttpResponse:
    return render(
        request,
        "letters/letter_new.html",
        {"resident": resident, "form": form, "template_name": template_name},
    )


@requires(Capability.VIEW_RESIDENT_FILE)
@require_http_methods(["GET", "POST"])
def letter_new_view(request: HttpRequest, resident_id: uuid.UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    resident = access_resident_for_change(resident_id, actor)
    if request.method == "GET":
        if not request.GET.get("sjabloon"):
            return redirect(_letters_url(resident.pk))
        chosen = selectors.template_in_use(uuid_or_none(request.GET.get("sjabloon")), actor)
        subject, body = selectors.draft(chosen, resident, actor)  # reads the file, and logs it
        form = forms.LetterForm(initial={"template": chosen.pk, "subject": subject, "body": body})
        return _letter_page(request, resident, form, chosen.name)
    form = forms.LetterForm(request.POST)
    template: LetterTemplate | None = None
    if form.is_valid():
        template_id = form.cleaned_data["template"]
        template = selectors.template_in_use(template_id, actor) if template_id else None
        try:
            letter = actions.do_make_letter(
                resident,
                template=template,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                domain_only=form.cleaned_data["domain_only"],
                actor=actor,
            )
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(request, _("De brief is gemaakt en staat op de tijdlijn."))
            return redirect("letters:letter", resident.pk, letter.pk)
    record_screen_read(resident, actor)
    return _letter_page(request, resident, form, template.name if template else "")


def _show_letter(
    request: HttpRequest, resident: Resident, letter: Letter, form: forms.SendingForm | None = None
) -> HttpResponse:
    if form is None and letter.sent_on is None:
        form = forms.SendingForm(initial={"sent_on": timezone.localdate()})
    return render(
        request,
        "letters/letter.html",
        {
            "resident": resident,
            "letter": letter,
            "paragraphs": rules.paragraphs(letter.body),
            "form": form,
            "pdf_url": reverse("residents:attachment", args=[resident.pk, letter.event_id]),
        },
    )


@requires(Capability.VIEW_RESIDENT_FILE)
@require_GET
def letter_view(request: HttpRequest, resident_id: uuid.UUID, letter_id: uuid.UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    resident = access_resident_for_change(resident_id, actor)
    letter = selectors.access_letter(resident, letter_id, actor)
    return _show_letter(request, resident, letter)


@requires(Capability.VIEW_RESIDENT_FILE)
@require_POST
def letter_sent_view(request: HttpRequest, resident_id: uuid.UUID, letter_id: uuid.UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    resident = access_resident_for_change(resident_id, actor)
    letter = selectors.access_letter(resident, letter_id, actor, logged=False)
    form = forms.SendingForm(request.POST)
    if form.is_valid():
        try:
            actions.do_record_sending(
                letter,
                sent_on=form.cleaned_data["sent_on"],
                channel=form.cleaned_data["channel"],
                actor=actor,
            )
        except RuleError as error:
            if error.field is None:  # recorded already: the page shows how
                messages.info(request, error.message)
                return redirect("letters:letter", resident.pk, letter.pk)
            put_error(form, error)
        else:
            messages.success(request, _("Het versturen staat op de tijdlijn."))
            return redirect("letters:letter", resident.pk, letter.pk)
    record_screen_read(resident, actor)
    return _show_letter(request, resident, letter, form)
