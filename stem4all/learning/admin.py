from django.contrib import admin

from stem4all.programmes.admin import ProgrammeScopedAdmin

from .models import AttendanceCertificate, Lecture, LectureMaterial, Registration, Training


class LectureMaterialInline(admin.TabularInline):
    model = LectureMaterial
    extra = 0
    fields = ["title", "url", "file"]


@admin.register(Lecture)
class LectureAdmin(ProgrammeScopedAdmin):
    list_display = ["title", "programme", "topic", "language", "is_published", "created_at"]
    list_filter = ["is_published", "topic", "language"]
    search_fields = ["title", "speaker_name"]
    raw_id_fields = ["programme", "speaker", "created_by"]
    inlines = [LectureMaterialInline]


@admin.register(Training)
class TrainingAdmin(ProgrammeScopedAdmin):
    list_display = ["title", "programme", "starts_at", "capacity", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title", "trainer_name"]
    raw_id_fields = ["programme", "cohort", "created_by"]
    exclude = ["checkin_code"]


@admin.register(Registration)
class RegistrationAdmin(ProgrammeScopedAdmin):
    programme_path = "training__programme"
    list_display = ["training", "user", "status", "position", "attended"]
    list_filter = ["status", "attended"]
    list_select_related = ["training", "user"]
    raw_id_fields = ["training", "user", "marked_by"]


@admin.register(AttendanceCertificate)
class AttendanceCertificateAdmin(ProgrammeScopedAdmin):
    list_display = ["name", "programme_name", "trainings_count", "issued_at", "revoked_at"]
    search_fields = ["name", "code"]
    raw_id_fields = ["user", "programme"]
    readonly_fields = ["code", "issued_at", "trainings_count", "name", "programme_name"]
