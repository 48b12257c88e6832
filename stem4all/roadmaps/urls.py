from django.urls import path

from . import views

app_name = "roadmaps"

urlpatterns = [
    path("mentorship/<int:mentorship_id>/", views.roadmap, name="roadmap"),
    path("mentorship/<int:mentorship_id>/goal/", views.save_goal, name="save_goal"),
    path("mentorship/<int:mentorship_id>/steps/", views.add_step, name="add_step"),
    path(
        "mentorship/<int:mentorship_id>/steps/<int:step_id>/",
        views.update_step,
        name="update_step",
    ),
    path(
        "mentorship/<int:mentorship_id>/steps/<int:step_id>/move/",
        views.move_step,
        name="move_step",
    ),
    path(
        "mentorship/<int:mentorship_id>/steps/<int:step_id>/comments/",
        views.comment_on_step,
        name="comment_on_step",
    ),
    path(
        "mentorship/<int:mentorship_id>/steps/<int:step_id>/sign-off/",
        views.sign_off_step,
        name="sign_off_step",
    ),
]

urlpatterns += [
    path(
        "mentorship/<int:mentorship_id>/templates/<int:template_id>/copy/",
        views.copy_template,
        name="copy_template",
    ),
    path(
        "staff/programmes/<int:programme_id>/templates/",
        views.staff_templates,
        name="staff_templates",
    ),
    path("staff/templates/<int:template_id>/", views.staff_template, name="staff_template"),
    path(
        "staff/cohorts/<int:cohort_id>/progress/",
        views.staff_cohort_progress,
        name="staff_cohort_progress",
    ),
]
