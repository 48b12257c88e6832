from django.urls import path

from . import views

app_name = "mentorships"

urlpatterns = [
    path("staff/cohorts/<int:cohort_id>/", views.staff_mentorships, name="staff_mentorships"),
    path("<int:mentorship_id>/", views.mentorship_detail, name="mentorship"),
    path("<int:mentorship_id>/pause/", views.pause, name="pause"),
    path("<int:mentorship_id>/resume/", views.resume, name="resume"),
    path("<int:mentorship_id>/complete/", views.complete, name="complete"),
    path("<int:mentorship_id>/agreement/", views.save_agreement, name="save_agreement"),
    path(
        "<int:mentorship_id>/agreement/confirm/",
        views.confirm_agreement,
        name="confirm_agreement",
    ),
    path("<int:mentorship_id>/end/", views.end_early, name="end_early"),
]
