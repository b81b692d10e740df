import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "portal.example.org",
    "SITE_URL": "https://portal.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
}
POSTGRES = "postgres://portal@db.invalid:5432/portal"
OWN_VARIABLES = {
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DEBUG",
    "SITE_URL",
    "DATABASE_URL",
    "DATABASE_READER_URL",
    "DATABASE_REPLICA_URL",
    "ALLOW_WRITER_READS",
}


def start_django(print_setting: str | None = None, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in OWN_VARIABLES}
    show = f"from django.conf import settings; print(settings.{print_setting}); " if print_setting else ""
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {show}print('started')"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "shell.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_starts_with_no_configuration_at_all():
    assert start_django().stdout.strip() == "started"


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL"])
def test_production_refuses_to_start_without_a_required_variable_and_names_it(missing):
    env = dict(PRODUCTION)
    del env[missing]

    result = start_django(**env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_production_starts_when_its_secrets_are_given():
    result = start_django(**PRODUCTION)

    assert result.stdout.strip() == "started", result.stderr


@pytest.mark.parametrize(
    "value",
    [
        "portal.example.org",
        "ftp://portal.example.org",
        "https://portal.example.org/portal/",
        "https://",
        "https://a:x/",
    ],
)
def test_a_site_url_that_is_not_just_an_origin_is_refused(value):
    result = start_django(**PRODUCTION | {"SITE_URL": value})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SITE_URL" in result.stderr


def test_the_site_url_keeps_its_port_and_loses_its_trailing_slash():
    result = start_django("SITE_URL", **PRODUCTION | {"SITE_URL": "https://Portal.Example.org:8443/"})

    assert result.stdout.split() == ["https://portal.example.org:8443", "started"], result.stderr


def test_the_https_redirect_goes_to_the_site_url_s_host():
    result = start_django("SECURE_SSL_HOST", **PRODUCTION | {"SITE_URL": "https://portal.example.org:8443"})

    assert result.stdout.split() == ["portal.example.org:8443", "started"], result.stderr


def test_on_postgresql_production_refuses_to_start_without_a_reader_url():
    result = start_django(**PRODUCTION | {"DATABASE_URL": POSTGRES})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DATABASE_READER_URL" in result.stderr
    assert "ALLOW_WRITER_READS" in result.stderr


def test_on_postgresql_production_starts_with_a_reader_url():
    # Settings only: nothing connects at start-up.
    reader = "postgres://portal_reader:secret@db.invalid:5432/portal"
    result = start_django(**PRODUCTION | {"DATABASE_URL": POSTGRES, "DATABASE_READER_URL": reader})

    assert result.stdout.strip() == "started", result.stderr


def test_on_postgresql_production_starts_on_the_writer_only_when_told_to():
    result = start_django(**PRODUCTION | {"DATABASE_URL": POSTGRES, "ALLOW_WRITER_READS": "true"})

    assert result.stdout.strip() == "started", result.stderr


@pytest.mark.parametrize("debug", ["true", "false"])
def test_without_a_reader_url_sqlite_and_development_start_as_before(debug):
    database = POSTGRES if debug == "true" else PRODUCTION["DATABASE_URL"]
    result = start_django(**PRODUCTION | {"DEBUG": debug, "DATABASE_URL": database})

    assert result.stdout.strip() == "started", result.stderr


def test_a_nonsense_boolean_is_refused_with_the_variable_named():
    result = start_django(DEBUG="maybe")

    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_every_environment_variable_read_in_settings_is_documented_in_the_readme():
    source = (ROOT / "shell" / "settings.py").read_text(encoding="utf-8")
    variables = set(re.findall(r"env_\w+\(\s*\"([A-Z_]+)\"", source))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")

    assert {"DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "REPORTS_DIR"} <= variables
    undocumented = sorted(name for name in variables if f"`{name}`" not in readme)
    assert undocumented == []


LOG_EACH = (
    "import logging, django; django.setup(); "
    "logging.getLogger('django.request').warning('request-line'); "
    "logging.getLogger('django.server').info('server-line'); "
    "logging.getLogger('portal.anything').warning('portal-line')"
)


@pytest.mark.parametrize("environment", [{"DEBUG": "true"}, PRODUCTION], ids=["development", "production"])
def test_each_log_line_is_printed_once(environment):
    clean = {k: v for k, v in os.environ.items() if k not in OWN_VARIABLES}
    result = subprocess.run(
        [sys.executable, "-c", LOG_EACH],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "shell.settings", **environment},
        capture_output=True,
        text=True,
        timeout=60,
    )

    counts = {line: result.stderr.count(line) for line in ("request-line", "server-line", "portal-line")}
    assert counts == {"request-line": 1, "server-line": 1, "portal-line": 1}, result.stderr
