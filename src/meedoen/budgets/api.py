"""The budget's API (``/api/v1/budget/...``): amounts are strings with two decimals, never numbers.

The sections below are owned by different parts of the work; keep new endpoints in their own section and
add their paths to that section's list at the bottom."""

import datetime as dt
import uuid
from decimal import Decimal

from django.urls import URLPattern, path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meedoen.accounts.policies import Capability
from meedoen.budgets import actions, forms, invoice_files, selectors
from meedoen.budgets.models import Invoice, InvoiceLine
from meedoen.restapi import NOTE_LIMIT, Pagination


def money(source: str | None = None) -> serializers.DecimalField:
    """An amount: a string with two decimals (never a number), as every budget endpoint gives it."""
    if source is None:
        return serializers.DecimalField(max_digits=14, decimal_places=2)
    return serializers.DecimalField(max_digits=14, decimal_places=2, source=source)


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-03"})
class MonthField(serializers.Field):
    """A month (the first day of it) as ``2026-03``."""

    def to_representation(self, value: dt.date) -> str:
        return f"{value:%Y-%m}"


# ------------------------------------------------------------ budget year, sources, projects, balances


class BalanceSerializer(serializers.Serializer):
    """One funding source's sums in a year; amounts are strings with two decimals."""

    id = serializers.CharField(source="key")
    funding_source = serializers.CharField(source="label")
    budget = money("balance.available")
    committed = money("balance.net_committed")
    invoiced = money("balance.invoiced")
    paid = money("balance.paid")
    free = money("balance.free")
    forecast = money("forecast.expected")


class BalanceListView(APIView):
    required_capability = Capability.VIEW_BUDGET

    @extend_schema(
        responses=BalanceSerializer(many=True),
        tags=["budget"],
        summary="Budget per geldbron van een begrotingsjaar",
        description="Per geldbron: budget (na mutaties), verplicht, gefactureerd, betaald, vrij en de "
        "prognose tot het eind van het jaar. Bedragen als tekst met twee decimalen.",
    )
    def get(self, request: Request, year_id: uuid.UUID) -> Response:
        actor = request._request.actor  # type: ignore[attr-defined]
        budget_year = selectors.view_budget_year(year_id, actor)
        page = selectors.budget_page(budget_year, actor, today=timezone.localdate())
        return Response(BalanceSerializer(page.sources, many=True).data)


budget_patterns: list[URLPattern] = [
    path("budget/years/<uuid:year_id>/balances", BalanceListView.as_view(), name="budget-balances"),
]

# ------------------------------------------------------------------------------- commitments


class CommitmentSerializer(serializers.Serializer):
    """One commitment with its sums; amounts are strings with two decimals."""

    id = serializers.UUIDField(source="commitment.id")
    funding_source = serializers.CharField(source="commitment.source.name", help_text="De geldbron")
    taakveld = serializers.CharField(source="commitment.source.taakveld")
    project = serializers.CharField(source="commitment.project.code", allow_null=True, default=None)
    provider = serializers.CharField(source="commitment.provider.name")
    resident_id = serializers.UUIDField(source="commitment.resident_id", allow_null=True)
    resident_name = serializers.SerializerMethodField()
    placement = serializers.CharField(source="commitment.seat.placement.title", allow_null=True, default=None)
    pricing = serializers.CharField(source="commitment.pricing")
    starts_on = serializers.DateField(source="commitment.starts_on")
    ends_on = serializers.DateField(source="commitment.ends_on")
    status = serializers.CharField(source="commitment.status")
    committed = money("balance.committed")
    released = money("balance.released")
    invoiced = money("balance.invoiced")
    paid = money("balance.paid")

    def get_resident_name(self, row: selectors.CommitmentRow) -> str | None:
        return row.commitment.resident.full_name if row.commitment.resident else None


