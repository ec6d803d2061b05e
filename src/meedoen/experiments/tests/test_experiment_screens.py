"""Design, pre-registration, recruitment and randomisation as the programme manager and caseworkers use them.

Personas: pim (programme manager, Apeldoorn), alice (klantmanager, Apeldoorn) with ruben in her caseload,
charlie (klantmanager, Epe), paula (provider)."""

import hashlib
import json

import pytest
from django.db import IntegrityError, transaction

from meedoen.accounts.policies import Role
from meedoen.accounts.tests.factories import MembershipFactory
from meedoen.audit.models import ProcessingLogEntry, Purpose
from meedoen.errors import RuleError
from meedoen.experiments import actions, assignment, design
from meedoen.experiments.models import Experiment, Participant
from meedoen.experiments.tests.factories import actor_of, make_experiment, regelluw
from meedoen.residents.models import TimelineEvent
from meedoen.residents.tests.factories import ResidentFactory

DESIGN_POST = {
    "title": "Regelluwe bijstand",
    "question": "Vinden inwoners vaker werk met minder regels?",
    "legal_bases": ["bijstand"],
    "arm_1_name": "Regulier",
    "arm_2_name": "Eigen regie",
    "primary_outcome": "betaald_werk_12",
    "standard_errors": "hc2",
    "baseline": "20",
    "effect": "5",
    "alpha": "5",
    "power": "80",
    "consent_rate": "15",
}


def _consent(experiment: Experiment, resident, caseworker) -> Participant:
    actor = actor_of(caseworker)
    participant = actions.do_invite(experiment, resident, on=experiment.created_at.date(), actor=actor)
    return actions.do_record_consent(participant, on=experiment.created_at.date(), actor=actor)


