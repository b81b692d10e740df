from django.apps import AppConfig


class ExhibitsConfig(AppConfig):
    name = "exhibits"
    verbose_name = "展品"

    def ready(self) -> None:
        # This app's kinds of record: their search, datasets, API resources
        # and sitemap sections.
        from exhibits import facets  # noqa: F401
