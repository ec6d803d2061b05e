"""The dated reference data of the switch insight: bijstandsnormen, the inkomstenvrijlating, the minimum
wage and the loonheffing (brackets and heffingskortingen), one figure per row, each with the date from which
it applies and its source. Rows are never changed: a new figure, or a correction, is a new row; of one key
and date the latest row counts, the others stay as the history."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meedoen.municipalities.models import Municipality
from meedoen.switching.rules import KEYS

KEY_CHOICES = [(key, label) for key, (label, _unit) in KEYS.items()]


class ReferenceFigure(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("wat"), max_length=60, choices=KEY_CHOICES)
    valid_from = models.DateField(_("geldt vanaf"))
    value = models.DecimalField(
        _("bedrag of getal"),
        max_digits=12,
        decimal_places=3,  # percentages of the heffingskortingen have three decimals (8,324 %)
        null=True,
        blank=True,
        help_text=_("Leeg als het bedrag niet gevonden is: zeg dan in de bron waar u zocht."),
    )
    source = models.CharField(_("bron"), max_length=500)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key", "valid_from", "recorded_at"]
        verbose_name = _("norm of regel")
        verbose_name_plural = _("normen en regels")
        indexes = [
            models.Index(fields=["municipality", "key", "valid_from"], name="switching_figure_key_date")
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.valid_from}"
