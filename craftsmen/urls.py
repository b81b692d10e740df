from django.urls import path

from craftsmen import views

app_name = "craftsmen"
urlpatterns = [
    path("", views.craftsmen_index, name="index"),
    path("<slug:slug>/", views.person_detail, name="detail"),
]
