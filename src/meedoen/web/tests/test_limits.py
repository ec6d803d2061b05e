"""Free text has a limit with a Dutch error at the field, and an oversized request gets a clear page: nothing
is half-saved."""

import importlib
import pkgutil

import pytest
from django import forms
from django.urls import reverse

import meedoen
from meedoen.forms import LINE_MAX_LENGTH, TEXT_MAX_LENGTH, Form, LimitedTextMixin, is_free_text
from meedoen.residents.models import TimelineEvent

pytestmark = pytest.mark.django_db


def note(text: str) -> dict[str, str]:
    return {"kind": "notitie", "occurred_at": "2026-11-02T10:30", "text": text}


def test_a_note_longer_than_ten_thousand_characters_is_refused_at_the_field(ruben, alice, login_as):
    client = login_as(alice)
    response = client.post(reverse("residents:note", args=[ruben.pk]), note("a" * (TEXT_MAX_LENGTH + 1)))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Deze tekst is te lang: gebruik hoogstens 10000 tekens (nu 10001)." in page
    assert f'maxlength="{TEXT_MAX_LENGTH}"' in page
    assert not TimelineEvent.objects.filter(kind="notitie").exists()
    response = client.post(reverse("residents:note", args=[ruben.pk]), note("a" * TEXT_MAX_LENGTH))
    assert response.status_code == 302
    assert TimelineEvent.objects.filter(kind="notitie").count() == 1


def test_form_data_over_the_upload_limit_gets_a_dutch_page_and_saves_nothing(ruben, alice, login_as):
    response = login_as(alice).post(reverse("residents:note", args=[ruben.pk]), note("a" * 5_000_000))
    assert response.status_code == 413
    assert "Wat u verstuurde is te groot" in response.content.decode()
    assert not TimelineEvent.objects.exists()


def test_a_request_body_over_the_request_limit_is_refused_before_it_is_read(ruben, alice, login_as, settings):
    settings.MEEDOEN_MAX_REQUEST_BYTES = 1024 * 1024
    client = login_as(alice)
    response = client.post(
        reverse("residents:note", args=[ruben.pk]), b"x" * (13 * 1024 * 1024), content_type="text/plain"
    )
    assert response.status_code == 413
    assert "Wat u verstuurde is te groot" in response.content.decode()
    assert response.get("Cache-Control") and "no-store" in response["Cache-Control"]
    assert not TimelineEvent.objects.exists()


def test_long_notes_are_refused_to_other_municipalities_and_roles_too(ruben, charlie, paula, login_as):
    long_note = note("a" * (TEXT_MAX_LENGTH + 1))
    assert login_as(charlie).post(reverse("residents:note", args=[ruben.pk]), long_note).status_code == 404
    assert login_as(paula).post(reverse("residents:note", args=[ruben.pk]), long_note).status_code == 403
    assert not TimelineEvent.objects.exists()


def all_forms() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(meedoen.__path__, "meedoen."):
        if ".tests" not in module.name and module.name.rsplit(".", 1)[-1] in ("forms", "views"):
            importlib.import_module(module.name)
    found = []
    stack = [forms.Form]
    while stack:
        for cls in stack.pop().__subclasses__():
            stack.append(cls)
            if cls.__module__.startswith("meedoen.") and ".tests" not in cls.__module__:
                found.append(cls)
    return found


def test_every_text_field_of_every_form_has_a_limit():
    unlimited = []
    for form in all_forms():
        for name, field in form.base_fields.items():
            if not is_free_text(field) or field.max_length is not None:
                continue
            if not issubclass(form, LimitedTextMixin):
                unlimited.append(f"{form.__module__}.{form.__name__}.{name}")
    assert len(all_forms()) > 20
    assert not unlimited, "derive these forms from meedoen.forms.Form: " + ", ".join(unlimited)


def test_the_default_limit_follows_the_widget_and_an_own_limit_stays():
    class Sample(Form):
        name = forms.CharField()
        story = forms.CharField(widget=forms.Textarea)
        code = forms.CharField(max_length=5)

    form = Sample({"name": "n" * (LINE_MAX_LENGTH + 1), "story": "s" * TEXT_MAX_LENGTH, "code": "c" * 6})
    assert [form.fields[name].max_length for name in ("name", "story", "code")] == [200, 10_000, 5]
    assert not form.is_valid()
    assert form.errors["name"] == ["Deze tekst is te lang: gebruik hoogstens 200 tekens (nu 201)."]
    assert "story" not in form.errors and "code" in form.errors


def test_the_api_answers_a_too_large_body_with_a_problem(alice, settings):
    from django.test import Client

    from meedoen.accounts.actions import do_issue_api_token
    from meedoen.accounts.actor import Actor

    settings.MEEDOEN_MAX_REQUEST_BYTES = 1024 * 1024
    key = do_issue_api_token(name="koppeling", actor=Actor(alice.user, alice, "test")).key
    response = Client().post(
        reverse("api:resident-list"),
        b"{" + b" " * (2 * 1024 * 1024) + b"}",
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Wat u verstuurde is te groot"
    assert "no-store" in response["Cache-Control"]
