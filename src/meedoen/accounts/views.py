"""Login in two steps (password, then a code from an authenticator app), logout, choosing a role,
user management for the functioneel beheerder, and API keys."""

import base64
import time
import uuid
from io import BytesIO
from typing import Any

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token

from meedoen.accounts import actions, selectors
from meedoen.accounts.forms import CodeForm, LoginForm, NewUserForm, TokenForm
from meedoen.accounts.guards import requires, second_factor_satisfied
from meedoen.accounts.middleware import SESSION_KEY
from meedoen.accounts.models import User
from meedoen.accounts.policies import Capability, Role, needs_second_factor

PENDING_KEY = "meedoen_pending_login"
PENDING_SECONDS = 300
MAX_CODE_TRIES = 5


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("web:home")


def _pending_user(request: HttpRequest) -> User | None:
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending["started"] > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    return selectors.active_user(pending["user"])


def _finish_login(request: HttpRequest, user: User, backend: str, device: Any = None) -> HttpResponse:
    next_url = request.session.get(PENDING_KEY, {}).get("next") or reverse("web:home")
    request.session.pop(PENDING_KEY, None)
    login(request, user, backend=backend)
    if device is not None:
        otp_login(request, device)
    return redirect(next_url)


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("web:home")
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        memberships = list(selectors.active_memberships(user))
        if not memberships:
            form.add_error(
                None, _("Uw account heeft geen actieve rol. Neem contact op met de functioneel beheerder.")
            )
        elif not settings.MEEDOEN_DEMO_MODE and all(m.role == Role.RESIDENT for m in memberships):
            # Residents log in with DigiD (docs/portal.md); a resident's password works only in the demo.
            form.add_error(None, _("Inwoners loggen in met DigiD. Kies hieronder: inloggen met DigiD."))
        else:
            backend = user.backend  # set by authenticate()
            request.session.cycle_key()
            request.session[PENDING_KEY] = {
                "user": str(user.pk),
                "backend": backend,
                "started": time.time(),
                "next": _safe_next(request),
                "tries": 0,
            }
            staff = any(needs_second_factor(m.role) for m in memberships)
            if not staff:
                return _finish_login(request, user, backend)
            if settings.MEEDOEN_DEMO_MODE and user.demo_exempt_from_otp:
                return _finish_login(request, user, backend)
            if selectors.has_authenticator(user):
                return redirect("accounts:verify")
            return redirect("accounts:enrol")
    return render(request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")})


def _code_failed(request: HttpRequest, user: User) -> HttpResponse | None:
    """Count a wrong code towards the lockout; after too many, start the login again."""
    user_login_failed.send(sender=__name__, credentials={"username": user.username}, request=request)
    pending = request.session[PENDING_KEY]
    pending["tries"] += 1
    request.session[PENDING_KEY] = pending
    if pending["tries"] >= MAX_CODE_TRIES or AxesProxyHandler.is_locked(request, {"username": user.username}):
        request.session.pop(PENDING_KEY, None)
        return render(request, "accounts/locked_out.html", status=429)
    return None


@never_cache
@require_http_methods(["GET", "POST"])
def verify_view(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        messages.info(request, _("Log opnieuw in. De vorige poging duurde te lang."))
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if AxesProxyHandler.is_locked(request, {"username": user.username}):
            request.session.pop(PENDING_KEY, None)
            return render(request, "accounts/locked_out.html", status=429)
        device = match_token(user, form.cleaned_data["code"])
        if device is not None:
            return _finish_login(request, user, request.session[PENDING_KEY]["backend"], device)
        locked = _code_failed(request, user)
        if locked is not None:
            return locked
        form.add_error("code", _("Deze code klopt niet of is verlopen. Probeer de nieuwe code uit uw app."))
    return render(request, "accounts/verify.html", {"form": form})


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]


@never_cache
@require_http_methods(["GET", "POST"])
def enrol_view(request: HttpRequest) -> HttpResponse:
    """First login of a staff member: link an authenticator app by scanning a QR code."""
    user = _pending_user(request)
    if user is None:
        messages.info(request, _("Log opnieuw in. De vorige poging duurde te lang."))
        return redirect("accounts:login")
    if selectors.has_authenticator(user):
        return redirect("accounts:verify")
    device = actions.do_enrol_totp(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            actions.do_confirm_totp(device)
            messages.success(
                request, _("Uw app is gekoppeld. Voortaan vraagt Meedoen bij het inloggen om een code.")
            )
            return _finish_login(request, user, request.session[PENDING_KEY]["backend"], device)
        locked = _code_failed(request, user)
        if locked is not None:
            return locked
        form.add_error("code", _("Deze code klopt niet. Kijk of de tijd op uw telefoon goed staat."))
    secret = base64.b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr_svg": _qr_svg(device.config_url),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }
    return render(request, "accounts/enrol.html", context)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("U bent uitgelogd."))
    return redirect("accounts:login")


@never_cache
@require_http_methods(["GET", "POST"])
def choose_membership_view(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    memberships = list(selectors.active_memberships(request.user))
    if request.method == "POST":
        chosen = next((m for m in memberships if str(m.pk) == request.POST.get("membership")), None)
        if chosen is not None:
            if not second_factor_satisfied(request.user, chosen.role):
                logout(request)
                messages.info(request, _("Voor deze rol is een code uit uw app nodig. Log opnieuw in."))
                return redirect("accounts:login")
            request.session[SESSION_KEY] = str(chosen.pk)
            return redirect("web:home")
    return render(request, "accounts/choose_membership.html", {"memberships": memberships})


@requires(Capability.MANAGE_USERS)
@require_http_methods(["GET", "POST"])
def users_view(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    form = NewUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, _membership = actions.do_create_user(
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                password=data["password"],
                municipality=actor.municipality,
                role=data["role"],
                actor=actor,
            )
        except actions.ActionRefused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, str(refused))
        else:
            messages.success(request, _("Gebruiker %(name)s is aangemaakt.") % {"name": user.display_name()})
            return redirect("accounts:users")
    members = selectors.list_members(actor)
    return render(request, "accounts/users.html", {"members": members, "form": form})


@requires(Capability.MANAGE_USERS)
@require_POST
def deactivate_membership_view(request: HttpRequest, membership_id: uuid.UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    membership = selectors.access_membership(membership_id, actor)
    try:
        actions.do_deactivate_membership(membership, actor=actor)
    except actions.ActionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request, _("De rol van %(name)s staat uit.") % {"name": membership.user.display_name()}
        )
    return redirect("accounts:users")


@requires(Capability.MANAGE_USERS)
@require_POST
def reset_second_factor_view(request: HttpRequest, membership_id: uuid.UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    membership = selectors.access_membership(membership_id, actor)
    actions.do_reset_second_factor(membership, actor=actor)
    messages.success(
        request,
        _("%(name)s koppelt bij de volgende keer inloggen een nieuwe app.")
        % {"name": membership.user.display_name()},
    )
    return redirect("accounts:users")


@requires(Capability.USE_API_TOKENS)
@require_http_methods(["GET", "POST"])
def tokens_view(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    form = TokenForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        issued = actions.do_issue_api_token(name=form.cleaned_data["name"], actor=actor)
        form = TokenForm()
    context: dict[str, Any] = {"tokens": selectors.list_api_tokens(actor), "form": form, "issued": issued}
    return render(request, "accounts/tokens.html", context)


@requires(Capability.USE_API_TOKENS)
@require_POST
def revoke_token_view(request: HttpRequest, token_id: uuid.UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    token = selectors.access_api_token(token_id, actor)
    actions.do_revoke_api_token(token, actor=actor)
    messages.success(request, _("De sleutel %(name)s werkt niet meer.") % {"name": token.name})
    return redirect("accounts:tokens")


@requires()
@require_POST
def notifications_read_view(request: HttpRequest) -> HttpResponse:
    actions.do_mark_notifications_read(actor=request.actor)  # type: ignore[attr-defined]
    return redirect("web:home")
