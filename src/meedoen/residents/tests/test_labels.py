"""The rungs of the participatieladder are shown in the chosen language: the pure rules keep the Dutch names,
the file and the ladder form translate them when they show them."""

import pytest
from django.urls import reverse
from django.utils import timezone

from meedoen.accounts.actor import Actor
from meedoen.residents import actions
from meedoen.residents.labels import CATALOGUE
from meedoen.residents.rules import LADDER

pytestmark = pytest.mark.django_db


def test_every_rung_name_is_in_the_catalogue():
    assert list(CATALOGUE) == [name for name, _definition in LADDER.values()]


def test_the_file_and_the_ladder_form_name_the_rung_in_english(alice, charlie, paula, ruben, login_as):
    actions.do_score_ladder(
        ruben,
        rung=4,
        scored_on=timezone.localdate(),
        rationale="Stage.",
        actor=Actor(alice.user, alice, "test"),
    )
    client = login_as(alice)
    client.cookies["django_language"] = "en"
    file = client.get(reverse("residents:detail", args=[ruben.pk])).content.decode()
    assert "Rung 4: Unpaid work (since" in file
    assert "4. Unpaid work" in file  # the history table
    assert "Onbetaald werk" not in file
    form = client.get(reverse("residents:ladder", args=[ruben.pk])).content.decode()
    assert "1. Isolated" in form and "Geïsoleerd" not in form
    client.cookies["django_language"] = "nl"
    assert "4. Onbetaald werk" in client.get(reverse("residents:detail", args=[ruben.pk])).content.decode()
    # The other municipality and the wrong role still see nothing of it.
    assert login_as(charlie).get(reverse("residents:detail", args=[ruben.pk])).status_code == 404
    assert login_as(paula).get(reverse("residents:detail", args=[ruben.pk])).status_code == 403
