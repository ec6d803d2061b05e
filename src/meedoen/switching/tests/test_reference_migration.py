"""Migration 0002 gives a municipality that already keeps figures the loonheffing figures of the shipped file,
so its calculations go on working without loading the file again; a municipality that keeps none gets none,
and loading the file afterwards adds nothing twice."""

import importlib
from pathlib import Path

import pytest
from django.apps import apps

from meedoen.switching import actions, rules
from meedoen.switching.models import ReferenceFigure

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("meedoen.switching.migrations.0002_wage_tax")
FILE = Path(__file__).resolve().parents[1] / "data" / "normen_2026.csv"


def _norms_without_tax() -> list[str]:
    """The shipped file as it was before the tax figures: a municipality that loaded that one."""
    lines = FILE.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if not line.startswith(("loonheffing.", "ahk.", "arbeidskorting."))]


def test_the_migration_adds_the_tax_figures_of_the_file_where_figures_are_kept(apeldoorn, epe):
    actions.do_load_figures(_norms_without_tax(), actor=None, municipality_id=apeldoorn.pk)
    assert not ReferenceFigure.objects.filter(key__startswith="loonheffing.").exists()

    MIGRATION.add_wage_tax_figures(apps, None)

    figures = ReferenceFigure.objects.filter(municipality=apeldoorn)
    assert {f.key for f in figures} == set(rules.KEYS)
    rate = figures.get(key="arbeidskorting.k1.deel", valid_from="2026-01-01")
    assert str(rate.value.normalize()) == "8.324" and "salure.nl" in rate.source  # three decimals kept
    assert not ReferenceFigure.objects.filter(municipality=epe).exists()  # keeps no figures: gets none
    # The rows are those of the file: loading the file now adds nothing, and running again neither.
    assert actions.do_load_published(actor=None, municipality_id=apeldoorn.pk) == 0
    count = figures.count()
    MIGRATION.add_wage_tax_figures(apps, None)
    assert figures.count() == count
