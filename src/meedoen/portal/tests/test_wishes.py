"""What I like and when I can: a resident changes only the profile fields the portal's form shows, and the
profile and their own words are saved together or not at all."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DataError, connection

from meedoen.accounts.actor import Actor
from meedoen.portal import actions
from meedoen.portal.models import OwnWords
from meedoen.residents import actions as resident_actions
from meedoen.residents.models import Profile, Resident

pytestmark = pytest.mark.django_db


def act(membership) -> Actor:
    return Actor(membership.user, membership, "test")


def test_a_resident_cannot_change_what_stays_with_the_caseworker(rita, alice):
    resident = Resident.objects.get(user=rita.user)
    resident.caseworker_work = alice.user
    resident.save()
    profile, _ = Profile.objects.get_or_create(resident=resident)
    for field, value in (("workload", "zwaar"), ("talents", "Alles"), ("travel_radius_km", 99)):
        with pytest.raises(PermissionDenied):
            resident_actions.do_update_profile(
                resident, values={field: value}, interests=[], version=profile.version, actor=act(rita)
            )
    profile.refresh_from_db()
    assert profile.talents == "" and profile.travel_radius_km != 99
    # what the portal's form shows, the resident changes; the caseworker changes the rest
    resident_actions.do_update_profile(
        resident, values={"hours_per_week": 8}, interests=[], version=profile.version, actor=act(rita)
    )
    profile.refresh_from_db()
    resident_actions.do_update_profile(
        resident, values={"talents": "Koken"}, interests=[], version=profile.version, actor=act(alice)
    )
    profile.refresh_from_db()
    assert profile.hours_per_week == 8 and profile.talents == "Koken"


def test_profile_and_own_words_are_saved_together_or_not_at_all(rita):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite stores a NUL character; PostgreSQL refuses it, which makes the second write fail")
    resident = Resident.objects.get(user=rita.user)
    profile, _ = Profile.objects.get_or_create(resident=resident)
    with pytest.raises(DataError):
        actions.do_save_wishes(
            resident, hours_per_week=20, preferred_days=["ma"], interests=[],
            interests_text="Buiten\x00werken", availability_text="", version=profile.version, actor=act(rita),
        )  # fmt: skip
    profile.refresh_from_db()
    assert profile.hours_per_week != 20  # the profile is not half-saved
    assert not OwnWords.objects.filter(resident=resident).exists()
