"""Reads of tenants and districts.

Districts hold no personal data, but are still scoped to the municipality."""

import uuid

from django.db.models import QuerySet
from django.http import Http404

from meedoen.municipalities.models import District, InterestTag, Municipality, TargetGroup


def list_districts(municipality: Municipality) -> QuerySet[District]:
    return District.objects.filter(municipality=municipality).order_by("area", "name")


def access_district(district_id: uuid.UUID, municipality: Municipality) -> District:
    try:
        return District.objects.get(pk=district_id, municipality=municipality)
    except District.DoesNotExist:
        raise Http404 from None


def list_target_groups(municipality: Municipality) -> QuerySet["TargetGroup"]:
    return TargetGroup.objects.filter(municipality=municipality, is_active=True).order_by("name")


def list_interest_tags(municipality: Municipality) -> QuerySet["InterestTag"]:
    return InterestTag.objects.filter(municipality=municipality).order_by("name")
