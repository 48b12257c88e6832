from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import (
    ApiToken,
    GuardianConsent,
    LanguageSkill,
    MenteeProfile,
    MentorProfile,
    StaffAccessLog,
    User,
)


class LanguageSkillInline(admin.TabularInline):
    model = LanguageSkill
    extra = 0


class GuardianConsentInline(admin.TabularInline):
    model = GuardianConsent
    fk_name = "mentee"
    extra = 0
    readonly_fields = ["recorded_by", "recorded_at"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["full_name", "email"]
    list_display = ["email", "full_name", "country", "region", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_superuser", "is_active", "country", "region"]
    search_fields = ["email", "full_name"]
    inlines = [LanguageSkillInline, GuardianConsentInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Personal details"),
            {
                "fields": [
                    "full_name",
                    "preferred_language",
                    "date_of_birth",
                    "country",
                    "region",
                    "district",
                    "time_zone",
                ]
            },
        ),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})
    ]


@admin.register(MenteeProfile)
class MenteeProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "education_level", "preferred_mentor_type", "hours_per_month"]
    list_filter = ["education_level", "settlement", "preferred_mentor_type"]
    search_fields = ["user__full_name", "user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(MentorProfile)
class MentorProfileAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "organisation",
        "job_title",
        "capacity",
        "screening_status",
        "is_cleared_for_minors",
    ]
    list_filter = ["screening_status", "is_cleared_for_minors"]
    search_fields = ["user__full_name", "user__email", "organisation"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(GuardianConsent)
class GuardianConsentAdmin(admin.ModelAdmin):
    list_display = ["mentee", "guardian_name", "relation", "consent_date", "method", "revoked_at"]
    list_filter = ["relation", "method"]
    search_fields = ["mentee__full_name", "guardian_name"]
    list_select_related = ["mentee"]
    raw_id_fields = ["mentee", "recorded_by"]


@admin.register(LanguageSkill)
class LanguageSkillAdmin(admin.ModelAdmin):
    list_display = ["user", "language", "level"]
    list_filter = ["language", "level"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(StaffAccessLog)
class StaffAccessLogAdmin(admin.ModelAdmin):
    """Read-only: an audit trail nobody edits."""

    list_display = ["accessed_at", "staff", "action", "subject", "path"]
    list_filter = ["action"]
    search_fields = ["staff__email", "subject__email"]
    list_select_related = ["staff", "subject"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    search_fields = ["user__email", "name", "prefix"]
    readonly_fields = ["prefix", "key_hash", "auth_hash", "created_at", "last_used_at"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]

    def has_add_permission(self, request):
        # Tokens are made by their owners, who see the key once.
        return False
