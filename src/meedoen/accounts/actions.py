"""Every write of users, memberships and API tokens."""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from meedoen.accounts.actor import Actor
from meedoen.accounts.models import ApiToken, Membership, Notification, User, hash_token
from meedoen.accounts.policies import Capability
from meedoen.accounts.selectors import username_taken
from meedoen.municipalities.models import Municipality


class ActionRefused(Exception):
    """An action that the rules do not allow; the message is Dutch and meant for the user. ``field`` names
    the form field it is about, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def do_create_user(
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    password: str | None,
    municipality: Municipality,
    role: str,
    actor: Actor | None,
) -> tuple[User, Membership]:
    """Create a user with one membership. ``actor`` is None only for installation commands."""
    if actor is not None and (
        not actor.may(Capability.MANAGE_USERS) or actor.municipality_id != municipality.pk
    ):
        raise ActionRefused("U mag geen gebruikers aanmaken in deze gemeente.")
    if username_taken(username):  # "Alice" beside "alice" would confuse people and the lockout alike
        raise ActionRefused("Deze gebruikersnaam bestaat al. Kies een andere.", field="username")
    with transaction.atomic():
        user = User(username=username, first_name=first_name, last_name=last_name, email=email)
        user.password = make_password(password) if password else make_password(None)
        user.save()
        membership = Membership.objects.create(user=user, municipality=municipality, role=role)
    return user, membership


def do_add_membership(user: User, *, municipality: Municipality, role: str) -> Membership:
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=user, municipality=municipality, role=role
        )
        if not created and not membership.is_active:
            membership.is_active = True
            membership.save(update_fields=["is_active"])
    return membership


def do_deactivate_membership(membership: Membership, *, actor: Actor) -> Membership:
    if membership.user_id == actor.user.pk:
        raise ActionRefused("U kunt uw eigen rol niet uitzetten.")
    with transaction.atomic():
        membership.is_active = False
        membership.save(update_fields=["is_active"])
        ApiToken.objects.filter(membership=membership, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    return membership


def do_reset_second_factor(membership: Membership, *, actor: Actor) -> None:
    """Remove the user's authenticator so they link a new one at their next login."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=membership.user).delete()


def do_enrol_totp(user: User) -> TOTPDevice:
    """The unconfirmed authenticator a user is linking now (created once, reused until confirmed)."""
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Authenticator-app", confirmed=False)
    return device


def do_confirm_totp(device: TOTPDevice) -> TOTPDevice:
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user, confirmed=False).exclude(pk=device.pk).delete()
    return device


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str  # shown once, never stored


def do_issue_api_token(*, name: str, actor: Actor) -> IssuedToken:
    if not actor.may(Capability.USE_API_TOKENS):
        raise ActionRefused("Uw rol mag geen API-sleutels gebruiken.")
    key = "mdn_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            membership=actor.membership, name=name, key_hash=hash_token(key), prefix=key[:8]
        )
    return IssuedToken(token=token, key=key)


def do_revoke_api_token(token: ApiToken, *, actor: Actor) -> None:
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def do_touch_api_token(token: ApiToken) -> None:
    """Note when a token was last used, at most once a minute to keep API reads cheap."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)


def do_notify(user: User, *, municipality: Municipality, text: str, url: str = "") -> Notification:
    """Leave an in-app message for a user; higher apps (catalogue, routes) call it inside their write."""
    return Notification.objects.create(
        user=user, municipality=municipality, text=text[:300], url=url[:300], created_at=timezone.now()
    )


def do_resolve_notifications(user_ids: Iterable[Any], *, municipality_id: Any, url: str) -> int:
    """Mark the unread messages that point at ``url`` read for these users, because what they asked for has
    been dealt with (a proposal was answered). Higher apps call it inside their write's transaction."""
    return Notification.objects.filter(
        user_id__in=list(user_ids), municipality_id=municipality_id, url=url[:300], read_at__isnull=True
    ).update(read_at=timezone.now())


def do_mark_notifications_read(*, actor: Actor) -> int:
    return Notification.objects.filter(
        user=actor.user, municipality_id=actor.municipality_id, read_at__isnull=True
    ).update(read_at=timezone.now())
