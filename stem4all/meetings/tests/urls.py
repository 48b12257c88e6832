"""The project's URLs plus the meetings URLs, until config/urls.py includes them."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *[p for p in project_urlpatterns if getattr(p, "namespace", None) != "meetings"],
    path("meetings/", include("stem4all.meetings.urls")),
]
