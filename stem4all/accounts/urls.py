from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.my_profile, name="my_profile"),
    path("details/", views.edit_personal_details, name="edit_personal_details"),
    path("languages/", views.edit_languages, name="edit_languages"),
    path("mentee/", views.edit_mentee_profile, name="edit_mentee_profile"),
    path("mentor/", views.edit_mentor_profile, name="edit_mentor_profile"),
    path("tokens/", views.api_tokens, name="api_tokens"),
    path("tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
    path("people/<int:person_id>/", views.person_detail, name="person_detail"),
    path(
        "staff/participations/<int:participation_id>/consent/",
        views.record_consent,
        name="record_consent",
    ),
    path(
        "staff/participations/<int:participation_id>/screening/",
        views.screen_mentor,
        name="screen_mentor",
    ),
]