def test_programme_manager_designs_with_only_required_fields_and_sees_the_power_figures(
    login_as, pim
) -> None:
    client = login_as(pim)
    response = client.post("/experimenten/nieuw/", DESIGN_POST)
    experiment = Experiment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/experimenten/{experiment.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Deelnemers nodig per groep" in page
    assert "1092" in page  # 20% → 25%, two arms, 80% power: 1,092 per arm
    assert "Te veel groepen voor het aantal inwoners" in page  # nobody is eligible in this test municipality
    assert "Ontwerp vastleggen en werving starten" in page


def test_a_design_with_one_arm_gives_a_dutch_error_at_the_field(login_as, pim) -> None:
    response = login_as(pim).post("/experimenten/nieuw/", {**DESIGN_POST, "arm_2_name": ""})
    assert response.status_code == 200
    assert "Dit veld is verplicht" in response.content.decode() or "required" in response.content.decode()
    assert not Experiment.objects.exists()


def test_starting_recruitment_freezes_the_design_with_the_sha256_of_its_canonical_json(login_as, pim) -> None:
    client = login_as(pim)
    experiment = make_experiment(pim)
    client.post(f"/experimenten/{experiment.pk}/werving-starten/")
    experiment.refresh_from_db()
    assert experiment.status == Experiment.Status.RECRUITING
    assert experiment.registered_hash == hashlib.sha256(experiment.registered_json.encode()).hexdigest()
    registered = json.loads(experiment.registered_json)
    assert registered["design"]["arms"][1]["name"] == "Eigen regie"
    assert design.canonical_json(registered) == experiment.registered_json
    page = client.get(f"/experimenten/{experiment.pk}/").content.decode()
    assert experiment.registered_hash in page
    download = client.get(f"/experimenten/{experiment.pk}/registratie.json")
    assert hashlib.sha256(download.content).hexdigest() == experiment.registered_hash


def test_a_frozen_design_refuses_changes_other_than_amendments(login_as, pim) -> None:
    client = login_as(pim)
    experiment = make_experiment(pim, recruiting=True)
    before = experiment.registered_hash
    response = client.post(f"/experimenten/{experiment.pk}/ontwerp/", {**DESIGN_POST, "title": "Anders"})
    assert response.status_code == 302
    experiment.refresh_from_db()
    assert experiment.title == "Regelluwe bijstand"
    with pytest.raises(RuleError, match="vastgelegd"):
        actions.do_update_design(experiment, "Anders", regelluw(), actor=actor_of(pim))
    # An amendment: date, reason, its own hash; the original registration stays as it was.
    response = client.post(
        f"/experimenten/{experiment.pk}/wijziging/",
        {**DESIGN_POST, "arm_3_name": "Intensieve begeleiding", "arm_2_exempt": "on",
         "strata": ["leeftijdsgroep"], "min_age": "18", "secondary_outcomes": ["uitstroom_24"],
         "made_on": "2026-11-01",
         "reason": "Uitstroom na 24 maanden toegevoegd op verzoek van de raad."},
    )  # fmt: skip
    assert response.status_code == 302
    experiment.refresh_from_db()
    amendment = experiment.amendments.get()
    assert amendment.number == 1 and amendment.made_on.isoformat() == "2026-11-01"
    assert amendment.registered_hash == hashlib.sha256(amendment.registered_json.encode()).hexdigest()
    assert amendment.registered_hash != before and experiment.registered_hash == before
    page = client.get(f"/experimenten/{experiment.pk}/").content.decode()
    assert amendment.registered_hash in page and "De analyse volgt wijziging 1." in page


def test_an_amendment_after_randomisation_cannot_change_the_arms(pim, alice, ruben) -> None:
    experiment = make_experiment(pim, recruiting=True)
    _consent(experiment, ruben, alice)
    fewer = regelluw(arms=(design.Arm("regulier", "Regulier"), design.Arm("eigen_regie", "Eigen regie")))
    with pytest.raises(RuleError, match="al geloot"):
        actions.do_amend(
            experiment, fewer, reason="Minder groepen", made_on=ruben.created_at.date(), actor=actor_of(pim)
        )


def test_caseworker_sees_only_the_eligible_residents_of_her_own_caseload(
    login_as, apeldoorn, pim, alice, ruben
) -> None:
    experiment = make_experiment(pim, recruiting=True)
    ResidentFactory(municipality=apeldoorn, family_name="Anderman", work=True)  # someone else's caseload
    ResidentFactory(
        municipality=apeldoorn, family_name="Zonderbijstand", caseworker_work=alice.user
    )  # no benefit
    page = login_as(alice).get(f"/experimenten/{experiment.pk}/werving/").content.decode()
    assert "Jansen" in page
    assert "Anderman" not in page and "Zonderbijstand" not in page
    entry = ProcessingLogEntry.objects.filter(purpose=Purpose.RESEARCH, actor=alice.user).latest(
        "occurred_at"
    )
    assert list(entry.subjects.values_list("resident_id", flat=True)) == [ruben.pk]


def test_consent_randomises_once_logs_it_and_puts_the_arm_on_the_resident_file(
    login_as, pim, alice, ruben
) -> None:
    client = login_as(alice)
    experiment = make_experiment(pim, recruiting=True)
    client.post(f"/experimenten/{experiment.pk}/werving/{ruben.pk}/uitnodigen/", {"on": "2026-11-02"})
    participant = Participant.objects.get()
    assert participant.status == Participant.Status.INVITED and participant.arm == ""
    client.post(
        f"/experimenten/{experiment.pk}/deelnemers/{participant.pk}/instemming/", {"on": "2026-11-03"}
    )
    participant.refresh_from_db()
    assert participant.arm in {"regulier", "eigen_regie", "intensief"}
    assert participant.stratum == "leeftijdsgroep=45+" and participant.position == 0
    # Reproducible from the stored seed, stratum and position.
    ratios = {arm.code: arm.ratio for arm in regelluw().arms}
    assert assignment.sequence(experiment.seed, participant.stratum, 1, ratios)[0] == participant.arm
    # In the processing log, and on the resident's route line.
    assert (
        ProcessingLogEntry.objects.filter(purpose=Purpose.RESEARCH, subjects__resident_id=ruben.pk).count()
        >= 2
    )
    line = TimelineEvent.objects.get(resident=ruben, kind=TimelineEvent.Kind.ROUTE)
    assert "Regelluwe bijstand" in line.text
    file_page = client.get(f"/inwoners/{ruben.pk}/").content.decode()
    assert "ingeloot in de groep" in file_page
    # Never re-rolled: consent again through the screen is refused and the arm stays.
    arm = participant.arm
    response = client.post(
        f"/experimenten/{experiment.pk}/deelnemers/{participant.pk}/instemming/", {"on": "2026-11-04"}
    )
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.arm == arm and participant.position == 0
    with pytest.raises(RuleError, match="nooit overgedaan"):
        actions.do_record_consent(participant, on=participant.answered_on, actor=actor_of(alice))
    # Stopping keeps the arm (intention to treat).
    client.post(f"/experimenten/{experiment.pk}/deelnemers/{participant.pk}/stoppen/", {"on": "2026-11-05"})
    participant.refresh_from_db()
    assert participant.status == Participant.Status.WITHDRAWN and participant.arm == arm


def test_the_database_refuses_to_change_or_remove_an_assigned_arm(pim, alice, ruben) -> None:
    experiment = make_experiment(pim, recruiting=True)
    participant = _consent(experiment, ruben, alice)
    other = "regulier" if participant.arm != "regulier" else "intensief"
    with pytest.raises(IntegrityError), transaction.atomic():
        Participant.objects.filter(pk=participant.pk).update(arm=other)
    with pytest.raises(IntegrityError), transaction.atomic():
        Participant.objects.filter(pk=participant.pk).delete()
    participant.refresh_from_db()
    assert participant.arm != other


def test_arms_are_balanced_within_strata_and_reproducible_from_the_seed(apeldoorn, pim, alice) -> None:
    experiment = make_experiment(pim, recruiting=True)
    residents = [
        ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, work=True, date_of_birth=born)
        for born in [
            *[__import__("datetime").date(1990, 1, 1)] * 9,
            *[__import__("datetime").date(1960, 1, 1)] * 6,
        ]
    ]
    participants = [_consent(experiment, resident, alice) for resident in residents]
    ratios = {"regulier": 1, "eigen_regie": 1, "intensief": 1}
    for stratum in {p.stratum for p in participants}:
        members = sorted((p for p in participants if p.stratum == stratum), key=lambda p: p.position)
        arms = [p.arm for p in members]
        assert arms == assignment.sequence(experiment.seed, stratum, len(arms), ratios)
        assert {arms.count(code) for code in ratios} == {len(arms) // 3}  # full blocks: exactly equal


def test_the_flow_and_the_balance_table_show_aggregates(login_as, apeldoorn, pim, alice) -> None:
    experiment = make_experiment(pim, recruiting=True)
    for _ in range(15):
        _consent(
            experiment, ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, work=True), alice
        )
    page = login_as(pim).get(f"/experimenten/{experiment.pk}/").content.decode()
    assert "Deelnemers per groep" in page
    assert "Gemiddelden bij de loting per groep" in page
    assert "Samen getoetst" in page
    assert "Jansen" not in page  # no names for the programme manager


