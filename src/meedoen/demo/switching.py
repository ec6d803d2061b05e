"""Demo reference data for the switch insight: the published 2026 figures that ship with Meedoen, and for the
figures per 1 July 2026 that were not found, DEMO rows that carry the January figure forward, named as such in
their source, so a demo calculation made today has every month filled."""

import datetime as dt

from meedoen.municipalities.models import Municipality
from meedoen.switching import actions
from meedoen.switching.models import ReferenceFigure

DEMO_SOURCE = (
    "DEMO: het bedrag per 1 januari 2026 doorgetrokken, want het bedrag per 1 juli 2026 is niet gevonden; "
    "geen gepubliceerd bedrag"
)


def seed_norms(municipality: Municipality) -> int:
    """Load the figures into the demo municipality (idempotent); returns the number of rows added."""
    added = actions.do_load_published(actor=None, municipality_id=municipality.pk)
    figures = ReferenceFigure.objects.filter(municipality=municipality).order_by("recorded_at", "id")
    latest = {(f.key, f.valid_from): f for f in figures}
    july = dt.date(2026, 7, 1)
    demo = [
        ReferenceFigure(
            municipality=municipality,
            key=key,
            valid_from=july,
            value=latest[(key, dt.date(2026, 1, 1))].value,
            source=DEMO_SOURCE,
        )
        for (key, valid_from), figure in latest.items()
        if valid_from == july and figure.value is None and (key, dt.date(2026, 1, 1)) in latest
    ]
    ReferenceFigure.objects.bulk_create(demo)
    return added + len(demo)
