"""Joint experiments: one design, several municipalities' consent, each seeing its own residents, a shared
analysis of aggregates (pooled with municipality fixed effects, and per municipality) with small cells hidden.

Personas: pim (programme manager, Apeldoorn, the lead), alice (klantmanager, Apeldoorn) with ruben, erik
(programme manager, Epe), charlie (klantmanager, Epe), olga (programme manager, Oss)."""

import datetime as dt
import hashlib
import json

import pandas as pd
import pytest
import statsmodels.formula.api as smf
from django.utils import timezone

from meedoen.accounts.policies import Role
from meedoen.accounts.tests.factories import MembershipFactory
from meedoen.audit.models import ProcessingLogEntry, Purpose
from meedoen.errors import RuleError
from meedoen.experiments import actions, design, selectors
from meedoen.experiments.models import Experiment, Participant, Partner
from meedoen.experiments.tests.factories import actor_of, make_experiment, regelluw
from meedoen.municipalities.tests.factories import MunicipalityFactory
from meedoen.residents.models import ExperimentArm, LegalBasis
from meedoen.residents.tests.factories import ResidentFactory

TWO_ARMS = (
    design.Arm("regulier", "Regulier"),
    design.Arm("eigen_regie", "Eigen regie", exempt_from_obligations=True),
)


@pytest.fixture
def erik(epe):
    return MembershipFactory(municipality=epe, role=Role.PROGRAMME_MANAGER, user__username="erik")


@pytest.fixture
def oss(db):
    return MunicipalityFactory(name="Oss", slug="oss", cbs_code="0828")


@pytest.fixture
def olga(oss):
    return MembershipFactory(municipality=oss, role=Role.PROGRAMME_MANAGER, user__username="olga")


def _joint(pim, *partners, recruiting: bool = True, **changes) -> Experiment:
    """A design of Apeldoorn that the partners' programme managers joined, frozen when ``recruiting``."""
    experiment = make_experiment(pim, **changes)
    for manager in partners:
        partner = actions.do_invite_municipality(experiment, manager.municipality, actor=actor_of(pim))
        actions.do_answer_invitation(partner, join=True, actor=actor_of(manager))
    if recruiting:
        experiment = actions.do_start_recruitment(experiment, actor=actor_of(pim))
    return experiment


def _consent(experiment, resident, caseworker) -> Participant:
    actor = actor_of(caseworker)
    participant = actions.do_invite(experiment, resident, on=timezone.localdate(), actor=actor)
    return actions.do_record_consent(participant, on=timezone.localdate(), actor=actor)


def test_the_lead_invites_a_municipality_whose_manager_joins_with_who_and_when(
    login_as, pim, erik, epe
) -> None:
    experiment = make_experiment(pim)
    lead = login_as(pim)
    assert "Epe" in lead.get(f"/experimenten/{experiment.pk}/").content.decode()  # offered to invite
    response = lead.post(f"/experimenten/{experiment.pk}/gemeenten/", {"municipality": str(epe.pk)})
    assert response.status_code == 302
    partner = Partner.objects.get()
    assert partner.status == Partner.Status.INVITED and partner.invited_by == pim.user
    # Invited, not joined: Epe sees the invitation and the design, not the experiment itself.
    epe_client = login_as(erik)
    assert "Regelluwe bijstand" in epe_client.get("/experimenten/").content.decode()
    invitation = epe_client.get(f"/experimenten/{experiment.pk}/uitnodiging/").content.decode()
    assert "Apeldoorn nodigt uw gemeente uit" in invitation and "Eigen regie" in invitation
    assert epe_client.get(f"/experimenten/{experiment.pk}/").status_code == 404
    assert epe_client.get(f"/experimenten/{experiment.pk}/analyse/").status_code == 404
    response = epe_client.post(f"/experimenten/{experiment.pk}/uitnodiging/meedoen/")
    assert response["Location"] == f"/experimenten/{experiment.pk}/"
    partner.refresh_from_db()
    assert partner.status == Partner.Status.JOINED
    assert partner.answered_by == erik.user and partner.answered_at is not None
    page = epe_client.get(f"/experimenten/{experiment.pk}/").content.decode()
    assert "Apeldoorn leidt dit experiment" in page and "Doet mee" in page
    # Joined is not leading: the design, its freezing and the invitations stay with Apeldoorn.
    assert epe_client.get(f"/experimenten/{experiment.pk}/ontwerp/").status_code == 403
    assert epe_client.post(f"/experimenten/{experiment.pk}/werving-starten/").status_code == 403
    assert (
        epe_client.post(f"/experimenten/{experiment.pk}/gemeenten/", {"municipality": "x"}).status_code == 403
    )
    experiment.refresh_from_db()
    assert experiment.status == Experiment.Status.DESIGN
    assert partner.answered_by.display_name() in lead.get(f"/experimenten/{experiment.pk}/").content.decode()


