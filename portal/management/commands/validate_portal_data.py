from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.fixtures import FIXTURES_DIR, validate_fixtures


class Command(BaseCommand):
    help = "Check every fixture as a load would, and report every problem; changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("--directory", default=str(FIXTURES_DIR), help="Where the fixture files are.")

    def handle(self, *args, **options):
        result = validate_fixtures(Path(options["directory"]))
        if result.problems:
            listing = "\n".join(result.problems)
            raise CommandError(f"{len(result.problems)} problem(s) in the fixtures:\n{listing}")
        self.stdout.write(self.style.SUCCESS(f"{result.records} records in {result.files} files: all valid."))
