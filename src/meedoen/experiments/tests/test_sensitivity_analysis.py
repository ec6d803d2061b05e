"""A sensitivity analysis on the analysis screen: other standard errors or randomisation-inference p-values on
request, beside the registered analysis, which stays the default and is never changed by it.

Personas: pim (programme manager, Apeldoorn), alice (klantmanager, Apeldoorn). The 403 / 404 cases of these
addresses are in test_analysis_exports.py, with the PDF's."""

import csv
import datetime as dt
import html
import io
import re

import pytest

from meedoen.audit.models import ProcessingLogEntry, Purpose
from meedoen.experiments.models import Experiment
from meedoen.experiments.tests.test_analysis_exports import _analysed_experiment as _any_outcome
from meedoen.residents.models import LegalBasis

pytestmark = pytest.mark.django_db


def _analysed_experiment(apeldoorn, pim, alice) -> Experiment:
    """The export tests' 18 residents, with outcomes fixed per arm (the draw decides who is in which arm):
    three of the six in 'Eigen regie' and one in 'Intensieve begeleiding' left welfare, nobody in the control
    group. The arms' spread then differs, so HC2 and classical errors differ."""
    experiment = _any_outcome(apeldoorn, pim, alice)
    participants = list(experiment.participants.order_by("resident__bsn"))
    LegalBasis.objects.filter(resident__in=[p.resident for p in participants]).update(end_date=None)
    left = {"eigen_regie": {0, 2, 4}, "intensief": {0}}
    seen: dict[str, int] = {}
    for participant in participants:
        index = seen[participant.arm] = seen.get(participant.arm, -1) + 1
        if index in left.get(participant.arm, set()):
            LegalBasis.objects.filter(resident=participant.resident).update(
                end_date=participant.assigned_at.date() + dt.timedelta(days=90)
            )
    return experiment


WARNING = "Dit is niet de vastgelegde hoofdanalyse, maar een controle."


def _rows(page: str) -> list[list[str]]:
    """The cells of each effects row as a reader sees them: tags stripped, spaces folded."""
    rows = re.findall(r"<tr class=\"utrecht-table__row\">\s*(<td.*?)</tr>", page, flags=re.S)
    return [
        [
            " ".join(html.unescape(re.sub(r"<[^>]+>", "", cell)).split())
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        ]
        for row in rows
    ]


def _page(client, experiment: Experiment, query: str = "") -> str:
    response = client.get(f"/experimenten/{experiment.pk}/analyse/{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_the_registered_analysis_is_the_default_and_offers_the_other_standard_errors(
    login_as, apeldoorn, pim, alice
) -> None:
    experiment = _analysed_experiment(apeldoorn, pim, alice)
    page = _page(login_as(pim), experiment)
    assert WARNING not in page
    assert [row[:2] for row in _rows(page)] == [["Eigen regie", "0,500"], ["Intensieve begeleiding", "0,167"]]
    assert "Andere analyse ter controle" in page
    assert re.search(r'<option value="hc2" selected>HC2', page), "the registered errors are chosen"
    assert "p (opnieuw loten)" not in page


def test_classical_standard_errors_on_request_keep_the_effects_and_say_it_is_not_the_registered_analysis(
    login_as, apeldoorn, pim, alice
) -> None:
    experiment = _analysed_experiment(apeldoorn, pim, alice)
    client = login_as(pim)
    registered = _rows(_page(client, experiment))
    hash_before = experiment.registered_hash

    page = _page(client, experiment, "?standaardfouten=classical")
    classical = _rows(page)
    assert WARNING in page
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    assert "Standaardfouten: Klassiek (gelijke spreiding). Vastgelegd is: HC2 (robuust, standaard)." in text
    assert "Schatter: verschil in gemiddelden (OLS); klassieke standaardfouten." in text
    assert [row[:2] for row in classical] == [row[:2] for row in registered], "the same effects"
    assert [row[2] for row in classical] != [row[2] for row in registered], "other standard errors"
    assert "Terug naar de vastgelegde analyse" in page
    # The CSV and the PDF links carry the choice, and the CSV has the screen's classical errors.
    assert "?standaardfouten=classical&amp;formaat=csv" in page
    csv_text = client.get(f"/experimenten/{experiment.pk}/analyse/?standaardfouten=classical&formaat=csv")
    exported = list(csv.DictReader(io.StringIO(csv_text.content.decode()), delimiter=";"))
    assert [f"{float(r['se']):.3f}".replace(".", ",") for r in exported] == [row[2] for row in classical]
    experiment.refresh_from_db()
    assert experiment.registered_hash == hash_before and experiment.amendments.count() == 0


