"""Endpoints of the API that belong to the shell: who am I, districts, and the processing log for the FG."""

import datetime as dt
import uuid

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meedoen.accounts.policies import Capability
from meedoen.audit.models import ProcessingLogEntry
from meedoen.audit.selectors import LogFilter, list_log_entries
from meedoen.municipalities.models import District
from meedoen.municipalities.selectors import list_districts
from meedoen.restapi import Pagination


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()
    municipality = serializers.CharField()
    role = serializers.CharField()


class MeView(APIView):
    @extend_schema(responses=MeSerializer, summary="Wie ben ik: gebruiker, gemeente en rol van deze aanroep")
    def get(self, request: Request) -> Response:
        actor = request._request.actor  # type: ignore[attr-defined]
        return Response(
            {
                "username": actor.user.username,
                "name": actor.user.display_name(),
                "municipality": actor.municipality.name,
                "role": actor.role,
            }
        )


class DistrictSerializer(serializers.ModelSerializer):
    class Meta:
        model = District
        fields = ["id", "area", "name", "latitude", "longitude"]


class DistrictListView(APIView):
    @extend_schema(responses=DistrictSerializer(many=True), summary="Wijken van de gemeente van de aanroeper")
    def get(self, request: Request) -> Response:
        districts = list_districts(request._request.actor.municipality)  # type: ignore[attr-defined]
        return Response(DistrictSerializer(districts, many=True).data)


class LogEntrySerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", allow_null=True, default=None)
    resident_ids = serializers.SerializerMethodField()

    class Meta:
        model = ProcessingLogEntry
        fields = [
            "action_id",
            "occurred_at",
            "actor",
            "actor_role",
            "action",
            "purpose",
            "endpoint",
            "subject_count",
            "resident_ids",
        ]

    def get_resident_ids(self, entry: ProcessingLogEntry) -> list[uuid.UUID]:
        return [subject.resident_id for subject in entry.subjects.all()]


def _date(request: Request, name: str) -> dt.date | None:
    value = request.query_params.get(name)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError({name: ["Gebruik de vorm jjjj-mm-dd."]}) from None


class ProcessingLogView(APIView):
    """The processing log of the municipality, for the privacy officer (read only)."""

    required_capability = Capability.VIEW_PROCESSING_LOG

    @extend_schema(
        responses=LogEntrySerializer(many=True),
        parameters=[
            OpenApiParameter("resident", uuid.UUID),
            OpenApiParameter("actor", str),
            OpenApiParameter("from", dt.date),
            OpenApiParameter("to", dt.date),
        ],
    )
    def get(self, request: Request) -> Response:
        resident = request.query_params.get("resident")
        try:
            resident_id = uuid.UUID(resident) if resident else None
        except ValueError:
            raise ValidationError({"resident": ["Dit is geen geldig id."]}) from None
        filters = LogFilter(
            resident_id=resident_id,
            actor_username=request.query_params.get("actor", ""),
            date_from=_date(request, "from"),
            date_to=_date(request, "to"),
        )
        entries = list_log_entries(request._request.actor, filters).prefetch_related("subjects")  # type: ignore[attr-defined]
        paginator = Pagination()
        page = paginator.paginate_queryset(entries, request)
        return paginator.get_paginated_response(LogEntrySerializer(page, many=True).data)


@extend_schema(responses={200: dict[str, str]}, summary="Overzicht van de API")
@api_view(["GET"])
def api_root(request: Request) -> Response:
    """Entry point listing the resources of this version."""
    base = request.build_absolute_uri("/api/v1/")
    return Response(
        {
            "me": base + "me",
            "districts": base + "districts",
            "residents": base + "residents",
            "placements": base + "placements",
            "provider-placements": base + "provider-placements",
            "proposals": base + "proposals",
            "processing-log-entries": base + "processing-log-entries",
            "experiments": base + "experiments",
            "schema": base + "schema/",
            "docs": base + "docs/",
        }
    )
