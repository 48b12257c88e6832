"""The donor report pages, under ``reports/donor/`` in the ``reports`` namespace."""

from django.urls import path

from . import donor_views

urlpatterns = [
    path("cohorts/<int:cohort_id>/", donor_views.donor_list, name="donor_list"),
    path("cohorts/<int:cohort_id>/request/", donor_views.donor_request, name="donor_request"),
    path("<int:report_id>.pdf", donor_views.donor_download, name="donor_download"),
]
