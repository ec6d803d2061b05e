"""The indicators over the API: the dashboard's figures with the same small cells hidden, for the roles that
see the dashboard; bad parameters are named in Dutch."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from meedoen.accounts.actions import do_issue_api_token
from meedoen.accounts.actor import Actor
from meedoen.municipalities.models import District
from meedoen.municipalities.tests.factories import DistrictFactory
from meedoen.programmes.actions import do_ensure_indicators
from meedoen.programmes.models import Indicator
from meedoen.programmes.tests.helpers import rollup_cells

pytestmark = pytest.mark.django_db
JULY = dt.date(2026, 7, 1)


def bearer(membership) -> Client:
    issued = do_issue_api_token(name="rapportage", actor=Actor(membership.user, membership, "test"))
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.key}")


def test_the_programme_manager_gets_every_indicator_with_value_target_and_months(apeldoorn, pim):
    do_ensure_indicators(apeldoorn)
    indicator = Indicator.objects.get(municipality=apeldoorn, code="in-programma")
    rollup_cells(indicator, JULY, {("", ""): 40})
    response = bearer(pim).get(reverse("api:indicator-list"), {"period": "2026-07"})
    assert response.status_code == 200
    data = response.json()
    assert data["period"] == "2026-07" and data["filter"] is None
    rows = {row["code"]: row for row in data["indicators"]}
    assert len(rows) == 12
    main = rows["in-programma"]
    assert (main["value"], main["suppressed"], main["computed"]) == ("40.00", False, True)
    assert main["name"] == "Inwoners in het programma" and main["unit"] == "inwoners"
    assert main["months"][-1] == {"label": "2026-07", "value": "40.00", "suppressed": False, "computed": True}
    assert rows["uitstroom-werk"]["computed"] is False and rows["uitstroom-werk"]["value"] is None


def test_a_filter_hides_what_the_dashboard_hides(apeldoorn, pim):
    do_ensure_indicators(apeldoorn)
    indicator = Indicator.objects.get(municipality=apeldoorn, code="in-programma")
    maten = District.objects.get(municipality=apeldoorn, name="De Maten")
    zuid = DistrictFactory(municipality=apeldoorn, area="Zuid", name="Zuidbroek")
    orden = DistrictFactory(municipality=apeldoorn, area="Noord", name="Orden")
    rollup_cells(indicator, JULY, {("", ""): 29})
    for district, count in ((maten, 6), (zuid, 20), (orden, 3)):
        rollup_cells(indicator, JULY, {("wijk", str(district.pk)): count})
    client = bearer(pim)
    shown = client.get(
        reverse("api:indicator-list"), {"period": "2026-07", "dimension": "wijk", "key": str(zuid.pk)}
    ).json()
    row = next(r for r in shown["indicators"] if r["code"] == "in-programma")
    assert shown["filter"]["label"] == "Zuid · Zuidbroek" and row["value"] == "20.00"
    hidden = client.get(
        reverse("api:indicator-list"), {"period": "2026-07", "dimension": "wijk", "key": str(maten.pk)}
    ).json()
    row = next(r for r in hidden["indicators"] if r["code"] == "in-programma")
    assert (row["value"], row["suppressed"]) == (None, True)  # else 29 - 20 - 6 gives Orden's three


def test_bad_parameters_are_named_in_dutch(apeldoorn, epe, pim):
    do_ensure_indicators(apeldoorn)
    client = bearer(pim)
    response = client.get(reverse("api:indicator-list"), {"period": "juli"})
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParams"]] == ["period"]
    response = client.get(reverse("api:indicator-list"), {"dimension": "wijk"})
    assert [p["name"] for p in response.json()["invalidParams"]] == ["key"]
    vaassen = District.objects.get(municipality=epe)
    response = client.get(reverse("api:indicator-list"), {"dimension": "wijk", "key": str(vaassen.pk)})
    assert response.status_code == 400
    assert "Vaassen" not in response.content.decode()


def test_a_provider_may_not_read_the_indicators(apeldoorn, paula):
    assert bearer(paula).get(reverse("api:indicator-list")).status_code == 403
