"""Settings for the test suite: the main settings with fast hashing, immediate tasks and
in-memory files (Django's test runner switches the mailers to the in-memory outbox)."""

from certeval.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # Browser tests serve the site from a live-server thread. On an in-memory SQLite database Django
    # shares one connection between that thread and the test, so a request still being served while
    # the test writes breaks the test's transaction. A file database gives every thread its own
    # connection (and the main settings' immediate transactions and WAL).
    import os
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"certeval-test-{os.getpid()}.sqlite3")
    }
