from django.apps import AppConfig


class CraftsmenConfig(AppConfig):
    name = "craftsmen"
    verbose_name = "工匠"

    def ready(self) -> None:
        # This app's kinds of record: their search, datasets, API resources
        # and sitemap sections.
        from craftsmen import facets  # noqa: F401
