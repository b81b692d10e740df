from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.fixtures import FIXTURES_DIR, missing_reports_notice, validate_fixtures


class Command(BaseCommand):
    help = "Check every fixture as a load would, and report every problem; changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("--directory", default=str(FIXTURES_DIR), help="Where the fixture files are.")
        parser.add_argument(
            "--allow-missing-reports",
            action="store_true",
            help="Succeed when the report files are not in REPORTS_DIR (the excerpts are then not checked).",
        )

    def handle(self, *args, **options):
        result = validate_fixtures(Path(options["directory"]))
        problems = list(result.problems)
        unchecked = missing_reports_notice(result.unchecked_reports) if result.unchecked_reports else ""
        if unchecked and not options["allow_missing_reports"]:
            problems.append(f"{unchecked} (or pass --allow-missing-reports)")
        if problems:
            listing = "\n".join(problems)
            raise CommandError(f"{len(problems)} problem(s) in the fixtures:\n{listing}")
        if unchecked:
            self.stderr.write(self.style.WARNING(f"WARNING: {unchecked}"))
            self.stdout.write(
                f"{result.records} records in {result.files} files: valid, but the excerpts were NOT checked."
            )
            return
        self.stdout.write(self.style.SUCCESS(f"{result.records} records in {result.files} files: all valid."))
