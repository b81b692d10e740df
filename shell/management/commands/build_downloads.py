"""Build every full download (each list's CSV and Excel, the /data/ zip) at
the current content version, in both languages, so that the first visitor
after a data load or a deploy finds them ready:

    python manage.py build_downloads

The files hold absolute URLs and are stored per site address: SITE_URL
(which production requires), or the address given, which must be the one
visitors' requests carry (scheme and host)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from portal.caching import current_version
from portal.download_store import Download, build_unless_present
from shell.downloads import full_downloads


class Command(BaseCommand):
    help = "Build every full download at the current content version (both languages)."

    def add_arguments(self, parser):
        parser.add_argument(
            "base_url",
            nargs="?",
            default=settings.SITE_URL,
            help="the site's address as requests see it (default: SITE_URL), e.g. https://portal.example.org",
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _ in settings.LANGUAGES],
            action="append",
            dest="languages",
            help="only this language (may be repeated; default: every language)",
        )

    def handle(self, *args, base_url: str, languages: list[str] | None, **options):
        if not base_url:
            raise CommandError("Give the site's address (e.g. https://portal.example.org) or set SITE_URL.")
        base_url = base_url.rstrip("/")
        version = current_version()[0]
        for language in languages or [code for code, _ in settings.LANGUAGES]:
            with translation.override(language):
                for name, write in full_downloads(base_url):
                    download = Download(name, version, language, base_url)
                    started = time.monotonic()
                    if build_unless_present(download, write):
                        size = download.path.stat().st_size
                        took = time.monotonic() - started
                        self.stdout.write(f"{language} {name}: built in {took:.1f} s, {size:,} bytes")
                    else:
                        self.stdout.write(f"{language} {name}: already built (or being built)")
                    self.stdout.flush()
