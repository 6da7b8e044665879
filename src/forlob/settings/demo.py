"""Demo settings for `make run`: embedded SQLite, DEBUG on, two-factor off.

The keys below are public demo keys. Never use this module with real data.
"""

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = SECRET_KEY or "demo-only-secret-key-not-for-production-0f8b2c7e9a"  # noqa: F405
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
FORLOB_REQUIRE_2FA = False
FORLOB_CPR_KEYS = FORLOB_CPR_KEYS or "demo1:ZGVtby1rZXktMzItYnl0ZXMtbm90LWZvci1wcm9kISE="  # noqa: F405
FORLOB_CPR_INDEX_KEY = FORLOB_CPR_INDEX_KEY or "ZGVtby1pbmRleC1rZXktbm90LWZvci1wcm9kdWN0aW9u"  # noqa: F405
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

VAR_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405  (the embedded SQLite lives here)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"  # reminders print to the console

#: load_demo adds a few hundred seeded courses (portal/management/demo_volume.py) so the
#: indicators show figures rather than "<5"; off under the test settings.
FORLOB_DEMO_VOLUME = True
