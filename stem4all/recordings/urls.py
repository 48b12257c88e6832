from django.urls import path

from . import views

app_name = "recordings"

urlpatterns = [
    path("", views.my_recordings, name="my_recordings"),
    path("code/", views.enter_code, name="enter_code"),
    path("<int:recording_id>/", views.watch, name="watch"),
    path("<int:recording_id>/video", views.stream, name="stream"),
    path("staff/cohorts/<int:cohort_id>/", views.staff_recordings, name="staff_list"),
    path("staff/cohorts/<int:cohort_id>/new/", views.create_recording, name="create"),
    path("staff/<int:recording_id>/edit/", views.edit_recording, name="edit"),
    path("staff/<int:recording_id>/codes/", views.access_codes, name="codes"),
    path("staff/codes/<int:code_id>/revoke/", views.revoke_code, name="revoke_code"),
]
