"""Two filters at once (issue 14): the rollup stores the cells of every two filter dimensions, the dashboard,
the drill-down and the API take two filters (not three), small cells stay hidden in every figure a
difference could give them away from, and a figure that cannot be split by a filter says so.

The expected numbers are counted from the story each test tells, not from the formula."""

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meedoen.accounts.actions import do_issue_api_token
from meedoen.accounts.actor import Actor
from meedoen.audit.models import ProcessingLogSubject
from meedoen.budgets.tests.factories import ProjectFactory
from meedoen.catalogue.rules import add_months
from meedoen.municipalities.actions import do_ensure_vocabularies
from meedoen.municipalities.models import District, TargetGroup
from meedoen.municipalities.tests.factories import DistrictFactory
from meedoen.programmes import rollup
from meedoen.programmes.actions import do_ensure_indicators
from meedoen.programmes.models import Indicator, IndicatorValue, Programme, ProjectMember, ProjectProfile
from meedoen.programmes.tests.helpers import MARCH, TODAY, figures, rollup_cells, route, score
from meedoen.residents.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db
D = dt.date
THIS_MONTH = timezone.localdate().replace(day=1)
MONTH = f"{THIS_MONTH:%Y-%m}"
NAME = "Inwoners in het programma"
HIDDEN = f"{NAME} in {MONTH}: minder dan 5 inwoners, daarom niet getoond."


def _statushouders(apeldoorn, user):
    """The project "Statushouders": every resident of the target group statushouder is in it."""
    do_ensure_vocabularies(apeldoorn)
    group = TargetGroup.objects.get(municipality=apeldoorn, code="statushouder")
    project = ProjectFactory(municipality=apeldoorn, name="Statushouders")
    programme = Programme.objects.create(
        municipality=apeldoorn,
        name="Meedoen",
        goal="Iedereen doet mee",
        starts_on=D(2025, 1, 1),
        updated_by=user,
    )
    profile = ProjectProfile.objects.create(
        project=project, programme=programme, owner="Ruud", goal="Werk", starts_on=D(2025, 1, 1)
    )
    profile.target_groups.set([group])
    do_ensure_indicators(apeldoorn)
    return project, group


def _resident(apeldoorn, user, *, district=None, group=None, closed=None, **kwargs):
    """A resident with a route open since 1 January 2025 (closed on ``closed``)."""
    resident = ResidentFactory(municipality=apeldoorn, district=district, **kwargs)
    if group is not None:
        resident.target_groups.add(group)
    route(resident, user, D(2025, 1, 1), closed=closed)
    return resident


# ------------------------------------------------------------------------------------------ the rollup


