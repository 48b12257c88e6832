from django.urls import path

from . import views

app_name = "messaging"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path(
        "mentorship/<int:mentorship_id>/",
        views.mentorship_conversation,
        name="mentorship_conversation",
    ),
    path("<int:conversation_id>/", views.conversation, name="conversation"),
    path(
        "<int:conversation_id>/messages/",
        views.conversation_messages,
        name="conversation_messages",
    ),
    path("report/", views.report_concern, name="report_concern"),
    path("report/sent/", views.concern_reported, name="concern_reported"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/<int:message_id>/", views.moderate, name="moderate"),
    path("concerns/", views.concerns, name="concerns"),
    path("concerns/<int:report_id>/close/", views.close_concern, name="close_concern"),
]
