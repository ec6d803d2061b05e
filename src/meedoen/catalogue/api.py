"""REST API of the catalogue: the same selectors and actions as the screens, so the same scoping, rules and
processing log. Field names are English; values of choices are the Dutch codes of the model.

Caseworkers browse the catalogue and propose residents; providers keep their placements (one at a time or
synced in bulk from their own system by their own ``reference``), answer proposals and report on seats.
A provider sees only the minimal data of ``selectors.ProposalForProvider``, never a BSN."""

import uuid
from decimal import Decimal
from typing import Any

from django.http import Http404
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_choice_field
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from meedoen.accounts.actor import Actor
from meedoen.accounts.policies import Capability
from meedoen.catalogue import actions, selectors
from meedoen.catalogue.models import (
    Attendance,
    DeclineReason,
    Funding,
    PhysicalDemand,
    Placement,
    PlacementKind,
    PriceUnit,
    Pricing,
    ProgressReport,
    Proposal,
    Provider,
    Seat,
    ShareableItem,
)
from meedoen.municipalities.models import District
from meedoen.municipalities.selectors import list_districts
from meedoen.residents import selectors as resident_selectors
from meedoen.residents.api import parse
from meedoen.residents.models import DutchLevel, Weekday, Workload
from meedoen.restapi import NOTE_LIMIT, Pagination, invalid_params

MAX_SYNC_ROWS = 1000
TIME_FORMAT = "%H:%M"
TIME_ERRORS: dict[str, Any] = {"invalid": "Vul een tijd in als UU:MM, bijvoorbeeld 09:30."}
TIME_HELP = "UU:MM, bijvoorbeeld 09:30"


def _actor(request: Request) -> Actor:
    return request._request.actor  # type: ignore[attr-defined]


# ------------------------------------------------------------------------------------------ serializers


@extend_schema_field(
    {
        "type": "string",
        "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$",
        "example": "09:30",
        "description": TIME_HELP,
    }
)
class ClockTimeField(serializers.TimeField):
    """A time of day as UU:MM. OpenAPI's ``format: time`` means RFC 3339 with seconds and a zone offset,
    which this API neither sends nor reads."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=TIME_FORMAT, input_formats=[TIME_FORMAT], **kwargs)


class CodeField(serializers.ChoiceField):
    """A choice of Dutch codes that the OpenAPI schema names ``enum_name``: for codes that elsewhere in the
    API go by another field name (weekdays, decline reasons), or a field name that elsewhere has other codes
    (``kind``), which drf-spectacular could otherwise only name with a hash and a warning."""

    def __init__(self, *, enum_name: str, **kwargs: Any) -> None:
        self.enum_name = enum_name
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> Any:
        # No code is null (when the field allows it), so the named enum needs no blank member.
        if value in ("", None) and self.allow_null:
            return None
        return super().to_representation(value)


class CodeFieldExtension(OpenApiSerializerFieldExtension):
    target_class = CodeField

    def get_name(self) -> str | None:
        return str(self.target.enum_name)

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> Any:
        schema = build_choice_field(self.target)
        schema["enum"] = [code for code in schema["enum"] if code not in ("", None)]  # null: on the field
        return schema


def _kind_field() -> CodeField:
    return CodeField(choices=PlacementKind.choices, enum_name="PlacementKindEnum")


def _days_field() -> serializers.ListField:
    return serializers.ListField(
        child=CodeField(
            choices=Weekday.choices,
            enum_name="WeekdayEnum",
            error_messages={
                "invalid_choice": "Onbekende dag: {input}. Gebruik ma, di, wo, do, vr, za of zo."
            },
        )
    )


class ProviderRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Provider
        fields = ["id", "name"]


class PlacementSerializer(serializers.ModelSerializer):
    """A placement as the catalogue shows it. ``reference`` is the provider's own key: only filled in for
    the caller's own placements. ``version`` must be sent back unchanged with a PATCH."""

    provider = ProviderRefSerializer()
    district = serializers.CharField(source="district.name", allow_null=True, default=None)
    kind = _kind_field()
    free_seats = serializers.SerializerMethodField()
    days = _days_field()
    start_time = ClockTimeField()
    end_time = ClockTimeField()
    hours_per_week = serializers.FloatField()
    physical_demands = serializers.ListField(child=serializers.ChoiceField(choices=PhysicalDemand.choices))
    dutch_level = serializers.ChoiceField(
        choices=DutchLevel.choices, allow_blank=True, help_text="Leeg: geen eis aan het Nederlands"
    )
    tags = serializers.ListField(child=serializers.CharField(), help_text="Codes van interesses")
    reference = serializers.SerializerMethodField()

    class Meta:
        model = Placement
        fields = [
            "id",
            "title",
            "description",
            "kind",
            "provider",
            "street",
            "postcode",
            "city",
            "district",
            "latitude",
            "longitude",
            "wheelchair_accessible",
            "transit_nearby",
            "capacity",
            "free_seats",
            "days",
            "start_time",
            "end_time",
            "hours_per_week",
            "workload",
            "physical_demands",
            "dutch_level",
            "tags",
            "learning",
            "funding",
            "pricing",
            "price",
            "price_unit",
            "is_open",
            "version",
            "reference",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "price": {"help_text": "In euro, als tekst; 0.00 bij taakgericht"},
            "price_unit": {"help_text": "Waar de prijs voor is; leeg bij taakgericht"},
        }

    def get_free_seats(self, placement: Placement) -> int:
        # Every selector of placements annotates the seats in use.
        return max(0, placement.capacity - getattr(placement, "seats_in_use", 0))

    def get_reference(self, placement: Placement) -> str | None:
        own = self.context.get("own_provider_id")
        return placement.reference if own is not None and placement.provider_id == own else None


