from django.contrib import admin

from stem4all.programmes.admin import ProgrammeScopedAdmin

from .models import Mentorship


@admin.register(Mentorship)
class MentorshipAdmin(ProgrammeScopedAdmin):
    programme_path = "cohort__programme"
    list_display = ["mentee", "mentor", "cohort", "status", "started_at", "ended_at"]
    list_filter = ["status", "cohort"]
    search_fields = ["mentee__full_name", "mentee__email", "mentor__full_name", "mentor__email"]
    list_select_related = ["mentee", "mentor", "cohort__programme"]
    raw_id_fields = ["mentee", "mentor", "ended_by", "proposal"]
    readonly_fields = ["created_at"]
