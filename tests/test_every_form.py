"""Every form of the app, submitted as the role that uses it: once with only its required fields filled, once
with every field filled. Neither may be a server error.

The forms are not listed by hand: for every demo role the test walks the pages that role reaches from its
start page (links and htmx sections), reads every form on them from the HTML a browser gets, and submits it
as a person would, with what the form itself says is required. A new form is covered the day it is linked.
The world is the small demo municipality, so pages have residents, routes, proposals and placements.
"""

import datetime as dt
import random
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import Resolver404, resolve

from meedoen.accounts.models import Membership
from meedoen.demo import generator

PAGES_PER_ROLE = 120  # pages walked per role
VISITS_PER_VIEW = 3  # the same view with other ids adds little
SKIPPED_PATHS = ("/uitloggen", "/static/", "/media/", "/api/", "/taal")


@dataclass
class Control:
    tag: str
    name: str
    kind: str = "text"
    value: str = ""
    required: bool = False
    options: list[str] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass
class Form:
    page: str
    action: str
    method: str
    controls: list[Control] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)

    def key(self) -> tuple[str, tuple[str, ...]]:
        try:
            view = resolve(urlsplit(self.action).path).view_name
        except Resolver404:
            view = self.action
        return view, tuple(sorted({c.name for c in self.controls}))


class PageReader(HTMLParser):
    """The links, htmx sections and forms of one page, as a browser would see them."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Control | None = None
        self._textarea: Control | None = None

    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: v or "" for k, v in attr_list}
        for key in ("href", "hx-get"):
            if attrs.get(key):
                self.links.append(urljoin(self.page, attrs[key]))
        if tag == "form":
            action = attrs.get("hx-post") or attrs.get("action") or self.page
            method = "post" if attrs.get("hx-post") else attrs.get("method", "get").lower()
            self._form = Form(self.page, urljoin(self.page, action), method)
            self.forms.append(self._form)
            return
        form = self._form
        if form is None or "disabled" in attrs:
            return
        if tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            self._select.options.append(value)
            if "selected" in attrs:
                self._select.value = value
            return
        name = attrs.get("name", "")
        if tag == "button" or (tag == "input" and attrs.get("type") == "submit"):
            if name:
                form.buttons.append((name, attrs.get("value", "")))
            return
        if not name:
            return
        required = "required" in attrs
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in ("reset", "button", "image"):
                return
            value = attrs.get("value", "")
            if kind in ("checkbox", "radio"):
                existing = next((c for c in form.controls if c.name == name and c.kind == kind), None)
                if existing is not None:
                    existing.options.append(value or "on")
                    existing.required = existing.required or required
                    if "checked" in attrs and not existing.value:
                        existing.value = value or "on"
                    return
                control = Control("input", name, kind, value or "on" if "checked" in attrs else "", required)
                control.options.append(value or "on")
                form.controls.append(control)
                return
            form.controls.append(Control("input", name, kind, value, required, attrs=attrs))
        elif tag == "select":
            self._select = Control("select", name, "select", "", required, attrs=attrs)
            form.controls.append(self._select)
        elif tag == "textarea":
            self._textarea = Control("textarea", name, "textarea", "", required, attrs=attrs)
            form.controls.append(self._textarea)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def valid_bsn(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(0, 9) for _ in range(8)]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        last = total % 11
        if last < 10 and digits[0] != 0:
            return "".join(map(str, digits)) + str(last)


def filled_value(control: Control, rng: random.Random) -> str:
    """What a person types into an empty field: something that passes the field's own format."""
    name = control.name.lower()
    today = dt.date.today()  # noqa: DTZ011 - the forms speak local dates
    if control.kind == "date":
        return today.isoformat()
    if control.kind == "datetime-local":
        return f"{today.isoformat()}T10:00"
    if control.kind == "time":
        return "10:00"
    if control.kind == "month":
        return today.strftime("%Y-%m")
    if control.kind == "week":
        return today.strftime("%G-W%V")
    if control.kind == "number":
        return control.attrs.get("min") or "1"
    if control.kind == "email" or "mail" in name:
        return "inwoner@example.org"
    if control.kind == "tel" or "telefoon" in name or "phone" in name:
        return "06-12345678"
    if "bsn" in name:
        return valid_bsn(rng)
    if "postcode" in name:
        return "7311 AB"
    if control.kind == "url":
        return "https://example.org/"
    if control.kind == "password":
        return "Een-lang-wachtwoord-2026!"
    if control.tag == "textarea":
        return "Een korte notitie van vandaag."
    return "Test"


