"""The one settings module. Behaviour differs only by environment variables.

PONLEU_MODE is ``production`` (refuses to start without SECRET_KEY, ALLOWED_HOSTS and
DATABASE_URL), ``development`` (the default: SQLite under var/, a generated secret) or
``demo`` (development defaults plus the demo world's conveniences).
"""

from __future__ import annotations

import secrets
from pathlib import Path

from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from ponleu.common import local_secrets
from ponleu.encryption.keyring import keys_from_env

from ._env import (
    database_from_url,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_networks,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(env_str("PONLEU_VAR_DIR", str(BASE_DIR / "var")))

MODE = env_choice("PONLEU_MODE", ("production", "development", "demo", "test"), "development")
PRODUCTION = MODE == "production"
DEMO = MODE == "demo"
DEBUG = env_bool("PONLEU_DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("PONLEU_DEBUG must be false when PONLEU_MODE is production.")


def _local_secret() -> str:
    """A per-installation secret for development and the demo, kept under var/."""
    return local_secrets.read_or_create(VAR_DIR / "secret_key", lambda: secrets.token_urlsafe(50))


if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY", required=True)
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters long.")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", required=True)
    _database_url = env_str("DATABASE_URL", required=True)
else:
    SECRET_KEY = env_str("SECRET_KEY") or _local_secret()
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
    _database_url = env_str("DATABASE_URL")

if _database_url:
    _database = database_from_url("DATABASE_URL", _database_url)
else:
    _database = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(VAR_DIR / "ponleu.sqlite3")}

