from django.urls import include, path

from . import donor_urls, survey_urls, views

app_name = "reports"

urlpatterns = [
    path("cohorts/<int:cohort_id>/", views.cohort_report, name="cohort"),
    path("cohorts/<int:cohort_id>/refresh/", views.refresh, name="refresh"),
    path("cohorts/<int:cohort_id>/<slug:table>.<slug:fmt>", views.cohort_table, name="table"),
    path("surveys/", include(survey_urls)),
    path("donor/", include(donor_urls)),
]
