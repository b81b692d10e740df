from django.urls import path, re_path

from craftsmen import views
from portal.downloads import simple_export

app_name = "craftsmen"
urlpatterns = [
    path("", views.craftsmen_index, name="index"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", simple_export, {"dataset": "people"}, name="export"),
    path("<slug:slug>/", views.person_detail, name="detail"),
]
