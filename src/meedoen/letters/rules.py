"""The rules of a letter: which fields a template may use, filling them, and what is still to be filled in.
Pure Python, no Django import.

A template says ``{naam}`` where the resident's name goes. Filling puts the value from the file there; a
field the file has no value for becomes ``[what to fill in]`` in the draft, and so does anything the
template itself puts between square brackets ("[dag en datum]"). A letter is made only when no square
brackets are left: the caseworker has filled in everything by hand that the file could not.
"""

import re
from collections.abc import Mapping

# The fields a template may use, in the order the management screen lists them.
FIELDS = (
    "naam",
    "adres",
    "postcode_woonplaats",
    "gemeente",
    "datum",
    "afzender",
    "functie",
    "bespreekdatum",
    "fase",
    "stap",
    "stap_datum",
    "besluit",
    "volgende_bespreking",
    "plek",
    "aanbieder",
    "startdatum",
    "uren",
)

_FIELD = re.compile(r"\{([^{}\s]{1,40})\}")
_OPEN = re.compile(r"\[[^\[\]\n]{1,100}\]")


def unknown_fields(text: str) -> list[str]:
    """The names between braces that are no field, in the order they appear, each once."""
    return list(dict.fromkeys(name for name in _FIELD.findall(text) if name not in FIELDS))


def fill(text: str, values: Mapping[str, str], labels: Mapping[str, str]) -> str:
    """The text with every known field replaced by its value, or by ``[label]`` when the value is empty.
    An unknown field is left as it is (a template with one cannot be saved)."""

    def value_of(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in FIELDS:
            return match.group(0)
        value = (values.get(name) or "").strip()
        return value if value else f"[{labels.get(name, name)}]"

    return _FIELD.sub(value_of, text)


def open_places(text: str) -> list[str]:
    """What is still to be filled in: text between square brackets, and fields left in braces."""
    return [match.group(0) for match in _OPEN.finditer(text)] + [
        f"{{{name}}}" for name in _FIELD.findall(text)
    ]


def paragraphs(body: str) -> list[list[str]]:
    """The body as paragraphs (split at empty lines) of lines, as the PDF sets them."""
    blocks = re.split(r"\n\s*\n", body.replace("\r\n", "\n").strip())
    return [[line.rstrip() for line in block.split("\n")] for block in blocks if block.strip()]
