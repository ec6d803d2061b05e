"""The actor: who acts, in which municipality and role, through which screen or endpoint.

Selectors and actions take an ``Actor`` rather than a bare user, because a user with two memberships acts
in one of them at a time, and the processing log must record which one and where.
"""

import uuid
from dataclasses import dataclass

from meedoen.accounts.models import Membership, User
from meedoen.accounts.policies import Capability, Domain, may
from meedoen.municipalities.models import Municipality


@dataclass(frozen=True)
class Actor:
    user: User
    membership: Membership
    endpoint: str

    @property
    def municipality(self) -> Municipality:
        return self.membership.municipality

    @property
    def municipality_id(self) -> uuid.UUID:
        return self.membership.municipality_id

    @property
    def role(self) -> str:
        return self.membership.role

    @property
    def domain(self) -> Domain | None:
        return self.membership.domain  # type: ignore[return-value]

    def may(self, capability: Capability) -> bool:
        return may(self.role, capability)