def test_the_rollup_counts_residents_in_a_project_and_a_district_at_once(apeldoorn, alice):
    user = alice.user
    project, statushouder = _statushouders(apeldoorn, user)
    maten = District.objects.get(municipality=apeldoorn, name="De Maten")
    zuid = DistrictFactory(municipality=apeldoorn, area="Zuid", name="Zuidbroek")
    # In the programme on 31 March: three statushouders in De Maten (bijstand), two in Zuidbroek (Wmo), one
    # without a district (bijstand); four others in De Maten (Wmo); one in Zuidbroek put in the project by
    # choice. Not counted: a statushouder in De Maten whose route closed in February.
    for _ in range(3):
        _resident(apeldoorn, user, district=maten, group=statushouder, work=True)
    for _ in range(2):
        _resident(apeldoorn, user, district=zuid, group=statushouder, care=True)
    _resident(apeldoorn, user, group=statushouder, work=True)
    for _ in range(4):
        _resident(apeldoorn, user, district=maten, care=True)
    chosen = _resident(apeldoorn, user, district=zuid, care=True)
    ProjectMember.objects.create(
        municipality=apeldoorn, project=project, resident=chosen, since=D(2026, 3, 1), added_by=user
    )
    _resident(apeldoorn, user, district=maten, group=statushouder, work=True, closed=D(2026, 2, 10))

    both = "project+wijk"
    assert figures(apeldoorn, "in-programma", dimension=both, key=f"{project.pk}|{maten.pk}") == (3, None)
    assert figures(apeldoorn, "in-programma", dimension=both, key=f"{project.pk}|{zuid.pk}") == (3, None)
    assert figures(apeldoorn, "in-programma", dimension="project", key=str(project.pk)) == (7, None)
    assert figures(apeldoorn, "in-programma", dimension="wijk", key=str(maten.pk)) == (7, None)
    # The statushouders (the group, not the project) in Zuidbroek: the two, not the one chosen.
    assert figures(
        apeldoorn, "in-programma", dimension="wijk+doelgroep", key=f"{zuid.pk}|{statushouder.pk}"
    ) == (
        2,
        None,
    )
    # The project with bijstand: three in De Maten and the one without a district; De Maten with Wmo: four.
    assert figures(
        apeldoorn, "in-programma", dimension="project+grondslag", key=f"{project.pk}|bijstand"
    ) == (
        4,
        None,
    )
    assert figures(
        apeldoorn, "in-programma", dimension="wijk+grondslag", key=f"{maten.pk}|wmo_begeleiding"
    ) == (
        4,
        None,
    )
    # Nobody has arbeidsmatige dagbesteding: no row; the pair is marked computed, so that is zero, not "—".
    assert (
        figures(
            apeldoorn, "in-programma", dimension="project+grondslag", key=f"{project.pk}|wmo_dagbesteding"
        )
        is None
    )
    assert figures(apeldoorn, "in-programma", dimension=both, key="") == (0, None)


def test_the_rollup_gives_a_share_of_residents_in_a_project_and_a_district_at_once(apeldoorn, alice):
    user = alice.user
    project, statushouder = _statushouders(apeldoorn, user)
    maten = District.objects.get(municipality=apeldoorn, name="De Maten")
    zuid = DistrictFactory(municipality=apeldoorn, area="Zuid", name="Zuidbroek")
    # A rung up within twelve months (to 31 March 2026), compared with the score of March 2025 or before.
    climbed = _resident(apeldoorn, user, district=maten, group=statushouder, work=True)
    score(climbed, 2, D(2025, 1, 10), user)
    score(climbed, 3, D(2026, 2, 1), user)
    same = _resident(apeldoorn, user, district=maten, group=statushouder, work=True)
    score(same, 3, D(2025, 1, 10), user)
    score(same, 3, D(2026, 2, 1), user)
    _resident(apeldoorn, user, district=maten, group=statushouder, work=True)  # no score: not in the share
    elsewhere = _resident(apeldoorn, user, district=zuid, group=statushouder, work=True)  # project, Zuidbroek
    score(elsewhere, 2, D(2025, 2, 1), user)
    score(elsewhere, 4, D(2026, 3, 5), user)
    outsider = _resident(apeldoorn, user, district=maten, work=True)  # De Maten, not the project
    score(outsider, 1, D(2025, 1, 1), user)
    score(outsider, 2, D(2026, 1, 1), user)

    key = f"{project.pk}|{maten.pk}"
    assert figures(apeldoorn, "trede-omhoog", dimension="project+wijk", key=key) == (
        1,
        2,
    )  # 1 of the 2 scored
    assert figures(apeldoorn, "trede-omhoog", dimension="project+wijk", key=f"{project.pk}|{zuid.pk}") == (
        1,
        1,
    )
    assert figures(apeldoorn, "trede-omhoog", dimension="project", key=str(project.pk)) == (2, 3)
    assert figures(apeldoorn, "trede-omhoog", dimension="wijk", key=str(maten.pk)) == (2, 3)
    assert figures(apeldoorn, "trede-omhoog") == (3, 4)


