"""The processing log for the privacy officer (FG): search by resident (BSN, name or id), user, action and
dates; read only; the result can be exported as CSV.

The screen lives in the shell, not in ``audit``: it names the residents each entry concerned, which only the
residents app may read, and ``audit`` sits below ``residents`` (docs/architecture.md). The URL names stay
``audit:log`` and ``audit:export`` (web/log_urls.py).
"""

import csv
import datetime as dt
import io
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET
from stdnum.nl import bsn as bsn_validator

from meedoen.accounts.actor import Actor
from meedoen.accounts.guards import requires
from meedoen.accounts.policies import Capability
from meedoen.audit.endpoints import endpoint_label
from meedoen.audit.models import LogAction, ProcessingLogEntry
from meedoen.audit.selectors import LogFilter, list_log_entries
from meedoen.forms import Form
from meedoen.residents.selectors import (
    LOG_SUBJECT_MATCHES,
    LogSubject,
    describe_log_subjects,
    find_log_subjects,
)

PER_PAGE = 50
EXPORT_LIMIT = 10_000
NAMED_PER_ENTRY = 3  # without a resident search, an entry names its first three residents and counts the rest


@dataclass(frozen=True)
class ResidentTerm:
    """What the FG typed in the resident field: a (valid) BSN, an id, or words of a name."""

    bsn: str = ""
    resident_id: uuid.UUID | None = None
    name: str = ""


def parse_resident_term(text: str) -> ResidentTerm:
    """A BSN (9 digits, or 8 with the leading zero left off; dots and spaces allowed) must pass the
    eleven-test; an id is a UUID; anything else is a name. Raises ``forms.ValidationError`` in Dutch."""
    text = text.strip()
    digits = text.replace(" ", "").replace(".", "").replace("-", "")
    if digits.isdigit():
        if len(digits) in (8, 9) and bsn_validator.is_valid(digits.zfill(9)):
            return ResidentTerm(bsn=digits.zfill(9))
        raise forms.ValidationError(
            _("Dit is geen geldig BSN. Een BSN heeft 9 cijfers en klopt met de elfproef."), code="bsn"
        )
    try:
        return ResidentTerm(resident_id=uuid.UUID(text))
    except ValueError:
        pass
    if len(text.replace(" ", "")) < 2:
        raise forms.ValidationError(_("Typ minstens 2 letters van de naam."), code="short")
    return ResidentTerm(name=text)