class CommitmentListView(APIView):
    required_capability = Capability.MANAGE_BUDGET

    @extend_schema(
        responses=CommitmentSerializer(many=True),
        tags=["budget"],
        summary="Verplichtingen van een begrotingsjaar",
        description="Alle verplichtingen van het jaar, per geldbron, met verplicht, vrijgevallen, "
        "gefactureerd "
        "en betaald (bedragen als tekst met twee decimalen). Staat in het verwerkingenlog.",
    )
    def get(self, request: Request, year_id: uuid.UUID) -> Response:
        actor = request._request.actor  # type: ignore[attr-defined]
        budget_year = selectors.access_budget_year(year_id, actor)
        rows = [row for group in selectors.commitments_of_year(budget_year, actor) for row in group.rows]
        return Response(CommitmentSerializer(rows, many=True).data)


commitment_patterns: list[URLPattern] = [
    path(
        "budget/years/<uuid:year_id>/commitments",
        CommitmentListView.as_view(),
        name="budget-commitments",
    ),
]

# ------------------------------------------------------------------------------ invoices

MAX_API_LINES = 10_000


class InvoiceLineSerializer(serializers.Serializer):
    """One line as the provider sent it, with what the municipality found (``flags``) and its review."""

    id = serializers.UUIDField()
    row = serializers.IntegerField()
    seat = serializers.UUIDField(source="seat_id", allow_null=True)
    contract = serializers.UUIDField(
        source="contract_id",
        allow_null=True,
        help_text="Het taakgerichte contract (een regel zonder plaatsing)",
    )
    resident_id = serializers.UUIDField(allow_null=True)
    resident_name = serializers.SerializerMethodField()
    unit = serializers.CharField()
    units = serializers.DecimalField(max_digits=10, decimal_places=2)
    unit_price = money()
    amount = money()
    flags = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))
    status = serializers.CharField()
    review_reason = serializers.CharField()

    def get_resident_name(self, line: InvoiceLine) -> str | None:
        return line.resident.full_name if line.resident else None


class InvoiceSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="invoice.id")
    number = serializers.CharField(source="invoice.number")
    month = MonthField(source="invoice.month")
    channel = serializers.CharField(source="invoice.channel")
    submitted_at = serializers.DateTimeField(source="invoice.submitted_at")
    total = money()
    lines = InvoiceLineSerializer(many=True)


class InvoiceSummarySerializer(serializers.Serializer):
    id = serializers.UUIDField(source="invoice.id")
    number = serializers.CharField(source="invoice.number")
    month = MonthField(source="invoice.month")
    lines = serializers.IntegerField()
    total = money()
    waiting = serializers.IntegerField()
    approved = serializers.IntegerField()
    rejected = serializers.IntegerField()
    flagged = serializers.IntegerField()


class InvoiceLineInSerializer(serializers.Serializer):
    seat = serializers.UUIDField(
        help_text="Het id van de plaatsing (seat); voor het vaste bedrag van een taakgericht contract het id "
        "van het contract, met eenheid maand"
    )
    unit = serializers.ChoiceField(choices=list(invoice_files.UNITS))
    units = serializers.CharField(help_text='Aantal eenheden als tekst, bijvoorbeeld "40.00"')
    unit_price = serializers.CharField(help_text='Prijs per eenheid als tekst, bijvoorbeeld "15.00"')


class InvoiceInSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=40)
    month = serializers.RegexField(r"^\d{4}-\d{2}$", help_text="De maand, als 2026-03")
    lines = InvoiceLineInSerializer(many=True)


def _line_cells(row: object) -> dict[str, str] | str:
    """The cells of one line as text; amounts must come as strings (never a number, never a float)."""
    if not isinstance(row, dict):
        return "Stuur een regel als object met seat, unit, units en unit_price."
    cells = {}
    for name in invoice_files.REQUIRED:
        value = row.get(name, "")
        if name in ("units", "unit_price") and not isinstance(value, str):
            return f'{name}: stuur een bedrag als tekst, bijvoorbeeld "15.00".'
        cells[name] = str(value)
    return cells


