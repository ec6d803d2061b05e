"""The indicators every municipality starts with (issue 14's minimum list), as data: code, name, how it is
computed in plain Dutch, measure and parameters, unit, whether higher is better. Stored by
``actions.do_ensure_indicators``; a functioneel beheerder adds more from the same building blocks."""

from django.utils.translation import gettext_noop

DEFAULT_INDICATORS: list[dict[str, object]] = [
    {
        "code": "in-programma",
        "name": gettext_noop("Inwoners in het programma"),
        "how_computed": gettext_noop(
            "Het aantal inwoners met een route die op de laatste dag van de maand openstaat. Per fase, "
            "groep, wijk en grondslag te bekijken."
        ),
        "measure": "in_programma",
        "unit": "inwoners",
    },
    {
        "code": "trede-omhoog",
        "name": gettext_noop("Minstens één trede gestegen in 12 maanden"),
        "how_computed": gettext_noop(
            "Van de inwoners in het programma met een trede op de participatieladder: het deel van wie de "
            "laatste trede hoger is dan de trede van 12 maanden eerder (of, als die er niet is, de eerste "
            "trede in die 12 maanden)."
        ),
        "measure": "trede_omhoog",
        "months": 12,
        "unit": "procent",
    },
    {
        "code": "uitstroom-werk",
        "name": gettext_noop("Uitstroom naar betaald werk"),
        "how_computed": gettext_noop(
            "Het aantal inwoners dat in de maand een stap naar de fase betaald werk zette."
        ),
        "measure": "stap_naar_fase",
        "phase": "betaald_werk",
        "unit": "inwoners",
    },
    {
        "code": "werk-6-maanden",
        "name": gettext_noop("Betaald werk na 6 maanden nog zo"),
        "how_computed": gettext_noop(
            "Van de inwoners die 6 maanden eerder naar betaald werk gingen: het deel dat sindsdien geen "
            "stap naar een andere fase zette (tot en met het eind van deze maand)."
        ),
        "measure": "duurzaam_in_fase",
        "phase": "betaald_werk",
        "months": 6,
        "unit": "procent",
    },
    {
        "code": "werk-12-maanden",
        "name": gettext_noop("Betaald werk na 12 maanden nog zo"),
        "how_computed": gettext_noop(
            "Van de inwoners die 12 maanden eerder naar betaald werk gingen: het deel dat sindsdien geen "
            "stap naar een andere fase zette (tot en met het eind van deze maand)."
        ),
        "measure": "duurzaam_in_fase",
        "phase": "betaald_werk",
        "months": 12,
        "unit": "procent",
    },
    {
        "code": "stap-terug",
        "name": gettext_noop("Stappen terug"),
        "how_computed": gettext_noop("Het aantal inwoners dat in de maand een stap terug zette op de route."),
        "measure": "stap_terug",
        "unit": "inwoners",
        "higher_is_better": False,
    },
    {
        "code": "terugval",
        "name": gettext_noop("Terug naar de uitkering na betaald werk"),
        "how_computed": gettext_noop(
            "Het aantal inwoners voor wie in de maand een nieuwe route begon met de terugvalgarantie, na "
            "betaald werk."
        ),
        "measure": "terugval",
        "unit": "inwoners",
        "higher_is_better": False,
    },
    {
        "code": "wachttijd",
        "name": gettext_noop("Wachttijd van intake tot eerste plek"),
        "how_computed": gettext_noop(
            "Voor de inwoners van wie de eerste plek in de maand begon: het gemiddelde aantal dagen van het "
            "begin van hun eerste route tot het begin van die plek."
        ),
        "measure": "wachttijd",
        "unit": "dagen",
        "higher_is_better": False,
    },
    {
        "code": "bezetting",
        "name": gettext_noop("Bezetting van de plekken"),
        "how_computed": gettext_noop(
            "De plekken in gebruik op de laatste dag van de maand, als deel van alle plekken bij aanbieders "
            "met een lopend contract met de gemeente."
        ),
        "measure": "bezetting",
        "unit": "procent",
    },
    {
        "code": "budgetgebruik",
        "name": gettext_noop("Budget gebruikt"),
        "how_computed": gettext_noop(
            "Wat dit jaar tot en met de maand is betaald, als deel van het budget van het jaar (na "
            "mutaties). Per project: als deel van wat aan het project is toegewezen."
        ),
        "measure": "budgetgebruik",
        "unit": "procent",
    },
    {
        "code": "kosten-per-inwoner",
        "name": gettext_noop("Kosten per inwoner"),
        "how_computed": gettext_noop(
            "Wat dit jaar tot en met de maand is betaald, gedeeld door het aantal inwoners met een "
            "plek waarvoor dit jaar geld is vastgelegd."
        ),
        "measure": "kosten_per_inwoner",
        "unit": "euro",
        "higher_is_better": False,
    },
    {
        "code": "kosten-per-uitstroom",
        "name": gettext_noop("Kosten per uitstroom naar werk"),
        "how_computed": gettext_noop(
            "Wat dit jaar tot en met de maand is betaald, gedeeld door het aantal inwoners met een "
            "plek waarvoor geld is vastgelegd en die dit jaar naar betaald werk gingen."
        ),
        "measure": "kosten_per_uitstroom",
        "unit": "euro",
        "higher_is_better": False,
    },
]