class OccupancySerializer(serializers.Serializer):
    month = serializers.DateField()
    seats_used = serializers.IntegerField()
    capacity = serializers.IntegerField()


class PlacementDetailSerializer(PlacementSerializer):
    """A placement with the most seats in use per month over the last year (counted, never named)."""

    occupancy = serializers.SerializerMethodField()

    class Meta(PlacementSerializer.Meta):
        fields = [*PlacementSerializer.Meta.fields, "occupancy"]
        read_only_fields = fields

    @extend_schema_field(OccupancySerializer(many=True))
    def get_occupancy(self, placement: Placement) -> Any:
        return OccupancySerializer(self.context.get("occupancy", []), many=True).data


class PlacementPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = PlacementSerializer(many=True)


class PlacementWriteSerializer(serializers.Serializer):
    """The shape of a placement a provider sends; the rules (schedule, tags, seats in use) are the action's.
    ``district`` is the id of a district of the caller's municipality (see ``/districts``)."""

    reference = serializers.CharField(
        max_length=64, allow_blank=True, default="", help_text="Het kenmerk van de plek in uw eigen systeem"
    )
    title = serializers.CharField(max_length=150)
    description = serializers.CharField(**NOTE_LIMIT)
    kind = _kind_field()
    street = serializers.CharField(max_length=150)
    postcode = serializers.CharField(max_length=7)
    city = serializers.CharField(max_length=100)
    district = serializers.UUIDField(allow_null=True, default=None)
    latitude = serializers.DecimalField(max_digits=8, decimal_places=5)
    longitude = serializers.DecimalField(max_digits=8, decimal_places=5)
    wheelchair_accessible = serializers.BooleanField(default=False)
    transit_nearby = serializers.BooleanField(default=False)
    capacity = serializers.IntegerField(
        min_value=1,
        max_value=500,
        error_messages={
            "min_value": "Een plek heeft minstens 1 plaats.",
            "max_value": "Vul hoogstens 500 plaatsen in.",
        },
    )
    days = _days_field()
    start_time = ClockTimeField(error_messages=TIME_ERRORS, help_text=TIME_HELP)
    end_time = ClockTimeField(error_messages=TIME_ERRORS, help_text=TIME_HELP)
    workload = serializers.ChoiceField(choices=Workload.choices)
    physical_demands = serializers.ListField(
        child=serializers.ChoiceField(choices=PhysicalDemand.choices), default=list
    )
    dutch_level = serializers.ChoiceField(choices=DutchLevel.choices, allow_blank=True, default="")
    tags = serializers.ListField(
        child=serializers.SlugField(max_length=50), default=list, help_text="Codes van interesses"
    )
    learning = serializers.CharField(allow_blank=True, default="", **NOTE_LIMIT)
    funding = serializers.ChoiceField(choices=Funding.choices)
    pricing = serializers.ChoiceField(
        choices=Pricing.choices,
        default=Pricing.EFFORT.value,
        help_text="De uitvoeringsvariant van het contract",
        error_messages={"invalid_choice": "Kies inspanningsgericht, outputgericht of taakgericht."},
    )
    price = serializers.DecimalField(
        max_digits=8,
        decimal_places=2,
        min_value=Decimal(0),
        allow_null=True,
        default=None,
        help_text='In euro, als tekst, bijvoorbeeld "47.50"; nodig behalve bij taakgericht (leeg of 0)',
        error_messages={"min_value": "De prijs kan niet negatief zijn."},
    )
    price_unit = serializers.ChoiceField(
        choices=PriceUnit.choices,
        allow_blank=True,
        default="",
        help_text=(
            "Inspanningsgericht: uur, dagdeel, etmaal of week (leeg: week); outputgericht: traject of maand; "
            "taakgericht: leeg"
        ),
        error_messages={"invalid_choice": "Kies uur, dagdeel, etmaal, week, traject of maand."},
    )
    is_open = serializers.BooleanField(default=True)


