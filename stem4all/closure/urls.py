from django.urls import path

from . import views

app_name = "closure"

urlpatterns = [
    path("mentorships/<int:mentorship_id>/exit-survey/", views.exit_survey, name="exit_survey"),
    path("mentorships/<int:mentorship_id>/alumni/", views.alumni_group, name="alumni_group"),
    path(
        "mentorships/<int:mentorship_id>/certificate/", views.certificate_page, name="certificate"
    ),
    path(
        "mentorships/<int:mentorship_id>/certificate.pdf",
        views.certificate_pdf,
        name="certificate_pdf",
    ),
    path(
        "mentorships/<int:mentorship_id>/certificate/revoke/",
        views.revoke_certificate,
        name="revoke_certificate",
    ),
    path("verify/<str:code>/", views.verify, name="verify"),
    path(
        "staff/cohorts/<int:cohort_id>/exit-surveys/",
        views.staff_exit_surveys,
        name="staff_exit_surveys",
    ),
]
