from django.urls import path

from portal import pages

urlpatterns = [
    path("", pages.event_list, name="list"),
    path("<slug:slug>/", pages.event_detail, name="detail"),
]
