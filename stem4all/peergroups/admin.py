from django.contrib import admin

from .models import GroupMeeting, PeerGroup, PeerGroupMember


class MemberInline(admin.TabularInline):
    model = PeerGroupMember
    extra = 0
    raw_id_fields = ["user"]


@admin.register(PeerGroup)
class PeerGroupAdmin(admin.ModelAdmin):
    list_display = ["topic", "programme", "kind", "region", "language", "access"]
    list_filter = ["kind", "region", "language", "access"]
    search_fields = ["topic"]
    raw_id_fields = ["programme", "cohort", "conversation", "created_by"]
    inlines = [MemberInline]


@admin.register(GroupMeeting)
class GroupMeetingAdmin(admin.ModelAdmin):
    list_display = ["group", "starts_at", "duration_minutes"]
    raw_id_fields = ["group", "created_by"]
