from django.urls import path

from exhibits import views

app_name = "exhibits"
urlpatterns = [
    path("", views.exhibit_list, name="list"),
    path("<slug:slug>/", views.exhibit_detail, name="detail"),
]
