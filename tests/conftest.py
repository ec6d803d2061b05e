"""Fixtures shared by the project-wide tests (isolation, roles)."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from meedoen.accounts.models import ApiToken, Membership
from meedoen.accounts.policies import Role
from meedoen.accounts.tests.factories import MembershipFactory
from meedoen.audit.models import ProcessingLogSubject
from meedoen.budgets.models import Commitment, Invoice, InvoiceLine, LedgerEntry, OverspendApproval
from meedoen.budgets.tests.factories import (
    BudgetYearFactory,
    CommitmentFactory,
    FundingSourceFactory,
    ProjectFactory,
)
from meedoen.catalogue.models import Placement, Proposal, Seat
from meedoen.catalogue.tests.factories import ContractFactory, PlacementFactory, ProviderFactory
from meedoen.experiments import design as experiment_design
from meedoen.experiments.models import Experiment, Participant
from meedoen.experiments.tests.factories import regelluw
from meedoen.language.models import Term
from meedoen.language.tests.factories import TermFactory
from meedoen.letters.models import Letter, LetterTemplate
from meedoen.letters.tests.factories import LetterTemplateFactory
from meedoen.matching.models import AllocatedPair, AllocationRun
from meedoen.programmes.actions import do_ensure_indicators
from meedoen.programmes.models import CouncilReport, Indicator, ProjectMember, ProjectText, Success, Target
from meedoen.residents.models import Consent, LegalBasis, Plan, PlanAction, Resident, TimelineEvent
from meedoen.residents.tests.factories import ResidentFactory
from meedoen.routes.models import ReorientationRequest, Route, Step


@pytest.fixture
def apeldoorn_world(apeldoorn, alice):
    """One object of each kind in Apeldoorn, by the URL keyword that names it."""
    resident = ResidentFactory(
        municipality=apeldoorn,
        caseworker_work=alice.user,
        work=True,
        family_name="Zandbergen",
        given_names="Petra",
    )
    colleague = MembershipFactory(
        municipality=apeldoorn, role=Role.CASEWORKER_CARE, user__username="colleague"
    )
    token = ApiToken.objects.create(
        membership=alice, name="crm-koppeling", key_hash="x" * 64, prefix="mdn_xxxx"
    )
    consent = Consent.objects.create(
        resident=resident,
        shared_domain="participatiewet",
        given_on=dt.date(2026, 1, 5),
        recorded_by=alice.user,
    )
    plan = Plan.objects.create(resident=resident, goals="Petra wil koken.")
    action = PlanAction.objects.create(
        plan=plan, description="Kookcursus", owner="inwoner", due_on=dt.date(2026, 3, 1)
    )
    event = TimelineEvent(
        resident=resident, kind="notitie", occurred_at=timezone.now(), author=alice.user, text="Gesprek gehad"
    )
    event.attachment.save("verslag.txt", ContentFile(b"Petra Zandbergen: verslag"), save=True)
    provider = ProviderFactory(name="Zorgboerderij Zandbergen")
    ContractFactory(provider=provider, municipality=apeldoorn)
    placement = PlacementFactory(provider=provider, title="Zorgboerderij De Maten")
    proposal = Proposal.objects.create(
        municipality=apeldoorn,
        resident=resident,
        placement=placement,
        domain="participatiewet",
        start_date=dt.date(2026, 2, 1),
        hours_per_week=12,
        status=Proposal.Status.ACCEPTED,
        proposed_by=alice.user,
        proposed_at=timezone.now(),
    )
    seat = Seat.objects.create(
        municipality=apeldoorn,
        placement=placement,
        proposal=proposal,
        resident=resident,
        number=1,
        starts_on=dt.date(2026, 2, 1),
    )
    manager = MembershipFactory(municipality=apeldoorn, role=Role.PROGRAMME_MANAGER, user__username="pm")
    run = AllocationRun.objects.create(
        municipality=apeldoorn, started_by=manager, status=AllocationRun.Status.DONE, summary={"waiting": 1}
    )
    AllocatedPair.objects.create(run=run, resident=resident, placement=placement, score=80, distance_km=1.0)
    route = Route.objects.create(
        municipality=apeldoorn, resident=resident, opened_on=dt.date(2026, 1, 1), created_by=alice.user
    )
    step = Step.objects.create(
        route=route,
        phase="kennismaken",
        starts_on=dt.date(2026, 1, 1),
        reason="start",
        decided_by=alice.user,
        recorded_at=timezone.now(),
    )
    reorientation = ReorientationRequest.objects.create(
        municipality=apeldoorn,
        resident=resident,
        from_domain="participatiewet",
        to_domain="wmo",
        kind="meedoen",
        reason="Petra heeft hulp thuis nodig",
        requested_by=alice.user,
        requested_at=timezone.now(),
    )
    budget_year = BudgetYearFactory(municipality=apeldoorn, year=2026, created_by=alice.user)
    source = FundingSourceFactory(budget_year=budget_year)
    commitment = CommitmentFactory(
        source=source,
        seat=seat,
        resident=resident,
        provider=provider,
        starts_on=dt.date(2026, 2, 1),
        ends_on=dt.date(2026, 12, 31),
    )
    invoice = Invoice.objects.create(
        municipality=apeldoorn, provider=provider, number="2026-02", month=dt.date(2026, 2, 1),
        channel="portaal", submitted_by=alice.user, submitted_at=timezone.now(),
    )  # fmt: skip
    invoice_line = InvoiceLine.objects.create(
        municipality=apeldoorn, invoice=invoice, row=1, seat=seat, resident=resident, commitment=commitment,
        unit="week", units=4, unit_price=120, amount=480,
    )  # fmt: skip
    experiment = Experiment.objects.create(
        municipality=apeldoorn, title="Regelluwe bijstand", created_by=manager.user, status="werving", seed=7,
        design=experiment_design.as_data(regelluw()), registered_json="{}", registered_hash="0" * 64,
        registered_at=timezone.now(),
    )  # fmt: skip
    participant = Participant.objects.create(
        experiment=experiment, resident=resident, invited_on=dt.date(2026, 2, 1), recorded_by=alice.user
    )
    letter_template = LetterTemplateFactory(municipality=apeldoorn)
    letter = Letter.objects.create(
        municipality=apeldoorn, resident=resident, template=letter_template, kind=letter_template.kind,
        subject="Uitnodiging", body="Beste Petra,", event=event, made_by=alice.user, made_at=timezone.now(),
    )  # fmt: skip
    success = Success.objects.create(
        municipality=apeldoorn, resident=resident, kind=Success.Kind.CERTIFICATE,
        happened_on=dt.date(2026, 2, 1), source=Success.Source.BY_HAND, source_key="hand:1",
        certificate="Heftruck", proposed_by=alice.user,
    )  # fmt: skip
    return {
        "success_id": success.pk,
        "experiment_id": experiment.pk,
        "participant_id": participant.pk,
        "resident_id": resident.pk,
        "basis_id": resident.legal_bases.get().pk,
        "membership_id": colleague.pk,
        "token_id": token.pk,
        "consent_id": consent.pk,
        "action_id": action.pk,
        "event_id": event.pk,
        "provider_id": provider.pk,
        "placement_id": placement.pk,
        "proposal_id": proposal.pk,
        "seat_id": seat.pk,
        "run_id": run.pk,
        "request_id": reorientation.pk,
        "step_id": step.pk,
        "route_id": route.pk,
        "year_id": budget_year.pk,
        "commitment_id": commitment.pk,
        "invoice_id": invoice.pk,
        "line_id": invoice_line.pk,
        "source_id": source.pk,
        "term_id": TermFactory(municipality=apeldoorn, word="klant").pk,
        "letter_template_id": letter_template.pk,
        "letter_id": letter.pk,
        "project_id": ProjectFactory(municipality=apeldoorn, name="Re-integratie 45+").pk,
        "indicator_id": _indicator(apeldoorn).pk,
        "report_id": _council_report(apeldoorn).pk,
        "_resident": resident,
        "_membership": colleague,
        "_token": token,
    }


def _council_report(municipality):  # type: ignore[no-untyped-def]
    manager = MembershipFactory(municipality=municipality, role=Role.PROGRAMME_MANAGER)
    return CouncilReport.objects.create(
        municipality=municipality,
        quarter="2026-Q1",
        status=CouncilReport.Status.DONE,
        progress=100,
        requested_by=manager.user,
        membership=manager,
        pdf=b"%PDF-1.7",
        csv="\ufeffIndicator;Waarde\r\n",
        xlsx=b"PK",
    )


def _indicator(municipality):  # type: ignore[no-untyped-def]
    do_ensure_indicators(municipality)
    return Indicator.objects.get(municipality=municipality, code="in-programma")


def assert_apeldoorn_unchanged(apeldoorn_world: dict) -> None:  # type: ignore[type-arg]
    """Nothing of the world changed, and nothing of it was read."""
    assert Membership.objects.get(pk=apeldoorn_world["_membership"].pk).is_active
    assert ApiToken.objects.get(pk=apeldoorn_world["_token"].pk).revoked_at is None
    assert Consent.objects.get(pk=apeldoorn_world["consent_id"]).withdrawn_on is None
    assert LegalBasis.objects.get(pk=apeldoorn_world["basis_id"]).end_date is None
    assert PlanAction.objects.get(pk=apeldoorn_world["action_id"]).done_on is None
    assert TimelineEvent.objects.filter(resident=apeldoorn_world["_resident"]).count() == 1
    assert Proposal.objects.filter(resident=apeldoorn_world["_resident"]).count() == 1
    assert Seat.objects.get(pk=apeldoorn_world["seat_id"]).ended_on is None
    assert Placement.objects.get(pk=apeldoorn_world["placement_id"]).version == 1
    assert AllocationRun.objects.get(pk=apeldoorn_world["run_id"]).cancel_requested is False
    assert ReorientationRequest.objects.get(pk=apeldoorn_world["request_id"]).status == "open"
    assert Step.objects.filter(route__resident=apeldoorn_world["_resident"]).count() == 1
    resident = Resident.objects.get(pk=apeldoorn_world["resident_id"])
    assert (resident.family_name, resident.version) == ("Zandbergen", 1)
    assert Plan.objects.get(resident=resident).goals == "Petra wil koken."
    assert Commitment.objects.get(pk=apeldoorn_world["commitment_id"]).ends_on == dt.date(2026, 12, 31)
    assert LedgerEntry.objects.filter(commitment_id=apeldoorn_world["commitment_id"]).count() == 1
    assert not OverspendApproval.objects.exists()
    assert Term.objects.get(pk=apeldoorn_world["term_id"]).version == 1
    assert not ProcessingLogSubject.objects.filter(resident_id=apeldoorn_world["_resident"].pk).exists()
    assert not ProjectMember.objects.exists()
    assert not Target.objects.filter(indicator_id=apeldoorn_world["indicator_id"]).exists()
    assert not ProjectText.objects.exists()
    assert CouncilReport.objects.get(pk=apeldoorn_world["report_id"]).status == CouncilReport.Status.DONE
    assert InvoiceLine.objects.get(pk=apeldoorn_world["line_id"]).status == InvoiceLine.Status.WAITING
    participant = Participant.objects.get(pk=apeldoorn_world["participant_id"])
    assert (participant.status, participant.arm) == (Participant.Status.INVITED, "")
    assert Experiment.objects.get(pk=apeldoorn_world["experiment_id"]).title == "Regelluwe bijstand"
    assert LetterTemplate.objects.get(pk=apeldoorn_world["letter_template_id"]).version == 1
    assert Letter.objects.get(pk=apeldoorn_world["letter_id"]).sent_on is None
    success = Success.objects.get(pk=apeldoorn_world["success_id"])
    assert (success.status, success.text) == (Success.Status.PROPOSED, "")