def submission(form: Form, everything: bool, rng: random.Random) -> tuple[dict, dict]:
    data: dict[str, list[str]] = {}
    files: dict[str, SimpleUploadedFile] = {}
    for control in form.controls:
        wanted = everything or control.required
        if control.kind == "hidden":
            data.setdefault(control.name, []).append(control.value)
        elif control.kind == "file":
            if wanted:
                files[control.name] = SimpleUploadedFile("verslag.txt", b"Een kort verslag.", "text/plain")
        elif control.kind == "checkbox":
            if wanted or control.value:
                data[control.name] = control.options if everything else [control.value or control.options[0]]
        elif control.kind == "radio":
            if wanted or control.value:
                data[control.name] = [control.value or control.options[0]]
        elif control.tag == "select":
            choices = [o for o in control.options if o]
            if control.value:
                data.setdefault(control.name, []).append(control.value)
            elif wanted and choices:
                data.setdefault(control.name, []).append(choices[0])
        elif control.value.strip():
            data.setdefault(control.name, []).append(control.value)
        elif wanted:
            data.setdefault(control.name, []).append(filled_value(control, rng))
    if form.buttons:
        name, value = form.buttons[0]
        data.setdefault(name, []).append(value)
    flat: dict = {k: v if len(v) > 1 else v[0] for k, v in data.items()}
    return flat, files


def walk(client: Client, visited: list[str] | None = None) -> tuple[list[Form], list[str]]:
    """The forms a role reaches from its start page, and the pages that were a server error."""
    queue = deque(["/"])
    seen: set[str] = set()
    per_view: dict[str, int] = {}
    forms: dict[tuple, Form] = {}
    errors: list[str] = []
    pages = 0
    while queue and pages < PAGES_PER_ROLE:
        url = queue.popleft()
        path = urlsplit(url).path
        if url in seen or path.startswith(SKIPPED_PATHS) or urlsplit(url).netloc:
            continue
        try:
            view = resolve(path).view_name
        except Resolver404:
            continue
        seen.add(url)
        if per_view.get(view, 0) >= VISITS_PER_VIEW:
            continue
        per_view[view] = per_view.get(view, 0) + 1
        pages += 1
        if visited is not None:
            visited.append(url)
        try:
            response = client.get(url)
        except Exception as error:
            errors.append(f"GET {url}: {type(error).__name__}: {error}")
            continue
        if response.status_code >= 500:
            errors.append(f"GET {url}: {response.status_code}")
        if response.status_code in (301, 302, 303) and response.get("Location"):
            queue.append(urljoin(url, response["Location"]))
            continue
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        reader = PageReader(url)
        reader.feed(response.content.decode())
        for form in reader.forms:
            if not urlsplit(form.action).path.startswith(SKIPPED_PATHS):
                forms.setdefault(form.key(), form)
        queue.extend(link.split("#")[0] for link in reader.links)
    return list(forms.values()), errors


def submit(client: Client, form: Form, everything: bool, rng: random.Random) -> str | None:
    data, files = submission(form, everything, rng)
    parts = urlsplit(form.action)
    query = dict(parse_qsl(parts.query))
    mode = "every field" if everything else "required fields only"
    try:
        if form.method == "get":
            response = client.get(parts.path, {**query, **data})
        else:
            response = client.post(parts.path + (f"?{parts.query}" if query else ""), {**data, **files})
    except Exception as error:
        return f"{form.action} ({mode}, from {form.page}): {type(error).__name__}: {error}"
    if response.status_code >= 500:
        return f"{form.action} ({mode}, from {form.page}): HTTP {response.status_code}"
    return None


@pytest.fixture
def demo_world(db, monkeypatch):
    # Enough residents that the demo provider has proposals waiting and residents placed.
    monkeypatch.setitem(generator.SIZES, "forms", {"apeldoorn": 300, "epe": 5, "oss": 5})
    generator.generate("forms", seed=2017)
    return {
        login.username: Membership.objects.get(user__username=login.username)
        for login in generator.demo_logins()
        if login.username.endswith(".apeldoorn")
    }


# How many different forms each role reaches at least (measured on the demo; a walk that breaks must fail,
# not pass as "no errors"). The resident has no forms of their own yet: the portal comes later.
LEAST_FORMS = {
    "km": 18,
    "wmo": 18,
    "aanbieder": 6,
    "pm": 2,
    "inwoner": 0,
    "beheer": 8,
    "fg": 1,
    "controller": 1,
    "onderzoek": 2,
}


@pytest.mark.parametrize("prefix", [prefix for _role, prefix, _label in generator.LOGIN_ROLES])
def test_every_form_of_a_role_takes_what_a_person_fills_in(demo_world, prefix, login_as):
    membership = demo_world[f"{prefix}.apeldoorn"]
    client = login_as(membership)
    visited: list[str] = []
    forms, errors = walk(client, visited)
    rng = random.Random(2017)
    for form in forms:
        for everything in (False, True):
            problem = submit(client, form, everything, rng)
            if problem:
                errors.append(problem)
    assert not errors, f"{membership.role}: {len(errors)} server errors:\n" + "\n".join(errors)
    assert len(visited) >= 2, visited
    assert len(forms) >= LEAST_FORMS[prefix], [form.key()[0] for form in forms]
