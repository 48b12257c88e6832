from django.urls import path

from . import views

app_name = "learning"

urlpatterns = [
    path("", views.index, name="index"),
    path("lectures/", views.lecture_list, name="lectures"),
    path("lectures/<int:lecture_id>/", views.lecture_detail, name="lecture_detail"),
    path("lectures/<int:lecture_id>/progress/", views.lecture_progress, name="lecture_progress"),
    path("lectures/<int:lecture_id>/edit/", views.lecture_edit, name="lecture_edit"),
    path("lectures/<int:lecture_id>/materials/", views.material_add, name="material_add"),
    path("materials/<int:material_id>/", views.material_download, name="material_download"),
    path("materials/<int:material_id>/remove/", views.material_remove, name="material_remove"),
    path(
        "programmes/<int:programme_id>/lectures/new/",
        views.lecture_create,
        name="lecture_create",
    ),
    path("trainings/", views.training_list, name="trainings"),
    path("trainings/<int:training_id>/", views.training_detail, name="training_detail"),
    path(
        "trainings/<int:training_id>/register/",
        views.training_register,
        name="training_register",
    ),
    path("trainings/<int:training_id>/cancel/", views.training_cancel, name="training_cancel"),
    path("trainings/<int:training_id>/check-in/", views.training_checkin, name="training_checkin"),
    path(
        "trainings/<int:training_id>/calendar.ics",
        views.training_download,
        name="training_download",
    ),
    path("trainings/<int:training_id>/edit/", views.training_edit, name="training_edit"),
    path("trainings/<int:training_id>/roster/", views.training_staff, name="training_staff"),
    path(
        "programmes/<int:programme_id>/trainings/new/",
        views.training_create,
        name="training_create",
    ),
    path("certificates/", views.certificates, name="certificates"),
    path(
        "programmes/<int:programme_id>/certificate/",
        views.certificate_issue,
        name="certificate_issue",
    ),
    path("certificates/<str:code>.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("verify/<str:code>/", views.verify_attendance, name="verify_attendance"),
]
