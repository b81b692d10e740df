from django.urls import path, re_path

from craftsmen import views
from portal.downloads import simple_export

app_name = "academies"
urlpatterns = [
    path("", views.academy_list, name="list"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", simple_export, {"dataset": "academies"}, name="export"),
    path("<slug:slug>/", views.academy_detail, name="detail"),
]
