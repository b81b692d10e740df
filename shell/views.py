import json
import logging
import sys

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.addresses import absolute_url
from portal.icons import MANIFEST_ICON_SIZES, RED, manifest_icon_name

logger = logging.getLogger(__name__)


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers: 200 only when the database answers a query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database is unreachable")
        return HttpResponse("database unavailable", status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {absolute_url(request, '/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# A day: browsers ask for /favicon.ico on their own, on every site, whatever
# the pages link to. A temporary redirect, because the target's hashed name
# changes with the icon.
FAVICON_MAX_AGE = 24 * 60 * 60


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    response = HttpResponseRedirect(static("img/favicon.svg"))
    response["Cache-Control"] = f"public, max-age={FAVICON_MAX_AGE}"
    return response


# The icons' red, which is the stylesheet's --accent (tests/portal/test_icons.py),
# and the stylesheet's --bg.
THEME_COLOUR = "#{:02x}{:02x}{:02x}".format(*RED)
BACKGROUND_COLOUR = "#ffffff"


@require_GET
def web_manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest in the page's language (base.html links it): what
    a phone or kiosk shows when the site is installed or opened as an app."""
    manifest = {
        "name": _("北疆工匠网"),
        "lang": "en" if get_language() == "en" else "zh-CN",
        "dir": "ltr",
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": static(f"img/{manifest_icon_name(size)}"), "sizes": f"{size}x{size}", "type": "image/png"}
            for size in MANIFEST_ICON_SIZES
        ],
    }
    return HttpResponse(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
        content_type="application/manifest+json; charset=utf-8",
    )


@require_GET
def offline_page(request: HttpRequest) -> HttpResponse:
    """What the static build's service worker shows for a page that is not
    saved on the device while it is offline (publish/offline.py); the live
    site has no such page."""
    if not settings.STATIC_SITE_BUILD:
        raise Http404
    return render(request, "offline.html", {"meta_description": ""})


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", {"meta_description": ""}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without the request context: whatever broke may be part of it.
    if isinstance(sys.exception(), OperationalError | InterfaceError):
        # The database is down or restarting (or a statement timed out):
        # a temporary condition, said as such, fast, and never cached.
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "5"
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponse(loader.get_template("500.html").render(), status=500)
