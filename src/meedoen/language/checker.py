"""The text checker: avoided terms and readability. Pure Python, no Django import.

It never changes a text: it returns findings (``Hit``) with the span, the term, the alternatives and why,
and a readability estimate (``Readability``). The glossary comes in as plain ``Entry`` values, so the
views, the CLI, the own-texts test and the benchmark all check with the same code.

**Terms** are found in all their forms: any capitals; plural, diminutive and inflected endings ("klanten",
"klantje", "uitvallen"); past participles of separable verbs ("uitgevallen"); and compounds with the term
at the start, the end or in the middle ("dagbestedingslocatie", "werkverplichting", "klantcontact"). A part
that is left over in a compound must be three letters or more, so a term inside an unrelated word is no
hit; known false friends ("uitvalsweg") are listed. Multi-word terms match across any white space, line
breaks included. A fixed *name* ("klantmanager", a job title) is no hit. An *exception* phrase
("arbeidsmatige dagbesteding", a legal product name) is no hit when the preferred wording stands beside it
in the same sentence ("arbeidsmatige dagbesteding (activerend werk)").

**Readability** follows LiNT (Pander Maat et al.) as far as it can be computed without a parser; see
docs/language.md. Computed: the frequency of content words (wordfreq's Dutch list, in Zipf; unseen
compounds are split and scored by their parts), content words per clause (clauses split at punctuation and
at conjunctions and relative pronouns, not parsed), the share of abstract nouns (recognised by their
endings, not from a concreteness list), and sentence length as a stand-in for LiNT's dependency length.
The weights and the level boundaries are ours, set on known easy and hard Dutch texts, not LiNT's fitted
coefficients. Flesch-Douma is computed as a second, simpler measure (syllables counted as vowel groups).
"""

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

# ------------------------------------------------------------------------------------------------ terms


@dataclass(frozen=True)
class Entry:
    """One avoided term of a glossary, as the checker needs it."""

    term: str
    alternatives: tuple[str, ...]
    why: str
    exceptions: tuple[str, ...] = ()  # allowed with an alternative beside them
    names: tuple[str, ...] = ()  # fixed names (a job title) allowed as they are


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    text: str
    term: str
    alternatives: tuple[str, ...]
    why: str
    # A separated verb ("valt vandaag uit"): the span runs from the verb to its particle, and the sentence
    # needs rewriting rather than one word replaced.
    split: bool = False

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "term": self.term,
            "alternatives": list(self.alternatives),
            "why": self.why,
        }
        if self.split:
            found["split"] = True
        return found


# Endings of nouns (plural, diminutive), adjectives and verbs that keep a word the same word.
_ENDINGS = frozenset(
    {
        "",
        "s",
        "'s",
        "e",
        "en",
        "es",
        "er",
        "ers",
        "ere",
        "st",
        "ste",
        "je",
        "jes",
        "tje",
        "tjes",
        "etje",
        "etjes",
        "pje",
        "pjes",
        "kje",
        "kjes",
        "t",
        "d",
        "de",
        "den",
        "te",
        "ten",
        "end",
        "ende",
        "ing",
        "ingen",
    }
)
# What may join the parts of a compound ("dagbesteding-s-locatie", "klant-en-raad", "hand-e-werk").
_LINKS = ("", "s", "en", "e", "-", "s-", "en-", "e-")
_MIN_PART = 3
# Separable particles: "uitvallen" has the past participle "uitgevallen".
_PARTICLES = ("uit", "terug", "af", "op", "aan", "in", "mee", "door", "over", "weg", "toe", "na", "bij")
# A prefix that makes a new word of the term, not a compound ("verklanten").
_VERB_PREFIXES = frozenset({"ver", "ont", "her", "be", "ge", "er", "mis"})
# Words that contain a term but mean something else.
_FALSE_FRIENDS = frozenset({"uitvalsweg", "uitvalswegen", "uitvalsbasis", "uitvalshoek"})

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)

