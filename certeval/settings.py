"""Django settings, read from environment variables.

Defaults suit the demo (SQLite under ./var, DEBUG on). With ``DEBUG=0`` the site refuses to
start with a weak ``SECRET_KEY`` (the demo key, or one Django's check W009 would flag), and turns
on HTTPS only: HSTS, secure cookies, redirection to HTTPS (docs/security-http.md).
"""

from __future__ import annotations

import copy
import os
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from certeval.core.privacy_defaults import DEFAULT_CONTROLLER
from certeval.core.retention_defaults import DEFAULT_RETENTION
from certeval.core.secret_key import weak_secret_key_reason
from certeval.results.award_defaults import DEFAULT_VERIFICATION
from certeval.results.cdc_defaults import DEFAULT_CDC
from certeval.results.credential_defaults import DEFAULT_CREDENTIALS
from certeval.results.review_defaults import DEFAULT_REVIEW_REQUEST
from certeval.testing.defaults import DEFAULT_DELIVERY, DEFAULT_PLACEMENT, DEFAULT_TRAINING

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CERTEVAL_VAR_DIR", BASE_DIR / "var"))
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)

DEMO_SECRET_KEY = "certeval-demo-secret-key-change-me-in-production-0123456789"  # noqa: S105 - refused when DEBUG=0


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", DEMO_SECRET_KEY)
if not DEBUG and (weakness := weak_secret_key_reason(SECRET_KEY, demo_key=DEMO_SECRET_KEY)):
    raise ImproperlyConfigured(
        f"DEBUG=0 with a weak SECRET_KEY ({weakness}): set SECRET_KEY to a long random value before "
        "going live, for instance the output of "
        "`python -c 'import secrets; print(secrets.token_urlsafe(64))'`."
    )
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

CERTEVAL_THEME = os.environ.get("CERTEVAL_THEME", "neutre")
if CERTEVAL_THEME not in {"neutre", "etat"}:
    raise ImproperlyConfigured("CERTEVAL_THEME must be 'neutre' or 'etat'.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "widget_tweaks",
    "dsfr",
    "django_tasks_db",
    "django_htmx",
    "axes",  # login throttling and lockout (docs/security-accounts.md)
    "ninja",  # serves the API docs (Swagger UI) from its own static files, not from a CDN
    # Second factor (docs/security-2fa.md): TOTP, recovery codes and passkeys.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "certeval.core",
    "certeval.accounts",
    "certeval.frameworks",
    "certeval.audit",
    "certeval.campaigns",
    "certeval.dossiers",
    "certeval.testing",
    "certeval.juries",
    "certeval.results",
    "certeval.privacy",
]

MIDDLEWARE = [
    # First: times the whole request, logs one line and counts it for /metrics (docs/deployment.md).
    "certeval.core.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Early, so that every response carries them (redirects and refusals included).
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "certeval.core.permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "certeval.core.middleware.ExplicitLanguageChoiceMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "certeval.core.middleware.PrivatePagesMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the messages: ends idle staff sessions (with a message) and sends a staff person whose
    # session has no second factor to its verification or setup (docs/security-2fa.md).
    "certeval.accounts.otp_middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Refuses an oversized body in its __call__, before any process_view (CsrfViewMiddleware reads
    # the form there) and any view: keep it in the list, anywhere after the session and the user.
    "certeval.core.body_limits.BodyLimitMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "certeval.urls"
WSGI_APPLICATION = "certeval.wsgi.application"

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
                "django.template.context_processors.csp",
                "certeval.core.context_processors.theme",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
DSFR_MARK_OPTIONAL_FIELDS = True

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'certeval.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several requests write at once (jurors' autosaves): a transaction takes the write lock when it
    # begins and waits for it, instead of failing with "database is locked" when a read upgrades
    # to a write; WAL lets pages be read while a write is under way.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Accounts and sessions (docs/security-accounts.md). The lockout backend comes first: it refuses a
