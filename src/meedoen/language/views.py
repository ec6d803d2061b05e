"""The glossary page (open to everyone), its management, and the live text check.

Parse the request, select through the selectors, act through the actions, render."""

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meedoen.accounts.actions import ActionRefused
from meedoen.accounts.guards import requires
from meedoen.accounts.policies import Capability
from meedoen.language import actions, checker, forms, selectors
from meedoen.language.models import Term

MAX_CHECK_CHARS = 20_000
FINDING_LABELS = {
    "rare_word": gettext_lazy("Weinig gebruikte woorden"),
    "long_sentence": gettext_lazy("Lange zinnen (meer dan 20 woorden)"),
    "dense_clause": gettext_lazy("Zinsdelen met veel inhoudswoorden"),
    "abstract_noun": gettext_lazy("Abstracte woorden"),
}


@require_GET
def glossary_view(request: HttpRequest) -> HttpResponse:
    """Everyone may read the glossary: staff and residents see their municipality's, an anonymous visitor
    chooses a municipality."""
    membership = getattr(request, "membership", None)
    municipality = membership.municipality if membership is not None else None
    slug = request.GET.get("gemeente", "")[:50]
    if slug:
        municipality = selectors.municipality_by_slug(slug) or municipality
    if municipality is None:
        return render(
            request, "language/choose.html", {"municipalities": list(selectors.list_municipalities())}
        )
    terms = list(selectors.list_terms(municipality))
    return render(
        request,
        "language/glossary.html",
        {
            "municipality": municipality,
            "language": get_language(),
            "preferred": [t for t in terms if t.kind == Term.Kind.PREFERRED],
            "avoided": [t for t in terms if t.kind == Term.Kind.AVOID],
            "may_manage": membership is not None
            and membership.municipality_id == municipality.pk
            and request.actor.may(Capability.MANAGE_GLOSSARY),  # type: ignore[attr-defined]
        },
    )


@requires(Capability.MANAGE_GLOSSARY)
@require_GET
def manage_view(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    terms = selectors.list_terms(actor.municipality, active_only=False).select_related("updated_by")
    return render(request, "language/manage.html", {"terms": terms})


def _input(data: dict[str, object]) -> actions.TermInput:
    return actions.TermInput(
        kind=str(data["kind"]),
        word=str(data["word"]),
        meaning=str(data["meaning"]),
        meaning_en=str(data["meaning_en"]),
        why_en=str(data["why_en"]),
        alternatives=str(data["alternatives"]),
        why=str(data["why"]),
        source=str(data["source"]),
        exceptions=str(data["exceptions"]),
        names=str(data["names"]),
        is_active=bool(data["is_active"]),
    )


@requires(Capability.MANAGE_GLOSSARY)
@require_http_methods(["GET", "POST"])
def term_new_view(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    form = forms.TermForm(request.POST or None, initial={"kind": Term.Kind.AVOID, "is_active": True})
    if request.method == "POST" and form.is_valid():
        try:
            term = actions.do_add_term(_input(form.cleaned_data), actor=actor)
        except ActionRefused as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, _("%(word)s staat in de woordenlijst.") % {"word": term.word})
            return redirect("language:manage")
    return render(request, "language/term.html", {"form": form, "title": _("Woord toevoegen"), "term": None})


@requires(Capability.MANAGE_GLOSSARY)
@require_http_methods(["GET", "POST"])
def term_view(request: HttpRequest, term_id: uuid.UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    term = selectors.get_term(term_id, actor.municipality)
    initial = {
        "kind": term.kind,
        "word": term.word,
        "meaning": term.meaning,
        "meaning_en": term.meaning_en,
        "why_en": term.why_en,
        "alternatives": term.alternatives,
        "why": term.why,
        "source": term.source,
        "exceptions": term.exceptions,
        "names": term.names,
        "is_active": term.is_active,
        "version": term.version,
    }
    form = forms.TermForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_change_term(
                term, _input(form.cleaned_data), version=form.cleaned_data["version"] or 0, actor=actor
            )
        except ActionRefused as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, _("De nieuwe versie van %(word)s is opgeslagen.") % {"word": term.word})
            return redirect("language:manage")
    return render(
        request,
        "language/term.html",
        {"form": form, "title": term.word, "term": term, "changes": selectors.list_changes(term)},
    )


@requires()
@require_POST
def check_view(request: HttpRequest) -> HttpResponse:
    """The live check of a text being written: a fragment with the avoided words and the readability.
    Nothing is stored or logged; the text stays in the form until the writer saves it."""
    actor = request.actor  # type: ignore[attr-defined]
    field = request.POST.get("veld", "")[:100]
    text = request.POST.get(field, "")[:MAX_CHECK_CHARS] if field and field != "csrfmiddlewaretoken" else ""
    report = checker.check(text, selectors.glossary_for(actor.municipality))
    return render(request, "language/_check.html", _report_context(report, text, field))


def _report_context(report: checker.Report, text: str, field: str = "") -> dict[str, object]:
    readability = report.readability
    groups = []
    for kind, label in FINDING_LABELS.items():
        found = readability.findings_of(kind)
        if found:
            shown = list(dict.fromkeys(f.text for f in found))
            groups.append({"kind": kind, "label": label, "count": len(found), "examples": shown[:5]})
    return {
        "report": report,
        "readability": readability,
        "groups": groups,
        "field": field,
        "empty": not text.strip(),
    }
