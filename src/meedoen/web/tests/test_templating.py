"""The page templates' environment prints what Django's template language printed, in the chosen language,
and refuses the mistakes that language hid."""

import datetime as dt
import uuid
from decimal import Decimal

import jinja2
import pytest
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from meedoen.templating import url


def render(source: str, language: str = "nl", **context: object) -> str:
    with translation.override(language):
        return engines["jinja2"].from_string(source).render(context)


def test_fixed_texts_come_out_in_the_chosen_language():
    assert render('{{ _("Uitloggen") }}') == "Uitloggen"
    assert render('{{ _("Uitloggen") }}', "en") == "Log out"


def test_a_text_with_places_gets_its_values_escaped_and_the_translation_of_the_text():
    source = '{{ _("Gemeente %(name)s", name=name) }}'
    assert render(source, name="<Epe>") == "Gemeente &lt;Epe&gt;"
    assert render(source, "en", name="Epe") == "Municipality of Epe"


def test_a_text_with_places_but_no_values_is_refused_when_the_template_is_compiled():
    with pytest.raises((TemplateSyntaxError, jinja2.TemplateSyntaxError)):
        render('{{ _("Gemeente %(name)s") }}')


def test_numbers_and_dates_are_printed_as_the_language_writes_them():
    assert render("{{ x }} · {{ d }}", x=12.5, d=Decimal("3.25")) == "12,5 · 3,25"
    assert render("{{ x }}", "en", x=12.5) == "12.5"
    assert render('{{ _("%(hours)s uur per week", hours=h) }}', h=12.0) == "12,0 uur per week"
    assert render("{{ n }}", n=1234) == "1234"
    assert render('{{ d|date("j F Y") }}', d=dt.date(2026, 3, 1)) == "1 maart 2026"


def test_an_undefined_name_or_a_method_printed_without_calling_it_is_an_error():
    with pytest.raises(jinja2.UndefinedError):
        render("{{ missing }}")
    with pytest.raises(TypeError):
        render("{{ text.upper }}", text="a")
    assert render("{{ text.upper() }}", text="a") == "A"


def test_url_fills_in_ids_exactly_as_reverse_does():
    resident, basis = uuid.uuid4(), uuid.uuid4()
    assert url("residents:detail", resident) == reverse("residents:detail", args=[resident])
    assert url("residents:end-legal-basis", resident, basis) == reverse(
        "residents:end-legal-basis", args=[resident, basis]
    )
    assert url("residents:detail", uuid.uuid4()) != url("residents:detail", resident)
    assert url("residents:caseload") == reverse("residents:caseload")


def test_a_page_name_with_a_block_renders_only_that_block():
    engine = engines["jinja2"]
    request = RequestFactory().get("/")
    with translation.override("nl"):
        whole = engine.get_template("404.html").render({}, request)
        with pytest.raises(TemplateDoesNotExist):
            engine.get_template("404.html#no-such-block")
        block = engine.get_template("404.html#content").render({}, request)
    assert "<html" in whole and "<html" not in block
    assert block.strip() and block.strip() in whole


def test_a_table_scrolls_in_its_own_box_named_after_its_caption():
    source = (
        '<table class="utrecht-table"><caption>{{ _("Afspraken") }} <span>({{ n }})</span></caption>'
        "<tr><td>x</td></tr></table>"
    )
    assert render(source, "en", n=3) == (
        '<div class="meedoen-table-scroll" role="region" tabindex="0" aria-label="Agreements (3)">'
        '<table class="utrecht-table"><caption>Agreements <span>(3)</span></caption>'
        "<tr><td>x</td></tr></table></div>"
    )
    # A caption with a quote cannot break out of the attribute; a table without a caption still scrolls.
    assert 'aria-label="&#34;Hi&#34;"' in render("<table><caption>{{ c }}</caption></table>", c='"Hi"')
    assert render("<table><tr><td>x</td></tr></table>") == (
        '<div class="meedoen-table-scroll"><table><tr><td>x</td></tr></table></div>'
    )
