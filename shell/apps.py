from django.apps import AppConfig


class ShellConfig(AppConfig):
    """The project shell: settings, the URL map, serving, and the pages that
    draw on several apps (home, search, sources, events, organisations,
    data downloads, sitemaps). It sits above every app; no app imports it."""

    name = "shell"
    verbose_name = "北疆工匠网"

    def ready(self) -> None:
        # portal's own kinds of record: their search, datasets, API
        # resources and sitemap sections.
        from shell import facets  # noqa: F401
