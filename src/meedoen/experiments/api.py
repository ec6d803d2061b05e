"""The experiments over the API (``/api/v1/experiments``), read only, for the roles that design experiments:
the municipality's experiments with their arms, and an experiment's analysis as the analysis screen shows it.
Aggregates only: figures are strings rounded as the screen rounds them (three decimals for effects and
p-values), and a count the screen hides (under five, or one that would give a hidden one away) is null.
Nothing here sets an arm: there is no API path to randomise, let alone re-roll."""

import math
import uuid
from typing import Any

from django.urls import URLPattern, path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meedoen.accounts.policies import Capability
from meedoen.experiments import analysis, design, selectors
from meedoen.experiments.models import Experiment
from meedoen.restapi import Pagination


def _figure(value: float | None, digits: int = 3) -> str | None:
    """A figure as the screen rounds it, with a decimal point: ``0.125``; null when hidden or no number."""
    if value is None or math.isnan(value):
        return None
    return analysis.rounded(value, digits)


def _count(value: int | None) -> str | None:
    return None if value is None else str(value)


class ArmSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    ratio = serializers.IntegerField(
        help_text="Het deel van de loting: 2 tegen 1 betekent twee keer zo vaak."
    )
    control = serializers.BooleanField()


class ExperimentSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    title = serializers.CharField()
    question = serializers.CharField()
    status = serializers.CharField()
    registered_hash = serializers.CharField(
        allow_null=True, help_text="SHA-256 van het vastgelegde ontwerp; null zolang het niet is vastgelegd."
    )
    arms = ArmSerializer(many=True)


class ExperimentPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ExperimentSerializer(many=True)


def _experiment(experiment: Experiment) -> dict[str, Any]:
    plan = selectors.design_of(experiment)
    return {
        "id": experiment.pk,
        "title": experiment.title,
        "question": plan.question,
        "status": experiment.status,
        "registered_hash": experiment.registered_hash or None,
        "arms": [
            {"code": arm.code, "name": arm.name, "ratio": arm.ratio, "control": arm.code == plan.control}
            for arm in plan.arms
        ],
    }


class ExperimentListView(APIView):
    required_capability = Capability.DESIGN_EXPERIMENTS

    @extend_schema(
        responses=ExperimentPageSerializer,
        parameters=[OpenApiParameter("page", int), OpenApiParameter("page_size", int)],
        tags=["experiments"],
        summary="De experimenten van de gemeente",
        description="Elk experiment met vraag, stand, de SHA-256 van het vastgelegde ontwerp en de groepen "
        "met hun verdeling. Alleen voor wie experimenten ontwerpt.",
    )
    def get(self, request: Request) -> Response:
        actor = request._request.actor  # type: ignore[attr-defined]
        paginator = Pagination()
        page = paginator.paginate_queryset(
            selectors.experiments_of(actor).order_by("-created_at", "pk"), request
        )
        return paginator.get_paginated_response(
            ExperimentSerializer([_experiment(e) for e in page or []], many=True).data
        )


class EffectSerializer(serializers.Serializer):
    arm = serializers.CharField()
    arm_name = serializers.CharField()
    effect = serializers.CharField()
    se = serializers.CharField()
    ci_low = serializers.CharField()
    ci_high = serializers.CharField()
    p = serializers.CharField()
    p_holm = serializers.CharField(allow_null=True)
    n_treated = serializers.CharField()
    n_control = serializers.CharField()
    p_randomisation = serializers.CharField(
        allow_null=True, help_text="p door opnieuw loten (binnen de strata); null zonder randomisation=true."
    )
    randomisation_exact = serializers.BooleanField(
        allow_null=True, help_text="Of alle mogelijke lotingen zijn gedaan; null zonder randomisation=true."
    )


class MissingSerializer(serializers.Serializer):
    arm = serializers.CharField()
    missing = serializers.CharField(allow_null=True, help_text="Zonder meting; null: niet getoond.")
    assigned = serializers.CharField(allow_null=True, help_text="Ingeloot; null: niet getoond.")


class AttritionSerializer(serializers.Serializer):
    arms = MissingSerializer(many=True)
    p_differential = serializers.CharField(allow_null=True)


class MunicipalityCellSerializer(serializers.Serializer):
    arm = serializers.CharField()
    n = serializers.CharField(
        allow_null=True, help_text="Gemeten in deze gemeente en groep; null: niet getoond."
    )
    suppressed = serializers.CharField(
        allow_null=True, help_text='"<5" als het aantal onder de 5 is; anders null.'
    )


class MunicipalityEffectSerializer(serializers.Serializer):
    arm = serializers.CharField()
    arm_name = serializers.CharField()
    effect = serializers.CharField()
    se = serializers.CharField()
    ci_low = serializers.CharField()
    ci_high = serializers.CharField()
    p = serializers.CharField(help_text="Zonder correctie voor meer toetsen.")


class MunicipalitySerializer(serializers.Serializer):
    municipality = serializers.CharField(help_text="De naam van de gemeente; nooit een inwoner.")
    own = serializers.BooleanField(help_text="Of het de gemeente van wie vraagt is.")
    cells = MunicipalityCellSerializer(many=True)
    effects = MunicipalityEffectSerializer(many=True)
    note = serializers.CharField(help_text="Waarom er voor deze gemeente geen schatting is, als dat zo is.")


class OutcomeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    moment_months = serializers.IntegerField()
    due = serializers.CharField(allow_null=True, help_text="Gemeten deelnemers; null: niet getoond.")
    waiting = serializers.CharField(allow_null=True, help_text="Nog niet aan de beurt; null: niet getoond.")
    first_due_on = serializers.DateField(allow_null=True)
    note = serializers.CharField(help_text="Waarom er geen effect is, als dat zo is.")
    effects = EffectSerializer(many=True)
    attrition = AttritionSerializer(allow_null=True)
    per_municipality = MunicipalitySerializer(
        many=True,
        help_text="Een gezamenlijk experiment: de schatting per gemeente (effects is dan de gepoolde "
        "schatting "
        "met een vast effect per gemeente). Leeg voor een experiment van één gemeente.",
    )


class AnalysisSerializer(serializers.Serializer):
    experiment = serializers.UUIDField()
    version = serializers.IntegerField(help_text="0: het vastgelegde ontwerp; n: wijziging n.")
    registered_hash = serializers.CharField(help_text="SHA-256 van de versie die de analyse volgt.")
    registered = serializers.BooleanField(
        help_text="true: de vastgelegde hoofdanalyse; false: een controle met andere keuzes."
    )
    standard_errors = serializers.CharField(
        help_text="hc2 of classical: de standaardfouten van deze cijfers."
    )
    outcomes = OutcomeSerializer(many=True)


class AnalysisQuerySerializer(serializers.Serializer):
    """A sensitivity analysis on request, as on the screen; without parameters the registered analysis."""

    standard_errors = serializers.ChoiceField(
        choices=list(design.CHECK_STANDARD_ERRORS), required=False,
        error_messages={"invalid_choice": "Kies hc2 of classical."},
    )  # fmt: skip
    randomisation = serializers.BooleanField(required=False, default=False)


def _outcome(result: selectors.OutcomeResult, names: dict[str, str]) -> dict[str, Any]:
    from django.utils.translation import gettext as _

    attrition = result.attrition
    return {
        "code": result.code,
        "name": _(result.name),
        "moment_months": result.moment_months,
        "due": _count(result.due),
        "waiting": _count(result.waiting),
        "first_due_on": result.first_due_on,
        "note": result.note,
        "effects": [
            {
                "arm": e.arm,
                "arm_name": names.get(e.arm, e.arm),
                "effect": _figure(e.effect),
                "se": _figure(e.se),
                "ci_low": _figure(e.ci_low),
                "ci_high": _figure(e.ci_high),
                "p": _figure(e.p),
                "p_holm": _figure(e.p_holm),
                "n_treated": _count(e.n_treated),
                "n_control": _count(e.n_control),
                "p_randomisation": _figure(e.p_randomisation),
                "randomisation_exact": None if e.p_randomisation is None else e.randomisation_exact,
            }
            for e in result.effects
        ],
        "per_municipality": [
            {
                "municipality": m.municipality,
                "own": m.own,
                "cells": [
                    {"arm": c.arm, "n": _count(c.n), "suppressed": "<5" if c.small else None} for c in m.cells
                ],
                "effects": [
                    {
                        "arm": e.arm,
                        "arm_name": names.get(e.arm, e.arm),
                        "effect": _figure(e.effect),
                        "se": _figure(e.se),
                        "ci_low": _figure(e.ci_low),
                        "ci_high": _figure(e.ci_high),
                        "p": _figure(e.p),
                    }
                    for e in m.effects
                ],
                "note": m.note,
            }
            for m in result.per_municipality
        ],
        "attrition": None
        if attrition is None
        else {
            "arms": [
                {"arm": a.arm, "missing": _count(a.missing), "assigned": _count(a.assigned)}
                for a in attrition.arms
            ],
            "p_differential": _figure(attrition.p_differential),
        },
    }


class ExperimentAnalysisView(APIView):
    required_capability = Capability.DESIGN_EXPERIMENTS

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "standard_errors",
                str,
                enum=list(design.CHECK_STANDARD_ERRORS),
                description="Een controle met andere standaardfouten dan het ontwerp (standaard: die van het "
                "ontwerp).",
            ),
            OpenApiParameter(
                "randomisation",
                bool,
                description="Ook p-waarden door opnieuw loten (randomisatie-inferentie).",
            ),
        ],
        responses=AnalysisSerializer,
        tags=["experiments"],
        summary="De analyse van een experiment per uitkomst en groep",
        description="Zoals het scherm Analyse het toont: per uitkomst het effect van elke groep tegen de "
        "controlegroep met standaardfout, 95%-interval, p, p (Holm) en n. Cijfers als tekst; aantallen "
        "die het scherm niet toont zijn null. Het lezen van de gegevens van de deelnemers staat in het "
        "verwerkingsregister (doel onderzoek).",
    )
    def get(self, request: Request, experiment_id: uuid.UUID) -> Response:
        actor = request._request.actor  # type: ignore[attr-defined]
        experiment = selectors.experiment_for_design(experiment_id, actor)
        plan = selectors.design_of(experiment)
        query = AnalysisQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        se = query.validated_data.get("standard_errors") or plan.standard_errors
        randomisation = query.validated_data["randomisation"]
        names = {arm.code: arm.name for arm in plan.arms}
        results = selectors.experiment_analysis(
            experiment, actor, standard_errors=se, randomisation=randomisation
        )
        data = {
            "experiment": experiment.pk,
            "version": experiment.amendments.count(),
            "registered_hash": selectors.followed_hash(experiment),
            "registered": design.is_registered_analysis(plan, se, randomisation),
            "standard_errors": se,
            "outcomes": [_outcome(r, names) for r in results],
        }
        return Response(AnalysisSerializer(data).data)


urlpatterns: list[URLPattern] = [
    path("experiments", ExperimentListView.as_view(), name="experiment-list"),
    path(
        "experiments/<uuid:experiment_id>/analysis",
        ExperimentAnalysisView.as_view(),
        name="experiment-analysis",
    ),
]
