"""The programme manager describes the programme and its projects; the dashboard shows the indicators with
small cells hidden; a functioneel beheerder adds an indicator; a caseworker sees only their own residents
behind a figure; another municipality gets 404 and a wrong role 403."""

import datetime as dt
import io
import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from meedoen.accounts.policies import Role
from meedoen.accounts.tests.factories import MembershipFactory
from meedoen.audit.models import ProcessingLogSubject
from meedoen.budgets.tests.factories import ProjectFactory
from meedoen.municipalities.actions import do_ensure_vocabularies
from meedoen.municipalities.models import District, TargetGroup
from meedoen.municipalities.tests.factories import DistrictFactory
from meedoen.programmes import rollup
from meedoen.programmes.actions import do_ensure_indicators
from meedoen.programmes.models import (
    Indicator,
    IndicatorValue,
    Programme,
    ProjectMember,
    ProjectProfile,
    Target,
    TeamMember,
)
from meedoen.programmes.tests.helpers import rollup_cells, route
from meedoen.residents.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db
D = dt.date
THIS_MONTH = timezone.localdate().replace(day=1)


def _programme(municipality, user):
    programme = Programme.objects.create(
        municipality=municipality,
        name="Meedoen",
        goal="Iedereen doet mee",
        starts_on=D(2026, 1, 1),
        updated_by=user,
    )
    do_ensure_indicators(municipality)
    return programme


def _world(apeldoorn, alice, wendy, *, in_maten: int, elsewhere: int):
    """Residents with an open route this month: ``in_maten`` in De Maten (alice's caseload), the others
    elsewhere (wendy's caseload); then the month rolled up."""
    maten = District.objects.get(municipality=apeldoorn, name="De Maten")
    ours = []
    for _ in range(in_maten):
        resident = ResidentFactory(
            municipality=apeldoorn, work=True, district=maten, caseworker_work=alice.user
        )
        route(resident, alice.user, D(2025, 1, 1))
        ours.append(resident)
    theirs = []
    for _ in range(elsewhere):
        resident = ResidentFactory(municipality=apeldoorn, care=True, caseworker_care=wendy.user)
        route(resident, alice.user, D(2025, 1, 1))
        theirs.append(resident)
    rollup.build_month(apeldoorn.pk, THIS_MONTH, today=timezone.localdate())
    return maten, ours, theirs


# ------------------------------------------------------------------------------ programme and projects


def test_the_programme_manager_describes_the_programme_team_and_a_project_with_optional_fields_empty(
    apeldoorn, pim, login_as
):
    client = login_as(pim)
    response = client.post(
        reverse("programmes:programme-edit"),
        {"name": "Meedoen Apeldoorn", "goal": "Iedereen doet mee naar vermogen", "starts_on": "2026-01-01"},
    )
    assert response.status_code == 302
    programme = Programme.objects.get(municipality=apeldoorn)
    assert programme.ends_on is None
    assert Indicator.objects.filter(municipality=apeldoorn).count() == 12  # the default set comes with it
    client.post(reverse("programmes:team-add"), {"name": "Hasan Yilmaz", "department": "Wmo"})
    assert TeamMember.objects.get(programme=programme).task == ""
    project = ProjectFactory(municipality=apeldoorn, name="Re-integratie 45+")
    response = client.post(
        reverse("programmes:project-describe", args=[project.pk]),
        {"owner": "Ruud van Dam", "goal": "45-plussers aan het werk", "starts_on": "2026-01-01"},
    )
    assert response.status_code == 302
    page = client.get(reverse("programmes:programme")).content.decode()
    assert "Meedoen Apeldoorn" in page and "Hasan Yilmaz" in page and "Ruud van Dam" in page


def test_a_project_period_that_ends_before_it_starts_is_refused_at_the_field_and_nothing_is_saved(
    apeldoorn, pim, login_as
):
    _programme(apeldoorn, pim.user)
    project = ProjectFactory(municipality=apeldoorn)
    response = login_as(pim).post(
        reverse("programmes:project-describe", args=[project.pk]),
        {"owner": "Ruud", "goal": "Werk", "starts_on": "2026-05-01", "ends_on": "2026-01-01"},
    )
    assert response.status_code == 200
    assert "De einddatum ligt voor de begindatum." in response.content.decode()
    assert not ProjectProfile.objects.exists()


