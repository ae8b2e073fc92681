"""Settings shared by every environment, read from environment variables (12-factor)."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "insecure-development-key-never-use-in-production")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_fsm",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "accounts",
    "core",
    "grants",
    "guarantees",
    "peer_mentoring",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.middleware.ApiErrorMiddleware",  # Django's own error pages as JSON under /api/
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "core.middleware.ServiceRefusalMiddleware",
]

# Content security policy (django-csp): scripts, styles, images and fonts from this site only, no
# inline script, no inline style (neither a <style> block nor a style attribute: `style-src-attr`
# falls back to `style-src`), no plugin, no framing, forms posted here only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

ROOT_URLCONF = "config.urls"
# A CSRF failure shows a translated page in the site's layout (400, 403, 404, 500: templates/<code>.html).
CSRF_FAILURE_VIEW = "config.error_views.csrf_failure"
WSGI_APPLICATION = "config.wsgi.application"

# Django's form renderer, with the <select> written in Python rather than a template per option.
FORM_RENDERER = "core.form_renderer.FormRenderer"

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
                "django.template.context_processors.i18n",
                "accounts.context_processors.navigation",
                "core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: these are short queries, and once the work queue's UNION of every scheme
    # passes PostgreSQL's cost threshold, compiling it took 120-130 ms of a 190 ms page
    # (docs/PERFORMANCE.md, guarantees at volume). DATABASE_PG_OPTIONS overrides it.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = os.environ.get(
        "DATABASE_PG_OPTIONS", "-c jit=off"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sessions, caches (login throttling) and tasks live in the database so that several app
# processes behind a load balancer share them; nothing is kept in process memory.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "cache_table",
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# django-allauth: log in with e-mail, confirm the address before the first login.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupProfileForm"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    # Login throttling: at most 5 failed attempts per 5 minutes for one e-mail address,
    # 20 per minute from one IP address.
    "login_failed": "20/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Mutualisation] "

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))


def document_storage() -> dict:
    """`STORAGES["default"]`: where uploads (documents, attachments, evidence) are kept.

    With `DJANGO_S3_BUCKET`, an S3-compatible object store (django-storages) shared by every app
    process and machine; credentials from boto3's usual sources (`AWS_ACCESS_KEY_ID` and
    `AWS_SECRET_ACCESS_KEY`, or the machine's role). The bucket stays private: documents are streamed
    through the permission-checked views (core/document_views.py), never linked to; no ACL is sent
    (objects keep the bucket's private default, and buckets without ACLs refuse any), and a URL the
    storage might build is signed for a minute. A name already taken gets a new one, never
    overwritten. Without the bucket: local disk under `MEDIA_ROOT`, or the backend `DJANGO_FILE_STORAGE`
    names."""
    bucket = os.environ.get("DJANGO_S3_BUCKET", "").strip()
    if not bucket:
        return {
            "BACKEND": os.environ.get("DJANGO_FILE_STORAGE", "django.core.files.storage.FileSystemStorage")
        }
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": os.environ.get("DJANGO_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("DJANGO_S3_REGION") or None,
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
            # A document read for a download is held in memory up to this size, then in a temporary
            # file (django-storages' default, 0, keeps it all in the worker's memory).
            "max_memory_size": 2_621_440,
        },
    }


STORAGES = {
    "default": document_storage(),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "mutualisation@example.brussels")
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000")
# A notification's e-mail is tried this many times before it is abandoned (and logged).
NOTIFICATION_EMAIL_ATTEMPTS = int(os.environ.get("NOTIFICATION_EMAIL_ATTEMPTS", "5"))
# Deadline reminders (manage.py send_reminders, daily): this many days before a deadline, then once it has passed.
REMINDER_DAYS_BEFORE = int(os.environ.get("REMINDER_DAYS_BEFORE", "3"))
# How long a dashboard section's figures are kept before they are computed again (core.dashboards).
DASHBOARD_CACHE_SECONDS = int(os.environ.get("DASHBOARD_CACHE_SECONDS", "300"))

TASKS = {
    "default": {
        "BACKEND": os.environ.get("DJANGO_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.PageNumberPagination",
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "core.schema.AutoSchema",  # declares every error answer once
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"token": "10/min"},
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Mutualisation support schemes API",
    "DESCRIPTION": "Grants, credit guarantees and peer mentoring for Brussels non-profit organisations.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "GrantStateEnum": "grants.workflow.State.choices",
        "MutualisationAxisEnum": "grants.choices.Axis.choices",
        "MutualisationTypeEnum": "grants.choices.MutualisationType.choices",
        "MutualisationLogicEnum": "grants.choices.Logic.choices",
        "GrantBudgetCategoryEnum": "grants.choices.BudgetCategory.choices",
        "GrantRecommendationEnum": "grants.choices.Recommendation.choices",
        "GuaranteeStateEnum": "guarantees.states.State.choices",
        "GuaranteeRecommendationEnum": "guarantees.choices.Recommendation.choices",
        "GuaranteeRatingEnum": "guarantees.choices.Rating.choices",
        "RepaymentProfileEnum": "guarantees.choices.RepaymentProfile.choices",
        "GuaranteeFeeFrequencyEnum": "guarantees.choices.FeeFrequency.choices",
        "InitiativeLegalFormEnum": "grants.choices.InitiativeLegalForm.choices",
        "MentoringAgreementStateEnum": "peer_mentoring.states.AgreementState.choices",
        "MentoringDeclarationStateEnum": "peer_mentoring.states.DeclarationState.choices",
        "MentorStateEnum": "peer_mentoring.states.MentorState.choices",
        "MentorApplicationStateEnum": "peer_mentoring.states.MentorApplicationState.choices",
        "MentoringActivityEnum": "peer_mentoring.choices.Activity.choices",
        "MentoringLanguageEnum": "peer_mentoring.choices.LANGUAGES",
        "MentorSourceEnum": "peer_mentoring.choices.MentorSource.choices",
        "MentoringSideEnum": "peer_mentoring.choices.Side.choices",
    },
}

# Configurable limits (SPEC §3); editable by administrators through the environment.
DOCUMENT_MAX_UPLOAD_BYTES = int(os.environ.get("DOCUMENT_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = DOCUMENT_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django_tasks": {"level": "WARNING"}},
}
