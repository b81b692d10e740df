"""Django for the benchmark modules, which run as `python -m bench.…` rather
than as management commands: imported first, before any model."""

import os

import django
from django.apps import apps

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shell.settings")
# Under pytest-django (or any caller that set Django up) the apps are ready;
# a second setup would reconfigure logging under the caller's feet.
if not apps.ready:
    django.setup()