# Separated verbs. In a main clause the particle of "uitvallen" stands apart from the verb, at the end of the
# clause: "de les valt vandaag uit", "vielen jullie uit?". A verb form and its particle are a hit only inside
# one clause (split at punctuation and at the words that start a clause), with the particle last in the
# clause or before a preposition ("viel terug op zijn uitkering"); a particle before an article or a noun is
# a preposition ("hij valt uit het raam") and no hit. Also "uit te vallen".
_STRONG_PAST = {
    "val": ("viel", "vielen"),
    "ga": ("ging", "gingen"),
    "kom": ("kwam", "kwamen"),
    "sta": ("stond", "stonden"),
    "sluit": ("sloot", "sloten"),
    "houd": ("hield", "hielden"),
    "geef": ("gaf", "gaven"),
    "neem": ("nam", "namen"),
    "breek": ("brak", "braken"),
    "trek": ("trok", "trokken"),
    "vind": ("vond", "vonden"),
    "zit": ("zat", "zaten"),
    "blijf": ("bleef", "bleven"),
    "schrijf": ("schreef", "schreven"),
}
_CLAUSE_BREAK = re.compile(r"[.,;:!?()\[\]\n\"“”–—]")
_PREPOSITIONS = frozenset(
    [
        "in",
        "op",
        "aan",
        "bij",
        "met",
        "voor",
        "na",
        "naar",
        "van",
        "tot",
        "uit",
        "om",
        "over",
        "onder",
        "tegen",
        "tussen",
        "door",
        "zonder",
        "sinds",
        "tijdens",
        "binnen",
        "buiten",
        "achter",
        "naast",
        "per",
        "via",
        "vanaf",
        "volgens",
    ]
)


def _is_short_closed(root: str) -> bool:
    """A stem with one short vowel before one consonant ("val"): the consonant doubles ("vallen")."""
    return len(root) >= 3 and root[-1] not in "aeiouy" and root[-2] in "aeiouy" and root[-3] not in "aeiouy"


def _verb_forms(root: str) -> tuple[frozenset[str], frozenset[str]]:
    """The finite forms of the verb with stem ``root`` ("val": val, valt, vallen, viel, vielen) and its
    infinitives (vallen), as far as rules and a short list of strong verbs give them."""
    infinitive = (
        root + root[-1] + "en" if _is_short_closed(root) else root + ("an" if root[-1] == "a" else "en")
    )
    past = "te" if root[-1] in "tkfsp" or root.endswith("ch") else "de"
    finite = {root, root + "t", infinitive, root + past, root + past + "n", *_STRONG_PAST.get(root, ())}
    return frozenset(finite), frozenset({infinitive})


def _stems(term: str) -> tuple[str, ...]:
    """The forms a one-word term's stem can take before an ending: "uitval", "uitvall" (uitvallen),
    "uitgeval" (uitgevallen), "sanctie", "sancti" (sancties is "sanctie" + "s", found already)."""
    stems = {term}
    if len(term) >= 3 and term[-1] not in "aeiouy" and term[-2] in "aeiouy" and term[-3] not in "aeiouy":
        stems.add(term + term[-1])  # uitval → uitvall(en), klant stays
    for particle in _PARTICLES:
        if term.startswith(particle) and len(term) - len(particle) >= _MIN_PART:
            rest = term[len(particle) :]
            stems.update(
                {particle + "ge" + s[len(particle) :] for s in list(stems) if s.startswith(particle)}
            )
            stems.add(particle + "ge" + rest)
    return tuple(sorted(stems, key=len, reverse=True))


def _rest_is_word(rest: str) -> bool:
    """After a term inside a word: an ending, or a link and a further part of a compound."""
    if rest in _ENDINGS:
        return True
    return any(rest.startswith(link) and len(rest) - len(link) >= _MIN_PART for link in _LINKS)


@dataclass(frozen=True)
class _Single:
    entry: Entry
    stems: tuple[str, ...]


