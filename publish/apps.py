from django.apps import AppConfig


class PublishConfig(AppConfig):
    """The public site as plain files (`make static`): every public page in
    both languages, rendered by the live site's own views and templates,
    with the data downloads, the API's responses as JSON, a search index for
    the browser and a service worker for offline kiosks. It sits above the
    shell and nothing imports it."""

    name = "publish"
    verbose_name = "静态站点"
