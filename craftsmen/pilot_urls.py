from django.urls import path, re_path

from craftsmen import views
from portal.downloads import simple_export

urlpatterns = [
    path("", views.pilot_units, name="pilot-units"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", simple_export, {"dataset": "pilot_categories"}, name="pilot-units-export"),
]
