"""What `make serve` needs beyond the test settings."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_postgresql_connection_pool_that_make_serve_turns_on_is_installed():
    # DATABASE_POOL=true (make serve's default) needs psycopg_pool; without
    # it every PostgreSQL request fails with ImproperlyConfigured.
    assert importlib.util.find_spec("psycopg_pool") is not None


PAGES_WITHOUT_PINYIN = """
import sys
import django
django.setup()
from django.test import Client
client = Client()
for path in ["/", "/exhibits/", "/craftsmen/", "/search/?q=稀土", "/search/?q=gaofenglin", "/en/search/?q=rare"]:
    status = client.get(path, secure=True).status_code
    assert status == 200, (path, status)
print("pypinyin" in sys.modules)
"""


def test_public_pages_never_load_pypinyin_s_50_mb_of_dictionaries(tmp_path):
    # Each worker would carry them; only indexing (a write) needs pinyin.
    # Only what a worker of `make serve` would be given, not the test
    # process's environment.
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "DJANGO_SETTINGS_MODULE": "shell.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PAGE_CACHE_SECONDS": "0",
        # A production worker's settings.
        "DEBUG": "false",
        "SECRET_KEY": "a-test-key-that-is-long-enough-for-the-deploy-checks-0123456789",
        "ALLOWED_HOSTS": "testserver",
        "SITE_URL": "https://testserver",
        # make serve collects the static files first; pages need the manifest.
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    if "REPORTS_DIR" in os.environ:
        env["REPORTS_DIR"] = os.environ["REPORTS_DIR"]
    for command in (
        ["manage.py", "migrate", "-v0"],
        ["manage.py", "collectstatic", "--noinput", "-v0"],
        ["-c", PAGES_WITHOUT_PINYIN],
    ):
        result = subprocess.run([sys.executable, *command], env=env, cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().splitlines()[-1] == "False"
