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

# The same meanings in English, shown when the reader chose English (the glossary itself stays Dutch: it is
# about Dutch words).
MEANINGS_EN = {
    "activerend werk": "Work with a purpose, where you learn and take part. Unpaid, with guidance.",
    "ontwikkelkans": "Something you can learn or try, so that you take a step forward.",
    "ontwikkelkansen": "Things you can learn or try, so that you take a step forward.",
    "inwoner": "Someone who lives in the municipality. That is what we call everyone we work with.",
    "pauze": "Stopping your route for a while. Afterwards you can carry on.",
    "stap terug": "A step back on your route, for example fewer hours. That is allowed and safe.",
    "ontwikkelruimte": "What someone can still learn and grow on the way to work.",
    "afspraken nakomen": "Doing what we agreed together.",
    "gevolg van afspraken": "What happens when an agreement does not work out, explained in plain words.",
    "route beëindigen": "The route stops. We explain why and what you can do next.",
    "groep inwoners": "Residents who have something in common, for example their age.",
}
# Why a word is avoided, in English (the Dutch reason is the list's "why" column).
WHY_EN = {
    "dagbesteding": "It is about work with a purpose and development, not about filling the day.",
    "verplichting": "We look at what someone can and wants to learn, not at what they must do.",
    "verplichtingen": "We look at what someone can and wants to learn, not at what they must do.",
    "klant": "These are residents of the municipality, not customers at a counter.",
    "cliënt": "One word for everyone, whether they fall under the Wmo or the Participatiewet.",
    "uitval": "Pausing for a while is part of the route; it is not a failure.",
    "terugval": "A step back on the bridge is safe and normal.",
    "afstand tot de arbeidsmarkt": "We describe possibilities instead of a distance.",
    "handhaving": "Name what we agree together.",
    "sanctie": "Explain what happens and why, in plain words.",
    "traject afsluiten wegens niet-meewerken": "Describe what happens without laying blame.",
    "doelgroep": "People are more than a target group.",
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
            # The list's reasons hold unquoted commas: what the reader split off belongs to the reason.
            SeedTerm(
                row["avoid"].strip(),
                row["prefer"].strip(),
                ",".join([row["why"], *row.get(None, [])]).strip(),
            )
            for row in csv.DictReader(handle)
            if row.get("avoid", "").strip()
        ]
