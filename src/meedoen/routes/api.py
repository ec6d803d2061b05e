"""REST API of the route: the same selectors and actions as the route page, so the same state machine,
scoping and processing log. Steps are append-only: a wrong step is corrected by a correcting step."""

import uuid
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meedoen.accounts.actor import Actor
from meedoen.accounts.policies import Capability
from meedoen.errors import RuleError
from meedoen.residents import selectors as resident_selectors
from meedoen.restapi import NOTE_LIMIT
from meedoen.routes import actions, selectors
from meedoen.routes.models import OUTCOME_CHOICES, PHASE_CHOICES, Review, Route, StepReason
from meedoen.routes.selectors import RouteFile


def _actor(request: Request) -> Actor:
    return request._request.actor  # type: ignore[attr-defined]


class StepSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    phase = serializers.ChoiceField(choices=PHASE_CHOICES)
    starts_on = serializers.DateField()
    reason = serializers.ChoiceField(choices=StepReason.choices)
    reason_text = serializers.CharField()
    is_back = serializers.BooleanField()
    proposal = serializers.UUIDField(source="proposal_id", allow_null=True)
    corrects = serializers.UUIDField(source="corrects_id", allow_null=True)
    corrected = serializers.BooleanField()


class ReviewSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    phase = serializers.ChoiceField(choices=PHASE_CHOICES)
    progress = serializers.CharField()
    rung = serializers.IntegerField(allow_null=True)
    decision = serializers.ChoiceField(choices=Review.Decision.choices)
    next_review_on = serializers.DateField()


class Limit10aSerializer(serializers.Serializer):
    reached_on = serializers.DateField()
    warn = serializers.BooleanField()


class RouteSerializer(serializers.Serializer):
    id = serializers.UUIDField(allow_null=True)
    opened_on = serializers.DateField(allow_null=True)
    closed_on = serializers.DateField(allow_null=True)
    outcome = serializers.CharField(allow_blank=True)
    is_fall_back = serializers.BooleanField()
    current_phase = serializers.CharField(allow_null=True)
    next_review_on = serializers.DateField(allow_null=True)
    limit_10a = Limit10aSerializer(allow_null=True)
    may_fall_back = serializers.BooleanField()
    steps = StepSerializer(many=True)
    reviews = ReviewSerializer(many=True)


def _route_body(state: RouteFile) -> dict[str, Any]:
    route = state.route
    return RouteSerializer(
        {
            "id": route.pk if route else None,
            "opened_on": route.opened_on if route else None,
            "closed_on": route.closed_on if route else None,
            "outcome": route.outcome if route else "",
            "is_fall_back": bool(route and route.is_fall_back),
            "current_phase": state.current.phase if state.current else None,
            "next_review_on": state.next_review_on,
            "limit_10a": state.limit_10a,
            "may_fall_back": state.may_fall_back,
            "steps": [
                {
                    "id": s.pk,
                    "phase": s.phase,
                    "starts_on": s.starts_on,
                    "reason": s.reason,
                    "reason_text": s.reason_text,
                    "is_back": s.is_back,
                    "proposal_id": s.proposal_id,
                    "corrects_id": s.corrects_id,
                    "corrected": s.pk in state.corrected_ids,
                }
                for s in state.steps
            ],
            "reviews": state.reviews,
        }
    ).data


class OpenSerializer(serializers.Serializer):
    starts_on = serializers.DateField()


class StepInSerializer(serializers.Serializer):
    phase = serializers.ChoiceField(choices=PHASE_CHOICES)
    starts_on = serializers.DateField()
    reason = serializers.ChoiceField(choices=StepReason.choices)
    reason_text = serializers.CharField(required=False, allow_blank=True, default="", **NOTE_LIMIT)
    proposal = serializers.UUIDField(required=False, allow_null=True, default=None)


class CorrectionSerializer(serializers.Serializer):
    phase = serializers.ChoiceField(choices=PHASE_CHOICES)
    reason_text = serializers.CharField(**NOTE_LIMIT)


class EndSerializer(serializers.Serializer):
    closed_on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=OUTCOME_CHOICES)
    outcome_text = serializers.CharField(required=False, allow_blank=True, default="", **NOTE_LIMIT)


class ReviewInSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    progress = serializers.CharField(**NOTE_LIMIT)
    rung = serializers.IntegerField(min_value=1, max_value=6, required=False, allow_null=True, default=None)
    decision = serializers.ChoiceField(choices=Review.Decision.choices)


