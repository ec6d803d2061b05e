"""The dashboard's charts as Vega-Lite specs, built on the server with Altair and drawn in the page by
vega-embed (static/meedoen/charts.js). Each chart has a table with the same figures and a text summary
beside it; hidden cells ("<5") are gaps in the line, never a value."""

from typing import Any

import altair as alt
from django.utils.translation import gettext as _

from meedoen.programmes.selectors import Panel

LINE = "#0b4f8a"
TARGET = "#c65d00"


def trend_spec(panel: Panel) -> dict[str, Any]:
    """A line of the monthly values, with the target as a dashed line where one is set."""
    values = [
        {"maand": f.label, "waarde": float(f.value) if f.value is not None else None, "soort": _("Waarde")}
        for f in panel.trend
    ]
    targets = [
        {"maand": f.label, "waarde": float(f.target), "soort": _("Streefwaarde")}
        for f in panel.trend
        if f.target is not None
    ]
    x = alt.X("maand:O", title=_("Maand"), axis=alt.Axis(labelAngle=-45))
    y = alt.Y("waarde:Q", title=panel.unit)
    color = alt.Color(
        "soort:N",
        title=None,
        scale=alt.Scale(domain=[_("Waarde"), _("Streefwaarde")], range=[LINE, TARGET]),
        legend=alt.Legend(orient="bottom"),
    )
    line = alt.Chart(alt.Data(values=values)).mark_line(point=True).encode(x=x, y=y, color=color)
    layers: list[Any] = [line]
    if targets:
        layers.append(
            alt.Chart(alt.Data(values=targets)).mark_line(strokeDash=[6, 4]).encode(x=x, y=y, color=color)
        )
    chart = alt.layer(*layers).properties(width="container", height=180, description=panel.summary)
    return chart.to_dict(validate=False)
