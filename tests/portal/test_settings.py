import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def start_django(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "portal.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_starts_with_no_configuration_at_all():
    assert start_django().stdout.strip() == "started"


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_a_required_variable_and_names_it(missing):
    env = {"DEBUG": "false", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "portal.example.org"}
    del env[missing]

    result = start_django(**env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_production_starts_when_its_secrets_are_given():
    result = start_django(DEBUG="false", SECRET_KEY="x" * 50, ALLOWED_HOSTS="portal.example.org")

    assert result.stdout.strip() == "started", result.stderr


def test_a_nonsense_boolean_is_refused_with_the_variable_named():
    result = start_django(DEBUG="maybe")

    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_every_environment_variable_read_in_settings_is_documented_in_the_readme():
    source = (ROOT / "portal" / "settings.py").read_text(encoding="utf-8")
    variables = set(re.findall(r"env_\w+\(\s*\"([A-Z_]+)\"", source))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")

    assert {"DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "REPORTS_DIR"} <= variables
    undocumented = sorted(name for name in variables if f"`{name}`" not in readme)
    assert undocumented == []
