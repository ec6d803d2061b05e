"""The analysis as a forest plot (Altair → SVG through vl-convert, as the budget chart), as CSV and as a
tagged PDF."""

import base64
import csv
import io
import re
from collections.abc import Sequence
from typing import Any

import altair as alt
import vl_convert
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meedoen.experiments import analysis, design
from meedoen.experiments.selectors import OutcomeResult
from meedoen.pdf import tagged_pdf


def forest_svg(results: Sequence[OutcomeResult], arm_names: dict[str, str]) -> str:
    """Each arm's effect on each outcome with its 95% interval, a line at zero. Empty without effects."""
    rows = [
        {
            "uitkomst": _(result.name),
            "groep": arm_names.get(effect.arm, effect.arm),
            "effect": effect.effect,
            "laag": effect.ci_low,
            "hoog": effect.ci_high,
        }
        for result in results
        for effect in result.effects
    ]
    if not rows:
        return ""
    base = alt.Chart().encode(
        y=alt.Y("groep:N", title=None), color=alt.Color("groep:N", title=None, legend=None)
    )
    interval = base.mark_rule(strokeWidth=2).encode(
        x=alt.X("laag:Q", title=_("Effect tegen de controlegroep, met 95%-betrouwbaarheidsinterval")),
        x2="hoog:Q",
    )
    point = base.mark_point(filled=True, size=80).encode(x="effect:Q")
    zero = alt.Chart().mark_rule(strokeDash=[4, 4], color="#555").encode(x=alt.datum(0))
    chart = (
        alt.layer(zero, interval, point, data=alt.Data(values=rows))
        .properties(width=480, height=alt.Step(28))
        .facet(row=alt.Row("uitkomst:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")))
        .resolve_scale(y="independent")
    )
    svg = vl_convert.vegalite_to_svg(chart.to_dict())
    svg = re.sub(r'^(<svg[^>]*?) width="[\d.]+" height="[\d.]+"', r"\1", svg, count=1)
    # The page's figure names the chart (role img with its text, the tables give the figures): the drawing's
    # own marks say nothing more to a screen reader.
    return svg.replace("<svg", '<svg aria-hidden="true"', 1)


def effects_csv(results: Sequence[OutcomeResult], arm_names: dict[str, str]) -> str:
    """One row per outcome and arm: aggregates only, no resident. A joint experiment adds a column
    ``gemeente``: ``alle`` for the pooled estimate (municipality fixed effects), then a row per municipality
    and arm with its own estimate, or its count as the screen shows it (``<5``) and no estimate."""
    joint = any(result.per_municipality for result in results)
    drawn = any(e.p_randomisation is not None for result in results for e in result.effects)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    header = [
        "uitkomst",
        "maanden",
        "groep",
        "effect",
        "se",
        "ci_low",
        "ci_high",
        "p",
        "p_holm",
        "n",
        "n_controle",
    ]
    if drawn:  # a sensitivity analysis asked for randomisation inference: its p-values, and whether exact
        header += ["p_loting", "p_loting_exact"]
    writer.writerow([*header, "gemeente"] if joint else header)
    for result in results:
        months = design.OUTCOMES[result.code][1]
        for e in result.effects:
            row = [
                result.code,
                months,
                arm_names.get(e.arm, e.arm),
                analysis.rounded(e.effect, 6),
                analysis.rounded(e.se, 6),
                analysis.rounded(e.ci_low, 6),
                analysis.rounded(e.ci_high, 6),
                analysis.rounded(e.p, 6),
                analysis.rounded(e.p_holm, 6),
                e.n_treated,
                e.n_control,
            ]
            if drawn:
                row += [
                    "" if e.p_randomisation is None else analysis.rounded(e.p_randomisation, 6),
                    "ja" if e.randomisation_exact else "nee",
                ]
            writer.writerow([*row, "alle"] if joint else row)
        for m in result.per_municipality:
            estimated = {e.arm: e for e in m.effects}
            shown = {c.arm: (str(c.n) if c.n is not None else "<5" if c.small else "") for c in m.cells}
            control = m.control
            for cell in m.cells:
                if cell.arm == control:
                    continue
                found = estimated.get(cell.arm)
                figures = (
                    [
                        analysis.rounded(v, 6)
                        for v in (found.effect, found.se, found.ci_low, found.ci_high, found.p)
                    ]
                    if found
                    else ["", "", "", "", ""]
                )
                writer.writerow(
                    [
                        result.code,
                        months,
                        arm_names.get(cell.arm, cell.arm),
                        *figures,
                        "",
                        shown[cell.arm],
                        shown.get(control, ""),
                        *(["", ""] if drawn else []),
                        m.municipality,
                    ]
                )
    return out.getvalue()


def analysis_pdf(context: dict[str, Any]) -> bytes:
    """The analysis screen's context (with ``flow``, ``followed_hash`` and ``municipality``) as an accessible
    PDF: tagged (PDF/UA-1), in the reader's language, the forest plot as an image with the screen's text."""
    chart = str(context.get("chart") or "")
    html = render_to_string(
        "experiments/experiment_analysis_pdf.html",
        {
            **context,
            "language": translation.get_language() or "nl",
            "made_on": timezone.localdate(),
            "chart_src": "data:image/svg+xml;base64,"
            + base64.b64encode(chart.encode("utf-8")).decode("ascii"),
        },
    )
    return tagged_pdf(html)
