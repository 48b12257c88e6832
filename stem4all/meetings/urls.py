from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("pair/<int:mentorship_id>/", views.mentorship_meetings, name="mentorship_meetings"),
    path("<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path("<int:meeting_id>/meeting.ics", views.meeting_download, name="meeting_download"),
    path("calendar/", views.calendar_feed, name="calendar_feed"),
    path("feed/<str:token>.ics", views.public_feed, name="public_feed"),
]
