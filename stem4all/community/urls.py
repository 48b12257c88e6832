from django.urls import path

from . import views

app_name = "community"

urlpatterns = [
    # Public
    path("", views.gallery, name="gallery"),
    path("practices/<slug:slug>/", views.practice, name="practice"),
    path("partners/", views.partners, name="partners"),
    path("partners/<slug:slug>/", views.partner, name="partner"),
    path("images/<path:name>", views.image, name="image"),
    # Representatives of a partner organisation
    path("mine/", views.my_organisations, name="my_organisations"),
    path("mine/new/", views.organisation_create, name="organisation_create"),
    path("mine/<int:organisation_id>/", views.organisation, name="organisation"),
    path("mine/<int:organisation_id>/edit/", views.organisation_edit, name="organisation_edit"),
    path(
        "mine/<int:organisation_id>/practices/new/",
        views.practice_create,
        name="practice_create",
    ),
    path("mine/practices/<int:practice_id>/", views.practice_edit, name="practice_edit"),
    path(
        "mine/practices/<int:practice_id>/photos/",
        views.practice_photo_add,
        name="practice_photo_add",
    ),
    path(
        "mine/practices/<int:practice_id>/photos/<int:photo_id>/remove/",
        views.practice_photo_remove,
        name="practice_photo_remove",
    ),
    path("mine/practices/<int:practice_id>/submit/", views.practice_submit, name="practice_submit"),
    path("mine/practices/<int:practice_id>/delete/", views.practice_delete, name="practice_delete"),
    # Programme staff
    path("review/", views.review, name="review"),
    path(
        "review/organisations/<int:organisation_id>/",
        views.review_organisation,
        name="review_organisation",
    ),
    path("review/practices/<int:practice_id>/", views.review_practice, name="review_practice"),
]
