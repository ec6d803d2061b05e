"""Tenants: every record that holds personal data belongs to exactly one municipality."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from meedoen.municipalities.labels import vocabulary_name


class Municipality(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("naam"), max_length=100, unique=True)
    slug = models.SlugField(_("korte naam"), max_length=50, unique=True)
    cbs_code = models.CharField(_("CBS-gemeentecode"), max_length=4, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """A wijk (district) within an area (stadsdeel or village) of a municipality."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="districts")
    area = models.CharField(_("stadsdeel of kern"), max_length=100)
    name = models.CharField(_("wijk"), max_length=100)
    latitude = models.DecimalField(_("breedtegraad"), max_digits=8, decimal_places=5)
    longitude = models.DecimalField(_("lengtegraad"), max_digits=8, decimal_places=5)

    class Meta:
        ordering = ["area", "name"]
        verbose_name = _("wijk")
        verbose_name_plural = _("wijken")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="district_name_unique_per_municipality"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.area})"


class TargetGroup(models.Model):
    """A group of residents the programme pays attention to (45+, statushouder, …).

    Configurable per municipality."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="target_groups")
    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("naam"), max_length=100)
    is_active = models.BooleanField(_("in gebruik"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("groep inwoners")
        verbose_name_plural = _("groepen inwoners")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="target_group_code_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name as a person sees it, in the language of the page (see municipalities.labels)."""
        return vocabulary_name(self.code, self.name)


class InterestTag(models.Model):
    """A word for what someone likes to do or where (groen, dieren, techniek, …). The resident profile and the
    placement catalogue share this vocabulary, so matching can compare them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="interest_tags")
    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("naam"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("interesse")
        verbose_name_plural = _("interesses")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="interest_tag_code_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name as a person sees it, in the language of the page (see municipalities.labels)."""
        return vocabulary_name(self.code, self.name)
