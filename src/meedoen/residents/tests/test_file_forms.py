"""What going through every form of the file turned up: a second "done" is not a second line, a caseworker
records legal bases of their own domain only, and who takes themselves off a file they cannot open any more
is told so instead of landing on "not found"."""

import pytest
from django.urls import reverse
from django.utils import timezone

from meedoen.residents.models import LegalBasis, Plan, PlanAction, Resident, TimelineEvent
from meedoen.residents.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


def test_marking_an_agreement_done_twice_leaves_one_line(ruben, alice, login_as):
    plan = Plan.objects.create(resident=ruben)
    action = PlanAction.objects.create(
        plan=plan, description="Cv opsturen", owner="inwoner", due_on=timezone.localdate()
    )
    client = login_as(alice)
    url = reverse("residents:plan-action-done", args=[ruben.pk, action.pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert "Deze afspraak staat al op gedaan." in response.content.decode()
    assert TimelineEvent.objects.filter(text="Afspraak gedaan: Cv opsturen.").count() == 1


@pytest.mark.parametrize(
    ("persona", "own", "other"),
    [("alice", "bijstand", "wmo_begeleiding"), ("wendy", "wmo_begeleiding", "bijstand")],
)
def test_a_caseworker_records_legal_bases_of_their_own_domain(
    persona, own, other, ruben, wendy, request, login_as
):
    ruben.caseworker_care = wendy.user
    ruben.save(update_fields=["caseworker_care"])
    client = login_as(request.getfixturevalue(persona))
    url = reverse("residents:add-legal-basis", args=[ruben.pk])
    form = client.get(url).content.decode()
    assert f'value="{own}"' in form and f'value="{other}"' not in form
    response = client.post(url, {"kind": other, "start_date": "2024-01-01"})
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not LegalBasis.objects.filter(resident=ruben, kind=other, start_date="2024-01-01").exists()
    assert client.post(url, {"kind": own, "start_date": "2024-01-01"}).status_code == 302
    assert LegalBasis.objects.filter(resident=ruben, kind=own, start_date="2024-01-01").exists()


def test_the_action_refuses_a_basis_of_the_other_domain(ruben, alice):
    from meedoen.accounts.actor import Actor
    from meedoen.errors import RuleError
    from meedoen.residents import actions

    with pytest.raises(RuleError, match="Alleen een collega van dit domein"):
        actions.do_add_legal_basis(
            ruben,
            domain="wmo",
            kind="wmo_begeleiding",
            start=timezone.localdate(),
            end=None,
            actor=Actor(alice.user, alice, "test"),
        )


def test_who_takes_themselves_off_a_file_they_cannot_open_goes_back_to_the_caseload(ruben, wendy, login_as):
    """ruben has no Wmo basis: without wendy as his Wmo-consulent, his file is not hers to open."""
    ruben.caseworker_care = wendy.user
    ruben.save(update_fields=["caseworker_care"])
    ruben.refresh_from_db()
    data = {
        "given_names": ruben.given_names,
        "family_name": ruben.family_name,
        "date_of_birth": ruben.date_of_birth.isoformat(),
        "caseworker_work": str(ruben.caseworker_work_id),
        "version": ruben.version,
    }  # the optional fields left empty, Wmo-consulent among them
    response = login_as(wendy).post(reverse("residents:edit-personal", args=[ruben.pk]), data, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("residents:caseload")
    assert "Daarom kunt u dit dossier niet meer openen." in response.content.decode()
    assert Resident.objects.get(pk=ruben.pk).caseworker_care is None


def test_with_only_the_required_fields_a_caseworker_with_a_basis_keeps_the_file(alice, apeldoorn, login_as):
    resident = ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, work=True)
    data = {
        "given_names": "Sanne",
        "family_name": resident.family_name,
        "date_of_birth": resident.date_of_birth.isoformat(),
        "version": resident.version,
    }
    response = login_as(alice).post(reverse("residents:edit-personal", args=[resident.pk]), data, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("residents:detail", args=[resident.pk]))
    assert "De gegevens zijn opgeslagen." in response.content.decode()