def test_an_invitation_with_no_municipality_chosen_is_an_error_at_the_field(login_as, pim) -> None:
    experiment = make_experiment(pim)
    response = login_as(pim).post(f"/experimenten/{experiment.pk}/gemeenten/", {"municipality": ""})
    assert response.status_code == 400
    assert "Kies een gemeente." in response.content.decode()
    assert not Partner.objects.exists()


def test_a_declined_or_unanswered_invitation_takes_no_part_and_the_design_keeps_its_single_hash(
    login_as, pim, erik, olga, alice, ruben
) -> None:
    experiment = make_experiment(pim)
    for manager in (erik, olga):
        actions.do_invite_municipality(experiment, manager.municipality, actor=actor_of(pim))
    response = login_as(erik).post(f"/experimenten/{experiment.pk}/uitnodiging/niet-meedoen/")
    assert response.status_code == 302
    declined = Partner.objects.get(municipality=erik.municipality)
    assert declined.status == Partner.Status.DECLINED and declined.answered_by == erik.user
    experiment = actions.do_start_recruitment(experiment, actor=actor_of(pim))
    registered = json.loads(experiment.registered_json)
    assert "municipalities" not in registered["design"]  # one municipality: the design as it always was
    alone = design.registration(
        regelluw(),
        title="Regelluwe bijstand",
        version=0,
        registered_on=timezone.localdate(experiment.registered_at),
    )
    assert experiment.registered_hash == design.fingerprint(alone)
    assert Partner.objects.get(municipality=olga.municipality).status == Partner.Status.LAPSED
    # Too late to join now; neither Epe nor Oss can open the experiment.
    with pytest.raises(RuleError, match="vastgelegd"):
        actions.do_answer_invitation(
            Partner.objects.get(municipality=olga.municipality), join=True, actor=actor_of(olga)
        )
    for manager in (erik, olga):
        assert login_as(manager).get(f"/experimenten/{experiment.pk}/").status_code == 404


def test_a_joint_design_is_frozen_with_its_municipalities_in_the_hash_and_stratified_by_municipality(
    login_as, pim, erik
) -> None:
    experiment = _joint(pim, erik)
    registered = json.loads(experiment.registered_json)
    ids = sorted([str(pim.municipality_id), str(erik.municipality_id)])
    assert registered["design"]["municipalities"] == ids
    assert registered["design"]["strata"] == ["gemeente", "leeftijdsgroep"]
    assert experiment.registered_hash == hashlib.sha256(experiment.registered_json.encode()).hexdigest()
    alone = design.registration(
        regelluw(),
        title="Regelluwe bijstand",
        version=0,
        registered_on=timezone.localdate(experiment.registered_at),
    )
    assert experiment.registered_hash != design.fingerprint(alone)
    # The frozen design reads back with its municipalities, and Epe downloads the same bytes.
    assert selectors.design_of(experiment).municipalities == tuple(ids)
    download = login_as(erik).get(f"/experimenten/{experiment.pk}/registratie.json")
    assert hashlib.sha256(download.content).hexdigest() == experiment.registered_hash
    # An amendment cannot drop a municipality or its stratum.
    amendment = actions.do_amend(
        experiment, regelluw(secondary_outcomes=("uitstroom_24",)), reason="Uitstroom erbij",
        made_on=timezone.localdate(), actor=actor_of(pim),
    )  # fmt: skip
    assert json.loads(amendment.registered_json)["design"]["municipalities"] == ids


