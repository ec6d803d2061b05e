"""Meedoen speaks the shared language itself (issue 16): no avoided term of the glossary in a page template,
a form template, the translations or a label a user sees, unless it is a listed exception (with the
preferred wording beside it) or a fixed name.

The glossary is the programme's start list (``language/glossary.csv`` with its exceptions and names), which
every municipality begins with. A model's choice label may keep a legal name alone ("Arbeidsmatige
dagbesteding"), because every screen shows it through ``meedoen.labels.with_preferred``, which puts the
preferred wording beside it (changing the label would be a migration of that app). Labels are the texts
in ``_()``, ``gettext_lazy()``, ``gettext_noop()`` and
``pgettext()`` calls in the source; the .po file holds each of them too once ``make messages`` ran."""

import ast
import re
from pathlib import Path

import pytest
from django.utils import translation

from meedoen.labels import with_preferred
from meedoen.language import seed
from meedoen.language.checker import Entry, Glossary

SRC = Path(__file__).resolve().parent.parent / "src" / "meedoen"
PO = SRC / "locale" / "en" / "LC_MESSAGES" / "django.po"
GETTEXT = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
}


def start_glossary() -> Glossary:
    return Glossary(
        Entry(
            row.avoid,
            (row.prefer,),
            row.why,
            tuple(seed.EXCEPTIONS.get(row.avoid, ())),
            tuple(seed.NAMES.get(row.avoid, ())),
        )
        for row in seed.read_seed()
    )


GLOSSARY = start_glossary()

# Where an avoided word means something else, the texts of these places may keep it. Each is a known
# homonym, not a way around the list: "verplichting" in the budget is the accounting term for money
# committed to a seat (a budget commitment, BBV), not an obligation of a resident.
HOMONYMS = {
    "verplichting": ("budgets/", "audit/endpoints.py", "audit/models.py", "accounts/context_processors.py"),
    # The route's use of the terugvalgarantie (back to the benefit), shown beside "stap terug" as a different
    # event; the route's field keeps its name until the routes app renames it (a migration there).
    "terugval": ("routes/models.py", "budgets/jinja2/budgets/commitment_detail.html"),
}


def allowed(hits, where: str) -> list:  # type: ignore[no-untyped-def,type-arg]
    return [hit for hit in hits if not where.startswith(HOMONYMS.get(hit.term, ()))]


def homonym_texts() -> set[str]:
    """The label and template texts of the homonyms' places: the .po file has them too, without places."""
    texts = {
        text for where, text in labels() if where.startswith(tuple(p for ps in HOMONYMS.values() for p in ps))
    }
    return texts


def templates() -> list[Path]:
    return sorted(path for path in SRC.rglob("*.html") if "jinja2" in path.parts or "templates" in path.parts)


def template_texts(path: Path) -> str:
    """The text a user sees: without Jinja2/Django comments and without the code inside tags and
    expressions, but with the literal strings inside them (``_("…")``)."""
    source = path.read_text(encoding="utf-8")
    source = re.sub(r"\{#.*?#\}", " ", source, flags=re.S)
    literals = " . ".join(
        m.group(2)
        for block in re.findall(r"\{[{%].*?[%}]\}", source, flags=re.S)
        for m in re.finditer(r"(['\"])(.*?)\1", block)
    )
    plain = re.sub(r"\{[{%].*?[%}]\}", " ", source, flags=re.S)
    plain = re.sub(r"<[^>]+>", " ", plain)
    return plain + " . " + literals


def po_msgids() -> list[tuple[int, str]]:
    found = []
    text = PO.read_text(encoding="utf-8")
    for match in re.finditer(r'^msgid(?:_plural)? ((?:".*"\n?)+)', text, flags=re.M):
        value = "".join(re.findall(r'"(.*)"', match.group(1)))
        if value:
            found.append(
                (text.count("\n", 0, match.start()) + 1, value.replace('\\"', '"').replace("\\n", "\n"))
            )
    return found


def labels() -> list[tuple[str, str]]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts or path.parent.name == "demo":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", None)) in GETTEXT
            ):
                for arg in node.args:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        found.append((f"{path.relative_to(SRC)}:{node.lineno}", arg.value))
    return found


def describe(hits) -> str:  # type: ignore[no-untyped-def]
    return "; ".join(f"{hit.text!r} (gebruik liever: {', '.join(hit.alternatives)})" for hit in hits)


def test_no_avoided_term_in_a_template():
    problems = []
    for path in templates():
        hits = allowed(GLOSSARY.find(template_texts(path)), str(path.relative_to(SRC)))
        if hits:
            problems.append(f"{path.relative_to(SRC)}: {describe(hits)}")
    assert not problems, "\n".join(problems)


@translation.override("nl")
def test_no_avoided_term_in_the_translations():
    skip = homonym_texts()
    budget_templates = " ".join(template_texts(p) for p in templates() if "budgets" in p.parts)
    problems = [
        f"django.po:{line}: {describe(hits)}"
        for line, text in po_msgids()
        if text not in skip and text not in budget_templates and (hits := GLOSSARY.find(with_preferred(text)))
    ]
    assert not problems, "\n".join(problems)


@translation.override("nl")
def test_no_avoided_term_in_a_label():
    problems = [
        f"{where}: {describe(hits)}"
        for where, text in labels()
        if (hits := allowed(GLOSSARY.find(with_preferred(text)), where))
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Arbeidsmatige dagbesteding", ["Arbeidsmatige dagbesteding"][0].split()[1:]),
        ("Arbeidsmatige dagbesteding (activerend werk)", []),
        ("Uw klantmanager", []),
        ("Onze klanten", ["klanten"]),
    ],
)
def test_the_scan_finds_what_it_should(text, found):
    """The scan itself: an avoided word is caught, an exception with its preferred wording is not."""
    assert [hit.text for hit in GLOSSARY.find(text)] == found


@pytest.mark.django_db
def test_the_screens_show_the_legal_name_with_its_preferred_wording(alice, wendy, rita, login_as, apeldoorn):
    """The catalogue filter, the Wmo caseload's filter and the resident's own start page."""
    from django.urls import reverse

    from meedoen.residents.models import LegalBasis
    from meedoen.residents.tests.factories import LegalBasisFactory

    catalogue = login_as(alice).get(reverse("catalogue:catalogue")).content.decode()
    assert "Arbeidsmatige dagbesteding (activerend werk)" in catalogue
    caseload = login_as(wendy).get(reverse("residents:caseload")).content.decode()
    assert "Wmo: arbeidsmatige dagbesteding (activerend werk)" in caseload
    resident = rita.user.resident_file
    LegalBasisFactory(resident=resident, domain="wmo", kind=LegalBasis.Kind.WMO_DAGBESTEDING)
    own_data = login_as(rita).get(reverse("portal:data")).content.decode()  # the resident's own data page
    assert "Wmo: arbeidsmatige dagbesteding (activerend werk)" in own_data


def test_the_forms_about_a_resident_are_checked_while_typing():
    from meedoen.residents.forms import NoteForm, PlanForm

    for form, name in ((PlanForm(), "goals"), (NoteForm(), "text")):
        html = str(form[name])
        assert (
            'hx-post="/taalcheck/"' in html and "delay:500ms" in html and 'class="meedoen-taalcheck"' in html
        )
