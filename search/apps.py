from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "搜索"

    def ready(self) -> None:
        # portal's own kinds of record (the other apps declare theirs), and
        # the receivers that keep the index in sync.
        from search import records, signals  # noqa: F401
