"""Admin views of conversations: read-only messages (participants' words are a record:
nobody deletes them here), concern reports scoped to the staff's programmes."""

from django.contrib import admin

from stem4all.programmes.admin import ProgrammeScopedAdmin

from .models import ConcernReport, Conversation, ConversationMember, Message
from .permissions import can_moderate


class ReadOnlyAdmin(ProgrammeScopedAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ConversationMemberInline(admin.TabularInline):
    model = ConversationMember
    extra = 0
    fields = ["user", "joined_at", "last_read_at", "left_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Conversation)
class ConversationAdmin(ReadOnlyAdmin):
    programme_path = "cohort__programme"
    list_display = ["__str__", "kind", "cohort", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["cohort"]
    inlines = [ConversationMemberInline]


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    programme_path = "conversation__cohort__programme"
    list_display = ["sender", "conversation", "status", "created_at", "moderated_by"]
    list_filter = ["status"]
    list_select_related = ["sender", "conversation", "moderated_by"]
    readonly_fields = [
        "conversation",
        "sender",
        "text",
        "status",
        "created_at",
        "moderated_by",
        "moderated_at",
        "moderation_note",
    ]


@admin.register(ConcernReport)
class ConcernReportAdmin(ReadOnlyAdmin):
    programme_path = "cohort__programme"
    list_display = ["pk", "status", "cohort", "created_at", "handled_by"]
    list_filter = ["status"]
    list_select_related = ["cohort", "handled_by"]
    readonly_fields = [
        "reporter",
        "about_user",
        "message",
        "cohort",
        "text",
        "status",
        "created_at",
        "handled_by",
        "handled_at",
        "outcome_note",
    ]

    def get_queryset(self, request):
        # Only safeguarding staff, and never a report about the person looking.
        rows = super().get_queryset(request).exclude(about_user=request.user)
        return rows if can_moderate(request.user) else rows.none()
