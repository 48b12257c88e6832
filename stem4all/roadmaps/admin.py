from django.contrib import admin

from stem4all.programmes.admin import ProgrammeScopedAdmin

from .models import Roadmap, RoadmapStep, RoadmapTemplate, RoadmapTemplateStep, StepComment


class RoadmapStepInline(admin.TabularInline):
    model = RoadmapStep
    extra = 0
    fields = ["position", "title", "status", "due_on", "signed_off_by", "signed_off_at"]
    raw_id_fields = ["signed_off_by"]


@admin.register(Roadmap)
class RoadmapAdmin(ProgrammeScopedAdmin):
    programme_path = "mentorship__cohort__programme"
    list_display = ["mentorship", "updated_at"]
    list_select_related = ["mentorship__mentee", "mentorship__mentor", "mentorship__cohort"]
    raw_id_fields = ["mentorship"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [RoadmapStepInline]


@admin.register(RoadmapStep)
class RoadmapStepAdmin(ProgrammeScopedAdmin):
    programme_path = "roadmap__mentorship__cohort__programme"
    list_display = ["title", "roadmap", "position", "status", "due_on"]
    list_filter = ["status"]
    raw_id_fields = ["roadmap", "signed_off_by", "copied_from_template", "lecture", "training"]
    readonly_fields = ["created_at"]


@admin.register(StepComment)
class StepCommentAdmin(ProgrammeScopedAdmin):
    programme_path = "step__roadmap__mentorship__cohort__programme"
    list_display = ["step", "author", "created_at"]
    raw_id_fields = ["step", "author"]
    readonly_fields = ["created_at"]


class RoadmapTemplateStepInline(admin.TabularInline):
    model = RoadmapTemplateStep
    extra = 0
    fields = ["position", "title", "description", "due_offset_days"]


@admin.register(RoadmapTemplate)
class RoadmapTemplateAdmin(ProgrammeScopedAdmin):
    programme_path = "programme"
    list_display = ["title", "programme", "is_published", "created_at"]
    list_filter = ["is_published"]
    raw_id_fields = ["created_by"]
    readonly_fields = ["created_at"]
    inlines = [RoadmapTemplateStepInline]
