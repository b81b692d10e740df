from django.apps import AppConfig


class CraftsmenConfig(AppConfig):
    name = "craftsmen"
    verbose_name = "工匠"

    def ready(self) -> None:
        # This app's tables for the downloads, its kinds of record for the search.
        from craftsmen import datasets, kinds  # noqa: F401
