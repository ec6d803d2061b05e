"""The functioneel beheerder manages the users and roles of their own municipality."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from meedoen.accounts.models import Membership, User
from meedoen.accounts.tests.factories import MembershipFactory, TOTPDeviceFactory

pytestmark = pytest.mark.django_db

NEW_USER = {
    "username": "nieuw.collega",
    "first_name": "Noor",
    "last_name": "Hendriks",
    "email": "noor@example.nl",
    "role": "wmo_consulent",
    "password": "Lang-genoeg-wachtwoord-7",
}


def test_admin_creates_a_user_with_a_role(ada, apeldoorn, login_as):
    response = login_as(ada).post(reverse("accounts:users"), NEW_USER, follow=True)
    assert "Gebruiker Noor Hendriks is aangemaakt." in response.content.decode()
    membership = Membership.objects.get(user__username="nieuw.collega")
    assert membership.municipality == apeldoorn
    assert membership.role == "wmo_consulent"
    assert membership.user.check_password(NEW_USER["password"])


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("password", "kort", "Dit wachtwoord is te kort"),
        ("username", "ada", "Deze gebruikersnaam bestaat al"),
        ("username", "ADA", "Deze gebruikersnaam bestaat al"),
        ("username", "met spatie", "Gebruik 3 tot 150 letters"),
        ("email", "geen-mail", "Voer een geldig e-mailadres in"),
        ("role", "superheld", "Selecteer een geldige keuze"),
    ],
)
def test_bad_input_is_a_dutch_error_and_nothing_is_saved(field, value, message, ada, login_as):
    before = User.objects.count()
    response = login_as(ada).post(reverse("accounts:users"), {**NEW_USER, field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.count() == before


def test_a_username_that_differs_only_in_case_is_refused_by_the_action_itself(ada, apeldoorn):
    from meedoen.accounts.actions import ActionRefused, do_create_user

    with pytest.raises(ActionRefused) as refused:
        do_create_user(
            username="Ada", first_name="A", last_name="B", email="a@example.nl", password=None,
            municipality=apeldoorn, role="klantmanager", actor=None,
        )  # fmt: skip
    assert refused.value.field == "username"


def test_admin_turns_a_role_off_and_its_api_keys_stop(ada, alice, login_as):
    from meedoen.accounts.actions import do_issue_api_token
    from meedoen.accounts.actor import Actor

    issued = do_issue_api_token(name="crm", actor=Actor(alice.user, alice, "test"))
    login_as(ada).post(reverse("accounts:deactivate", args=[alice.pk]))
    alice.refresh_from_db()
    assert not alice.is_active
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is not None


def test_admin_cannot_turn_off_their_own_role(ada, login_as):
    response = login_as(ada).post(reverse("accounts:deactivate", args=[ada.pk]), follow=True)
    assert "U kunt uw eigen rol niet uitzetten." in response.content.decode()
    ada.refresh_from_db()
    assert ada.is_active


def test_admin_makes_a_user_link_a_new_app(ada, alice, login_as):
    TOTPDeviceFactory(user=alice.user)
    login_as(ada).post(reverse("accounts:reset-second-factor", args=[alice.pk]))
    assert not TOTPDevice.objects.filter(user=alice.user).exists()


def test_admin_of_epe_cannot_touch_apeldoorn(alice, epe, login_as):
    admin_epe = MembershipFactory(municipality=epe, role="functioneel_beheerder")
    client = login_as(admin_epe)
    assert client.post(reverse("accounts:deactivate", args=[alice.pk])).status_code == 404
    assert "alice" not in client.get(reverse("accounts:users")).content.decode()
    alice.refresh_from_db()
    assert alice.is_active


@pytest.mark.parametrize("persona", ["alice", "pim", "paula", "fred", "rita"])
def test_other_roles_cannot_manage_users(persona, request, login_as):
    client = login_as(request.getfixturevalue(persona))
    assert client.get(reverse("accounts:users")).status_code == 403
    assert client.post(reverse("accounts:users"), NEW_USER).status_code == 403
    assert not User.objects.filter(username="nieuw.collega").exists()
