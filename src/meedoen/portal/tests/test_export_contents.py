"""What the copy of my data (AVG art. 15) holds: everything Meedoen keeps about the resident, also what an
app in the portal's own layer keeps (the programme's successes), and nothing about another resident."""

import datetime as dt
import io
import json

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from meedoen.accounts.actor import Actor
from meedoen.portal import export
from meedoen.residents import actions as resident_actions
from meedoen.residents.models import Resident

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
WORDS = "Ik werk nu twee ochtenden in de moestuin en ben daar trots op."


def _copy(client, django_capture_on_commit_callbacks) -> tuple[dict, str]:
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/mijn/gegevens/kopie/").status_code == 302
    document = json.loads(client.get("/mijn/gegevens/kopie/json/").content.decode())
    pdf = client.get("/mijn/gegevens/kopie/pdf/")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    return document, " ".join(text.split())


def _climbs(resident: Resident, to: int, staff: Actor) -> None:
    for rung, days_ago in ((2, 200), (to, 30)):
        resident_actions.do_score_ladder(
            resident,
            rung=rung,
            scored_on=TODAY - dt.timedelta(days=days_ago),
            rationale="Na het gesprek.",
            actor=staff,
        )


def test_my_success_with_my_own_words_is_in_my_copy_and_another_residents_is_not(
    rita, ruben, alice, login_as, django_capture_on_commit_callbacks
):
    mine = Resident.objects.get(user=rita.user)
    mine.caseworker_work = alice.user
    mine.save()
    staff = Actor(alice.user, alice, "test")
    _climbs(mine, 3, staff)
    _climbs(ruben, 4, staff)
    caseworker = login_as(alice)
    assert caseworker.post(reverse("programmes:success-propose")).status_code == 302
    success_model = apps.get_model("programmes", "Success")
    my_success = success_model.objects.get(resident=mine)
    assert success_model.objects.filter(resident=ruben).exists()

    client = login_as(rita)
    answered = client.post(reverse("programmes:my-success-words", args=[my_success.pk]), {"words": WORDS})
    assert answered.status_code == 302
    document, pdf = _copy(client, django_capture_on_commit_callbacks)

    (success,) = document["successen"]
    assert success["kind"] == "trede_omhoog" and (success["rung_from"], success["rung_to"]) == (2, 3)
    assert success["status"] == "voorgesteld" and success["your_answer"] == "andere_woorden"
    assert success["text_put_to_you"] == (
        "Een inwoner is een trede gestegen op de participatieladder: van trede 2 naar 3."
    )
    assert success["your_words"] == WORDS
    assert success["happened_on"] == (TODAY - dt.timedelta(days=30)).isoformat()
    assert success["answered_at"] and success["proposed_at"]
    assert "Mijn successen" in pdf and WORDS in pdf and "van trede 2 naar 3" in pdf
    # Ruben's success (2 to 4) is not in Rita's copy
    assert "naar 4" not in json.dumps(document) and "naar 4" not in pdf


def _models_about_a_resident() -> set[str]:
    """Every model with a key to the resident, or to a model that has one (a route, a seat, a plan, ...)."""
    resident = apps.get_model("residents", "Resident")

    def pointing_at(target) -> set:
        return {
            model
            for model in apps.get_models()
            for f in model._meta.get_fields()
            if f.concrete and (f.many_to_one or f.one_to_one) and f.related_model is target
        }

    first = pointing_at(resident)
    second = {m for target in first for m in pointing_at(target)}
    return {m._meta.label for m in first | second | {resident}}


def test_every_model_about_a_resident_is_in_the_copy_or_named_as_left_out():
    contributed = {
        label for config in apps.get_app_configs() for label in getattr(config, "resident_copy_models", ())
    }
    unaccounted = _models_about_a_resident() - export.IN_THE_COPY - set(export.NOT_IN_THE_COPY) - contributed
    assert unaccounted == set()
    assert {"programmes.Success", "programmes.ProjectMember"} <= contributed
