from django.urls import path
from django.views.decorators.http import require_GET

from api.views import api, api_index

urlpatterns = [
    path("", require_GET(api_index), name="api-index"),
    path("v1/", api.urls),
]