def test_a_month_closed_before_pairs_were_stored_gets_them_once_and_keeps_its_other_figures(apeldoorn, alice):
    user = alice.user
    project, statushouder = _statushouders(apeldoorn, user)
    maten = District.objects.get(municipality=apeldoorn, name="De Maten")
    for _ in range(6):
        _resident(apeldoorn, user, district=maten, group=statushouder, work=True)
    rollup.build_month(apeldoorn.pk, MARCH, today=TODAY)
    # As the rollup left a closed month before it stored cells of two filters at once.
    IndicatorValue.objects.filter(month=MARCH, dimension__contains="+").delete()
    before = set(IndicatorValue.objects.filter(month=MARCH).values_list("pk", "numerator"))
    assert rollup.months_lacking_pairs(apeldoorn.pk, [MARCH]) == [MARCH]

    assert rollup.build_month(apeldoorn.pk, MARCH, today=TODAY) > 0
    assert before <= set(IndicatorValue.objects.filter(month=MARCH).values_list("pk", "numerator"))
    cell = IndicatorValue.objects.get(
        indicator__code="in-programma", month=MARCH, dimension="project+wijk", key=f"{project.pk}|{maten.pk}"
    )
    assert (cell.numerator, cell.is_final) == (6, True)
    assert rollup.build_month(apeldoorn.pk, MARCH, today=TODAY) == 0  # final now: never again
    assert rollup.months_lacking_pairs(apeldoorn.pk, [MARCH]) == []


def test_the_nightly_rollup_fills_in_the_pairs_of_last_years_closed_months(apeldoorn, alice):
    user = alice.user
    project, statushouder = _statushouders(apeldoorn, user)
    maten = District.objects.get(municipality=apeldoorn, name="De Maten")
    for _ in range(5):
        _resident(apeldoorn, user, district=maten, group=statushouder, work=True)
    earlier = add_months(THIS_MONTH, -4)
    rollup.build_month(apeldoorn.pk, earlier, today=timezone.localdate())
    IndicatorValue.objects.filter(month=earlier, dimension__contains="+").delete()

    out = io.StringIO()
    call_command("rollup", municipality="apeldoorn", stdout=out)
    assert f"apeldoorn {earlier:%Y-%m}: " in out.getvalue()
    assert IndicatorValue.objects.filter(
        month=earlier, dimension="project+wijk", key=f"{project.pk}|{maten.pk}", numerator=5, is_final=True
    ).exists()


# ----------------------------------------------------------------------------------------- the dashboard


def _world(apeldoorn, alice, wendy):
    """This month, in the programme: Statushouders in De Maten 6 (two of them alice's), in Zuidbroek 5;
    others in De Maten 5, in Zuidbroek 5 (one of them alice's): 21. Every cell of the project and district
    table is five or more; then the month is rolled up."""
    project, statushouder = _statushouders(apeldoorn, alice.user)
    maten = District.objects.get(municipality=apeldoorn, name="De Maten")
    zuid = DistrictFactory(municipality=apeldoorn, area="Zuid", name="Zuidbroek")
    people: dict[str, list] = {"ours_both": [], "theirs_both": [], "ours_elsewhere": []}
    for index in range(6):
        ours = index < 2
        resident = _resident(
            apeldoorn,
            alice.user,
            district=maten,
            group=statushouder,
            work=True,
            caseworker_work=alice.user if ours else None,
            caseworker_care=None if ours else wendy.user,
        )
        people["ours_both" if ours else "theirs_both"].append(resident)
    for _ in range(5):
        _resident(
            apeldoorn, alice.user, district=zuid, group=statushouder, care=True, caseworker_care=wendy.user
        )
    for _ in range(5):
        _resident(apeldoorn, alice.user, district=maten, care=True, caseworker_care=wendy.user)
    people["ours_elsewhere"].append(
        _resident(apeldoorn, alice.user, district=zuid, work=True, caseworker_work=alice.user)
    )
    for _ in range(4):
        _resident(apeldoorn, alice.user, district=zuid, care=True, caseworker_care=wendy.user)
    rollup.build_month(apeldoorn.pk, THIS_MONTH, today=timezone.localdate())
    return project, maten, zuid, people


