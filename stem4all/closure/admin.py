from django.contrib import admin

from stem4all.programmes.admin import ProgrammeScopedAdmin

from .models import Certificate, ExitSurvey


@admin.register(ExitSurvey)
class ExitSurveyAdmin(ProgrammeScopedAdmin):
    programme_path = "mentorship__cohort__programme"
    list_display = ["respondent", "role", "overall_rating", "goals_met", "submitted_at"]
    list_filter = ["role", "mentorship__cohort"]
    list_select_related = ["respondent"]
    raw_id_fields = ["mentorship", "respondent"]
    readonly_fields = ["submitted_at"]


@admin.register(Certificate)
class CertificateAdmin(ProgrammeScopedAdmin):
    programme_path = "mentorship__cohort__programme"
    list_display = ["mentee_name", "cohort_name", "issued_at", "revoked_at"]
    list_filter = ["mentorship__cohort"]
    search_fields = ["mentee_name", "code"]
    raw_id_fields = ["mentee", "mentorship", "revoked_by"]
    # Issued by the service and revoked on the certificate page, with a reason.
    readonly_fields = [f.name for f in Certificate._meta.fields]

    def has_add_permission(self, request):
        return False