def test_randomisation_inference_on_request_adds_reproducible_p_values(
    login_as, apeldoorn, pim, alice
) -> None:
    experiment = _analysed_experiment(apeldoorn, pim, alice)
    client = login_as(pim)
    reads = ProcessingLogEntry.objects.filter(purpose=Purpose.RESEARCH, actor=pim.user).count()
    page = _page(client, experiment, "?standaardfouten=hc2&loting=on")
    assert WARNING in page and "p (opnieuw loten)" in page
    assert "Vastgelegd is:" not in page, "the standard errors are the registered ones: not named as a change"
    rows = _rows(page)
    drawn = [row[6] for row in rows]
    assert drawn and all(re.fullmatch(r"[01],\d{3}( \(exact\))?", value) for value in drawn), drawn
    assert _rows(_page(client, experiment, "?standaardfouten=hc2&loting=on")) == rows, "same seed, same p"
    assert ProcessingLogEntry.objects.filter(purpose=Purpose.RESEARCH, actor=pim.user).count() == reads + 2
    exported = client.get(f"/experimenten/{experiment.pk}/analyse/?loting=on&formaat=csv").content.decode()
    header = exported.splitlines()[0].split(";")
    assert "p_loting" in header and "p_loting_exact" in header


def test_an_unknown_choice_is_said_and_the_registered_analysis_is_shown(
    login_as, apeldoorn, pim, alice
) -> None:
    experiment = _analysed_experiment(apeldoorn, pim, alice)
    client = login_as(pim)
    page = _page(client, experiment, "?standaardfouten=cluster")
    assert "Die keuze kennen we niet. Hieronder staat de vastgelegde analyse." in page
    assert "Kies standaardfouten uit de lijst." in page
    assert WARNING not in page
    assert _rows(page) == _rows(_page(client, experiment))


def test_the_api_gives_the_sensitivity_analysis_on_request_and_refuses_an_unknown_choice(
    login_as, apeldoorn, pim, alice
) -> None:
    experiment = _analysed_experiment(apeldoorn, pim, alice)
    client = login_as(pim)
    url = f"/api/v1/experiments/{experiment.pk}/analysis"
    registered = client.get(url).json()
    assert registered["registered"] is True and registered["standard_errors"] == "hc2"
    effects = {o["code"]: o["effects"] for o in registered["outcomes"]}["uitstroom_12"]
    assert all(e["p_randomisation"] is None and e["randomisation_exact"] is None for e in effects)

    checked = client.get(url, {"standard_errors": "classical", "randomisation": "true"}).json()
    assert checked["registered"] is False and checked["standard_errors"] == "classical"
    again = {o["code"]: o["effects"] for o in checked["outcomes"]}["uitstroom_12"]
    assert [e["effect"] for e in again] == [e["effect"] for e in effects]
    assert [e["se"] for e in again] != [e["se"] for e in effects]
    assert all(
        0 <= float(e["p_randomisation"]) <= 1 and isinstance(e["randomisation_exact"], bool) for e in again
    )
    # The screen shows the same classical figures.
    page = _page(client, experiment, "?standaardfouten=classical")
    assert [row[2] for row in _rows(page)] == [e["se"].replace(".", ",") for e in again]

    refused = client.get(url, {"standard_errors": "cluster"})
    assert refused.status_code == 400 and "Kies hc2 of classical." in str(refused.json())