def test_the_dashboard_shows_a_project_and_a_district_at_once(apeldoorn, alice, wendy, pim, login_as):
    project, maten, _zuid, _people = _world(apeldoorn, alice, wendy)
    page = (
        login_as(pim)
        .get(reverse("programmes:dashboard"), {"project": str(project.pk), "wijk": str(maten.pk)})
        .content.decode()
    )
    assert f"Overzicht {MONTH} · Statushouders, Zuid · De Maten" in page
    assert f"{NAME} in {MONTH}: 6." in page
    assert "Kies niet meer dan twee filters" not in page


def test_three_filters_at_once_are_refused_at_the_third_field(apeldoorn, alice, wendy, pim, login_as):
    project, maten, _zuid, _people = _world(apeldoorn, alice, wendy)
    page = (
        login_as(pim)
        .get(
            reverse("programmes:dashboard"),
            {"project": str(project.pk), "wijk": str(maten.pk), "grondslag": "bijstand"},
        )
        .content.decode()
    )
    error = re.search(r'id="id_grondslag_error">(.*?)</div>', page, re.S)
    assert error and "Kies niet meer dan twee filters tegelijk" in error.group(1)
    assert 'id="id_wijk_error"' not in page and 'id="id_project_error"' not in page
    assert f"{NAME} in {MONTH}: 21." in page  # the whole programme, not a filter half applied


def _cells(apeldoorn):
    """Hand-built cells of this month (whole 100): projects P 40, Q 45, R 30; districts De Maten 30, Zuidbroek
    35, Orden 25 and Klein 3; the pairs of project and district marked computed."""
    do_ensure_indicators(apeldoorn)
    indicator = Indicator.objects.get(municipality=apeldoorn, code="in-programma")
    p, q, r = (ProjectFactory(municipality=apeldoorn, name=name) for name in ("P", "Q", "R"))
    maten = District.objects.get(municipality=apeldoorn, name="De Maten")
    zuid = DistrictFactory(municipality=apeldoorn, area="Zuid", name="Zuidbroek")
    orden = DistrictFactory(municipality=apeldoorn, area="Noord", name="Orden")
    klein = DistrictFactory(municipality=apeldoorn, area="Noord", name="Klein")
    both = "project+wijk"
    rows = {("", ""): 100, (both, ""): 0}
    rows |= {("project", str(x.pk)): n for x, n in ((p, 40), (q, 45), (r, 30))}
    rows |= {("wijk", str(x.pk)): n for x, n in ((maten, 30), (zuid, 35), (orden, 25), (klein, 3))}
    for project, district, n in (
        (p, maten, 20), (p, zuid, 12), (p, orden, 8),
        (q, maten, 7), (q, zuid, 31),
        (r, maten, 3), (r, zuid, 10), (r, orden, 17),
    ):  # fmt: skip
        rows[(both, f"{project.pk}|{district.pk}")] = n
    rollup_cells(indicator, THIS_MONTH, rows)
    return {"P": p, "Q": q, "R": r}, {"maten": maten, "zuid": zuid, "orden": orden, "klein": klein}


