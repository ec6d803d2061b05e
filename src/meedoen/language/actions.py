"""Every write to the glossary: one transaction each, and a ``TermChange`` for every version.

The glossary is configuration, not personal data: no processing-log row, but its own history."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meedoen.accounts.actions import ActionRefused
from meedoen.accounts.actor import Actor
from meedoen.accounts.models import User
from meedoen.accounts.policies import Capability
from meedoen.language import seed
from meedoen.language.models import Term, TermChange
from meedoen.municipalities.models import Municipality


@dataclass(frozen=True)
class TermInput:
    kind: str
    word: str
    meaning: str = ""
    alternatives: str = ""
    why: str = ""
    meaning_en: str = ""
    why_en: str = ""
    source: str = ""
    exceptions: str = ""
    names: str = ""
    is_active: bool = True


class StaleTerm(ActionRefused):
    pass


def _content(term: Term) -> dict[str, object]:
    return {
        "kind": term.kind,
        "word": term.word,
        "meaning": term.meaning,
        "meaning_en": term.meaning_en,
        "alternatives": term.alternative_list,
        "why": term.why,
        "why_en": term.why_en,
        "source": term.source,
        "exceptions": term.exception_list,
        "names": term.name_list,
        "is_active": term.is_active,
    }


def _check(data: TermInput) -> None:
    if data.kind == Term.Kind.AVOID and not [line for line in data.alternatives.splitlines() if line.strip()]:
        raise ActionRefused(
            _("Schrijf minstens één woord op dat mensen beter kunnen gebruiken."), "alternatives"
        )
    if data.kind == Term.Kind.PREFERRED and not data.meaning.strip():
        raise ActionRefused(_("Schrijf op wat het woord betekent, in gewone woorden."), "meaning")


def _write(term: Term, data: TermInput, author: User | None) -> Term:
    term.kind = data.kind
    term.word = data.word.strip().lower()
    term.meaning = data.meaning.strip()
    term.meaning_en = data.meaning_en.strip()
    term.why_en = data.why_en.strip()
    term.alternatives = "\n".join(line.strip() for line in data.alternatives.splitlines() if line.strip())
    term.why = data.why.strip()
    term.source = data.source.strip()
    term.exceptions = "\n".join(line.strip() for line in data.exceptions.splitlines() if line.strip())
    term.names = "\n".join(line.strip() for line in data.names.splitlines() if line.strip())
    term.is_active = data.is_active
    term.updated_at = timezone.now()
    term.updated_by = author
    try:
        with transaction.atomic():
            term.save()
    except IntegrityError:
        raise ActionRefused(_("Dit woord staat al in de woordenlijst."), "word") from None
    TermChange.objects.create(
        term=term, version=term.version, changed_at=term.updated_at, author=author, content=_content(term)
    )
    return term


def do_add_term(data: TermInput, *, actor: Actor) -> Term:
    actor_may(actor)
    _check(data)
    with transaction.atomic():
        return _write(Term(municipality=actor.municipality, version=1), data, actor.user)


def do_change_term(term: Term, data: TermInput, *, version: int, actor: Actor) -> Term:
    actor_may(actor)
    _check(data)
    with transaction.atomic():
        locked = Term.objects.select_for_update().get(pk=term.pk, municipality=actor.municipality)
        if locked.version != version:
            raise StaleTerm(_("Iemand anders heeft dit woord net veranderd. Bekijk de nieuwe tekst."))
        locked.version += 1
        return _write(locked, data, actor.user)


def actor_may(actor: Actor) -> None:
    if not actor.may(Capability.MANAGE_GLOSSARY):
        raise ActionRefused(_("U mag de woordenlijst niet veranderen."))


def do_seed_glossary(municipality: Municipality) -> int:
    """Fill an empty glossary from the seed list; a glossary that has terms is left as it is."""
    with transaction.atomic():
        if Term.objects.filter(municipality=municipality).exists():
            return 0
        added = 0
        preferred: dict[str, str] = {}
        for row in seed.read_seed():
            data = TermInput(
                kind=Term.Kind.AVOID,
                word=row.avoid,
                alternatives=row.prefer,
                why=row.why,
                why_en=seed.WHY_EN.get(row.avoid, ""),
                exceptions="\n".join(seed.EXCEPTIONS.get(row.avoid, [])),
                names="\n".join(seed.NAMES.get(row.avoid, [])),
            )
            _write(Term(municipality=municipality, version=1), data, None)
            added += 1
            preferred.setdefault(row.prefer, seed.MEANINGS.get(row.prefer, ""))
        for word, meaning in preferred.items():
            if not meaning:
                continue
            _write(
                Term(municipality=municipality, version=1),
                TermInput(
                    kind=Term.Kind.PREFERRED,
                    word=word,
                    meaning=meaning,
                    meaning_en=seed.MEANINGS_EN.get(word, ""),
                ),
                None,
            )
            added += 1
        return added
