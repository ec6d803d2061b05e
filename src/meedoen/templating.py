"""The page templates: Jinja2, with the fixed texts translated when a template is compiled.

Why Jinja2 and not Django's template language: see docs/decisions/0006-jinja2-page-templates.md. In short, a
page of Meedoen is a few hundred small pieces (labels, links, dates) and Django's engine walks a tree of nodes
for each of them on every request; Jinja2 compiles a template to a Python function once.

What this module adds to Django's own Jinja2 backend:

- **Texts translated at compile time.** ``{{ _("Gegevens") }}`` is replaced by the translated text when the
  template is compiled, in an environment per language (``nl``, ``en``), so a page does not look up the same
  hundred fixed texts in the catalogue on every request. ``_("Gemeente %(name)s", name=…)`` becomes the
  translated text with its values filled in (and escaped) at render time. ``{% trans %}`` blocks (plurals) and
  ``_(variable)`` are translated at render time as usual.
- **Tables scroll in their own box.** Every ``<table>`` of a template is wrapped, when the template is
  compiled, in ``<div class="meedoen-table-scroll" role="region" tabindex="0" aria-label="(its caption)">``:
  on a phone a wide table scrolls sideways inside that box (which a keyboard can focus and scroll, and a
  screen reader names after the caption) while the page itself never does. See ``ScrollingTables``.
- **Printed like Django prints**: numbers and dates in the language's format ("12,5" in Dutch).
- **Strict**: an undefined variable is an error, not an empty string, and so is printing a method without
  calling it (``{{ user.display_name }}`` instead of ``{{ user.display_name() }}``): in Django's language that
  is called for you, in Jinja2 it would print ``<bound method …>``.
- ``url()``: ``reverse()`` computed once per URL name and kind of arguments, then filled in (a page has a few
  dozen links that differ only in an id). ``static()``, and the few filters of Django's language that the
  pages use (``date``, ``time``, ``linebreaksbr``, ``stringformat``, ``floatformat``, ``intcomma`` …).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
from django.conf import settings
from django.contrib.humanize.templatetags import humanize
from django.http import HttpRequest
from django.template import TemplateDoesNotExist, TemplateSyntaxError, defaultfilters
from django.template.backends import jinja2 as django_jinja2
from django.template.backends.utils import csrf_input, csrf_token_lazy
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils import formats, timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from markupsafe import Markup, escape

from meedoen.formatting import euro, quantity
from meedoen.labels import with_preferred


class TranslateAtCompileTime(Extension):
    """Replaces ``_("text")`` in a template by its translation in the environment's language, when the
    template is compiled: ``_("text")`` becomes the string ``"tekst"``, and ``_("text %(x)s", x=…)`` becomes
    ``"tekst %(x)s"|interpolate(x=…)``. Only a literal first argument is replaced."""

    def filter_stream(self, stream: TokenStream) -> Iterable[Token]:
        language = getattr(self.environment, "language", None)
        if language is None:
            yield from stream
            return
        tokens = list(stream)
        i = 0
        with translation.override(language):
            while i < len(tokens):
                token = tokens[i]
                if (
                    token.type == "name"
                    and token.value == "_"
                    and i + 3 < len(tokens)
                    and tokens[i + 1].type == "lparen"
                    and tokens[i + 2].type == "string"
                    and tokens[i + 3].type in ("rparen", "comma")
                    and (i == 0 or tokens[i - 1].type != "dot")
                ):
                    text = translation.gettext(tokens[i + 2].value)
                    line = token.lineno
                    if tokens[i + 3].type == "rparen" and "%(" in tokens[i + 2].value:
                        message = f"_({tokens[i + 2].value!r}) has places to fill in but no values"
                        raise jinja2.TemplateSyntaxError(message, line, stream.name, stream.filename)
                    yield Token(line, "string", text)
                    if tokens[i + 3].type == "comma":
                        yield Token(line, "pipe", "|")
                        yield Token(line, "name", "interpolate")
                        yield Token(line, "lparen", "(")
                    i += 4
                    continue
                yield token
                i += 1


class ScrollingTables(Extension):
    """Wraps each ``<table>…</table>`` of a template source in a box that scrolls sideways
    (``.meedoen-table-scroll`` in meedoen.css), so that no page template has to remember it.

    The box is a named region that a keyboard can focus (tabindex 0): without that, keyboard users could not
    scroll a table that has no link in it. Its name is the table's ``<caption>``, tags stripped; a table
    without a caption gets a plain box (it still scrolls, but give it a caption)."""

    TABLE = re.compile(r"<table\b[^>]*>.*?</table>", re.DOTALL)
    CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.DOTALL)

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        if "<table" not in source:
            return source
        return self.TABLE.sub(self._wrap, source)

    def _wrap(self, match: re.Match[str]) -> str:
        table = match.group(0)
        caption = self.CAPTION.search(table)
        if caption is None:
            return f'<div class="meedoen-table-scroll">{table}</div>'
        # On one line, so that the line numbers of the template's errors stay right.
        label = "{% filter striptags|e %}" + caption.group(1).replace("\n", " ") + "{% endfilter %}"
        box = f'<div class="meedoen-table-scroll" role="region" tabindex="0" aria-label="{label}">'
        return f"{box}{table}</div>"


def interpolate(text: str, **values: Any) -> Markup:
    """A translated text with its ``%(name)s`` places filled in; the values are escaped and, like printed
    values, localised (the text is escaped too)."""
    return escape(text) % {name: _localised(value) for name, value in values.items()}


def _localised(value: Any) -> Any:
    """Numbers and dates as Django's template language prints them: in the active language's format
    ("12,5" in Dutch), a date-time in local time."""
    if isinstance(value, float | Decimal | dt.date | dt.time):
        return formats.localize(timezone.template_localtime(value))  # type: ignore[attr-defined]
    return value


# What a page prints most: texts, whole numbers and ids, printed as they are (checked by exact type, quickly).
_AS_IS = frozenset({str, Markup, SafeString, int, bool, uuid.UUID, type(None)})


def _strict_output(value: Any) -> Any:
    """What every ``{{ … }}`` prints: localised (see ``_localised``); a method printed without calling it is
    an error instead of ``<bound method …>``."""
    if type(value) in _AS_IS:
        return value
    if callable(value) and not isinstance(value, Markup | str | jinja2.Undefined):
        raise TypeError(f"a template printed {value!r}: call it, or print one of its attributes")
    return _localised(value)


_SENTINEL_INT = 7_340_001_933


def _url_pattern(name: str, kinds: tuple[type, ...]) -> str | None:
    sentinels = [uuid.uuid4() if kind is uuid.UUID else _SENTINEL_INT + i for i, kind in enumerate(kinds)]
    pattern = reverse(name, args=sentinels).replace("{", "{{").replace("}", "}}")
    for i, sentinel in enumerate(sentinels):
        if pattern.count(str(sentinel)) != 1:
            return None
        pattern = pattern.replace(str(sentinel), f"{{{i}}}")
    return pattern


_patterns: dict[tuple[str, str, tuple[type, ...]], str | None] = {}


def url(name: str, *args: Any) -> str:
    """``reverse(name, args=args)``; for ids (UUIDs and integers) the URL is built once per name and then
    filled in."""
    kinds = tuple(type(arg) for arg in args)
    if not all(kind is uuid.UUID or kind is int for kind in kinds):
        return reverse(name, args=args)
    key = (get_script_prefix(), name, kinds)
    try:
        pattern = _patterns[key]
    except KeyError:
        pattern = _patterns[key] = _url_pattern(name, kinds)
    return reverse(name, args=args) if pattern is None else pattern.format(*args)


def date(value: dt.date | dt.datetime | None, format_string: str | None = None) -> str:
    """Django's ``date`` filter, on a date-time in local time as Django's template language passes it."""
    return str(defaultfilters.date(timezone.template_localtime(value), format_string))  # type: ignore[attr-defined]


def time(value: dt.time | dt.datetime | None, format_string: str | None = None) -> str:
    """Django's ``time`` filter, on a date-time in local time."""
    return str(defaultfilters.time(timezone.template_localtime(value), format_string))  # type: ignore[attr-defined]


