from django.contrib import admin

from stem4all.accounts.permissions import staff_programme_ids

from .models import Cohort, Participation, Programme


class ProgrammeScopedAdmin(admin.ModelAdmin):
    """Staff who are not superusers see only the rows of programmes they run."""

    programme_path = "programme"

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        if request.user.is_superuser:
            return rows
        return rows.filter(**{f"{self.programme_path}__in": staff_programme_ids(request.user)})


class CohortInline(admin.TabularInline):
    model = Cohort
    extra = 0
    fields = ["name", "slug", "phase", "starts_on", "ends_on"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Programme)
class ProgrammeAdmin(ProgrammeScopedAdmin):
    programme_path = "pk"
    list_display = ["name", "slug", "is_public", "contact_email"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CohortInline]


@admin.register(Cohort)
class CohortAdmin(ProgrammeScopedAdmin):
    list_display = ["name", "programme", "phase", "mentoring_language", "starts_on", "ends_on"]
    list_filter = ["phase", "programme"]
    search_fields = ["name", "programme__name"]
    list_select_related = ["programme"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Participation)
class ParticipationAdmin(ProgrammeScopedAdmin):
    programme_path = "cohort__programme"

    list_display = ["user", "cohort", "role", "status", "source", "created_at"]
    list_filter = ["role", "status", "source", "cohort"]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user", "cohort__programme"]
    raw_id_fields = ["user", "decided_by"]
