"""The letter templates every municipality starts with, in B1 Dutch. They use the glossary's preferred
words (a test checks them with the checker): a municipality changes them in Meedoen itself.

``{field}`` is filled from the file; ``[...]`` is what the caseworker fills in by hand."""

from meedoen.letters.models import LetterKind

TEMPLATES: tuple[tuple[str, str, str, str], ...] = (
    (
        LetterKind.INVITATION,
        "Uitnodiging voor een gesprek",
        "Uitnodiging voor een gesprek",
        """Beste {naam},

Ik wil graag met u praten over uw plan en over wat u wilt doen. Daarom nodig ik u uit voor een gesprek.

Wanneer: [dag en datum], om [tijd]
Waar: [plaats]

U mag iemand meenemen, bijvoorbeeld een familielid of een vriend.

Kunt u niet komen? Bel of mail mij dan. Dan maken we samen een nieuwe afspraak.

Met vriendelijke groet,

{afzender}
{functie}, gemeente {gemeente}""",
    ),
    (
        LetterKind.PROPOSAL,
        "Voorstel van een plek",
        "Een plek voor u: {plek}",
        """Beste {naam},

We hebben samen gezocht naar een plek die bij u past.
Ik stel u voor om te beginnen bij {plek} van {aanbieder}.

U begint op {startdatum}. U gaat {uren} uur per week.

Wat gaat u daar doen? [wat de inwoner gaat doen]

Wilt u eerst kijken hoe het daar is? Dat kan. Laat het mij weten, dan maak ik een afspraak.

Met vriendelijke groet,

{afzender}
{functie}, gemeente {gemeente}""",
    ),
    (
        LetterKind.REVIEW,
        "Uitkomst van een bespreking",
        "Wat we hebben besproken",
        """Beste {naam},

We hebben samen gekeken hoe het gaat. In deze brief leest u wat we hebben afgesproken.

Wat we hebben besloten: {besluit}.

[wat goed gaat en wat u nog wilt leren]

We praten weer met elkaar op {volgende_bespreking}.

Heeft u vragen, of klopt er iets niet? Bel of mail mij dan.

Met vriendelijke groet,

{afzender}
{functie}, gemeente {gemeente}""",
    ),
    (
        LetterKind.ROUTE_STEP,
        "Een stap op de route",
        "Een nieuwe stap op uw route",
        """Beste {naam},

U zet een nieuwe stap op uw route. Vanaf {stap_datum} bent u in de fase: {stap}.

Wat verandert er voor u? [wat er verandert]

Gaat het even niet? Dan kunt u een pauze nemen of een stap terug zetten. Dat is niet erg.
We zoeken dan samen naar wat wel past.

Met vriendelijke groet,

{afzender}
{functie}, gemeente {gemeente}""",
    ),
)