class InvoiceListView(APIView):
    required_capability = Capability.RUN_PLACEMENTS

    @extend_schema(
        responses=InvoiceSummarySerializer(many=True),
        tags=["budget"],
        summary="Eigen facturen van de aanbieder",
        description="De facturen van uw organisatie bij deze gemeente, met totalen (bedragen als tekst).",
    )
    def get(self, request: Request) -> Response:
        actor = request._request.actor  # type: ignore[attr-defined]
        return Response(InvoiceSummarySerializer(selectors.provider_invoices(actor), many=True).data)

    @extend_schema(
        request=InvoiceInSerializer,
        responses={201: InvoiceSerializer},
        tags=["budget"],
        summary="Factuur indienen",
        description=(
            "Een factuur voor één maand met een regel per plaatsing en eenheid; bedragen als tekst met "
            "hoogstens twee decimalen. Alles of niets: met één foute regel wordt niets opgeslagen en "
            "krijgt u de fouten van elke regel terug, als `lines[3].units`. Elke regel wordt vergeleken "
            "met de verplichting en de gemelde aanwezigheid; wat opvalt staat in `flags`."
        ),
    )
    def post(self, request: Request) -> Response:
        actor = request._request.actor  # type: ignore[attr-defined]
        body = request.data if isinstance(request.data, dict) else {}
        header = InvoiceInSerializer(data={**body, "lines": []})
        errors: dict[str, object] = {}
        if not header.is_valid():
            errors |= header.errors
        rows = body.get("lines")
        if not isinstance(rows, list) or not rows:
            errors["lines"] = ["Stuur een lijst met minstens één regel."]
            rows = []
        elif len(rows) > MAX_API_LINES:
            errors["lines"] = [f"Stuur hoogstens {MAX_API_LINES} regels per factuur."]
            rows = []
        lines: list[invoice_files.LineInput] = []
        line_errors: list[invoice_files.LineError] = []
        for index, row in enumerate(rows):
            cells = _line_cells(row)
            if isinstance(cells, str):
                line_errors.append(invoice_files.LineError(index + 1, "", cells))
                continue
            line, bad = invoice_files.parse_line(index + 1, cells)
            line_errors += bad
            if line is not None:
                lines.append(line)
        month = forms.parse_month(str(body.get("month", "")))
        if not errors:
            try:
                invoice = actions.do_submit_invoice(
                    number=str(body.get("number", "")),
                    month=month,
                    lines=lines,
                    channel=Invoice.Channel.API,
                    actor=actor,
                    errors=line_errors,
                )
            except actions.InvoiceInvalid as invalid:
                line_errors = invalid.errors
            else:
                page = selectors.access_provider_invoice(invoice.pk, actor)
                return Response(InvoiceSerializer(page).data, status=201)
        per_line: dict[int, dict[str, list[str]]] = {}
        for error in line_errors:
            if error.row == 0:
                errors.setdefault(error.field, [error.message])
            else:
                per_line.setdefault(error.row - 1, {}).setdefault(
                    error.field or "non_field_errors", []
                ).append(error.message)
        if per_line:
            errors["lines"] = per_line
        raise serializers.ValidationError(errors)  # type: ignore[arg-type]


class InvoiceDetailView(APIView):
    required_capability = Capability.RUN_PLACEMENTS

    @extend_schema(
        responses=InvoiceSerializer,
        tags=["budget"],
        summary="Eén eigen factuur",
        description="Een factuur van uw organisatie met alle regels, wat opvalt en de beoordeling. "
        "Staat in het verwerkingenlog.",
    )
    def get(self, request: Request, invoice_id: uuid.UUID) -> Response:
        actor = request._request.actor  # type: ignore[attr-defined]
        return Response(InvoiceSerializer(selectors.access_provider_invoice(invoice_id, actor)).data)


# ------------------------------------------------------------------------------ the controller's review


class ReviewLineSerializer(InvoiceLineSerializer):
    """A line as the controller reviews it: the provider's line with its invoice and commitment."""

    invoice = serializers.UUIDField(source="invoice_id")
    invoice_number = serializers.CharField(source="invoice.number")
    month = MonthField(source="invoice.month")
    provider = serializers.UUIDField(source="invoice.provider_id")
    provider_name = serializers.CharField(source="invoice.provider.name")
    commitment = serializers.UUIDField(source="commitment_id", allow_null=True)


class ReviewLinePageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ReviewLineSerializer(many=True)


class ReasonSerializer(serializers.Serializer):
    # The same limit as the reason on the review screen (meedoen.forms: 10,000 characters for a text area).
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Waarom: nodig bij afkeuren, en bij goedkeuren van een opvallende regel",
        **NOTE_LIMIT,
    )


AMOUNT_TEXT = 'Stuur het bedrag als tekst met hoogstens twee decimalen, bijvoorbeeld "450.00".'


class LineCorrectionSerializer(serializers.Serializer):
    amount = serializers.RegexField(
        r"^\d{1,12}(\.\d{1,2})?$",
        help_text='Het juiste bedrag voor de regel als tekst, bijvoorbeeld "450.00" ("0.00": niets betalen)',
        error_messages={"invalid": AMOUNT_TEXT},
    )
    reason = serializers.CharField(help_text="Waarom de regel wordt gecorrigeerd (verplicht)", **NOTE_LIMIT)


class CorrectedLineSerializer(ReviewLineSerializer):
    """A line after a correction: what the ledger now holds as paid for it, corrections included."""

    paid = serializers.SerializerMethodField()

    @extend_schema_field({"type": "string", "example": "450.00"})
    def get_paid(self, line: InvoiceLine) -> str:
        return f"{self.context['paid']:.2f}"


REVIEW_STATUSES = [status.value for status in InvoiceLine.Status]


class ReviewLineListView(APIView):
    required_capability = Capability.REVIEW_INVOICES

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=REVIEW_STATUSES, description="Standaard: wacht"),
            OpenApiParameter("provider", uuid.UUID, description="Alleen de regels van deze aanbieder"),
            OpenApiParameter("month", str, description="Alleen deze maand, als 2026-03"),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        responses=ReviewLinePageSerializer,
        tags=["budget"],
        summary="Factuurregels om te controleren",
        description="De factuurregels van de aanbieders bij uw gemeente (standaard de wachtende), oudste "
        f"maand eerst, per pagina (standaard {Pagination.page_size}, hoogstens {Pagination.max_page_size} "
        "met `page_size`). Bedragen als tekst. De inwoners op de pagina staan in het verwerkingenlog.",
    )
    def get(self, request: Request) -> Response:
        actor = request._request.actor  # type: ignore[attr-defined]
        status = request.query_params.get("status", InvoiceLine.Status.WAITING)
        errors: dict[str, list[str]] = {}
        if status not in REVIEW_STATUSES:
            errors["status"] = ["Kies uit: " + ", ".join(REVIEW_STATUSES) + "."]
        provider_id = None
        if request.query_params.get("provider"):
            try:
                provider_id = uuid.UUID(request.query_params["provider"])
            except ValueError:
                errors["provider"] = ["Dit is geen id van een aanbieder."]
        month = None
        if request.query_params.get("month"):
            month = forms.parse_month(request.query_params["month"])
            if month is None:
                errors["month"] = ["Schrijf de maand als 2026-03."]
        if errors:
            raise serializers.ValidationError(errors)
        lines = selectors.lines_to_review(actor, status=status, provider_id=provider_id, month=month)
        paginator = Pagination()
        page = list(paginator.paginate_queryset(lines, request, view=self) or [])
        selectors.record_review_lines_read(page, actor)
        return paginator.get_paginated_response(ReviewLineSerializer(page, many=True).data)


def _reviewed(request: Request, line_id: uuid.UUID, approve: bool) -> Response:
    actor = request._request.actor  # type: ignore[attr-defined]
    seen = selectors.access_review_line(line_id, actor, log_view=False)
    body = ReasonSerializer(data=request.data if isinstance(request.data, dict) else {})
    body.is_valid(raise_exception=True)
    reason = body.validated_data.get("reason", "")
    if approve:  # a broken rule (a flagged line without a reason) is a 400 at its field
        actions.do_approve_invoice_lines([seen.line], reason=reason, actor=actor)
    else:
        actions.do_reject_invoice_line(seen.line, reason, actor=actor)
    line = selectors.access_review_line(line_id, actor, log_view=False).line
    return Response(ReviewLineSerializer(line).data)


