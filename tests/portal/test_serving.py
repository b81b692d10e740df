"""What `make serve` needs beyond the test settings."""

import importlib.util


def test_the_postgresql_connection_pool_that_make_serve_turns_on_is_installed():
    # DATABASE_POOL=true (make serve's default) needs psycopg_pool; without
    # it every PostgreSQL request fails with ImproperlyConfigured.
    assert importlib.util.find_spec("psycopg_pool") is not None
