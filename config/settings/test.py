"""Test settings: the base module, with the test runner's conveniences."""

import os

os.environ.setdefault("PONLEU_MODE", "test")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-that-is-long-enough-for-django-checks-0123456789")
os.environ.setdefault("PONLEU_STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage")
os.environ.setdefault("PONLEU_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")

from .base import *  # noqa: E402,F403

# Hashing with Argon2's full cost would dominate the suite; the hasher order is tested separately.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]  # noqa: F405
if not os.environ.get("PONLEU_ENCRYPTION_KEYS"):
    PONLEU_ENCRYPTION_KEYS = "test1:" + "dGVzdC1rZXktZm9yLXBvbmxldS10ZXN0cy0xMjM0NTY="

# A test that anchors the audit chains names its own file; this directory does not exist, so
# anchoring without one fails instead of writing beside another test's rows.
if not os.environ.get("PONLEU_AUDIT_ANCHOR_FILE"):
    PONLEU_AUDIT_ANCHOR_FILE = BASE_DIR / "var" / "no-anchor-in-tests" / "audit-anchors.jsonl"  # noqa: F405

# Tests read English unless they ask for another language; Khmer stays the product's default
# (tests/test_configuration.py and the Khmer-default test check base.LANGUAGE_CODE).
KHMER_DEFAULT_LANGUAGE = LANGUAGE_CODE  # noqa: F405
LANGUAGE_CODE = "en"
