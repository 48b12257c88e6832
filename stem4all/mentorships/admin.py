from django.contrib import admin

from stem4all.programmes.admin import ProgrammeScopedAdmin

from .models import MentoringAgreement, Mentorship, MentorshipEvent


class MentorshipEventInline(admin.TabularInline):
    model = MentorshipEvent
    extra = 0
    fields = ["created_at", "from_status", "to_status", "actor", "reason"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # The history is written by the services only.
        return False


@admin.register(Mentorship)
class MentorshipAdmin(ProgrammeScopedAdmin):
    programme_path = "cohort__programme"
    list_display = ["mentee", "mentor", "cohort", "status", "started_at", "ended_at"]
    list_filter = ["status", "cohort"]
    search_fields = ["mentee__full_name", "mentee__email", "mentor__full_name", "mentor__email"]
    list_select_related = ["mentee", "mentor", "cohort__programme"]
    raw_id_fields = ["mentee", "mentor", "ended_by", "proposal"]
    readonly_fields = ["created_at"]
    inlines = [MentorshipEventInline]


@admin.register(MentorshipEvent)
class MentorshipEventAdmin(ProgrammeScopedAdmin):
    programme_path = "mentorship__cohort__programme"
    list_display = ["mentorship", "from_status", "to_status", "actor", "created_at"]
    list_filter = ["to_status"]
    list_select_related = ["mentorship__mentee", "mentorship__mentor", "actor"]
    readonly_fields = ["mentorship", "from_status", "to_status", "actor", "reason", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MentoringAgreement)
class MentoringAgreementAdmin(ProgrammeScopedAdmin):
    programme_path = "mentorship__cohort__programme"
    list_display = ["mentorship", "meeting_frequency", "meeting_mode", "expected_end_on"]
    list_select_related = ["mentorship__mentee", "mentorship__mentor"]
    raw_id_fields = ["mentorship"]
    readonly_fields = ["mentee_confirmed_at", "mentor_confirmed_at", "updated_at"]
