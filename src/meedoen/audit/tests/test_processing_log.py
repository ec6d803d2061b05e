"""Every read and write of personal data leaves a row in the processing log, and the log cannot be changed."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from meedoen.accounts.actor import Actor
from meedoen.audit import log
from meedoen.audit.models import AppendOnlyError, LogAction, ProcessingLogEntry, ProcessingLogSubject, Purpose
from meedoen.residents.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


def test_opening_a_file_is_logged_with_who_why_and_where(alice, apeldoorn, login_as):
    resident = ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, work=True)
    login_as(alice).get(reverse("residents:detail", args=[resident.pk]))

    entry = ProcessingLogEntry.objects.get(action="view")
    assert entry.actor == alice.user
    assert entry.actor_role == "klantmanager"
    assert entry.municipality == apeldoorn
    assert entry.purpose == "begeleiding"
    assert entry.endpoint == "residents:detail"
    assert list(entry.subjects.values_list("resident_id", flat=True)) == [resident.pk]


def test_a_caseload_page_logs_exactly_the_residents_shown(alice, apeldoorn, login_as):
    shown = ResidentFactory.create_batch(3, municipality=apeldoorn, caseworker_work=alice.user, work=True)
    ResidentFactory(municipality=apeldoorn, work=True)  # not in alice's caseload: not listed, not logged
    login_as(alice).get(reverse("residents:caseload"))

    entry = ProcessingLogEntry.objects.get(action="search")
    assert entry.subject_count == 3
    assert set(entry.subjects.values_list("resident_id", flat=True)) == {r.pk for r in shown}


def test_a_search_that_finds_nobody_is_logged_without_subjects(alice, apeldoorn, login_as):
    login_as(alice).get(reverse("residents:caseload"), {"zoek": "Niemand"})

    entry = ProcessingLogEntry.objects.get(action="search")
    assert entry.subject_count == 0
    assert not entry.subjects.exists()


def test_a_write_that_fails_leaves_no_log_row(alice, apeldoorn):
    """The log joins the write's transaction (on PostgreSQL, as one statement inside it)."""
    resident = ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, work=True)
    with pytest.raises(RuntimeError), transaction.atomic():
        log.record(Actor(alice.user, alice, "test"), LogAction.UPDATE, Purpose.GUIDANCE, [resident.pk])
        raise RuntimeError("the write failed after logging")
    assert not ProcessingLogEntry.objects.exists()
    assert not ProcessingLogSubject.objects.exists()


def test_api_reads_are_logged_too(alice, apeldoorn, login_as):
    resident = ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, work=True)
    response = login_as(alice).get(reverse("api:resident-detail", args=[resident.pk]))
    assert response.status_code == 200
    entry = ProcessingLogEntry.objects.get()
    assert entry.endpoint == "api:resident-detail"
    assert entry.subjects.get().resident_id == resident.pk


def test_the_resident_viewing_their_own_file_is_logged(rita, login_as):
    login_as(rita).get(reverse("web:home"))
    entry = ProcessingLogEntry.objects.get()
    assert entry.purpose == "inzage_inwoner"
    assert entry.subject_count == 1


def test_a_refused_read_is_not_logged_as_a_read(charlie, apeldoorn, login_as):
    resident = ResidentFactory(municipality=apeldoorn, work=True)
    assert login_as(charlie).get(reverse("residents:detail", args=[resident.pk])).status_code == 404
    assert not ProcessingLogSubject.objects.filter(resident_id=resident.pk).exists()


def test_rows_cannot_be_changed_or_removed_through_the_orm(alice, apeldoorn, login_as):
    resident = ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, work=True)
    login_as(alice).get(reverse("residents:detail", args=[resident.pk]))
    entry = ProcessingLogEntry.objects.get()

    entry.purpose = "toezicht"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        ProcessingLogEntry.objects.all().update(purpose="toezicht")
    with pytest.raises(AppendOnlyError):
        ProcessingLogSubject.objects.all().delete()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_processinglogentry SET purpose = 'toezicht'",
        "DELETE FROM audit_processinglogentry",
        "UPDATE audit_processinglogsubject SET resident_id = resident_id",
        "DELETE FROM audit_processinglogsubject",
    ],
)
def test_the_database_itself_refuses_changes(statement, alice, apeldoorn, login_as):
    resident = ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, work=True)
    login_as(alice).get(reverse("residents:detail", args=[resident.pk]))
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert ProcessingLogEntry.objects.get().purpose == "begeleiding"
    assert ProcessingLogSubject.objects.count() == 1


