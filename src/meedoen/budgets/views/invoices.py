"""Views of the budget: invoices (declaraties).

The provider (``RUN_PLACEMENTS``, in its portal under *Facturen*): its own invoices, a new invoice typed in,
an invoice read from a CSV or XLSX file, the example file with its seats, and one invoice with the flags and
the review of each line. The controller (``REVIEW_INVOICES``): the waiting lines per provider and month, the
lines of one group with the form that approves the lines without flags at once, and one line with its own
approve and reject forms. One view per form; parse, select, act."""

import csv
import datetime as dt
import io
import uuid
from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meedoen.accounts.actor import Actor
from meedoen.accounts.guards import requires
from meedoen.accounts.policies import Capability
from meedoen.budgets import actions, forms, invoice_files, selectors
from meedoen.budgets.models import Invoice
from meedoen.errors import RuleError
from meedoen.formatting import euro
from meedoen.parsing import put_error

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


def _seat_choices(actor: Actor) -> list[tuple[str, str]]:
    """The seats to invoice, and the taakgericht contract (its lump sum per month) when there is one."""
    choices = [
        (str(seat.pk), f"{seat.resident.full_name} · {seat.placement.title}")
        for seat in selectors.seats_to_invoice(actor)
    ]
    contract = selectors.task_contract_to_invoice(actor)
    if contract is not None and contract.task_budget is not None:
        months = selectors.task_months_to_invoice(contract, timezone.localdate().year)
        choices.insert(0, (str(contract.pk), _task_label(months)))
    return choices


def _task_label(months: list[Decimal]) -> str:
    """The lump sum per month; when the cents do not divide by twelve the first months are a cent more."""
    if months[0] == months[-1]:
        return _("Vast bedrag (taakgericht contract): %(amount)s per maand") % {"amount": euro(months[0])}
    last_higher = months.index(months[-1])  # 1-12: the last month of the higher amount
    return _(
        "Vast bedrag (taakgericht contract): %(amount)s per maand tot en met %(month)s, daarna %(rest)s"
    ) % {"amount": euro(months[0]), "month": MONTHS[last_higher], "rest": euro(months[-1])}


def _submitted(request: HttpRequest, invoice: Invoice) -> HttpResponse:
    lines = invoice.lines.count()
    flagged = invoice.lines.exclude(flags=[]).count()
    text = ngettext(
        "Factuur %(number)s is ingediend met %(lines)s regel.",
        "Factuur %(number)s is ingediend met %(lines)s regels.",
        lines,
    ) % {"number": invoice.number, "lines": lines}
    if flagged:
        text += " " + ngettext(
            "%(count)s regel valt op; de gemeente kijkt die eerst na.",
            "%(count)s regels vallen op; de gemeente kijkt die eerst na.",
            flagged,
        ) % {"count": flagged}
    messages.success(request, text)
    return redirect("budgets:invoice", invoice.pk)


# ------------------------------------------------------------------------------------------- the provider


@requires(Capability.RUN_PLACEMENTS)
@require_GET
def invoices_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    context = {
        "provider": selectors.invoice_provider(actor),
        "invoices": selectors.provider_invoices(actor),
        "euro": euro,
    }
    return render(request, "budgets/invoice_list.html", context)


@requires(Capability.RUN_PLACEMENTS)
@require_http_methods(["GET", "POST"])
def invoice_new_view(request: HttpRequest) -> HttpResponse:
    """An invoice typed in: number, month and up to ten lines; the amount of each line is computed."""
    actor = _actor(request)
    form = forms.InvoiceForm(request.POST or None, today=timezone.localdate(), seats=_seat_choices(actor))
    if request.method == "POST" and not form.is_valid():
        form.put_line_errors(form.lines()[1])  # the lines' errors too, not only the header's
    elif request.method == "POST":
        lines, errors = form.lines()
        try:
            invoice = actions.do_submit_invoice(
                number=form.cleaned_data["number"],
                month=form.month_value,
                lines=lines,
                channel=Invoice.Channel.PORTAL,
                actor=actor,
                errors=errors,
            )
        except actions.InvoiceInvalid as invalid:
            form.put_line_errors(invalid.errors)
        else:
            return _submitted(request, invoice)
    return render(request, "budgets/invoice_new.html", {"form": form})