def test_other_municipality_gets_404_and_a_role_without_the_capability_403(
    login_as, pim, charlie, paula, alice, ruben
) -> None:
    experiment = make_experiment(pim, recruiting=True)
    participant = actions.do_invite(experiment, ruben, on=ruben.created_at.date(), actor=actor_of(alice))
    epe = login_as(charlie)
    assert epe.get(f"/experimenten/{experiment.pk}/").status_code == 404
    assert epe.get(f"/experimenten/{experiment.pk}/werving/").status_code == 404
    assert (
        epe.post(f"/experimenten/{experiment.pk}/deelnemers/{participant.pk}/instemming/").status_code == 404
    )
    provider = login_as(paula)
    assert provider.get("/experimenten/").status_code == 403
    assert provider.get(f"/experimenten/{experiment.pk}/").status_code == 403
    assert provider.get("/experimenten/nieuw/").status_code == 403
    # A caseworker cannot design; the programme manager cannot randomise.
    assert login_as(alice).get("/experimenten/nieuw/").status_code == 403
    manager = login_as(pim)
    assert (
        manager.post(f"/experimenten/{experiment.pk}/deelnemers/{participant.pk}/instemming/").status_code
        == 403
    )
    participant.refresh_from_db()
    assert participant.arm == ""


def test_a_caseworker_cannot_invite_or_answer_for_another_caseload(
    login_as, apeldoorn, pim, alice, wendy, ruben
) -> None:
    experiment = make_experiment(pim, recruiting=True)
    stranger = ResidentFactory(municipality=apeldoorn, work=True)
    client = login_as(alice)
    assert client.post(f"/experimenten/{experiment.pk}/werving/{stranger.pk}/uitnodigen/").status_code == 404
    participant = actions.do_invite(experiment, ruben, on=ruben.created_at.date(), actor=actor_of(alice))
    assert (
        login_as(wendy)
        .post(f"/experimenten/{experiment.pk}/deelnemers/{participant.pk}/instemming/")
        .status_code
        == 404
    )
    assert not Participant.objects.exclude(pk=participant.pk).exists()


