"""The analysis screen's exports: the tagged PDF and the read-only API give the screen's own figures.

Personas: pim (programme manager, Apeldoorn), alice (klantmanager, Apeldoorn), charlie (klantmanager, Epe),
paula (provider)."""

import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from pypdf import PdfReader

from meedoen.accounts.policies import Role
from meedoen.accounts.tests.factories import MembershipFactory
from meedoen.audit.models import ProcessingLogEntry, Purpose
from meedoen.experiments import actions
from meedoen.experiments.models import Experiment, Participant
from meedoen.experiments.tests.factories import actor_of, make_experiment
from meedoen.residents.models import LegalBasis
from meedoen.residents.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


def _analysed_experiment(apeldoorn, pim, alice) -> Experiment:
    """18 randomised residents, a year and a bit ago; half of 'Eigen regie' left welfare after 3 months."""
    experiment = make_experiment(pim, recruiting=True, strata=(), secondary_outcomes=("uitstroom_12",))
    actor = actor_of(alice)
    on = experiment.created_at.date()
    participants = []
    for _ in range(18):
        resident = ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, work=True)
        invited = actions.do_invite(experiment, resident, on=on, actor=actor)
        participants.append(actions.do_record_consent(invited, on=on, actor=actor))
    assigned = timezone.now() - dt.timedelta(days=400)
    Participant.objects.filter(experiment=experiment).update(assigned_at=assigned)
    for index, participant in enumerate(participants):
        if participant.arm == "eigen_regie" and index % 2 == 0:
            LegalBasis.objects.filter(resident=participant.resident).update(
                end_date=assigned.date() + dt.timedelta(days=90)
            )
    return experiment


def _effects_on_screen(page: str) -> list[str]:
    """The effect column of the screen's tables (the second cell of each row)."""
    rows = re.findall(
        r"<tr class=\"utrecht-table__row\">\s*<td[^>]*>([^<]+)</td>\s*<td[^>]*>([^<]+)</td>", page
    )
    return [effect for _arm, effect in rows]


def _pdf_text(content: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages), reader


