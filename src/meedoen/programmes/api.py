"""The programme's indicators over the API (``/api/v1/indicators``): the dashboard's figures, as a
programme role sees them. Aggregates only, small cells suppressed by the same rules as the dashboard; a
value is a string (or null when it is hidden or not computed), never a number."""

from typing import Any

from django.urls import URLPattern, path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meedoen.accounts.policies import Capability
from meedoen.programmes import rules, selectors

FILTER_DIMENSIONS = [d.value for d in rules.FILTER_DIMENSIONS]  # project, wijk, doelgroep, grondslag


class FigureSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="De maand (2026-05) of de periode (2026-Q2).")  # type: ignore[assignment]
    value = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True, coerce_to_string=True)
    suppressed = serializers.BooleanField(source="hidden", help_text="Minder dan 5 inwoners: niet getoond.")
    computed = serializers.BooleanField(help_text="Onwaar als de maand nog niet is berekend.")


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField(source="indicator.code")
    name = serializers.CharField()
    unit = serializers.CharField(source="indicator.unit")
    how = serializers.CharField(help_text="Hoe het cijfer wordt berekend, in gewone taal.")
    value = serializers.DecimalField(
        source="figure.value", max_digits=16, decimal_places=2, allow_null=True, coerce_to_string=True
    )
    target = serializers.DecimalField(
        source="figure.target", max_digits=16, decimal_places=2, allow_null=True, coerce_to_string=True
    )
    meets_target = serializers.BooleanField(source="figure.meets", allow_null=True)
    suppressed = serializers.BooleanField(source="figure.hidden")
    computed = serializers.BooleanField(source="figure.computed")
    note = serializers.CharField(
        help_text="Leeg, of waarom er geen cijfer is: het is niet te splitsen naar een filter "
        "(bijvoorbeeld geld naar wijk)."
    )
    months = FigureSerializer(
        source="trend", many=True, help_text="De twaalf maanden tot het eind van de periode."
    )


class FilterSerializer(serializers.Serializer):
    dimension = serializers.CharField(help_text="wijk; bij twee filters tegelijk project+wijk.")
    key = serializers.CharField(help_text="De sleutel; bij twee filters tegelijk <sleutel 1>|<sleutel 2>.")
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label


class IndicatorsSerializer(serializers.Serializer):
    period = serializers.CharField(source="period.label")
    filter = FilterSerializer(allow_null=True)
    filters = FilterSerializer(many=True, help_text="Elk filter apart (nul, één of twee).")
    computed_at = serializers.DateTimeField(allow_null=True)
    indicators = IndicatorSerializer(source="panels", many=True)


class QuerySerializer(serializers.Serializer):
    period = serializers.CharField(required=False, max_length=7)
    dimension = serializers.ChoiceField(
        choices=FILTER_DIMENSIONS,
        required=False,
        error_messages={"invalid_choice": "Kies project, wijk, doelgroep of grondslag."},
    )
    key = serializers.CharField(required=False, max_length=64)
    project = serializers.CharField(required=False, max_length=64)
    wijk = serializers.CharField(required=False, max_length=64)
    doelgroep = serializers.CharField(required=False, max_length=64)
    grondslag = serializers.CharField(required=False, max_length=64)

    def validate_period(self, value: str) -> rules.Period:
        try:
            return rules.parse_period(value)
        except rules.FormulaError as error:
            raise serializers.ValidationError(error.message) from None

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if data.get("dimension") and not data.get("key"):
            raise serializers.ValidationError({"key": ["Geef ook de sleutel van het filter mee."]})
        if data.get("key") and not data.get("dimension"):
            raise serializers.ValidationError({"dimension": ["Geef ook aan waarop u filtert."]})
        if data.get("dimension") and data.get(data["dimension"]):
            raise serializers.ValidationError(
                {"dimension": ["Dit filter staat er twee keer in. Geef het één keer mee."]}
            )
        chosen = [name for name in FILTER_DIMENSIONS if data.get(name) or data.get("dimension") == name]
        if len(chosen) > rules.MAX_FILTERS:  # named at the first one too many
            extra = chosen[rules.MAX_FILTERS]
            field = "dimension" if data.get("dimension") == extra else extra
            raise serializers.ValidationError({field: ["Kies niet meer dan twee filters tegelijk."]})
        return data

    def chosen(self) -> list[tuple[str, str]]:
        """The filters asked for, (dimension, key): ``dimension`` with ``key``, and the named ones."""
        data = self.validated_data
        return [
            (name, data["key"] if data.get("dimension") == name else data[name])
            for name in FILTER_DIMENSIONS
            if data.get(name) or data.get("dimension") == name
        ]


class IndicatorListView(APIView):
    required_capability = Capability.VIEW_INDICATORS

    @extend_schema(
        parameters=[
            OpenApiParameter("period", str, description="Een maand (2026-05) of kwartaal (2026-Q2)."),
            OpenApiParameter("dimension", str, enum=FILTER_DIMENSIONS, description="Filter op één dimensie."),
            OpenApiParameter("key", str, description="De sleutel binnen de dimensie (een id of een soort)."),
            *[
                OpenApiParameter(
                    name,
                    str,
                    description=f"Filter op {name}: de sleutel. Twee filters tegelijk mag, bijvoorbeeld "
                    "project en wijk; niet meer.",
                )
                for name in FILTER_DIMENSIONS
            ],
        ],
        responses=IndicatorsSerializer,
        tags=["programme"],
        summary="De indicatoren van het programma voor een periode",
        description="Elke indicator met waarde, streefwaarde en de twaalf maanden ervoor, uit de "
        "maandelijkse berekening, voor het hele programma of voor één of twee filters tegelijk (zoals "
        "project=…&wijk=…). Aantallen onder 5 inwoners en cijfers waaruit die zijn af te leiden "
        "zijn verborgen (value null, suppressed true). Een cijfer dat niet naar een filter te splitsen "
        "is, heeft value null en een note.",
    )
    def get(self, request: Request) -> Response:
        actor = request._request.actor  # type: ignore[attr-defined]
        query = QuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        period = query.validated_data.get("period") or rules.parse_period(
            timezone.localdate().strftime("%Y-%m")
        )
        try:
            flt = selectors.filter_of(actor, query.chosen())
        except LookupError as error:
            dimension = str(error.args[0])
            field = "key" if query.validated_data.get("dimension") == dimension else dimension
            raise serializers.ValidationError({field: ["Deze sleutel hoort niet bij uw gemeente."]}) from None
        board = selectors.dashboard(actor, period, flt)
        data = {
            "period": board.period,
            "filter": board.filter if board.filter.parts else None,
            "filters": [
                {"dimension": dimension, "key": key, "label": label}
                for (dimension, key), label in zip(board.filter.parts, board.filter.labels, strict=True)
            ],
            "computed_at": board.computed_at,
            "panels": board.panels,
        }
        return Response(IndicatorsSerializer(data).data)


urlpatterns: list[URLPattern] = [
    path("indicators", IndicatorListView.as_view(), name="indicator-list"),
]