class LogFilterForm(Form):
    inwoner = forms.CharField(
        label=_("Inwoner"),
        help_text=_("BSN of (een deel van) de voor- of achternaam"),
        required=False,
        max_length=200,
    )
    gebruiker = forms.CharField(label=_("Gebruikersnaam"), required=False, max_length=150)
    handeling = forms.ChoiceField(
        label=_("Handeling"), required=False, choices=[("", _("Alle")), *LogAction.choices]
    )
    van = forms.DateField(label=_("Vanaf"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    tot = forms.DateField(
        label=_("Tot en met"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_inwoner(self) -> ResidentTerm | None:
        text = self.cleaned_data.get("inwoner") or ""
        return parse_resident_term(text) if text.strip() else None

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("van"), cleaned.get("tot")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            self.add_error("tot", _("Deze datum ligt voor de begindatum."))
        return cleaned


@dataclass
class LogSearch:
    """The parsed search: ``valid`` False means errors at the fields and no entries at all."""

    valid: bool
    filters: LogFilter = field(default_factory=LogFilter)
    term: ResidentTerm | None = None
    matches: list[uuid.UUID] | None = None  # residents the term found (None: no resident searched)


def _search(actor: Actor, form: LogFilterForm) -> LogSearch:
    if not form.is_bound:
        return LogSearch(valid=True)
    if not form.is_valid():
        return LogSearch(valid=False)
    data = form.cleaned_data
    term: ResidentTerm | None = data.get("inwoner")
    matches = None
    if term is not None:
        matches = find_log_subjects(actor, bsn=term.bsn, name=term.name, resident_id=term.resident_id)
        if len(matches) > LOG_SUBJECT_MATCHES:
            form.add_error(
                "inwoner",
                _("Meer dan %(n)s inwoners gevonden. Typ meer van de naam, of zoek op BSN.")
                % {"n": LOG_SUBJECT_MATCHES},
            )
            return LogSearch(valid=False)
    filters = LogFilter(
        resident_ids=tuple(matches) if matches is not None else None,
        actor_username=data.get("gebruiker") or "",
        action=data.get("handeling") or "",
        date_from=data.get("van"),
        date_to=data.get("tot"),
    )
    return LogSearch(valid=True, filters=filters, term=term, matches=matches)


@dataclass(frozen=True)
class LogRow:
    entry: ProcessingLogEntry
    screen: str
    named: list[LogSubject]
    others: int  # concerned residents not named in the row

    @property
    def actor_name(self) -> str:
        return self.entry.actor.display_name() if self.entry.actor else ""


def _named_ids(entry: ProcessingLogEntry, matches: list[uuid.UUID] | None) -> list[uuid.UUID]:
    """Which of an entry's residents a row names: the residents searched for, or else its first three."""
    ids = [subject.resident_id for subject in entry.subjects.all()]
    if matches is not None:
        wanted = set(matches)
        return [pk for pk in ids if pk in wanted]
    return ids[:NAMED_PER_ENTRY]


def _rows(
    entries: list[ProcessingLogEntry], matches: list[uuid.UUID] | None, names: dict[uuid.UUID, LogSubject]
) -> list[LogRow]:
    rows = []
    for entry in entries:
        named = [names[pk] for pk in _named_ids(entry, matches) if pk in names]
        rows.append(LogRow(entry, endpoint_label(entry.endpoint), named, entry.subject_count - len(named)))
    return rows


def _read(
    actor: Actor, search: LogSearch, limit: int | None, page_number: str | None, action: LogAction
) -> tuple[Page | None, list[ProcessingLogEntry], dict[uuid.UUID, LogSubject]]:
    """The entries (one page, or the first ``limit`` for an export) and the residents they name, read and
    logged as one processing of the FG."""
    page: Page | None = None
    entries: list[ProcessingLogEntry] = []
    if search.valid and search.matches != []:
        found = list_log_entries(actor, search.filters, logged=False)
        if limit is None:
            page = Paginator(found, PER_PAGE).get_page(page_number)
            entries = list(page.object_list)
        else:
            entries = list(found[:limit])
    wanted = [pk for entry in entries for pk in _named_ids(entry, search.matches)]
    names = describe_log_subjects(actor, [*(search.matches or []), *wanted], action=action)
    return page, entries, names


def _query(request: HttpRequest, **changes: str) -> str:
    """The current search as a query string, without the page number, with ``changes`` applied."""
    params = {key: value for key, value in request.GET.items() if key != "pagina" and value}
    params.update(changes)
    return urlencode(params)


@requires(Capability.VIEW_PROCESSING_LOG)
@require_GET
def log_view(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    form = LogFilterForm(request.GET or None)
    search = _search(actor, form)
    page, entries, names = _read(actor, search, None, request.GET.get("pagina"), LogAction.SEARCH)
    matches = [names[pk] for pk in search.matches or [] if pk in names]
    choices = [(subject, _query(request, inwoner=str(subject.id))) for subject in matches]
    return render(
        request,
        "audit/log.html",
        {
            "form": form,
            "search": search,
            "page": page,
            "rows": _rows(entries, search.matches, names),
            "matches": matches,
            "choices": choices if len(matches) > 1 else [],
            "query": _query(request),
        },
    )


# The export: semicolons and a byte order mark, because the FG opens it in Excel with Dutch settings, which
# splits on ";" and reads a file without the mark as Windows-1252 (names with ë or é come out garbled).
CSV_HEADERS = [
    _("Tijdstip"),
    _("Gebruikersnaam"),
    _("Naam gebruiker"),
    _("Rol"),
    _("Handeling"),
    _("Doel"),
    _("Scherm of API"),
    _("Code van scherm"),
    _("Aantal inwoners"),
    _("Inwoners (naam en laatste cijfers BSN)"),
]


def _cell(value: object) -> str:
    """A text Excel would run as a formula (=, +, -, @ first) gets a quote in front."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@requires(Capability.VIEW_PROCESSING_LOG)
@require_GET
def export_view(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    form = LogFilterForm(request.GET or None)
    search = _search(actor, form)
    if not search.valid:
        return render(
            request,
            "audit/log.html",
            {
                "form": form,
                "search": search,
                "page": None,
                "rows": [],
                "matches": [],
                "choices": [],
                "query": "",
            },
            status=400,
        )
    _page, entries, names = _read(actor, search, EXPORT_LIMIT, None, LogAction.EXPORT)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([str(header) for header in CSV_HEADERS])
    for row in _rows(entries, search.matches, names):
        people = ", ".join(f"{subject.name} ({subject.masked_bsn})" for subject in row.named)
        if row.others:
            more = ngettext("nog %(n)s inwoner", "nog %(n)s inwoners", row.others) % {"n": row.others}
            people = f"{people}, {more}" if people else more
        entry = row.entry
        writer.writerow(
            [
                _cell(value)
                for value in (
                    timezone.localtime(entry.occurred_at).strftime("%d-%m-%Y %H:%M:%S"),
                    entry.actor.username if entry.actor else "",
                    row.actor_name,
                    entry.get_actor_role_display(),
                    entry.get_action_display(),
                    entry.get_purpose_display(),
                    row.screen,
                    entry.endpoint,
                    entry.subject_count,
                    people,
                )
            ]
        )
    response = HttpResponse(out.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    name = f"verwerkingenlog-{actor.municipality.slug}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
