from django.apps import AppConfig


class CraftsmenConfig(AppConfig):
    name = "craftsmen"
    verbose_name = "工匠"

    def ready(self) -> None:
        from craftsmen import datasets  # noqa: F401  (declares this app's tables for the downloads)