def test_the_project_describes_its_target_groups_and_they_count_residents_in(apeldoorn, pim, alice, login_as):
    do_ensure_vocabularies(apeldoorn)
    _programme(apeldoorn, pim.user)
    group = TargetGroup.objects.get(municipality=apeldoorn, code="45-plus")
    project = ProjectFactory(municipality=apeldoorn)
    login_as(pim).post(
        reverse("programmes:project-describe", args=[project.pk]),
        {"owner": "Ruud", "goal": "Werk", "starts_on": "2026-01-01", "target_groups": [str(group.pk)]},
    )
    assert list(ProjectProfile.objects.get(project=project).target_groups.all()) == [group]


def test_another_municipality_gets_404_and_a_caseworker_403_on_describing(
    apeldoorn, epe, alice, pim, login_as
):
    _programme(apeldoorn, pim.user)
    project = ProjectFactory(municipality=apeldoorn)
    url = reverse("programmes:project-describe", args=[project.pk])
    epe_manager = MembershipFactory(municipality=epe, role=Role.PROGRAMME_MANAGER)
    assert (
        login_as(epe_manager).post(url, {"owner": "X", "goal": "X", "starts_on": "2026-01-01"}).status_code
        == 404
    )
    assert login_as(alice).get(url).status_code == 403
    assert login_as(alice).get(reverse("programmes:programme-edit")).status_code == 403
    assert not ProjectProfile.objects.exists()


# ------------------------------------------------------------------------------------------ dashboard


def test_the_dashboard_shows_each_indicator_with_a_chart_spec_a_table_and_a_summary(
    apeldoorn, alice, wendy, pim, login_as
):
    _programme(apeldoorn, pim.user)
    _world(apeldoorn, alice, wendy, in_maten=6, elsewhere=6)
    page = login_as(pim).get(reverse("programmes:dashboard")).content.decode()
    assert "Inwoners in het programma" in page
    assert f"Inwoners in het programma in {THIS_MONTH:%Y-%m}: 12." in page
    assert 'data-chart="spec-0"' in page and '<script id="spec-0" type="application/json">' in page
    assert "Inwoners in het programma per maand" in page  # the table alternative's caption
    assert "vega-embed.min.js" in page


def test_a_small_cell_and_the_cell_its_complement_would_reveal_are_shown_as_less_than_five(
    apeldoorn, alice, wendy, pim, login_as
):
    _programme(apeldoorn, pim.user)
    maten, _ours, _theirs = _world(apeldoorn, alice, wendy, in_maten=6, elsewhere=2)
    client = login_as(pim)
    whole = client.get(reverse("programmes:dashboard")).content.decode()
    assert f"Inwoners in het programma in {THIS_MONTH:%Y-%m}: 8." in whole  # the whole programme is shown
    # De Maten has six, but the whole minus De Maten would be the two outside it.
    filtered = client.get(reverse("programmes:dashboard"), {"wijk": str(maten.pk)}).content.decode()
    assert "minder dan 5 inwoners, daarom niet getoond" in filtered
    assert ": 6." not in filtered


def test_a_lonely_small_cell_in_a_breakdown_hides_its_smallest_neighbour_too(apeldoorn, pim, login_as):
    _programme(apeldoorn, pim.user)
    indicator = Indicator.objects.get(municipality=apeldoorn, code="in-programma")
    rollup_cells(
        indicator,
        THIS_MONTH,
        {("", ""): 45, ("fase", "kennismaken"): 3, ("fase", "verkennen"): 12, ("fase", "leerwerken"): 30},
    )
    page = login_as(pim).get(reverse("programmes:dashboard")).content.decode()
    start = page.index("per fase</caption>")
    table = page[start : page.index("</table>", start)]
    cells = re.findall(r'utrecht-table__cell--numeric">([^<]*)</td>', table)
    # Twelve beside the three: the total minus the other two would give the three away.
    assert cells == ["&lt;5", "&lt;5", "30"]