def person(user: Any) -> str:
    """The name a user is shown by (``User.display_name``), or nothing when there is no user."""
    return user.display_name() if user is not None else ""


def environment(**options: Any) -> jinja2.Environment:
    """The environment of Meedoen's page templates (``TEMPLATES[…]["OPTIONS"]["environment"]``)."""
    options.setdefault("extensions", [])
    options["extensions"] = [
        "jinja2.ext.i18n",
        TranslateAtCompileTime,
        ScrollingTables,
        *options["extensions"],
    ]
    options["undefined"] = jinja2.StrictUndefined
    options["finalize"] = _strict_output
    options.setdefault("trim_blocks", False)
    env = jinja2.Environment(**options)  # noqa: S701 - autoescape is on: Django's backend sets it
    env.install_gettext_callables(  # type: ignore[attr-defined]
        translation.gettext, translation.ngettext, newstyle=True
    )
    env.globals.update({"url": url, "static": static})
    env.filters.update(
        {
            "interpolate": interpolate,
            "person": person,
            "with_preferred": with_preferred,
            "date": date,
            "time": time,
            "linebreaksbr": defaultfilters.linebreaksbr,
            "stringformat": defaultfilters.stringformat,
            "default_if_none": defaultfilters.default_if_none,
            "floatformat": defaultfilters.floatformat,
            "add": defaultfilters.add,
            "intcomma": humanize.intcomma,
            "euro": euro,
            "quantity": quantity,
        }
    )
    return env


