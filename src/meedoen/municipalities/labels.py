"""The names of a municipality's vocabulary (target groups, interest words) in the language of the page.

Each municipality starts with the default rows of ``municipalities.actions`` and may rename them. A row whose
name is still the default Dutch name for its code is shown translated (gettext); a name the municipality
chose itself is its own words and is shown as written. What is stored does not change: the API keeps the
stored (Dutch) names."""

from django.utils.translation import gettext, gettext_noop

# The default names by code, once more for the catalogue; test_vocabulary checks that they agree with
# DEFAULT_TARGET_GROUPS and DEFAULT_INTEREST_TAGS of municipalities.actions.
DEFAULT_NAMES: dict[str, str] = {
    # Target groups
    "45-plus": gettext_noop("45+"),
    "statushouder": gettext_noop("Statushouder"),
    "psychische-kwetsbaarheid": gettext_noop("Psychische kwetsbaarheid"),
    "jongere-vso-pro": gettext_noop("Jongere uit VSO/PrO"),
    "fysieke-beperking": gettext_noop("Fysieke beperking"),
    "langdurig-bijstand": gettext_noop("Langdurig in de bijstand"),
    # Interest words
    "groen": gettext_noop("Groen en tuin"),
    "dieren": gettext_noop("Dieren"),
    "techniek": gettext_noop("Techniek"),
    "koken": gettext_noop("Koken en horeca"),
    "zorg": gettext_noop("Zorg voor anderen"),
    "administratie": gettext_noop("Administratie"),
    "schoonmaak": gettext_noop("Schoonmaak"),
    "logistiek": gettext_noop("Logistiek en magazijn"),
    "creatief": gettext_noop("Creatief en handwerk"),
    "winkel": gettext_noop("Winkel en verkoop"),
    "ict": gettext_noop("Computers en ICT"),
    "sport": gettext_noop("Sport en bewegen"),
    "bouw": gettext_noop("Bouw en klussen"),
    "fietsen": gettext_noop("Fietsen repareren"),
}


def vocabulary_name(code: str, name: str) -> str:
    """The name of a target group or interest word as a person sees it: translated when it is still the
    default name for its code, otherwise the municipality's own name as written."""
    if DEFAULT_NAMES.get(code) == name:
        return gettext(name)
    return name
