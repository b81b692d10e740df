from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from portal.reader import reader_role_name, setup_reader_role


class Command(BaseCommand):
    help = (
        "Create or update the read-only PostgreSQL role public pages read through "
        "(SELECT on the public content tables only, read-only transactions, a statement timeout). "
        "Run it as the writer (DATABASE_URL) after every migrate; it is safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--role",
            help="the role's name; default: the user of DATABASE_READER_URL, else <database>_reader",
        )

    def handle(self, *args, role=None, **options):
        connection = connections["default"]
        reader = settings.DATABASES.get("reader", {})
        if reader.get("ENGINE") != "django.db.backends.postgresql":
            reader = {}
        role = role or reader.get("USER") or reader_role_name(connection.settings_dict["NAME"])
        try:
            tables = setup_reader_role(
                connection, role, reader.get("PASSWORD") or None, settings.DATABASE_STATEMENT_TIMEOUT_MS
            )
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Role {role}: read-only, SELECT on {len(tables)} public tables.")
        if not reader:
            self.stdout.write(
                "Set DATABASE_READER_URL to postgres://"
                f"{role}:<password>@<host>/{connection.settings_dict['NAME']} to send public reads through it."
            )
