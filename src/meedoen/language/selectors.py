"""Reads of the glossary, scoped to the municipality. Not personal data: no processing-log row."""

import uuid

from django.db.models import QuerySet
from django.http import Http404

from meedoen.language import checker
from meedoen.language.models import Term, TermChange
from meedoen.municipalities.models import Municipality


def list_terms(municipality: Municipality, *, active_only: bool = True) -> QuerySet[Term]:
    terms = Term.objects.filter(municipality=municipality)
    return terms.filter(is_active=True) if active_only else terms


def get_term(term_id: uuid.UUID, municipality: Municipality) -> Term:
    try:
        return Term.objects.get(pk=term_id, municipality=municipality)
    except Term.DoesNotExist:
        raise Http404 from None


def list_changes(term: Term) -> QuerySet[TermChange]:
    return TermChange.objects.filter(term=term).select_related("author")


def glossary_for(municipality: Municipality) -> checker.Glossary:
    """The municipality's avoided terms, prepared for the checker."""
    entries = [
        checker.Entry(
            term.word,
            tuple(term.alternative_list),
            term.why,
            tuple(term.exception_list),
            tuple(term.name_list),
        )
        for term in list_terms(municipality).filter(kind=Term.Kind.AVOID)
    ]
    return checker.Glossary(entries)


def municipality_by_slug(slug: str) -> Municipality | None:
    return Municipality.objects.filter(slug=slug).first()


def list_municipalities() -> QuerySet[Municipality]:
    return Municipality.objects.all()
