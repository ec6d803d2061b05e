"""Reads of tenants and districts.

Districts hold no personal data, but are still scoped to the municipality."""

import uuid

from django.db.models import QuerySet
from django.http import Http404

from meedoen.municipalities.labels import vocabulary_name
from meedoen.municipalities.models import District, InterestTag, Municipality, TargetGroup
from meedoen.prepared import PreparedQuery


def list_districts(municipality: Municipality) -> QuerySet[District]:
    return _districts(municipality.pk)


def _districts(municipality: uuid.UUID) -> QuerySet[District]:
    return District.objects.filter(municipality_id=municipality).order_by("area", "name")


def _target_groups(municipality: uuid.UUID) -> QuerySet[TargetGroup]:
    return TargetGroup.objects.filter(municipality_id=municipality, is_active=True).order_by("name")


# For the filters of the caseload, shown on every request (see meedoen/prepared.py): ids and names.
_prepared_districts = PreparedQuery(
    lambda municipality: _districts(municipality).values_list("id", "name"), municipality=uuid.UUID
)
_prepared_target_groups = PreparedQuery(
    lambda municipality: _target_groups(municipality).values_list("id", "code", "name"),
    municipality=uuid.UUID,
)


def district_options(municipality_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
    """(id, name) of the municipality's districts, for a choice list."""
    return _prepared_districts(municipality=municipality_id)


def target_group_options(municipality_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
    """(id, name) of the municipality's active target groups, for a choice list; each name as a person sees
    it (translated while it is the default name, see municipalities.labels)."""
    rows = _prepared_target_groups(municipality=municipality_id)
    options = [(pk, vocabulary_name(code, name)) for pk, code, name in rows]
    return sorted(options, key=lambda option: option[1])  # in the order of the names as shown


def target_group_labels(municipality_id: uuid.UUID) -> dict[str, str]:
    """The municipality's target groups from stored name (as in an allocation summary) to the name as a
    person sees it."""
    rows = TargetGroup.objects.filter(municipality_id=municipality_id).values_list("code", "name")
    return {name: vocabulary_name(code, name) for code, name in rows}


def access_district(district_id: uuid.UUID, municipality: Municipality) -> District:
    try:
        return District.objects.get(pk=district_id, municipality=municipality)
    except District.DoesNotExist:
        raise Http404 from None


def list_target_groups(municipality: Municipality) -> QuerySet[TargetGroup]:
    return _target_groups(municipality.pk)


def list_interest_tags(municipality: Municipality) -> QuerySet["InterestTag"]:
    return InterestTag.objects.filter(municipality=municipality).order_by("name")
