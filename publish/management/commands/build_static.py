from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from publish.build import BuildError, build_site, check


class Command(BaseCommand):
    help = "Render the public site as files (STATIC_SITE_DIR, for STATIC_SITE_URL); --check checks a built folder."

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, default=None, help="the folder (default: STATIC_SITE_DIR, dist/)")
        parser.add_argument("--url", default=None, help="the address it will be served at (default: STATIC_SITE_URL)")
        parser.add_argument(
            "--check",
            action="store_true",
            help="only check that every link, image, stylesheet, script and download in the folder resolves to a file",
        )

    def handle(self, *args, out=None, url=None, check_only=False, **options):
        out = Path(out or settings.STATIC_SITE_DIR)
        site_url = (url or settings.STATIC_SITE_URL).rstrip("/")
        if options["check"]:
            if not out.is_dir():
                raise CommandError(f"{out} does not exist: run `make static` first.")
            problems = check(out, site_url)
            if problems:
                raise CommandError(f"{len(problems)} links lead nowhere:\n" + "\n".join(problems[:100]))
            self.stdout.write(f"{out}: every link resolves to a file.")
            return
        try:
            report = build_site(out, site_url)
        except BuildError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"{report.out}: {report.pages} addresses rendered, {report.files} files, "
            f"{report.bytes / 1e6:.1f} MB, in {report.seconds:.1f} s, for {site_url}"
        )
