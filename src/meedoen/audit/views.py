"""The processing log for the privacy officer (FG): read only, filterable."""

import datetime as dt
import uuid

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from meedoen.accounts.guards import requires
from meedoen.accounts.policies import Capability
from meedoen.audit.models import LogAction
from meedoen.audit.selectors import LogFilter, list_log_entries
from meedoen.forms import Form


class LogFilterForm(Form):
    inwoner = forms.UUIDField(
        label=_("Id van de inwoner"), required=False, error_messages={"invalid": _("Dit is geen geldig id.")}
    )
    gebruiker = forms.CharField(label=_("Gebruikersnaam"), required=False, max_length=150)
    handeling = forms.ChoiceField(
        label=_("Handeling"), required=False, choices=[("", _("Alle")), *LogAction.choices]
    )
    van = forms.DateField(label=_("Vanaf"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    tot = forms.DateField(
        label=_("Tot en met"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("van"), cleaned.get("tot")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            self.add_error("tot", _("Deze datum ligt voor de begindatum."))
        return cleaned


@requires(Capability.VIEW_PROCESSING_LOG)
@require_GET
def log_view(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    form = LogFilterForm(request.GET or None)
    filters = LogFilter()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        resident: uuid.UUID | None = data.get("inwoner")
        filters = LogFilter(
            resident_id=resident,
            actor_username=data.get("gebruiker") or "",
            action=data.get("handeling") or "",
            date_from=data.get("van"),
            date_to=data.get("tot"),
        )
    entries = list_log_entries(actor, filters)
    page = Paginator(entries, 50).get_page(request.GET.get("pagina"))
    return render(request, "audit/log.html", {"form": form, "page": page})
