"""REST API of the resident file: the same selectors and actions as the screens, so the same scoping,
rules and processing log. Field names are English; values of choices are the Dutch codes of the model."""

import datetime as dt
import uuid
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meedoen.accounts.models import User
from meedoen.accounts.policies import Capability
from meedoen.municipalities.models import District, InterestTag, TargetGroup
from meedoen.municipalities.selectors import list_districts, list_interest_tags, list_target_groups
from meedoen.parsing import MAX_PAGE
from meedoen.residents import actions, forms, selectors
from meedoen.residents.models import (
    LEGAL_DOMAIN_CHOICES,
    Consent,
    LadderScore,
    LegalBasis,
    PhysicalNeed,
    Plan,
    PlanAction,
    Profile,
    Resident,
    TimelineEvent,
    Weekday,
)
from meedoen.restapi import NAME_LIMIT, NOTE_LIMIT


def _actor(request: Request) -> Any:
    return request._request.actor  # type: ignore[attr-defined]


class LegalBasisSerializer(serializers.ModelSerializer):
    class Meta:
        model = LegalBasis
        fields = ["id", "domain", "kind", "start_date", "end_date"]
        read_only_fields = ["id", "domain"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        end, start = attrs.get("end_date"), attrs.get("start_date")
        if end and start and end < start:
            raise serializers.ValidationError({"end_date": "De einddatum ligt voor de begindatum."})
        return attrs


class ResidentListSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district_name", allow_null=True, default=None)
    legal_bases = LegalBasisSerializer(many=True, source="own_bases")
    review_on = serializers.DateField(allow_null=True, default=None)

    class Meta:
        model = Resident
        fields = [
            "id",
            "bsn",
            "given_names",
            "name_prefix",
            "family_name",
            "date_of_birth",
            "district",
            "legal_bases",
            "review_on",
            "last_activity_at",
        ]


class ResidentPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = ResidentListSerializer(many=True)


EARLIEST_YEAR = 1900
MAX_SILENT_WEEKS = 52 * 100  # "silent for more than a century" is everyone; more would overflow a date


class ResidentSerializer(serializers.ModelSerializer):
    """The personal part of the file. ``version`` must be sent back unchanged with a PATCH."""

    bsn = serializers.CharField(max_length=11)
    district = serializers.PrimaryKeyRelatedField(
        queryset=District.objects.none(), allow_null=True, required=False
    )
    target_groups = serializers.PrimaryKeyRelatedField(
        queryset=TargetGroup.objects.none(), many=True, required=False
    )
    caseworker_work = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(), allow_null=True, required=False
    )
    caseworker_care = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(), allow_null=True, required=False
    )
    # Write only: on reads the legal bases come from the file, filtered by domain and consent.
    legal_bases = LegalBasisSerializer(many=True, required=False, write_only=True)
    version = serializers.IntegerField(required=False)

    class Meta:
        model = Resident
        fields = [
            "id",
            "bsn",
            "given_names",
            "name_prefix",
            "family_name",
            "date_of_birth",
            "email",
            "phone",
            "street",
            "postcode",
            "city",
            "district",
            "household",
            "languages",
            "dutch_level",
            "target_groups",
            "caseworker_work",
            "caseworker_care",
            "legal_bases",
            "version",
        ]
        read_only_fields = ["id"]
        extra_kwargs = {"given_names": NAME_LIMIT, "family_name": NAME_LIMIT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and getattr(request._request, "actor", None) is not None:
            actor = _actor(request)
            fields: Any = self.fields
            fields["district"].queryset = list_districts(actor.municipality)
            fields["target_groups"].child_relation.queryset = list_target_groups(actor.municipality)
            fields["caseworker_work"].queryset = selectors.caseworker_users(
                actor.municipality_id, "participatiewet"
            )
            fields["caseworker_care"].queryset = selectors.caseworker_users(actor.municipality_id, "wmo")

    def validate_bsn(self, value: str) -> str:
        try:
            return forms.clean_bsn(value)
        except Exception as error:
            raise serializers.ValidationError(str(getattr(error, "messages", [error])[0])) from None


class ResidentFileSerializer(serializers.Serializer):
    resident = ResidentSerializer()
    legal_bases = LegalBasisSerializer(many=True, source="bases")
    other_domain_exists = serializers.BooleanField()
    other_domain_shared = serializers.BooleanField()


class ConsentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Consent
        fields = ["id", "shared_domain", "given_on", "withdrawn_on", "note"]
        read_only_fields = ["id", "withdrawn_on"]


class WithdrawSerializer(serializers.Serializer):
    withdrawn_on = serializers.DateField()


class LadderScoreSerializer(serializers.ModelSerializer):
    scored_by = serializers.CharField(source="scored_by.username", read_only=True)

    class Meta:
        model = LadderScore
        fields = ["id", "rung", "scored_on", "rationale", "scored_by"]
        read_only_fields = ["id", "scored_by"]
        extra_kwargs = {"rung": {"min_value": 1, "max_value": 6}, "rationale": NOTE_LIMIT}


class ProfileSerializer(serializers.ModelSerializer):
    interests = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=InterestTag.objects.none()
    )
    physical_needs = serializers.ListField(
        child=serializers.ChoiceField(choices=PhysicalNeed.choices), required=False
    )
    preferred_days = serializers.ListField(
        child=serializers.ChoiceField(choices=Weekday.choices), required=False
    )
    version = serializers.IntegerField()

    class Meta:
        model = Profile
        fields = [
            "interests",
            "talents",
            "hours_per_week",
            "workload",
            "travel_radius_km",
            "travel_mode",
            "physical_needs",
            "preferred_days",
            "version",
        ]
        extra_kwargs = {"hours_per_week": {"min_value": 0, "max_value": 40}, "talents": NOTE_LIMIT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and getattr(request._request, "actor", None) is not None:
            fields: Any = self.fields
            fields["interests"].child_relation.queryset = list_interest_tags(_actor(request).municipality)


class VoluntaryBecauseSerializer(serializers.Serializer):
    experiment = serializers.CharField(help_text="Het experiment waaraan de inwoner meedoet")
    arm = serializers.CharField(help_text="De groep in dat experiment die vrijstelt van de regels")


class PlanActionSerializer(serializers.ModelSerializer):
    """An agreement of the plan, with what the file says of it today (``selectors.agreements_with_status``):
    voluntary while an experiment's arm exempts the resident from obligations, and then never overdue."""

    voluntary = serializers.BooleanField(
        source="is_voluntary",
        read_only=True,
        help_text="Vrijwillig: een afspraak van de inwoner zolang een experiment vrijstelt van de regels",
    )
    voluntary_because = serializers.SerializerMethodField(
        help_text="Waarom de afspraak vrijwillig is; leeg (null) als ze dat niet is"
    )
    overdue = serializers.BooleanField(
        source="is_overdue",
        read_only=True,
        help_text="Te laat: niet gedaan, de datum is voorbij en de afspraak is niet vrijwillig",
    )

    class Meta:
        model = PlanAction
        fields = [
            "id",
            "description",
            "owner",
            "due_on",
            "done_on",
            "voluntary",
            "voluntary_because",
            "overdue",
        ]
        read_only_fields = ["id", "done_on"]

    @extend_schema_field(VoluntaryBecauseSerializer(allow_null=True))
    def get_voluntary_because(self, action: PlanAction) -> dict[str, str] | None:
        if not action.is_voluntary:  # type: ignore[attr-defined]
            return None
        return {"experiment": action.voluntary_experiment, "arm": action.voluntary_arm}  # type: ignore[attr-defined]


class PlanSerializer(serializers.ModelSerializer):
    actions = PlanActionSerializer(many=True, read_only=True)
    version = serializers.IntegerField()

    class Meta:
        model = Plan
        fields = ["goals", "review_on", "version", "actions"]
        extra_kwargs = {"goals": NOTE_LIMIT}


class TimelineEventSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True, allow_null=True, default=None)
    domain = serializers.ChoiceField(
        choices=LEGAL_DOMAIN_CHOICES, allow_blank=True, read_only=True, help_text="Leeg: voor beide wetten"
    )
    domain_only = serializers.BooleanField(write_only=True, required=False, default=False)

    class Meta:
        model = TimelineEvent
        fields = ["id", "kind", "domain", "occurred_at", "author", "text", "domain_only"]
        read_only_fields = ["id", "domain", "author"]
        extra_kwargs = {"text": NOTE_LIMIT}

    def validate_occurred_at(self, value: dt.datetime) -> dt.datetime:
        # Before 1900 the time zone database gives local mean time (an offset like +00:19:32), which is no
        # valid RFC 3339 time in the answer; and no note in a file is that old.
        if value.year < EARLIEST_YEAR:
            raise serializers.ValidationError("Vul een datum vanaf 1 januari 1900 in.")
        return value

    def to_representation(self, instance: TimelineEvent) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        data["text"] = instance.shown_text  # with the domain-bound detail only where the selector allowed it
        return data


