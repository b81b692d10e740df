from django.conf import settings
from django.http import HttpRequest


def static_site(request: HttpRequest) -> dict:
    """`static_site` is true while `make static` renders the public site as
    files (publish/): templates then offer what works without a server."""
    return {"static_site": settings.STATIC_SITE_BUILD}
