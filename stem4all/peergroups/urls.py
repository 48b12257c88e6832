from django.urls import path

from . import views

app_name = "peergroups"

urlpatterns = [
    path("", views.group_list, name="group_list"),
    path("new/", views.group_create, name="group_create"),
    path("<int:group_id>/", views.group_detail, name="group_detail"),
    path("<int:group_id>/join/", views.group_join, name="group_join"),
    path("<int:group_id>/leave/", views.group_leave, name="group_leave"),
    path(
        "<int:group_id>/requests/<int:member_id>/accept/",
        views.accept_request,
        name="accept_request",
    ),
    path("<int:group_id>/meetings/new/", views.meeting_propose, name="meeting_propose"),
    path("meetings/<int:meeting_id>/meeting.ics", views.meeting_download, name="meeting_download"),
    path("cohorts/<int:cohort_id>/alumni/", views.alumni_groups, name="alumni_groups"),
]
