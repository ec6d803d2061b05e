"""The installation commands: createadmin and seed."""

import pytest
from django.core.management import CommandError, call_command

from meedoen.accounts.models import Membership

pytestmark = pytest.mark.django_db


def test_createadmin_makes_a_functioneel_beheerder(apeldoorn):
    call_command(
        "createadmin", municipality="apeldoorn", username="beheerder", password="Lang-genoeg-wachtwoord-7"
    )
    membership = Membership.objects.get(user__username="beheerder")
    assert membership.role == "functioneel_beheerder"
    assert membership.municipality == apeldoorn


def test_createadmin_refuses_a_weak_password(apeldoorn):
    with pytest.raises(CommandError, match="te kort"):
        call_command("createadmin", municipality="apeldoorn", username="beheerder", password="kort")
    assert not Membership.objects.exists()


def test_createadmin_needs_a_known_municipality(db):
    with pytest.raises(CommandError, match="Unknown municipality"):
        call_command(
            "createadmin", municipality="atlantis", username="x", password="Lang-genoeg-wachtwoord-7"
        )