def test_a_filter_never_shows_a_district_its_breakdown_hides(apeldoorn, pim, login_as):
    """De Maten has six and Zuid twenty of 29; one filter after the other would give the three of the
    third district (29 - 6 - 20), so De Maten is hidden as its breakdown hides it."""
    _programme(apeldoorn, pim.user)
    maten = District.objects.get(municipality=apeldoorn, name="De Maten")
    zuid = DistrictFactory(municipality=apeldoorn, area="Zuid", name="Zuidbroek")
    third = DistrictFactory(municipality=apeldoorn, area="Noord", name="Orden")
    indicator = Indicator.objects.get(municipality=apeldoorn, code="in-programma")
    rollup_cells(
        indicator,
        THIS_MONTH,
        {("", ""): 29, ("wijk", str(maten.pk)): 6, ("wijk", str(zuid.pk)): 20, ("wijk", str(third.pk)): 3},
    )
    client = login_as(pim)
    name = "Inwoners in het programma"
    month = f"{THIS_MONTH:%Y-%m}"
    page = client.get(reverse("programmes:dashboard"), {"wijk": str(maten.pk)}).content.decode()
    assert f"{name} in {month}: minder dan 5 inwoners, daarom niet getoond." in page
    page = client.get(reverse("programmes:dashboard"), {"wijk": str(zuid.pk)}).content.decode()
    assert f"{name} in {month}: 20." in page


def test_a_quarter_is_hidden_when_one_of_its_months_is(apeldoorn, pim, login_as):
    """Three in July, ten in August, twelve in September: the quarter's 25 minus the months shown would give
    July's three, so the quarter is hidden on the dashboard and on the command line."""
    _programme(apeldoorn, pim.user)
    indicator = Indicator.objects.get(municipality=apeldoorn, code="uitstroom-werk")
    for month, count in ((D(2026, 7, 1), 3), (D(2026, 8, 1), 10), (D(2026, 9, 1), 12)):
        rollup_cells(indicator, month, {("", ""): count})
    page = login_as(pim).get(reverse("programmes:dashboard"), {"periode": "2026-Q3"}).content.decode()
    assert "in 2026-Q3: minder dan 5 inwoners, daarom niet getoond." in page
    assert "in 2026-Q3: 25." not in page
    out = io.StringIO()
    call_command("indicators", municipality="apeldoorn", period="2026-Q3", json=True, stdout=out)
    row = next(r for r in json.loads(out.getvalue())["indicators"] if r["code"] == "uitstroom-werk")
    assert (row["value"], row["suppressed"]) == (None, True)
    out = io.StringIO()
    call_command("indicators", municipality="apeldoorn", period="2026-09", json=True, stdout=out)
    row = next(r for r in json.loads(out.getvalue())["indicators"] if r["code"] == "uitstroom-werk")
    assert (row["value"], row["suppressed"]) == ("12", False)


def test_a_filter_key_of_another_municipality_is_not_accepted(apeldoorn, epe, alice, wendy, pim, login_as):
    _programme(apeldoorn, pim.user)
    _world(apeldoorn, alice, wendy, in_maten=5, elsewhere=5)
    vaassen = District.objects.get(municipality=epe)
    page = login_as(pim).get(reverse("programmes:dashboard"), {"wijk": str(vaassen.pk)}).content.decode()
    assert "Vaassen" not in page
    assert "Selecteer een geldige keuze" in page or "geldige" in page


def test_a_resident_and_a_provider_cannot_open_the_dashboard(apeldoorn, rita, paula, login_as):
    assert login_as(rita).get(reverse("programmes:dashboard")).status_code == 403
    assert login_as(paula).get(reverse("programmes:dashboard")).status_code == 403


# ------------------------------------------------------------------------------------------ indicators


def test_a_functioneel_beheerder_adds_an_indicator_from_the_building_blocks(apeldoorn, ada, pim, login_as):
    _programme(apeldoorn, pim.user)
    client = login_as(ada)
    form = {
        "name": "Naar leerwerken",
        "code": "naar-leerwerken",
        "how_computed": "Inwoners die in de maand naar leerwerken gingen.",
        "measure": "stap_naar_fase",
        "unit": "inwoners",
        "higher_is_better": "1",
    }
    response = client.post(reverse("programmes:indicator-add"), form)
    assert response.status_code == 200
    assert "Deze bouwsteen heeft dit nodig." in response.content.decode()  # at the phase field
    assert not Indicator.objects.filter(code="naar-leerwerken").exists()
    response = client.post(
        reverse("programmes:indicator-add"), {**form, "phase": "leerwerken", "months": "6"}
    )
    assert "Deze bouwsteen gebruikt dit niet. Laat het leeg." in response.content.decode()
    response = client.post(reverse("programmes:indicator-add"), {**form, "phase": "leerwerken"})
    assert response.status_code == 302
    indicator = Indicator.objects.get(municipality=apeldoorn, code="naar-leerwerken")
    assert (indicator.measure, indicator.phase) == ("stap_naar_fase", "leerwerken")
    assert "Naar leerwerken" in client.get(reverse("programmes:indicators")).content.decode()