def test_the_analysis_pdf_is_tagged_and_shows_the_screens_figures(login_as, apeldoorn, pim, alice) -> None:
    experiment = _analysed_experiment(apeldoorn, pim, alice)
    client = login_as(pim)
    page = client.get(f"/experimenten/{experiment.pk}/analyse/").content.decode()
    assert "?formaat=pdf" in page and "Download als PDF" in page
    effects = _effects_on_screen(page)
    assert effects, "the screen shows effects"
    reads = ProcessingLogEntry.objects.filter(purpose=Purpose.RESEARCH, actor=pim.user).count()

    response = client.get(f"/experimenten/{experiment.pk}/analyse/?formaat=pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text, reader = _pdf_text(response.content)
    flat = " ".join(text.split())
    assert "Vinden inwoners in de bijstand vaker werk met minder regels?" in flat
    assert "Uit de bijstand na 12 maanden" in flat and "Betaald werk na 12 maanden" in flat
    assert all(effect in flat for effect in effects)
    assert experiment.registered_hash[:16] in flat.replace(" ", "")
    assert "Van uitnodiging tot analyse" in flat and "Zonder meting" in flat
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root  # tagged for screen readers
    assert root["/Lang"] == "nl" and reader.metadata.title == "Analyse: Regelluwe bijstand"
    # The download reads the participants' data as the screen does: logged the same way.
    assert ProcessingLogEntry.objects.filter(purpose=Purpose.RESEARCH, actor=pim.user).count() == reads + 1


def test_the_analysis_pdf_follows_the_last_amendments_hash(login_as, apeldoorn, pim) -> None:
    from meedoen.experiments import selectors
    from meedoen.experiments.tests.factories import regelluw

    experiment = make_experiment(pim, recruiting=True)
    amendment = actions.do_amend(
        experiment, regelluw(question="Vinden inwoners sneller werk met minder regels?"),
        reason="Scherpere vraag", made_on=timezone.localdate(), actor=actor_of(pim),
    )  # fmt: skip
    experiment.refresh_from_db()
    response = login_as(pim).get(f"/experimenten/{experiment.pk}/analyse/?formaat=pdf")
    flat = "".join(_pdf_text(response.content)[0].split())
    assert selectors.followed_hash(experiment) == amendment.registered_hash
    assert amendment.registered_hash[:16] in flat and experiment.registered_hash[:16] not in flat
    assert "wijziging1" in flat


@pytest.mark.parametrize(
    "query", ["?formaat=pdf", "?standaardfouten=classical&loting=on", "?loting=on&formaat=csv"]
)
def test_the_analysis_pdf_and_its_check_are_403_without_the_capability_and_404_for_another_municipality(
    login_as, apeldoorn, pim, alice, charlie, query
) -> None:
    experiment = make_experiment(pim, recruiting=True)
    url = f"/experimenten/{experiment.pk}/analyse/{query}"
    assert login_as(alice).get(url).status_code == 403
    epe_manager = MembershipFactory(municipality=charlie.municipality, role=Role.PROGRAMME_MANAGER)
    assert login_as(epe_manager).get(url).status_code == 404


# ----------------------------------------------------------------------------------------------------- API


def test_the_api_lists_the_municipalitys_experiments_with_their_arms(
    login_as, apeldoorn, pim, charlie
) -> None:
    recruiting = make_experiment(pim, recruiting=True)
    draft = make_experiment(pim)
    make_experiment(MembershipFactory(municipality=charlie.municipality, role=Role.PROGRAMME_MANAGER))
    body = login_as(pim).get("/api/v1/experiments").json()
    assert body["count"] == 2  # not Epe's
    listed = {row["id"]: row for row in body["results"]}
    assert listed[str(recruiting.pk)] == {
        "id": str(recruiting.pk),
        "title": "Regelluwe bijstand",
        "question": "Vinden inwoners in de bijstand vaker werk met minder regels?",
        "status": "werving",
        "registered_hash": recruiting.registered_hash,
        "arms": [
            {"code": "regulier", "name": "Regulier", "ratio": 1, "control": True},
            {"code": "eigen_regie", "name": "Eigen regie", "ratio": 1, "control": False},
            {"code": "intensief", "name": "Intensieve begeleiding", "ratio": 1, "control": False},
        ],
    }
    assert listed[str(draft.pk)]["status"] == "ontwerp" and listed[str(draft.pk)]["registered_hash"] is None


def test_the_api_analysis_gives_the_screens_figures(login_as, apeldoorn, pim, alice) -> None:
    experiment = _analysed_experiment(apeldoorn, pim, alice)
    client = login_as(pim)
    page = client.get(f"/experimenten/{experiment.pk}/analyse/").content.decode()
    response = client.get(f"/api/v1/experiments/{experiment.pk}/analysis")
    assert response.status_code == 200
    body = response.json()
    assert body["registered_hash"] == experiment.registered_hash and body["version"] == 0
    outcomes = {o["code"]: o for o in body["outcomes"]}
    assert set(outcomes) == {"betaald_werk_12", "uitstroom_12"}
    assert outcomes["betaald_werk_12"]["effects"] == []
    assert outcomes["betaald_werk_12"]["note"].startswith("Deze uitkomst is bij iedereen gelijk")
    effects = outcomes["uitstroom_12"]["effects"]
    assert [e["arm"] for e in effects] == ["eigen_regie", "intensief"]
    for e in effects:
        assert all(isinstance(e[k], str) for k in ("effect", "se", "ci_low", "ci_high", "p", "n_treated"))
        comma = {k: e[k].replace(".", ",") for k in ("effect", "se", "ci_low", "ci_high", "p", "p_holm")}
        row = (
            f'<td class="utrecht-table__cell">{e["arm_name"]}</td>\n'
            f'    <td class="utrecht-table__cell">{comma["effect"]}</td>\n'
            f'    <td class="utrecht-table__cell">{comma["se"]}</td>\n'
            f'    <td class="utrecht-table__cell">{comma["ci_low"]} – {comma["ci_high"]}</td>\n'
            f'    <td class="utrecht-table__cell">{comma["p"]}</td>\n'
            f'    <td class="utrecht-table__cell">{comma["p_holm"]}</td>\n'
            f'    <td class="utrecht-table__cell">{e["n_treated"]} / {e["n_control"]}</td>'
        )
        assert row in page, row
    # A hidden count is null where the screen shows "–": the attrition line as the screen writes it.
    attrition = outcomes["uitstroom_12"]["attrition"]
    names = {e["arm"]: e["arm_name"] for e in effects} | {"regulier": "Regulier"}
    shown = ", ".join(
        f"{names[a['arm']]} "
        + ('<abbr title="niet getoond">–</abbr>' if a["missing"] is None else a["missing"])
        + ("" if a["assigned"] is None else f" van {a['assigned']}")
        for a in attrition["arms"]
    )
    assert f"Zonder meting: {shown}." in page
    if any(a["missing"] is None for a in attrition["arms"]):
        assert attrition["p_differential"] is None
    # The API reads the participants' data as the screen does: one logged read with purpose onderzoek.
    assert ProcessingLogEntry.objects.filter(
        purpose=Purpose.RESEARCH, actor=pim.user, endpoint="api:experiment-analysis"
    ).exists()


def test_the_api_is_403_for_a_caseworker_or_provider_and_404_for_another_municipality(
    login_as, apeldoorn, pim, alice, paula, charlie
) -> None:
    experiment = make_experiment(pim, recruiting=True)
    analysis = f"/api/v1/experiments/{experiment.pk}/analysis"
    for membership in (alice, paula):
        assert login_as(membership).get("/api/v1/experiments").status_code == 403
        assert login_as(membership).get(analysis).status_code == 403
        assert login_as(membership).get(analysis, {"standard_errors": "classical"}).status_code == 403
    epe_manager = MembershipFactory(municipality=charlie.municipality, role=Role.PROGRAMME_MANAGER)
    response = login_as(epe_manager).get(analysis)
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
    checked = login_as(epe_manager).get(analysis, {"standard_errors": "classical", "randomisation": "true"})
    assert checked.status_code == 404
    assert login_as(epe_manager).get("/api/v1/experiments").json()["count"] == 0


def test_the_analysis_screen_names_the_strata_of_its_fixed_effects(login_as, apeldoorn, pim) -> None:
    experiment = make_experiment(pim, recruiting=True, strata=("leeftijdsgroep",))
    page = login_as(pim).get(f"/experimenten/{experiment.pk}/analyse/").content.decode()
    assert "vaste effecten per stratum (leeftijdsgroep" in page
    assert "per stratum (stratum)" not in page
