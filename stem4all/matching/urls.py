from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("staff/cohorts/<int:cohort_id>/", views.cohort_matching, name="cohort_matching"),
    path(
        "staff/cohorts/<int:cohort_id>/mentees/<int:mentee_id>/rematch/",
        views.rematch,
        name="rematch",
    ),
    path("staff/runs/<int:run_id>/", views.run_detail, name="run_detail"),
    path("staff/runs/<int:run_id>/lock/", views.lock_pair, name="lock_pair"),
    path("staff/runs/<int:run_id>/forbid/", views.forbid_pair, name="forbid_pair"),
    path("staff/runs/<int:run_id>/unlock/", views.unlock_pair, name="unlock_pair"),
    path("staff/runs/<int:run_id>/swap/", views.swap, name="swap"),
    path("staff/runs/<int:run_id>/rerun/", views.rerun, name="rerun"),
    path("staff/runs/<int:run_id>/publish/", views.publish, name="publish"),
    path("staff/runs/<int:run_id>/discard/", views.discard, name="discard"),
    path("proposals/", views.my_proposals, name="my_proposals"),
    path("proposals/<int:proposal_id>/accept/", views.accept, name="accept"),
    path("proposals/<int:proposal_id>/decline/", views.decline, name="decline"),
    path("my-mentor/", views.my_match, name="my_match"),
    path("cohorts/<int:cohort_id>/mentors/", views.choose_mentors, name="choose_mentors"),
]
