from django.contrib import admin

from stem4all.programmes.admin import ProgrammeScopedAdmin

from .models import MatchingRun, MentorChoice, PairRule, Proposal, UnmatchedMentee


class CohortScopedAdmin(ProgrammeScopedAdmin):
    programme_path = "cohort__programme"


@admin.register(MatchingRun)
class MatchingRunAdmin(CohortScopedAdmin):
    list_display = ["pk", "cohort", "mode", "status", "created_by", "created_at", "published_at"]
    list_filter = ["status", "mode", "cohort"]
    list_select_related = ["cohort__programme", "created_by"]
    raw_id_fields = ["created_by"]
    readonly_fields = ["created_at", "published_at", "summary"]


@admin.register(Proposal)
class ProposalAdmin(CohortScopedAdmin):
    list_display = ["mentee", "mentor", "cohort", "status", "score", "is_locked", "respond_by"]
    list_filter = ["status", "is_locked", "cohort"]
    search_fields = ["mentee__full_name", "mentee__email", "mentor__full_name", "mentor__email"]
    list_select_related = ["mentee", "mentor", "cohort__programme"]
    raw_id_fields = ["run", "mentee", "mentor"]
    readonly_fields = ["created_at", "factors"]


@admin.register(UnmatchedMentee)
class UnmatchedMenteeAdmin(CohortScopedAdmin):
    list_display = ["mentee", "cohort", "run", "reason", "eligible_mentors", "created_at"]
    list_filter = ["reason", "cohort"]
    search_fields = ["mentee__full_name", "mentee__email"]
    list_select_related = ["mentee", "cohort__programme", "run"]
    raw_id_fields = ["run", "mentee"]


@admin.register(PairRule)
class PairRuleAdmin(CohortScopedAdmin):
    list_display = ["mentee", "mentor", "cohort", "kind", "created_by", "created_at"]
    list_filter = ["kind", "cohort"]
    search_fields = ["mentee__full_name", "mentor__full_name"]
    list_select_related = ["mentee", "mentor", "cohort__programme", "created_by"]
    raw_id_fields = ["mentee", "mentor", "created_by"]


@admin.register(MentorChoice)
class MentorChoiceAdmin(CohortScopedAdmin):
    list_display = ["mentee", "rank", "mentor", "cohort", "created_at"]
    list_filter = ["cohort"]
    search_fields = ["mentee__full_name", "mentor__full_name"]
    list_select_related = ["mentee", "mentor", "cohort__programme"]
    raw_id_fields = ["mentee", "mentor"]
