from django.apps import AppConfig


class ExhibitsConfig(AppConfig):
    name = "exhibits"
    verbose_name = "展品"

    def ready(self) -> None:
        # This app's tables for the downloads, its kinds of record for the search.
        from exhibits import datasets, kinds  # noqa: F401