def _parse(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class RouteView(APIView):
    required_capability = Capability.VIEW_RESIDENT_FILE

    def _state(self, request: Request, resident_id: uuid.UUID) -> RouteFile:
        actor = _actor(request)
        resident = resident_selectors.access_resident_for_change(resident_id, actor)
        return selectors.access_route(resident, actor)

    @extend_schema(tags=["routes"], summary="De route van een inwoner", responses=RouteSerializer)
    def get(self, request: Request, resident_id: uuid.UUID) -> Response:
        return Response(_route_body(self._state(request, resident_id)))

    @extend_schema(
        tags=["routes"],
        summary="Een route beginnen",
        request=OpenSerializer,
        responses={201: RouteSerializer},
    )
    def post(self, request: Request, resident_id: uuid.UUID) -> Response:
        actor = _actor(request)
        resident = resident_selectors.access_resident_for_change(resident_id, actor)  # scope before parsing
        data = _parse(OpenSerializer, request)
        actions.do_open_route(resident, starts_on=data["starts_on"], actor=actor)
        return Response(_route_body(selectors.access_route(resident, actor)), status=status.HTTP_201_CREATED)


class _RouteAction(APIView):
    required_capability = Capability.VIEW_RESIDENT_FILE

    def _open(self, request: Request, resident_id: uuid.UUID) -> selectors.RouteForChange:
        actor = _actor(request)
        resident = resident_selectors.access_resident_for_change(resident_id, actor)
        return selectors.open_route_for_change(resident, actor)

    def _answer(self, request: Request, route: Route, code: int = status.HTTP_201_CREATED) -> Response:
        """The route after the write: what the caller reads, logged once."""
        return Response(_route_body(selectors.access_route(route.resident, _actor(request))), status=code)


class StepView(_RouteAction):
    @extend_schema(
        tags=["routes"],
        summary="Een stap vastleggen",
        request=StepInSerializer,
        responses={201: RouteSerializer},
    )
    def post(self, request: Request, resident_id: uuid.UUID) -> Response:
        state = self._open(request, resident_id)
        data = _parse(StepInSerializer, request)
        proposal = next((p for p in state.accepted_proposals if p.pk == data["proposal"]), None)
        if data["proposal"] and proposal is None:
            raise RuleError("proposal", "Kies een geaccepteerd voorstel van deze inwoner.")
        actions.do_record_step(
            state.route,
            phase=data["phase"],
            starts_on=data["starts_on"],
            reason=data["reason"],
            reason_text=data["reason_text"],
            proposal=proposal,
            actor=_actor(request),
        )
        return self._answer(request, state.route)


class CorrectionView(_RouteAction):
    @extend_schema(
        tags=["routes"],
        summary="De laatste stap corrigeren",
        request=CorrectionSerializer,
        responses={201: RouteSerializer},
    )
    def post(self, request: Request, resident_id: uuid.UUID, step_id: uuid.UUID) -> Response:
        state = self._open(request, resident_id)
        data = _parse(CorrectionSerializer, request)
        step = selectors.access_step(state.route, step_id)
        actions.do_correct_step(
            step, phase=data["phase"], reason_text=data["reason_text"], actor=_actor(request)
        )
        return self._answer(request, state.route)


class EndView(_RouteAction):
    @extend_schema(
        tags=["routes"], summary="De route beëindigen", request=EndSerializer, responses=RouteSerializer
    )
    def post(self, request: Request, resident_id: uuid.UUID) -> Response:
        state = self._open(request, resident_id)
        data = _parse(EndSerializer, request)
        actions.do_end_route(state.route, actor=_actor(request), **data)
        return self._answer(request, state.route, status.HTTP_200_OK)


class FallBackView(APIView):
    required_capability = Capability.VIEW_RESIDENT_FILE

    @extend_schema(
        tags=["routes"],
        summary="Terugvalgarantie: de route heropenen",
        request=OpenSerializer,
        responses={201: RouteSerializer},
    )
    def post(self, request: Request, resident_id: uuid.UUID) -> Response:
        actor = _actor(request)
        resident = resident_selectors.access_resident_for_change(resident_id, actor)
        data = _parse(OpenSerializer, request)
        actions.do_fall_back(resident, starts_on=data["starts_on"], actor=actor)
        return Response(_route_body(selectors.access_route(resident, actor)), status=status.HTTP_201_CREATED)


class ReviewView(_RouteAction):
    @extend_schema(
        tags=["routes"],
        summary="Een bespreking vastleggen",
        request=ReviewInSerializer,
        responses={201: RouteSerializer},
    )
    def post(self, request: Request, resident_id: uuid.UUID) -> Response:
        state = self._open(request, resident_id)
        data = _parse(ReviewInSerializer, request)
        actions.do_record_review(state.route, actor=_actor(request), **data)
        return self._answer(request, state.route)


class DueSerializer(serializers.Serializer):
    resident = serializers.UUIDField(source="resident.pk")
    name = serializers.CharField(source="resident.full_name")
    phase = serializers.ChoiceField(choices=PHASE_CHOICES)
    due_on = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    limit_10a = Limit10aSerializer(allow_null=True)


class ReviewsDueView(APIView):
    required_capability = Capability.VIEW_CASELOAD

    @extend_schema(
        tags=["routes"],
        summary="Besprekingen die eraan komen of te laat zijn",
        responses=DueSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        return Response(DueSerializer(selectors.reviews_due(_actor(request)), many=True).data)