def test_only_the_functioneel_beheerder_adds_indicators(apeldoorn, pim, alice, login_as):
    assert login_as(pim).get(reverse("programmes:indicator-add")).status_code == 403
    assert login_as(alice).get(reverse("programmes:indicator-add")).status_code == 403


def test_a_target_is_set_per_month_and_shown_against_the_value(apeldoorn, ada, alice, wendy, pim, login_as):
    _programme(apeldoorn, pim.user)
    _world(apeldoorn, alice, wendy, in_maten=6, elsewhere=6)
    indicator = Indicator.objects.get(municipality=apeldoorn, code="in-programma")
    response = login_as(ada).post(
        reverse("programmes:target", args=[indicator.pk]),
        {"value": "10", "starts_on": f"{THIS_MONTH.year}-01-01", "ends_on": f"{THIS_MONTH.year}-12-01"},
    )
    assert response.status_code == 302
    page = login_as(pim).get(reverse("programmes:dashboard")).content.decode()
    assert "De streefwaarde van 10 is gehaald." in page
    # The target counts the whole programme: a part of it (one legal basis) is not held against it.
    basis = re.search(r'name="grondslag"[^>]*>.*?<option value="([^"]+)"', page, re.S)
    assert basis, "the legal basis filter offers a choice"
    part = login_as(pim).get(reverse("programmes:dashboard"), {"grondslag": basis[1]}).content.decode()
    assert "De streefwaarde van 10" not in part
    shown = r"Inwoners in het programma</a></th>\s*<td[^>]*>(\d+)</td>\s*<td[^>]*>—</td>"
    assert re.search(shown, part), part  # a figure, and no target beside it
    assert "Een streefwaarde voor een aantal inwoners geldt voor het hele programma." in part


def test_the_indicator_list_reads_the_targets_of_all_indicators_at_once(
    apeldoorn, pim, login_as, django_assert_max_num_queries
):
    _programme(apeldoorn, pim.user)
    client = login_as(pim)
    client.get(reverse("programmes:indicators"))  # the session and the membership are read once
    for indicator in Indicator.objects.filter(municipality=apeldoorn):
        Target.objects.create(indicator=indicator, starts_on=D(2026, 1, 1), ends_on=D(2026, 12, 1), value=7)
    with django_assert_max_num_queries(12):  # not one query per indicator (there are twelve)
        page = client.get(reverse("programmes:indicators")).content.decode()
    assert page.count("01-2026 – 12-2026: ") == 12


def test_a_closed_month_keeps_its_figures_and_the_open_month_is_computed_again(apeldoorn, alice):
    do_ensure_indicators(apeldoorn)
    for _ in range(6):
        route(ResidentFactory(municipality=apeldoorn, work=True), alice.user, D(2026, 1, 1))
    rollup.build_month(apeldoorn.pk, D(2026, 3, 1), today=D(2026, 6, 1))  # closed: final
    rollup.build_month(apeldoorn.pk, D(2026, 6, 1), today=D(2026, 6, 1))  # open
    for _ in range(3):
        route(ResidentFactory(municipality=apeldoorn, work=True), alice.user, D(2026, 2, 1))
    assert rollup.build_month(apeldoorn.pk, D(2026, 3, 1), today=D(2026, 6, 2)) == 0
    rollup.build_month(apeldoorn.pk, D(2026, 6, 1), today=D(2026, 6, 2))
    indicator = Indicator.objects.get(municipality=apeldoorn, code="in-programma")
    march = IndicatorValue.objects.get(indicator=indicator, month=D(2026, 3, 1), dimension="")
    june = IndicatorValue.objects.get(indicator=indicator, month=D(2026, 6, 1), dimension="")
    assert (march.numerator, march.is_final) == (6, True)
    assert (june.numerator, june.is_final) == (9, False)


