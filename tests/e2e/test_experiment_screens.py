"""The experiment screens in Chromium at 360 and 1280 px: the programme manager designs an experiment with
only the required fields, sees the power calculation and its warning, and starts recruitment (the SHA-256 is
shown); the klantmanager invites a resident of her caseload, who consents and is randomised. No sideways
scrolling, no serious axe-core problem."""

import importlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection
from playwright.sync_api import Page

from meedoen.accounts.tests.factories import TOTPDeviceFactory
from meedoen.experiments.models import Experiment, Participant

from .test_accessibility import log_in_as
from .test_browser import blocking_violations
from .test_commitment_screens import check
from .test_layout import HEIGHT, WIDTHS, sideways_scroll

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("MEEDOEN_SCREENSHOTS", "")
_triggers = importlib.import_module("meedoen.experiments.migrations.0002_arm_never_changes")


@pytest.fixture(autouse=True)
def _assigned_arms_survive_flush(transactional_db) -> Iterator[None]:
    """The live server's flush empties tables with DELETE on SQLite, which the trigger that keeps an
    assigned participant refuses: drop it for the flush and put it back at once."""
    yield
    if connection.vendor != "sqlite":
        return  # PostgreSQL flushes with TRUNCATE, which row triggers do not see
    with connection.cursor() as cursor:
        for statement in _triggers.SQLITE_DROP:
            cursor.execute(statement)
        cursor.execute("DELETE FROM experiments_participant")
        for statement in _triggers.SQLITE:
            cursor.execute(statement)


@pytest.fixture
def devices(pim, alice):
    return {m.user.username: TOTPDeviceFactory(user=m.user) for m in (pim, alice)}


def test_design_power_recruitment_and_randomisation(devices, ruben, axe_page: Page, axe_script: Path) -> None:
    page = axe_page
    problems: list[str] = []
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in_as(page, "pim", devices["pim"], "/")
    page.goto("/start/")
    page.get_by_role("link", name="Experimenten", exact=True).first.click()
    check(page, "/experimenten/", "experiment-list", axe_script, problems)
    check(page, "/experimenten/nieuw/", "experiment-new", axe_script, problems)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.fill("#id_title", "Regelluwe bijstand")
    page.fill("#id_question", "Vinden inwoners vaker werk met minder regels?")
    page.fill("#id_arm_2_name", "Eigen regie")
    page.check("#id_arm_2_exempt")
    page.fill("#id_arm_3_name", "Intensieve begeleiding")
    page.get_by_role("button", name="Ontwerp opslaan").click()
    page.wait_for_url("**/experimenten/*/")
    text = check(page, page.url, "experiment-detail", axe_script, problems)
    assert "Deelnemers nodig per groep" in text and "Te veel groepen voor het aantal inwoners" in text
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("button", name="Ontwerp vastleggen en werving starten").click()
    page.wait_for_url("**/experimenten/*/")
    experiment = Experiment.objects.get()
    text = check(page, page.url, "experiment-registered", axe_script, problems)
    assert experiment.registered_hash in text
    text = check(page, f"/experimenten/{experiment.pk}/analyse/", "experiment-analysis", axe_script, problems)
    assert "Betaald werk na 12 maanden" in text
    page.context.clear_cookies()

    page.set_viewport_size({"width": 1280, "height": 800})
    log_in_as(page, "alice", devices["alice"], "/start/")
    page.get_by_role("link", name="Experimenten", exact=True).first.click()
    page.get_by_role("link", name="Regelluwe bijstand").click()
    page.wait_for_url("**/werving/")
    text = check(page, page.url, "recruitment-before", axe_script, problems)
    assert ruben.list_name in text
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("button", name="Uitnodiging vastleggen").click()
    page.wait_for_url("**/werving/")
    page.get_by_role("button", name="Stemt in: loten").click()
    page.wait_for_url("**/werving/")
    participant = Participant.objects.get()
    arm = {
        "regulier": "Regulier",
        "eigen_regie": "Eigen regie",
        "intensieve_begeleiding": "Intensieve begeleiding",
    }
    text = check(page, page.url, "recruitment-after", axe_script, problems)
    assert f"Ingeloot in de groep &#x27;{arm[participant.arm]}&#x27;" in text or arm[participant.arm] in text

    # A date that is no date (the screen fills in today; here it is spoiled on purpose): the row's form shows
    # the error at its date field, nothing is recorded, and the page stays usable.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.locator("form[action$='/stoppen/'] input[name=on]").evaluate(
        "input => { input.value = '2026-02-31'; }"
    )
    page.get_by_role("button", name="Stopt met meedoen").click()
    page.wait_for_load_state()
    assert "Vul een bestaande datum in" in page.content()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        if overflow := sideways_scroll(page):
            problems.append(f"the date error at {width} px scrolls sideways: {overflow}")
        if violations := blocking_violations(page, axe_script):
            problems.append(f"the date error at {width} px, axe-core:\n{violations}")
    participant.refresh_from_db()
    assert participant.status == Participant.Status.CONSENTED
    assert not problems, "\n".join(problems)


def test_the_programme_manager_asks_for_a_check_beside_the_registered_analysis(
    devices, apeldoorn, pim, alice, axe_page: Page, axe_script: Path
) -> None:
    """With measured outcomes: the programme manager picks classical errors and randomisation inference in the
    form (nothing else filled), and sees the warning and the extra column, at 360 and 1280 px."""
    from meedoen.experiments.tests.test_sensitivity_analysis import _analysed_experiment

    experiment = _analysed_experiment(apeldoorn, pim, alice)
    page = axe_page
    problems: list[str] = []
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in_as(page, "pim", devices["pim"], "/")
    text = check(page, f"/experimenten/{experiment.pk}/analyse/", "analysis-registered", axe_script, problems)
    assert "Andere analyse ter controle" in text and "Dit is niet de vastgelegde" not in text
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_label("Standaardfouten").select_option("classical")
    page.get_by_label("Ook p-waarden door opnieuw loten (randomisatie-inferentie)").check()
    page.get_by_role("button", name="Opnieuw berekenen").click()
    page.wait_for_url("**/analyse/?*loting=on*")
    text = check(page, page.url, "analysis-check", axe_script, problems)
    assert "Dit is niet de vastgelegde hoofdanalyse, maar een controle." in text
    assert "Vastgelegd is: HC2 (robuust, standaard)." in text and "p (opnieuw loten)" in text
    page.get_by_role("link", name="Terug naar de vastgelegde analyse").click()
    page.wait_for_load_state()
    assert "Dit is niet de vastgelegde" not in page.content()
    assert not problems, "\n".join(problems)
