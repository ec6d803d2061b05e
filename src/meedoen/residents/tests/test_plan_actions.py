"""The agreements (afspraken) of the development plan: their status is text, overdue ones say so, marking one
done is its own labelled control, and a mistaken "done" can be undone."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from meedoen.accounts.actor import Actor
from meedoen.audit.models import ProcessingLogEntry
from meedoen.residents import actions
from meedoen.residents.models import Plan, PlanAction, TimelineEvent
from meedoen.residents.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreements(ruben):
    plan = Plan.objects.create(resident=ruben)
    today = timezone.localdate()
    late = PlanAction.objects.create(
        plan=plan, description="Cv opsturen", owner="inwoner", due_on=today - dt.timedelta(days=3)
    )
    open_ = PlanAction.objects.create(
        plan=plan,
        description="Kennismaken bij de kringloop",
        owner="inwoner",
        due_on=today + dt.timedelta(days=7),
    )
    done = PlanAction.objects.create(
        plan=plan, description="Fiets laten maken", owner="inwoner", due_on=today, done_on=today
    )
    return late, open_, done


def _row(html: str, description: str) -> str:
    return html[html.index(description) :].split("</tr>")[0]


def test_the_status_is_text_and_overdue_agreements_say_so(agreements, ruben, alice, login_as):
    late, _open, done = agreements
    html = login_as(alice).get(reverse("residents:detail", args=[ruben.pk])).content.decode()
    assert 'scope="col">Actie</th>' in html
    late_row, open_row, done_row = (_row(html, a.description) for a in agreements)
    assert f"te laat: klaar op {late.due_on:%d-%m-%Y} is voorbij" in late_row
    assert ">open</td>" in open_row and "te laat" not in open_row
    assert f"gedaan op {done.done_on:%d-%m-%Y}" in done_row
    # the action is a labelled control in its own column, not the status
    for row in (late_row, open_row):
        assert "Markeer als gedaan" in row and "Weer open zetten" not in row
    assert "Weer open zetten" in done_row and "Markeer als gedaan" not in done_row


def test_a_mistaken_done_is_undone(agreements, ruben, alice, login_as):
    _late, open_, _done = agreements
    client = login_as(alice)
    response = client.post(reverse("residents:plan-action-done", args=[ruben.pk, open_.pk]), follow=True)
    assert "Was dat een vergissing?" in response.content.decode()
    open_.refresh_from_db()
    assert open_.done_on == timezone.localdate()
    before = ProcessingLogEntry.objects.count()
    response = client.post(reverse("residents:plan-action-reopen", args=[ruben.pk, open_.pk]), follow=True)
    html = response.content.decode()
    assert "De afspraak staat weer open." in html
    assert ">open</td>" in _row(html[html.index('id="plan"') :], open_.description)
    open_.refresh_from_db()
    assert open_.done_on is None
    assert ProcessingLogEntry.objects.count() > before  # the undo is logged
    line = TimelineEvent.objects.get(text=f"Afspraak weer open: {open_.description}.")
    assert line.author == alice.user


def test_reopening_an_open_agreement_changes_nothing(agreements, ruben, alice, login_as):
    _late, open_, _done = agreements
    response = login_as(alice).post(
        reverse("residents:plan-action-reopen", args=[ruben.pk, open_.pk]), follow=True
    )
    assert "Deze afspraak staat al open." in response.content.decode()
    assert not TimelineEvent.objects.filter(text__startswith="Afspraak weer open").exists()


def test_reopen_is_a_post_only(agreements, ruben, alice, login_as):
    _late, _open, done = agreements
    response = login_as(alice).get(reverse("residents:plan-action-reopen", args=[ruben.pk, done.pk]))
    assert response.status_code == 405


def test_reopen_in_another_municipality_is_not_found(agreements, ruben, charlie, login_as):
    _late, _open, done = agreements
    response = login_as(charlie).post(reverse("residents:plan-action-reopen", args=[ruben.pk, done.pk]))
    assert response.status_code == 404
    done.refresh_from_db()
    assert done.done_on is not None


def test_reopen_an_agreement_of_another_resident_is_not_found(agreements, ruben, alice, apeldoorn, login_as):
    _late, _open, done = agreements
    other = ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, work=True)
    response = login_as(alice).post(reverse("residents:plan-action-reopen", args=[other.pk, done.pk]))
    assert response.status_code == 404


def test_reopen_by_a_role_without_files_is_refused(agreements, ruben, paula, login_as):
    _late, _open, done = agreements
    response = login_as(paula).post(reverse("residents:plan-action-reopen", args=[ruben.pk, done.pk]))
    assert response.status_code == 403
    done.refresh_from_db()
    assert done.done_on is not None


def test_an_action_on_a_file_of_another_municipality_is_refused_even_when_called_directly(
    agreements, ruben, charlie
):
    """The screens scope every file to the municipality; the actions check it again, so a future caller that
    forgets the scope still cannot write into another municipality's file."""
    late, _open, _done = agreements
    epe_worker = Actor(charlie.user, charlie, "test")
    with pytest.raises(PermissionDenied):
        actions.do_mark_plan_action_done(late, done_on=timezone.localdate(), actor=epe_worker)
    with pytest.raises(PermissionDenied):
        actions.do_add_note(
            ruben,
            kind=TimelineEvent.Kind.NOTE,
            text="Niet van Epe",
            occurred_at=timezone.now(),
            domain_only=False,
            attachment=None,
            actor=epe_worker,
        )
    late.refresh_from_db()
    assert late.done_on is None
    assert not TimelineEvent.objects.filter(resident=ruben, text__contains="Niet van Epe").exists()