def test_a_change_to_the_design_asks_the_joined_municipality_again(pim, erik) -> None:
    experiment = _joint(pim, erik, recruiting=False)
    actions.do_update_design(experiment, "Regelluw", regelluw(strata=()), actor=actor_of(pim))
    partner = Partner.objects.get()
    assert partner.status == Partner.Status.INVITED and partner.answered_by is None
    experiment = actions.do_start_recruitment(experiment, actor=actor_of(pim))
    assert "municipalities" not in json.loads(experiment.registered_json)["design"]


def test_each_municipality_recruits_only_its_own_residents(
    login_as, pim, alice, ruben, erik, charlie, epe
) -> None:
    experiment = _joint(pim, erik)
    eva = ResidentFactory(
        municipality=epe, given_names="Eva", family_name="Vaassens", caseworker_work=charlie.user, work=True
    )
    epe_worker = login_as(charlie)
    page = epe_worker.get(f"/experimenten/{experiment.pk}/werving/").content.decode()
    assert "Vaassens" in page and "Jansen" not in page
    entry = ProcessingLogEntry.objects.filter(actor=charlie.user, purpose=Purpose.RESEARCH).latest(
        "occurred_at"
    )
    assert list(entry.subjects.values_list("resident_id", flat=True)) == [eva.pk]
    assert entry.municipality_id == epe.pk
    assert "Vaassens" not in login_as(alice).get(f"/experimenten/{experiment.pk}/werving/").content.decode()
    # Epe's caseworker cannot invite or answer for Apeldoorn's resident, nor the other way round.
    assert (
        epe_worker.post(
            f"/experimenten/{experiment.pk}/werving/{ruben.pk}/uitnodigen/", {"on": "2026-11-02"}
        ).status_code
        == 404
    )
    ruben_p = actions.do_invite(experiment, ruben, on=timezone.localdate(), actor=actor_of(alice))
    assert (
        epe_worker.post(
            f"/experimenten/{experiment.pk}/deelnemers/{ruben_p.pk}/instemming/", {"on": "2026-11-02"}
        ).status_code
        == 404
    )
    ruben_p.refresh_from_db()
    assert ruben_p.arm == ""
    # Randomised within the own municipality's stratum.
    eva_p = _consent(experiment, eva, charlie)
    assert eva_p.stratum.startswith(f"gemeente={epe.pk}|")
    # Erik sees Epe's flow only (Eva is one: not shown), and no names.
    manager_page = login_as(erik).get(f"/experimenten/{experiment.pk}/").content.decode()
    assert "Vaassens" not in manager_page and "Jansen" not in manager_page
    assert "Alle gemeenten samen: ingeloot per groep" in manager_page


def test_another_municipalitys_manager_gets_the_aggregates_only(
    login_as, apeldoorn, pim, alice, erik, charlie, epe
) -> None:
    experiment = _joint(pim, erik, strata=())
    for _ in range(6):
        _consent(
            experiment,
            ResidentFactory(
                municipality=apeldoorn, caseworker_work=alice.user, work=True, family_name="Appelboom"
            ),
            alice,
        )
    flow_a = selectors.flow(experiment, actor_of(pim))
    flow_e = selectors.flow(experiment, actor_of(erik))
    assert flow_a.randomised == 6 and flow_e.randomised == 0  # each manager's flow is the own municipality's
    assert selectors.balance(experiment, actor_of(erik)) is None
    shared = selectors.shared_counts(experiment, actor_of(erik), own=flow_e)
    assert [row.municipality for row in shared.rows] == ["Apeldoorn", "Epe"]
    assert shared.total == 6
    page = login_as(erik).get(f"/experimenten/{experiment.pk}/").content.decode()
    assert "Appelboom" not in page
    analysis = login_as(erik).get(f"/experimenten/{experiment.pk}/analyse/")
    assert analysis.status_code == 200 and "Appelboom" not in analysis.content.decode()
    # Erik's read of Apeldoorn's participants is in Apeldoorn's log, for Apeldoorn's residents only.
    entry = ProcessingLogEntry.objects.filter(actor=erik.user, municipality=apeldoorn).latest("occurred_at")
    assert entry.purpose == Purpose.RESEARCH and entry.subjects.count() == 6
    # An experiment Epe neither leads nor joined stays a 404, also over the API.
    other = make_experiment(pim)
    assert login_as(erik).get(f"/experimenten/{other.pk}/").status_code == 404
    assert login_as(erik).get(f"/api/v1/experiments/{other.pk}/analysis").status_code == 404
    assert login_as(charlie).get(f"/experimenten/{other.pk}/werving/").status_code == 404