def test_the_analysis_screen_shows_effects_a_forest_plot_and_a_csv(
    login_as, apeldoorn, pim, alice, charlie
) -> None:
    import datetime as dt

    from django.utils import timezone

    from meedoen.residents.models import LegalBasis

    experiment = make_experiment(pim, recruiting=True, strata=(), secondary_outcomes=("uitstroom_12",))
    participants = [
        _consent(
            experiment, ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, work=True), alice
        )
        for _ in range(18)
    ]
    # A year and a bit later (the trigger keeps arm and position; the moment of assignment may be set).
    assigned = timezone.now() - dt.timedelta(days=400)
    Participant.objects.filter(experiment=experiment).update(assigned_at=assigned)
    left = []
    for index, participant in enumerate(participants):
        if participant.arm == "eigen_regie" and index % 2 == 0:
            LegalBasis.objects.filter(resident=participant.resident).update(
                end_date=assigned.date() + dt.timedelta(days=90)
            )
            left.append(participant)
    client = login_as(pim)
    page = client.get(f"/experimenten/{experiment.pk}/analyse/").content.decode()
    assert "Uit de bijstand na 12 maanden" in page and "<svg" in page
    assert "Deze uitkomst is bij iedereen gelijk" in page  # nobody has paid work in this test world
    share = len(left) / sum(p.arm == "eigen_regie" for p in participants)
    assert f"{share:.3f}".replace(".", ",") in page
    export = client.get(f"/experimenten/{experiment.pk}/analyse/?formaat=csv").content.decode()
    assert export.splitlines()[0].startswith("uitkomst;maanden;groep;effect")
    assert "uitstroom_12;12;Eigen regie;" in export
    assert login_as(alice).get(f"/experimenten/{experiment.pk}/analyse/").status_code == 403
    assert login_as(charlie).get(f"/experimenten/{experiment.pk}/analyse/").status_code == 403
    epe_manager = MembershipFactory(municipality=charlie.municipality, role=Role.PROGRAMME_MANAGER)
    assert login_as(epe_manager).get(f"/experimenten/{experiment.pk}/analyse/").status_code == 404


