from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("cohorts/<int:cohort_id>/", views.cohort_detail, name="cohort_detail"),
    path("cohorts/<int:cohort_id>/apply/<str:role>/", views.apply, name="apply"),
    path("applications/<int:participation_id>/withdraw/", views.withdraw, name="withdraw"),
    path("staff/", views.staff_home, name="staff_home"),
    path("staff/cohorts/<int:cohort_id>/", views.staff_cohort, name="staff_cohort"),
    path("staff/cohorts/<int:cohort_id>/phase/", views.advance_phase, name="advance_phase"),
    path(
        "staff/cohorts/<int:cohort_id>/import/",
        views.import_participants,
        name="import_participants",
    ),
    path(
        "staff/applications/<int:participation_id>/",
        views.staff_application,
        name="staff_application",
    ),
]
