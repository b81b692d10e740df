from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import index, sitemap
from django.urls import include, path, re_path

from portal.downloads import simple_export
from shell import downloads, pages, views
from shell.sitemaps import SITEMAPS, on_site_url

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    # An index of sections, each in pages of RecordPages.limit records: one
    # sitemap of everything would pass the protocol's 50,000 addresses and
    # 50 MB on a large site.
    path(
        "sitemap.xml",
        on_site_url(index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section", "content_type": "application/xml; charset=utf-8"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        on_site_url(sitemap),
        {"sitemaps": SITEMAPS, "content_type": "application/xml; charset=utf-8"},
        name="sitemap-section",
    ),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
]

# Chinese at the root, English under /en/.
urlpatterns += i18n_patterns(
    path("", pages.home, name="home"),
    path("figures/", pages.figures, name="figures"),
    path("manifest.webmanifest", views.web_manifest, name="web-manifest"),
    path("offline/", views.offline_page, name="offline"),
    path("search/", pages.search_page, name="search"),
    re_path(r"^search/export\.(?P<fmt>csv|xlsx)$", downloads.search_export, name="search-export"),
    path("data/", downloads.data_page, name="data"),
    path("data/beijiang-gongjiang-data.zip", downloads.data_zip, name="data-zip"),
    path("exhibits/", include("exhibits.urls")),
    path("craftsmen/", include("craftsmen.urls")),
    path("pilot-units/", include("craftsmen.pilot_urls")),
    path("academies/", include("craftsmen.academy_urls")),
    path("events/", include(("shell.event_urls", "events"))),
    re_path(
        r"^organisations/export\.(?P<fmt>csv|xlsx)$",
        simple_export,
        {"dataset": "organisations"},
        name="organisations-export",
    ),
    path("organisations/", pages.organisation_list, name="organisation-list"),
    path("organisations/<slug:slug>/", pages.organisation_detail, name="organisation-detail"),
    path("sources/", include(("shell.source_urls", "sources"))),
    prefix_default_language=False,
)

handler404 = "shell.views.page_not_found"
handler500 = "shell.views.server_error"
