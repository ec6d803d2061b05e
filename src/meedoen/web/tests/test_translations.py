"""The English catalogue is complete and the committed .mo matches the .po."""

import gettext
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES"


def po_msgids(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    ids = []
    for block in text.split("\n\n"):
        match = re.search(r'^msgid ((?:".*"\n?)+)', block, re.MULTILINE)
        if match and not block.lstrip().startswith("#~"):
            msgid = "".join(re.findall(r'"(.*)"', match.group(1)))
            if msgid:
                ids.append(msgid)
    return ids


def test_every_dutch_text_has_an_english_translation():
    with (LOCALE / "django.mo").open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    # A message with a context (pgettext) is kept as "context\x04msgid".
    translated = {(key[0] if isinstance(key, tuple) else key).split("\x04")[-1] for key in catalog}
    missing = [
        msgid
        for msgid in po_msgids(LOCALE / "django.po")
        if msgid.encode().decode("unicode_escape") not in translated and msgid not in translated
    ]
    assert not missing, f"Untranslated: {missing[:5]}"
    assert "#, fuzzy" not in (LOCALE / "django.po").read_text(encoding="utf-8").split("\n\n", 1)[1]


def test_compiled_catalogue_is_up_to_date(tmp_path):
    if shutil.which("msgfmt") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("msgfmt (gettext) is needed in CI to check the translations")
        pytest.skip("gettext's msgfmt is not installed")
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(LOCALE / "django.po")], check=True)  # noqa: S603, S607
    with fresh.open("rb") as a, (LOCALE / "django.mo").open("rb") as b:
        assert gettext.GNUTranslations(a)._catalog == gettext.GNUTranslations(b)._catalog  # type: ignore[attr-defined]


def test_every_text_of_the_page_templates_has_an_english_translation():
    """The page templates are Jinja2, which Django's own makemessages does not read: this checks their texts
    against the catalogue (``make messages`` adds them: web/management/commands/makemessages.py)."""
    from django.template import engines

    from meedoen.templating import page_templates, template_texts

    env = engines["jinja2"].env  # type: ignore[attr-defined]
    with (LOCALE / "django.mo").open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    names = page_templates(env)
    assert len(names) > 40, names
    found = list(template_texts(env, names))
    assert len(found) > 500, len(found)  # the pages' texts were really read
    missing = []
    for name, function, texts in found:
        key: object = (texts[0], 0) if function == "ngettext" else texts[0]
        if not catalog.get(key):
            missing.append((name, texts[0]))
    assert not missing, f"Not in the English catalogue: {missing[:5]}"
