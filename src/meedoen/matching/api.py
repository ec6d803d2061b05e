"""REST API of matching: the best-fitting placements for one resident, with their reasons. The same
selectors as the Passende plekken page, so the same scoping and processing log."""

import uuid

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meedoen.accounts.policies import Capability
from meedoen.matching import reasons, selectors
from meedoen.parsing import int_or
from meedoen.residents import selectors as resident_selectors


class PartSerializer(serializers.Serializer):
    criterion = serializers.CharField()
    points = serializers.FloatField()


class ReasonField(serializers.CharField):
    """A reason of the match, as text in the language of the request (Dutch unless asked otherwise)."""

    def to_representation(self, value: object) -> str:
        return reasons.shown(value)  # type: ignore[arg-type]


class RecommendationSerializer(serializers.Serializer):
    placement = serializers.UUIDField(source="placement_id")
    title = serializers.CharField()
    score = serializers.FloatField(help_text="0–100")
    distance_km = serializers.FloatField()
    full = serializers.BooleanField(help_text="no free seat now (only with waiting_list=true)")
    fits = serializers.ListField(child=ReasonField(), source="explanation.fits")
    misfits = serializers.ListField(child=ReasonField(), source="explanation.misfits")
    parts = serializers.SerializerMethodField()

    @extend_schema_field(PartSerializer(many=True))
    def get_parts(self, recommendation: selectors.Recommendation) -> list[dict[str, object]]:
        return [
            {"criterion": reasons.shown(criterion), "points": round(points, 2)}
            for criterion, points in recommendation.explanation.parts
        ]


class RecommendationListView(APIView):
    required_capability = Capability.MAKE_PROPOSALS

    @extend_schema(
        tags=["matching"],
        summary="Passende plekken: the best-fitting placements for a resident, with reasons",
        parameters=[
            OpenApiParameter("top", int, description="how many (1–50, default 10)"),
            OpenApiParameter("waiting_list", bool, description="also full placements (waiting list)"),
        ],
        responses=RecommendationSerializer(many=True),
    )
    def get(self, request: Request, resident_id: uuid.UUID) -> Response:
        actor = request._request.actor  # type: ignore[attr-defined]
        resident = resident_selectors.access_resident_for_change(resident_id, actor)
        match = selectors.resident_for_matching(resident, actor)
        top = min(50, max(1, int_or(request.query_params.get("top"), 10)))
        waiting_list = request.query_params.get("waiting_list") == "true"
        recommendations = selectors.recommend(match, actor, top=top, waiting_list=waiting_list)
        return Response(RecommendationSerializer(recommendations, many=True).data)
