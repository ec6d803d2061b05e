"""Demo data never lands in a production database, and the published demo password is no password."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from meedoen.accounts.models import User
from meedoen.demo import generator
from meedoen.municipalities.models import Municipality

pytestmark = pytest.mark.django_db


@override_settings(MEEDOEN_PRODUCTION=True)
def test_the_demo_command_refuses_production_settings_and_writes_nothing():
    with pytest.raises(CommandError, match="Demogegevens horen niet in een productiedatabase") as refused:
        call_command("demo", "--no-serve", "--size", "small")
    assert "Nothing was written" in str(refused.value)
    assert not Municipality.objects.exists()
    assert not User.objects.exists()


@override_settings(MEEDOEN_PRODUCTION=True)
def test_the_seed_command_and_the_generator_refuse_production_settings():
    with pytest.raises(CommandError, match="productiedatabase"):
        call_command("seed", "--size", "small")
    with pytest.raises(generator.DemoRefused):
        generator.generate(size="small")
    assert not Municipality.objects.exists()
    assert not User.objects.exists()


def test_createadmin_refuses_the_published_demo_password(apeldoorn):
    for password in (generator.DEMO_PASSWORD, generator.DEMO_PASSWORD.upper()):
        with pytest.raises(CommandError, match="het wachtwoord van de demo"):
            call_command("createadmin", municipality="apeldoorn", username="beheerder", password=password)
    assert not User.objects.filter(username="beheerder").exists()