class TransferSerializer(serializers.Serializer):
    from_user = serializers.UUIDField()
    to_user = serializers.UUIDField()
    domain = serializers.ChoiceField(choices=LEGAL_DOMAIN_CHOICES)


class TransferResultSerializer(serializers.Serializer):
    moved = serializers.IntegerField()


def parse(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    """Validate the request body (a 400 problem with every field error otherwise) and return the data."""
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class FileView(APIView):
    required_capability = Capability.VIEW_RESIDENT_FILE

    def resident(self, request: Request, resident_id: uuid.UUID) -> Resident:
        """The resident a write is about (the action logs the write)."""
        return selectors.access_resident_for_change(resident_id, _actor(request))

    def file(self, request: Request, resident_id: uuid.UUID, timeline: int = 0) -> selectors.ResidentFile:
        """The file as the caller may see it (logged as a view)."""
        return selectors.access_resident(resident_id, _actor(request), timeline_limit=timeline)

    def parse(self, serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
        return parse(serializer_class, request)


class ResidentListView(FileView):
    @extend_schema(
        operation_id="residents_list",  # a page object, not an array: spectacular would name it a retrieve
        responses=ResidentPageSerializer,
        parameters=[
            OpenApiParameter("search", str, description="Naam, geboortedatum (dd-mm-jjjj) of BSN"),
            OpenApiParameter("all", bool, description="Ook inwoners van collega's in het eigen domein"),
            OpenApiParameter("district", uuid.UUID),
            OpenApiParameter("target-group", uuid.UUID),
            OpenApiParameter("basis-kind", str),
            OpenApiParameter("review-due", bool),
            OpenApiParameter("silent-weeks", int),
            OpenApiParameter("sort", str, enum=list(selectors.Sort.ORDER)),
            OpenApiParameter("page", int),
        ],
        summary="Caseload",
    )
    def get(self, request: Request) -> Response:
        params = request.query_params

        def as_uuid(name: str) -> uuid.UUID | None:
            try:
                return uuid.UUID(params[name]) if params.get(name) else None
            except ValueError:
                raise serializers.ValidationError({name: ["Dit is geen geldig id."]}) from None

        def as_int(name: str) -> int | None:
            try:
                return int(params[name]) if params.get(name) else None
            except ValueError:
                raise serializers.ValidationError({name: ["Vul een heel getal in."]}) from None

        page_number = min(MAX_PAGE, max(1, as_int("page") or 1))
        silent = as_int("silent-weeks")
        if silent is not None:
            silent = min(MAX_SILENT_WEEKS, max(0, silent))
        query = selectors.CaseloadQuery(
            search=params.get("search", "")[:100],
            only_mine=params.get("all") not in ("true", "1"),
            district_id=as_uuid("district"),
            target_group_id=as_uuid("target-group"),
            basis_kind=params.get("basis-kind", ""),
            review_due=params.get("review-due") in ("true", "1"),
            silent_weeks=silent,
            sort=params.get("sort", selectors.Sort.NAME),
            page=page_number,
            per_page=50,
        )
        page = selectors.search_caseload(_actor(request), query)
        return Response(
            {
                "count": page.paginator.count,
                "page": page.number,
                "pages": page.paginator.num_pages,
                "results": ResidentListSerializer(page.object_list, many=True).data,
            }
        )

    @extend_schema(
        request=ResidentSerializer, responses={201: ResidentSerializer}, summary="Inwoner aanmelden"
    )
    def post(self, request: Request) -> Response:
        data = self.parse(ResidentSerializer, request)
        bases: list[tuple[str, str, Any, Any]] = [
            (
                str(LegalBasis.DOMAIN_OF_KIND[LegalBasis.Kind(b["kind"])]),
                b["kind"],
                b["start_date"],
                b.get("end_date"),
            )
            for b in data.get("legal_bases", [])
        ]
        registration = actions.Registration(
            bsn=data["bsn"],
            given_names=data["given_names"],
            name_prefix=data.get("name_prefix", ""),
            family_name=data["family_name"],
            date_of_birth=data["date_of_birth"],
            email=data.get("email", ""),
            phone=data.get("phone", ""),
            street=data.get("street", ""),
            postcode=data.get("postcode", ""),
            city=data.get("city", ""),
            district=data.get("district"),
            household=data.get("household", ""),
            languages=data.get("languages", ""),
            dutch_level=data.get("dutch_level", ""),
            target_groups=list(data.get("target_groups", [])),
            caseworker_work=data.get("caseworker_work"),
            caseworker_care=data.get("caseworker_care"),
            bases=bases,
        )
        resident = actions.do_register_resident(registration, actor=_actor(request))
        return Response(ResidentSerializer(resident).data, status=status.HTTP_201_CREATED)


class ResidentDetailView(FileView):
    @extend_schema(responses=ResidentFileSerializer, summary="Dossier van een inwoner")
    def get(self, request: Request, resident_id: uuid.UUID) -> Response:
        resident_file = self.file(request, resident_id)
        return Response(ResidentFileSerializer(resident_file).data)

    @extend_schema(request=ResidentSerializer, responses=ResidentSerializer, summary="Gegevens wijzigen")
    def patch(self, request: Request, resident_id: uuid.UUID) -> Response:
        resident = self.resident(request, resident_id)
        serializer = ResidentSerializer(
            resident, data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "version" not in data:
            raise serializers.ValidationError({"version": ["Stuur de versie mee die u heeft gelezen."]})
        # The caseworkers are changed like the other details (the action checks their role and domain).
        fields = (*actions.PERSONAL_FIELDS, "caseworker_work", "caseworker_care")
        values = {name: data[name] for name in fields if name in data}
        resident = actions.do_update_personal_details(
            resident,
            values=values,
            target_groups=data.get("target_groups"),
            version=data["version"],
            actor=_actor(request),
        )
        return Response(ResidentSerializer(resident).data)


class LegalBasisView(FileView):
    @extend_schema(responses=LegalBasisSerializer(many=True))
    def get(self, request: Request, resident_id: uuid.UUID) -> Response:
        return Response(
            LegalBasisSerializer(
                selectors.access_resident(resident_id, _actor(request), timeline_limit=0).bases, many=True
            ).data
        )

    @extend_schema(request=LegalBasisSerializer, responses={201: LegalBasisSerializer})
    def post(self, request: Request, resident_id: uuid.UUID) -> Response:
        resident = self.resident(request, resident_id)
        data = self.parse(LegalBasisSerializer, request)
        kind = LegalBasis.Kind(data["kind"])
        basis = actions.do_add_legal_basis(
            resident,
            domain=LegalBasis.DOMAIN_OF_KIND[kind],
            kind=kind,
            start=data["start_date"],
            end=data.get("end_date"),
            actor=_actor(request),
        )
        return Response(LegalBasisSerializer(basis).data, status=status.HTTP_201_CREATED)


class ConsentView(FileView):
    @extend_schema(responses=ConsentSerializer(many=True))
    def get(self, request: Request, resident_id: uuid.UUID) -> Response:
        resident_file = self.file(request, resident_id)
        return Response(ConsentSerializer(resident_file.consents, many=True).data)

    @extend_schema(request=ConsentSerializer, responses={201: ConsentSerializer})
    def post(self, request: Request, resident_id: uuid.UUID) -> Response:
        resident = self.resident(request, resident_id)
        data = self.parse(ConsentSerializer, request)
        consent = actions.do_record_consent(
            resident,
            shared_domain=data["shared_domain"],
            given_on=data["given_on"],
            note=data.get("note", ""),
            actor=_actor(request),
        )
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)


class WithdrawConsentView(FileView):
    @extend_schema(request=WithdrawSerializer, responses=ConsentSerializer, summary="Toestemming intrekken")
    def post(self, request: Request, resident_id: uuid.UUID, consent_id: uuid.UUID) -> Response:
        resident = self.resident(request, resident_id)
        consent = selectors.access_consent(resident, consent_id)
        data = self.parse(WithdrawSerializer, request)
        consent = actions.do_withdraw_consent(
            consent, withdrawn_on=data["withdrawn_on"], actor=_actor(request)
        )
        return Response(ConsentSerializer(consent).data)


class LadderView(FileView):
    @extend_schema(responses=LadderScoreSerializer(many=True))
    def get(self, request: Request, resident_id: uuid.UUID) -> Response:
        resident_file = self.file(request, resident_id)
        return Response(LadderScoreSerializer(resident_file.ladder, many=True).data)

    @extend_schema(request=LadderScoreSerializer, responses={201: LadderScoreSerializer})
    def post(self, request: Request, resident_id: uuid.UUID) -> Response:
        resident = self.resident(request, resident_id)
        data = self.parse(LadderScoreSerializer, request)
        score = actions.do_score_ladder(resident, actor=_actor(request), **data)
        return Response(LadderScoreSerializer(score).data, status=status.HTTP_201_CREATED)


class ProfileView(FileView):
    @extend_schema(responses=ProfileSerializer)
    def get(self, request: Request, resident_id: uuid.UUID) -> Response:
        resident_file = self.file(request, resident_id)
        profile = resident_file.profile
        data = {name: getattr(profile, name) for name in actions.PROFILE_FIELDS}
        data |= {"interests": [tag.code for tag in resident_file.interests], "version": profile.version}
        return Response(data)

    @extend_schema(request=ProfileSerializer, responses=ProfileSerializer)
    def put(self, request: Request, resident_id: uuid.UUID) -> Response:
        resident = self.resident(request, resident_id)
        data = self.parse(ProfileSerializer, request)
        values = {
            name: data.get(name, [] if name in ("physical_needs", "preferred_days") else None)
            for name in actions.PROFILE_FIELDS
        }
        for name in ("workload", "travel_mode", "talents"):
            values[name] = values[name] or ""
        profile = actions.do_update_profile(
            resident,
            values=values,
            interests=data["interests"],
            version=data["version"],
            actor=_actor(request),
        )
        return Response(ProfileSerializer(profile, context={"request": request}).data)


def _plan_body(plan: Plan) -> dict[str, Any]:
    """The plan with its agreements as the file shows them today (voluntary, overdue)."""
    return {
        "goals": plan.goals,
        "review_on": plan.review_on,
        "version": plan.version,
        "actions": PlanActionSerializer(selectors.agreements_of(plan, timezone.localdate()), many=True).data,
    }


class PlanView(FileView):
    @extend_schema(responses=PlanSerializer)
    def get(self, request: Request, resident_id: uuid.UUID) -> Response:
        return Response(_plan_body(self.file(request, resident_id).plan))

    @extend_schema(request=PlanSerializer, responses=PlanSerializer)
    def put(self, request: Request, resident_id: uuid.UUID) -> Response:
        resident = self.resident(request, resident_id)
        data = self.parse(PlanSerializer, request)
        plan = actions.do_update_plan(
            resident,
            goals=data.get("goals", ""),
            review_on=data.get("review_on"),
            version=data["version"],
            actor=_actor(request),
        )
        return Response(_plan_body(plan))


class PlanActionView(FileView):
    @extend_schema(request=PlanActionSerializer, responses={201: PlanActionSerializer})
    def post(self, request: Request, resident_id: uuid.UUID) -> Response:
        resident = self.resident(request, resident_id)
        data = self.parse(PlanActionSerializer, request)
        action = actions.do_add_plan_action(resident, actor=_actor(request), **data)
        added = selectors.agreements_with_status(timezone.localdate()).get(pk=action.pk)
        return Response(PlanActionSerializer(added).data, status=status.HTTP_201_CREATED)


class TimelineView(FileView):
    @extend_schema(responses=TimelineEventSerializer(many=True), summary="Tijdlijn, nieuwste eerst")
    def get(self, request: Request, resident_id: uuid.UUID) -> Response:
        resident_file = self.file(request, resident_id, timeline=200)
        return Response(TimelineEventSerializer(resident_file.timeline, many=True).data)

    @extend_schema(request=TimelineEventSerializer, responses={201: TimelineEventSerializer})
    def post(self, request: Request, resident_id: uuid.UUID) -> Response:
        resident = self.resident(request, resident_id)
        data = self.parse(TimelineEventSerializer, request)
        event = actions.do_add_note(
            resident,
            kind=data["kind"],
            text=data["text"],
            occurred_at=data["occurred_at"],
            domain_only=data.get("domain_only", False),
            attachment=None,
            actor=_actor(request),
        )
        return Response(TimelineEventSerializer(event).data, status=status.HTTP_201_CREATED)


class TransferView(APIView):
    required_capability = Capability.TRANSFER_CASELOAD

    @extend_schema(
        request=TransferSerializer, responses=TransferResultSerializer, summary="Caseload overdragen"
    )
    def post(self, request: Request) -> Response:
        data = parse(TransferSerializer, request)
        actor = _actor(request)
        users = {
            m.user_id: m.user
            for m in selectors.list_caseworkers(actor, data["domain"], active_only=False)
            if m.user_id in (data["from_user"], data["to_user"])
        }
        if data["from_user"] not in users:
            raise serializers.ValidationError({"from_user": ["Deze medewerker werkt niet in dit domein."]})
        if data["to_user"] not in users:
            raise serializers.ValidationError({"to_user": ["Deze medewerker werkt niet in dit domein."]})
        result = actions.do_transfer_caseload(
            from_user=users[data["from_user"]],
            to_user=users[data["to_user"]],
            domain=data["domain"],
            actor=actor,
        )
        return Response({"moved": result.moved})
