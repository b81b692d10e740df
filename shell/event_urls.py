from django.urls import path, re_path

from portal.downloads import simple_export
from shell import pages

urlpatterns = [
    path("", pages.event_list, name="list"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", simple_export, {"dataset": "events"}, name="export"),
    path("<slug:slug>/", pages.event_detail, name="detail"),
]