def test_a_wmo_consulent_does_not_learn_of_bijstand_from_the_recruitment_list(
    login_as, apeldoorn, pim, wendy, alice
) -> None:
    """Eligibility on the list is judged on the part of the file the caseworker sees: a bijstand experiment
    lists a resident for the Wmo-consulent only when the resident shares the Participatiewet part with her."""
    import datetime as dt

    from meedoen.residents.models import Consent

    experiment = make_experiment(pim, recruiting=True)
    hidden = ResidentFactory(
        municipality=apeldoorn, family_name="Verborgen", caseworker_care=wendy.user, both=True
    )
    shared = ResidentFactory(
        municipality=apeldoorn, family_name="Gedeeld", caseworker_care=wendy.user, both=True
    )
    Consent.objects.create(
        resident=shared, shared_domain="participatiewet", given_on=dt.date(2025, 1, 1), recorded_by=alice.user
    )
    ResidentFactory(municipality=apeldoorn, family_name="Anderswmo", care=True, work=True)  # not her caseload
    client = login_as(wendy)
    page = client.get(f"/experimenten/{experiment.pk}/werving/").content.decode()
    assert "Gedeeld" in page
    assert "Verborgen" not in page and "Anderswmo" not in page
    entry = ProcessingLogEntry.objects.filter(purpose=Purpose.RESEARCH, actor=wendy.user).latest(
        "occurred_at"
    )
    assert list(entry.subjects.values_list("resident_id", flat=True)) == [shared.pk]
    # Nor can she invite the resident whose bijstand she does not see.
    assert client.post(f"/experimenten/{experiment.pk}/werving/{hidden.pk}/uitnodigen/").status_code == 404
    assert not Participant.objects.filter(resident=hidden).exists()


def _derivable(total: int | None, parts: list[int | None]) -> bool:
    """Whether a hidden part follows from a shown total minus the shown parts."""
    return total is not None and sum(part is None for part in parts) == 1


def test_the_flow_hides_enough_cells_that_no_hidden_count_can_be_worked_out(
    login_as, apeldoorn, pim, alice
) -> None:
    from meedoen.experiments import selectors

    experiment = make_experiment(pim, recruiting=True)
    for _ in range(15):  # one stratum (everyone 45+), five full blocks: exactly five per arm
        _consent(
            experiment, ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, work=True), alice
        )
    for _ in range(3):  # three still to answer: a small cell
        resident = ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, work=True)
        actions.do_invite(experiment, resident, on=experiment.created_at.date(), actor=actor_of(alice))
    flow = selectors.flow(experiment, actor_of(pim))
    assert flow.invited == 18 and flow.refused == 0 and flow.waiting is None
    assert not _derivable(flow.invited, [flow.waiting, flow.refused, flow.randomised])
    assert not _derivable(flow.randomised, [randomised for _name, randomised, _s, _a in flow.per_arm])
    page = login_as(pim).get(f"/experimenten/{experiment.pk}/").content.decode()
    assert "Soms laten we ook een groter aantal weg" in page


def test_a_handful_of_eligible_residents_is_not_counted_on_the_experiment_page(
    login_as, apeldoorn, pim, alice
) -> None:
    from meedoen.experiments import selectors

    experiment = make_experiment(pim, recruiting=True)
    for _ in range(2):
        ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, work=True)
    assert selectors.flow(experiment, actor_of(pim)).eligible is None
    page = login_as(pim).get(f"/experimenten/{experiment.pk}/").content.decode()
    assert "Nu mogen minder dan 5 inwoners meedoen." in page
    assert "Nu mogen 2 inwoners" not in page and "van de 2 inwoners" not in page


def test_attrition_hides_small_cells_and_what_would_give_them_away() -> None:
    from meedoen.experiments import analysis, selectors

    attrition = analysis.Attrition(
        outcome="y",
        arms=(
            analysis.ArmAttrition("regulier", assigned=10, missing=3),
            analysis.ArmAttrition("eigen_regie", assigned=10, missing=0),
            analysis.ArmAttrition("intensief", assigned=10, missing=0),
        ),
        p_differential=0.04,
    )
    due, waiting, shown = selectors._shown_counts(36, 30, 6, attrition)
    assert shown is not None
    missing = {row.arm: row.missing for row in shown.arms}
    assigned = {row.arm: row.assigned for row in shown.arms}
    assert missing == {"regulier": None, "eigen_regie": 0, "intensief": 0}
    # Regulier's n (7) is shown with the effect, so its assigned would give its missing away; the total
    # missing (due minus every n) would too, so due goes, and with it waiting (randomised = due + waiting).
    assert assigned["regulier"] is None
    assert due is None and waiting is None
    assert shown.p_differential is None


