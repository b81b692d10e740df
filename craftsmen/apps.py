from django.apps import AppConfig


class CraftsmenConfig(AppConfig):
    name = "craftsmen"
    verbose_name = "工匠"
