"""Prepared queries give what their queryset gives, for any values, and refuse what they cannot keep."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.db.models import Count, Q, Window
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meedoen.accounts.tests.factories import UserFactory
from meedoen.prepared import PreparedQuery, PreparedQueryError
from meedoen.residents.models import LegalBasis, Resident, TimelineEvent
from meedoen.residents.tests.factories import LegalBasisFactory, ResidentFactory

pytestmark = pytest.mark.django_db


def _current_work(municipality: uuid.UUID, caseworker: uuid.UUID, today: dt.date):  # type: ignore[no-untyped-def]
    return (
        Resident.objects.filter(municipality_id=municipality)
        .filter(
            Q(caseworker_work_id=caseworker)
            | Q(legal_bases__domain="participatiewet", legal_bases__start_date__lte=today)
        )
        .select_related("district", "caseworker_work")
        .annotate(total=Window(Count("pk")))
        .order_by("family_name", "id")
        .distinct()
    )


def _bases(resident: uuid.UUID):  # type: ignore[no-untyped-def]
    return LegalBasis.objects.filter(resident_id=resident)


def test_same_rows_and_related_objects_as_the_queryset_for_every_set_of_values() -> None:
    built = []

    def build(municipality, caseworker, today):  # type: ignore[no-untyped-def]
        built.append(1)
        return _current_work(municipality, caseworker, today)

    query = PreparedQuery(build, municipality=uuid.UUID, caseworker=uuid.UUID, today=dt.date)
    caseworker = UserFactory()
    own = ResidentFactory(caseworker_work=caseworker)
    other_municipality = ResidentFactory(caseworker_work=caseworker)
    with_basis = ResidentFactory(municipality=own.municipality)
    LegalBasisFactory(resident=with_basis, start_date=dt.date(2026, 3, 1))
    ResidentFactory(municipality=own.municipality)  # neither: never in the result
    cases = [
        (own.municipality_id, caseworker.pk, dt.date(2026, 1, 1)),  # the basis has not started yet
        (own.municipality_id, caseworker.pk, dt.date(2026, 6, 1)),
        (other_municipality.municipality_id, caseworker.pk, dt.date(2026, 6, 1)),
        (own.municipality_id, uuid.uuid4(), dt.date(2026, 6, 1)),
    ]
    for municipality, user, today in cases:
        expected = list(_current_work(municipality, user, today))
        got = query(municipality=municipality, caseworker=user, today=today)
        assert [r.pk for r in got] == [r.pk for r in expected]
        assert [(r.district, r.caseworker_work, r.total) for r in got] == [
            (r.district, r.caseworker_work, r.total) for r in expected
        ]
    assert {
        r.pk for r in query(municipality=own.municipality_id, caseworker=caseworker.pk, today=cases[1][2])
    } == {
        own.pk,
        with_basis.pk,
    }
    assert len(built) == 1  # compiled once, run four times


def test_a_prepared_query_runs_one_statement_with_the_new_values() -> None:
    query = PreparedQuery(_bases, resident=uuid.UUID)
    first, second = ResidentFactory(work=True), ResidentFactory(care=True)
    query(resident=first.pk)
    with CaptureQueriesContext(connection) as captured:
        bases = query(resident=second.pk)
    assert len(captured.captured_queries) == 1
    assert [b.domain for b in bases] == ["wmo"]
    assert bases[0].resident_id == second.pk


def test_values_list_gives_the_same_tuples_as_the_queryset() -> None:
    def build(resident):  # type: ignore[no-untyped-def]
        return (
            LegalBasis.objects.filter(resident_id=resident)
            .order_by("start_date")
            .values_list("id", "kind", "start_date", "end_date")
        )

    query = PreparedQuery(build, resident=uuid.UUID)
    resident = ResidentFactory(work=True)
    LegalBasisFactory(resident=resident, start_date=dt.date(2024, 2, 1), end_date=dt.date(2025, 1, 31))
    for value in (resident.pk, ResidentFactory(care=True).pk, uuid.uuid4()):
        assert query(resident=value) == list(build(value))
    assert len(query(resident=resident.pk)) == 2


def test_datetimes_and_limits_are_kept() -> None:
    resident = ResidentFactory()
    now = timezone.now()
    for hours in (1, 2, 3, 30):
        TimelineEvent.objects.create(
            resident=resident, kind="note", text=f"{hours}", occurred_at=now - dt.timedelta(hours=hours)
        )
    query = PreparedQuery(
        lambda resident, since: TimelineEvent.objects.filter(resident_id=resident, occurred_at__gte=since)[
            :2
        ],
        resident=uuid.UUID,
        since=dt.datetime,
    )
    assert [e.text for e in query(resident=resident.pk, since=now - dt.timedelta(hours=24))] == ["1", "2"]
    assert [e.text for e in query(resident=resident.pk, since=now - dt.timedelta(hours=2, minutes=30))] == [
        "1",
        "2",
    ]
    assert query(resident=resident.pk, since=now) == []


def test_values_that_the_lookup_transforms_or_drops_are_refused() -> None:
    contains = PreparedQuery(lambda name: Resident.objects.filter(family_name__icontains=name), name=str)
    with pytest.raises(PreparedQueryError, match="transformed"):
        contains(name="jan")
    unused = PreparedQuery(lambda name: Resident.objects.all(), name=str)
    with pytest.raises(PreparedQueryError, match="not used"):
        unused(name="jan")
    prefetching = PreparedQuery(
        lambda resident: Resident.objects.filter(pk=resident).prefetch_related("legal_bases"),
        resident=uuid.UUID,
    )
    with pytest.raises(PreparedQueryError, match="prefetch_related"):
        prefetching(resident=uuid.uuid4())
    as_dicts = PreparedQuery(
        lambda resident: Resident.objects.filter(pk=resident).values("pk"), resident=uuid.UUID
    )
    with pytest.raises(PreparedQueryError, match="values_list"):
        as_dicts(resident=uuid.uuid4())


def test_missing_or_extra_values_are_a_type_error() -> None:
    query = PreparedQuery(_bases, resident=uuid.UUID)
    with pytest.raises(TypeError):
        query()
    with pytest.raises(TypeError):
        query(resident=uuid.uuid4(), other=1)