def test_a_randomised_resident_stays_on_the_list_when_the_rules_no_longer_admit_them(
    login_as, apeldoorn, pim, alice, ruben
) -> None:
    import datetime as dt

    from django.utils import timezone

    from meedoen.residents.models import LegalBasis

    experiment = make_experiment(pim, recruiting=True)
    participant = _consent(experiment, ruben, alice)
    invited = ResidentFactory(
        municipality=apeldoorn, family_name="Uitgenodigd", caseworker_work=alice.user, work=True
    )
    actions.do_invite(experiment, invited, on=experiment.created_at.date(), actor=actor_of(alice))
    # Both benefits end: neither is eligible any more.
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    LegalBasis.objects.filter(resident__in=[ruben, invited]).update(end_date=yesterday)
    client = login_as(alice)
    page = client.get(f"/experimenten/{experiment.pk}/werving/").content.decode()
    assert "Jansen" in page and "Uitgenodigd" in page
    assert "Doet mee" in page and "Past nu niet meer bij de regels" in page
    # She can still record that he stops; his arm stays.
    client.post(f"/experimenten/{experiment.pk}/deelnemers/{participant.pk}/stoppen/", {"on": "2026-11-05"})
    participant.refresh_from_db()
    assert participant.status == Participant.Status.WITHDRAWN and participant.arm


def test_a_fall_back_after_paid_work_is_no_paid_work_at_the_measurement_moment(apeldoorn, alice) -> None:
    import datetime as dt

    from django.utils import timezone

    from meedoen.experiments import selectors
    from meedoen.routes.models import Route, Step, StepReason

    resident = ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, work=True)

    def step(route: Route, phase: str, on: dt.date, reason: str = StepReason.START) -> None:
        Step.objects.create(
            route=route, phase=phase, starts_on=on, reason=reason, decided_by=alice.user,
            recorded_at=timezone.now(),
        )  # fmt: skip

    first = Route.objects.create(
        municipality=apeldoorn, resident=resident, opened_on=dt.date(2024, 1, 1), created_by=alice.user,
        closed_on=dt.date(2024, 6, 1), outcome="betaald_werk_zonder_uitkering",
    )  # fmt: skip
    step(first, "verkennen", dt.date(2024, 1, 1))
    step(first, "betaald_werk", dt.date(2024, 5, 1), StepReason.READY)
    start = dt.date(2024, 1, 15)
    assert selectors._outcome_values(resident, "betaald_werk_6", start, dt.date(2024, 7, 15)) == 1.0
    # The job ends; the terugvalgarantie reopens the route in the phase before paid work.
    again = Route.objects.create(
        municipality=apeldoorn, resident=resident, opened_on=dt.date(2024, 10, 1), created_by=alice.user,
        previous=first, is_fall_back=True,
    )  # fmt: skip
    step(again, "werken_met_ondersteuning", dt.date(2024, 10, 1), StepReason.FALL_BACK)
    assert selectors._outcome_values(resident, "betaald_werk_12", start, dt.date(2025, 1, 15)) == 0.0
    # Before the fall-back the paid work still counts; after a new job on the reopened route, again.
    assert selectors._outcome_values(resident, "betaald_werk_6", start, dt.date(2024, 7, 15)) == 1.0
    step(again, "betaald_werk", dt.date(2025, 3, 1), StepReason.READY)
    assert selectors._outcome_values(resident, "betaald_werk_24", start, dt.date(2026, 1, 15)) == 1.0


