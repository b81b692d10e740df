import sys
import time

from django.core.management.base import BaseCommand
from django.db import transaction

from portal.caching import bump_content_version
from portal.models import SearchDocument
from search.index import rebuild
from search.kinds import indexed_models


class Command(BaseCommand):
    help = "Rebuild every search document from the records (one transaction)."

    def handle(self, *args, **options):
        total = sum(model.objects.published().count() for model, _ in indexed_models())
        started = time.perf_counter()
        show = self.stdout.isatty() if hasattr(self.stdout, "isatty") else sys.stdout.isatty()

        def progress(done: int) -> None:
            if not total:
                return
            width = 30
            filled = int(width * done / total)
            line = f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
            if show:
                self.stdout.write(line, ending="")
                self.stdout.flush()

        with transaction.atomic():
            count = rebuild(progress=progress)
            bump_content_version()
        if show:
            self.stdout.write("")
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {count} documents in {elapsed:.2f} s ({SearchDocument.objects.count()} stored)."
            )
        )
