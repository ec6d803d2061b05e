"""Production: secrets from the environment, HTTPS only, no demo mode.

Required: SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS. Optional: SECURE_PROXY_SSL_HEADER=1 behind a TLS proxy.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from meedoen.settings.base import *  # noqa: F403
from meedoen.settings.base import env_bool

for _name in ("SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"):
    if not os.environ.get(_name):
        raise ImproperlyConfigured(f"Set {_name} in the environment for production.")

DEBUG = False
MEEDOEN_DEMO_MODE = False
MEEDOEN_PRODUCTION = True  # refuses demo data (meedoen demo, meedoen seed)

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-meedoen-session"
CSRF_COOKIE_NAME = "__Host-meedoen-csrf"
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))  # noqa: F405
WHITENOISE_USE_FINDERS = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# DigiD's mock identity provider accepts any BSN: never in production.
MEEDOEN_DIGID_MOCK = False
AUTHENTICATION_BACKENDS = [
    *[b for b in AUTHENTICATION_BACKENDS if not b.startswith("meedoen.portal.")],  # noqa: F405
    "meedoen.portal.backends.DigiDBackend",
]
