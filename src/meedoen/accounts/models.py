"""Users, their memberships (municipality + role) and API tokens."""

import hashlib
import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from meedoen.accounts.policies import Role, domain_of
from meedoen.municipalities.models import Municipality

ROLE_LABELS = {
    Role.CASEWORKER_WORK: _("Klantmanager (werk)"),
    Role.CASEWORKER_CARE: _("Wmo-consulent (zorg)"),
    Role.PROVIDER: _("Aanbieder"),
    Role.PROGRAMME_MANAGER: _("Programmamanager"),
    Role.RESIDENT: _("Inwoner"),
    Role.ADMIN: _("Functioneel beheerder"),
    Role.PRIVACY_OFFICER: _("Privacy officer (FG)"),
    Role.CONTROLLER: _("Controller (geld)"),
    Role.RESEARCHER: _("Onderzoeker"),
}
ROLE_CHOICES = [(role.value, label) for role, label in ROLE_LABELS.items()]


class User(AbstractUser):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Demo users may skip the second factor, but only while the installation runs in demo mode.
    demo_exempt_from_otp = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def display_name(self) -> str:
        return self.get_full_name() or self.username


class Membership(models.Model):
    """A user works in one municipality in one role; a user may have several memberships."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("rol"), max_length=32, choices=ROLE_CHOICES)
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["municipality__name", "role"]
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        constraints = [
            models.UniqueConstraint(fields=["user", "municipality", "role"], name="membership_unique_role"),
            models.CheckConstraint(
                condition=models.Q(role__in=[role.value for role in Role]), name="membership_known_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} — {self.role_label}"

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS.get(Role(self.role), self.role))

    @property
    def domain(self) -> str | None:
        return domain_of(self.role)


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for one membership. Only its SHA-256 hash is stored; the key is shown once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("naam"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("verloopt op"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class Notification(models.Model):
    """An in-app message for a user in one municipality, e.g. "the provider accepted your proposal"."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(_("melding"), max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        indexes = [models.Index(fields=["user", "municipality", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.text
