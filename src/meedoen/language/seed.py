"""The glossary every municipality starts with: ``glossary.csv`` (copied from the programme's shared list)
plus the preferred terms' meanings and the exceptions, which the list has no column for."""

import csv
from dataclasses import dataclass
from pathlib import Path

SEED_FILE = Path(__file__).with_name("glossary.csv")

# Plain-Dutch meanings of the preferred terms.
MEANINGS = {
    "activerend werk": "Werk met een doel, waarin je iets leert en meedoet. Zonder loon, met begeleiding.",
    "ontwikkelkans": "Iets wat je kunt leren of proberen, zodat je een stap verder komt.",
    "ontwikkelkansen": "Dingen die je kunt leren of proberen, zodat je een stap verder komt.",
    "inwoner": "Iemand die in de gemeente woont. Zo noemen we iedereen met wie we werken.",
    "pauze": "Even stoppen met je route. Daarna kun je weer verder.",
    "stap terug": "Een stap terug op je route, bijvoorbeeld minder uren. Dat mag en is veilig.",
    "ontwikkelruimte": "Wat iemand nog kan leren en groeien op weg naar werk.",
    "afspraken nakomen": "Doen wat we samen hebben afgesproken.",
    "gevolg van afspraken": "Wat er gebeurt als een afspraak niet lukt, uitgelegd in gewone woorden.",
    "route beëindigen": "De route stopt. We leggen uit waarom en wat je daarna kunt doen.",
    "groep inwoners": "Inwoners met iets gemeen, bijvoorbeeld hun leeftijd.",
}

# Phrases in which an avoided word must stay, with the preferred wording shown beside them.
EXCEPTIONS = {
    "dagbesteding": ["arbeidsmatige dagbesteding"],
}
# Fixed names that contain an avoided word and stay as they are.
NAMES = {
    # The job title in the Participatiewet's practice and in Meedoen's roles.
    "klant": ["klantmanager"],
    # The programme's guarantee that a resident may go back to their benefit: a policy's own name.
    "terugval": ["terugvalgarantie"],
}


@dataclass(frozen=True)
class SeedTerm:
    avoid: str
    prefer: str
    why: str


def read_seed(path: Path = SEED_FILE) -> list[SeedTerm]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            SeedTerm(row["avoid"].strip(), row["prefer"].strip(), row["why"].strip())
            for row in csv.DictReader(handle)
            if row.get("avoid", "").strip()
        ]
