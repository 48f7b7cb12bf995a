"""Settings for ANTWOORD.

The embedded default needs no environment variables at all: SQLite in ./var, DEBUG off, a secret key made
once in the data directory. Every variable is documented where it is read.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
import django_stubs_ext

# Lets admin and form classes take type parameters at run time, as the type checker wants them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent

# ANTWOORD_DATA_DIR: where the SQLite database, the collected static files and the search index live.
DATA_DIR = Path(os.environ.get("ANTWOORD_DATA_DIR", Path.cwd() / "var")).resolve()
(DATA_DIR / "static").mkdir(parents=True, exist_ok=True)

# ANTWOORD_DEBUG: "1" shows Django's debug pages (development only: they show settings and code); off by default.
DEBUG = os.environ.get("ANTWOORD_DEBUG", "0") == "1"


def _secret_key(data_dir: Path) -> str:
    """ANTWOORD_SECRET_KEY, or one made at first start and kept in the data directory (readable by its owner
    only), so that the embedded default is safe without set-up. Several machines must share one: set it."""
    if key := os.environ.get("ANTWOORD_SECRET_KEY", ""):
        return key
    path = data_dir / "secret-key"
    if not path.exists():
        # Written aside and linked into place: processes starting together all read the same whole key.
        draft = path.with_name(f"secret-key.{os.getpid()}")
        with os.fdopen(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as file:
            file.write(secrets.token_urlsafe(50))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text(encoding="ascii").strip()


SECRET_KEY = _secret_key(DATA_DIR)

# ANTWOORD_ALLOWED_HOSTS: comma-separated host names.
ALLOWED_HOSTS = os.environ.get("ANTWOORD_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "antwoord.accounts",
    "antwoord.organisations",
    "antwoord.catalogue",
    "antwoord.answers",
    "antwoord.contacts",
    "antwoord.mail",
    "antwoord.inbox",
    "antwoord.appointments",
    "antwoord.desk",
    "antwoord.web",
    "antwoord.demo",
    "antwoord.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "antwoord.urls"
WSGI_APPLICATION = "antwoord.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "antwoord.desk.context_processors.staff_navigation",
                "antwoord.catalogue.context_processors.review_work",
            ],
        },
    },
]

# DATABASE_URL: e.g. postgres://postgres@127.0.0.1:5432/antwoord; unset means the embedded SQLite database.
SQLITE_PATH = DATA_DIR / "antwoord.sqlite3"
DATABASES = {"default": dj_database_url.config(default=f"sqlite:///{SQLITE_PATH}", conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes share the file: wait for locks instead of failing, take write locks up front.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands")]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
# Our own Dutch for strings that Django's Dutch catalogue lacks (compiled by `make install`).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Serve straight from the apps' static folders in development; production collects them first.
WHITENOISE_USE_FINDERS = DEBUG
# The NL Design System CSS and htmx come from the npm registry at set-up time (make install).
NODE_MODULES = BASE_DIR.parents[1] / "node_modules"
STATICFILES_DIRS = [
    ("vendor/utrecht", NODE_MODULES / "@utrecht" / "component-library-css" / "dist"),
    ("vendor/tokens", NODE_MODULES / "@nl-design-system-unstable" / "voorbeeld-design-tokens" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["antwoord.api_parser.JSONParser"],
    # Systems use a token ("Authorization: Token ..."); staff pages in the browser use the session.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_SCHEMA_CLASS": "antwoord.api.DutchSchema",
    # Generous limits that only stop floods; views with stricter needs set their own.
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": "120/minute", "user": "1200/minute"},
    "UNAUTHENTICATED_USER": None,
    # A Dutch `detail` on every error, also where DRF's own message is English (antwoord.api).
    "EXCEPTION_HANDLER": "antwoord.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ANTWOORD API",
    "DESCRIPTION": "Vragen beantwoorden, contacten registreren, overdrachten en afspraken.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "antwoord.api.without_developer_docs",
    ],
    # Two models call their field "status"; give each enum its own name in the document.
    "ENUM_NAME_OVERRIDES": {
        "HandoverStatusEnum": "antwoord.contacts.models.HandoverStatus",
        "BookingStatusEnum": "antwoord.appointments.models.BookingStatus",
    },
}

# Outgoing mail. ANTWOORD_SMTP_HOST/PORT: the relay. Without a relay (the embedded default) mails are
# written as files to var/sent-mail/, where they can be read.
if os.environ.get("ANTWOORD_SMTP_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "sent-mail"
EMAIL_HOST = os.environ.get("ANTWOORD_SMTP_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("ANTWOORD_SMTP_PORT", "25"))
EMAIL_TIMEOUT = 10
# ANTWOORD_MAIL_FROM: the sender of every mail ANTWOORD sends.
DEFAULT_FROM_EMAIL = os.environ.get("ANTWOORD_MAIL_FROM", "ANTWOORD <noreply@antwoord.localhost>")
# ANTWOORD_SITE_URL: the public address, used in links inside mails.
SITE_URL = os.environ.get("ANTWOORD_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# ANTWOORD_PROXY_HOPS: reverse proxies in front of the web server (0: none); the rate limits then read
# the client's address from X-Forwarded-For.
PROXY_HOPS = int(os.environ.get("ANTWOORD_PROXY_HOPS", "0"))
# ANTWOORD_MAIL_MAX_BYTES: larger incoming mails are refused by the SMTP intake.
MAIL_MAX_BYTES = int(os.environ.get("ANTWOORD_MAIL_MAX_BYTES", str(1024 * 1024)))
# ANTWOORD_MAIL_DOMAINS: comma-separated domains the SMTP intake accepts mail for; the part before the @
# is an organisation's code (gm0518@... is Den Haag), any other address reaches the national counter. The
# first is the public one: answers from the desk and the back office name it as their Reply-To.
MAIL_INTAKE_DOMAINS = [
    domain.strip()
    for domain in os.environ.get("ANTWOORD_MAIL_DOMAINS", "antwoord.localhost").split(",")
    if domain.strip()
]
# The cache holds the rate-limit and throttle counters, so it must be shared by every process that serves
# residents (serve forks several web workers). ANTWOORD_CACHE_URL: redis://host:port/db when ANTWOORD runs
# on several machines; without it the counters are files in the data directory, shared by the processes of
# one machine.
CACHE_URL = os.environ.get("ANTWOORD_CACHE_URL", "")
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    raise RuntimeError("ANTWOORD_CACHE_URL must start with redis://, rediss:// or unix://.")
CACHE_DIR = DATA_DIR / "cache"
# Both fail open when they cannot be reached (antwoord.ops.cache); Redis is given up on after half a second.
CACHES: dict[str, dict[str, object]] = {
    "default": {
        "BACKEND": "antwoord.ops.cache.FailOpenRedisCache",
        "LOCATION": CACHE_URL,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    if CACHE_URL
    else {
        "BACKEND": "antwoord.ops.cache.FailOpenFileCache",
        "LOCATION": str(CACHE_DIR),
        "OPTIONS": {"MAX_ENTRIES": 10_000},  # beyond it a third is dropped, live counters too
    }
}
# Longer than the longest rate-limit window: the file cache's increment keeps only this timeout.
CACHES["default"]["TIMEOUT"] = 3600
# ANTWOORD_RETENTION_DAYS: personal data in closed handovers is erased this many days after closing.
RETENTION_DAYS = int(os.environ.get("ANTWOORD_RETENTION_DAYS", "180"))

# Staff log in at the agent desk's login page; residents never need an account.
LOGIN_URL = "/kcc/inloggen/"

# Messages go in the session, not in a cookie: one of them shows a new API key (accounts.admin).
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Cookies over HTTPS only when ANTWOORD is served over HTTPS (ANTWOORD_SITE_URL): the embedded default runs on
# http://127.0.0.1, where a browser would drop them and nobody could log in.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SITE_URL.startswith("https://")

# ANTWOORD_SHARED_DATA: the folder with the real public data (tests and benchmarks read it from there).
SHARED_DATA_DIR = Path(
    os.environ.get("ANTWOORD_SHARED_DATA", BASE_DIR.parents[2] / "shared" / "data")
).resolve()

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors": {"()": "antwoord.lib.logs.ClientErrorsWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["client_errors"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("ANTWOORD_LOG_LEVEL", "WARNING")},
}
