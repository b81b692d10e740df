"""The least-privilege PostgreSQL role that public requests read through
(the `reader` database alias, see portal.routers).

It may SELECT the public content tables and nothing else: not users,
sessions, the admin log, login attempts, two-factor devices, or the edit
history. Every transaction it starts is read-only and every statement has a
time limit; and since it holds no INSERT, UPDATE, DELETE or CREATE
privilege anywhere, turning read-only off (`SET
default_transaction_read_only = off`) gains it nothing."""

from __future__ import annotations

import re

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db.backends.base.base import BaseDatabaseWrapper
from simple_history.models import HistoricalChanges

# The apps whose tables public pages show.
PUBLIC_APPS = ("portal", "craftsmen", "exhibits")
# Their tables that no public page needs.
PRIVATE_MODELS = ("portal.FixtureLoad",)
# Django's own tables that public pages read (generic citations name their
# record's content type).
DJANGO_TABLES = ("django_content_type",)

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def public_tables() -> list[str]:
    """Every table a public page may read, including many-to-many tables;
    never a history table."""
    tables = set(DJANGO_TABLES)
    private = {apps.get_model(label) for label in PRIVATE_MODELS}
    for label in PUBLIC_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model in private or issubclass(model, HistoricalChanges) or not model._meta.managed:
                continue
            tables.add(model._meta.db_table)
    return sorted(tables)


def reader_role_name(database_name: str) -> str:
    """The role named after its database (`portal` → `portal_reader`), so
    databases sharing a cluster never share a reader."""
    return f"{database_name}_reader"[:63].lower()


def setup_reader_role(
    connection: BaseDatabaseWrapper, role: str, password: str | None, statement_timeout_ms: int
) -> list[str]:
    """Create the role if it is missing and set its attributes and grants to
    exactly what is described above. Safe to run again. Runs as the writer,
    which must own the tables (or be a superuser) and may create roles.
    Returns the tables granted."""
    if connection.vendor != "postgresql":
        raise ImproperlyConfigured("The reader role is a PostgreSQL role; SQLite opens the file read-only instead.")
    if not ROLE_NAME.match(role):
        raise ImproperlyConfigured(f"{role!r} is not a plain role name (lower-case letters, digits and _).")
    quote = connection.ops.quote_name
    database = quote(connection.settings_dict["NAME"])
    name = quote(role)
    tables = public_tables()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls FROM pg_roles WHERE rolname = %s", [role]
        )
        row = cursor.fetchone()
        if row is None:
            cursor.execute(f"CREATE ROLE {name} LOGIN NOINHERIT")
        elif row[0]:
            raise ImproperlyConfigured(f"The role {role} has powers a reader must not have; use another name.")
        cursor.execute(f"ALTER ROLE {name} LOGIN NOINHERIT")
        if password:
            cursor.execute(f"ALTER ROLE {name} PASSWORD %s", [password])
        cursor.execute(f"ALTER ROLE {name} SET default_transaction_read_only = on")
        cursor.execute(f"ALTER ROLE {name} SET statement_timeout = %s", [f"{int(statement_timeout_ms)}ms"])
        # Start from nothing, then grant exactly what public pages need.
        cursor.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {name}")
        cursor.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {name}")
        cursor.execute(f"REVOKE ALL ON SCHEMA public FROM {name}")
        # Older PostgreSQL lets everyone create tables in public, and every
        # version lets everyone create temporary tables; the reader must
        # create nothing.
        cursor.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        cursor.execute(f"REVOKE TEMPORARY ON DATABASE {database} FROM PUBLIC")
        cursor.execute(f"GRANT CONNECT ON DATABASE {database} TO {name}")
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {name}")
        cursor.execute(f"GRANT SELECT ON {', '.join(quote(t) for t in tables)} TO {name}")
    return tables