def test_the_programme_manager_queues_a_refresh_and_the_job_computes_the_month(
    apeldoorn, alice, pim, login_as, django_capture_on_commit_callbacks
):
    _programme(apeldoorn, pim.user)
    route(ResidentFactory(municipality=apeldoorn, work=True), alice.user, D(2025, 1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        response = login_as(pim).post(reverse("programmes:rollup"), {"month": f"{THIS_MONTH:%Y-%m}"})
    assert response.status_code == 302
    assert IndicatorValue.objects.filter(municipality=apeldoorn, month=THIS_MONTH).exists()
    assert "Klaar" in login_as(pim).get(reverse("programmes:indicators")).content.decode()


# ------------------------------------------------------------------------------------------ drill-down


def test_a_caseworker_sees_only_their_own_residents_behind_a_figure_and_the_read_is_logged(
    apeldoorn, alice, wendy, pim, login_as
):
    _programme(apeldoorn, pim.user)
    _maten, ours, theirs = _world(apeldoorn, alice, wendy, in_maten=5, elsewhere=5)
    indicator = Indicator.objects.get(municipality=apeldoorn, code="in-programma")
    url = reverse("programmes:behind", args=[indicator.pk])
    page = login_as(alice).get(url, {"maand": f"{THIS_MONTH:%Y-%m}"}).content.decode()
    # By the link to each file: a family name may also stand elsewhere on the page.
    assert all(reverse("residents:detail", args=[r.pk]) in page for r in ours)
    assert not any(reverse("residents:detail", args=[r.pk]) in page for r in theirs)
    logged = set(ProcessingLogSubject.objects.values_list("resident_id", flat=True))
    assert logged == {r.pk for r in ours}


def test_the_programme_manager_cannot_list_residents_and_another_municipality_gets_404(
    apeldoorn, epe, alice, wendy, pim, charlie, login_as
):
    _programme(apeldoorn, pim.user)
    _world(apeldoorn, alice, wendy, in_maten=5, elsewhere=5)
    indicator = Indicator.objects.get(municipality=apeldoorn, code="in-programma")
    url = reverse("programmes:behind", args=[indicator.pk])
    assert login_as(pim).get(url, {"maand": f"{THIS_MONTH:%Y-%m}"}).status_code == 403
    assert login_as(charlie).get(url, {"maand": f"{THIS_MONTH:%Y-%m}"}).status_code == 404
    assert not ProcessingLogSubject.objects.exists()


def test_a_caseworker_puts_their_resident_in_a_project_by_choice_once(
    apeldoorn, epe, alice, charlie, ruben, login_as
):
    project = ProjectFactory(municipality=apeldoorn, name="Regelluwe bijstand")
    url = reverse("programmes:resident-projects", args=[ruben.pk])
    client = login_as(alice)
    response = client.post(url, {"project": str(project.pk), "since": "2026-03-01"})
    assert response.status_code == 302
    member = ProjectMember.objects.get(resident=ruben)
    assert (member.project, member.reason) == (project, "")
    again = client.post(url, {"project": str(project.pk), "since": "2026-04-01"})
    assert "Deze inwoner doet al mee aan dit project." in again.content.decode()
    assert ProjectMember.objects.count() == 1
    assert login_as(charlie).get(url).status_code == 404


# ---------------------------------------------------------------------------------------- command line


def test_the_command_prints_every_indicator_with_value_target_and_suppressed_flag(
    apeldoorn, alice, wendy, pim
):
    _programme(apeldoorn, pim.user)
    _world(apeldoorn, alice, wendy, in_maten=6, elsewhere=0)
    out = io.StringIO()
    call_command("indicators", municipality="apeldoorn", period=f"{THIS_MONTH:%Y-%m}", json=True, stdout=out)
    report = json.loads(out.getvalue())
    by_code = {row["code"]: row for row in report["indicators"]}
    assert len(by_code) == 12
    assert by_code["in-programma"] == {
        "code": "in-programma",
        "name": "Inwoners in het programma",
        "unit": "inwoners",
        "value": "6",
        "target": None,
        "suppressed": False,
    }
    assert by_code["uitstroom-werk"]["value"] == "0" and not by_code["uitstroom-werk"]["suppressed"]
    quarter = f"{THIS_MONTH.year}-Q{(THIS_MONTH.month - 1) // 3 + 1}"
    out = io.StringIO()
    call_command("indicators", municipality="apeldoorn", period=quarter, json=True, stdout=out)
    assert json.loads(out.getvalue())["period"] == quarter


def test_the_command_hides_a_count_under_five(apeldoorn, alice, wendy, pim):
    _programme(apeldoorn, pim.user)
    _world(apeldoorn, alice, wendy, in_maten=3, elsewhere=0)
    out = io.StringIO()
    call_command("indicators", municipality="apeldoorn", period=f"{THIS_MONTH:%Y-%m}", json=True, stdout=out)
    row = next(r for r in json.loads(out.getvalue())["indicators"] if r["code"] == "in-programma")
    assert (row["value"], row["suppressed"]) == (None, True)