class PlacementChangeSerializer(PlacementWriteSerializer):
    version = serializers.IntegerField(help_text="De versie die u het laatst heeft gelezen")


class PlacementSyncRowSerializer(PlacementWriteSerializer):
    reference = serializers.CharField(
        max_length=64,
        help_text="Het kenmerk van de plek in uw eigen systeem; daarmee vinden we de plek terug",
        error_messages={
            "required": "Elke rij heeft een eigen kenmerk nodig.",
            "blank": "Elke rij heeft een eigen kenmerk nodig.",
        },
    )


class PlacementSyncSerializer(serializers.Serializer):
    placements = PlacementSyncRowSerializer(many=True)


class SyncResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class PlacementRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Placement
        fields = ["id", "title"]


class ProposedPlacementSerializer(serializers.ModelSerializer):
    provider = ProviderRefSerializer()

    class Meta:
        model = Placement
        fields = ["id", "title", "provider"]


class SeatSerializer(serializers.ModelSerializer):
    placement = serializers.UUIDField(source="placement_id")

    class Meta:
        model = Seat
        fields = ["id", "placement", "number", "starts_on", "ended_on", "end_reason"]
        read_only_fields = fields


class IncomingProposalSerializer(serializers.ModelSerializer):
    """A proposal in the provider's list: the resident's name only."""

    placement = PlacementRefSerializer()
    name = serializers.CharField(source="resident.full_name")

    class Meta:
        model = Proposal
        fields = ["id", "placement", "status", "start_date", "hours_per_week", "name"]
        read_only_fields = fields


class SharedItemSerializer(serializers.Serializer):
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    value = serializers.CharField()


class ProviderProposalSerializer(serializers.Serializer):
    """What a provider may know of a proposed resident (``selectors.ProposalForProvider``)."""

    id = serializers.UUIDField(source="proposal.id")
    placement = PlacementRefSerializer(source="proposal.placement")
    status = serializers.ChoiceField(source="proposal.status", choices=Proposal.Status.choices)
    start_date = serializers.DateField(source="proposal.start_date")
    hours_per_week = serializers.IntegerField()
    note = serializers.CharField(source="proposal.note")
    name = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    shared = serializers.SerializerMethodField()
    seat = serializers.UUIDField(
        source="seat.id", allow_null=True, default=None, help_text="De plaatsing, na accepteren"
    )

    @extend_schema_field(SharedItemSerializer(many=True))
    def get_shared(self, seen: selectors.ProposalForProvider) -> Any:
        return [{"label": label, "value": value} for label, value in seen.shared]