@pytest.mark.parametrize(
    ("project", "district", "shown"),
    [
        ("P", "maten", "20"),  # in P only 20, in De Maten only 10, in neither 50: all five or more
        ("P", "zuid", "12"),
        ("Q", "zuid", None),  # 31 of Zuidbroek's 35 are in Q: Zuidbroek minus Q and Zuidbroek gives 4
        ("R", "maten", None),  # three
        ("R", "zuid", None),  # R's 30 = 3 + 10 + 17: the three's smallest neighbour on R's line
        ("R", "orden", None),  # 17 would do, but Orden itself is hidden (Klein's 3 takes Orden with it)
        ("Q", "maten", None),  # De Maten's line 20, 7, 3: the three takes the seven with it
    ],
)
def test_two_filters_never_show_a_figure_a_difference_would_give_a_small_group_away_from(
    apeldoorn, pim, login_as, project, district, shown
):
    projects, districts = _cells(apeldoorn)
    page = (
        login_as(pim)
        .get(
            reverse("programmes:dashboard"),
            {"project": str(projects[project].pk), "wijk": str(districts[district].pk)},
        )
        .content.decode()
    )
    if shown is None:
        assert HIDDEN in page
    else:
        assert f"{NAME} in {MONTH}: {shown}." in page


def test_a_month_without_cells_of_two_filters_is_not_computed_yet_rather_than_zero(apeldoorn, pim, login_as):
    do_ensure_indicators(apeldoorn)
    indicator = Indicator.objects.get(municipality=apeldoorn, code="in-programma")
    project = ProjectFactory(municipality=apeldoorn)
    maten = District.objects.get(municipality=apeldoorn, name="De Maten")
    # A month closed before the rollup stored pairs: the whole and each filter alone, no pairs, no mark.
    rollup_cells(
        indicator, THIS_MONTH, {("", ""): 60, ("project", str(project.pk)): 30, ("wijk", str(maten.pk)): 20}
    )
    page = (
        login_as(pim)
        .get(reverse("programmes:dashboard"), {"project": str(project.pk), "wijk": str(maten.pk)})
        .content.decode()
    )
    assert f"{NAME}: voor {MONTH} is nog niets berekend." in page
    assert f"{NAME} in {MONTH}: 0." not in page


def test_a_money_figure_says_it_cannot_be_split_by_district_and_shows_no_figure(apeldoorn, pim, login_as):
    projects, districts = _cells(apeldoorn)
    budget = Indicator.objects.get(municipality=apeldoorn, code="budgetgebruik")
    rollup_cells(budget, THIS_MONTH, {("", ""): 100, ("project", str(projects["P"].pk)): 20})
    client = login_as(pim)
    page = client.get(
        reverse("programmes:dashboard"),
        {"project": str(projects["P"].pk), "wijk": str(districts["maten"].pk)},
    ).content.decode()
    assert "Budget gebruikt: Dit cijfer is niet te splitsen naar wijk." in page
    page = client.get(reverse("programmes:dashboard"), {"wijk": str(districts["maten"].pk)}).content.decode()
    assert "Budget gebruikt: Dit cijfer is niet te splitsen naar wijk." in page  # one filter: the same
    page = client.get(reverse("programmes:dashboard"), {"project": str(projects["P"].pk)}).content.decode()
    assert "niet te splitsen" not in page and f"Budget gebruikt in {MONTH}: " in page


# ---------------------------------------------------------------------------------------- the drill-down


def test_a_caseworker_sees_their_own_residents_in_both_filters_and_the_read_is_logged(
    apeldoorn, alice, wendy, login_as
):
    project, maten, _zuid, people = _world(apeldoorn, alice, wendy)
    client = login_as(alice)
    filters = {"project": str(project.pk), "wijk": str(maten.pk)}
    board = client.get(reverse("programmes:dashboard"), filters).content.decode()
    indicator = Indicator.objects.get(municipality=apeldoorn, code="in-programma")
    url = reverse("programmes:behind", args=[indicator.pk])
    assert f"{url}?maand={MONTH}&amp;project={project.pk}&amp;wijk={maten.pk}" in board
    page = client.get(url, {"maand": MONTH, **filters}).content.decode()
    shown = {r.pk for r in people["ours_both"] if reverse("residents:detail", args=[r.pk]) in page}
    assert shown == {r.pk for r in people["ours_both"]}
    others = (
        people["theirs_both"] + people["ours_elsewhere"]
    )  # a colleague's; and alice's outside the project
    assert not any(reverse("residents:detail", args=[r.pk]) in page for r in others)
    assert "Filter: Statushouders, Zuid · De Maten." in page
    assert set(ProcessingLogSubject.objects.values_list("resident_id", flat=True)) == shown


