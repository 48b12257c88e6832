from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from stem4all.core.public import public

from .api import api

admin.site.site_header = _("STEM4ALL Mentoring administration")
admin.site.site_title = _("STEM4ALL admin")
admin.site.index_title = _("Programme data")

api_patterns, api_app_name, api_namespace = api.urls
# The API answers 401 itself; the login-required middleware must not redirect it.
for pattern in api_patterns:
    pattern.callback = public(pattern.callback)

urlpatterns = [
    path("", include("stem4all.core.urls")),
    path("accounts/", include("allauth.urls")),
    path("profile/", include("stem4all.accounts.urls")),
    path("programmes/", include("stem4all.programmes.urls")),
    path("matching/", include("stem4all.matching.urls")),
    path("mentorships/", include("stem4all.mentorships.urls")),
    path("meetings/", include("stem4all.meetings.urls")),
    path("roadmaps/", include("stem4all.roadmaps.urls")),
    path("messages/", include("stem4all.messaging.urls")),
    path("notifications/", include("stem4all.notifications.urls")),
    path("checkins/", include("stem4all.checkins.urls")),
    path("closure/", include("stem4all.closure.urls")),
    path("learning/", include("stem4all.learning.urls")),
    path("recordings/", include("stem4all.recordings.urls")),
    path("community/", include("stem4all.community.urls")),
    path("groups/", include("stem4all.peergroups.urls")),
    path("awards/", include("stem4all.awards.urls")),
    path("reports/", include("stem4all.reports.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_patterns, api_app_name), namespace=api_namespace)),
]
