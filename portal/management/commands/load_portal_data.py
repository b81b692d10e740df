from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.fixtures import FIXTURES_DIR, FixtureError, load_fixtures, missing_reports_notice


class Command(BaseCommand):
    help = "Load every fixture in fixtures/ in one transaction; safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-changed",
            action="store_true",
            help="Do nothing when the fixtures are the ones last loaded (keeps admins' edits).",
        )
        parser.add_argument("--directory", default=str(FIXTURES_DIR), help="Where the fixture files are.")

    def handle(self, *args, **options):
        try:
            result = load_fixtures(Path(options["directory"]), if_changed=options["if_changed"])
        except FixtureError as error:
            raise CommandError(f"Nothing was loaded. The fixtures have problems:\n{error}") from None
        if result.skipped:
            self.stdout.write("Fixtures unchanged since the last load; nothing to do.")
            return
        # A deployment may run without the reports (the pages then show the
        # cited excerpts), so this loads; but it must not pass for checked.
        if result.unchecked_reports:
            self.stderr.write(self.style.WARNING(f"WARNING: {missing_reports_notice(result.unchecked_reports)}"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {result.total} records: {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged; {result.citations_written} citations written; "
                f"{result.documents} search documents rebuilt."
            )
        )
