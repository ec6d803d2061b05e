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


def test_the_analysis_pdf_is_403_without_the_capability_and_404_for_another_municipality(
    login_as, apeldoorn, pim, alice, charlie
) -> None:
    experiment = make_experiment(pim, recruiting=True)
    url = f"/experimenten/{experiment.pk}/analyse/?formaat=pdf"
    assert login_as(alice).get(url).status_code == 403
    epe_manager = MembershipFactory(municipality=charlie.municipality, role=Role.PROGRAMME_MANAGER)
    assert login_as(epe_manager).get(url).status_code == 404
