"""Authentication backends."""

import uuid
from typing import Any

from django.contrib.auth.backends import ModelBackend

from meedoen.accounts import selectors


class SessionModelBackend(ModelBackend):
    """Django's ModelBackend (username and password; inactive users refused), with the user of a session read
    together with their active memberships in one query (``selectors.session_user``): every request of a
    logged-in user does this, and the membership middleware then needs no query of its own."""

    def get_user(self, user_id: Any) -> Any:
        try:
            user = selectors.session_user(uuid.UUID(str(user_id)))
        except ValueError:
            return None
        return user if user is not None and self.user_can_authenticate(user) else None