def _measured_world(experiment, teams, left_every: int = 3) -> list[Participant]:
    """Participants per (municipality, caseworker, n), assigned 400 days ago; every ``left_every``-th left
    the bijstand after 90 days (the outcome uitstroom_12)."""
    participants = []
    for municipality, caseworker, count in teams:
        for _ in range(count):
            participants.append(
                _consent(
                    experiment,
                    ResidentFactory(municipality=municipality, caseworker_work=caseworker.user, work=True),
                    caseworker,
                )
            )
    assigned = timezone.now() - dt.timedelta(days=400)
    Participant.objects.filter(experiment=experiment).update(assigned_at=assigned)
    for index, participant in enumerate(participants):
        if index % left_every == 0 or (participant.arm == "eigen_regie" and index % 2 == 0):
            LegalBasis.objects.filter(resident=participant.resident).update(
                end_date=assigned.date() + dt.timedelta(days=90)
            )
    return participants


def _frame(participants) -> pd.DataFrame:
    cutoff = timezone.localdate() - dt.timedelta(days=30)
    rows = []
    for p in participants:
        ended = LegalBasis.objects.filter(resident=p.resident, end_date__lt=cutoff).exists()
        rows.append({"arm": p.arm, "gemeente": str(p.resident.municipality_id), "y": 1.0 if ended else 0.0})
    return pd.DataFrame(rows)


def test_the_pooled_estimate_has_municipality_fixed_effects_and_each_municipality_its_own(
    login_as, apeldoorn, epe, pim, alice, erik, charlie
) -> None:
    experiment = _joint(pim, erik, arms=TWO_ARMS, strata=(), primary_outcome="uitstroom_12")
    participants = _measured_world(experiment, [(apeldoorn, alice, 12), (epe, charlie, 12)])
    data = _frame(participants)
    (result,) = selectors.experiment_analysis(experiment, actor_of(erik))
    (pooled,) = result.effects
    own = smf.ols("y ~ C(arm, Treatment('regulier')) + C(gemeente)", data).fit(cov_type="HC2", use_t=True)
    name = "C(arm, Treatment('regulier'))[T.eigen_regie]"
    assert pooled.effect == pytest.approx(own.params[name])
    assert pooled.se == pytest.approx(own.bse[name])
    assert pooled.p == pytest.approx(own.pvalues[name])
    # One estimate per municipality: the same estimator on that municipality's participants alone.
    by_name = {m.municipality: m for m in result.per_municipality}
    assert set(by_name) == {"Apeldoorn", "Epe"} and by_name["Epe"].own and not by_name["Apeldoorn"].own
    for municipality, key in ((apeldoorn, "Apeldoorn"), (epe, "Epe")):
        alone = data[data.gemeente == str(municipality.pk)]
        fit = smf.ols("y ~ C(arm, Treatment('regulier'))", alone).fit(cov_type="HC2", use_t=True)
        (effect,) = by_name[key].effects
        assert effect.effect == pytest.approx(fit.params[name]) and effect.se == pytest.approx(fit.bse[name])
        assert [c.n for c in by_name[key].cells] == [6, 6]
    # On the screen, in the CSV and over the API, for Epe as for Apeldoorn.
    client = login_as(erik)
    page = client.get(f"/experimenten/{experiment.pk}/analyse/").content.decode()
    assert "Alle gemeenten samen, met een vast effect per gemeente" in page and "Per gemeente" in page
    assert f"{pooled.effect:.3f}".replace(".", ",") in page
    export = client.get(f"/experimenten/{experiment.pk}/analyse/?formaat=csv").content.decode().splitlines()
    assert export[0].endswith(";gemeente")
    assert any(line.endswith(";alle") for line in export) and any(
        line.endswith(";Apeldoorn") for line in export
    )
    api = client.get(f"/api/v1/experiments/{experiment.pk}/analysis").json()
    (outcome,) = api["outcomes"]
    assert [m["municipality"] for m in outcome["per_municipality"]] == ["Apeldoorn", "Epe"]
    assert outcome["effects"][0]["effect"] == f"{pooled.effect:.3f}"


