"""Test-only settings overrides live here and nowhere else."""

import os
import secrets

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connections, transaction
from django.test import Client
from django.utils import translation

from portal.fixtures import load_fixtures, reports_not_at_hand
from tests import factories as make


def pytest_configure(config):
    # A second alias on the same test database stands in for a read replica
    # (tests/portal/test_routers.py); nothing routes to it unless a test
    # installs the replica router.
    from django.conf import settings

    default = settings.DATABASES["default"]
    if "replica" not in settings.DATABASES:
        settings.DATABASES["replica"] = {**default, "TEST": {"MIRROR": "default"}}
    # On PostgreSQL the public reader is a role of its own, named after the
    # test database (roles are shared by the whole cluster, and so by
    # parallel runs): test_portal → test_portal_reader. django_db_setup
    # below creates it. (On SQLite settings.py already made the alias.)
    if default["ENGINE"] == "django.db.backends.postgresql" and "reader" not in settings.DATABASES:
        from portal.reader import reader_role_name

        test_name = default.get("TEST", {}).get("NAME") or f"test_{default['NAME']}"
        options = dict(default.get("OPTIONS", {}))
        options["options"] = f"{options.get('options', '')} -c default_transaction_read_only=on".strip()
        settings.DATABASES["reader"] = {
            **default,
            "USER": reader_role_name(test_name),
            "PASSWORD": secrets.token_urlsafe(16),
            "OPTIONS": options,
            "TEST": {"MIRROR": "default"},
        }


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, and on PostgreSQL its reader role with its grants."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        with django_db_blocker.unblock():
            call_command("setup_reader_role", verbosity=0)
    yield
    # The test database cannot be dropped while the reader is connected.
    with django_db_blocker.unblock():
        connections["reader"].close()


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.PAGE_FRONT_CACHE_ALIAS = None
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Stored downloads are named by the content version, which a rolled-back
    # test database repeats: each test has its own directory. They are built
    # in the request: a thread's connection would not see the test's
    # uncommitted data (tests/portal/test_download_store.py covers the
    # background build on a transactional database).
    settings.DOWNLOADS_DIR = tmp_path / "downloads"
    settings.DOWNLOADS_BACKGROUND = False
    # The page cache is keyed by the content version, which a rolled-back
    # test database can repeat: every test starts with an empty cache.
    caches["default"].clear()
    # A request to an English page leaves English active in this thread
    # (LocaleMiddleware activates it and nothing switches it back), so a
    # later test's reverse() would depend on the order the tests ran in.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="module")
def portal_data(django_db_setup, django_db_blocker):
    """The real fixtures, loaded once per module inside a transaction that is
    rolled back afterwards. Tests of the fixtures themselves use this; other
    tests build small data of their own."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_fixtures()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def reports():
    """For tests that read the source reports (REPORTS_DIR). Without them
    such a test is skipped, with where they were looked for, so a fresh
    clone's run says what is missing; in CI (CI set) it fails instead, so
    the checks of every excerpt can never silently not run."""
    from django.conf import settings

    missing = reports_not_at_hand()
    if missing:
        notice = f"the source reports are not at {settings.REPORTS_DIR} (missing {', '.join(missing)}; set REPORTS_DIR)"
        if os.environ.get("CI"):
            pytest.fail(f"{notice}; CI needs them", pytrace=False)
        pytest.skip(notice)


@pytest.fixture
def exhibit():
    """One published exhibit with a name of its own, for the caching and
    page tests (test modules that need another define their own)."""
    source = make.report()
    return make.exhibit(source, name="风能叶片检测仪", exhibition=make.exhibition(source))


@pytest.fixture
def https_client(settings):
    """A client behind the TLS-terminating proxy, as in production."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    return Client(headers={"X-Forwarded-Proto": "https"}, raise_request_exception=False)


STATIC_SITE_URL = "https://static.example.org"


def restore_migration_synonyms() -> None:
    """The search synonyms a migration adds: a transactional test flushes
    that table, and the static index and the live search compared with it
    must both have them, whatever ran first."""
    import importlib

    from portal.models import Synonym
    from search.query import forget_synonyms

    migration = importlib.import_module("portal.migrations.0003_search_schema_and_synonyms")
    for term, expansion, note in migration.SYNONYMS:
        Synonym.objects.get_or_create(term=term, defaults={"expansion": expansion, "note": note})
    forget_synonyms()


def build_real_site(out, downloads) -> None:
    """Build the static site of the real fixtures into out, inside a
    transaction rolled back afterwards (the caller holds database access)."""
    from django.test.utils import override_settings

    from publish.build import build_site

    with (
        transaction.atomic(),
        override_settings(
            DOWNLOADS_DIR=downloads,
            CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "static"}},
        ),
    ):
        load_fixtures()
        restore_migration_synonyms()
        build_site(out, STATIC_SITE_URL)
        transaction.set_rollback(True)


@pytest.fixture(scope="session")
def built_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The public site built as files (`make static`) from the real
    fixtures, once per session: the fixtures are loaded in a transaction
    that is rolled back once the files are written, so no later test sees
    them. The build's canonical address is STATIC_SITE_URL."""
    out = tmp_path_factory.mktemp("static") / "dist"
    with django_db_blocker.unblock():
        build_real_site(out, tmp_path_factory.mktemp("static-downloads"))
    return out
