"""Production settings pass Django's deployment checklist.

Settings are read from the environment at import, so the honest test is a
fresh process with production's variables set."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_deploy_check(**overrides: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "portal.example.org",
        "SITE_URL": "https://portal.example.org",
        # Whatever database the run uses: the reader requirement has tests
        # of its own (tests/shell/test_settings.py).
        "ALLOW_WRITER_READS": "true",
        **overrides,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = run_deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deploy_check_would_catch_a_production_setting_turned_off():
    result = run_deploy_check(SECURE_SSL_REDIRECT="false", SECURE_HSTS_SECONDS="0")
    assert result.returncode != 0
    assert "security.W008" in result.stderr + result.stdout
    assert "security.W004" in result.stderr + result.stdout


def serve_environment(**env: str) -> dict[str, str]:
    """The variables `make serve` starts gunicorn with: its command, read
    with `make -n`, run by the shell with gunicorn swapped for `env`."""
    dry_run = subprocess.run(["make", "-n", "serve"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    command = dry_run.stdout.replace("\\\n", " ")
    line = next(line for line in command.splitlines() if "bin/gunicorn" in line)
    line = line[: line.index(".venv/bin/gunicorn")] + "env"
    clean = {k: v for k, v in os.environ.items() if k not in {"TRUSTED_PROXY_COUNT", "DATABASE_POOL"}}
    result = subprocess.run(["bash", "-c", line], env=clean | env, capture_output=True, text=True, check=True)
    return dict(item.split("=", 1) for item in result.stdout.splitlines() if "=" in item)


def test_make_serve_trusts_the_one_documented_proxy_by_default():
    # Behind a proxy, 0 would make every client share the proxy's address
    # for the login lockout (README, Running in production).
    assert serve_environment()["TRUSTED_PROXY_COUNT"] == "1"


def test_make_serve_keeps_a_proxy_count_it_is_given():
    assert serve_environment(TRUSTED_PROXY_COUNT="0")["TRUSTED_PROXY_COUNT"] == "0"
    assert serve_environment(TRUSTED_PROXY_COUNT="2")["TRUSTED_PROXY_COUNT"] == "2"
