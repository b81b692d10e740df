"""Test-only settings overrides live here and nowhere else."""

import pytest
from django.core.cache import caches
from django.db import transaction

from portal.fixtures import load_fixtures


def pytest_configure(config):
    # A second alias on the same test database stands in for a read replica
    # (tests/portal/test_routers.py); nothing routes to it unless a test
    # installs the replica router.
    from django.conf import settings

    if "replica" not in settings.DATABASES:
        settings.DATABASES["replica"] = {**settings.DATABASES["default"], "TEST": {"MIRROR": "default"}}


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # The page cache is keyed by the content version, which a rolled-back
    # test database can repeat: every test starts with an empty cache.
    caches["default"].clear()


@pytest.fixture(scope="module")
def portal_data(django_db_setup, django_db_blocker):
    """The real fixtures, loaded once per module inside a transaction that is
    rolled back afterwards. Tests of the fixtures themselves use this; other
    tests build small data of their own."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_fixtures()
        yield
        transaction.set_rollback(True)