class DeclineSerializer(serializers.Serializer):
    reason = CodeField(
        choices=DeclineReason.choices,
        enum_name="DeclineReasonEnum",
        error_messages={"required": "Kies een reden.", "invalid_choice": "Kies een reden uit de lijst."},
    )
    text = serializers.CharField(
        allow_blank=True, default="", help_text="Nodig bij reden 'anders'", **NOTE_LIMIT
    )


class ResidentProposalSerializer(serializers.ModelSerializer):
    """A proposal as the caseworker sees it in the resident's file, with its seat once accepted."""

    placement = ProposedPlacementSerializer(read_only=True)
    proposed_by = serializers.CharField(source="proposed_by.username", read_only=True)
    decline_reason = CodeField(
        choices=DeclineReason.choices, enum_name="DeclineReasonEnum", allow_null=True, read_only=True
    )
    seat = SeatSerializer(read_only=True, allow_null=True, default=None)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "placement",
            "domain",
            "status",
            "start_date",
            "hours_per_week",
            "note",
            "shared_items",
            "decline_reason",
            "decline_text",
            "previous",
            "proposed_by",
            "proposed_at",
            "decided_at",
            "seat",
        ]
        read_only_fields = fields


class ProposeSerializer(serializers.Serializer):
    placement = serializers.UUIDField(help_text="Een plek uit het aanbod van uw gemeente")
    start_date = serializers.DateField()
    hours_per_week = serializers.IntegerField(
        min_value=1,
        max_value=40,
        error_messages={
            "min_value": "Vul 1 tot en met 40 uur per week in.",
            "max_value": "Vul 1 tot en met 40 uur per week in.",
        },
    )
    note = serializers.CharField(allow_blank=True, default="", **NOTE_LIMIT)
    shared_items = serializers.ListField(
        child=serializers.ChoiceField(choices=ShareableItem.choices),
        default=list,
        help_text="Ook delen met de aanbieder, alleen als de inwoner dat goed vindt",
    )
    resident_agreed = serializers.BooleanField(default=False)


class AttendanceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attendance
        fields = ["id", "week", "days_present", "hours_present", "note"]
        read_only_fields = ["id"]
        extra_kwargs = {
            "week": {"help_text": "Een dag in die week; we nemen de maandag"},
            "days_present": {"min_value": 0, "max_value": 7},
            "hours_present": {"min_value": Decimal(0), "max_value": Decimal(168)},
            "note": {"default": ""},
        }


class ProgressReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressReport
        fields = ["id", "month", "went_well", "next_steps", "suggested_rung"]
        read_only_fields = ["id"]
        extra_kwargs = {
            "month": {"help_text": "Een dag in die maand"},
            "suggested_rung": {"min_value": 1, "max_value": 6, "default": None},
            "went_well": NOTE_LIMIT,
            "next_steps": NOTE_LIMIT,
        }


class EndSeatSerializer(serializers.Serializer):
    ended_on = serializers.DateField(help_text="De laatste dag")
    reason = serializers.CharField(max_length=200)


# ----------------------------------------------------------------------------------------------- helpers


def _query_choice(request: Request, name: str, choices: list[str]) -> str:
    value = request.query_params.get(name, "")
    if value and value not in choices:
        raise serializers.ValidationError({name: [f"Kies uit: {', '.join(choices)}."]})
    return value


def _query_flag(request: Request, name: str) -> bool:
    return request.query_params.get(name, "").lower() in ("true", "1")


def _query_int(request: Request, name: str, default: int, *, low: int, high: int) -> int:
    value = request.query_params.get(name)
    if not value:
        return default
    try:
        return min(high, max(low, int(value)))
    except ValueError:
        raise serializers.ValidationError({name: ["Vul een heel getal in."]}) from None


