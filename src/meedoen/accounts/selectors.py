"""Reads of users, memberships and tokens, always scoped to the actor's municipality."""

import uuid

from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from meedoen.accounts.actor import Actor
from meedoen.accounts.models import ApiToken, Membership, Notification, User, hash_token
from meedoen.accounts.policies import Capability
from meedoen.prepared import PreparedQuery


def active_user(user_id: uuid.UUID | str) -> User | None:
    """The user a half-finished login belongs to, if still active."""
    return User.objects.filter(pk=user_id, is_active=True).first()


def has_authenticator(user: User) -> bool:
    """Whether the user has linked an authenticator app (a confirmed TOTP device)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def username_taken(username: str) -> bool:
    """Usernames are unique regardless of case."""
    return User.objects.filter(username__iexact=username).exists()


def active_memberships(user: User) -> list[Membership]:
    """The user's active memberships; read along with the user when the session's user was loaded
    (``session_user``), so a request reads them once."""
    loaded: list[Membership] | None = getattr(user, _LOADED_MEMBERSHIPS, None)  # also through a lazy user
    if loaded is not None:
        return list(loaded)
    return list(Membership.objects.filter(user_id=user.pk, is_active=True).select_related("municipality"))


_LOADED_MEMBERSHIPS = "_meedoen_active_memberships"
_LOADED_AUTHENTICATOR = "_meedoen_confirmed_authenticator_id"

# Every request of a logged-in user reads its user with the active memberships, and the id of their
# latest confirmed authenticator app (what the OTP middleware checks the session against): compiled once per
# process (meedoen/prepared.py). Measured in decision 0007: the plain queryset cost about 2 ms of a 9 ms file
# page; decision 0011: django-otp's own read of the app cost another 1 ms, the subquery here about 0.05 ms.
_user_with_memberships = PreparedQuery(
    lambda user: (
        Membership.objects.filter(user_id=user, is_active=True)
        .select_related("user", "municipality")
        .annotate(
            confirmed_authenticator_id=Subquery(
                TOTPDevice.objects.filter(user_id=OuterRef("user_id"), confirmed=True)
                .order_by("-pk")
                .values("pk")[:1]
            )
        )
    ),
    user=uuid.UUID,
)


def session_user(user_id: uuid.UUID) -> User | None:
    """The user a session belongs to (active or not: the authentication backend decides), with their active
    memberships in the same query; a user without any is read on its own."""
    memberships = _user_with_memberships(user=user_id)
    if not memberships:
        found = User.objects.filter(pk=user_id).first()
        if found is not None:
            setattr(found, _LOADED_MEMBERSHIPS, [])
        return found
    user = memberships[0].user
    for membership in memberships:
        membership.user = user  # one user object, not a copy per row
    setattr(user, _LOADED_MEMBERSHIPS, memberships)
    setattr(user, _LOADED_AUTHENTICATOR, memberships[0].confirmed_authenticator_id)
    return user


def verified_device(user: User, persistent_id: str) -> Device | None:
    """The device a session was verified with (``persistent_id``, as ``django_otp.login`` stored it), if it
    still is a confirmed device of this user; otherwise None.

    The session's user was read with the id of their latest confirmed authenticator app (``session_user``):
    when the session names that app, it is not read again, but made as Django makes a row read with
    ``only()`` (the other fields load when used). Any other device (an older app, a deleted or unconfirmed
    one, one of another user) is read and checked as django-otp's middleware does."""
    known = getattr(user, _LOADED_AUTHENTICATOR, None)
    if known is not None:
        loaded = {"id": known, "user_id": user.pk, "confirmed": True}
        names = [f.attname for f in TOTPDevice._meta.concrete_fields if f.attname in loaded]
        device = TOTPDevice.from_db(
            user._state.db or DEFAULT_DB_ALIAS, names, [loaded[name] for name in names]
        )
        if device.persistent_id == persistent_id:
            return device
    found = Device.from_persistent_id(persistent_id)
    if found is None or found.user_id != user.pk or not found.confirmed:
        return None
    return found


def membership_for_session(user: User, membership_id: str | None) -> tuple[Membership | None, int]:
    """The membership a logged-in user acts in (the one in the session, or the only one they have), and how
    many active memberships they have, in one query."""
    memberships = list(active_memberships(user))
    if membership_id:
        chosen = next((m for m in memberships if str(m.pk) == membership_id), None)
        return chosen, len(memberships)
    return (memberships[0] if len(memberships) == 1 else None), len(memberships)


def list_members(actor: Actor) -> QuerySet[Membership]:
    if not actor.may(Capability.MANAGE_USERS):
        raise PermissionDenied
    return (
        Membership.objects.filter(municipality_id=actor.municipality_id)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "role")
    )


def access_membership(membership_id: uuid.UUID, actor: Actor) -> Membership:
    if not actor.may(Capability.MANAGE_USERS):
        raise PermissionDenied
    try:
        return Membership.objects.select_related("user").get(
            pk=membership_id, municipality_id=actor.municipality_id
        )
    except Membership.DoesNotExist:
        raise Http404 from None


def list_api_tokens(actor: Actor) -> QuerySet[ApiToken]:
    if not actor.may(Capability.USE_API_TOKENS):
        raise PermissionDenied
    return ApiToken.objects.filter(membership=actor.membership, revoked_at__isnull=True)


def access_api_token(token_id: uuid.UUID, actor: Actor) -> ApiToken:
    try:
        return list_api_tokens(actor).get(pk=token_id)
    except ApiToken.DoesNotExist:
        raise Http404 from None


def membership_for_token(key: str) -> tuple[ApiToken, Membership] | None:
    """The token and membership a bearer key stands for, if it is valid now."""
    try:
        token = ApiToken.objects.select_related("membership__user", "membership__municipality").get(
            key_hash=hash_token(key), revoked_at__isnull=True
        )
    except ApiToken.DoesNotExist:
        return None
    membership = token.membership
    if not membership.is_active or not membership.user.is_active:
        return None
    if token.expires_at is not None and token.expires_at <= timezone.now():
        return None
    return token, membership


def list_unread_notifications(actor: Actor, *, limit: int = 10) -> list[Notification]:
    """The actor's own unread messages in the active municipality, newest first."""
    return list(
        Notification.objects.filter(
            user=actor.user, municipality_id=actor.municipality_id, read_at__isnull=True
        )[:limit]
    )
