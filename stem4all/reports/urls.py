from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("cohorts/<int:cohort_id>/", views.cohort_report, name="cohort"),
    path("cohorts/<int:cohort_id>/<slug:table>.<slug:fmt>", views.cohort_table, name="table"),
]
