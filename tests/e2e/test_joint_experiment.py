"""A joint experiment in Chromium at 360 and 1280 px: Apeldoorn's programme manager invites Epe on the
experiment page, Epe's programme manager opens the invitation and joins, Apeldoorn freezes the design; Epe's
manager then sees the experiment page (own flow, shared counts) and the shared analysis (pooled, per
municipality, a small municipality as "<5"). No sideways scrolling, no serious axe-core problem, no name."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page

from meedoen.accounts.policies import Role
from meedoen.accounts.tests.factories import MembershipFactory, TOTPDeviceFactory
from meedoen.experiments.models import Partner
from meedoen.experiments.tests.factories import make_experiment
from meedoen.experiments.tests.test_joint import TWO_ARMS, _joint, _measured_world
from meedoen.municipalities.tests.factories import MunicipalityFactory

from .test_accessibility import log_in_as
from .test_commitment_screens import check
from .test_experiment_screens import _assigned_arms_survive_flush  # noqa: F401 - the flush of arms

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("MEEDOEN_SCREENSHOTS", "")


@pytest.fixture
def world(apeldoorn, epe, pim, alice, charlie):
    erik = MembershipFactory(municipality=epe, role=Role.PROGRAMME_MANAGER, user__username="erik")
    oss = MunicipalityFactory(name="Oss", slug="oss", cbs_code="0828")
    olga = MembershipFactory(municipality=oss, role=Role.PROGRAMME_MANAGER, user__username="olga")
    oss_worker = MembershipFactory(municipality=oss, role=Role.CASEWORKER_WORK)
    measured = _joint(pim, erik, olga, arms=TWO_ARMS, strata=(), primary_outcome="uitstroom_12")
    _measured_world(measured, [(apeldoorn, alice, 12), (epe, charlie, 12), (oss, oss_worker, 4)])
    fresh = make_experiment(pim)
    fresh.title = "Nieuw samen"
    fresh.save(update_fields=["title"])
    return {
        "erik": erik, "measured": measured, "fresh": fresh,
        "devices": {m.user.username: TOTPDeviceFactory(user=m.user) for m in (pim, erik)},
    }  # fmt: skip


def test_invite_join_and_the_shared_analysis(world, epe, axe_page: Page, axe_script: Path) -> None:
    page = axe_page
    problems: list[str] = []
    fresh, measured = world["fresh"], world["measured"]
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in_as(page, "pim", world["devices"]["pim"], "/")
    check(page, f"/experimenten/{fresh.pk}/", "joint-lead-before", axe_script, problems)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("button", name="Gemeente uitnodigen").click()  # nothing chosen: the error at the field
    page.wait_for_load_state()
    assert "Kies een gemeente." in page.content()
    page.select_option("#id_municipality", label="Epe")
    page.get_by_role("button", name="Gemeente uitnodigen").click()
    page.wait_for_url(f"**/experimenten/{fresh.pk}/")
    assert Partner.objects.get(experiment=fresh).status == Partner.Status.INVITED
    page.context.clear_cookies()

    page.set_viewport_size({"width": 1280, "height": 800})
    log_in_as(page, "erik", world["devices"]["erik"], "/")
    text = check(page, "/experimenten/", "joint-list-invited", axe_script, problems)
    assert "Uitnodigingen van andere gemeenten" in text
    text = check(page, f"/experimenten/{fresh.pk}/uitnodiging/", "joint-invitation", axe_script, problems)
    assert "Apeldoorn nodigt uw gemeente uit" in text
    page.get_by_role("button", name="Mijn gemeente doet mee").click()
    page.wait_for_url(f"**/experimenten/{fresh.pk}/")
    assert Partner.objects.get(experiment=fresh).status == Partner.Status.JOINED
    text = check(page, f"/experimenten/{measured.pk}/", "joint-partner-detail", axe_script, problems)
    assert "Alle gemeenten samen: ingeloot per groep" in text and "Jansen" not in text
    page.set_default_navigation_timeout(90_000)  # the forest plot's first SVG starts vl-convert's engine
    text = check(page, f"/experimenten/{measured.pk}/analyse/", "joint-analysis", axe_script, problems)
    assert "Per gemeente" in text and "&lt;5" in text
    assert not problems, "\n".join(problems)