@requires(Capability.RUN_PLACEMENTS)
@require_http_methods(["GET", "POST"])
def invoice_import_view(request: HttpRequest) -> HttpResponse:
    """An invoice read from a CSV or XLSX file: all lines or none, with every bad cell by row and column."""
    actor = _actor(request)
    selectors.invoice_provider(actor)
    form = forms.InvoiceImportForm(request.POST or None, request.FILES or None, today=timezone.localdate())
    file_errors: list[invoice_files.LineError] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_UPLOAD_BYTES:
                raise invoice_files.FileUnreadable(_("Het bestand is groter dan 10 MB. Splits het in delen."))
            lines, errors = invoice_files.read_file(upload.name, upload.read())
            invoice = actions.do_submit_invoice(
                number=form.cleaned_data["number"],
                month=form.month_value,
                lines=lines,
                channel=Invoice.Channel.IMPORT,
                actor=actor,
                errors=errors,
            )
        except invoice_files.FileUnreadable as unreadable:
            form.add_error("file", str(unreadable))
        except actions.InvoiceInvalid as invalid:
            for error in invalid.errors:
                if error.row == 0:
                    form.add_error(error.field if error.field in form.fields else None, error.message)
            file_errors = [error for error in invalid.errors if error.row]
            if file_errors:
                form.add_error(
                    "file",
                    ngettext(
                        "Er is niets ingelezen: %(count)s fout in het bestand. Zie de lijst hieronder.",
                        "Er is niets ingelezen: %(count)s fouten in het bestand. Zie de lijst hieronder.",
                        len(file_errors),
                    )
                    % {"count": len(file_errors)},
                )
        else:
            return _submitted(request, invoice)
    context = {"form": form, "file_errors": file_errors[:1000], "error_count": len(file_errors)}
    return render(request, "budgets/invoice_import.html", context)


@requires(Capability.RUN_PLACEMENTS)
@require_GET
def invoice_example_view(request: HttpRequest) -> HttpResponse:
    """The example file: a row per seat of the provider in the chosen month, with the agreed unit and price
    filled in and the number of units left empty. ``;``-separated UTF-8 with a byte order mark, for Excel
    with Dutch settings."""
    actor = _actor(request)
    month = forms.parse_month(request.GET.get("maand", "")) or timezone.localdate().replace(day=1)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["plaatsing", "inwoner", "eenheid", "aantal", "prijs per eenheid"])
    contract = selectors.task_contract_to_invoice(actor)
    if contract is not None and contract.task_budget is not None:
        amount = selectors.task_months_to_invoice(contract, month.year)[month.month - 1]
        monthly = f"{amount:.2f}".replace(".", ",")
        writer.writerow([contract.pk, _("Vast bedrag (taakgericht contract)"), "maand", "1", monthly])
    for seat in selectors.seats_to_invoice(actor, month):
        placement = seat.placement
        name = seat.resident.full_name
        if name[:1] in "=+-@":
            name = "'" + name
        writer.writerow([seat.pk, name, placement.price_unit, "", f"{placement.price:.2f}".replace(".", ",")])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="factuur-{month:%Y-%m}.csv"'
    return response


@requires(Capability.RUN_PLACEMENTS)
@require_GET
def invoice_view(request: HttpRequest, invoice_id: uuid.UUID) -> HttpResponse:
    page = selectors.access_provider_invoice(invoice_id, _actor(request))
    return render(request, "budgets/invoice_detail.html", {"page": page, "euro": euro})


# ----------------------------------------------------------------------------------------- the controller


def _month_of(request: HttpRequest, provider_id: uuid.UUID) -> dt.date:
    """The month in ``?maand=2026-03``; without it the provider's oldest month with waiting lines (or this
    month)."""
    text = request.GET.get("maand", "")
    if text:
        month = forms.parse_month(text)
        if month is None:
            raise Http404
        return month
    waiting = selectors.first_waiting_month(provider_id, _actor(request))
    return waiting or timezone.localdate().replace(day=1)


def _group_url(provider_id: uuid.UUID, month: dt.date) -> str:
    return reverse("budgets:invoice-review-group", args=[provider_id]) + f"?maand={month:%Y-%m}"


@requires(Capability.REVIEW_INVOICES)
@require_GET
def review_view(request: HttpRequest) -> HttpResponse:
    groups = selectors.review_groups(_actor(request))
    return render(request, "budgets/invoice_review.html", {"groups": groups, "euro": euro})


def _approve_form(page: selectors.ReviewPage, data: object = None) -> forms.ApproveLinesForm:
    choices = [
        (str(line.pk), f"{line.resident.full_name if line.resident else '-'}: {euro(line.amount)}")
        for line in page.clean
    ]
    return forms.ApproveLinesForm(data, lines=choices, initial={"lines": [c[0] for c in choices]})


@requires(Capability.REVIEW_INVOICES)
@require_GET
def review_group_view(request: HttpRequest, provider_id: uuid.UUID) -> HttpResponse:
    """The waiting lines of one provider and month, flagged first; the lines without flags can be approved
    at once."""
    page = selectors.review_lines(provider_id, _month_of(request, provider_id), _actor(request))
    context = {"page": page, "form": _approve_form(page), "euro": euro}
    return render(request, "budgets/invoice_review_group.html", context)


@requires(Capability.REVIEW_INVOICES)
@require_POST
def approve_clean_view(request: HttpRequest, provider_id: uuid.UUID) -> HttpResponse:
    actor = _actor(request)
    month = _month_of(request, provider_id)
    page = selectors.review_lines(provider_id, month, actor)
    form = _approve_form(page, request.POST)
    if form.is_valid():
        chosen = selectors.lines_for_review([uuid.UUID(pk) for pk in form.cleaned_data["lines"]], actor)
        try:
            approved = actions.do_approve_invoice_lines(chosen, actor=actor)
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s regel is goedgekeurd en als betaling geboekt.",
                    "%(count)s regels zijn goedgekeurd en als betaling geboekt.",
                    len(approved),
                )
                % {"count": len(approved)},
            )
            return redirect(_group_url(provider_id, month))
    context = {"page": page, "form": form, "euro": euro}
    return render(request, "budgets/invoice_review_group.html", context)


