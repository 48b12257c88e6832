from django.contrib import admin

from stem4all.programmes.admin import ProgrammeScopedAdmin

from .models import AccessCode, Recording


@admin.register(Recording)
class RecordingAdmin(ProgrammeScopedAdmin):
    programme_path = "cohort__programme"
    list_display = ["title", "cohort", "available_from", "available_until"]
    list_filter = ["cohort"]
    search_fields = ["title"]
    raw_id_fields = ["cohort", "created_by"]


@admin.register(AccessCode)
class AccessCodeAdmin(ProgrammeScopedAdmin):
    programme_path = "recording__cohort__programme"
    list_display = ["label", "recording", "created_at", "revoked_at"]
    raw_id_fields = ["recording", "created_by", "revoked_by"]
    # Codes are created (and shown once) on the codes page; the hash is no use here.
    exclude = ["code_hash"]
    readonly_fields = ["recording", "label", "created_by", "created_at"]

    def has_add_permission(self, request):
        return False
