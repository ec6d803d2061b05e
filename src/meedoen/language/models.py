"""The municipality's glossary (woordenlijst): preferred terms and terms to avoid, with every change kept."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Term(models.Model):
    """One word of the glossary, as it is now. Every change also writes a ``TermChange`` with the new
    content, so the history is never overwritten."""

    class Kind(models.TextChoices):
        PREFERRED = "voorkeur", _("Voorkeursterm")
        AVOID = "vermijden", _("Liever niet")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, related_name="glossary_terms"
    )
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    word = models.CharField(_("woord"), max_length=100)
    meaning = models.TextField(_("betekenis in gewone woorden"), blank=True)
    # The meaning and the reason in English, shown when the reader chose English; empty: the Dutch text.
    meaning_en = models.TextField(_("betekenis in het Engels"), blank=True)
    # One alternative per line (avoided terms only).
    alternatives = models.TextField(_("gebruik liever"), blank=True)
    why = models.TextField(_("waarom"), blank=True)
    why_en = models.TextField(_("waarom, in het Engels"), blank=True)
    source = models.CharField(_("bron"), max_length=300, blank=True)
    # Phrases in which the avoided word must stay, one per line (a legal product name).
    exceptions = models.TextField(_("uitzonderingen"), blank=True)
    # Fixed names that contain the avoided word and stay as they are (a job title), one per line.
    names = models.TextField(_("vaste namen"), blank=True)
    is_active = models.BooleanField(_("in gebruik"), default=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["word"]
        verbose_name = _("term")
        verbose_name_plural = _("termen")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "word"], name="term_word_unique_per_municipality")
        ]

    def __str__(self) -> str:
        return self.word

    def meaning_in(self, language: str | None) -> str:
        """The meaning in the reader's language: English when asked for and written, else Dutch."""
        return self.meaning_en if (language or "").startswith("en") and self.meaning_en else self.meaning

    def why_in(self, language: str | None) -> str:
        return self.why_en if (language or "").startswith("en") and self.why_en else self.why

    @property
    def alternative_list(self) -> list[str]:
        return [line.strip() for line in self.alternatives.splitlines() if line.strip()]

    @property
    def name_list(self) -> list[str]:
        return [line.strip() for line in self.names.splitlines() if line.strip()]

    @property
    def exception_list(self) -> list[str]:
        return [line.strip() for line in self.exceptions.splitlines() if line.strip()]


class TermChange(models.Model):
    """A version of a term: what it said after this change, who made it and when. Only ever added."""

    id = models.BigAutoField(primary_key=True)
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="changes")
    version = models.PositiveIntegerField()
    changed_at = models.DateTimeField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    content = models.JSONField()

    class Meta:
        ordering = ["term", "-version"]
        constraints = [models.UniqueConstraint(fields=["term", "version"], name="term_change_version_unique")]

    def __str__(self) -> str:
        return f"{self.term_id} v{self.version}"
