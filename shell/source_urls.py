from django.urls import path

from shell import pages

urlpatterns = [
    path("", pages.source_list, name="list"),
    path("<slug:slug>/", pages.source_detail, name="detail"),
]