def _own_provider_id(actor: Actor) -> uuid.UUID | None:
    """The caller's provider, to show it the references of its own placements; None for other roles."""
    return selectors.provider_of(actor).pk if actor.may(Capability.RUN_PLACEMENTS) else None


def _placement_detail(placement_id: uuid.UUID, actor: Actor) -> dict[str, Any]:
    page = selectors.access_placement(placement_id, actor)
    context = {
        "occupancy": page.occupancy,
        "own_provider_id": page.placement.provider_id if page.is_own else None,
    }
    return dict(PlacementDetailSerializer(page.placement, context=context).data)


UNKNOWN_DISTRICT = "Deze wijk hoort niet bij uw gemeente. Kies een wijk uit /districts."


def _placement_values(
    data: dict[str, Any], districts: dict[uuid.UUID, District]
) -> tuple[dict[str, Any], list[str], dict[str, str]]:
    """The values and tags for ``actions.do_save_placement`` and ``do_upsert_placements``, with the district
    looked up among the caller's municipality's districts; an error for a district id of elsewhere."""
    errors = {}
    district = None
    if data["district"] is not None:
        district = districts.get(data["district"])
        if district is None:
            errors["district"] = UNKNOWN_DISTRICT
    values = {name: data[name] for name in actions.PLACEMENT_FIELDS if name != "district"}
    return values | {"district": district}, list(data["tags"]), errors


def _valid_placement_values(
    data: dict[str, Any], districts: dict[uuid.UUID, District]
) -> tuple[dict[str, Any], list[str]]:
    values, tags, errors = _placement_values(data, districts)
    if errors:
        raise serializers.ValidationError({name: [message] for name, message in errors.items()})
    return values, tags


def _kept_district(placement: Placement) -> dict[uuid.UUID, District]:
    """The placement's own district, which a PATCH that does not name a district leaves as it is."""
    return {placement.district.pk: placement.district} if placement.district is not None else {}


def _districts(actor: Actor) -> dict[uuid.UUID, District]:
    return {district.pk: district for district in list_districts(actor.municipality)}


# ------------------------------------------------------------------------------------------- placements


