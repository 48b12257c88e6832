from django.contrib import admin

from .models import PairFlag, PulseCheck


@admin.register(PulseCheck)
class PulseCheckAdmin(admin.ModelAdmin):
    list_display = ["mentorship", "respondent", "round", "due_on", "score", "answered_at"]
    list_filter = ["round", "score"]
    raw_id_fields = ["mentorship", "respondent"]


@admin.register(PairFlag)
class PairFlagAdmin(admin.ModelAdmin):
    list_display = ["mentorship", "reason", "created_at", "resolved_at"]
    list_filter = ["reason"]
    raw_id_fields = ["mentorship", "resolved_by"]
