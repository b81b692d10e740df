from django.urls import path

from craftsmen import views

app_name = "academies"
urlpatterns = [
    path("", views.academy_list, name="list"),
    path("<slug:slug>/", views.academy_detail, name="detail"),
]
