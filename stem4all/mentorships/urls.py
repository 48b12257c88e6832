from django.urls import path

from . import views

app_name = "mentorships"

urlpatterns = [
    path("staff/cohorts/<int:cohort_id>/", views.staff_mentorships, name="staff_mentorships"),
    path("<int:mentorship_id>/end/", views.end_early, name="end_early"),
]
