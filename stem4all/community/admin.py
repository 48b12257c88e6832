from django.contrib import admin

from stem4all.programmes.admin import ProgrammeScopedAdmin

from .models import (
    PartnerOrganisation,
    PartnerRepresentative,
    Practice,
    PracticePhoto,
    PracticeResult,
)


class PartnerRepresentativeInline(admin.TabularInline):
    model = PartnerRepresentative
    extra = 0
    raw_id_fields = ["user"]


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(ProgrammeScopedAdmin):
    programme_path = "programme"
    list_display = ["name", "kind", "status", "programme", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["name"]
    raw_id_fields = ["programme", "decided_by"]
    readonly_fields = ["created_at", "decided_at"]
    inlines = [PartnerRepresentativeInline]


class PracticeResultInline(admin.TabularInline):
    model = PracticeResult
    extra = 0


class PracticePhotoInline(admin.TabularInline):
    model = PracticePhoto
    extra = 0


@admin.register(Practice)
class PracticeAdmin(ProgrammeScopedAdmin):
    programme_path = "organisation__programme"
    list_display = ["title", "organisation", "status", "published_at"]
    list_filter = ["status", "stem_field", "region"]
    list_select_related = ["organisation"]
    search_fields = ["title"]
    raw_id_fields = ["organisation", "decided_by"]
    readonly_fields = ["created_at", "updated_at", "submitted_at", "decided_at"]
    inlines = [PracticeResultInline, PracticePhotoInline]
