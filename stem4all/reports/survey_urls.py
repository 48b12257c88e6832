"""Survey pages, under /reports/surveys/ in the ``reports`` namespace."""

from django.urls import path

from . import survey_views as views

urlpatterns = [
    # Participants
    path("mine/", views.my_surveys, name="my_surveys"),
    path("<int:survey_id>/", views.survey_answer, name="survey_answer"),
    # Staff: a cohort's surveys and the paired change
    path("cohorts/<int:cohort_id>/", views.survey_list, name="survey_list"),
    path("cohorts/<int:cohort_id>/new/", views.survey_create, name="survey_create"),
    path(
        "cohorts/<int:cohort_id>/defaults/",
        views.survey_add_defaults,
        name="survey_add_defaults",
    ),
    path(
        "cohorts/<int:cohort_id>/change-<slug:audience>.<slug:fmt>",
        views.survey_change_download,
        name="survey_change_download",
    ),
    # Staff: one survey
    path("<int:survey_id>/edit/", views.survey_edit, name="survey_edit"),
    path("<int:survey_id>/delete/", views.survey_delete, name="survey_delete"),
    path("<int:survey_id>/results/", views.survey_results, name="survey_results"),
    path(
        "<int:survey_id>/results.<slug:fmt>",
        views.survey_results_download,
        name="survey_results_download",
    ),
    path("<int:survey_id>/questions/new/", views.question_create, name="question_create"),
    path("questions/<int:question_id>/", views.question_edit, name="question_edit"),
    path("questions/<int:question_id>/move/", views.question_move, name="question_move"),
    path("questions/<int:question_id>/delete/", views.question_delete, name="question_delete"),
    path("questions/<int:question_id>/choices/", views.choice_create, name="choice_create"),
    path("choices/<int:choice_id>/", views.choice_edit, name="choice_edit"),
    path("choices/<int:choice_id>/move/", views.choice_move, name="choice_move"),
    path("choices/<int:choice_id>/delete/", views.choice_delete, name="choice_delete"),
]