class Jinja2(django_jinja2.Jinja2):
    """Django's Jinja2 backend with one compiled copy of each template per language
    (see ``TranslateAtCompileTime``)."""

    def __init__(self, params: dict[str, Any]) -> None:
        super().__init__(params)
        self._languages: dict[str, jinja2.Environment] = {}

    def _environment(self) -> jinja2.Environment:
        language = translation.get_language() or settings.LANGUAGE_CODE
        env = self._languages.get(language)
        if env is None:
            env = self.env.overlay()
            env.language = language  # type: ignore[attr-defined]  # read by TranslateAtCompileTime
            self._languages[language] = env
        return env

    def get_template(self, template_name: str) -> django_jinja2.Template:
        """The template, or with ``name.html#block`` only that block of it (the part htmx swaps in)."""
        name, _hash, block = template_name.partition("#")
        try:
            template = self._environment().get_template(name)
            if block:
                if block not in template.blocks:
                    raise TemplateDoesNotExist(template_name, backend=self)
                return _Template(_Block(template, block), self)  # type: ignore[arg-type]
            return _Template(template, self)
        except jinja2.TemplateNotFound as exc:
            raise TemplateDoesNotExist(str(exc.name), backend=self) from exc
        except jinja2.TemplateSyntaxError as exc:
            raise _syntax_error(exc) from exc

    def from_string(self, template_code: str) -> django_jinja2.Template:
        return _Template(self._environment().from_string(template_code), self)


def _syntax_error(exc: jinja2.TemplateSyntaxError) -> TemplateSyntaxError:
    """Jinja2's syntax error as Django's, with the lines around it for Django's error page."""
    new = TemplateSyntaxError(exc.args)
    new.template_debug = django_jinja2.get_exception_info(exc)  # type: ignore[attr-defined, arg-type]
    return new


class _Template(django_jinja2.Template):
    """Django's Jinja2 template, with the CSRF field made once per page: Django's backend masks the token
    again for every form on the page (a page with a dozen forms drew a few hundred random characters)."""

    def render(self, context: dict[str, Any] | None = None, request: HttpRequest | None = None) -> str:
        context = {} if context is None else context
        if request is not None:
            context["request"] = request
            context["csrf_input"] = SimpleLazyObject(lambda: csrf_input(request))
            context["csrf_token"] = csrf_token_lazy(request)
            for context_processor in self.backend.template_context_processors:
                context.update(context_processor(request))
        try:
            return self.template.render(context)
        except jinja2.TemplateSyntaxError as exc:
            raise _syntax_error(exc) from exc


class _Block:
    """One block of a template, rendered on its own with the page's context."""

    def __init__(self, template: jinja2.Template, block: str) -> None:
        self.template = template
        self.block = block
        self.name = f"{template.name}#{block}"
        self.filename = template.filename

    def render(self, context: dict[str, Any]) -> str:
        render_block = self.template.blocks[self.block]
        return "".join(render_block(self.template.new_context(context)))


def page_templates(env: jinja2.Environment) -> list[str]:
    """The names of Meedoen's own Jinja2 templates (not those of Django's form widgets)."""
    assert env.loader is not None
    package = Path(__file__).resolve().parent  # src/meedoen
    names = []
    for name in env.list_templates():
        _source, filename, _uptodate = env.loader.get_source(env, name)
        if filename and Path(filename).resolve().is_relative_to(package):
            names.append(name)
    return sorted(names)


def template_texts(
    env: jinja2.Environment, names: Iterable[str]
) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """(template, function, texts) for every translatable text in these templates: for the catalogue."""
    assert env.loader is not None
    for name in names:
        source, _filename, _uptodate = env.loader.get_source(env, name)
        for _line, function, message in env.extract_translations(source):  # type: ignore[attr-defined]
            texts = message if isinstance(message, tuple) else (message,)
            yield name, function, tuple(text for text in texts if text)
