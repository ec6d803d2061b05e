"""Django's makemessages, which also collects the texts of the Jinja2 page templates.

Django reads Python files and templates in its own language; a Jinja2 template it would misread. So the
``jinja2/`` folders are left out of Django's scan, and Jinja2's own parser lists their texts
(``_("…")``, ``{% trans %}`` blocks with their plurals) into a temporary Python file that Django's scan reads
as ``gettext`` and ``ngettext`` calls. The file is removed afterwards.
"""

import tempfile
from pathlib import Path
from typing import Any

from django.core.management.commands import makemessages
from django.template import engines

from meedoen.templating import page_templates, template_texts


class Command(makemessages.Command):
    help = makemessages.Command.help + " Also the texts of Meedoen's Jinja2 page templates."

    def handle(self, *args: Any, **options: Any) -> None:
        env = engines["jinja2"].env  # type: ignore[attr-defined]
        lines = ["from django.utils.translation import gettext, ngettext", ""]
        for name, function, texts in template_texts(env, page_templates(env)):
            lines.append(f"# {name}")
            if function == "ngettext" and len(texts) >= 2:
                lines.append(f"ngettext({texts[0]!r}, {texts[1]!r}, 1)")
            else:
                lines.append(f"gettext({texts[0]!r})")
        options["ignore_patterns"] = [*(options.get("ignore_patterns") or []), "jinja2/*", "*/jinja2/*"]
        with tempfile.NamedTemporaryFile(
            "w", suffix=".py", prefix="_template_texts_", dir=Path.cwd(), delete=True, encoding="utf-8"
        ) as texts_file:
            texts_file.write("\n".join(lines) + "\n")
            texts_file.flush()
            super().handle(*args, **options)
