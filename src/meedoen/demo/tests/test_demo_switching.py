"""The demo's norms for the switch insight: the published 2026 file, and DEMO rows (named as such) where the
July 2026 figures were not found, so a calculation made in the demo has every month filled."""

import datetime as dt
from decimal import Decimal

import pytest

from meedoen.demo.switching import DEMO_SOURCE, seed_norms
from meedoen.municipalities.tests.factories import MunicipalityFactory
from meedoen.switching import rules, selectors
from meedoen.switching.models import ReferenceFigure


@pytest.mark.django_db
def test_demo_norms_fill_every_month_and_say_they_are_demo():
    municipality = MunicipalityFactory()
    first = seed_norms(municipality)
    assert first > 0 and seed_norms(municipality) == 0  # idempotent
    demo = ReferenceFigure.objects.filter(municipality=municipality, source=DEMO_SOURCE)
    assert demo.exists() and all(f.valid_from == dt.date(2026, 7, 1) for f in demo)
    insight = rules.calculate(
        rules.ProposedStep(dt.date(2026, 12, 1), Decimal(16)),
        rules.Situation(rules.ALONE, dt.date(1990, 5, 1)),
        selectors.reference_for(municipality.pk),
    )
    assert all(month.complete for month in insight.months)
    assert any(used.source == DEMO_SOURCE for used in insight.used)