def _line_page(
    request: HttpRequest,
    seen: selectors.ReviewLine,
    *,
    approve: forms.ApproveLineForm | None = None,
    reject: forms.RejectLineForm | None = None,
    correct: forms.CorrectLineForm | None = None,
) -> HttpResponse:
    context = {
        "seen": seen,
        "approve": approve or forms.ApproveLineForm(auto_id="id_approve_%s"),
        "reject": reject or forms.RejectLineForm(auto_id="id_reject_%s"),
        "correct": correct or forms.CorrectLineForm(auto_id="id_correct_%s"),
        "euro": euro,
        "back": _group_url(seen.line.invoice.provider_id, seen.line.invoice.month),
    }
    return render(request, "budgets/invoice_line.html", context)


@requires(Capability.REVIEW_INVOICES)
@require_GET
def review_line_view(request: HttpRequest, line_id: uuid.UUID) -> HttpResponse:
    return _line_page(request, selectors.access_review_line(line_id, _actor(request)))


@requires(Capability.REVIEW_INVOICES)
@require_POST
def approve_line_view(request: HttpRequest, line_id: uuid.UUID) -> HttpResponse:
    """Approve one line; a flagged line needs the reason (the reviewed exception)."""
    actor = _actor(request)
    seen = selectors.access_review_line(line_id, actor, log_view=False)
    form = forms.ApproveLineForm(request.POST, auto_id="id_approve_%s")
    if form.is_valid():
        try:
            actions.do_approve_invoice_lines([seen.line], reason=form.cleaned_data["reason"], actor=actor)
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(request, _("De regel is goedgekeurd en als betaling geboekt."))
            return redirect(_group_url(seen.line.invoice.provider_id, seen.line.invoice.month))
    return _line_page(request, selectors.access_review_line(line_id, actor), approve=form)


@requires(Capability.REVIEW_INVOICES)
@require_POST
def reject_line_view(request: HttpRequest, line_id: uuid.UUID) -> HttpResponse:
    actor = _actor(request)
    seen = selectors.access_review_line(line_id, actor, log_view=False)
    form = forms.RejectLineForm(request.POST, auto_id="id_reject_%s")
    if form.is_valid():
        try:
            actions.do_reject_invoice_line(seen.line, form.cleaned_data["reason"], actor=actor)
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(request, _("De regel is afgekeurd. De aanbieder ziet de reden."))
            return redirect(_group_url(seen.line.invoice.provider_id, seen.line.invoice.month))
    return _line_page(request, selectors.access_review_line(line_id, actor), reject=form)


@requires(Capability.REVIEW_INVOICES)
@require_POST
def correct_line_view(request: HttpRequest, line_id: uuid.UUID) -> HttpResponse:
    """Correct an approved line to the right amount: a correcting entry with the reason, never an edit."""
    actor = _actor(request)
    seen = selectors.access_review_line(line_id, actor, log_view=False)
    form = forms.CorrectLineForm(request.POST, auto_id="id_correct_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_correct_invoice_line(seen.line, data["amount"], data["reason"], actor=actor)
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(
                request,
                _("De regel is gecorrigeerd: er is nu %(amount)s betaald.")
                % {"amount": euro(data["amount"])},
            )
            return redirect("budgets:invoice-line", seen.line.pk)
    return _line_page(request, selectors.access_review_line(line_id, actor), correct=form)


urlpatterns: list[URLPattern] = [
    path("aanbieder/facturen/", invoices_view, name="invoices"),
    path("aanbieder/facturen/nieuw/", invoice_new_view, name="invoice-new"),
    path("aanbieder/facturen/inlezen/", invoice_import_view, name="invoice-import"),
    path("aanbieder/facturen/voorbeeld.csv", invoice_example_view, name="invoice-example"),
    path("aanbieder/facturen/<uuid:invoice_id>/", invoice_view, name="invoice"),
    path("budget/declaraties/", review_view, name="invoice-review"),
    path("budget/declaraties/<uuid:provider_id>/", review_group_view, name="invoice-review-group"),
    path(
        "budget/declaraties/<uuid:provider_id>/goedkeuren/", approve_clean_view, name="invoice-approve-clean"
    ),
    path("budget/declaraties/regel/<uuid:line_id>/", review_line_view, name="invoice-line"),
    path(
        "budget/declaraties/regel/<uuid:line_id>/goedkeuren/", approve_line_view, name="invoice-line-approve"
    ),
    path("budget/declaraties/regel/<uuid:line_id>/afkeuren/", reject_line_view, name="invoice-line-reject"),
    path(
        "budget/declaraties/regel/<uuid:line_id>/corrigeren/", correct_line_view, name="invoice-line-correct"
    ),
]