def test_a_municipality_with_a_small_cell_shows_under_five_and_no_estimate(
    login_as, apeldoorn, epe, oss, pim, alice, erik, charlie, olga
) -> None:
    oss_worker = MembershipFactory(municipality=oss, role=Role.CASEWORKER_WORK)
    experiment = _joint(pim, erik, olga, arms=TWO_ARMS, strata=(), primary_outcome="uitstroom_12")
    _measured_world(experiment, [(apeldoorn, alice, 12), (epe, charlie, 12), (oss, oss_worker, 4)])
    (result,) = selectors.experiment_analysis(experiment, actor_of(pim))
    assert result.effects  # pooled over 28
    by_name = {m.municipality: m for m in result.per_municipality}
    small = by_name["Oss"]
    assert all(c.n is None and c.small for c in small.cells) and not small.effects
    # Oss's cells could be worked out from the pooled n minus the others: one other municipality's cell per
    # arm is hidden too, without an estimate either.
    others = [by_name["Apeldoorn"], by_name["Epe"]]
    hidden = [m for m in others if not m.effects]
    assert hidden and all("Niet getoond" in m.note for m in hidden)
    page = login_as(pim).get(f"/experimenten/{experiment.pk}/analyse/").content.decode()
    assert "&lt;5" in page and "Te weinig metingen in deze gemeente" in page
    export = login_as(pim).get(f"/experimenten/{experiment.pk}/analyse/?formaat=csv").content.decode()
    oss_rows = [line.split(";") for line in export.splitlines() if line.endswith(";Oss")]
    assert oss_rows and all(row[3] == "" and row[9] == "<5" for row in oss_rows)


def test_the_shared_counts_hide_a_small_municipality_and_what_would_give_it_away(
    apeldoorn, epe, pim, alice, erik, charlie
) -> None:
    experiment = _joint(pim, erik, arms=TWO_ARMS, strata=())
    for municipality, worker, count in ((apeldoorn, alice, 10), (epe, charlie, 2)):
        for _ in range(count):
            _consent(
                experiment,
                ResidentFactory(municipality=municipality, caseworker_work=worker.user, work=True),
                worker,
            )
    own = selectors.flow(experiment, actor_of(pim))
    shared = selectors.shared_counts(experiment, actor_of(pim), own=own)
    epe_row = next(row for row in shared.rows if row.municipality == "Epe")
    assert epe_row.per_arm == (None, None) and epe_row.total is None
    # Apeldoorn's own 5 + 5 are on its own flow, so the totals per arm are hidden instead.
    assert shared.per_arm == (None, None) and shared.total is None
    assert next(row for row in shared.rows if row.own).per_arm == (5, 5)


def test_closing_a_joint_experiment_ends_every_arm_and_logs_each_municipality_in_its_own_log(
    apeldoorn, epe, pim, alice, ruben, erik, charlie
) -> None:
    experiment = _joint(pim, erik)
    eva = ResidentFactory(municipality=epe, caseworker_work=charlie.user, work=True)
    _consent(experiment, ruben, alice)
    _consent(experiment, eva, charlie)
    actions.do_close_experiment(experiment, on=timezone.localdate(), actor=actor_of(pim))
    # The lead closes it for every municipality: Eva's arm in Epe ends too.
    assert ExperimentArm.objects.get(resident=eva).ends_on == timezone.localdate()
    entries = ProcessingLogEntry.objects.filter(actor=pim.user, action="update", purpose=Purpose.RESEARCH)
    in_epe = entries.filter(municipality=epe).latest("occurred_at")
    assert list(in_epe.subjects.values_list("resident_id", flat=True)) == [eva.pk]
    in_apeldoorn = entries.filter(municipality=apeldoorn).latest("occurred_at")
    assert list(in_apeldoorn.subjects.values_list("resident_id", flat=True)) == [ruben.pk]
