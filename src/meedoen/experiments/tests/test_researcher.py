"""The researcher (onderzoeker): designs experiments and reads their analyses, aggregates only; never a
resident file, a caseload or a recruitment list, and no municipality's consent to a joint experiment.

Personas: rosa (researcher, Apeldoorn), pim (programme manager), alice (klantmanager) with ruben."""

import pytest

from meedoen.accounts.policies import Capability, Role, may
from meedoen.accounts.tests.factories import MembershipFactory
from meedoen.experiments import actions
from meedoen.experiments.models import Experiment, Partner
from meedoen.experiments.tests.factories import actor_of, make_experiment
from meedoen.experiments.tests.test_experiment_screens import DESIGN_POST


@pytest.fixture
def rosa(apeldoorn):
    return MembershipFactory(municipality=apeldoorn, role=Role.RESEARCHER, user__username="rosa")


def test_the_researcher_designs_and_reads_the_analysis(login_as, rosa) -> None:
    client = login_as(rosa)
    assert client.get("/", follow=True).redirect_chain[-1][0] == "/experimenten/"
    assert client.get("/experimenten/nieuw/").status_code == 200
    response = client.post("/experimenten/nieuw/", DESIGN_POST)
    experiment = Experiment.objects.get()
    assert response["Location"] == f"/experimenten/{experiment.pk}/"
    assert "Deelnemers nodig per groep" in client.get(response["Location"]).content.decode()
    client.post(f"/experimenten/{experiment.pk}/werving-starten/")
    experiment.refresh_from_db()
    assert experiment.status == Experiment.Status.RECRUITING
    assert client.get(f"/experimenten/{experiment.pk}/analyse/").status_code == 200
    assert client.get(f"/api/v1/experiments/{experiment.pk}/analysis").status_code == 200


def test_the_researcher_opens_no_file_caseload_or_recruitment_list(login_as, rosa, pim, alice, ruben) -> None:
    experiment = make_experiment(pim, recruiting=True)
    participant = actions.do_invite(experiment, ruben, on=ruben.created_at.date(), actor=actor_of(alice))
    client = login_as(rosa)
    assert client.get("/inwoners/").status_code == 403
    assert client.get(f"/inwoners/{ruben.pk}/").status_code == 403
    assert client.get(f"/experimenten/{experiment.pk}/werving/").status_code == 403
    assert (
        client.post(f"/experimenten/{experiment.pk}/deelnemers/{participant.pk}/instemming/").status_code
        == 403
    )
    page = client.get(f"/experimenten/{experiment.pk}/").content.decode()
    assert "Jansen" not in page
    participant.refresh_from_db()
    assert participant.arm == ""


def test_the_researcher_gives_no_municipalitys_consent_to_a_joint_experiment(
    login_as, rosa, pim, epe
) -> None:
    assert not may(Role.RESEARCHER, Capability.JOIN_EXPERIMENTS)
    assert not may(Role.RESEARCHER, Capability.VIEW_RESIDENT_FILE)
    experiment = make_experiment(pim)
    client = login_as(rosa)
    assert (
        client.post(f"/experimenten/{experiment.pk}/gemeenten/", {"municipality": str(epe.pk)}).status_code
        == 403
    )
    assert not Partner.objects.exists()
    epe_researcher = MembershipFactory(municipality=epe, role=Role.RESEARCHER)
    partner = actions.do_invite_municipality(experiment, epe, actor=actor_of(pim))
    assert (
        login_as(epe_researcher).post(f"/experimenten/{experiment.pk}/uitnodiging/meedoen/").status_code
        == 403
    )
    partner.refresh_from_db()
    assert partner.status == Partner.Status.INVITED
