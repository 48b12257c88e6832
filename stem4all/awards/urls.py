from django.urls import path

from . import views

app_name = "awards"

urlpatterns = [
    path("", views.index, name="index"),
    # Editions and categories, managed by the programme's staff.
    path(
        "programmes/<int:programme_id>/editions/new/",
        views.edition_create,
        name="edition_create",
    ),
    path("editions/<slug:slug>/", views.edition, name="edition"),
    path("editions/<slug:slug>/edit/", views.edition_edit, name="edition_edit"),
    path("editions/<slug:slug>/manage/", views.edition_manage, name="edition_manage"),
    path("editions/<slug:slug>/categories/new/", views.category_create, name="category_create"),
    path("categories/<int:category_id>/edit/", views.category_edit, name="category_edit"),
    path("categories/<int:category_id>/move/", views.category_move, name="category_move"),
    path("categories/<int:category_id>/delete/", views.category_delete, name="category_delete"),
    # Nominations and their review.
    path("categories/<int:category_id>/nominate/", views.nominate, name="nominate"),
    path("nominations/mine/", views.my_nominations, name="my_nominations"),
    path("nominations/<int:nomination_id>/", views.nomination, name="nomination"),
    path(
        "nominations/<int:nomination_id>/respond/",
        views.nomination_respond,
        name="nomination_respond",
    ),
    path(
        "nominations/<int:nomination_id>/review/",
        views.nomination_review,
        name="review_nomination",
    ),
    path("editions/<slug:slug>/nominations/", views.nomination_queue, name="review"),
    # Public voting and receipts.
    path("nominations/<int:nomination_id>/vote/", views.vote, name="vote"),
    path("votes/<int:vote_id>/receipt/", views.vote_receipt, name="vote_receipt"),
    path("votes/mine/", views.my_votes, name="my_votes"),
    path("receipts/", views.receipt, name="receipt"),
    # The integrity review of the votes.
    path("editions/<slug:slug>/integrity/", views.integrity, name="integrity"),
    path("editions/<slug:slug>/integrity/void/", views.request_voiding, name="request_voiding"),
    path("editions/<slug:slug>/voidings/", views.voidings, name="voidings"),
    path("voidings/<int:voiding_id>/confirm/", views.confirm_voiding, name="confirm_voiding"),
    path("voidings/<int:voiding_id>/withdraw/", views.withdraw_voiding, name="withdraw_voiding"),
    # The jury.
    path("jury/", views.jury_home, name="jury_home"),
    path("editions/<slug:slug>/jury/", views.jury_admin, name="jury_admin"),
    path("jury/categories/<int:category_id>/seats/", views.assign_juror, name="assign_juror"),
    path("jury/seats/<int:assignment_id>/remove/", views.remove_juror, name="remove_juror"),
    path("jury/categories/<int:category_id>/criteria/", views.add_criterion, name="add_criterion"),
    path(
        "jury/criteria/<int:criterion_id>/remove/",
        views.remove_criterion,
        name="remove_criterion",
    ),
    path("nominations/<int:nomination_id>/jury/", views.jury_nomination, name="jury_nomination"),
    path("nominations/<int:nomination_id>/score/", views.score_nomination, name="score_nomination"),
    path(
        "nominations/<int:nomination_id>/conflict/",
        views.declare_conflict,
        name="declare_conflict",
    ),
    path("score-sheets/<int:sheet_id>/reopen/", views.reopen_sheet, name="reopen_sheet"),
    # Results, certificates and exports.
    path("editions/<slug:slug>/results/", views.results, name="results"),
    path("editions/<slug:slug>/results.csv", views.results_csv, name="results_csv"),
    path("editions/<slug:slug>/results/preview/", views.results_preview, name="results_preview"),
    path("editions/<slug:slug>/results/publish/", views.results_publish, name="results_publish"),
    path(
        "editions/<slug:slug>/results/export/<slug:what>.<slug:fmt>",
        views.export,
        name="export",
    ),
    path("results/verify/<slug:code>/", views.verify, name="verify"),
    path("results/<slug:code>.pdf", views.award_certificate, name="certificate"),
    # Last: a category's page takes any second slug that is not one of the edition's
    # own pages above (CategoryForm refuses those words as category slugs).
    path("editions/<slug:slug>/<slug:category_slug>/", views.category, name="category"),
]
