from django.urls import path

from craftsmen import views

urlpatterns = [path("", views.pilot_units, name="pilot-units")]