def test_the_drill_down_refuses_three_filters_and_a_key_of_another_municipality(
    apeldoorn, epe, alice, wendy, login_as
):
    project, maten, _zuid, _people = _world(apeldoorn, alice, wendy)
    indicator = Indicator.objects.get(municipality=apeldoorn, code="in-programma")
    url = reverse("programmes:behind", args=[indicator.pk])
    client = login_as(alice)
    three = {"maand": MONTH, "project": str(project.pk), "wijk": str(maten.pk), "grondslag": "bijstand"}
    assert client.get(url, three).status_code == 404
    vaassen = District.objects.get(municipality=epe)
    assert (
        client.get(url, {"maand": MONTH, "project": str(project.pk), "wijk": str(vaassen.pk)}).status_code
        == 404
    )
    assert not ProcessingLogSubject.objects.exists()


# ------------------------------------------------------------------------------------------------ the API


def bearer(membership) -> Client:
    issued = do_issue_api_token(name="rapportage", actor=Actor(membership.user, membership, "test"))
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.key}")


def _main(data):
    return next(r for r in data["indicators"] if r["code"] == "in-programma")


def test_the_api_takes_two_filters_and_hides_what_the_dashboard_hides(apeldoorn, pim):
    projects, districts = _cells(apeldoorn)
    client = bearer(pim)
    url = reverse("api:indicator-list")
    p, maten = str(projects["P"].pk), str(districts["maten"].pk)
    data = client.get(url, {"period": MONTH, "project": p, "wijk": maten}).json()
    assert data["filter"] == {
        "dimension": "project+wijk",
        "key": f"{p}|{maten}",
        "label": "P, Zuid · De Maten",
    }
    assert [f["dimension"] for f in data["filters"]] == ["project", "wijk"]
    assert _main(data)["value"] == "20.00"
    budget = next(r for r in data["indicators"] if r["code"] == "budgetgebruik")
    assert (budget["value"], budget["note"]) == (None, "Dit cijfer is niet te splitsen naar wijk.")
    # The one filter of old (dimension and key) with a second one named.
    data = client.get(
        url,
        {
            "period": MONTH,
            "dimension": "project",
            "key": str(projects["Q"].pk),
            "wijk": str(districts["zuid"].pk),
        },
    ).json()
    assert (_main(data)["value"], _main(data)["suppressed"]) == (None, True)


def test_the_api_refuses_three_filters_one_filter_twice_and_another_municipalitys_key(apeldoorn, epe, pim):
    projects, districts = _cells(apeldoorn)
    client = bearer(pim)
    url = reverse("api:indicator-list")
    p, maten = str(projects["P"].pk), str(districts["maten"].pk)
    response = client.get(url, {"project": p, "wijk": maten, "grondslag": "bijstand"})
    assert response.status_code == 400
    assert [e["name"] for e in response.json()["invalidParams"]] == ["grondslag"]
    response = client.get(url, {"dimension": "wijk", "key": maten, "wijk": maten})
    assert [e["name"] for e in response.json()["invalidParams"]] == ["dimension"]
    vaassen = District.objects.get(municipality=epe)
    response = client.get(url, {"project": p, "wijk": str(vaassen.pk)})
    assert response.status_code == 400
    assert [e["name"] for e in response.json()["invalidParams"]] == ["wijk"]
    assert "Vaassen" not in response.content.decode()


def test_a_provider_may_not_read_the_indicators_with_two_filters(apeldoorn, paula):
    response = bearer(paula).get(reverse("api:indicator-list"), {"project": "x", "wijk": "y"})
    assert response.status_code == 403
