"""Every setting of Meedoen, read from the environment with safe defaults for the embedded demo.

Production deployments use ``meedoen.settings.production``, which refuses insecure defaults.
"""

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

SRC_DIR = Path(__file__).resolve().parent.parent  # src/meedoen
BASE_DIR = Path(os.environ.get("MEEDOEN_HOME", SRC_DIR.parent.parent)).resolve()  # the checkout
VAR_DIR = Path(os.environ.get("MEEDOEN_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# Start on a Django or redis release series the tests have not run on (meedoen/versions.py): only to run the
# tests on a new version.
ALLOW_UNTESTED_VERSIONS = env_bool("MEEDOEN_ALLOW_UNTESTED_VERSIONS", False)


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "meedoen-demo-only-not-secret-change-me-in-production-0123456789")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# Demo mode prints demo logins and lets demo staff skip the second factor. Never on in production.
MEEDOEN_DEMO_MODE = env_bool("MEEDOEN_DEMO_MODE", False)
# True only in meedoen.settings.production: demo data and the published demo password are refused there.
MEEDOEN_PRODUCTION = False

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "meedoen.municipalities",
    "meedoen.accounts",
    "meedoen.audit",
    "meedoen.language",
    "meedoen.residents",
    "meedoen.catalogue",
    "meedoen.matching",
    "meedoen.routes",
    "meedoen.budgets",
    "meedoen.switching",
    "meedoen.experiments",
    "meedoen.letters",
    "meedoen.programmes",
    "meedoen.demo",
    "meedoen.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "meedoen.web.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "meedoen.web.middleware.NoStoreMiddleware",  # Cache-Control: no-store for logged-in users and the API
    "meedoen.accounts.middleware.OTPMiddleware",  # django-otp's contract, reading no device of its own
    "meedoen.accounts.middleware.ActiveMembershipMiddleware",
    "meedoen.web.middleware.RequestSizeMiddleware",  # 413 for a body over MEEDOEN_MAX_REQUEST_BYTES
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "meedoen.urls"
WSGI_APPLICATION = "meedoen.wsgi.application"
ASGI_APPLICATION = "meedoen.asgi.application"

_CONTEXT_PROCESSORS = [
    "django.template.context_processors.request",
    "django.template.context_processors.i18n",
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
    "meedoen.accounts.context_processors.membership",
]
# Meedoen's pages are Jinja2 templates in jinja2/ folders (docs/decisions/0006-jinja2-page-templates.md).
# Django's own language renders the forms (templates/forms/, templates/django/forms/) and the pages of the
# libraries (the browsable API, the API docs).
TEMPLATES = [
    {
        "BACKEND": "meedoen.templating.Jinja2",
        "NAME": "jinja2",
        "DIRS": [SRC_DIR / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "meedoen.templating.environment",
            "context_processors": _CONTEXT_PROCESSORS,
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": _CONTEXT_PROCESSORS},
    },
]

FORM_RENDERER = "meedoen.web.forms.FormRenderer"

# Server-side parameters and prepared statements: psycopg prepares a statement the fifth time a connection
# runs it (Django leaves prepare_threshold off unless it is set), and PostgreSQL then skips parsing and
# planning. Planning was 1.4 ms of the 1.6 ms of the file's main query. Behind a transaction-pooling
# PgBouncer older than 1.21, set DATABASE_PREPARE_THRESHOLD=off.
_threshold = os.environ.get("DATABASE_PREPARE_THRESHOLD", "5")
POSTGRES_OPTIONS: dict[str, Any] = {
    "server_side_binding": True,
    "prepare_threshold": None if _threshold == "off" else int(_threshold),
}

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'meedoen.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default: WAL and a busy timeout so the demo server and a second command can share the file.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["OPTIONS"] = {**POSTGRES_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "meedoen.accounts.backends.SessionModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "meedoen.accounts.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # The demo password is printed in the README and by `meedoen demo`: it is no password.
    {"NAME": "meedoen.accounts.password_validation.PublishedPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout after 5 failed logins for the same username from the same address (django-axes).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "0"))

OTP_TOTP_ISSUER = "Meedoen"


# A shared cache (Redis) when REDIS_URL is set: sessions are then read from it instead of from the database
# (written to both, so a restarted Redis logs nobody out). Without it, the embedded demo keeps sessions in
# the database and a per-process cache.
def cache_settings(redis_url: str, key_prefix: str = "meedoen") -> tuple[dict[str, Any], str]:
    """CACHES and SESSION_ENGINE for a Redis URL, or for none (the tests use this too)."""
    if not redis_url:
        return (
            {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
            "django.contrib.sessions.backends.db",
        )
    redis = {
        "BACKEND": "meedoen.redis_cache.RedisCache",
        "LOCATION": redis_url,
        "KEY_PREFIX": key_prefix,
        "TIMEOUT": 300,
    }
    return {"default": redis}, "django.contrib.sessions.backends.cached_db"


CACHES, SESSION_ENGINE = cache_settings(
    os.environ.get("REDIS_URL", ""), os.environ.get("CACHE_KEY_PREFIX", "meedoen")
)
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# Uploaded attachments hold personal data: stored under var/, never served directly, only through
# a view that checks access and writes the processing log.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/bijlagen-niet-publiek/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Form data without its files (texts are at most 10,000 characters each, meedoen/forms.py) and API bodies.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", str(2 * 1024 * 1024)))
# A whole request, files included (an attachment is at most 10 MB): larger is refused before it is read.
MEEDOEN_MAX_REQUEST_BYTES = int(os.environ.get("MEEDOEN_MAX_REQUEST_BYTES", str(12 * 1024 * 1024)))

STATIC_URL = "/static/"
STATIC_ROOT = (
    Path(os.environ["STATIC_ROOT"]) if os.environ.get("STATIC_ROOT") else None
)  # collectstatic target
NODE_MODULES_DIR = Path(os.environ.get("MEEDOEN_NODE_MODULES", BASE_DIR / "node_modules"))
STATICFILES_DIRS = [SRC_DIR / "static"]
# The files of node_modules the pages use, one by one (URL path under STATIC_URL -> file): whole dist/
# folders bring megabytes, and references to files that are not there stop collectstatic
# (see meedoen/web/staticfiles.py).
MEEDOEN_VENDOR_FILES = {
    "vendor/utrecht/index.css": NODE_MODULES_DIR / "@utrecht/component-library-css/dist/index.css",
    "vendor/utrecht-tokens/theme.css": NODE_MODULES_DIR / "@utrecht/design-tokens/dist/theme.css",
    "vendor/htmx/htmx.min.js": NODE_MODULES_DIR / "htmx.org/dist/htmx.min.js",
    "vendor/vega/vega.min.js": NODE_MODULES_DIR / "vega/build/vega.min.js",
    "vendor/vega-lite/vega-lite.min.js": NODE_MODULES_DIR / "vega-lite/build/vega-lite.min.js",
    "vendor/vega-interpreter/vega-interpreter.min.js": (
        NODE_MODULES_DIR / "vega-interpreter/build/vega-interpreter.min.js"
    ),
    "vendor/vega-embed/vega-embed.min.js": NODE_MODULES_DIR / "vega-embed/build/vega-embed.min.js",
    # The source maps the three minified files name (the manifest storage stops the build without them).
    "vendor/vega-lite/vega-lite.min.js.map": NODE_MODULES_DIR / "vega-lite/build/vega-lite.min.js.map",
    "vendor/vega-interpreter/vega-interpreter.min.js.map": (
        NODE_MODULES_DIR / "vega-interpreter/build/vega-interpreter.min.js.map"
    ),
    "vendor/vega-embed/vega-embed.min.js.map": NODE_MODULES_DIR / "vega-embed/build/vega-embed.min.js.map",
}
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "meedoen.web.staticfiles.VendorFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # the demo serves straight from node_modules, no collectstatic step

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Content Security Policy: no inline scripts or styles (the API docs page alone allows inline styles).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

REST_FRAMEWORK: dict[str, Any] = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "meedoen.web.api_auth.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["meedoen.accounts.api_permissions.HasActiveMembership"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "meedoen.restapi.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "meedoen.web.api.problem_exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_VERSIONING_CLASS": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append("rest_framework.renderers.BrowsableAPIRenderer")

SPECTACULAR_SETTINGS = {
    "TITLE": "Meedoen API",
    "DESCRIPTION": (
        "REST API of Meedoen, the participation platform for Dutch municipalities. "
        "Every endpoint needs authentication (a session or `Authorization: Bearer <token>`); "
        "data is scoped to the active municipality and role of the caller, and every read or write "
        "of personal data is recorded in the processing log (verwerkingenlog). "
        "Errors follow RFC 9457 (application/problem+json)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "meedoen.web.api_schema.add_problem_responses",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}

# Background jobs (the batch allocation): Django 6's tasks API through the django-tasks backport, stored in
# the database; `meedoen worker` runs them (`meedoen demo` starts one beside the web server).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The resident portal (/mijn/, docs/portal.md): residents log in with DigiD through django-digid-eherkenning.
# MEEDOEN_DIGID_MOCK=1 swaps in the library's mock identity provider (the demo and the tests: type a BSN
# instead of a DigiD login); production refuses it. The real flow (SAML, artifact binding) needs the DigiD
# configuration with the municipality's certificate and DigiD's metadata, set in the admin of the library.
INSTALLED_APPS += ["solo", "simple_certmanager", "privates", "digid_eherkenning", "meedoen.portal"]
MEEDOEN_DIGID_MOCK = env_bool("MEEDOEN_DIGID_MOCK", MEEDOEN_DEMO_MODE)
AUTHENTICATION_BACKENDS += [
    "meedoen.portal.backends.MockDigiDBackend"
    if MEEDOEN_DIGID_MOCK
    else "meedoen.portal.backends.DigiDBackend"
]
DIGID_SESSION_AGE = 15 * 60  # DigiD's own rule: a session of at most 15 minutes
DIGID_MOCK_APP_TITLE = "Meedoen"
DIGID_MOCK_RETURN_URL = "portal:home"
DIGID_MOCK_CANCEL_URL = "portal:digid-back"
DIGID_MOCK_IDP_VALIDATE_CALLBACK_URLS = True
PRIVATE_MEDIA_ROOT = VAR_DIR / "private"  # the library's certificates (never served)
PRIVATE_MEDIA_URL = "/private-niet-publiek/"
