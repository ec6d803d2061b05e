"""The budget's API (``/api/v1/budget/...``): amounts are strings with two decimals, never numbers.

The sections below are owned by different parts of the work; keep new endpoints in their own section and
add their paths to that section's list at the bottom."""

import uuid

from django.urls import URLPattern, path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meedoen.accounts.policies import Capability
from meedoen.budgets import selectors

# ------------------------------------------------------------ budget year, sources, projects, balances


class BalanceSerializer(serializers.Serializer):
    """One funding source's sums in a year; amounts are strings with two decimals."""

    id = serializers.CharField(source="key")
    funding_source = serializers.CharField(source="label")
    budget = serializers.DecimalField(max_digits=14, decimal_places=2, source="balance.available")
    committed = serializers.DecimalField(max_digits=14, decimal_places=2, source="balance.net_committed")
    invoiced = serializers.DecimalField(max_digits=14, decimal_places=2, source="balance.invoiced")
    paid = serializers.DecimalField(max_digits=14, decimal_places=2, source="balance.paid")
    free = serializers.DecimalField(max_digits=14, decimal_places=2, source="balance.free")
    forecast = serializers.DecimalField(max_digits=14, decimal_places=2, source="forecast.expected")


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
    committed = serializers.DecimalField(max_digits=14, decimal_places=2, source="balance.committed")
    released = serializers.DecimalField(max_digits=14, decimal_places=2, source="balance.released")
    invoiced = serializers.DecimalField(max_digits=14, decimal_places=2, source="balance.invoiced")
    paid = serializers.DecimalField(max_digits=14, decimal_places=2, source="balance.paid")

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

invoice_patterns: list[URLPattern] = []

urlpatterns = [*budget_patterns, *commitment_patterns, *invoice_patterns]
