from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "搜索"

    def ready(self) -> None:
        # The receivers that keep the index in sync (the kinds of record
        # are declared by the apps, portal's own by shell/facets.py).
        from search import signals  # noqa: F401
