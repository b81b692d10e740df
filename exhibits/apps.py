from django.apps import AppConfig


class ExhibitsConfig(AppConfig):
    name = "exhibits"
    verbose_name = "展品"

    def ready(self) -> None:
        from exhibits import datasets  # noqa: F401  (declares this app's tables for the downloads)
