"""Test settings: SQLite in memory by default, PostgreSQL when DATABASE_URL is set."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
if not os.environ.get("DATABASE_URL"):
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
FORLOB_CPR_KEYS = (
    "test2:dGVzdC1rZXktMi0zMi1ieXRlcy1mb3ItdGVzdHMhISE=,"
    "test1:dGVzdC1rZXktMS0zMi1ieXRlcy1mb3ItdGVzdHMhISE="
)
FORLOB_CPR_INDEX_KEY = "dGVzdC1pbmRleC1rZXktZm9yLXRoZS1ibGluZC1pbmRleA=="
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = True
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
FORLOB_OUTBOX_DIR = Path(tempfile.gettempdir()) / "forlob-test-outbox"  # tests override per test
FORLOB_EXPORT_SYNC = True  # export jobs run in the request (indicators.jobs), not in a thread
FORLOB_EXPORT_DIR = Path(tempfile.gettempdir()) / "forlob-test-exports"

#: The demo's volume courses stay out of the tests (tests/test_demo_volume.py turns them on).
FORLOB_DEMO_VOLUME = False