if _database["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work during a write; IMMEDIATE takes the write lock at BEGIN so two
    # writers queue instead of failing half-way with "database is locked".
    _database["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
else:
    _database.setdefault("OPTIONS", {})
    _database["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
    _database["CONN_HEALTH_CHECKS"] = True
    _database["OPTIONS"].setdefault("connect_timeout", 5)
_database["ATOMIC_REQUESTS"] = False
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    # platform
    "ponleu.common",
    "ponleu.encryption",
    "ponleu.accounts",
    "ponleu.geography",
    "ponleu.organisations",
    "ponleu.access",
    "ponleu.audit",
    "ponleu.jobs",
    "ponleu.notifications",
    # domain
    "ponleu.registry",
    "ponleu.education",
    "ponleu.cases",
    "ponleu.early_warning",
    "ponleu.referrals",
    "ponleu.family_support",
    "ponleu.collection",
    "ponleu.programmes",
    "ponleu.nutrition",
    "ponleu.employment",
    "ponleu.maternal",
    "ponleu.scholarships",
    "ponleu.early_childhood",
    # edge
    "ponleu.api",
    "ponleu.web",
    "ponleu.demo",
    "ponleu.operations",
    # third party
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "template_partials",
    "django_htmx",
    "csp",
    "ninja",
    # Django
    "ponleu.access.admin_config.PonleuAdminConfig",  # django.contrib.admin behind staff + second factor
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "ponleu.common.client_address.ForwardingHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "ponleu.audit.middleware.RequestContextMiddleware",
    "ponleu.operations.middleware.RequestMetricsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ponleu.accounts.middleware.SessionLifetimeMiddleware",
    "ponleu.accounts.middleware.UserLanguageMiddleware",
    "ponleu.access.middleware.ActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ponleu.web.middleware.SecurityHeadersMiddleware",
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
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "ponleu.web.context_processors.shell",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "ponleu.accounts.passwords.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 30 * 60

# Sessions live in the database, so any app server can serve any request (docs/operations/scale.md).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Sessions: 15 minutes idle, 8 hours absolute (enforced by SessionLifetimeMiddleware).
PONLEU_SESSION_IDLE_SECONDS = env_int("PONLEU_SESSION_IDLE_SECONDS", 15 * 60)
PONLEU_SESSION_ABSOLUTE_SECONDS = env_int("PONLEU_SESSION_ABSOLUTE_SECONDS", 8 * 60 * 60)
SESSION_COOKIE_AGE = PONLEU_SESSION_ABSOLUTE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "km"
LANGUAGES = [("km", _("Khmer")), ("en", _("English")), ("fr", _("French"))]
LANGUAGE_NAMES_LOCAL = {"km": "ខ្មែរ", "en": "English", "fr": "Français"}
LOCALE_PATHS = [BASE_DIR / "ponleu" / "locale"]
FORMAT_MODULE_PATH = ["ponleu.web.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Phnom_Penh"
LANGUAGE_COOKIE_NAME = "ponleu_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# The file store (encrypted attachments); on a shared mount when several app servers and workers
# run (docs/operations/scale.md).
MEDIA_ROOT = Path(env_str("PONLEU_FILES_DIR", str(VAR_DIR / "files")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env_str(
            "PONLEU_STATICFILES_STORAGE",
            "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
WHITENOISE_MAX_AGE = 365 * 24 * 60 * 60

TASKS = {
    "default": {
        "BACKEND": env_str("PONLEU_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "imports", "scoring", "notifications"],
    }
}

# Notices by e-mail as well as in the app, when an SMTP server is given; off by default.
EMAIL_HOST = env_str("PONLEU_EMAIL_HOST", "") or "localhost"
NOTIFICATIONS_BY_EMAIL = bool(env_str("PONLEU_EMAIL_HOST", ""))
EMAIL_PORT = env_int("PONLEU_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("PONLEU_EMAIL_USER", "") or ""
EMAIL_HOST_PASSWORD = env_str("PONLEU_EMAIL_PASSWORD", "") or ""
EMAIL_USE_TLS = env_bool("PONLEU_EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("PONLEU_EMAIL_FROM", "") or "ponleu@localhost"

# Web hardening. The policy is nonce-based: no inline script or style runs without the nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "report-uri": "/csp-report/",
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
# Not "no-referrer": under it browsers send `Origin: null` with same-origin form posts, which
# Django's CSRF check rejects, so no form (login included) works. "same-origin" still sends
# nothing to any other site.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
# A load balancer asks these over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SECURE = PRODUCTION
if PRODUCTION:
    # The __Host- prefix binds the cookie to this exact origin over HTTPS.
    SESSION_COOKIE_NAME = "__Host-ponleu_session"
    CSRF_COOKIE_NAME = "__Host-ponleu_csrf"
else:
    SESSION_COOKIE_NAME = "ponleu_session"
    CSRF_COOKIE_NAME = "ponleu_csrf"
# Reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For names the
# client: e.g. PONLEU_TRUSTED_PROXIES=127.0.0.1 for nginx on the same machine. Only a request
# whose peer is one of them has its forwarding headers read (the right-most hop that is not a
# trusted proxy is the client, ponleu/common/client_address.py); from anyone else they are
# dropped. Default: none, so the peer address is the client. Login throttling and the audit
# trail both use this address: behind a proxy without this setting, every visitor shares the
# proxy's address (docs/operations/logins.md).
PONLEU_TRUSTED_PROXIES = env_networks("PONLEU_TRUSTED_PROXIES")
# Behind a TLS-terminating proxy: believe its X-Forwarded-Proto (only a trusted proxy's).
if env_bool("PONLEU_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "ponleu.web.views.errors.csrf_failure"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Encryption at rest: comma-separated "id:base64key" pairs, the first encrypts. Production refuses to
# start without them; development and the demo generate a key file under var/ (docs/operations/encryption.md).
PONLEU_ENCRYPTION_KEYS = keys_from_env(
    "PONLEU_ENCRYPTION_KEYS",
    required=PRODUCTION,
    local_file=VAR_DIR / "encryption_keys" if MODE in ("development", "demo") else None,
)

# `ponleu audit anchor` appends each audit chain's length and newest hash here, and
# `ponleu audit verify` checks the chains against the newest line. The default under var/ is
# for development: production puts it where the database's users cannot write (another
# machine, write-once storage), never beside the database or in its backups
# (docs/operations/audit.md).
PONLEU_AUDIT_ANCHOR_FILE = Path(env_str("PONLEU_AUDIT_ANCHOR_FILE", str(VAR_DIR / "audit-anchors.jsonl")))

# `ponleu backup` (docs/operations/backups.md): where backups are written, how many are kept
# (the newest of each of the last days, ISO weeks and months) and the second place each is
# copied to: a directory on another disk, or user@host:directory by scp.
PONLEU_BACKUP_DIR = Path(env_str("PONLEU_BACKUP_DIR", str(VAR_DIR / "backups")))
PONLEU_BACKUP_KEEP_DAILY = env_int("PONLEU_BACKUP_KEEP_DAILY", 7)
PONLEU_BACKUP_KEEP_WEEKLY = env_int("PONLEU_BACKUP_KEEP_WEEKLY", 5)
PONLEU_BACKUP_KEEP_MONTHLY = env_int("PONLEU_BACKUP_KEEP_MONTHLY", 12)
PONLEU_BACKUP_COPY_TO = env_str("PONLEU_BACKUP_COPY_TO", "")
# `ponleu doctor` calls the newest backup stale after this many hours.
PONLEU_BACKUP_MAX_AGE_HOURS = env_int("PONLEU_BACKUP_MAX_AGE_HOURS", 26)
# `ponleu doctor` (docs/operations/doctor.md): the files holding secrets, which must belong to
# the service's user and be readable by no one else; the address users reach (its certificate
# is checked) and, for a private certificate authority, its certificate; the least free disk.
PONLEU_SECRET_FILES = env_list("PONLEU_SECRET_FILES")
PONLEU_PUBLIC_URL = env_str("PONLEU_PUBLIC_URL", "")
PONLEU_TLS_CA_FILE = env_str("PONLEU_TLS_CA_FILE", "")
PONLEU_DISK_MIN_FREE_PERCENT = env_int("PONLEU_DISK_MIN_FREE_PERCENT", 10)
PONLEU_CLOCK_MAX_SKEW_SECONDS = env_int("PONLEU_CLOCK_MAX_SKEW_SECONDS", 30)

OTP_TOTP_ISSUER = "Ponleu"
# Login throttling (ponleu/accounts/throttle.py). Five wrong passwords for one account from one
# address lock that address out of that account (15 minutes, doubling on each repeat, at most a
# day); five wrong second-factor codes lock the account. Whatever the addresses, one account's
# password is checked at most 20 times an hour and 50 times a day; these are fixed.
PONLEU_LOGIN_MAX_FAILURES = 5
PONLEU_LOGIN_LOCKOUT_SECONDS = 15 * 60
PONLEU_LOGIN_LOCKOUT_MAX_SECONDS = 24 * 60 * 60
PONLEU_LOGIN_ACCOUNT_LIMIT_PER_HOUR = 20
PONLEU_LOGIN_ACCOUNT_LIMIT_PER_DAY = 50
# Failed logins from one address, whatever the accounts: high, so that an office where everyone
# shares one public address is never locked out together; it stops password spraying.
PONLEU_LOGIN_IP_LIMIT_PER_HOUR = env_int("PONLEU_LOGIN_IP_LIMIT_PER_HOUR", 100)
PONLEU_LOGIN_IP_LIMIT_PER_DAY = env_int("PONLEU_LOGIN_IP_LIMIT_PER_DAY", 500)
PONLEU_MAX_SESSIONS_PER_USER = 3

PHONENUMBER_DEFAULT_REGION = "KH"
PHONENUMBER_DB_FORMAT = "E164"

NINJA_PAGINATION_PER_PAGE = 25
NINJA_PAGINATION_MAX_LIMIT = 100

# PONLEU_LOG_FORMAT=json: one JSON object a line, without personal data (ponleu/operations/logs.py).
# The access log (ponleu.access: route pattern, status, duration) is on with JSON, off otherwise.
PONLEU_LOG_FORMAT = env_choice("PONLEU_LOG_FORMAT", ("plain", "json"), "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "ponleu.operations.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": PONLEU_LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("PONLEU_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "ponleu.access": {"level": "INFO" if PONLEU_LOG_FORMAT == "json" else "WARNING"},
    },
}
# GET /metrics (Prometheus) answers only with `Authorization: Bearer <this>`; unset, it is a 404.
PONLEU_METRICS_TOKEN = env_str("PONLEU_METRICS_TOKEN", "")
LOGIN_URL_PATH = "/accounts/login/"
