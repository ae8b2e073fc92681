"""Test settings: fast password hashing, in-memory e-mail, the test-only workflow model."""

from .base import *  # noqa: F401,F403
from .base import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.workflow_app"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DEMO_DATA_ALLOWED = True
# Throttling is exercised by its own tests; elsewhere it must not make tests order-dependent.
# allauth merges these with its defaults, whose "login: 30/m/ip" counted every browser journey's
# sign-ins from 127.0.0.1 (the database cache outlives transactional tests) until one got 429.
ACCOUNT_RATE_LIMITS = {"login_failed": "5/5m/key", "login": None}
ROOT_URLCONF = "tests.urls"
