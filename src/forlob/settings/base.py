"""Shared settings for every environment.

Everything that differs between environments comes from environment variables; see
docs/operations.md for the full list.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

SRC_DIR = Path(__file__).resolve().parent.parent.parent
BASE_DIR = SRC_DIR.parent
VAR_DIR = Path(os.environ.get("FORLOB_VAR_DIR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get("FORLOB_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("FORLOB_ALLOWED_HOSTS", "").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_htmx",
    "csp",
    "forlob.portal",
    "forlob.organisations",
    "forlob.accounts",
    "forlob.citizens",
    "forlob.audit",
    "forlob.pathway",
    "forlob.treatment",
    "forlob.network",
    "forlob.attendance",
    "forlob.journal",
    "forlob.survey",
    "forlob.standards",
    "forlob.indicators",
    "forlob.quality",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "forlob.accounts.middleware.SessionIntegrityMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "forlob.accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "forlob.urls"
WSGI_APPLICATION = "forlob.wsgi.application"

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
                "forlob.portal.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'forlob.sqlite3'}",
        conn_max_age=60,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout after repeated failures (django-axes). The password is never logged.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token", "cpr"]

# Two-factor (TOTP) for every role that sees personal data; off only in demo settings.
FORLOB_REQUIRE_2FA = True
OTP_TOTP_ISSUER = "Forløb"

# Sessions: short, sliding, and not readable from JavaScript.
SESSION_COOKIE_AGE = int(os.environ.get("FORLOB_SESSION_SECONDS", 30 * 60))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the meta tag, not the cookie
CSRF_FAILURE_VIEW = "forlob.portal.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Dansk")), ("en", _("English"))]
LOCALE_PATHS = [SRC_DIR / "forlob" / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
FORMAT_MODULE_PATH = ["forlob.formats"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("FORLOB_STATIC_ROOT", BASE_DIR / "staticfiles"))
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    ("dkfds", NODE_MODULES / "dkfds" / "dist"),
    ("htmx", NODE_MODULES / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.NamespaceVersioning",
    "ALLOWED_VERSIONS": ["v1"],
    "DEFAULT_VERSION": "v1",  # what `manage.py spectacular` documents when no version is given
    "EXCEPTION_HANDLER": "forlob.portal.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Forløb API",
    "DESCRIPTION": "Scoped, audited API for Forløb. See docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # One name per shared code list (pathway API, issue 3).
    "ENUM_NAME_OVERRIDES": {
        "AssessmentInstrumentEnum": "forlob.pathway.choices.Instrument",
        "ScreeningInstrumentEnum": "forlob.pathway.choices.ScreeningInstrument",
        "TrackEnum": "forlob.pathway.choices.TRACK_CHOICES",
        "IntensityEnum": "forlob.organisations.models.Intensity",
        "DischargeReasonEnum": "forlob.treatment.choices.Reason",
        "GoalStatusEnum": "forlob.treatment.choices.GoalStatus",
        "ReasonEnum": "forlob.pathway.choices.BreachReason",
        "StatusEnum": "forlob.treatment.choices.CLOCK_STATUSES",
        "NameEnum": "forlob.pathway.choices.CLOCK_LABELS",
    },
}

# Field encryption of CPR numbers (AES-256-GCM) and the keyed blind index (HMAC-SHA256).
# FORLOB_CPR_KEYS: comma-separated "key-id:base64-32-byte-key"; the first encrypts, all decrypt.
# FORLOB_CPR_INDEX_KEY: base64 key for the blind index. See docs/operations.md (keys).
FORLOB_CPR_KEYS = os.environ.get("FORLOB_CPR_KEYS", "")
FORLOB_CPR_INDEX_KEY = os.environ.get("FORLOB_CPR_INDEX_KEY", "")

# Whether the 14-day guarantee also applies to citizens under 18 (SEL § 101, stk. 12 leaves the
# youth rules to the municipality's practice; issue 3 item 4: configurable).
FORLOB_YOUTH_GUARANTEE = os.environ.get("FORLOB_YOUTH_GUARANTEE", "1") == "1"

# Exports of the municipality's own data (issue 5 item 5): above FORLOB_EXPORT_JOB_ROWS rows an
# export runs as a background job writing into FORLOB_EXPORT_DIR (mode 0700, files removed
# after download or a day), FORLOB_EXPORT_CHUNK rows at a time.
FORLOB_EXPORT_DIR = Path(os.environ.get("FORLOB_EXPORT_DIR", VAR_DIR / "exports"))
FORLOB_EXPORT_JOB_ROWS = int(os.environ.get("FORLOB_EXPORT_JOB_ROWS", "5000"))
FORLOB_EXPORT_CHUNK = 2000
FORLOB_EXPORT_SYNC = False

# The clock: FORLOB_TODAY=YYYY-MM-DD pins "today" (demo and tests); unset means the real date.
FORLOB_TODAY = os.environ.get("FORLOB_TODAY", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_cpr": {"()": "forlob.citizens.logging.RedactCprFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["no_cpr"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("FORLOB_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "axes": {"level": "WARNING"},
    },
}

# Decision letters (issue 3 item 7): the delivery class (Digital Post can plug in here) and the
# folder the default outbox delivery writes to. See docs/operations.md (letters).
FORLOB_LETTER_DELIVERY = os.environ.get("FORLOB_LETTER_DELIVERY",
                                        "forlob.pathway.delivery.OutboxDelivery")
FORLOB_OUTBOX_DIR = Path(os.environ.get("FORLOB_OUTBOX_DIR", VAR_DIR / "outbox"))

# Reminder e-mails (manage.py send_reminders). Links in e-mails start with FORLOB_BASE_URL.
EMAIL_BACKEND = os.environ.get("FORLOB_EMAIL_BACKEND",
                               "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("FORLOB_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("FORLOB_EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("FORLOB_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("FORLOB_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("FORLOB_EMAIL_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("FORLOB_EMAIL_FROM", "forlob@localhost")
FORLOB_BASE_URL = os.environ.get("FORLOB_BASE_URL", "http://127.0.0.1:8000")