def test_the_log_page_has_no_way_to_change_anything(fred, login_as):
    client = login_as(fred)
    assert client.post(reverse("audit:log")).status_code == 405
    assert client.delete(reverse("audit:log")).status_code == 405
    assert client.post(reverse("api:processing-log-entry-list")).status_code == 405


def test_privacy_officer_finds_who_looked_at_a_resident(alice, fred, apeldoorn, login_as):
    resident = ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, work=True)
    login_as(alice).get(reverse("residents:detail", args=[resident.pk]))

    page = login_as(fred).get(reverse("audit:log"), {"inwoner": str(resident.pk)}).content.decode()
    assert "alice" in page
    assert "Dossier van inwoner" in page
    assert "1 verwerking" in page
    # The FG's own search is logged as supervision.
    assert ProcessingLogEntry.objects.filter(actor=fred.user, purpose="toezicht").exists()


def test_log_filter_errors_are_shown_at_the_field(fred, login_as):
    page = login_as(fred).get(
        reverse("audit:log"), {"inwoner": "123456789", "van": "2026-05-01", "tot": "2026-04-01"}
    )
    html = page.content.decode()
    assert "Dit is geen geldig BSN." in html
    assert "Deze datum ligt voor de begindatum." in html


def test_privacy_officer_of_another_municipality_sees_nothing_of_it(alice, apeldoorn, epe, login_as):
    from meedoen.accounts.policies import Role
    from meedoen.accounts.tests.factories import MembershipFactory

    resident = ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, work=True)
    login_as(alice).get(reverse("residents:detail", args=[resident.pk]))
    fg_epe = MembershipFactory(municipality=epe, role=Role.PRIVACY_OFFICER)
    page = login_as(fg_epe).get(reverse("audit:log")).content.decode()
    assert "alice" not in page
    api = login_as(fg_epe).get(reverse("api:processing-log-entry-list")).json()
    assert all(row["actor"] != "alice" for row in api["results"])


@pytest.mark.parametrize("persona", ["alice", "pim", "paula", "ada", "rita"])
def test_other_roles_cannot_read_the_log(persona, request, login_as):
    client = login_as(request.getfixturevalue(persona))
    assert client.get(reverse("audit:log")).status_code == 403
    assert client.get(reverse("api:processing-log-entry-list")).status_code == 403


@pytest.mark.parametrize(
    "name",
    ["edit-personal", "add-legal-basis", "end-legal-basis", "consent", "withdraw-consent", "ladder",
     "profile", "plan", "plan-action", "note"],
)  # fmt: skip
def test_opening_an_edit_form_of_the_file_is_logged_as_a_read(name, alice, apeldoorn, login_as):
    """The form shows the resident's name, date of birth and current data."""
    from meedoen.residents.models import Consent

    resident = ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, work=True)
    consent = Consent.objects.create(
        resident=resident, shared_domain="wmo", given_on=resident.date_of_birth, recorded_by=alice.user
    )
    kwargs = {"resident_id": resident.pk}
    if name == "end-legal-basis":
        kwargs["basis_id"] = resident.legal_bases.get().pk
    if name == "withdraw-consent":
        kwargs["consent_id"] = consent.pk
    client = login_as(alice)
    assert client.get(reverse(f"residents:{name}", kwargs=kwargs)).status_code == 200
    entry = ProcessingLogEntry.objects.get(action="view")
    assert list(entry.subjects.values_list("resident_id", flat=True)) == [resident.pk]

    # A form sent back with errors shows the data again: logged again.
    client.post(reverse(f"residents:{name}", kwargs=kwargs), {"version": "x"})
    assert ProcessingLogEntry.objects.filter(action="view").count() == 2