class ReviewLineApproveView(APIView):
    required_capability = Capability.REVIEW_INVOICES

    @extend_schema(
        request=ReasonSerializer,
        responses=ReviewLineSerializer,
        tags=["budget"],
        summary="Factuurregel goedkeuren en betalen",
        description="Keurt een wachtende regel goed: hij wordt als factuur en betaling geboekt op de "
        "verplichting. Een opvallende regel (`flags`), of een regel boven de verplichting, heeft een "
        "`reason` nodig. Een regel van een andere gemeente bestaat niet (404).",
    )
    def post(self, request: Request, line_id: uuid.UUID) -> Response:
        return _reviewed(request, line_id, approve=True)


class ReviewLineRejectView(APIView):
    required_capability = Capability.REVIEW_INVOICES

    @extend_schema(
        request=ReasonSerializer,
        responses=ReviewLineSerializer,
        tags=["budget"],
        summary="Factuurregel afkeuren",
        description="Keurt een wachtende regel af met een `reason` (verplicht); de aanbieder ziet die. Er "
        "wordt niets betaald.",
    )
    def post(self, request: Request, line_id: uuid.UUID) -> Response:
        return _reviewed(request, line_id, approve=False)


class ReviewLineCorrectView(APIView):
    required_capability = Capability.REVIEW_INVOICES

    @extend_schema(
        request=LineCorrectionSerializer,
        responses=CorrectedLineSerializer,
        tags=["budget"],
        summary="Goedgekeurde factuurregel corrigeren",
        description="Zet een goedgekeurde regel op het juiste bedrag (`amount`, als tekst) met een `reason`. "
        "Er wordt niets gewijzigd: het verschil met wat al betaald is wordt als correctie geboekt (factuur "
        "en betaling, negatief bij minder), met de reden en wie het deed. `paid` is daarna wat voor de "
        "regel betaald is. Een regel die niet is goedgekeurd kan niet worden gecorrigeerd (400); een regel "
        "van een andere gemeente bestaat niet (404). Staat in het verwerkingenlog.",
    )
    def post(self, request: Request, line_id: uuid.UUID) -> Response:
        actor = request._request.actor  # type: ignore[attr-defined]
        seen = selectors.access_review_line(line_id, actor, log_view=False)
        data = request.data if isinstance(request.data, dict) else {}
        if "amount" in data and not isinstance(data["amount"], str):  # never a number, never a float
            raise serializers.ValidationError({"amount": [AMOUNT_TEXT]})
        body = LineCorrectionSerializer(data=data)
        body.is_valid(raise_exception=True)
        amount = Decimal(body.validated_data["amount"])
        actions.do_correct_invoice_line(seen.line, amount, body.validated_data["reason"], actor=actor)
        corrected = selectors.access_review_line(line_id, actor, log_view=False)
        return Response(CorrectedLineSerializer(corrected.line, context={"paid": corrected.paid}).data)


invoice_patterns: list[URLPattern] = [
    path("budget/invoices", InvoiceListView.as_view(), name="budget-invoices"),
    path("budget/invoices/<uuid:invoice_id>", InvoiceDetailView.as_view(), name="budget-invoice"),
    path("budget/review/lines", ReviewLineListView.as_view(), name="budget-review-lines"),
    path(
        "budget/review/lines/<uuid:line_id>/approve",
        ReviewLineApproveView.as_view(),
        name="budget-review-line-approve",
    ),
    path(
        "budget/review/lines/<uuid:line_id>/reject",
        ReviewLineRejectView.as_view(),
        name="budget-review-line-reject",
    ),
    path(
        "budget/review/lines/<uuid:line_id>/correct",
        ReviewLineCorrectView.as_view(),
        name="budget-review-line-correct",
    ),
]

urlpatterns = [*budget_patterns, *commitment_patterns, *invoice_patterns]