# locked-out account or address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Argon2id for every new or changed password; the others verify older hashes, which are upgraded to
# Argon2 at the person's next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
CERTEVAL_PASSWORD_MIN_LENGTH = int(os.environ.get("CERTEVAL_PASSWORD_MIN_LENGTH", "12"))
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": CERTEVAL_PASSWORD_MIN_LENGTH},
    },
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "first_name", "last_name")},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Life of a link to choose a password (recovery, or the invitation of a new account), in seconds.
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT", str(3 * 24 * 3600)))
# Sign-in lockout (django-axes): failures counted over the lockout period, per account (the e-mail
# typed, whatever the address) and per client address (whatever the account); when either reaches
# its limit, sign-in is refused with the lockout page until the period has passed since the last
# counted failure. A successful sign-in clears the account's own failures.
CERTEVAL_LOGIN_FAILURES_PER_ACCOUNT = int(os.environ.get("CERTEVAL_LOGIN_FAILURES_PER_ACCOUNT", "5"))
CERTEVAL_LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("CERTEVAL_LOGIN_FAILURES_PER_ADDRESS", "50"))
CERTEVAL_LOGIN_LOCKOUT_MINUTES = int(os.environ.get("CERTEVAL_LOGIN_LOCKOUT_MINUTES", "15"))
# The client's address: REMOTE_ADDR unless a reverse proxy that sets this header is in front (for
# instance ``X-Forwarded-For``); never set it without such a proxy, a client could forge the header.
# With a list, the entry added by the nearest trusted proxy is used (the count of trusted proxies).
CERTEVAL_CLIENT_IP_HEADER = os.environ.get("CERTEVAL_CLIENT_IP_HEADER", "")
CERTEVAL_TRUSTED_PROXY_COUNT = int(os.environ.get("CERTEVAL_TRUSTED_PROXY_COUNT", "1"))
AXES_ENABLED = True
AXES_HANDLER = "certeval.accounts.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = CERTEVAL_LOGIN_FAILURES_PER_ACCOUNT
AXES_COOLOFF_TIME = timedelta(minutes=CERTEVAL_LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "certeval.accounts.lockout.attempted_username"
AXES_CLIENT_IP_CALLABLE = "certeval.accounts.client_address.client_address"
AXES_LOCKOUT_CALLABLE = "certeval.accounts.lockout_views.lockout_response"
# Attempts made while locked out are refused and do not extend the lockout: the page can say when
# to retry. Successful sign-ins are in the audit log, not in axes' own access log.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# Re-authentication for sensitive actions (publication, revocation, role grants): a password
# confirmed less than this many minutes ago in the session (signing in counts).
CERTEVAL_REAUTH_MINUTES = int(os.environ.get("CERTEVAL_REAUTH_MINUTES", "10"))

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "certeval" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded files (dossiers, attestations) live outside the web root and are only served by
# permission-checked views; CERTEVAL_STORAGE=s3 keeps them in an S3-compatible bucket instead.
CERTEVAL_STORAGE = os.environ.get("CERTEVAL_STORAGE", "filesystem")
if CERTEVAL_STORAGE == "s3":
    if not os.environ.get("CERTEVAL_S3_BUCKET"):
        raise ImproperlyConfigured("CERTEVAL_STORAGE=s3 needs CERTEVAL_S3_BUCKET (and credentials).")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["CERTEVAL_S3_BUCKET"],
            "endpoint_url": os.environ.get("CERTEVAL_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("CERTEVAL_S3_REGION") or None,
            "access_key": os.environ.get("CERTEVAL_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("CERTEVAL_S3_SECRET_KEY") or None,
            "location": os.environ.get("CERTEVAL_S3_PREFIX", ""),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif CERTEVAL_STORAGE != "filesystem":
    raise ImproperlyConfigured("CERTEVAL_STORAGE must be 'filesystem' or 's3'.")

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Item calibration (docs/testing.md, « Calibration »): an item is calibrated only when at least this
# many people answered it; the others are listed as skipped with their count.
CERTEVAL_CALIBRATION_MIN_RESPONSES = int(os.environ.get("CERTEVAL_CALIBRATION_MIN_RESPONSES", "200"))

# Item-bank coverage (docs/testing.md, « Item bank »): a competence × level cell is flagged as a gap when
# it has fewer active items of a usage than this (practice = placement run and training).
CERTEVAL_ITEM_COVERAGE_MIN = {"practice": 1, "certification": 2}
# The language items are written in (BCP 47): marked on the question's text so that a screen reader
# reads it in that language when the interface is in another one (docs/testing.md, « Item bank »).
CERTEVAL_ITEM_LANGUAGE = "fr"
# Placement run « parcours bilan » (docs/testing.md, « Placement run »; the rule in docs/cat.md). A run
# keeps the values it started with. Each key and its default: certeval/testing/defaults.py.
CERTEVAL_PLACEMENT = copy.deepcopy(DEFAULT_PLACEMENT)

MAILERS = {
    "default": {"BACKEND": os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")},
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Certeval <ne-pas-repondre@certeval.localhost>")

# HTTP security (docs/security-http.md): HTTPS only in production (DEBUG=0), the content security
# policy with a nonce per response, the Permissions-Policy, request body caps per route.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# The load balancer's and Prometheus' probes come over plain HTTP, inside the network: liveness,
# readiness and metrics answer them instead of redirecting (docs/deployment.md, « Health »).
SECURE_REDIRECT_EXEMPT = [r"^sante/$", r"^pret/$", r"^metrics$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if not DEBUG else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# Behind a proxy that terminates TLS, the request reaches Django in plain HTTP: name the header the
# proxy sets (only a proxy that always sets or strips it), e.g. "HTTP_X_FORWARDED_PROTO,https".
if _ssl_header := os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip():
    _name, _comma, _value = _ssl_header.partition(",")
    SECURE_PROXY_SSL_HEADER = (_name.strip(), _value.strip() or "https")
CERTEVAL_CSP_REPORT_ONLY = env_bool("CERTEVAL_CSP_REPORT_ONLY", False)
_CSP_POLICY = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CSP = {} if CERTEVAL_CSP_REPORT_ONLY else _CSP_POLICY
SECURE_CSP_REPORT_ONLY = _CSP_POLICY if CERTEVAL_CSP_REPORT_ONLY else {}
# Request bodies (certeval/core/body_limits.py): a route without its own cap accepts this much; the
# upload routes declare theirs (@body_limit) from CERTEVAL_UPLOAD_MAX_BYTES / ..._MEDIA_MAX_BYTES.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", str(2_621_440)))
DATA_UPLOAD_MAX_NUMBER_FIELDS = int(os.environ.get("DATA_UPLOAD_MAX_NUMBER_FIELDS", "1000"))
DATA_UPLOAD_MAX_NUMBER_FILES = int(os.environ.get("DATA_UPLOAD_MAX_NUMBER_FILES", "10"))

# Logs (docs/deployment.md, « Logs »): one JSON object per line on standard error in production
# (LOG_FORMAT=json, the default with DEBUG=0), plain text otherwise; every record of a request carries
# its request id. CERTEVAL_REQUEST_LOG writes one line per request (method, route, path, status,
# duration, user id, request id) on the ``certeval.request`` logger; off by default with DEBUG=1,
# where the development server prints its own.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("LOG_FORMAT must be 'json' or 'text'.")
CERTEVAL_REQUEST_LOG = env_bool("CERTEVAL_REQUEST_LOG", not DEBUG)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "certeval.core.request_log.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": True,  # ISO 8601 in UTC
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {"certeval.request": {"level": "INFO"}},
}
# /metrics (docs/deployment.md, « Monitoring »): answered on loopback, or to a scraper that sends
# ``Authorization: Bearer <token>`` with this token (empty: loopback only).
CERTEVAL_METRICS_TOKEN = os.environ.get("CERTEVAL_METRICS_TOKEN", "")

# Dossier uploads (certeval/core/uploads.py): size caps and zip-bomb limits, in bytes.
# Preparation support (docs/certifications/preparation.md): invitations to read a draft dossier that a
# candidate may have at once (not revoked), the longest life of a peer's link (it also closes at the
# deposit deadline and at the freeze), and rehearsal bookings per candidate and campaign.
CERTEVAL_PEER_REVIEW_MAX_INVITATIONS = int(os.environ.get("CERTEVAL_PEER_REVIEW_MAX_INVITATIONS", "5"))
CERTEVAL_PEER_REVIEW_LINK_MAX_AGE_DAYS = int(os.environ.get("CERTEVAL_PEER_REVIEW_LINK_MAX_AGE_DAYS", "60"))
CERTEVAL_REHEARSAL_BOOKINGS_PER_CANDIDATE = int(
    os.environ.get("CERTEVAL_REHEARSAL_BOOKINGS_PER_CANDIDATE", "1")
)

CERTEVAL_UPLOAD_MAX_BYTES = int(os.environ.get("CERTEVAL_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
CERTEVAL_UPLOAD_MEDIA_MAX_BYTES = int(
    os.environ.get("CERTEVAL_UPLOAD_MEDIA_MAX_BYTES", str(200 * 1024 * 1024))
)
CERTEVAL_UPLOAD_MAX_PAGES = int(os.environ.get("CERTEVAL_UPLOAD_MAX_PAGES", "300"))
CERTEVAL_ZIP_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
CERTEVAL_ZIP_MAX_RATIO = 100
# Budget for reading one PDF's text (page and character counts), run before the write transaction:
# content-stream operators interpreted (a stream shared by several pages counts once per page),
# decoded content bytes handed to the interpreter, and seconds. A file over budget is refused.
CERTEVAL_PDF_TEXT_MAX_OPERATORS = int(os.environ.get("CERTEVAL_PDF_TEXT_MAX_OPERATORS", "200000"))
CERTEVAL_PDF_TEXT_MAX_CONTENT_BYTES = int(
    os.environ.get("CERTEVAL_PDF_TEXT_MAX_CONTENT_BYTES", str(50 * 1024 * 1024))
)
CERTEVAL_PDF_TEXT_MAX_SECONDS = float(os.environ.get("CERTEVAL_PDF_TEXT_MAX_SECONDS", "10"))
# Hardened uploads (docs/security-uploads.md). Images are decoded before they are accepted: at most
# this many pixels (width × height, summed over an animation's frames; 50 million is a 50 Mpx photo)
# and this many frames.
CERTEVAL_IMAGE_MAX_PIXELS = int(os.environ.get("CERTEVAL_IMAGE_MAX_PIXELS", "50000000"))
CERTEVAL_IMAGE_MAX_FRAMES = int(os.environ.get("CERTEVAL_IMAGE_MAX_FRAMES", "100"))
# PDFs with JavaScript, launch actions, embedded files or XFA: "refuse" them, or "sanitise" them
# (remove these elements, store the cleaned file and tell the person what was removed).
CERTEVAL_PDF_ACTIVE_CONTENT = os.environ.get("CERTEVAL_PDF_ACTIVE_CONTENT", "refuse")
if CERTEVAL_PDF_ACTIVE_CONTENT not in ("refuse", "sanitise"):
    raise ImproperlyConfigured('CERTEVAL_PDF_ACTIVE_CONTENT must be "refuse" or "sanitise".')
# ClamAV daemon scanning every upload: a unix socket path or host:port; empty = no scan (logged).
# Unreachable daemon: the file is refused unless CERTEVAL_CLAMAV_FAIL_OPEN is true.
CERTEVAL_CLAMAV = os.environ.get("CERTEVAL_CLAMAV", "")
CERTEVAL_CLAMAV_TIMEOUT = float(os.environ.get("CERTEVAL_CLAMAV_TIMEOUT", "30"))
CERTEVAL_CLAMAV_FAIL_OPEN = os.environ.get("CERTEVAL_CLAMAV_FAIL_OPEN", "") == "1"
# Stored files are readable by the service user only (MEDIA_ROOT is created 0o700 at start-up).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Absolute address of the site, for links in e-mails.
CERTEVAL_SITE_URL = os.environ.get("CERTEVAL_SITE_URL", "http://127.0.0.1:8000")
# Public verification of awards (disclosure defaults, rate limit): keys and defaults in
# certeval/results/award_defaults.py.
CERTEVAL_VERIFICATION = copy.deepcopy(DEFAULT_VERIFICATION)
# Open Badges 3.0 credentials (issuer profile, RNCP / RS codes, where the signing keys live): keys
# and defaults in certeval/results/credential_defaults.py.
CERTEVAL_CREDENTIALS = copy.deepcopy(DEFAULT_CREDENTIALS)
# How an adjourned or not-certified candidate asks for a review (« recours »): deadline, procedure,
# contact; defaults in certeval/results/review_defaults.py.
CERTEVAL_REVIEW_REQUEST = copy.deepcopy(DEFAULT_REVIEW_REQUEST)

# Training (docs/testing.md, « Training »): free practice per competence with FSRS replays. Each key
# and its default: certeval/testing/defaults.py.
CERTEVAL_TRAINING = copy.deepcopy(DEFAULT_TRAINING)
CERTEVAL_DELIVERY = copy.deepcopy(DEFAULT_DELIVERY)
# Holders' declaration to the Caisse des Dépôts (docs/results.md): the XSD is read at run time.
CERTEVAL_CDC = copy.deepcopy(DEFAULT_CDC)
CERTEVAL_CDC["xsd_path"] = os.environ.get(
    "CERTEVAL_CDC_XSD", str(BASE_DIR.parent / "shared" / "standards" / "cdc" / "cpf-1.1.2.xsd")
)
# Title by blocs (docs/certifications/titre.md): the length, in minutes, of each oral épreuve whose
# duration the référentiel does not state, by component kind (seed 003 states only the final
# interview's 30 minutes). A candidate's oral lasts the sum of their enrolled blocs' oral épreuves.
CERTEVAL_TITRE_ORAL_MINUTES = {"oral_presentation": 20, "interview": 20, "final_interview": 30}
# Retention of personal data per category (docs/privacy.md, « Retention »): keys and defaults in
# certeval/core/retention_defaults.py.
CERTEVAL_RETENTION = copy.deepcopy(DEFAULT_RETENTION)
# Backups (docs/backup.md): archives kept by `certeval backup <directory>` (the oldest beyond are
# deleted; 0 keeps all) — erased personal data leaves the backups when its last archive is deleted —
# and where pg_dump / pg_restore are (empty: the PATH, then /usr/lib/postgresql/<highest>/bin).
CERTEVAL_BACKUP_KEEP = int(os.environ.get("CERTEVAL_BACKUP_KEEP", "30"))
CERTEVAL_BACKUP_PG_BIN_DIR = os.environ.get("CERTEVAL_BACKUP_PG_BIN_DIR", "")
# The data controller and its DPO, named by the privacy notices and the register of processing
# (docs/privacy.md, « Notices and register »): keys and defaults in certeval/core/privacy_defaults.py.
CERTEVAL_CONTROLLER = copy.deepcopy(DEFAULT_CONTROLLER)
# The consultation log keeps one row per staff person, candidate and page in each window of this many
# minutes (docs/privacy.md, « Consultation log »).
CERTEVAL_CONSULTATION_WINDOW_MINUTES = int(os.environ.get("CERTEVAL_CONSULTATION_WINDOW_MINUTES", "60"))

# Second factor and sessions (docs/security-2fa.md). Every staff role must verify a second factor
# (TOTP, a passkey or a recovery code) after the password; candidates may opt in.
CERTEVAL_OTP_REQUIRED = env_bool("CERTEVAL_OTP_REQUIRED", True)
# A staff session ends after this many minutes without a request.
CERTEVAL_STAFF_IDLE_MINUTES = int(os.environ.get("CERTEVAL_STAFF_IDLE_MINUTES", "30"))
# Every session (candidates' included) lasts at most this many hours after sign-in (Django's default
# is 14 days): a working day with its breaks, never overnight on a shared computer.
CERTEVAL_SESSION_HOURS = int(os.environ.get("CERTEVAL_SESSION_HOURS", "12"))
SESSION_COOKIE_AGE = CERTEVAL_SESSION_HOURS * 3600
# The issuer name shown in authenticator apps, also the passkeys' relying-party name.
OTP_TOTP_ISSUER = os.environ.get("CERTEVAL_OTP_ISSUER", "Certeval")
OTP_WEBAUTHN_RP_NAME = OTP_TOTP_ISSUER
# Passkeys are bound to the site's host name (CERTEVAL_SITE_URL). Browsers refuse an IP address as
# relying party: a site addressed by IP (the demo's 127.0.0.1) offers passkeys at http://localhost.
_SITE = urlsplit(CERTEVAL_SITE_URL)
_SITE_HOST = _SITE.hostname or "localhost"
if _SITE_HOST.replace(".", "").isdigit() or ":" in _SITE_HOST:
    _SITE_HOST = "localhost"
OTP_WEBAUTHN_RP_ID = _SITE_HOST
OTP_WEBAUTHN_ALLOWED_ORIGINS = [f"{_SITE.scheme}://{_SITE_HOST}" + (f":{_SITE.port}" if _SITE.port else "")]
# Passkeys serve as a second factor only: the password always comes first.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
