import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shell.settings")
django_application = get_wsgi_application()

from portal.caching import FrontPageCache  # noqa: E402 (needs the apps loaded)

application = FrontPageCache(django_application)
