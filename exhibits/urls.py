from django.urls import path, re_path

from exhibits import labels, views

app_name = "exhibits"
urlpatterns = [
    path("", views.exhibit_list, name="list"),
    path("filters/<slug:name>/", views.exhibit_filter_values, name="filter-values"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", views.exhibit_export, name="export"),
    path("areas/<slug:slug>/labels/", labels.area_labels, name="area-labels"),
    path("<slug:slug>/", views.exhibit_detail, name="detail"),
    path("<slug:slug>/label/", labels.exhibit_label, name="label"),
]
