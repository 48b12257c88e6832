"""The admin shows the award's records; votes, voidings and published results are
read-only there (they change only through the services, which keep the rules)."""

from django.contrib import admin

from . import models


class CategoryInline(admin.TabularInline):
    model = models.Category
    extra = 0
    prepopulated_fields = {"slug": ("name",)}


@admin.register(models.Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "programme", "voting_open_at", "voting_close_at"]
    list_filter = ["year"]
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ["results_published_at", "results_published_by"]
    inlines = [CategoryInline]


class CriterionInline(admin.TabularInline):
    model = models.JuryCriterion
    extra = 0


@admin.register(models.Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "edition", "nominee_kind", "outside_bishkek_only", "position"]
    list_filter = ["edition", "nominee_kind"]
    inlines = [CriterionInline]


@admin.register(models.Nomination)
class NominationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "category", "status", "created_at"]
    list_filter = ["status", "category__edition"]
    raw_id_fields = [
        "nominee_user",
        "nominee_organisation",
        "nominee_practice",
        "nominated_by",
        "merged_into",
        "reviewed_by",
    ]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.Vote)
class VoteAdmin(ReadOnlyAdmin):
    list_display = ["receipt", "category", "nomination", "sequence", "cast_at"]
    list_filter = ["category__edition"]


@admin.register(models.VoteVoiding)
class VoteVoidingAdmin(ReadOnlyAdmin):
    list_display = ["vote", "requested_by", "requested_at", "confirmed_by", "confirmed_at"]


@admin.register(models.ScoreSheetReopening)
class ScoreSheetReopeningAdmin(ReadOnlyAdmin):
    list_display = ["sheet", "reopened_by", "reopened_at", "reason"]


@admin.register(models.Result)
class ResultAdmin(ReadOnlyAdmin):
    list_display = ["nomination", "category", "votes", "jury_score", "final_score", "rank"]
    list_filter = ["category__edition"]