class Glossary:
    """The avoided terms, prepared once for many checks."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries = tuple(entries)
        self._singles: list[_Single] = []
        self._phrases: list[tuple[Entry, re.Pattern[str]]] = []
        self._exceptions: list[tuple[Entry, re.Pattern[str]]] = []
        self._names: list[re.Pattern[str]] = []
        # The words of the alternatives are the glossary's own preferred words: never counted as rare.
        self.known = frozenset(
            word
            for entry in self.entries
            for alternative in entry.alternatives
            for word in _WORD.findall(alternative.lower())
        )
        for entry in self.entries:
            term = entry.term.strip().lower()
            if not term:
                continue
            words = term.split()
            if len(words) == 1 and _WORD.fullmatch(term):
                self._singles.append(_Single(entry, _stems(term)))
            else:
                self._phrases.append((entry, _phrase_pattern(words)))
            for phrase in entry.exceptions:
                if phrase.strip():
                    self._exceptions.append((entry, _phrase_pattern(phrase.lower().split())))
            for name in entry.names:
                if name.strip():
                    self._names.append(_phrase_pattern(name.lower().split()))
        # One pattern for every stem of every one-word term: the text is scanned once, in C, and only the
        # words it touches are looked at in Python.
        by_stem = {stem: single for single in self._singles for stem in single.stems}
        self._by_stem = by_stem
        # Terms that start with a separable particle ("uitval", "terugval"): their verb's finite forms.
        self._split_finite: dict[str, list[tuple[Entry, str]]] = {}
        self._split_infinitive: dict[str, list[tuple[Entry, str]]] = {}
        for single in self._singles:
            term = single.entry.term.strip().lower()
            for particle in _PARTICLES:
                root = term[len(particle) :]
                if term.startswith(particle) and len(root) >= _MIN_PART:
                    finite, infinitives = _verb_forms(root)
                    for form in finite:
                        self._split_finite.setdefault(form, []).append((single.entry, particle))
                    for form in infinitives:
                        self._split_infinitive.setdefault(form, []).append((single.entry, particle))
                    break
        self._split_verb = (
            _whole_words(sorted(self._split_finite, key=len, reverse=True)) if self._split_finite else None
        )
        self._split_te = (
            re.compile(
                r"(?<![^\W\d_])("
                + "|".join(sorted({p for forms in self._split_infinitive.values() for _, p in forms}))
                + r")\s+te\s+("
                + "|".join(re.escape(f) for f in sorted(self._split_infinitive, key=len, reverse=True))
                + r")(?![^\W\d_])"
            )
            if self._split_infinitive
            else None
        )
        self._any_stem = (
            re.compile("|".join(re.escape(s) for s in sorted(by_stem, key=len, reverse=True)))
            if by_stem
            else None
        )

    def find(self, text: str) -> list[Hit]:
        hits: list[Hit] = []
        lowered = text.lower()
        allowed = self._allowed_spans(lowered)
        if self._any_stem is not None:
            done_until = -1
            for candidate in self._any_stem.finditer(lowered):
                if candidate.start() < done_until:
                    continue
                word_match = _WORD_AROUND.match(lowered, _word_start(lowered, candidate.start()))
                if word_match is None:
                    continue
                start, end = word_match.span()
                done_until = end
                word = word_match.group()
                if len(word) < _MIN_PART or word in _FALSE_FRIENDS:
                    continue
                for single in self._singles:
                    if _contains(word, single.stems):
                        if not _inside(allowed, start, end):
                            hits.append(_hit(single.entry, text, start, end))
                        break
        for entry, pattern in self._phrases:
            for match in pattern.finditer(lowered):
                start, end = match.span()
                if not _inside(allowed, start, end):
                    hits.append(_hit(entry, text, start, end))
        hits.sort(key=lambda hit: (hit.start, -hit.end))
        # A word inside a longer hit ("afstand tot de arbeidsmarkt" and "arbeidsmarkt") is reported once.
        kept: list[Hit] = []
        for hit in hits:
            if kept and hit.start < kept[-1].end:
                continue
            kept.append(hit)
        if self._split_finite:
            kept.extend(self._split_hits(text, lowered, allowed))
            kept.sort(key=lambda hit: (hit.start, -hit.end))
        return kept

    def _split_hits(self, text: str, lowered: str, allowed: list[tuple[int, int]]) -> list[Hit]:
        """Separated verbs within one clause: "valt ... uit" (the particle last, or before a preposition),
        and "uit te vallen". Only the clauses that hold a form of such a verb are looked at."""
        hits: list[Hit] = []
        assert self._split_verb is not None and self._split_te is not None
        for verb in self._split_verb.finditer(lowered):
            start = verb.start()
            stop = _CLAUSE_BREAK.search(lowered, verb.end())
            words = []
            for match in _WORD.finditer(lowered, verb.end(), stop.start() if stop else len(lowered)):
                if match.group() in _CLAUSE_WORDS:
                    break
                words.append(match)
            for entry, particle in self._split_finite[verb.group()]:
                for index, word in enumerate(words):
                    after = words[index + 1].group() if index + 1 < len(words) else None
                    if word.group() == particle and (after is None or after in _PREPOSITIONS):
                        if not _inside(allowed, start, word.end()):
                            hits.append(_hit(entry, text, start, word.end(), split=True))
                        break
        for match in self._split_te.finditer(lowered):
            particle, infinitive = match.group(1), match.group(2)
            for entry, wanted in self._split_infinitive[infinitive]:
                if wanted == particle and not _inside(allowed, match.start(), match.end()):
                    hits.append(_hit(entry, text, match.start(), match.end(), split=True))
        return hits

    def _allowed_spans(self, lowered: str) -> list[tuple[int, int]]:
        """Exception phrases with the preferred wording beside them (within a short distance)."""
        spans = [match.span() for pattern in self._names for match in pattern.finditer(lowered)]
        for entry, pattern in self._exceptions:
            for match in pattern.finditer(lowered):
                start, end = match.span()
                before = re.split(r"[.!?\n]", lowered[max(0, start - 40) : start])[-1]
                after = re.split(r"[.!?\n]", lowered[end : end + 40])[0]
                near = before + " " + after
                if any(alt.lower() in near for alt in entry.alternatives):
                    spans.append((start, end))
        return spans


_WORD_AROUND = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)


def _word_start(text: str, position: int) -> int:
    """Back from a position to the start of its word (letters, with inner hyphens and apostrophes)."""
    while position > 0:
        before = text[position - 1]
        if before.isalpha() or (before in "-'’" and position > 1 and text[position - 2].isalpha()):
            position -= 1
        else:
            break
    return position


def _phrase_pattern(words: Sequence[str]) -> re.Pattern[str]:
    endings = "|".join(re.escape(e) for e in sorted(_ENDINGS, key=len, reverse=True) if e)
    parts = [re.escape(word) for word in words]
    parts[-1] += f"(?:{endings})?"
    return re.compile(r"(?<![^\W\d_])" + r"\s+".join(parts) + r"(?![^\W\d_])", re.UNICODE)


def _contains(word: str, stems: tuple[str, ...]) -> bool:
    for stem in stems:
        position = word.find(stem)
        while position != -1:
            starts_well = position == 0 or (position >= _MIN_PART and _prefix_ok(word[:position]))
            if starts_well and _rest_is_word(word[position + len(stem) :]):
                return True
            position = word.find(stem, position + 1)
    return False


def _prefix_ok(prefix: str) -> bool:
    """A part before the term in a compound: three letters or more ("werk" in "werkverplichting")."""
    prefix = prefix.rstrip("-")
    return len(prefix) >= _MIN_PART and prefix not in _VERB_PREFIXES


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _hit(entry: Entry, text: str, start: int, end: int, *, split: bool = False) -> Hit:
    return Hit(start, end, text[start:end], entry.term, entry.alternatives, entry.why, split)


def _whole_words(words: Sequence[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![^\W\d_])(?:" + "|".join(re.escape(w) for w in words) + r")(?![^\W\d_])")


def replace_span(text: str, start: int, end: int, alternative: str) -> str:
    """The text with one hit replaced, keeping a capital at the start. The checker never calls this on its
    own; the one-click replace in the page does the same in the browser."""
    found = text[start:end]
    if found[:1].isupper():
        alternative = alternative[:1].upper() + alternative[1:]
    return text[:start] + alternative + text[end:]


# ----------------------------------------------------------------------------------------- readability

_FUNCTION_WORDS = (
    frozenset(
        [
            "de",
            "het",
            "een",
            "en",
            "of",
            "maar",
            "want",
            "dus",
            "dan",
            "als",
            "dat",
            "die",
            "dit",
            "deze",
            "wie",
            "wat",
            "waar",
            "wanneer",
            "hoe",
            "waarom",
            "welke",
            "welk",
            "ik",
            "jij",
            "je",
            "u",
            "hij",
            "zij",
            "ze",
            "wij",
            "we",
            "jullie",
            "mij",
            "me",
            "jou",
            "hem",
            "haar",
            "ons",
            "onze",
            "hun",
            "hen",
            "mijn",
            "jouw",
            "uw",
            "zijn",
            "zich",
            "er",
            "hier",
            "daar",
            "niet",
            "geen",
            "wel",
            "ook",
            "nog",
            "al",
            "toch",
            "maar",
            "even",
            "heel",
            "erg",
            "zeer",
            "meer",
            "meest",
            "minder",
            "veel",
            "weinig",
            "boven",
            "beneden",
            "langs",
            "rond",
            "is",
            "ben",
            "bent",
            "was",
            "waren",
            "wordt",
            "worden",
            "werd",
            "werden",
            "word",
            "heb",
            "hebt",
            "heeft",
            "had",
            "hadden",
            "hebben",
            "kan",
            "kunnen",
            "kon",
            "konden",
            "kun",
            "moet",
            "moeten",
            "moest",
            "mag",
            "mogen",
            "mocht",
            "wil",
            "willen",
            "wilde",
            "zal",
            "zullen",
            "zou",
            "zouden",
            "ga",
            "gaat",
            "gaan",
            "ging",
            "doe",
            "doet",
            "doen",
            "deed",
            "zijn",
            "geweest",
            "gehad",
            "gedaan",
            "laat",
            "laten",
            "omdat",
            "doordat",
            "zodat",
            "terwijl",
            "hoewel",
            "nadat",
            "voordat",
            "totdat",
            "zodra",
            "indien",
            "mits",
            "tenzij",
            "opdat",
            "waardoor",
            "waarbij",
            "waarmee",
            "waarin",
            "waarvan",
            "waarop",
            "waaraan",
            "alsof",
            "zowel",
            "noch",
            "ofwel",
            "alle",
            "alles",
            "iedereen",
            "iets",
            "niets",
            "niemand",
            "elk",
            "elke",
            "ieder",
            "iedere",
            "sommige",
            "enkele",
            "andere",
            "ander",
            "zo",
            "zoals",
            "ja",
            "nee",
            "nu",
            "straks",
            "vandaag",
            "morgen",
            "gisteren",
            "altijd",
            "nooit",
            "soms",
            "vaak",
            "weer",
            "eens",
            "pas",
            "net",
            "wat",
            "één",
            "twee",
            "drie",
            "vier",
            "vijf",
            "zes",
            "zeven",
            "acht",
            "negen",
            "tien",
            "eerst",
            "eerste",
            "tweede",
        ]
    )
    | _PREPOSITIONS
)  # the prepositions are function words too
# Clause boundaries inside a sentence, without a parser: these words start a new clause.
_CLAUSE_WORDS = frozenset(
    [
        "en",
        "maar",
        "want",
        "dus",
        "of",
        "omdat",
        "doordat",
        "zodat",
        "terwijl",
        "hoewel",
        "nadat",
        "voordat",
        "totdat",
        "zodra",
        "als",
        "wanneer",
        "indien",
        "mits",
        "tenzij",
        "opdat",
        "dat",
        "die",
        "wat",
        "waar",
        "waardoor",
        "waarbij",
        "waarmee",
        "waarin",
        "waarvan",
        "waarop",
    ]
)
# Endings of abstract nouns (LiNT counts concrete nouns from a list; we recognise abstract ones by form).
_ABSTRACT_ENDINGS = (
    "heid",
    "heden",
    "ing",
    "ingen",
    "atie",
    "aties",
    "itie",
    "ities",
    "isme",
    "ismen",
    "iteit",
    "iteiten",
    "schap",
    "schappen",
    "ment",
    "menten",
    "tie",
    "ties",
    "sie",
    "sies",
    "nis",
    "nissen",
    "aal",
    "uur",
)
_NOT_ABSTRACT = frozenset(
    {
        "ding",
        "dingen",
        "ring",
        "kring",
        "woning",
        "woningen",
        "tuur",
        "uur",
        "muur",
        "vuur",
        "buur",
        "zaal",
        "taal",
        "maal",
        "paal",
        "moment",
        "cement",
        "schap",
        "hing",
        "ging",
        "zing",
        "koning",
        "regering",
    }
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n\s*\n|\n(?=\s*[-*•])")
_VOWEL_GROUPS = re.compile(r"[aeiouyáéíóúàèëïöüâêîôû]+")

RARE_ZIPF = 3.0  # content words below this Zipf frequency count as rare (LiNT: low-frequency words)
LONG_SENTENCE = 20  # words
DENSE_CLAUSE = 6  # content words in one clause


@dataclass(frozen=True)
class Finding:
    """Something that makes a text harder, with where it is (character offsets) when it has a place."""

    kind: str  # "rare_word" | "long_sentence" | "dense_clause" | "abstract_noun"
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Readability:
    level: int  # 1 (easiest) … 4 (hardest), after LiNT's four levels; 1 and 2 are B1 or easier
    score: float  # 0 … 100, higher is harder
    flesch_douma: float
    features: dict[str, float]
    findings: tuple[Finding, ...] = field(default=())

    @property
    def b1(self) -> bool:
        return self.level <= 2

    def findings_of(self, kind: str) -> list[Finding]:
        return [f for f in self.findings if f.kind == kind]


_frequencies: dict[str, float] | None = None


def _frequency_table() -> dict[str, float]:
    global _frequencies
    if _frequencies is None:
        from wordfreq import get_frequency_dict

        _frequencies = get_frequency_dict("nl", wordlist="best")
    return _frequencies


def _zipf_of(word: str) -> float:
    frequency = _frequency_table().get(word, 0.0)
    return math.log10(frequency) + 9 if frequency > 0 else 0.0


@lru_cache(maxsize=50_000)
def zipf(word: str) -> float:
    """The Zipf frequency of a word (7 ≈ "de", 3 ≈ once per million words); an unseen compound is
    scored by its rarer part, less half a point (it is a longer, rarer word than its parts)."""
    word = word.lower()
    value = _zipf_of(word)
    if value or len(word) < 2 * _MIN_PART + 1:
        return value
    best = 0.0
    for cut in range(_MIN_PART, len(word) - _MIN_PART + 1):
        head = word[cut:]
        head_value = _zipf_of(head)
        if not head_value:
            continue
        modifier = word[:cut]
        modifier_value = _zipf_of(modifier) or (
            _zipf_of(modifier[:-1]) if modifier[-1:] == "s" and len(modifier) > _MIN_PART else 0.0
        )
        if modifier_value:
            best = max(best, min(head_value, modifier_value) - 0.5)
    return best


def _is_abstract(word: str) -> bool:
    return len(word) > 5 and word not in _NOT_ABSTRACT and word.endswith(_ABSTRACT_ENDINGS)


def readability(text: str, known: frozenset[str] = frozenset()) -> Readability:
    """The estimated level of ``text``; words in ``known`` (the glossary's preferred words) are never rare."""
    words_total = 0
    sentences = 0
    clauses = 0
    content = 0
    rare = 0
    abstract = 0
    zipf_sum = 0.0
    longest = 0
    findings: list[Finding] = []
    position = 0
    for sentence in _SENTENCE_END.split(text):
        offset = text.find(sentence, position) if sentence else position
        position = offset + len(sentence)
        words = list(_WORD.finditer(sentence))
        if not words:
            continue
        sentences += 1
        words_total += len(words)
        longest = max(longest, len(words))
        if len(words) > LONG_SENTENCE:
            findings.append(Finding("long_sentence", sentence.strip(), offset, offset + len(sentence)))
        clause_content = 0
        clause_start = words[0].start()
        clauses += 1
        for index, match in enumerate(words):
            word = match.group()
            lower = word.lower()
            if index and lower in _CLAUSE_WORDS:
                if clause_content > DENSE_CLAUSE:
                    findings.append(
                        Finding(
                            "dense_clause",
                            sentence[clause_start : match.start()].strip(),
                            offset + clause_start,
                            offset + match.start(),
                        )
                    )
                clauses += 1
                clause_content = 0
                clause_start = match.start()
            if lower in _FUNCTION_WORDS or len(lower) < 2:
                continue
            content += 1
            clause_content += 1
            value = zipf(lower)
            zipf_sum += min(value, 7.0)
            start, end = offset + match.start(), offset + match.end()
            if value < RARE_ZIPF and lower not in known:
                rare += 1
                findings.append(Finding("rare_word", word, start, end))
            if _is_abstract(lower):
                abstract += 1
                findings.append(Finding("abstract_noun", word, start, end))
        if clause_content > DENSE_CLAUSE:
            findings.append(
                Finding("dense_clause", sentence[clause_start:].strip(), offset + clause_start, position)
            )
    if not words_total:
        return Readability(1, 0.0, 100.0, {"words": 0.0}, ())
    # Syllables as vowel groups, counted over the whole text at once (a word has at least one).
    syllables = max(words_total, len(_VOWEL_GROUPS.findall(text.lower())))
    words_per_sentence = words_total / sentences
    content_per_clause = content / clauses
    rare_share = rare / content if content else 0.0
    abstract_share = abstract / content if content else 0.0
    mean_zipf = zipf_sum / content if content else 7.0
    flesch = 206.84 - 0.77 * (100 * syllables / words_total) - 0.93 * words_per_sentence
    # Our weights: each feature adds points as it passes what a B1 text typically has.
    score = (
        1.6 * max(0.0, words_per_sentence - 8)
        + 4.0 * max(0.0, content_per_clause - 2.5)
        + 80 * rare_share
        + 60 * abstract_share
        + 6.0 * max(0.0, 5.0 - mean_zipf)
    )
    score = min(100.0, score)
    level = 1 if score < 18 else 2 if score < 32 else 3 if score < 48 else 4
    features = {
        "words": float(words_total),
        "sentences": float(sentences),
        "words_per_sentence": round(words_per_sentence, 1),
        "longest_sentence": float(longest),
        "clauses": float(clauses),
        "content_words_per_clause": round(content_per_clause, 2),
        "rare_word_share": round(rare_share, 3),
        "abstract_noun_share": round(abstract_share, 3),
        "mean_content_word_zipf": round(mean_zipf, 2),
        "syllables_per_word": round(syllables / words_total, 2),
    }
    return Readability(level, round(score, 1), round(flesch, 1), features, tuple(findings))


@dataclass(frozen=True)
class Report:
    hits: list[Hit]
    readability: Readability

    def as_dict(self) -> dict[str, Any]:
        return {
            "hits": [hit.as_dict() for hit in self.hits],
            "level": self.readability.level,
            "b1": self.readability.b1,
            "score": self.readability.score,
            "flesch_douma": self.readability.flesch_douma,
            "features": self.readability.features,
        }


def check(text: str, glossary: Glossary) -> Report:
    return Report(glossary.find(text), readability(text, glossary.known))