def test_a_date_that_is_no_date_gives_a_dutch_error_at_the_field_and_records_nothing(
    login_as, pim, alice, ruben
) -> None:
    experiment = make_experiment(pim, recruiting=True)
    client = login_as(alice)
    response = client.post(
        f"/experimenten/{experiment.pk}/werving/{ruben.pk}/uitnodigen/", {"on": "31-13-2026"}
    )
    assert response.status_code == 400
    assert "Vul een bestaande datum in" in response.content.decode()
    assert not Participant.objects.exists()
    participant = actions.do_invite(experiment, ruben, on=experiment.created_at.date(), actor=actor_of(alice))
    response = client.post(
        f"/experimenten/{experiment.pk}/deelnemers/{participant.pk}/instemming/", {"on": "2026-02-31"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    # At the field, in the row's own form, with what was typed.
    form = page[page.index(f"/deelnemers/{participant.pk}/instemming/") :]
    form = form[: form.index("</form>")]
    assert "Vul een bestaande datum in" in form and 'value="2026-02-31"' in form
    participant.refresh_from_db()
    assert participant.status == Participant.Status.INVITED and participant.arm == ""
    assert not TimelineEvent.objects.filter(resident=ruben).exists()
    # Without a date nothing is recorded either.
    response = client.post(f"/experimenten/{experiment.pk}/deelnemers/{participant.pk}/weigering/", {})
    assert response.status_code == 400 and "Vul de datum in." in response.content.decode()
    participant.refresh_from_db()
    assert participant.status == Participant.Status.INVITED


def test_an_invitation_logs_only_the_invited_resident(login_as, apeldoorn, pim, alice, ruben) -> None:
    experiment = make_experiment(pim, recruiting=True)
    ResidentFactory(
        municipality=apeldoorn, caseworker_work=alice.user, work=True
    )  # also eligible, not invited
    before = set(ProcessingLogEntry.objects.values_list("pk", flat=True))
    response = login_as(alice).post(
        f"/experimenten/{experiment.pk}/werving/{ruben.pk}/uitnodigen/", {"on": "2026-11-02"}
    )
    assert response.status_code == 302
    entries = ProcessingLogEntry.objects.exclude(pk__in=before)
    assert entries.exists()
    assert set(entries.values_list("subjects__resident_id", flat=True)) == {ruben.pk}


def test_hours_worked_are_not_offered_but_an_older_design_that_names_them_is_still_read(
    login_as, apeldoorn, pim
) -> None:
    client = login_as(pim)
    form = client.get("/experimenten/nieuw/").content.decode()
    assert 'value="uren_werk_12"' not in form and "Betaald werk na 12 maanden" in form
    response = client.post("/experimenten/nieuw/", {**DESIGN_POST, "secondary_outcomes": ["uren_werk_12"]})
    assert response.status_code == 200 and not Experiment.objects.exists()
    with pytest.raises(RuleError, match="niet vastgelegd"):
        actions.do_create_experiment(
            "Uren", regelluw(secondary_outcomes=("uren_werk_12",)), actor=actor_of(pim)
        )
    # A design stored before: shown, and analysed with a clear note, not an error.
    older = make_experiment(pim, recruiting=True)
    Experiment.objects.filter(pk=older.pk).update(
        design=design.as_data(regelluw(secondary_outcomes=("uren_werk_12",)))
    )
    page = client.get(f"/experimenten/{older.pk}/").content.decode()
    assert "Uren betaald werk per week na 12 maanden (niet meetbaar)" in page
    analysis_page = client.get(f"/experimenten/{older.pk}/analyse/").content.decode()
    assert "Gewerkte uren worden in Meedoen niet vastgelegd." in analysis_page


def test_a_group_with_more_guidance_gets_its_review_rhythm_from_the_form(login_as, pim) -> None:
    client = login_as(pim)
    response = client.post("/experimenten/nieuw/", {**DESIGN_POST, "arm_2_review_weeks": "30"})
    assert response.status_code == 200 and not Experiment.objects.exists()
    assert "Kies 1 tot en met 26 weken." in response.content.decode()
    response = client.post(
        "/experimenten/nieuw/", {**DESIGN_POST, "arm_2_name": "Intensief", "arm_2_review_weeks": "2"}
    )
    assert response.status_code == 302
    experiment = Experiment.objects.get()
    assert design.from_data(experiment.design).arm("intensief").review_every_weeks == 2
    assert "een bespreking elke 2 weken" in client.get(response["Location"]).content.decode()
    # The edit form shows it again.
    assert 'value="2"' in client.get(f"/experimenten/{experiment.pk}/ontwerp/").content.decode()
