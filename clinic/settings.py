"""Settings for the clinic intake project, read from the environment.

Safe by default: DEBUG is off unless asked for, and HTTPS hardening turns on
with HTTPS=1. See README.md for the variables.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def local_secret_key() -> str:
    """A per-checkout random key for development, kept out of the repository."""
    path = BASE_DIR / ".secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG")
SECRET_KEY = env("SECRET_KEY") or local_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # allauth before accounts, whose admin replaces allauth's for second factors.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.humanize",  # allauth's passkey list
    "accounts",
    "intake",
    "clearances",
    "agreement",
    "clinic_settings",
    "clinic.apps.ClinicAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "auditlog",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "clinic.middleware.DatabaseUnavailableMiddleware",
    "clinic.middleware.RequestBodyLimitMiddleware",
    "clinic.middleware.NoStoreWhenSignedInMiddleware",
    # The clinic's settings, read once a request; activates the clinic's time zone.
    "clinic_settings.middleware.ClinicSettingsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: both tell the person why they were sent elsewhere.
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.StaffTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "clinic.urls"
WSGI_APPLICATION = "clinic.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.role",
                "clinic_settings.context_processors.clinic",
            ],
            "builtins": ["clinic.templatetags.cached_url"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A stuck row lock or a runaway query fails fast (a 503 page, "try again")
    # instead of holding a worker until gunicorn kills it.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c lock_timeout={int(env('DB_LOCK_TIMEOUT_MS', '5000'))} "
        f"-c statement_timeout={int(env('DB_STATEMENT_TIMEOUT_MS', '30000'))}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [  # Django's and allauth's, each reading the account cheaply
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# At least 12 characters, and zxcvbn (offline, with its lists of common passwords, names and
# words) must rate the password at least 3 of 4: "aaaaaaaaaaaa" and "jordan2026" are refused.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "django_zxcvbn_password_validator.ZxcvbnPasswordValidator"},
]
PASSWORD_MINIMAL_STRENGTH = 3
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Rate limits and throttling live in a cache every worker shares: the database by default
# (its table is made by a migration of accounts), Redis when REDIS_URL is set. Never a
# per-process cache: each gunicorn worker would count failures on its own.
if env("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("REDIS_URL"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "clinic_cache",
        }
    }

# Accounts: django-allauth, signing in by email (see README, "Accounts and sign-in").
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.forms.SignUpForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# Codes typed from the email rather than links: no secret ever sits in a URL or an access log.
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = True
ACCOUNT_PASSWORD_RESET_BY_CODE_TIMEOUT = 15 * 60
# Sign-up and reset answer alike whether or not the email has an account; the owner of an
# existing account is told by email instead.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_REAUTHENTICATION_TIMEOUT = 5 * 60
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Clinic intake: "
ACCOUNT_RATE_LIMITS = {
    # 5 wrong passwords for one account lock it for 5 minutes (the cool-off), whoever tries;
    # one address may fail 10 times a minute across accounts.
    "login_failed": "10/m/ip,5/5m/key",
    "login": "30/m/ip",
    "signup": "10/m/ip",
    "reset_password": "10/m/ip,3/15m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/10s/key",
    "reauthenticate": "10/m/user",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
# Behind the proxy (Caddy) the client's address is the last hop it adds.
ALLAUTH_TRUSTED_PROXY_COUNT = 1 if env_bool("BEHIND_PROXY") else 0

# Two-factor: TOTP with recovery codes, and passkeys. Required for therapists and admins
# (accounts.middleware.StaffTwoFactorMiddleware), optional for clients.
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
# A passkey that signs in alone must prove the person too (PIN, fingerprint), not only the key.
MFA_WEBAUTHN_USER_VERIFICATION = "required"
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", "Clinic intake")
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG

# Sessions: signed out after this long without a request (accounts.middleware), and at the
# latest 12 hours after signing in; the cookie ends when the browser closes.
SESSION_IDLE_TIMEOUT_STAFF = 15 * 60
SESSION_IDLE_TIMEOUT_CLIENT = 30 * 60
SESSION_ABSOLUTE_TIMEOUT = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ENGINE = "accounts.session_store"  # Django's database sessions, read more cheaply

# The pages are in English only: with translation off, every label, date and number on a
# page skips the active-language lookups (a tenth of a page's time in the admin lists).
LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", "UTC")
USE_I18N = False
USE_TZ = True
FORMAT_MODULE_PATH = ["clinic.formats"]  # dates as the staff pages write them

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "clinic.static_storage.StaticFilesStorage"},
}
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

# Private files (clients' clearance letters): never under MEDIA_URL or STATIC_URL, they have
# no URL at all and are served only by the clearances views, which check who may see them.
# On the local disk by default (PRIVATE_FILES_DIR, backed up with the database by
# `manage.py backup`); in an S3-compatible bucket when CLEARANCES_S3_BUCKET is set
# (django-storages with boto3; see README, "Medical clearance").
PRIVATE_FILES_DIR = Path(env("PRIVATE_FILES_DIR", str(BASE_DIR / "private")))
STORAGES["clearances"] = {
    "BACKEND": "clearances.storage.PrivateFileStorage",
    "OPTIONS": {"location": PRIVATE_FILES_DIR / "clearances"},
}
if env("CLEARANCES_S3_BUCKET"):
    STORAGES["clearances"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("CLEARANCES_S3_BUCKET"),
            "endpoint_url": env("CLEARANCES_S3_ENDPOINT_URL") or None,
            "region_name": env("CLEARANCES_S3_REGION") or None,
            "access_key": env("CLEARANCES_S3_ACCESS_KEY_ID") or None,
            "secret_key": env("CLEARANCES_S3_SECRET_ACCESS_KEY") or None,
            "location": env("CLEARANCES_S3_PREFIX", "clearances"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Exports made by background jobs: private like the letters, kept a few days (jobs/).
STORAGES["jobs"] = {
    "BACKEND": "clearances.storage.PrivateFileStorage",
    "OPTIONS": {"location": PRIVATE_FILES_DIR / "jobs"},
}
if env("CLEARANCES_S3_BUCKET"):
    STORAGES["jobs"] = {
        **STORAGES["clearances"],
        "OPTIONS": {**STORAGES["clearances"]["OPTIONS"], "location": "jobs"},
    }
    # The logo too: with several web nodes, a file on one node's disk is missing on the others.
    STORAGES["default"] = {
        **STORAGES["clearances"],
        "OPTIONS": {**STORAGES["clearances"]["OPTIONS"], "location": "media"},
    }

# Background jobs (exports, erasures, emails) wait in a table of the database; any number
# of `manage.py db_worker` processes, on any machine, take them one at a time with row
# locks. The tests run every job at once (tests/conftest.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Uploads (the clinic's logo) go through the storage API; the app serves the logo itself.
MEDIA_ROOT = env("MEDIA_ROOT", str(BASE_DIR / "media"))

# Changes are kept as JSON values, so they can be read and, on erasure, scrubbed.
AUDITLOG_STORE_JSON_CHANGES = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Outgoing email. The console backend prints every email, reset links and invitations
# included, into the log: the default in development only. With DEBUG off the default is
# SMTP, and a system check (clinic/checks.py) refuses the console unless
# ALLOW_CONSOLE_EMAIL=1. For a trial without a mail server, the file backend writes each
# email to EMAIL_FILE_PATH (a private volume in docker-compose.yml).
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
ALLOW_CONSOLE_EMAIL = env_bool("ALLOW_CONSOLE_EMAIL")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(BASE_DIR / "outbox"))
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Clinic intake <intake@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where the app is reached, for links in emails sent outside a request (reminders).
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")
# The number clients are told to call in an emergency (e.g. 999, 911, 112, 000).
CLINIC_EMERGENCY_NUMBER = env("CLINIC_EMERGENCY_NUMBER")

# Behind HTTPS (production): secure cookies, redirects and HSTS.
HTTPS = env_bool("HTTPS")
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# Preloading is a promise to browsers that is slow to take back: only when asked for.
SECURE_HSTS_PRELOAD = HTTPS and env_bool("HSTS_PRELOAD")
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]  # "SECURE_HSTS_PRELOAD is not True"
if env_bool("BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): only our own files, no inline script or style
# anywhere, no framing; the browser reports violations to a view that logs the
# directive and the blocked host only (clinic/views.py, csp_report).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap draws its form controls' icons with data: SVGs.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
        "report-uri": "/csp-report",
    }
}
# Permissions-Policy (django-permissions-policy): the app uses no device or sensor. A
# clearance letter photographed on a phone comes through <input type="file" capture>,
# which needs no camera permission. Passkeys (publickey-credentials-*) keep the
# browser's default, our own origin.
PERMISSIONS_POLICY = dict.fromkeys(
    [
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ],
    [],
)

# Request bodies: Caddy refuses more than 10 MB before it reaches the app
# (Caddyfile); here, anything over the limit is refused with 413
# (clinic.middleware.RequestBodyLimitMiddleware), and an anonymous request, which
# has no upload to make, may send far less.
REQUEST_BODY_MAX_BYTES = int(env("REQUEST_BODY_MAX_MB", "10")) * 1024 * 1024
ANONYMOUS_REQUEST_BODY_MAX_BYTES = 256 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # form fields, files aside
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # larger files go to a temporary file

# Request logs carry only paths with numeric ids; client data never goes into a URL, and
# query strings (a token, a searched name) are cut from every line (clinic/logging.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_query_strings": {"()": "clinic.logging.RedactQueryStrings"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["no_query_strings"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
    "loggers": {
        # runserver's request lines (development) go through the same filter.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
