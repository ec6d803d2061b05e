"""Catalogue test helpers; the fixtures (groene_schakel, moestuin, ruben) are in the root conftest."""

from meedoen.accounts.actor import Actor


def act(membership, endpoint: str = "test") -> Actor:
    return Actor(membership.user, membership, endpoint)