class PlacementListView(APIView):
    required_capability = Capability.BROWSE_CATALOGUE

    @extend_schema(
        responses=PlacementPageSerializer,
        parameters=[
            OpenApiParameter("search", str, description="In titel, beschrijving en naam van de aanbieder"),
            OpenApiParameter("kind", str, enum=PlacementKind.values),
            OpenApiParameter("tag", str, description="Code van een interesse"),
            OpenApiParameter("district", uuid.UUID),
            OpenApiParameter("workload", str, enum=Workload.values),
            OpenApiParameter("funding", str, enum=[Funding.WMO.value, Funding.WORK.value]),
            OpenApiParameter("free_only", bool, description="Alleen plekken met een vrije plaats"),
            OpenApiParameter("include_closed", bool, description="Ook plekken die geen voorstellen aannemen"),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        tags=["catalogue"],
        operation_id="placements_list",
        summary="Aanbod van de gemeente",
    )
    def get(self, request: Request) -> Response:
        actor = _actor(request)
        params = request.query_params
        try:
            district_id = uuid.UUID(params["district"]) if params.get("district") else None
        except ValueError:
            raise serializers.ValidationError({"district": ["Dit is geen geldig id."]}) from None
        query = selectors.CatalogueQuery(
            search=params.get("search", "")[:100],
            kind=_query_choice(request, "kind", PlacementKind.values),
            tag=params.get("tag", "")[:50],
            district_id=district_id,
            workload=_query_choice(request, "workload", Workload.values),
            funding=_query_choice(request, "funding", [Funding.WMO.value, Funding.WORK.value]),
            free_only=_query_flag(request, "free_only"),
            open_only=not _query_flag(request, "include_closed"),
            page=_query_int(request, "page", 1, low=1, high=1_000_000),
            page_size=_query_int(
                request, "page_size", Pagination.page_size, low=1, high=Pagination.max_page_size
            ),
        )
        result = selectors.search_catalogue(actor, query)
        url = request.build_absolute_uri()
        previous = None
        if result.page > 1:
            previous = (
                remove_query_param(url, "page")
                if result.page == 2
                else replace_query_param(url, "page", result.page - 1)
            )
        context = {"own_provider_id": _own_provider_id(actor)}
        return Response(
            {
                "count": result.total,
                "next": replace_query_param(url, "page", result.page + 1)
                if result.page < result.pages
                else None,
                "previous": previous,
                "results": PlacementSerializer(
                    [row.placement for row in result.rows], many=True, context=context
                ).data,
            }
        )


class PlacementDetailView(APIView):
    required_capability = Capability.BROWSE_CATALOGUE

    @extend_schema(responses=PlacementDetailSerializer, tags=["catalogue"], summary="Eén plek, met bezetting")
    def get(self, request: Request, placement_id: uuid.UUID) -> Response:
        return Response(_placement_detail(placement_id, _actor(request)))


class ProviderPlacementListView(APIView):
    required_capability = Capability.RUN_PLACEMENTS

    @extend_schema(
        responses=PlacementPageSerializer,
        parameters=[OpenApiParameter("page", int), OpenApiParameter("page_size", int)],
        tags=["catalogue"],
        operation_id="provider_placements_list",
        summary="Eigen plekken van de aanbieder",
    )
    def get(self, request: Request) -> Response:
        actor = _actor(request)
        placements = selectors.own_placements(actor)
        paginator = Pagination()
        page = paginator.paginate_queryset(placements, request, view=self)
        context = {"own_provider_id": _own_provider_id(actor)}
        return paginator.get_paginated_response(PlacementSerializer(page, many=True, context=context).data)

    @extend_schema(
        request=PlacementWriteSerializer,
        responses={201: PlacementDetailSerializer},
        tags=["catalogue"],
        summary="Nieuwe plek",
    )
    def post(self, request: Request) -> Response:
        actor = _actor(request)
        data = parse(PlacementWriteSerializer, request)
        values, tags = _valid_placement_values(data, _districts(actor))
        placement = actions.do_save_placement(None, values, tags, actor=actor)
        return Response(_placement_detail(placement.pk, actor), status=status.HTTP_201_CREATED)


class ProviderPlacementDetailView(APIView):
    required_capability = Capability.RUN_PLACEMENTS

    @extend_schema(
        request=PlacementChangeSerializer,
        responses=PlacementDetailSerializer,
        tags=["catalogue"],
        summary="Plek wijzigen",
        description="Stuur alleen wat verandert, en altijd de versie die u het laatst heeft gelezen.",
    )
    def patch(self, request: Request, placement_id: uuid.UUID) -> Response:
        actor = _actor(request)
        placement = selectors.access_own_placement(placement_id, actor)
        serializer = PlacementChangeSerializer(data=request.data, partial=True, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "version" not in data:
            raise serializers.ValidationError({"version": ["Stuur de versie mee die u heeft gelezen."]})
        current = {name: getattr(placement, name) for name in actions.PLACEMENT_FIELDS}
        current |= {"district": placement.district_id, "tags": placement.tags}
        values, tags = _valid_placement_values(current | data, _districts(actor) | _kept_district(placement))
        actions.do_save_placement(placement, values, tags, version=data["version"], actor=actor)
        return Response(_placement_detail(placement.pk, actor))


class ProviderPlacementSyncView(APIView):
    required_capability = Capability.RUN_PLACEMENTS

    @extend_schema(
        request=PlacementSyncSerializer,
        responses=SyncResultSerializer,
        tags=["catalogue"],
        summary="Plekken bijwerken vanuit het eigen systeem",
        description=(
            "Idempotent, per eigen kenmerk (`reference`): een nieuw kenmerk maakt een plek, een bekend "
            "kenmerk wijzigt die plek, dezelfde lijst nog eens sturen verandert niets. Alles of niets: met "
            "één foute rij wordt niets opgeslagen en krijgt u de fouten van elke rij terug, als "
            "`placements[3].capacity`."
        ),
    )
    def put(self, request: Request) -> Response:
        actor = _actor(request)
        body = request.data
        rows = body.get("placements") if isinstance(body, dict) else None
        if not isinstance(rows, list):
            raise serializers.ValidationError({"placements": ["Stuur een lijst met plekken."]})
        if len(rows) > MAX_SYNC_ROWS:
            raise serializers.ValidationError(
                {"placements": [f"Stuur hoogstens {MAX_SYNC_ROWS} plekken per keer."]}
            )
        districts = _districts(actor)
        known_tags = selectors.known_tag_codes(selectors.provider_of(actor))
        parsed: list[tuple[dict[str, Any], list[str]]] = []
        errors: dict[int, dict[str, str]] = {}
        seen: set[str] = set()
        for index, row in enumerate(rows):
            serializer = PlacementSyncRowSerializer(data=row, context={"request": request})
            if not serializer.is_valid():
                errors[index] = {
                    param["name"]: param["reason"] for param in invalid_params(serializer.errors)
                }
                continue
            values, tags, row_errors = _placement_values(dict(serializer.validated_data), districts)
            if values["reference"] in seen:
                # Checked here too: do_upsert_placements notes it, but still tries to save the row.
                row_errors["reference"] = "Dit kenmerk staat al eerder in deze lijst."
            seen.add(values["reference"])
            # The rules too, so one answer names every wrong row, also next to a row of the wrong shape.
            row_errors |= actions.check_placement(values, tags, known_tags)
            if row_errors:
                errors[index] = row_errors
            parsed.append((values, tags))
        if errors:
            raise actions.BatchInvalid(errors)
        result = actions.do_upsert_placements(parsed, actor=actor)
        return Response({"created": result.created, "updated": result.updated, "unchanged": result.unchanged})


# ----------------------------------------------------------------------------------- proposals, providers


class IncomingProposalListView(APIView):
    required_capability = Capability.RUN_PLACEMENTS

    @extend_schema(
        responses=IncomingProposalSerializer(many=True),
        parameters=[
            OpenApiParameter("status", str, enum=Proposal.Status.values, default=Proposal.Status.SENT.value)
        ],
        tags=["catalogue"],
        summary="Voorstellen aan de aanbieder",
    )
    def get(self, request: Request) -> Response:
        wanted = _query_choice(request, "status", Proposal.Status.values) or Proposal.Status.SENT
        proposals = selectors.list_incoming_proposals(_actor(request), status=wanted)
        return Response(IncomingProposalSerializer(proposals, many=True).data)


class IncomingProposalDetailView(APIView):
    required_capability = Capability.RUN_PLACEMENTS

    @extend_schema(responses=ProviderProposalSerializer, tags=["catalogue"], summary="Eén voorstel")
    def get(self, request: Request, proposal_id: uuid.UUID) -> Response:
        seen = selectors.access_provider_proposal(proposal_id, _actor(request))
        return Response(ProviderProposalSerializer(seen).data)


class AcceptProposalView(APIView):
    required_capability = Capability.RUN_PLACEMENTS

    @extend_schema(
        request=None,
        responses=SeatSerializer,
        tags=["catalogue"],
        summary="Voorstel accepteren",
        description="Neemt een plaats van de plek vanaf de startdatum. Is elke plaats bezet, dan 409.",
    )
    def post(self, request: Request, proposal_id: uuid.UUID) -> Response:
        actor = _actor(request)
        proposal = selectors.provider_proposal_for_change(proposal_id, actor)
        seat = actions.do_accept_proposal(proposal, actor=actor)
        return Response(SeatSerializer(seat).data)


class DeclineProposalView(APIView):
    required_capability = Capability.RUN_PLACEMENTS

    @extend_schema(
        request=DeclineSerializer,
        responses=IncomingProposalSerializer,
        tags=["catalogue"],
        summary="Voorstel afwijzen, met een reden",
    )
    def post(self, request: Request, proposal_id: uuid.UUID) -> Response:
        actor = _actor(request)
        proposal = selectors.provider_proposal_for_change(proposal_id, actor)
        data = parse(DeclineSerializer, request)
        proposal = actions.do_decline_proposal(
            proposal, reason=data["reason"], text=data["text"], actor=actor
        )
        return Response(IncomingProposalSerializer(proposal).data)


# -------------------------------------------------------------------------------- proposals, caseworkers


class ResidentProposalView(APIView):
    required_capability = Capability.MAKE_PROPOSALS

    @extend_schema(
        responses=ResidentProposalSerializer(many=True),
        tags=["catalogue"],
        summary="Voorstellen en plaatsingen van een inwoner",
    )
    def get(self, request: Request, resident_id: uuid.UUID) -> Response:
        actor = _actor(request)
        resident = resident_selectors.access_resident_for_change(resident_id, actor)
        domains = resident_selectors.visible_domains_of(resident, actor)
        placements = selectors.resident_placements(resident, domains, actor)  # logs the read
        return Response(ResidentProposalSerializer(placements.proposals, many=True).data)

    @extend_schema(
        request=ProposeSerializer,
        responses={201: ResidentProposalSerializer},
        tags=["catalogue"],
        summary="Inwoner voorstellen voor een plek",
    )
    def post(self, request: Request, resident_id: uuid.UUID) -> Response:
        actor = _actor(request)
        resident = resident_selectors.access_resident_for_change(resident_id, actor)
        data = parse(ProposeSerializer, request)
        try:
            placement = selectors.access_placement(data.pop("placement"), actor).placement
        except Http404:
            raise serializers.ValidationError(
                {"placement": ["Deze plek staat niet in het aanbod van uw gemeente."]}
            ) from None
        proposal = actions.do_propose(resident, placement, actor=actor, **data)
        return Response(ResidentProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)


# ------------------------------------------------------------------------------------ seats, for providers


class SeatView(APIView):
    required_capability = Capability.RUN_PLACEMENTS

    def seat(self, request: Request, seat_id: uuid.UUID) -> Seat:
        """The provider's seat a write is about (the action logs the write)."""
        return selectors.access_provider_seat(seat_id, _actor(request), log_view=False).seat


class AttendanceView(SeatView):
    @extend_schema(
        request=AttendanceSerializer,
        responses=AttendanceSerializer,
        tags=["catalogue"],
        summary="Aanwezigheid van een week vastleggen of verbeteren",
    )
    def post(self, request: Request, seat_id: uuid.UUID) -> Response:
        seat = self.seat(request, seat_id)
        data = parse(AttendanceSerializer, request)
        attendance = actions.do_record_attendance(seat, actor=_actor(request), **data)
        return Response(AttendanceSerializer(attendance).data)


class ProgressReportView(SeatView):
    @extend_schema(
        request=ProgressReportSerializer,
        responses={201: ProgressReportSerializer},
        tags=["catalogue"],
        summary="Voortgangsverslag van een maand",
    )
    def post(self, request: Request, seat_id: uuid.UUID) -> Response:
        seat = self.seat(request, seat_id)
        data = parse(ProgressReportSerializer, request)
        report = actions.do_add_progress_report(seat, actor=_actor(request), **data)
        return Response(ProgressReportSerializer(report).data, status=status.HTTP_201_CREATED)


class EndSeatView(SeatView):
    @extend_schema(
        request=EndSeatSerializer,
        responses=SeatSerializer,
        tags=["catalogue"],
        summary="Plaatsing beëindigen",
    )
    def post(self, request: Request, seat_id: uuid.UUID) -> Response:
        seat = self.seat(request, seat_id)
        data = parse(EndSeatSerializer, request)
        seat = actions.do_end_seat(
            seat, ended_on=data["ended_on"], reason=data["reason"], actor=_actor(request)
        )
        return Response(SeatSerializer(seat).data)
